"""The meeting papers in one PDF: the agenda, then each item's papers in order, with bookmarks and page numbers.

No Flask, no database: bytes and plain values in, bytes out. Office files (DOCX, XLSX …) become PDF through
LibreOffice when it is installed (`soffice --headless --convert-to pdf`); pypdf binds the parts and reportlab
draws the page numbers.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.pdfgen import canvas

CONVERTIBLE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
PDF = "application/pdf"


@dataclass(frozen=True)
class Paper:
    """One paper of an item: its title and its pages as PDF, or None when it could not be included."""

    title: str
    pdf: bytes | None


@dataclass(frozen=True)
class PaperItem:
    """An agenda item ("วาระที่ 4.1 …") and its papers in order."""

    label: str
    papers: tuple[Paper, ...] = field(default_factory=tuple)


def office_program() -> str | None:
    """The LibreOffice program on this machine, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


_PROFILE_LOCK = threading.Lock()  # one LibreOffice at a time per process, on the process's own profile


def _profile_dir() -> Path:
    """This process's LibreOffice profile: made once (the slow part of a first start), reused afterwards."""
    return Path(tempfile.gettempdir()) / f"prachum-libreoffice-{os.getuid()}-{os.getpid()}"


def convert_many(files: list[tuple[bytes, str]], *, timeout: int = 300) -> list[bytes | None]:
    """Office files (bytes, suffix) converted to PDF by one LibreOffice run; None for each that did not
    convert, and for all when LibreOffice is absent."""
    program = office_program()
    if program is None or not files:
        return [None] * len(files)
    with _PROFILE_LOCK, tempfile.TemporaryDirectory(prefix="prachum-pdf-") as work:
        sources = []
        for index, (data, suffix) in enumerate(files):
            source = Path(work) / f"paper-{index}{suffix}"
            source.write_bytes(data)
            sources.append(source)
        try:
            subprocess.run([program, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", work, *map(str, sources)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                           timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return [None] * len(files)
        results = [source.with_suffix(".pdf") for source in sources]
        return [result.read_bytes() if result.exists() else None for result in results]


def convert_to_pdf(data: bytes, suffix: str) -> bytes | None:
    """One office file converted to PDF by LibreOffice, or None."""
    return convert_many([(data, suffix)])[0]


def office_suffix(content_type: str | None) -> str | None:
    """The file suffix LibreOffice needs for an office file of this type, or None for anything else."""
    return CONVERTIBLE.get(content_type or "")


def readable_pdf(data: bytes) -> bytes | None:
    """The bytes when they are a PDF with at least one page that pypdf can read, else None."""
    try:
        return data if len(PdfReader(io.BytesIO(data)).pages) > 0 else None
    except (PyPdfError, ValueError, OSError, KeyError):
        return None


def _page_number_stamp(width: float, height: float, number: int) -> PdfReader:
    """A transparent page with "- n -" centred 1.5 cm below its top edge."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height))
    sheet.setFont("Helvetica", 12)
    sheet.drawCentredString(width / 2, height - 42.5, f"- {number} -")
    sheet.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))


def bind_papers(agenda_pdf: bytes, items: list[PaperItem], *, agenda_title: str = "ระเบียบวาระการประชุม") -> bytes:
    """The agenda followed by every included paper, a bookmark for the agenda, each item and each paper,
    and a page number at the top of every page from the second."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(agenda_pdf)))
    agenda_pages = len(writer.pages)
    writer.add_outline_item(agenda_title, 0)
    for item in items:
        firsts = []
        for paper in item.papers:
            if paper.pdf is not None:
                firsts.append((paper.title, len(writer.pages)))
                writer.append(PdfReader(io.BytesIO(paper.pdf)))
        parent = writer.add_outline_item(item.label, firsts[0][1] if firsts else _page_naming(writer, agenda_pages, item))
        for title, first in firsts:
            writer.add_outline_item(title, first, parent=parent)
    for index, page in enumerate(writer.pages):
        if index == 0:
            continue
        box = page.mediabox
        page.merge_page(_page_number_stamp(float(box.width), float(box.height), index + 1).pages[0])
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_naming(writer: PdfWriter, agenda_pages: int, item: PaperItem) -> int:
    """The agenda page that prints an item without papers (found by its number), else the first page."""
    number = item.label.split()[1] if len(item.label.split()) > 1 else item.label
    for index in range(agenda_pages):
        try:
            if number in (writer.pages[index].extract_text() or ""):
                return index
        except (PyPdfError, ValueError, KeyError):
            break
    return 0
