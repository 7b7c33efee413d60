"""app.round_docx: the report is reopened with python-docx and checked paragraph by paragraph."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from app.rollup import SubItemShape, SubItemTally, ThemeShape, roll_up_plan
from app.round_docx import (
    TABLE_WIDTHS,
    RoundReportDoc,
    SubItemSection,
    ThemeSection,
    UnitParagraph,
    percent_text,
    round_report_docx,
    weight_text,
)

FONT = "TH Sarabun New"
STATUS = {"not_started": "ยังไม่เริ่ม", "on_track": "เป็นไปตามแผน", "at_risk": "มีความเสี่ยง",
          "delayed": "ล่าช้า", "completed": "แล้วเสร็จ"}
LABELS = {"result": "ผลการดำเนินงาน", "obstacles": "ปัญหาอุปสรรค", "suggestions": "ข้อเสนอแนะ",
          "percent": "ร้อยละ", "status": "สถานะ", "target": "เป้าหมาย", "none": "- ไม่มี -"}
HEADING = (
    "รายงานผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลง",
    "ข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564) ตามแผนปฏิรูปองค์การ สำนักงานปลัดกระทรวงศึกษาธิการ",
    "รอบ 9 เดือน (1 ตุลาคม 2562 – 30 มิถุนายน 2563)",
    "คณะทำงานติดตามผลการดำเนินงานตามข้อเสนอการเปลี่ยนแปลง",
)
BPS = UnitParagraph("สำนักนโยบายและยุทธศาสตร์", "เป็นไปตามแผน", 80, "ปรับปรุงคู่มือการปฏิบัติงานแล้ว 3 ฉบับ",
                    None, "ควรขยายผลไปยังหน่วยงานในภูมิภาค", submitted=True, verified=False)
OTEPC = UnitParagraph("สำนักงาน ก.ค.ศ.", "แล้วเสร็จ", 100, "ดำเนินการแล้วเสร็จ", "บุคลากรไม่เพียงพอ", None,
                      submitted=True)
ICT = UnitParagraph("ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "ยังไม่ส่งรายงาน", None, None, None, None,
                    submitted=False)


def report_doc() -> RoundReportDoc:
    """Two themes built from the roll-up: 1.1 (BPS, OTEPC), 1.2 (no unit), 2.1 (ICT missing)."""
    plan = roll_up_plan(
        1, HEADING[1],
        (ThemeShape(1, "การปรับกระบวนการ ขั้นตอนการทำงาน", 1,
                    (SubItemShape(11, "ลดขั้นตอนการอนุมัติ"), SubItemShape(12, "ทบทวนกฎระเบียบ"))),
         ThemeShape(2, "การพัฒนาฐานข้อมูล Big Data ของกระทรวง", 1, (SubItemShape(21, "ฐานข้อมูลกลาง"),))),
        {11: SubItemTally(expected=2, received=2, accepted=1, percent_sum=180, worst_received="on_track"),
         21: SubItemTally(expected=1)},
        past_due=True,
    )
    theme_1, theme_2 = plan.children
    return RoundReportDoc(
        heading=HEADING,
        summary=f"ภาพรวมความก้าวหน้าร้อยละ {plan.percent_rounded:.2f} สถานะ{STATUS[plan.status]} "
                f"ส่งรายงานแล้ว {plan.counts.submitted} จาก {plan.counts.expected} รายงาน",
        table_headers=("ข้อ", "ประเด็น", "น้ำหนัก", "ร้อยละ", "สถานะ", "รายงานที่ส่ง"),
        themes=(
            ThemeSection(1, theme_1.title, theme_1.percent_rounded, STATUS[theme_1.status], (
                SubItemSection("1.1", theme_1.children[0].title, "ลดระยะเวลาการอนุมัติลงร้อยละ 30",
                               theme_1.children[0].percent_rounded, STATUS[theme_1.children[0].status],
                               (BPS, OTEPC), weight="2"),
                SubItemSection("1.2", theme_1.children[1].title, None, theme_1.children[1].percent_rounded,
                               STATUS[theme_1.children[1].status], ()),
            )),
            ThemeSection(2, theme_2.title, theme_2.percent_rounded, STATUS[theme_2.status], (
                SubItemSection("2.1", theme_2.children[0].title, "ระบบฐานข้อมูลกลาง 1 ระบบ",
                               theme_2.children[0].percent_rounded, STATUS[theme_2.children[0].status], (ICT,)),
            )),
        ),
        labels=LABELS,
        as_of="ข้อมูล ณ วันที่ 3 ธันวาคม 2569",
        legend_title="คำอธิบาย",
        legend=(("ล่าช้า", "ดำเนินการช้ากว่าแผน"), ("ยังไม่ตรวจสอบ", "ส่งแล้ว ฝ่ายเลขานุการยังไม่รับรายงาน")),
    )


def open_docx(doc: RoundReportDoc):
    """Build the report and reopen it."""
    return docx.Document(io.BytesIO(round_report_docx(doc)))


def texts(document) -> list[str]:
    """The body paragraphs' texts, in order."""
    return [p.text for p in document.paragraphs]


