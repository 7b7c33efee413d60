"""A unit's round as a spreadsheet (app.reports.unit_sheet): written and read back the same, and every problem
named by row and column."""
from __future__ import annotations

import io

import openpyxl
import pytest

from app.reports.sheets import SheetError
from app.reports.unit_sheet import UnitRow, UnitSheet, unit_round_from_xlsx, unit_round_to_xlsx

LABELS = {"not_started": "ยังไม่เริ่ม", "on_track": "เป็นไปตามแผน", "completed": "แล้วเสร็จ"}
CODES = {"1.2", "2.10"}


def sheet_bytes() -> bytes:
    rows = (UnitRow("1.2", "ระบบสารบรรณ", "on_track", 60, "ทดสอบแล้ว", None, None, "ร่าง"),
            UnitRow("2.10", "ฐานข้อมูล", "not_started", 0, None, "งบประมาณ", "เพิ่มคน", "ยังไม่ส่ง"))
    return unit_round_to_xlsx(UnitSheet("ICT รอบ 9 เดือน", "ICT", 12, rows), LABELS)


def edited(changes: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(sheet_bytes()))
    for cell, value in changes.items():
        book.active[cell] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_written_and_read_back_the_same():
    sheet = unit_round_from_xlsx(sheet_bytes(), LABELS, CODES)
    assert (sheet.unit_code, sheet.round_id) == ("ICT", 12)
    assert [(r.sub_item_code, r.status, r.percent, r.result, r.obstacles, r.suggestions, r.row) for r in sheet.rows] == [
        ("1.2", "on_track", 60, "ทดสอบแล้ว", None, None, 6), ("2.10", "not_started", 0, None, "งบประมาณ", "เพิ่มคน", 7)]


def test_the_status_is_a_drop_down_list_of_the_labels():
    book = openpyxl.load_workbook(io.BytesIO(sheet_bytes()))
    (choices,) = [v for v in book.active.data_validations.dataValidation if v.type == "list"]
    assert choices.formula1 == '"ยังไม่เริ่ม,เป็นไปตามแผน,แล้วเสร็จ"' and "C6:C7" in str(choices.sqref)


def test_a_status_code_is_read_as_well_as_its_label():
    assert unit_round_from_xlsx(edited({"C6": "completed", "D6": "100"}), LABELS, CODES).rows[0].status == "completed"


def test_every_problem_is_named_by_row_and_column():
    with pytest.raises(SheetError) as refused:
        unit_round_from_xlsx(edited({"C6": "ไม่รู้", "D6": 101, "A7": "1.2", "D7": 2.5}), LABELS, CODES)
    assert refused.value.problems == [
        "แถว 6 คอลัมน์ สถานะความก้าวหน้า: ต้องเลือกจากรายการ: ยังไม่เริ่ม, เป็นไปตามแผน, แล้วเสร็จ",
        "แถว 6 คอลัมน์ ร้อยละ: ต้องเป็นจำนวนเต็ม 0–100",
        "แถว 7 คอลัมน์ รหัสประเด็นย่อย: ประเด็นย่อย 1.2 ซ้ำกับแถว 6",
        "แถว 7 คอลัมน์ ร้อยละ: ต้องเป็นจำนวนเต็ม 0–100",
    ]


def test_a_code_the_unit_does_not_owe_and_a_file_that_is_no_workbook_are_refused():
    with pytest.raises(SheetError) as refused:
        unit_round_from_xlsx(edited({"A7": "3.1"}), LABELS, CODES)
    assert refused.value.problems == ["แถว 7 คอลัมน์ รหัสประเด็นย่อย: ประเด็นย่อย 3.1 ไม่ใช่ประเด็นที่หน่วยงานต้องรายงานในรอบนี้"]
    with pytest.raises(SheetError):
        unit_round_from_xlsx(b"PK\x03\x04 not really", LABELS, CODES)
