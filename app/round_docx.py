"""A reporting round's progress report as an official Thai DOCX, for the committee's meeting papers.

Pure module: plain dataclasses in, bytes out (no Flask, no database). The page, font and paragraph
helpers are those of app.official_docx: A4, official margins, page numbers from page 2, TH Sarabun New on every
run with the complex-script font and size (w:cs, w:szCs) set for the Thai text; the title lines in 16 pt, the
rest (a table-heavy attachment to the committee's papers) in 14 pt, so that a round fits in a few pages.

Order: the centred heading lines, "ข้อมูล ณ วันที่ …", the summary paragraph, a summary table (one row per
theme and per sub-item: code, title, weight, percent, status, reports delivered), the legend of the statuses,
then each theme with its sub-items, and under each sub-item every unit's report.

The table is laid out fixed: its grid columns have the widths of its cells (LibreOffice and Word lay a table out
by its w:tblGrid), each column wide enough for the longest word it holds, so that a Thai word is never split
across lines; the header row repeats on every page and no row breaks across pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from app.official_docx import (
    ITEM_INDENT,
    SECTION_GAP,
    TEXT_INDENT,
    _centred,
    _new_document,
    _page_header,
    _paragraph,
    _to_bytes,
    write_rich_text,
)
from app.richtext import Run, blocks

__all__ = ["DEFAULT_LABELS", "TABLE_WIDTHS", "RoundReportDoc", "SubItemSection", "ThemeSection", "UnitParagraph",
           "percent_text", "round_report_docx", "weight_text"]

DEFAULT_LABELS: Mapping[str, str] = {
    "result": "ผลการดำเนินงาน",
    "obstacles": "ปัญหาอุปสรรค",
    "suggestions": "ข้อเสนอแนะ",
    "percent": "ร้อยละ",
    "status": "สถานะ",
    "target": "เป้าหมาย",
    "none": "- ไม่มี -",
    "unverified": "(ยังไม่ตรวจสอบ)",
}
# code, title, weight, percent, status, delivered: 16 cm, the A4 width between the margins. Each column holds its
# longest word in 14 pt bold (TH Sarabun New, or Laksaman, the metric-alike LibreOffice substitutes) beside the cell
# margins; the title column takes the rest.
TABLE_WIDTHS: tuple[Length, ...] = tuple(Twips(w) for w in (567, 4307, 992, 992, 1191, 1021))
CELL_MARGIN = Cm(0.1)  # left and right inside each cell
TEXT_HALF_POINTS = 28  # the report is set in 14 pt, its title lines in the official 16 pt
UNIT_INDENT = ITEM_INDENT  # a unit's report, under its sub-item (the unit's name in bold opens it)
UNIT_GAP = Pt(2)
LINE_SPACING = 0.8  # of the font's own line height, which TH Sarabun New and Laksaman make generous for Thai marks


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
    verified: bool = True  # accepted by the secretariat; a delivered report not yet accepted is marked so


@dataclass(frozen=True)
class SubItemSection:
    """A sub-item with its roll-up figure and its units' reports."""

    code: str  # "2.3"
    title: str
    target: str | None
    percent: float
    status: str
    units: tuple[UnitParagraph, ...]
    weight: str = "1"  # as printed (weight_text)

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
    weight: str = "1"  # as printed (weight_text)

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
    table_headers: tuple[str, ...]  # code, title, weight, percent, status, submitted/expected
    themes: tuple[ThemeSection, ...]
    labels: Mapping[str, str]  # keys of DEFAULT_LABELS; a missing key falls back to the Thai default
    as_of: str | None = None  # "ข้อมูล ณ วันที่ 3 ธันวาคม 2569", centred under the heading
    legend_title: str | None = None  # "คำอธิบาย"
    legend: tuple[tuple[str, str], ...] = ()  # (term, meaning): each status, and the table's other words
    thai_digits: bool = False  # page numbers "- ๒ -" (else "- 2 -")
    author: str | None = None  # the plan owner's secretariat, in the file's properties