def all_runs(document):
    """Every run of the body and of every table cell."""
    yield from (run for p in document.paragraphs for run in p.runs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from (run for p in cell.paragraphs for run in p.runs)


def test_every_run_is_in_the_thai_official_font_with_complex_script_attributes():
    document = open_docx(report_doc())
    runs = list(all_runs(document))
    assert len(runs) > 40
    titles = {id(run._element) for p in document.paragraphs[:len(HEADING)] for run in p.runs}
    for run in runs:
        r_pr = run._element.rPr
        fonts = r_pr.rFonts
        assert fonts.get(qn("w:ascii")) == FONT and fonts.get(qn("w:cs")) == FONT
        size = "32" if id(run._element) in titles else "28"  # title lines 16 pt, the rest 14 pt
        assert r_pr.find(qn("w:sz")).get(qn("w:val")) == size, run.text
        assert r_pr.find(qn("w:szCs")).get(qn("w:val")) == size, run.text
    table_runs = [run for cell in document.tables[0]._cells for p in cell.paragraphs for run in p.runs]
    assert len(table_runs) == 6 * 6
    assert all(run._element.rPr.rFonts.get(qn("w:cs")) == FONT for run in table_runs)


def test_the_table_grid_matches_its_cells_in_a_fixed_layout_with_a_repeated_header():
    table = open_docx(report_doc()).tables[0]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
    assert grid == [width.twips for width in TABLE_WIDTHS]
    assert sum(grid) <= 9072  # 16 cm between the margins
    for row in table.rows:
        assert [int(cell._tc.tcPr.tcW.get(qn("w:w"))) for cell in row.cells] == grid
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


def test_one_way_of_writing_percents_and_weights():
    assert [percent_text(v) for v in (85, 85.5, 0, 100.0)] == ["85.00", "85.50", "0.00", "100.00"]
    assert [weight_text(v) for v in (1, "2.000", 1.5, 0.25)] == ["1", "2", "1.5", "0.25"]


def test_page_is_a4_with_official_margins():
    section = open_docx(report_doc()).sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21, 29.7), abs=0.01)
    assert (section.left_margin.cm, section.right_margin.cm) == pytest.approx((3, 2), abs=0.01)


def test_heading_lines_are_centred_bold_and_first():
    document = open_docx(report_doc())
    paragraphs = document.paragraphs[:4]
    assert [p.text for p in paragraphs] == list(HEADING)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.runs[0].bold for p in paragraphs)
    assert document.paragraphs[4].text == "ข้อมูล ณ วันที่ 3 ธันวาคม 2569"
    assert document.paragraphs[4].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert document.paragraphs[5].text == "ภาพรวมความก้าวหน้าร้อยละ 22.50 สถานะยังไม่เริ่ม ส่งรายงานแล้ว 2 จาก 3 รายงาน"
    assert document.core_properties.title == HEADING[0]


