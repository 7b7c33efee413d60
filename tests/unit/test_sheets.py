"""app.reports.sheets: workbooks are reopened with openpyxl and checked cell by cell."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from app.reports.sheets import (
    PLAN_HEADERS,
    PlanRow,
    PlanSheet,
    ReportLine,
    RoundSheetText,
    SheetError,
    plan_from_xlsx,
    plan_to_xlsx,
    round_to_xlsx,
)
from app.rollup import SubItemShape, SubItemTally, ThemeShape, roll_up_plan
from app.sheet_style import BE_DATE_FORMAT

PLAN_TITLE = ("ข้อเสนอการเปลี่ยนแปลงในระยะ 3 ปี (พ.ศ. 2562–2564) ตามแผนปฏิรูปองค์การ "
              "สำนักงานปลัดกระทรวงศึกษาธิการ")
THEME_1 = "การปรับกระบวนการ ขั้นตอนการทำงาน"
THEME_2 = "การพัฒนาฐานข้อมูล Big Data ของกระทรวง"
THEME_3 = "การเปิดโอกาสทุกภาคส่วนให้มีส่วนร่วมและการกระจายอำนาจการตัดสินใจสู่ระดับการปฏิบัติ"


def plan_row(theme: int, sub_item: int, **changes) -> PlanRow:
    """A sub-item of the demo plan; themes 1–3 keep their titles and weights."""
    titles = {1: THEME_1, 2: THEME_2, 3: THEME_3}
    weights = {1: Decimal("1"), 2: Decimal("1.5"), 3: Decimal("0.125")}
    row = PlanRow(
        theme_number=theme, theme_title=titles[theme], theme_weight=weights[theme],
        sub_item_number=sub_item, sub_item_title=f"ประเด็นย่อยที่ {theme}.{sub_item} ลดขั้นตอนการอนุมัติ",
        outputs="คู่มือการปฏิบัติงานฉบับปรับปรุง", target="ลดระยะเวลาการอนุมัติลงร้อยละ 30",
        target_value=Decimal("30"), target_unit="ร้อยละ", weight=Decimal("1"), unit_codes=("BPS",),
    )
    return replace(row, **changes)


PLAN = PlanSheet(
    title=PLAN_TITLE, start_year_be=2562, end_year_be=2564,
    rows=(
        plan_row(1, 1),
        plan_row(1, 2, outputs=None, target=None, target_value=None, target_unit=None, weight=Decimal("2.5")),
        plan_row(2, 1, target="ระบบฐานข้อมูลกลาง 1 ระบบ", target_value=Decimal("1"), target_unit="ระบบ",
                 unit_codes=("ICT", "BPS")),
        plan_row(2, 2, target_value=Decimal("1234567.89"), weight=Decimal("0.333")),
        plan_row(3, 10, unit_codes=("OTEPC", "ONIE", "OPEC")),
    ),
)


def sheet_bytes(rows: list[list], *, title="แผนทดสอบ", start=2562, end=2564, headers=PLAN_HEADERS,
                sheet_name="แผน") -> bytes:
    """A hand-made workbook in the plan layout: data rows from row 6."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet["A1"], sheet["B1"] = "ชื่อแผน", title
    sheet["A2"], sheet["B2"] = "ปี พ.ศ. เริ่มต้น", start
    sheet["A3"], sheet["B3"] = "ปี พ.ศ. สิ้นสุด", end
    for column, header in enumerate(headers, start=1):
        sheet.cell(5, column, header)
    for number, values in enumerate(rows, start=6):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good(theme=1, theme_title="ประเด็น ก", theme_weight=None, sub=1, title="ย่อย ก", outputs=None, target=None,
         target_value=None, target_unit=None, weight=None, units="BPS") -> list:
    """One valid data row as a list of cell values."""
    return [theme, theme_title, theme_weight, sub, title, outputs, target, target_value, target_unit, weight, units]


def problems_of(data: bytes) -> list[str]:
    """The problems plan_from_xlsx reports for a workbook."""
    with pytest.raises(SheetError) as caught:
        plan_from_xlsx(data)
    return caught.value.problems


# --- plan export and import --------------------------------------------------------------------


def test_plan_round_trips_exactly():
    assert plan_from_xlsx(plan_to_xlsx(PLAN)) == PLAN