def round_report_docx(doc: RoundReportDoc) -> bytes:
    """Build the round's progress report and return the .docx file's bytes."""
    labels = {**DEFAULT_LABELS, **doc.labels}
    document = _new_document(title=doc.heading[0] if doc.heading else "", author=doc.author)
    _page_header(document, thai_digits=doc.thai_digits)
    for line in doc.heading:
        _centred(document, line)
    if doc.as_of:
        _centred(document, doc.as_of, bold=False)
    if doc.summary:
        _paragraph(document, [(doc.summary, False)], first_line=TEXT_INDENT, space_before=SECTION_GAP,
                   align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)
    if doc.themes:
        _summary_table(document, doc.table_headers, doc.themes)
    _legend(document, doc.legend_title, doc.legend)
    for theme in doc.themes:
        _theme(document, theme, labels)
    _text_size(document, TEXT_HALF_POINTS, keep=len(doc.heading))
    return _to_bytes(document)


def _summary_table(document: DocxDocument, headers: tuple[str, ...], themes: tuple[ThemeSection, ...]) -> None:
    """Add the table of themes and sub-items: code, title, weight, percent, status, submitted/expected."""
    if len(headers) != len(TABLE_WIDTHS):
        raise ValueError(f"the summary table needs {len(TABLE_WIDTHS)} headers")
    _paragraph(document, [], space_before=SECTION_GAP)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(table)
    _repeat_as_header(table.rows[0]._tr)
    for cell, header in zip(table.rows[0].cells, headers):
        _cell_text(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for theme in themes:
        _table_row(table, str(theme.number), theme.title, theme.weight, theme.percent, theme.status,
                   theme.submitted, theme.expected, bold=True)
        for sub_item in theme.sub_items:
            _table_row(table, sub_item.code, sub_item.title, sub_item.weight, sub_item.percent, sub_item.status,
                       sub_item.submitted, sub_item.expected, bold=False)
    for row in table.rows:
        _keep_row_whole(row._tr)
        for cell, width in zip(row.cells, TABLE_WIDTHS):
            cell.width = width


def _fixed_layout(table: Table) -> None:
    """Lay the table out fixed (w:tblLayout fixed), at the full text width, with grid columns as wide as the
    cells and narrow cell margins."""
    table.autofit = False  # w:tblLayout w:type="fixed"
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(w.twips for w in TABLE_WIDTHS)))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = tbl_pr.find(qn("w:tblLook"))  # the schema's order: … tblLayout, tblCellMar, tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, TABLE_WIDTHS):
        column.set(qn("w:w"), str(width.twips))


