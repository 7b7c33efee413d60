"""Official Thai documents as DOCX: the minutes (ระเบียบงานสารบรรณ แบบที่ 11) and the agenda.

Pure module: plain dataclasses in, bytes out (no Flask, no database). Every run is written in
TH Sarabun New 16 pt with the complex-script font and size set too (w:cs, w:szCs), because Word
formats Thai text with those attributes and would otherwise fall back to another font.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from collections.abc import Iterable
from dataclasses import dataclass, replace

from docx import Document
from lxml import etree
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Cm, Length, Pt
from docx.text.paragraph import Paragraph

from app import richtext

__all__ = [
    "Action",
    "AgendaDoc",
    "DocItem",
    "DocSection",
    "FollowUp",
    "MinutesDoc",
    "Person",
    "agenda_docx",
    "html_to_paragraph_texts",
    "minutes_docx",
    "write_rich_text",
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
LIST_INDENT = Cm(0.75)  # each list level; the marker ("1.", "-") hangs in it

NONE_LINE = "- ไม่มี -"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML cannot hold
SIGNATURE_BLANK = "(" + "." * 40 + ")"


@dataclass(frozen=True)
class Person:
    """One line of an attendance list."""

    name: str
    position: str | None = None
    note: str | None = None  # "แทน <member> <position>" for a delegate, "(reason)" for an absence
    role: str | None = None  # the position in the body: ประธาน, คณะทำงานและเลขานุการ …


@dataclass(frozen=True)
class Action:
    """A task assigned by a resolution (มอบหมาย)."""

    description: str
    owner: str | None = None  # owner unit
    due: str | None = None  # already formatted the Thai way, e.g. "30 ก.ย. 2563"


@dataclass(frozen=True)
class FollowUp:
    """An action of an earlier meeting followed up in section 3 of the agenda (เรื่องสืบเนื่อง)."""

    description: str
    meeting: str  # "ครั้งที่ 3/2563"
    owner: str | None = None
    due: str | None = None  # already formatted the Thai way
    state: str | None = None  # e.g. "อยู่ระหว่างดำเนินการ"
    overdue: bool = False
    latest_note: str | None = None


@dataclass(frozen=True)
class DocItem:
    """One agenda item (4.1, 4.2 …) with what the minutes recorded about it."""

    number: str  # "4.1"
    title: str
    detail_html: str | None = None  # sanitised HTML: the agenda's detail
    discussion_html: str | None = None  # sanitised HTML: the minutes' discussion
    resolution: str | None = None  # มติที่ประชุม, e.g. "ที่ประชุมรับทราบ"
    actions: tuple[Action, ...] = ()
    papers: tuple[str, ...] = ()  # เอกสารประกอบวาระ: titles of the item's papers, in order


@dataclass(frozen=True)
class DocSection:
    """One of the agenda's sections (ระเบียบวาระที่ N)."""

    number: int
    title: str
    items: tuple[DocItem, ...]
    follow_ups: tuple[FollowUp, ...] = ()  # section 3 of an agenda: open actions of earlier meetings


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
    draft: bool = False  # "ร่าง" at the top of every page until the minutes are certified
    place: str | None = None  # the whole ณ line ("ณ ห้อง … และประชุมผ่านสื่ออิเล็กทรอนิกส์ (Zoom)"); else "ณ " + venue
    recorder_position: str | None = None
    checker_position: str | None = None
    thai_digits: bool = False  # page numbers "- ๒ -" (else "- 2 -")
    quorum: str | None = None  # "ครบองค์ประชุม" / "ไม่ครบองค์ประชุม", printed after เริ่มประชุมเวลา
    author: str | None = None  # the body's secretariat, in the file's properties


@dataclass(frozen=True)
class AgendaDoc:
    """Everything printed on the agenda, as plain values already formatted in Thai."""

    body_name: str
    code: str
    date_text: str
    venue: str | None
    online_url: str | None
    sections: tuple[DocSection, ...]
    thai_digits: bool = False  # page numbers "- ๒ -" (else "- 2 -")
    author: str | None = None  # the body's secretariat, in the file's properties


# --- public builders ---------------------------------------------------------------------------