def test_plan_export_follows_the_documented_layout():
    sheet = load_workbook(io.BytesIO(plan_to_xlsx(PLAN))).worksheets[0]
    assert sheet.title == "แผน"
    assert [[sheet.cell(r, c).value for c in (1, 2)] for r in (1, 2, 3)] == [
        ["ชื่อแผน", PLAN_TITLE], ["ปี พ.ศ. เริ่มต้น", 2562], ["ปี พ.ศ. สิ้นสุด", 2564],
    ]
    assert tuple(cell.value for cell in sheet[5]) == PLAN_HEADERS
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.freeze_panes == "A6"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["D"].width
    assert [cell.value for cell in sheet[8]] == [
        2, THEME_2, 1.5, 1, "ประเด็นย่อยที่ 2.1 ลดขั้นตอนการอนุมัติ", "คู่มือการปฏิบัติงานฉบับปรับปรุง",
        "ระบบฐานข้อมูลกลาง 1 ระบบ", 1, "ระบบ", 1, "ICT, BPS",
    ]
    assert sheet.cell(7, 6).value is None  # outputs left blank
    assert sheet.max_row == 10


def test_theme_given_once_dotted_numbers_and_defaults_are_read():
    data = sheet_bytes([
        [1, "ประเด็น ก", 2, 1, "ย่อย 1.1", None, None, "1,000", "แห่ง", None, "bps, ict  opec"],
        [None, None, None, "1.2", "ย่อย 1.2", None, None, None, None, 0.5, "BPS;BPS"],
        [],
        [None, "ประเด็น ข", None, 2.3, "ย่อย 2.3", None, None, "๒๕", None, "3", " ict "],
        [None, None, None, "๒.๔", "ย่อย 2.4", None, None, None, None, None, "ICT"],
    ])
    plan = plan_from_xlsx(data)
    assert (plan.title, plan.start_year_be, plan.end_year_be) == ("แผนทดสอบ", 2562, 2564)
    assert [(r.theme_number, r.sub_item_number, r.theme_title, r.theme_weight) for r in plan.rows] == [
        (1, 1, "ประเด็น ก", 2), (1, 2, "ประเด็น ก", 2), (2, 3, "ประเด็น ข", 1), (2, 4, "ประเด็น ข", 1),
    ]
    assert [r.unit_codes for r in plan.rows] == [("BPS", "ICT", "OPEC"), ("BPS",), ("ICT",), ("ICT",)]
    assert [r.weight for r in plan.rows] == [1, Decimal("0.5"), 3, 1]
    assert [r.target_value for r in plan.rows] == [1000, None, 25, None]
    assert plan.rows[0].target_unit == "แห่ง"
    assert plan.rows[0].outputs is None


def test_a_sheet_with_another_name_is_read_when_no_sheet_is_called_plan():
    plan = plan_from_xlsx(sheet_bytes([good()], sheet_name="Plan"))
    assert plan.rows[0].sub_item_title == "ย่อย ก"


def test_theme_title_given_on_a_later_row_of_the_theme_is_used():
    plan = plan_from_xlsx(sheet_bytes([good(theme_title=None), good(sub=2, theme_title="ประเด็น ก")]))
    assert {r.theme_title for r in plan.rows} == {"ประเด็น ก"}


# --- plan import: every problem named by row and column ----------------------------------------


@pytest.mark.parametrize("weight", [0, -1, "หนึ่ง", True])
def test_bad_weight(weight):
    assert problems_of(sheet_bytes([good(weight=weight)])) == [
        "แถว 6 คอลัมน์ น้ำหนัก: ต้องเป็นตัวเลขมากกว่า 0",
    ]


def test_bad_theme_weight_and_too_many_decimals():
    assert problems_of(sheet_bytes([good(theme_weight=-2), good(sub=2, weight="0.0001")])) == [
        "แถว 6 คอลัมน์ น้ำหนักประเด็นหลัก: ต้องเป็นตัวเลขมากกว่า 0",
        "แถว 7 คอลัมน์ น้ำหนัก: ทศนิยมได้ไม่เกิน 3 ตำแหน่ง",
    ]


@pytest.mark.parametrize("title", [None, "   "])
def test_missing_title(title):
    assert problems_of(sheet_bytes([good()], title=title)) == ["แถว 1 คอลัมน์ ชื่อแผน: ต้องระบุ"]


