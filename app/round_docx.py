"""A reporting round's progress report as an official Thai DOCX, for the committee's meeting papers.

Pure module: plain dataclasses in, bytes out (no Flask, no database). The page, font and paragraph
helpers are those of app.official_docx: A4, TH Sarabun New 16 pt on every run, table cells
included, with the complex-script font and size (w:cs, w:szCs) set for the Thai text.

Order: the centred heading lines, the summary paragraph, a summary table (one row per theme and
per sub-item), then each theme with its sub-items, and under each sub-item every unit's report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import _Cell

from app.official_docx import (
    ITEM_INDENT,
    SECTION_GAP,
    TEXT_INDENT,
    _centred,
    _new_document,
    _paragraph,
    _to_bytes,
    write_rich_text,
)
from app.richtext import Run, blocks

__all__ = ["DEFAULT_LABELS", "RoundReportDoc", "SubItemSection", "ThemeSection", "UnitParagraph",
           "round_report_docx"]

DEFAULT_LABELS: Mapping[str, str] = {
    "result": "ผลการดำเนินงาน",
    "obstacles": "ปัญหาอุปสรรค",
    "suggestions": "ข้อเสนอแนะ",
    "percent": "ร้อยละ",
    "status": "สถานะ",
    "target": "เป้าหมาย",
    "none": "- ไม่มี -",
}
TABLE_WIDTHS = (Cm(1.5), Cm(7.5), Cm(2.2), Cm(2.8), Cm(2.0))  # 16 cm: the A4 width between the margins


@dataclass(frozen=True)
class UnitParagraph:
    """One responsible unit's report on a sub-item (labels already translated)."""

    unit_name: str
    status: str  # progress status label, or the caller's "ยังไม่ส่งรายงาน" when missing
    percent: int | None
    result: str | None
    obstacles: str | None
    suggestions: str | None
    submitted: bool  # delivered (submitted, resubmitted or accepted): counted in submitted/expected


@dataclass(frozen=True)
class SubItemSection:
    """A sub-item with its roll-up figure and its units' reports."""

    code: str  # "2.3"
    title: str
    target: str | None
    percent: float
    status: str
    units: tuple[UnitParagraph, ...]

    @property
    def expected(self) -> int:
        """Reports expected: one per responsible unit listed."""
        return len(self.units)

    @property
    def submitted(self) -> int:
        """Reports delivered among those expected."""
        return sum(1 for unit in self.units if unit.submitted)


@dataclass(frozen=True)
class ThemeSection:
    """A theme with its roll-up figure and its sub-items."""

    number: int
    title: str
    percent: float
    status: str
    sub_items: tuple[SubItemSection, ...]

    @property
    def expected(self) -> int:
        """Reports expected over the theme's sub-items."""
        return sum(sub_item.expected for sub_item in self.sub_items)

    @property
    def submitted(self) -> int:
        """Reports delivered over the theme's sub-items."""
        return sum(sub_item.submitted for sub_item in self.sub_items)


@dataclass(frozen=True)
class RoundReportDoc:
    """Everything printed on a round's progress report, already formatted and translated."""

    heading: tuple[str, ...]  # centred bold lines: report title, plan title, round and period, body
    summary: str  # one paragraph: overall percent, status and counts
    table_headers: tuple[str, ...]  # code, title, percent, status, submitted/expected
    themes: tuple[ThemeSection, ...]
    labels: Mapping[str, str]  # keys of DEFAULT_LABELS; a missing key falls back to the Thai default


