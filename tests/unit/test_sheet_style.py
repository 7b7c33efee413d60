"""app.sheet_style: a streamed sheet as a Thai office prints it — TH Sarabun New, BE dates that stay dates,
A4 landscape fitted to the width with the header row repeated, and rows tall enough for their wrapped text."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.sheet_style import (
    BE_DATE_FORMAT,
    FONT_NAME,
    LINE_HEIGHT,
    Column,
    SheetWriter,
    line_count,
    new_workbook,
    row_height,
    sheet_name,
    workbook_bytes,
)

COLUMNS = (Column("รหัส", 8), Column("ผลการดำเนินงาน", 20, "wrap"), Column("ร้อยละ", 8, "percent"),
           Column("วันที่ส่ง", 12, "date"), Column("จำนวน", 8, "whole"))
LONG = "ผลการดำเนินงานตามแผนปฏิรูปองค์การ " * 6


def test_a_short_text_takes_one_line_and_a_long_one_several():
    assert line_count(None, 10) == line_count("", 10) == line_count("สั้น", 10) == 1
    assert line_count("ก" * 60, 20) == 3
    assert line_count(LONG, 20) > line_count(LONG, 40) > 1


def test_thai_marks_above_and_below_the_line_take_no_width():
    marks = "กิ่" * 25  # 25 spacing letters, each with a vowel and a tone mark above it
    assert line_count(marks, 20) == line_count("ก" * 25, 20) == 2


def test_each_line_break_starts_a_line():
    assert line_count("หนึ่ง\nสอง\nสาม", 20) == 3


def test_a_row_is_as_tall_as_its_longest_wrapped_cell():
    assert row_height(("A", "สั้น", 1, None, 2), COLUMNS) is None
    assert row_height(("A" * 200, "สั้น", 1, None, 2), COLUMNS) is None  # not a wrapped column
    height = row_height(("A", LONG, 1, None, 2), COLUMNS)
    assert height >= line_count(LONG, 20) * LINE_HEIGHT


def test_sheet_names_are_made_acceptable_to_excel():
    assert sheet_name("รายงาน/รอบ 9 เดือน: ปีงบประมาณ พ.ศ. 2563 ทั้งหมด") == "รายงาน รอบ 9 เดือน ปีงบประมาณ พ"
    assert sheet_name("[]") == "Sheet"


def test_two_sheets_whose_names_agree_in_excels_31_characters_are_both_written():
    workbook = new_workbook("รายงานทดสอบ")
    long = "รายงานผลการดำเนินงานรอบ 9 เดือน ปีงบประมาณ"
    for name in (long + " 2563", long + " 2564", "รายงาน", "รายงาน"):
        SheetWriter(workbook, name, COLUMNS, header_row=1).header()
    names = load_workbook(io.BytesIO(workbook_bytes(workbook)), read_only=True).sheetnames
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
    assert names[0] == sheet_name(long) and names[1].endswith(" (2)") and names[3] == "รายงาน (2)"


def written(rows=(("ICT", LONG, 75.5, date(2020, 7, 16), 3),)) -> bytes:
    workbook = new_workbook("รายงานทดสอบ", author="กลุ่มพัฒนาระบบบริหาร")
    sheet = SheetWriter(workbook, "รายงาน", COLUMNS, header_row=3)
    sheet.title("รายงานทดสอบ")
    sheet.blank()
    sheet.header()
    for row in rows:
        sheet.row(row)
    sheet.row(("รวม", "ทั้งแผน", 80, None, 3), bold=True, indent={1: 2})
    return workbook_bytes(workbook)


def test_dates_stay_dates_shown_in_the_buddhist_era():
    sheet = load_workbook(io.BytesIO(written())).active
    assert sheet["D4"].value == datetime(2020, 7, 16) and sheet["D4"].is_date
    assert sheet["D4"].number_format == BE_DATE_FORMAT
    assert sheet["C4"].number_format == "0.00" and sheet["E4"].number_format == "0"


def test_every_cell_and_the_default_are_in_th_sarabun_new():
    workbook = load_workbook(io.BytesIO(written()))
    sheet = workbook.active
    assert workbook._fonts[0].name == FONT_NAME  # what a cell typed in later gets
    assert all(cell.font.name == FONT_NAME for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert sheet["A1"].font.b and all(cell.font.b for cell in sheet[3]) and sheet["A5"].font.b
    assert not sheet["A4"].font.b
    assert workbook.properties.title == "รายงานทดสอบ" and workbook.properties.creator == "กลุ่มพัฒนาระบบบริหาร"


def test_the_sheet_prints_on_a4_landscape_fitted_to_the_width_with_the_header_repeated():
    sheet = load_workbook(io.BytesIO(written())).active
    setup = sheet.page_setup
    # fitToWidth 1 is the OOXML default, which the writer leaves out (openpyxl then reads None)
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert "&P" in sheet.oddFooter.center.text


def test_wrapped_text_gets_a_row_that_shows_it():
    sheet = load_workbook(io.BytesIO(written())).active
    assert sheet["B4"].alignment.wrap_text and sheet["B4"].alignment.vertical == "top"
    assert sheet.row_dimensions[4].height >= line_count(LONG, 20) * LINE_HEIGHT
    assert sheet["B5"].alignment.indent == 2
    assert [sheet.column_dimensions[c].width for c in "ABCDE"] == [8, 20, 8, 12, 8]


def test_the_header_goes_where_it_was_announced_and_rows_fit_the_columns():
    workbook = new_workbook("x")
    sheet = SheetWriter(workbook, "x", COLUMNS, header_row=3)
    with pytest.raises(ValueError):
        sheet.header()
    sheet.blank()
    sheet.blank()
    sheet.header()
    with pytest.raises(ValueError):
        sheet.row(("too", "few"))
    assert workbook_bytes(workbook)


def test_five_thousand_rows_stream_out():
    rows = [(f"U{n:04d}", LONG if n % 3 else "สั้น", n % 101, date(2020, 7, 1 + n % 28), n) for n in range(5000)]
    sheet = load_workbook(io.BytesIO(written(rows)), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows()) == 3 + 5000 + 1