@pytest.mark.parametrize(("start", "end", "expected"), [
    (None, 2564, ["แถว 2 คอลัมน์ ปี พ.ศ. เริ่มต้น: ต้องระบุ"]),
    (2019, 2564, ["แถว 2 คอลัมน์ ปี พ.ศ. เริ่มต้น: ต้องเป็นปี พ.ศ. (จำนวนเต็ม 2400–2700)"]),
    (2562, "2564.5", ["แถว 3 คอลัมน์ ปี พ.ศ. สิ้นสุด: ต้องเป็นปี พ.ศ. (จำนวนเต็ม 2400–2700)"]),
    (2564, 2562, ["แถว 3 คอลัมน์ ปี พ.ศ. สิ้นสุด: ต้องไม่น้อยกว่าปี พ.ศ. เริ่มต้น"]),
])
def test_bad_years(start, end, expected):
    assert problems_of(sheet_bytes([good()], start=start, end=end)) == expected


def test_years_written_as_text_are_read():
    plan = plan_from_xlsx(sheet_bytes([good()], start="๒๕๖๒", end=" 2564 "))
    assert (plan.start_year_be, plan.end_year_be) == (2562, 2564)


def test_duplicate_sub_item():
    data = sheet_bytes([good(), good(sub=2), good(theme=None, theme_title=None, sub="1.1")])
    assert problems_of(data) == ["แถว 8 คอลัมน์ ประเด็นย่อย: ประเด็นย่อย 1.1 ซ้ำกับแถว 6"]


@pytest.mark.parametrize("value", ["ประมาณ 30", "1..2", "NaN"])
def test_non_numeric_target_value(value):
    assert problems_of(sheet_bytes([good(target_value=value)])) == [
        "แถว 6 คอลัมน์ ค่าเป้าหมาย: ต้องเป็นตัวเลข",
    ]


@pytest.mark.parametrize("data", [
    b"",
    b"not a spreadsheet at all",
    "ข้อความภาษาไทย".encode(),
])
def test_unreadable_bytes(data):
    assert problems_of(data) == ["ไม่สามารถอ่านไฟล์ได้: ต้องเป็นไฟล์ Excel (.xlsx)"]


def test_a_zip_that_is_not_a_workbook_is_unreadable():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(buffer.getvalue()) == ["ไม่สามารถอ่านไฟล์ได้: ต้องเป็นไฟล์ Excel (.xlsx)"]


def test_no_data_rows():
    assert problems_of(sheet_bytes([[], [None, "  "]])) == ["ไม่พบประเด็นย่อย: ต้องมีอย่างน้อย 1 แถว ตั้งแต่แถว 6"]


def test_headers_must_match_the_layout():
    headers = list(PLAN_HEADERS)
    headers[9] = "Weight"
    assert problems_of(sheet_bytes([good()], headers=headers)) == ["แถว 5 คอลัมน์ J: หัวตารางต้องเป็น \"น้ำหนัก\""]


def test_numbers_and_required_cells_of_a_row():
    data = sheet_bytes([
        good(theme=0, sub="x", title=None, units=" , "),
        [None, None, None, 1, "ย่อย", None, None, None, None, None, "BPS"],
    ])
    assert problems_of(data) == [
        "แถว 6 คอลัมน์ ประเด็นหลัก: ต้องเป็นจำนวนเต็มมากกว่า 0",
        "แถว 6 คอลัมน์ ประเด็นย่อย: ต้องเป็นจำนวนเต็มมากกว่า 0 หรือเขียนแบบ 2.3",
        "แถว 6 คอลัมน์ ชื่อประเด็นย่อย: ต้องระบุ",
        "แถว 6 คอลัมน์ หน่วยงานรับผิดชอบ: ต้องระบุรหัสหน่วยงานอย่างน้อย 1 หน่วยงาน",
        "แถว 7 คอลัมน์ ประเด็นหลัก: ต้องระบุ",
    ]