def minutes_docx(doc: MinutesDoc) -> bytes:
    """Build the minutes in the official form (แบบที่ 11) and return the .docx file's bytes."""
    document = _new_document(title="รายงานการประชุม" + doc.body_name, author=doc.author)
    _page_header(document, thai_digits=doc.thai_digits, mark="ร่าง" if doc.draft else None)
    _centred(document, "รายงานการประชุม" + doc.body_name)
    _centred(document, "ครั้งที่ " + doc.code)
    _centred(document, "เมื่อ" + doc.date_text)
    if doc.place or doc.venue:
        _centred(document, doc.place or "ณ " + doc.venue)

    _attendance(document, "ผู้มาประชุม", doc.present)
    _attendance(document, "ผู้ไม่มาประชุม", doc.absent)
    _attendance(document, "ผู้เข้าร่วมประชุม", doc.guests)

    if doc.opened_at:
        _paragraph(document, [("เริ่มประชุมเวลา " + doc.opened_at, False)], space_before=SECTION_GAP)
    if doc.quorum:
        _paragraph(document, [(doc.quorum, False)], first_line=TEXT_INDENT)

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

    _signature(document, doc.recorder, "ผู้จดรายงานการประชุม", doc.recorder_position)
    if doc.checker:
        _signature(document, doc.checker, "ผู้ตรวจรายงานการประชุม", doc.checker_position)
    if doc.certified_note:
        _paragraph(document, [(doc.certified_note, False)], space_before=SECTION_GAP)
    return _to_bytes(document)


def agenda_docx(doc: AgendaDoc) -> bytes:
    """Build the agenda (ระเบียบวาระการประชุม) with each item's detail and return the .docx bytes."""
    document = _new_document(title="ระเบียบวาระการประชุม" + doc.body_name, author=doc.author)
    _page_header(document, thai_digits=doc.thai_digits)
    _centred(document, "ระเบียบวาระการประชุม" + doc.body_name)
    _centred(document, "ครั้งที่ " + doc.code)
    _centred(document, doc.date_text)
    if doc.venue:
        _centred(document, "ณ " + doc.venue)
    if doc.online_url:
        _centred(document, "ประชุมผ่านสื่ออิเล็กทรอนิกส์ " + doc.online_url, bold=False)

    for section in doc.sections:
        _section_heading(document, section)
        if not section.items and not section.follow_ups:
            _none_line(document)
        for item in section.items:
            _item_heading(document, item)
            _html_paragraphs(document, item.detail_html)
            _papers(document, item.papers)
        for number, follow_up in enumerate(section.follow_ups, start=1):
            _follow_up(document, number, follow_up)
    return _to_bytes(document)


def html_to_paragraph_texts(html: str | None) -> list[str]:
    """Rich or plain text as plain lines (app.richtext.text_lines): list items start with "1. " or "- "."""
    return richtext.text_lines(html)


# --- writing the document ----------------------------------------------------------------------


def _new_document(title: str, author: str | None = None) -> DocxDocument:
    """An empty A4 document with the official margins and TH Sarabun New 16 pt as the default; its properties say
    what it is, who wrote it (the body's secretariat) and when, and Word opens it in its current layout."""
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
    document.core_properties.author = author or "Prachum"
    document.core_properties.comments = ""
    document.core_properties.created = document.core_properties.modified = datetime.now(timezone.utc)
    document.core_properties.last_modified_by = author or "Prachum"
    _compatibility_mode(document, 15)
    _declare_font(document, FONT)
    return document


def _declare_font(document: DocxDocument, name: str) -> None:
    """Name the Thai font in the font table (charset DE: Thai), so Word and LibreOffice substitute a Thai-capable
    font where TH Sarabun New is not installed."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    table = etree.fromstring(part.blob)
    if any(font.get(qn("w:name")) == name for font in table.findall(qn("w:font"))):
        return
    font = etree.SubElement(table, qn("w:font"))
    font.set(qn("w:name"), name)
    for tag, value in (("w:charset", "DE"), ("w:family", "swiss"), ("w:pitch", "variable")):
        etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _compatibility_mode(document: DocxDocument, mode: int) -> None:
    """Word opens the file in its own current layout (15: Word 2013 and later), not in compatibility mode."""
    compat = document.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        document.settings.element.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    setting = OxmlElement("w:compatSetting")
    for name, value in (("name", "compatibilityMode"), ("uri", "http://schemas.microsoft.com/office/word"),
                        ("val", str(mode))):
        setting.set(qn(f"w:{name}"), value)
    compat.append(setting)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE …) whose result the reader's program computes."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _thai_font(run._r.get_or_add_rPr())
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text


def _page_header(document: DocxDocument, *, thai_digits: bool, mark: str | None = None) -> None:
    """The page number centred at the top from page 2 ("- ๒ -"), and a mark such as "ร่าง" on every page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    numbered = section.header.paragraphs[0]
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_run(numbered, richtext.Run("- "))
    _field(numbered, "PAGE \\* ThaiArabic" if thai_digits else "PAGE")
    _add_run(numbered, richtext.Run(" -"))
    if mark:
        for header in (section.first_page_header, section.header):
            paragraph = header.paragraphs[0] if header is section.first_page_header else header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_run(paragraph, richtext.Run(mark, bold=True))


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
        _add_run(paragraph, richtext.Run(text, bold=bold))
    return paragraph