def round_report_docx(doc: RoundReportDoc) -> bytes:
    """Build the round's progress report and return the .docx file's bytes."""
    labels = {**DEFAULT_LABELS, **doc.labels}
    document = _new_document(title=doc.heading[0] if doc.heading else "")
    for line in doc.heading:
        _centred(document, line)
    if doc.summary:
        _paragraph(document, [(doc.summary, False)], first_line=TEXT_INDENT, space_before=SECTION_GAP,
                   align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
    if doc.themes:
        _summary_table(document, doc.table_headers, doc.themes)
    for theme in doc.themes:
        _theme(document, theme, labels)
    return _to_bytes(document)


def _summary_table(document: DocxDocument, headers: tuple[str, ...], themes: tuple[ThemeSection, ...]) -> None:
    """Add the table of themes and sub-items: code, title, percent, status, submitted/expected."""
    if len(headers) != len(TABLE_WIDTHS):
        raise ValueError(f"the summary table needs {len(TABLE_WIDTHS)} headers")
    _paragraph(document, [], space_before=SECTION_GAP)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_as_header(table.rows[0]._tr)
    for cell, header in zip(table.rows[0].cells, headers):
        _cell_text(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for theme in themes:
        _table_row(table, str(theme.number), theme.title, theme.percent, theme.status,
                   theme.submitted, theme.expected, bold=True)
        for sub_item in theme.sub_items:
            _table_row(table, sub_item.code, sub_item.title, sub_item.percent, sub_item.status,
                       sub_item.submitted, sub_item.expected, bold=False)
    for row in table.rows:
        for cell, width in zip(row.cells, TABLE_WIDTHS):
            cell.width = width


def _table_row(table, code: str, title: str, percent: float, status: str, submitted: int, expected: int,
               *, bold: bool) -> None:
    """Add one row of the summary table."""
    cells = table.add_row().cells
    _cell_text(cells[0], code, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[1], title, bold=bold)
    _cell_text(cells[2], _percent(percent), bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell_text(cells[3], status, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[4], f"{submitted}/{expected}", bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)


def _cell_text(cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    """Write a cell's text in the official font, replacing the empty paragraph a new cell holds."""
    empty = cell.paragraphs[0]._p
    _paragraph(cell, [(text, bold)], align=align)  # a cell adds paragraphs like a document does
    cell._tc.remove(empty)


def _repeat_as_header(tr) -> None:
    """Mark a table row to repeat at the top of every page the table spans."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(header)


def _theme(document: DocxDocument, theme: ThemeSection, labels: Mapping[str, str]) -> None:
    """Add a theme's heading and figure line, then each of its sub-items."""
    _paragraph(document, [(f"{theme.number}. {theme.title}", True)], space_before=SECTION_GAP,
               keep_with_next=True)
    _figure_line(document, theme.percent, theme.status, labels, left=None)
    if not theme.sub_items:
        _paragraph(document, [(labels["none"], False)], left=ITEM_INDENT)
    for sub_item in theme.sub_items:
        _sub_item(document, sub_item, labels)


def _sub_item(document: DocxDocument, sub_item: SubItemSection, labels: Mapping[str, str]) -> None:
    """Add "code title", the target, the figure line, and every unit's report."""
    _paragraph(document, [(f"{sub_item.code} {sub_item.title}", True)], left=ITEM_INDENT,
               space_before=SECTION_GAP, keep_with_next=True)
    _paragraph(document, [(labels["target"] + ": ", True), (sub_item.target or labels["none"], False)],
               left=ITEM_INDENT, keep_with_next=True)
    _figure_line(document, sub_item.percent, sub_item.status, labels, left=ITEM_INDENT)
    if not sub_item.units:
        _paragraph(document, [(labels["none"], False)], left=TEXT_INDENT)
    for unit in sub_item.units:
        _unit(document, unit, labels)


def _figure_line(document: DocxDocument, percent: float, status: str, labels: Mapping[str, str], *, left) -> None:
    """Add "ร้อยละ 85.00 สถานะ เป็นไปตามแผน" for a theme or a sub-item."""
    _paragraph(document, [(labels["percent"] + " ", True), (_percent(percent), False),
                          ("  " + labels["status"] + " ", True), (status, False)],
               left=left, keep_with_next=True)


def _unit(document: DocxDocument, unit: UnitParagraph, labels: Mapping[str, str]) -> None:
    """Add the unit's line (name, status, percent), then its result, obstacles and suggestions.

    A unit with none of the three texts (typically one that has not reported) gets only its line.
    """
    runs = [(unit.unit_name, True), ("  " + labels["status"] + " ", False), (unit.status, False)]
    if unit.percent is not None:
        runs.append(("  " + labels["percent"] + " " + str(unit.percent), False))
    texts = (("result", unit.result), ("obstacles", unit.obstacles), ("suggestions", unit.suggestions))
    has_text = any(blocks(text) for _, text in texts)
    _paragraph(document, runs, left=TEXT_INDENT, space_before=SECTION_GAP, keep_with_next=has_text)
    if not has_text:
        return
    for key, text in texts:
        label = Run(labels[key] + ": ", bold=True)
        if not write_rich_text(document, text, left=TEXT_INDENT, lead=(label,)):
            _paragraph(document, [(label.text, True), (labels["none"], False)], left=TEXT_INDENT,
                       align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)


def _percent(value: float) -> str:
    """A percent to two decimals, as the roll-up shows it."""
    return f"{value:.2f}"