def test_theme_title_and_weight_must_agree_and_exist():
    data = sheet_bytes([
        good(theme_weight=2),
        good(sub=2, theme_title="ชื่ออื่น", theme_weight=3),
        good(theme=2, theme_title=None),
        good(theme=None, theme_title=None, sub="3.1"),
        good(theme=1, theme_title=None, sub="2.5"),
    ])
    assert problems_of(data) == [
        "แถว 7 คอลัมน์ ชื่อประเด็นหลัก: ไม่ตรงกับแถว 6 ของประเด็นหลัก 1",
        "แถว 7 คอลัมน์ น้ำหนักประเด็นหลัก: ไม่ตรงกับแถว 6 ของประเด็นหลัก 1",
        "แถว 10 คอลัมน์ ประเด็นย่อย: ประเด็นย่อย 2.5 ไม่อยู่ในประเด็นหลัก 1",
        "แถว 8 คอลัมน์ ชื่อประเด็นหลัก: ต้องระบุชื่อของประเด็นหลัก 2",
        "แถว 9 คอลัมน์ ชื่อประเด็นหลัก: ต้องระบุชื่อของประเด็นหลัก 3",
    ]


def test_too_long_texts():
    data = sheet_bytes([good(title="ก" * 501, target_unit="หน่วย" * 11)], title="ข" * 501)
    assert problems_of(data) == [
        "แถว 1 คอลัมน์ ชื่อแผน: ยาวได้ไม่เกิน 500 ตัวอักษร",
        "แถว 6 คอลัมน์ ชื่อประเด็นย่อย: ยาวได้ไม่เกิน 500 ตัวอักษร",
        "แถว 6 คอลัมน์ หน่วยนับ: ยาวได้ไม่เกิน 50 ตัวอักษร",
    ]


def test_every_problem_is_reported_at_once():
    data = sheet_bytes([good(weight=0), good(sub=1, target_value="?")], title=None, start=None)
    error = pytest.raises(SheetError, plan_from_xlsx, data).value
    assert error.problems == [
        "แถว 1 คอลัมน์ ชื่อแผน: ต้องระบุ",
        "แถว 2 คอลัมน์ ปี พ.ศ. เริ่มต้น: ต้องระบุ",
        "แถว 6 คอลัมน์ น้ำหนัก: ต้องเป็นตัวเลขมากกว่า 0",
        "แถว 7 คอลัมน์ ค่าเป้าหมาย: ต้องเป็นตัวเลข",
        "แถว 7 คอลัมน์ ประเด็นย่อย: ประเด็นย่อย 1.1 ซ้ำกับแถว 6",
    ]
    assert "แถว 1 คอลัมน์ ชื่อแผน: ต้องระบุ" in str(error)


# --- a round's workbook ------------------------------------------------------------------------

STATUS_LABELS = {"not_started": "ยังไม่เริ่ม", "on_track": "เป็นไปตามแผน", "at_risk": "มีความเสี่ยง",
                 "delayed": "ล่าช้า", "completed": "แล้วเสร็จ"}
TEXT = RoundSheetText(
    title="รายงานความก้าวหน้า รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563",
    report_headers=("รหัสหน่วยงาน", "หน่วยงาน", "ประเด็นย่อย", "ชื่อประเด็นย่อย", "สถานะ", "ร้อยละ", "ผลที่ได้",
                    "ผลการดำเนินงาน", "ปัญหาอุปสรรค", "ข้อเสนอแนะ", "สถานะการส่ง", "วันที่ส่ง", "ล่าช้า"),
    rollup_headers=("ระดับ", "รายการ", "น้ำหนัก", "ร้อยละ", "สถานะ", "ที่ต้องส่ง", "ส่งแล้ว", "รับแล้ว",
                    "ยังไม่ส่ง", "ล่าช้า"),
    report_sheet="รายงาน", rollup_sheet="สรุปภาพรวม",
    level_names=("แผน", "ประเด็นหลัก", "ประเด็นย่อย"), yes="ล่าช้า",
)
LINES = (
    ReportLine("BPS", "สำนักนโยบายและยุทธศาสตร์", "1.1", "ลดขั้นตอนการอนุมัติ", "เป็นไปตามแผน", 75,
               Decimal("22.50"), "ปรับคู่มือแล้ว 3 ฉบับ", None, "ควรขยายผล", "รับรายงานแล้ว", date(2020, 6, 30), False),
    ReportLine("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "2.1", "ฐานข้อมูลกลาง", None, None, None, None, None,
               None, "ยังไม่ส่ง", None, True),
)