def _add_run(paragraph: Paragraph, piece: richtext.Run) -> None:
    """Add one run in the Thai official font (bold and italic for Thai text too: w:bCs, w:iCs); BREAK breaks the line."""
    line_break = piece.text == richtext.BREAK
    run = paragraph.add_run("" if line_break else _XML_ILLEGAL.sub("", piece.text))
    if line_break:
        run.add_break()
    run.font.name = FONT
    run.font.size = FONT_SIZE
    r_pr = run._element.get_or_add_rPr()
    if piece.bold:
        run.bold = True
        r_pr.get_or_add_bCs()  # Thai text is bolded through w:bCs
    if piece.italic:
        run.italic = True
        r_pr.get_or_add_iCs()
    if piece.underline:
        run.underline = True
    if piece.strike:
        run.font.strike = True
    _thai_font(r_pr)


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
        rest = " ".join(part for part in (person.position, person.role, person.note) if part)
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


def _papers(document: DocxDocument, titles: tuple[str, ...]) -> None:
    """เอกสารประกอบวาระ: the item's papers, numbered."""
    if not titles:
        return
    _paragraph(document, [("เอกสารประกอบวาระ", True)], first_line=TEXT_INDENT, keep_with_next=True)
    for number, title in enumerate(titles, start=1):
        _paragraph(document, [(f"{number}. {title}", False)], first_line=TEXT_INDENT)


def _none_line(document: DocxDocument) -> None:
    """Mark a section that has no items."""
    _paragraph(document, [(NONE_LINE, False)], align=WD_ALIGN_PARAGRAPH.CENTER)


def _html_paragraphs(document: DocxDocument, html: str | None) -> None:
    """Add rich text as body paragraphs, first line indented 2.5 cm, Thai-distributed."""
    write_rich_text(document, html, left=None)


def write_rich_text(container, value: str | None, *, left: Length | None,
                    lead: Iterable[richtext.Run] = ()) -> int:
    """Add rich or plain text (app.richtext) to a document or cell, one Word paragraph per paragraph: bold,
    italic, underline and line breaks kept; list items numbered "1." or marked "-" with a hanging indent.

    Without `left`, a paragraph's first line is indented 2.5 cm (the official form); `lead` runs (a label)
    open the first paragraph. Returns how many paragraphs were added."""
    count = 0
    paragraphs = richtext.blocks(value)
    lead = tuple(lead)
    if lead and paragraphs and paragraphs[0].marker:  # a label stands above a list
        _paragraph(container, [(piece.text.rstrip(), piece.bold) for piece in lead], left=left, keep_with_next=True)
        lead = ()
    for block in paragraphs:
        paragraph = container.add_paragraph()
        fmt = paragraph.paragraph_format
        paragraph.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        base = left if left is not None else TEXT_INDENT
        if block.marker:
            fmt.left_indent = base + LIST_INDENT * block.level
            fmt.first_line_indent = -LIST_INDENT
            fmt.tab_stops.add_tab_stop(fmt.left_indent)
        elif left is None:
            fmt.first_line_indent = TEXT_INDENT
        else:
            fmt.left_indent = left
        pieces = [*(lead if count == 0 else ()), *block.runs]
        if block.marker:
            pieces.insert(0, richtext.Run(block.marker + "\t"))
        for piece in pieces:
            _add_run(paragraph, replace(piece, bold=piece.bold or block.heading))
        count += 1
    return count


def _action_text(action: Action) -> str:
    """Render "มอบหมาย: <owner> — <description> (กำหนด <due>)", leaving out what is unknown."""
    text = "มอบหมาย: "
    if action.owner:
        text += f"{action.owner} — "
    text += action.description
    if action.due:
        text += f" (กำหนด {action.due})"
    return text


def _follow_up(document: DocxDocument, number: int, follow_up: FollowUp) -> None:
    """Add "N) <description> (มอบหมายในการประชุม…)" and a line of owner, due date, state and the latest note."""
    _paragraph(document, [(f"{number}) {follow_up.description} (มอบหมายในการประชุม{follow_up.meeting})", False)],
               left=ITEM_INDENT, keep_with_next=True)
    facts = [f"หน่วยงานรับผิดชอบ: {follow_up.owner}" if follow_up.owner else None,
             f"กำหนด: {follow_up.due}" if follow_up.due else None,
             f"สถานะ: {follow_up.state}" if follow_up.state else None, "เกินกำหนด" if follow_up.overdue else None]
    _paragraph(document, [(" · ".join(f for f in facts if f), False)], left=TEXT_INDENT)
    if follow_up.latest_note:
        _paragraph(document, [("ความคืบหน้าล่าสุด: " + follow_up.latest_note, False)], left=TEXT_INDENT)


def _signature(document: DocxDocument, name: str | None, role: str, position: str | None = None) -> None:
    """Add a signature block in the right half: room to sign, "(name)", the position, then the role."""
    lines = ["", f"({name})" if name else SIGNATURE_BLANK, *([position] if position else []), role]
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


# the building blocks other official documents (the invitation letter) share with the agenda and minutes
new_official_document = _new_document
official_paragraph = _paragraph
to_bytes = _to_bytes
