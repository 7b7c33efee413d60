"""Official Thai documents as DOCX: the minutes (ระเบียบงานสารบรรณ แบบที่ 11) and the agenda.

Pure module: plain dataclasses in, bytes out (no Flask, no database). Every run is written in
TH Sarabun New 16 pt with the complex-script font and size set too (w:cs, w:szCs), because Word
formats Thai text with those attributes and would otherwise fall back to another font.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Length, Pt
from docx.text.paragraph import Paragraph

__all__ = [
    "Action",
    "AgendaDoc",
    "DocItem",
    "DocSection",
    "MinutesDoc",
    "Person",
    "agenda_docx",
    "html_to_paragraph_texts",
    "minutes_docx",
]

FONT = "TH Sarabun New"
FONT_SIZE = Pt(16)
FONT_HALF_POINTS = "32"
BIDI_LANG = "th-TH"

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Cm(3), Cm(2), Cm(2.5), Cm(2)

ITEM_INDENT = Cm(1.25)  # item headings (4.1 …)
TEXT_INDENT = Cm(2.5)  # first line of discussion, detail, resolution and action paragraphs
NAME_INDENT = Cm(1)  # wrapped lines of the attendance lists
POSITION_TAB = Cm(8.5)  # column where a member's position starts
SIGNATURE_INDENT = Cm(8)  # signature blocks sit centred in the right half of the page
SECTION_GAP = Pt(6)

NONE_LINE = "- ไม่มี -"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML cannot hold
SIGNATURE_BLANK = "(" + "." * 40 + ")"


@dataclass(frozen=True)
class Person:
    """One line of an attendance list."""

    name: str
    position: str | None = None
    note: str | None = None  # "มาประชุมแทน …" for a delegate, or the reason for an absence


@dataclass(frozen=True)
class Action:
    """A task assigned by a resolution (มอบหมาย)."""

    description: str
    owner: str | None = None  # owner unit
    due: str | None = None  # already formatted the Thai way, e.g. "30 ก.ย. 2563"


@dataclass(frozen=True)
class DocItem:
    """One agenda item (4.1, 4.2 …) with what the minutes recorded about it."""

    number: str  # "4.1"
    title: str
    detail_html: str | None = None  # sanitised HTML: the agenda's detail
    discussion_html: str | None = None  # sanitised HTML: the minutes' discussion
    resolution: str | None = None  # มติที่ประชุม, e.g. "ที่ประชุมรับทราบ"
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class DocSection:
    """One of the agenda's sections (ระเบียบวาระที่ N)."""

    number: int
    title: str
    items: tuple[DocItem, ...]


@dataclass(frozen=True)
class MinutesDoc:
    """Everything printed on the minutes, as plain values already formatted in Thai."""

    body_name: str
    code: str  # "3/2563"
    date_text: str  # "วันศุกร์ที่ 26 มิถุนายน 2563"
    venue: str | None
    present: tuple[Person, ...]
    absent: tuple[Person, ...]
    guests: tuple[Person, ...]
    opened_at: str | None  # "09.30 น."
    closed_at: str | None
    sections: tuple[DocSection, ...]
    recorder: str | None  # ผู้จดรายงานการประชุม
    checker: str | None  # ผู้ตรวจรายงานการประชุม
    certified_note: str | None = None  # e.g. "ที่ประชุมรับรองรายงานการประชุมแล้ว ในการประชุมครั้งที่ 4/2563"


@dataclass(frozen=True)
class AgendaDoc:
    """Everything printed on the agenda, as plain values already formatted in Thai."""

    body_name: str
    code: str
    date_text: str
    venue: str | None
    online_url: str | None
    sections: tuple[DocSection, ...]


# --- public builders ---------------------------------------------------------------------------


def minutes_docx(doc: MinutesDoc) -> bytes:
    """Build the minutes in the official form (แบบที่ 11) and return the .docx file's bytes."""
    document = _new_document(title="รายงานการประชุม" + doc.body_name)
    _centred(document, "รายงานการประชุม" + doc.body_name)
    _centred(document, "ครั้งที่ " + doc.code)
    _centred(document, "เมื่อ" + doc.date_text)
    if doc.venue:
        _centred(document, "ณ " + doc.venue)

    _attendance(document, "ผู้มาประชุม", doc.present)
    _attendance(document, "ผู้ไม่มาประชุม", doc.absent)
    _attendance(document, "ผู้เข้าร่วมประชุม", doc.guests)

    if doc.opened_at:
        _paragraph(document, [("เริ่มประชุมเวลา " + doc.opened_at, False)], space_before=SECTION_GAP)

    for section in doc.sections:
        _section_heading(document, section)
        if not section.items:
            _none_line(document)
        for item in section.items:
            _item_heading(document, item)
            _html_paragraphs(document, item.discussion_html)
            if item.resolution:
                _paragraph(document, [("มติที่ประชุม", True), (" " + item.resolution, False)],
                           first_line=TEXT_INDENT)
            for action in item.actions:
                _paragraph(document, [(_action_text(action), False)], first_line=TEXT_INDENT)

    if doc.closed_at:
        _paragraph(document, [("เลิกประชุมเวลา " + doc.closed_at, False)], space_before=SECTION_GAP)

    _signature(document, doc.recorder, "ผู้จดรายงานการประชุม")
    if doc.checker:
        _signature(document, doc.checker, "ผู้ตรวจรายงานการประชุม")
    if doc.certified_note:
        _paragraph(document, [(doc.certified_note, False)], space_before=SECTION_GAP)
    return _to_bytes(document)