def figure():
    """The roll-up of a two-theme plan: 1.1 and 1.2 under theme 1 (weight 2), 2.1 under theme 2."""
    themes = (
        ThemeShape(1, "1 " + THEME_1, Decimal(2), (SubItemShape(11, "1.1 ลดขั้นตอน"),
                                                  SubItemShape(12, "1.2 คู่มือ", Decimal("1.5")))),
        ThemeShape(2, "2 " + THEME_2, 1, (SubItemShape(21, "2.1 ฐานข้อมูลกลาง"),)),
    )
    tallies = {
        11: SubItemTally(expected=2, received=2, accepted=1, percent_sum=150, late_received=1,
                         worst_received="on_track"),
        12: SubItemTally(expected=1, received=1, accepted=1, percent_sum=100, worst_received="completed"),
        21: SubItemTally(expected=3, received=1, percent_sum=40, worst_received="at_risk"),
    }
    return roll_up_plan(7, PLAN_TITLE, themes, tallies, past_due=True)


def round_workbook():
    """The round's workbook, reopened."""
    return load_workbook(io.BytesIO(round_to_xlsx(TEXT, LINES, figure(), STATUS_LABELS)))


def test_round_report_sheet_holds_one_row_per_expected_report():
    workbook = round_workbook()
    assert workbook.sheetnames == ["รายงาน", "สรุปภาพรวม"]
    sheet = workbook["รายงาน"]
    assert sheet["A1"].value == TEXT.title
    assert tuple(cell.value for cell in sheet[3]) == TEXT.report_headers
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert [cell.value for cell in sheet[4]] == [
        "BPS", "สำนักนโยบายและยุทธศาสตร์", "1.1", "ลดขั้นตอนการอนุมัติ", "เป็นไปตามแผน", 75, 22.5,
        "ปรับคู่มือแล้ว 3 ฉบับ", None, "ควรขยายผล", "รับรายงานแล้ว", datetime(2020, 6, 30), None,
    ]
    assert sheet["L4"].is_date and sheet["L4"].number_format == BE_DATE_FORMAT
    assert [cell.value for cell in sheet[5]] == [
        "ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "2.1", "ฐานข้อมูลกลาง", None, None, None, None, None,
        None, "ยังไม่ส่ง", None, "ล่าช้า",
    ]
    assert sheet.max_row == 5


def test_round_rollup_sheet_lists_plan_themes_and_sub_items_with_numbers():
    rollup = figure()
    sheet = round_workbook()["สรุปภาพรวม"]
    assert tuple(cell.value for cell in sheet[3]) == TEXT.rollup_headers
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[:2] for row in rows] == [
        ["แผน", PLAN_TITLE], ["ประเด็นหลัก", "1 " + THEME_1], ["ประเด็นย่อย", "1.1 ลดขั้นตอน"],
        ["ประเด็นย่อย", "1.2 คู่มือ"], ["ประเด็นหลัก", "2 " + THEME_2], ["ประเด็นย่อย", "2.1 ฐานข้อมูลกลาง"],
    ]
    assert rows[0] == ["แผน", PLAN_TITLE, 1, rollup.percent_rounded, "มีความเสี่ยง", 6, 4, 2, 2, 3]
    assert rows[2] == ["ประเด็นย่อย", "1.1 ลดขั้นตอน", 1, 75, "เป็นไปตามแผน", 2, 2, 1, 0, 1]
    assert rows[3][2:5] == [1.5, 100, "แล้วเสร็จ"]
    assert rows[1][2:4] == [2, rollup.children[0].percent_rounded]
    assert rows[5][3:5] == [pytest.approx(13.33), "มีความเสี่ยง"]
    assert rollup.percent_rounded == pytest.approx(64.44)
    assert sheet["A4"].font.bold and sheet["B6"].alignment.indent == 4


def test_round_sheet_names_are_made_acceptable_to_excel():
    text = replace(TEXT, report_sheet="รายงาน/รอบ 9 เดือน: ปีงบประมาณ พ.ศ. 2563 ทั้งหมด")
    workbook = load_workbook(io.BytesIO(round_to_xlsx(text, LINES, figure(), STATUS_LABELS)))
    assert workbook.sheetnames[0] == "รายงาน รอบ 9 เดือน ปีงบประมาณ พ"


def test_round_needs_every_header():
    with pytest.raises(ValueError):
        round_to_xlsx(replace(TEXT, report_headers=TEXT.report_headers[:-1]), LINES, figure(), STATUS_LABELS)
