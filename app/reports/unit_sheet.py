"""One unit's reports of one round as a spreadsheet (Excel .xlsx), to fill offline and upload back.

Pure module: plain values in, bytes out, and back (no Flask, no database). The service checks that the
rows belong to the unit and the round and saves them all or nothing.

Layout (read and written the same way), on the sheet "รายงาน"::

    A1 the title (unit and round, for people)
    A2 รหัสหน่วยงาน   B2 the unit's code (checked on upload)
    A3 รหัสรอบ        B3 the round's id (checked on upload)
    row 5: the headers below; row 6 onwards: one sub-item per row

    column  header                content
    A       รหัสประเด็นย่อย        the sub-item's code, e.g. 2.3 (do not change)
    B       ชื่อประเด็นย่อย         for reading only
    C       สถานะความก้าวหน้า      one of the labels in the drop-down list
    D       ร้อยละ                0–100, a whole number (แล้วเสร็จ means 100)
    E       ผลการดำเนินงาน
    F       ปัญหาอุปสรรค
    G       ข้อเสนอแนะ
    H       สถานะรายงาน           for reading only (ร่าง, ส่งแล้ว …)

Every problem is reported at once, naming its row and column. The sheet is written by app.sheet_style (TH
Sarabun New, A4 landscape fitted to the width, the header row repeated when printed), always in Thai.
"""
from __future__ import annotations

import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from openpyxl import load_workbook

from app.reports.sheets import SheetError, _at, _columns, _number, _text
from app.sheet_style import SheetWriter, new_workbook, workbook_bytes

__all__ = ["UNIT_HEADERS", "UNIT_SHEET", "UnitRow", "UnitSheet", "unit_round_from_xlsx", "unit_round_to_xlsx"]

UNIT_SHEET = "รายงาน"
UNIT_LABEL, ROUND_LABEL = "รหัสหน่วยงาน", "รหัสรอบ"
UNIT_HEADERS = ("รหัสประเด็นย่อย", "ชื่อประเด็นย่อย", "สถานะความก้าวหน้า", "ร้อยละ", "ผลการดำเนินงาน",
                "ปัญหาอุปสรรค", "ข้อเสนอแนะ", "สถานะรายงาน")
CODE, TITLE, STATUS, PERCENT, RESULT, OBSTACLES, SUGGESTIONS, STATE = range(len(UNIT_HEADERS))
HEADER_ROW, FIRST_DATA_ROW = 5, 6
WIDTHS = (12, 32, 16, 8, 40, 30, 30, 14)
KINDS = ("text", "wrap", "text", "whole", "wrap", "wrap", "wrap", "text")
NOT_XLSX = "ไม่สามารถอ่านไฟล์ได้: ต้องเป็นไฟล์ Excel (.xlsx)"


@dataclass(frozen=True)
class UnitRow:
    """One sub-item's line: what the unit reports (status as its code)."""

    sub_item_code: str
    sub_item_title: str
    status: str | None
    percent: int | None
    result: str | None
    obstacles: str | None
    suggestions: str | None
    state: str | None = None  # the workflow state's label, written only
    row: int = 0  # the sheet row it was read from


@dataclass(frozen=True)
class UnitSheet:
    """A unit's round as the spreadsheet holds it."""

    title: str
    unit_code: str
    round_id: int
    rows: tuple[UnitRow, ...]


def unit_round_to_xlsx(sheet_: UnitSheet, status_labels: Mapping[str, str]) -> bytes:
    """Write the unit's round in the documented layout, the status a drop-down list of the labels."""
    workbook = new_workbook(sheet_.title)
    writer = SheetWriter(workbook, UNIT_SHEET, _columns(UNIT_HEADERS, WIDTHS, KINDS), header_row=HEADER_ROW,
                         freeze_column=3)
    writer.title(sheet_.title)
    writer.label(UNIT_LABEL, sheet_.unit_code)
    writer.label(ROUND_LABEL, sheet_.round_id)
    writer.blank()
    writer.header()
    for line in sheet_.rows:
        writer.row((line.sub_item_code, line.sub_item_title, status_labels.get(line.status or "", line.status),
                    line.percent, line.result, line.obstacles, line.suggestions, line.state))
    last = FIRST_DATA_ROW + max(len(sheet_.rows), 1) - 1
    writer.choice_list(STATUS + 1, FIRST_DATA_ROW, last, list(status_labels.values()))
    writer.whole_numbers(PERCENT + 1, FIRST_DATA_ROW, last, 0, 100)
    return workbook_bytes(workbook)