def agenda_docx(doc: AgendaDoc) -> bytes:
    """Build the agenda (ระเบียบวาระการประชุม) with each item's detail and return the .docx bytes."""
    document = _new_document(title="ระเบียบวาระการประชุม" + doc.body_name)
    _centred(document, "ระเบียบวาระการประชุม" + doc.body_name)
    _centred(document, "ครั้งที่ " + doc.code)
    _centred(document, doc.date_text)
    if doc.venue:
        _centred(document, "ณ " + doc.venue)
    if doc.online_url:
        _centred(document, "ประชุมผ่านสื่ออิเล็กทรอนิกส์ " + doc.online_url, bold=False)

    for section in doc.sections:
        _section_heading(document, section)
        if not section.items:
            _none_line(document)
        for item in section.items:
            _item_heading(document, item)
            _html_paragraphs(document, item.detail_html)
    return _to_bytes(document)


def html_to_paragraph_texts(html: str | None) -> list[str]:
    """Turn sanitised rich text into plain lines: p, br, headings, rows and li end a line; li gets "- ".

    Items of an ordered list are numbered "1. ", "2. " instead; a link keeps its address in brackets.
    """
    if not html or not html.strip():
        return []
    parser = _TextLines()
    parser.feed(html)
    parser.close()
    return parser.lines


# --- HTML to lines -----------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead",
                         "tbody", "tfoot", "tr", "ul", "ol", "li", "pre"})
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title"})
_COLLAPSIBLE_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # ASCII only: U+00A0 and Thai text are kept as given
_CELL_BREAK = "\x1f"  # between table cells; becomes a tab once spaces are collapsed
_LINK_START = "\x00"  # where a link's text starts, until the link is closed


class _TextLines(HTMLParser):
    """Collects the text of an HTML fragment line by line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._buffer: list[str] = []
        self._prefix = ""  # list marker waiting for the next non-empty line
        self._lists: list[list[int]] = []  # one counter per open list; -1 marks an unordered list
        self._cells_in_row = 0
        self._links: list[str | None] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a block, a list, a cell or a link."""
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self._flush()
        elif tag in ("td", "th"):
            if self._cells_in_row:
                self._buffer.append(_CELL_BREAK)
            self._cells_in_row += 1
        elif tag == "a":
            self._links.append(dict(attrs).get("href"))
            self._buffer.append(_LINK_START)
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "tr":
                self._cells_in_row = 0
            elif tag == "ul":
                self._lists.append([-1])
            elif tag == "ol":
                self._lists.append([0])
            elif tag == "li":
                self._prefix = self._list_marker()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Treat <br/> like <br>."""
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Close a block, a list or a link."""
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "a":
            self._close_link()
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("ul", "ol") and self._lists:
                self._lists.pop()
            elif tag == "li":
                self._prefix = ""

    def handle_data(self, data: str) -> None:
        """Keep text, except inside script or style."""
        if not self._skipping:
            self._buffer.append(data)

    def close(self) -> None:
        """Flush the last line."""
        super().close()
        self._flush()

    def _list_marker(self) -> str:
        """The marker of the next list item: "- " or its number, indented by nesting depth."""
        if not self._lists:
            return "- "
        counter = self._lists[-1]
        depth = "  " * (len(self._lists) - 1)
        if counter[0] < 0:
            return depth + "- "
        counter[0] += 1
        return f"{depth}{counter[0]}. "

    def _close_link(self) -> None:
        """Keep a link's text and add its address in brackets when the text is not the address."""
        href = self._links.pop() if self._links else None
        joined = "".join(self._buffer)
        start = joined.rfind(_LINK_START)
        before, text = (joined[:start], joined[start + 1:]) if start >= 0 else (joined, "")
        label = _COLLAPSIBLE_SPACE.sub(" ", text).strip()
        if href and href.strip() != label:
            text = f"{text} ({href.strip()})" if label else href.strip()
        self._buffer = [before, text]

    def _flush(self) -> None:
        """End the current line, dropping it when it holds only spaces."""
        joined = "".join(self._buffer).replace(_LINK_START, "")
        self._buffer = []
        line = _COLLAPSIBLE_SPACE.sub(" ", joined).strip(" \xa0" + _CELL_BREAK)
        line = re.sub(f" ?{_CELL_BREAK} ?", "\t", line)
        if line.strip():
            self.lines.append(self._prefix + line)
            self._prefix = ""