def _table_row(table: Table, code: str, title: str, weight: str, percent: float, status: str, submitted: int,
               expected: int, *, bold: bool) -> None:
    """Add one row of the summary table."""
    cells = table.add_row().cells
    _cell_text(cells[0], code, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[1], title, bold=bold)
    _cell_text(cells[2], weight, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[3], percent_text(percent), bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell_text(cells[4], status, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[5], f"{submitted}/{expected}", bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)


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


def _keep_row_whole(tr) -> None:
    """A row is never broken across two pages (w:cantSplit)."""
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    tr.get_or_add_trPr().insert(0, cant_split)


def _legend(document: DocxDocument, title: str | None, entries: tuple[tuple[str, str], ...]) -> None:
    """Add the legend under the table, one paragraph: "คำอธิบาย: term – meaning; term – meaning …" (each status,
    then the table's other words)."""
    if not entries:
        return
    runs = [(title + ": ", True)] if title else []
    for index, (term, meaning) in enumerate(entries):
        runs += [(term, True), (" – " + meaning + ("; " if index < len(entries) - 1 else ""), False)]
    _paragraph(document, runs, space_before=SECTION_GAP, align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)


def _theme(document: DocxDocument, theme: ThemeSection, labels: Mapping[str, str]) -> None:
    """Add a theme's heading with its figure, then each of its sub-items."""
    _paragraph(document, [(f"{theme.number}. {theme.title}", True), *_figure_runs(theme.percent, theme.status, labels)],
               space_before=SECTION_GAP, keep_with_next=True)
    if not theme.sub_items:
        _paragraph(document, [(labels["none"], False)], left=ITEM_INDENT)
    for sub_item in theme.sub_items:
        _sub_item(document, sub_item, labels)


def _sub_item(document: DocxDocument, sub_item: SubItemSection, labels: Mapping[str, str]) -> None:
    """Add "code title" with the sub-item's figure, its target, and every unit's report."""
    _paragraph(document, [(f"{sub_item.code} {sub_item.title}", True),
                          *_figure_runs(sub_item.percent, sub_item.status, labels)],
               left=ITEM_INDENT, space_before=UNIT_GAP * 2, keep_with_next=True)
    _paragraph(document, [(labels["target"] + ": ", True), (sub_item.target or labels["none"], False)],
               left=ITEM_INDENT)
    if not sub_item.units:
        _paragraph(document, [(labels["none"], False)], left=UNIT_INDENT)
    for unit in sub_item.units:
        _unit(document, unit, labels)


def _figure_runs(percent: float, status: str, labels: Mapping[str, str]) -> list[tuple[str, bool]]:
    """ "  ร้อยละ 85.00  เป็นไปตามแผน" after a theme's or a sub-item's title."""
    return [("  " + labels["percent"] + " " + percent_text(percent) + "  " + status, False)]


def _unit(document: DocxDocument, unit: UnitParagraph, labels: Mapping[str, str]) -> None:
    """Add the unit's line (name, status, percent, "not yet verified" for a delivered report not yet accepted),
    then its result, and its obstacles and suggestions when it wrote any.

    A unit with no text at all (typically one that has not reported) gets only its line.
    """
    runs = [(unit.unit_name, True), ("  " + unit.status, False)]
    if unit.percent is not None:
        runs.append(("  " + labels["percent"] + " " + percent_text(unit.percent), False))
    if unit.submitted and not unit.verified:
        runs.append(("  " + labels["unverified"], False))
    texts = (("result", unit.result), ("obstacles", unit.obstacles), ("suggestions", unit.suggestions))
    has_text = any(blocks(text) for _, text in texts)
    _paragraph(document, runs, left=UNIT_INDENT, space_before=UNIT_GAP, keep_with_next=has_text)
    if not has_text:
        return
    for key, text in texts:
        label = Run(labels[key] + ": ", bold=True)
        if not write_rich_text(document, text, left=UNIT_INDENT, lead=(label,)) and key == "result":
            _paragraph(document, [(label.text, True), (labels["none"], False)], left=UNIT_INDENT,
                       align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)


def _text_size(document: DocxDocument, half_points: int, *, keep: int) -> None:
    """Set the body after its first `keep` paragraphs (the title lines) in the report's text size, for Latin and
    Thai text alike (w:sz, w:szCs), with lines LINE_SPACING apart."""
    kept = list(document.element.body.iterchildren(qn("w:p")))[:keep]
    for paragraph in document.element.body.iter(qn("w:p")):
        if any(paragraph is title for title in kept):
            continue
        Paragraph(paragraph, document).paragraph_format.line_spacing = LINE_SPACING
        for r_pr in paragraph.iter(qn("w:rPr")):
            for tag in ("w:sz", "w:szCs"):
                size = r_pr.find(qn(tag))
                if size is not None:
                    size.set(qn("w:val"), str(half_points))


def percent_text(value: float) -> str:
    """A percent as the report writes it at every level (plan, theme, sub-item, unit): two decimals, "85.00"."""
    return f"{value:.2f}"


def weight_text(weight) -> str:
    """A weight as printed: "1", "2", "1.5", "0.25" (no trailing zeros)."""
    text = f"{float(weight):.3f}".rstrip("0").rstrip(".")
    return text or "0"