def unit_round_from_xlsx(data: bytes, status_labels: Mapping[str, str], codes: Collection[str]) -> UnitSheet:
    """Read a unit's round in the documented layout, each row one of the sub-item `codes`; SheetError listing
    every problem found. The status may be written as its label or its code."""
    grid = _read(data)
    problems: list[str] = []

    def cell(row: int, column: int):
        values = grid[row - 1] if row <= len(grid) else ()
        return values[column] if column < len(values) else None

    unit_code = _text(cell(2, 1))
    if unit_code is None:
        problems.append(_at(2, UNIT_LABEL, "ต้องระบุ"))
    round_id = None
    try:
        number = _number(cell(3, 1))
        round_id = int(number) if number is not None and number == number.to_integral_value() else None
    except ValueError:
        pass
    if round_id is None:
        problems.append(_at(3, ROUND_LABEL, "ต้องเป็นรหัสรอบที่ระบบใส่ไว้ (อย่าแก้ไข)"))
    headers = [f"แถว {HEADER_ROW} คอลัมน์ {chr(65 + i)}: หัวตารางต้องเป็น \"{h}\""
               for i, h in enumerate(UNIT_HEADERS[:STATE]) if _text(cell(HEADER_ROW, i)) != h]
    if headers:
        raise SheetError(problems + headers)
    by_label = {str(label): code for code, label in status_labels.items()}
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number in range(FIRST_DATA_ROW, len(grid) + 1):
        values = tuple(grid[number - 1]) + (None,) * len(UNIT_HEADERS)
        if all(_text(v) is None for v in values[:STATE]):
            continue
        code = _text(values[CODE])
        if code is None:
            problems.append(_at(number, UNIT_HEADERS[CODE], "ต้องระบุ"))
        elif code not in codes:
            problems.append(_at(number, UNIT_HEADERS[CODE], f"ประเด็นย่อย {code} ไม่ใช่ประเด็นที่หน่วยงานต้องรายงานในรอบนี้"))
            code = None
        elif code in seen:
            problems.append(_at(number, UNIT_HEADERS[CODE], f"ประเด็นย่อย {code} ซ้ำกับแถว {seen[code]}"))
            code = None
        else:
            seen[code] = number
        status_text = _text(values[STATUS])
        status = by_label.get(status_text or "", status_text if status_text in status_labels else None)
        if status is None:
            problems.append(_at(number, UNIT_HEADERS[STATUS], "ต้องเลือกจากรายการ: " + ", ".join(by_label)))
        percent = _percent(values[PERCENT], number, problems)
        if code is not None:
            rows.append(UnitRow(code, _text(values[TITLE]) or "", status, percent, _text(values[RESULT]),
                                _text(values[OBSTACLES]), _text(values[SUGGESTIONS]), row=number))
    if not rows and not problems:
        problems.append(f"ไม่พบรายการ: ต้องมีอย่างน้อย 1 แถว ตั้งแต่แถว {FIRST_DATA_ROW}")
    if problems:
        raise SheetError(problems)
    return UnitSheet(title=_text(cell(1, 0)) or "", unit_code=unit_code or "", round_id=round_id or 0,
                     rows=tuple(rows))


def column_name(field: str) -> str:
    """The header of the column holding a report field (status, percent, result, obstacles, suggestions)."""
    index = {"status": STATUS, "percent": PERCENT, "result": RESULT, "obstacles": OBSTACLES,
             "suggestions": SUGGESTIONS}.get(field, CODE)
    return UNIT_HEADERS[index]


def problem_at(row: int, field: str, message: str) -> str:
    """A problem naming the sheet row and the column of a report field."""
    return _at(row, column_name(field), message)


def _percent(value, row: int, problems: list[str]) -> int | None:
    """A whole number 0–100, None when blank; a problem recorded when it is not."""
    try:
        number = _number(value)
    except ValueError:
        number = None
        problems.append(_at(row, UNIT_HEADERS[PERCENT], "ต้องเป็นจำนวนเต็ม 0–100"))
        return None
    if number is None:
        return None
    if number != number.to_integral_value() or not 0 <= number <= 100:
        problems.append(_at(row, UNIT_HEADERS[PERCENT], "ต้องเป็นจำนวนเต็ม 0–100"))
        return None
    return int(number)


def _read(data: bytes) -> list[tuple]:
    """The report sheet's values row by row; SheetError when the bytes are not a readable workbook."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # zip, XML or format errors all mean "not an xlsx we can read"
        raise SheetError([NOT_XLSX]) from error
    try:
        sheet = workbook[UNIT_SHEET] if UNIT_SHEET in workbook.sheetnames else workbook.worksheets[0]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as error:
        raise SheetError([NOT_XLSX]) from error
    finally:
        workbook.close()
