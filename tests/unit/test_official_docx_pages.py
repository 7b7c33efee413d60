"""Page furniture of the official documents, rendered by LibreOffice and read back: a page number at the top
from page 2, "ร่าง" on every page of draft minutes, and Word's current layout (compatibility mode 15)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from app import official_docx, papers_pdf

needs_office = pytest.mark.skipif(
    papers_pdf.office_program() is None and not os.environ.get("PRACHUM_REQUIRE_OFFICE"),
    reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")

LONG = "<p>" + "ผลการดำเนินงานตามแผนปฏิรูปองค์การ " * 90 + "</p>"


def minutes(draft: bool) -> official_docx.MinutesDoc:
    sections = tuple(official_docx.DocSection(n, f"เรื่องที่ {n}", (official_docx.DocItem(f"{n}.1", "เรื่อง",
                                                                                          discussion_html=LONG),))
                     for n in range(1, 7))
    return official_docx.MinutesDoc(body_name="คณะทำงานพัฒนาระบบบริหาร", code="3/2563",
                                    date_text="วันศุกร์ที่ 26 มิถุนายน 2563", venue="ห้องประชุม 1", present=(),
                                    absent=(), guests=(), opened_at="09.30 น.", closed_at="12.00 น.",
                                    sections=sections, recorder="นางสาวผู้จด", checker="นายผู้ตรวจ", draft=draft)


def pages(data: bytes) -> list[str]:
    pdf = papers_pdf.convert_to_pdf(data, ".docx")
    assert pdf is not None, "LibreOffice did not render the document"
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "doc.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@needs_office
def test_draft_minutes_say_so_on_every_page_and_are_numbered_from_page_two():
    rendered = pages(official_docx.minutes_docx(minutes(draft=True)))
    assert len(rendered) >= 3
    assert all("ร่าง" in page.split("\n", 3)[0] + page.split("\n", 3)[1] for page in rendered)
    assert not re.search(r"-\s*1\s*-", rendered[0])
    for number, page in enumerate(rendered[1:], start=2):
        first_lines = "\n".join(page.strip("\n").split("\n")[:2])
        assert re.search(rf"-\s*{number}\s*-", first_lines), first_lines


@needs_office
def test_certified_minutes_carry_no_draft_mark():
    rendered = pages(official_docx.minutes_docx(minutes(draft=False)))
    assert not any("ร่าง" in "\n".join(page.strip("\n").split("\n")[:2]) for page in rendered)


def test_documents_open_in_word_s_current_layout_with_their_properties():
    document = docx.Document(io.BytesIO(official_docx.minutes_docx(minutes(draft=True))))
    modes = [s.get(qn("w:val")) for s in document.settings.element.iter(qn("w:compatSetting"))
             if s.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]
    assert document.core_properties.title == "รายงานการประชุมคณะทำงานพัฒนาระบบบริหาร"
    assert document.core_properties.created is not None
    font_table = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    assert b'w:name="TH Sarabun New"' in font_table.blob and b'w:val="DE"' in font_table.blob
    header = document.sections[0].header
    assert document.sections[0].different_first_page_header_footer
    assert "PAGE" in header._element.xml and "ร่าง" in document.sections[0].first_page_header._element.xml