def test_summary_table_has_one_row_per_theme_and_sub_item():
    document = open_docx(report_doc())
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["ข้อ", "ประเด็น", "น้ำหนัก", "ร้อยละ", "สถานะ", "รายงานที่ส่ง"],
        ["1", "การปรับกระบวนการ ขั้นตอนการทำงาน", "1", "45.00", "ยังไม่เริ่ม", "2/2"],
        ["1.1", "ลดขั้นตอนการอนุมัติ", "2", "90.00", "เป็นไปตามแผน", "2/2"],
        ["1.2", "ทบทวนกฎระเบียบ", "1", "0.00", "ยังไม่เริ่ม", "0/0"],
        ["2", "การพัฒนาฐานข้อมูล Big Data ของกระทรวง", "1", "0.00", "ยังไม่เริ่ม", "0/1"],
        ["2.1", "ฐานข้อมูลกลาง", "1", "0.00", "ยังไม่เริ่ม", "0/1"],
    ]
    assert all(len(cell.paragraphs) == 1 for row in table.rows for cell in row.cells)
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold
    assert not table.rows[2].cells[1].paragraphs[0].runs[0].bold
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_themes_sub_items_and_units_come_in_order_with_their_texts():
    lines = texts(open_docx(report_doc()))
    order = [
        "1. การปรับกระบวนการ ขั้นตอนการทำงาน  ร้อยละ 45.00  ยังไม่เริ่ม",
        "1.1 ลดขั้นตอนการอนุมัติ  ร้อยละ 90.00  เป็นไปตามแผน",
        "เป้าหมาย: ลดระยะเวลาการอนุมัติลงร้อยละ 30",
        "สำนักนโยบายและยุทธศาสตร์  เป็นไปตามแผน  ร้อยละ 80.00  (ยังไม่ตรวจสอบ)",
        "ผลการดำเนินงาน: ปรับปรุงคู่มือการปฏิบัติงานแล้ว 3 ฉบับ",
        "ข้อเสนอแนะ: ควรขยายผลไปยังหน่วยงานในภูมิภาค",
        "สำนักงาน ก.ค.ศ.  แล้วเสร็จ  ร้อยละ 100.00",
        "ผลการดำเนินงาน: ดำเนินการแล้วเสร็จ",
        "ปัญหาอุปสรรค: บุคลากรไม่เพียงพอ",
        "1.2 ทบทวนกฎระเบียบ  ร้อยละ 0.00  ยังไม่เริ่ม",
        "เป้าหมาย: - ไม่มี -",
        "- ไม่มี -",
        "2. การพัฒนาฐานข้อมูล Big Data ของกระทรวง  ร้อยละ 0.00  ยังไม่เริ่ม",
        "2.1 ฐานข้อมูลกลาง  ร้อยละ 0.00  ยังไม่เริ่ม",
        "เป้าหมาย: ระบบฐานข้อมูลกลาง 1 ระบบ",
        "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร  ยังไม่ส่งรายงาน",
    ]
    start = lines.index(order[0])
    assert lines[start:] == order


def test_headings_are_bold_and_kept_with_what_follows():
    document = open_docx(report_doc())
    by_text = {p.text: p for p in document.paragraphs}
    for heading in ("1. การปรับกระบวนการ ขั้นตอนการทำงาน", "1.1 ลดขั้นตอนการอนุมัติ"):
        paragraph = next(p for text, p in by_text.items() if text.startswith(heading + " "))
        assert paragraph.runs[0].bold and not paragraph.runs[1].bold and paragraph.paragraph_format.keep_with_next
        if heading.startswith("1.1"):
            assert paragraph.paragraph_format.left_indent.cm == pytest.approx(1.25, abs=0.01)


def test_the_legend_follows_the_table_and_a_delivered_report_not_yet_accepted_is_marked():
    lines = texts(open_docx(report_doc()))
    assert "คำอธิบาย: ล่าช้า – ดำเนินการช้ากว่าแผน; ยังไม่ตรวจสอบ – ส่งแล้ว ฝ่ายเลขานุการยังไม่รับรายงาน" in lines
    assert [line for line in lines if "(ยังไม่ตรวจสอบ)" in line] == [
        "สำนักนโยบายและยุทธศาสตร์  เป็นไปตามแผน  ร้อยละ 80.00  (ยังไม่ตรวจสอบ)"]


def test_labels_come_from_the_caller():
    english = {"result": "Result", "obstacles": "Obstacles", "suggestions": "Suggestions", "percent": "Percent",
               "status": "Status", "target": "Target", "none": "- none -", "unverified": "(not verified)"}
    lines = texts(open_docx(replace(report_doc(), labels=english)))
    assert "Target: - none -" in lines
    assert "Obstacles: บุคลากรไม่เพียงพอ" in lines
    assert "1.1 ลดขั้นตอนการอนุมัติ  Percent 90.00  เป็นไปตามแผน" in lines
    assert "สำนักนโยบายและยุทธศาสตร์  เป็นไปตามแผน  Percent 80.00  (not verified)" in lines


def test_a_report_without_themes_has_no_table():
    document = open_docx(replace(report_doc(), themes=()))
    assert document.tables == []
    assert texts(document)[:4] == list(HEADING)


def test_summary_table_needs_six_headers():
    with pytest.raises(ValueError):
        round_report_docx(replace(report_doc(), table_headers=("ข้อ", "ประเด็น")))