# --- writing the document ----------------------------------------------------------------------


def _new_document(title: str) -> DocxDocument:
    """An empty A4 document with the official margins and TH Sarabun New 16 pt as the default."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM

    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            _thai_font(r_pr)

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = FONT_SIZE
    _thai_font(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    document.core_properties.title = title
    document.core_properties.author = "Prachum"
    document.core_properties.comments = ""
    return document


def _thai_font(r_pr: CT_RPr) -> None:
    """Set the font and size on an rPr element for Latin, East Asian and complex-script (Thai) text."""
    fonts = r_pr.get_or_add_rFonts()
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)  # a theme font would win over the named one
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)

    size = r_pr.get_or_add_sz()
    size.set(qn("w:val"), FONT_HALF_POINTS)
    size_cs = r_pr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        size.addnext(size_cs)
    size_cs.set(qn("w:val"), FONT_HALF_POINTS)

    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:bidi"), BIDI_LANG)


def _paragraph(
    document: DocxDocument,
    runs: Iterable[tuple[str, bool]],
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    left: Length | None = None,
    first_line: Length | None = None,
    space_before: Length | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    """Add a paragraph of (text, bold) runs, each in the Thai official font."""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if left is not None:
        fmt.left_indent = left
    if first_line is not None:
        fmt.first_line_indent = first_line
    if space_before is not None:
        fmt.space_before = space_before
    if keep_with_next:
        fmt.keep_with_next = True
    for text, bold in runs:
        run = paragraph.add_run(_XML_ILLEGAL.sub("", text))
        run.font.name = FONT
        run.font.size = FONT_SIZE
        r_pr = run._element.get_or_add_rPr()
        if bold:
            run.bold = True
            r_pr.get_or_add_bCs()  # Thai text is bolded through w:bCs
        _thai_font(r_pr)
    return paragraph


def _centred(document: DocxDocument, text: str, *, bold: bool = True) -> Paragraph:
    """Add one centred header line."""
    return _paragraph(document, [(text, bold)], align=WD_ALIGN_PARAGRAPH.CENTER)


def _attendance(document: DocxDocument, label: str, people: tuple[Person, ...]) -> None:
    """Add a bold label and its numbered list "1. name<TAB>position note"; nothing for an empty list."""
    if not people:
        return
    _paragraph(document, [(label, True)], space_before=SECTION_GAP, keep_with_next=True)
    for number, person in enumerate(people, start=1):
        text = f"{number}. {person.name}"
        rest = " ".join(part for part in (person.position, person.note) if part)
        if rest:
            text += "\t" + rest
        paragraph = _paragraph(document, [(text, False)], left=NAME_INDENT, first_line=-NAME_INDENT)
        paragraph.paragraph_format.tab_stops.add_tab_stop(POSITION_TAB)


def _section_heading(document: DocxDocument, section: DocSection) -> None:
    """Add the bold line "ระเบียบวาระที่ N <title>"."""
    _paragraph(document, [(f"ระเบียบวาระที่ {section.number} {section.title}", True)],
               space_before=SECTION_GAP, keep_with_next=True)


def _item_heading(document: DocxDocument, item: DocItem) -> None:
    """Add the bold line "N.M <title>"."""
    _paragraph(document, [(f"{item.number} {item.title}", True)], left=ITEM_INDENT, keep_with_next=True)


def _none_line(document: DocxDocument) -> None:
    """Mark a section that has no items."""
    _paragraph(document, [(NONE_LINE, False)], align=WD_ALIGN_PARAGRAPH.CENTER)


def _html_paragraphs(document: DocxDocument, html: str | None) -> None:
    """Add rich text as body paragraphs, first line indented 2.5 cm, Thai-distributed."""
    for text in html_to_paragraph_texts(html):
        _paragraph(document, [(text, False)], first_line=TEXT_INDENT, align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY)


def _action_text(action: Action) -> str:
    """Render "มอบหมาย: <owner> — <description> (กำหนด <due>)", leaving out what is unknown."""
    text = "มอบหมาย: "
    if action.owner:
        text += f"{action.owner} — "
    text += action.description
    if action.due:
        text += f" (กำหนด {action.due})"
    return text


def _signature(document: DocxDocument, name: str | None, role: str) -> None:
    """Add a signature block in the right half: room to sign, "(name)", then the role."""
    lines = ["", f"({name})" if name else SIGNATURE_BLANK, role]
    for index, line in enumerate(lines):
        runs = [(line, False)] if line else []
        _paragraph(document, runs, align=WD_ALIGN_PARAGRAPH.CENTER, left=SIGNATURE_INDENT,
                   space_before=SECTION_GAP if index == 0 else None,
                   keep_with_next=index < len(lines) - 1)


def _to_bytes(document: DocxDocument) -> bytes:
    """Serialise the document."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
