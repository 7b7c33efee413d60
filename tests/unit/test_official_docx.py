"""app.official_docx: the documents are reopened with python-docx and checked paragraph by paragraph."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from app.official_docx import (
    Action,
    AgendaDoc,
    DocItem,
    DocSection,
    MinutesDoc,
    Person,
    agenda_docx,
    html_to_paragraph_texts,
    minutes_docx,
)

FONT = "TH Sarabun New"
BODY = "คณะทำงานติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564)"
CODE = "3/2563"
DATE = "วันศุกร์ที่ 26 มิถุนายน 2563"
VENUE = "ห้องประชุมจันทรเกษม ชั้น 1 อาคารราชวัลลภ กระทรวงศึกษาธิการ"
ZOOM = "https://zoom.us/j/95512345678"

CHAIR = Person("นายประเสริฐ ใจดี", "ผู้ช่วยปลัดกระทรวงศึกษาธิการ ประธานคณะทำงาน")
DELEGATE = Person("นางสาววรรณา สุขใจ", "นักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ",
                  "มาประชุมแทน ผู้อำนวยการสำนักนโยบายและยุทธศาสตร์")
SECRETARY = Person("นางสมใจ รักงาน", "ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร คณะทำงานและเลขานุการ")
ABSENT = Person("นายสมศักดิ์ มั่นคง", "ผู้อำนวยการสำนักนิติการ", "ติดราชการ")
GUEST = Person("นางมาลี ศรีสุข", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร")

REPORT_ITEM = DocItem(
    number="4.1",
    title="ผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลง รอบ 9 เดือน",
    detail_html="<p>หน่วยงานรายงานผลการดำเนินงาน 3 ประเด็นหลัก 13 ประเด็นย่อย</p>",
    discussion_html=(
        "<p>ฝ่ายเลขานุการ นำเสนอผลการดำเนินงานรอบ 9 เดือน</p>"
        "<p>ที่ประชุมมีข้อสังเกต<br>ควรเร่งรัดการพัฒนาฐานข้อมูล Big Data</p>"
    ),
    resolution="ที่ประชุมรับทราบ",
    actions=(Action("เสนอผลการดำเนินงานต่อคณะกรรมการนโยบายการกำกับองค์การที่ดี", "กลุ่มพัฒนาระบบบริหาร",
                    "31 กรกฎาคม 2563"),),
)
SECTIONS = (
    DocSection(1, "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", ()),
    DocSection(2, "เรื่องรับรองรายงานการประชุม", (
        DocItem("2.1", "รับรองรายงานการประชุม ครั้งที่ 2/2563", resolution="ที่ประชุมรับรองโดยไม่มีการแก้ไข"),
    )),
    DocSection(3, "เรื่องสืบเนื่องจากการประชุมครั้งก่อน", ()),
    DocSection(4, "เรื่องเพื่อทราบ", (REPORT_ITEM,)),
    DocSection(5, "เรื่องเพื่อพิจารณา", ()),
    DocSection(6, "เรื่องอื่น ๆ", ()),
)
MINUTES = MinutesDoc(
    body_name=BODY, code=CODE, date_text=DATE, venue=VENUE,
    present=(CHAIR, DELEGATE, SECRETARY), absent=(ABSENT,), guests=(GUEST,),
    opened_at="09.30 น.", closed_at="12.00 น.", sections=SECTIONS,
    recorder="นางสาวกานดา ตั้งใจ", checker="นางสมใจ รักงาน",
    certified_note="ที่ประชุมรับรองรายงานการประชุมแล้ว ในการประชุมครั้งที่ 4/2563",
)
AGENDA = AgendaDoc(body_name=BODY, code=CODE, date_text=DATE, venue=VENUE, online_url=ZOOM, sections=SECTIONS)


def reopen(data: bytes) -> docx.document.Document:
    """Parse the bytes back the way Word would receive them."""
    return docx.Document(io.BytesIO(data))


def texts(document) -> list[str]:
    """The text of every non-empty paragraph, in order."""
    return [p.text for p in document.paragraphs if p.text]


def paragraph(document, text: str):
    """The one paragraph whose text is exactly `text`."""
    found = [p for p in document.paragraphs if p.text == text]
    assert len(found) == 1, f"{text!r} found {len(found)} times"
    return found[0]


def lines_after(lines: list[str], label: str, count: int) -> list[str]:
    """The `count` lines that follow the line `label`."""
    start = lines.index(label) + 1
    return lines[start:start + count]


@pytest.fixture(scope="module")
def minutes():
    return reopen(minutes_docx(MINUTES))


@pytest.fixture(scope="module")
def agenda():
    return reopen(agenda_docx(AGENDA))


# --- minutes -----------------------------------------------------------------------------------


def test_minutes_header_is_centred_bold_and_in_the_official_order(minutes):
    assert texts(minutes)[:4] == ["รายงานการประชุม" + BODY, "ครั้งที่ " + CODE, "เมื่อ" + DATE, "ณ " + VENUE]
    heading = minutes.paragraphs[0]
    assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in heading.runs)
    for line in texts(minutes)[1:4]:
        assert paragraph(minutes, line).alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_minutes_fields_follow_the_official_order(minutes):
    lines = texts(minutes)
    order = ["ณ " + VENUE, "ผู้มาประชุม", "ผู้ไม่มาประชุม", "ผู้เข้าร่วมประชุม", "เริ่มประชุมเวลา 09.30 น.",
             "ระเบียบวาระที่ 1 เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "ระเบียบวาระที่ 6 เรื่องอื่น ๆ",
             "เลิกประชุมเวลา 12.00 น.", "ผู้จดรายงานการประชุม", "ผู้ตรวจรายงานการประชุม", MINUTES.certified_note]
    positions = [lines.index(line) for line in order]
    assert positions == sorted(positions)
    assert lines[-1] == MINUTES.certified_note


def test_present_members_are_numbered_with_position_and_delegate(minutes):
    assert lines_after(texts(minutes), "ผู้มาประชุม", 4) == [
        "1. นายประเสริฐ ใจดี\tผู้ช่วยปลัดกระทรวงศึกษาธิการ ประธานคณะทำงาน",
        "2. นางสาววรรณา สุขใจ\tนักวิเคราะห์นโยบายและแผนชำนาญการพิเศษ มาประชุมแทน ผู้อำนวยการสำนักนโยบายและยุทธศาสตร์",
        "3. นางสมใจ รักงาน\tผู้อำนวยการกลุ่มพัฒนาระบบบริหาร คณะทำงานและเลขานุการ",
        "ผู้ไม่มาประชุม",
    ]
    assert all(run.bold for run in paragraph(minutes, "ผู้มาประชุม").runs)


def test_absent_members_carry_their_reason_and_guests_are_numbered(minutes):
    lines = texts(minutes)
    assert lines_after(lines, "ผู้ไม่มาประชุม", 2) == [
        "1. นายสมศักดิ์ มั่นคง\tผู้อำนวยการสำนักนิติการ ติดราชการ", "ผู้เข้าร่วมประชุม"]
    assert lines_after(lines, "ผู้เข้าร่วมประชุม", 2) == [
        "1. นางมาลี ศรีสุข\tศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "เริ่มประชุมเวลา 09.30 น."]


def test_empty_attendance_lists_are_left_out():
    document = reopen(minutes_docx(replace(MINUTES, absent=(), guests=())))
    lines = texts(document)
    assert "ผู้ไม่มาประชุม" not in lines and "ผู้เข้าร่วมประชุม" not in lines
    assert lines_after(lines, "ผู้มาประชุม", 1) == ["1. นายประเสริฐ ใจดี\tผู้ช่วยปลัดกระทรวงศึกษาธิการ ประธานคณะทำงาน"]


def test_section_and_item_headings_are_bold_and_in_order(minutes):
    headings = [line for line in texts(minutes) if line.startswith("ระเบียบวาระที่ ")]
    assert headings == [f"ระเบียบวาระที่ {s.number} {s.title}" for s in SECTIONS]
    for line in headings + ["2.1 รับรองรายงานการประชุม ครั้งที่ 2/2563", "4.1 " + REPORT_ITEM.title]:
        assert all(run.bold for run in paragraph(minutes, line).runs), line


def test_item_discussion_resolution_and_action_follow_the_item_heading(minutes):
    assert lines_after(texts(minutes), "4.1 " + REPORT_ITEM.title, 4) == [
        "ฝ่ายเลขานุการ นำเสนอผลการดำเนินงานรอบ 9 เดือน",
        "ที่ประชุมมีข้อสังเกต\nควรเร่งรัดการพัฒนาฐานข้อมูล Big Data",  # <br>: a line break inside the paragraph
        "มติที่ประชุม ที่ประชุมรับทราบ",
        "มอบหมาย: กลุ่มพัฒนาระบบบริหาร — เสนอผลการดำเนินงานต่อคณะกรรมการนโยบายการกำกับองค์การที่ดี"
        " (กำหนด 31 กรกฎาคม 2563)",
    ]
    discussion = paragraph(minutes, "ฝ่ายเลขานุการ นำเสนอผลการดำเนินงานรอบ 9 เดือน")
    assert abs(discussion.paragraph_format.first_line_indent - Cm(2.5)) < Cm(0.01)


def test_minutes_print_the_discussion_not_the_agenda_detail(minutes):
    assert REPORT_ITEM.detail_html is not None
    assert "หน่วยงานรายงานผลการดำเนินงาน 3 ประเด็นหลัก 13 ประเด็นย่อย" not in texts(minutes)


def test_resolution_label_is_bold_and_its_text_is_not(minutes):
    label, text = paragraph(minutes, "มติที่ประชุม ที่ประชุมรับทราบ").runs
    assert (label.text, label.bold) == ("มติที่ประชุม", True)
    assert (text.text, bool(text.bold)) == (" ที่ประชุมรับทราบ", False)
    assert "มติที่ประชุม ที่ประชุมรับรองโดยไม่มีการแก้ไข" in texts(minutes)


def test_action_without_owner_or_due_leaves_them_out():
    item = replace(REPORT_ITEM, actions=(Action("จัดทำสรุปผล"),))
    section = DocSection(4, "เรื่องเพื่อทราบ", (item,))
    assert "มอบหมาย: จัดทำสรุปผล" in texts(reopen(minutes_docx(replace(MINUTES, sections=(section,)))))


def test_a_section_without_items_prints_none(minutes):
    lines = texts(minutes)
    for number, section in enumerate(SECTIONS, start=1):
        following = lines_after(lines, f"ระเบียบวาระที่ {number} {section.title}", 1)
        assert (following == ["- ไม่มี -"]) == (not section.items), section.title
    assert lines.count("- ไม่มี -") == 4


def test_closing_time_and_signature_blocks(minutes):
    lines = texts(minutes)
    assert lines_after(lines, "เลิกประชุมเวลา 12.00 น.", 4) == [
        "(นางสาวกานดา ตั้งใจ)", "ผู้จดรายงานการประชุม", "(นางสมใจ รักงาน)", "ผู้ตรวจรายงานการประชุม"]
    for line in ("(นางสาวกานดา ตั้งใจ)", "ผู้จดรายงานการประชุม", "ผู้ตรวจรายงานการประชุม"):
        signature = paragraph(minutes, line)
        assert signature.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert signature.paragraph_format.left_indent >= Cm(7), "the block sits in the right half"


def test_missing_checker_and_recorder():
    lines = texts(reopen(minutes_docx(replace(MINUTES, recorder=None, checker=None, certified_note=None))))
    assert "ผู้ตรวจรายงานการประชุม" not in lines
    assert lines[-1] == "ผู้จดรายงานการประชุม"
    assert lines[-2].startswith("(....") and lines[-2].endswith(")")


# --- agenda ------------------------------------------------------------------------------------


def test_agenda_header_and_online_line(agenda):
    assert texts(agenda)[:5] == [
        "ระเบียบวาระการประชุม" + BODY, "ครั้งที่ " + CODE, DATE, "ณ " + VENUE, "ประชุมผ่านสื่ออิเล็กทรอนิกส์ " + ZOOM]
    heading = agenda.paragraphs[0]
    assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in heading.runs)


def test_agenda_without_venue_or_link_leaves_both_lines_out():
    lines = texts(reopen(agenda_docx(replace(AGENDA, venue=None, online_url=None))))
    assert lines[3] == "ระเบียบวาระที่ 1 เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"
    assert not any(line.startswith(("ณ ", "ประชุมผ่านสื่ออิเล็กทรอนิกส์")) for line in lines)


def test_agenda_sections_items_and_details(agenda):
    lines = texts(agenda)
    assert [line for line in lines if line.startswith("ระเบียบวาระที่ ")] == [
        f"ระเบียบวาระที่ {s.number} {s.title}" for s in SECTIONS]
    assert lines_after(lines, "4.1 " + REPORT_ITEM.title, 2) == [
        "หน่วยงานรายงานผลการดำเนินงาน 3 ประเด็นหลัก 13 ประเด็นย่อย", "ระเบียบวาระที่ 5 เรื่องเพื่อพิจารณา"]
    assert lines_after(lines, "ระเบียบวาระที่ 1 เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", 1) == ["- ไม่มี -"]
    assert not any(line.startswith(("มติที่ประชุม", "มอบหมาย", "ฝ่ายเลขานุการ")) for line in lines)


# --- layout and fonts --------------------------------------------------------------------------


def all_runs(document):
    """Every run of the body, tables included."""
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return [run for p in paragraphs for run in p.runs]


@pytest.mark.parametrize("build", [lambda: minutes_docx(MINUTES), lambda: agenda_docx(AGENDA)],
                         ids=["minutes", "agenda"])
def test_every_run_is_th_sarabun_new_16pt_for_thai_text_too(build):
    runs = all_runs(reopen(build()))
    assert len(runs) > 15
    for run in runs:
        assert run.font.name == FONT, run.text
        assert run.font.size == Pt(16), run.text
        fonts = run._element.rPr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            assert fonts.get(qn(attr)) == FONT, (attr, run.text)
        assert run._element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32", run.text
        if run.bold:
            assert run._element.rPr.find(qn("w:bCs")) is not None, f"Thai bold needs w:bCs: {run.text}"


def test_normal_style_and_defaults_are_thai(minutes):
    normal = minutes.styles["Normal"]
    assert normal.font.name == FONT and normal.font.size == Pt(16)
    r_pr = normal.element.rPr
    fonts = r_pr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == FONT and fonts.get(qn("w:eastAsia")) == FONT
    assert r_pr.find(qn("w:szCs")).get(qn("w:val")) == "32"
    assert r_pr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    defaults = minutes.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:cstheme")) is None, "a theme font would override TH Sarabun"


@pytest.mark.parametrize("build", [lambda: minutes_docx(MINUTES), lambda: agenda_docx(AGENDA)],
                         ids=["minutes", "agenda"])
def test_page_is_a4_with_official_margins(build):
    section = reopen(build()).sections[0]
    expected = {"page_width": 21.0, "page_height": 29.7, "left_margin": 3, "right_margin": 2,
                "top_margin": 2.5, "bottom_margin": 2}
    for name, cm in expected.items():
        assert abs(getattr(section, name) - Cm(cm)) <= Cm(0.01), name


def test_control_characters_are_dropped_instead_of_breaking_the_file():
    data = minutes_docx(replace(MINUTES, certified_note="รับรอง\x0bแล้ว"))
    assert texts(reopen(data))[-1] == "รับรองแล้ว"


# --- rich text ---------------------------------------------------------------------------------


def test_html_paragraphs_breaks_and_list_items():
    assert html_to_paragraph_texts("<p>ก</p><p>ข<br>ค</p><ul><li>ง</li></ul>") == ["ก", "ข", "ค", "- ง"]


@pytest.mark.parametrize(("html", "expected"), [
    (None, []),
    ("   ", []),
    ("ข้อความ ไม่มีแท็ก", ["ข้อความ ไม่มีแท็ก"]),
    ("<p>ก  ข\n ค</p><p></p><p><br></p>", ["ก ข ค"]),
    ("<p><strong>สำคัญ</strong> มาก &amp; ด่วน</p>", ["สำคัญ มาก & ด่วน"]),
    ("<ol><li>หนึ่ง</li><li><p>สอง</p></li></ol>", ["1. หนึ่ง", "2. สอง"]),
    ("<ul><li>ก<ul><li>ย่อย</li></ul></li></ul>", ["- ก", "  - ย่อย"]),
    ('<p>ดู <a href="https://www.moe.go.th">เว็บไซต์</a></p>', ["ดู เว็บไซต์ (https://www.moe.go.th)"]),
    ('<p><a href="https://www.moe.go.th">https://www.moe.go.th</a></p>', ["https://www.moe.go.th"]),
    ("<table><tr><th>หน่วยงาน</th><th>ร้อยละ</th></tr><tr><td>สป.</td><td>75</td></tr></table>",
     ["หน่วยงาน\tร้อยละ", "สป.\t75"]),
])
def test_html_to_paragraph_texts(html, expected):
    assert html_to_paragraph_texts(html) == expected
