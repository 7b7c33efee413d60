"""The three spreadsheets of the demo (the round XLSX, the plan XLSX and a unit's round XLSX) downloaded with the UI
in English, as a Thai office prints them: Thai headers and file names, TH Sarabun New, BE dates that stay dates,
A4 landscape fitted to the width with the header row repeated, wrapped text; and the round XLSX rendered by
LibreOffice: BE dates (16/07/2563) on landscape A4 pages, few of them."""
from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from sqlalchemy import select

from app import papers_pdf
from app.bodies.models import Unit
from app.demo import data
from app.extensions import db
from app.reports.models import Plan, ReportingRound
from app.sheet_style import BE_DATE_FORMAT, FONT_NAME
from tests.conftest import csrf_from

needs_office = pytest.mark.skipif(
    papers_pdf.office_program() is None and not os.environ.get("PRACHUM_REQUIRE_OFFICE"),
    reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)")

BE_DATE = re.compile(r"\b\d{2}/\d{2}/25\d{2}\b")
WESTERN_DATE = re.compile(r"\b\d{2}/\d{2}/20\d{2}\b|\b20\d{2}-\d{2}-\d{2}\b")


@pytest.fixture
def english(app, client, demo):
    """The demo's secretariat signed in with the UI switched to English; get(url) downloads a file."""
    page = client.get("/login")
    response = client.post("/login", data={"email": data.email("secretariat"), "password": app.config["DEMO_PASSWORD"],
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get("/?lang=en").status_code == 200

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.mimetype.endswith("spreadsheetml.sheet")
        return response

    return get


def round9() -> ReportingRound:
    plan = db.session.scalar(select(Plan).where(Plan.title == data.PLAN["title"]))
    return db.session.scalar(select(ReportingRound).where(ReportingRound.plan_id == plan.id,
                                                          ReportingRound.months == 9))


def thai_file_name(response) -> str:
    disposition = response.headers["Content-Disposition"]
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    assert match, disposition
    return unquote(match.group(1))


def assert_printed_as_a_thai_office_does(sheet, header_row: int) -> None:
    """Landscape A4 fitted to the width, the header row repeated and frozen, TH Sarabun New in every cell."""
    setup = sheet.page_setup
    # fitToWidth 1 is the OOXML default, which the writer leaves out (openpyxl then reads None)
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.freeze_panes.endswith(str(header_row + 1))
    fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert fonts == {FONT_NAME}


def test_the_round_xlsx_is_thai_with_be_dates_and_print_setup_from_the_english_ui(english):
    round_ = round9()
    response = english(f"/rounds/{round_.id}/export.xlsx")
    name = thai_file_name(response)
    assert name.startswith("รายงานความก้าวหน้า") and name.endswith("2563.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["รายงาน", "สรุปภาพรวม"]
    reports, rollup = book.worksheets
    assert reports["A3"].value == "รหัสหน่วยงาน" and reports["L3"].value == "วันที่ส่ง"
    assert rollup["A4"].value == "แผน"
    for sheet in (reports, rollup):
        assert_printed_as_a_thai_office_does(sheet, 3)

    dated = [row[11] for row in reports.iter_rows(min_row=4) if row[11].value is not None]
    assert dated, "the demo's 9-month round has delivered reports"
    assert all(isinstance(cell.value, datetime) and cell.number_format == BE_DATE_FORMAT for cell in dated)
    assert reports["D4"].alignment.wrap_text and reports["H4"].alignment.wrap_text
    states = {row[10].value for row in reports.iter_rows(min_row=4)}
    assert "ยังไม่ส่ง" in states
    assert not any(isinstance(cell.value, str) and re.search(r"[A-Za-z]{4,}", cell.value)
                   for row in reports.iter_rows(min_row=3, max_row=3) for cell in row)


def test_the_plan_xlsx_is_thai_and_set_up_for_printing(english):
    plan = db.session.scalar(select(Plan).where(Plan.title == data.PLAN["title"]))
    response = english(f"/plans/{plan.id}/export.xlsx")
    assert thai_file_name(response) == f"แผน-{plan.id}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["แผน"]
    assert sheet["A5"].value == "ประเด็นหลัก"
    assert_printed_as_a_thai_office_does(sheet, 5)
    assert sheet["E6"].alignment.wrap_text


def test_the_unit_round_xlsx_is_thai_and_set_up_for_printing(english):
    round_ = round9()
    unit = db.session.scalar(select(Unit).where(Unit.code == "ICT"))
    response = english(f"/rounds/{round_.id}/units/{unit.id}/sheet.xlsx")
    name = thai_file_name(response)
    assert name.startswith("รายงาน ICT") and "เดือน" in name
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["รายงาน"]
    assert sheet["A5"].value == "รหัสประเด็นย่อย" and sheet["H6"].value
    assert not re.search(r"[A-Za-z]{4,}", sheet["H6"].value)  # the report's state, in Thai
    assert_printed_as_a_thai_office_does(sheet, 5)
    assert sheet.freeze_panes == "C6"
    assert sheet.data_validations.dataValidation, "the status is still a drop-down list"


@needs_office
def test_the_round_xlsx_prints_on_a4_landscape_with_be_dates(english):
    """The acceptance: rendered by LibreOffice, the round XLSX shows 16/07/2563-style dates on landscape A4."""
    response = english(f"/rounds/{round9().id}/export.xlsx")
    pdf = papers_pdf.convert_to_pdf(response.data, ".xlsx")
    assert pdf is not None, "LibreOffice did not render the workbook"
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "round.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert BE_DATE.search(text), text[:2000]
    assert not WESTERN_DATE.search(text)
    assert "ชื่อประเด็นย่อย" in text and "รายงานความก้าวหน้า" in text
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages <= 6, pages  # 23 reports and 17 roll-up lines, fitted to the width (not split by column)
    first_page = text.split("\f")[0]
    assert "ข้อเสนอแนะ" in first_page and "วันที่ส่ง" in first_page  # every column on the page


def expected_rows(round_: ReportingRound, user) -> list[list]:
    """The round sheet's rows as the ORM path reads them (the expected reports one by one): what the streamed
    workbook must read back, cell for cell."""
    from flask_babel import force_locale

    from app import authz, richtext, thaidates
    from app.labels import LATE_LABEL, MISSING_REPORT_LABEL, PROGRESS_STATUS_LABELS, REPORT_STATE_LABELS
    from app.reports import services

    rows = []
    with force_locale("th"):
        for e in services.expected_reports(round_):
            report = e.report
            if report is not None and not authz.can_view_report(user, report):
                continue
            if report is None and not authz.sees_round_overview(user):
                continue
            submitted = thaidates.bangkok_date(report.submitted_at) if report and report.submitted_at else None
            rows.append([
                e.unit.code, e.unit.name, e.sub_item.code, e.sub_item.title,
                str(PROGRESS_STATUS_LABELS[report.status]) if report else None,
                report.percent if report else None,
                float(report.achieved_value) if report and report.achieved_value is not None else None,
                *((richtext.plain_text(getattr(report, field)) or None) if report else None
                  for field in ("result", "obstacles", "suggestions")),
                str(REPORT_STATE_LABELS[report.state]) if report else str(MISSING_REPORT_LABEL),
                datetime(submitted.year, submitted.month, submitted.day) if submitted else None,
                str(LATE_LABEL) if e.late() else None,
            ])
    return rows


@pytest.mark.parametrize("who", ["secretariat", "reporter.otepc"])
def test_the_round_xlsx_reads_back_every_value_date_and_font(app, client, demo, who):
    """The streamed round workbook opens in openpyxl and holds, row by row, what the expected reports say: texts as
    plain text, numbers as numbers, dates as BE date cells, every cell in TH Sarabun New (a reporter: their own)."""
    from app.auth.services import find_user_by_email

    page = client.get("/login")
    assert client.post("/login", data={"email": data.email(who), "password": app.config["DEMO_PASSWORD"],
                                       "csrf_token": csrf_from(page.get_data(as_text=True))}).status_code == 302
    round_ = round9()
    response = client.get(f"/rounds/{round_.id}/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    reports = book["รายงาน"]
    assert book.properties.creator == round_.plan.owner_body.secretariat_name
    assert book._fonts[0].name == FONT_NAME  # the workbook's default, for cells typed in later

    expected = expected_rows(round_, find_user_by_email(data.email(who)))
    written = [[cell.value for cell in row] for row in reports.iter_rows(min_row=4, max_col=13)]
    assert written == expected
    if who == "reporter.otepc":  # their unit's reports only, no missing ones
        assert written and {row[0] for row in written} == {"OTEPC"}
    else:  # dates, late marks, texts and missing reports all appear
        assert all(any(row[column] for row in written) for column in (5, 7, 11, 12))
        assert any(row[10] == "ยังไม่ส่ง" for row in written)

    for row in reports.iter_rows(min_row=4):
        for cell in row:
            if cell.value is None:
                continue
            assert (cell.font.name, cell.font.sz, cell.font.b) == (FONT_NAME, 14, False), cell.coordinate
            assert cell.border.left.style == "thin" and cell.alignment.vertical == "top"
        assert row[11].value is None or (row[11].is_date and row[11].number_format == BE_DATE_FORMAT)
        assert row[5].value is None or row[5].number_format == "0"
        assert row[7].value is None or row[7].alignment.wrap_text
    assert all(cell.font.b and cell.font.name == FONT_NAME for cell in reports[3])
    assert reports["A1"].font.sz == 16 and reports["A1"].font.b

    rollup = book["สรุปภาพรวม"]
    assert rollup["A4"].font.b and rollup["B5"].alignment.indent == 2 and rollup["B6"].alignment.indent == 4
    assert [rollup.cell(4, column).value for column in range(6, 11)] == [23, *[rollup.cell(4, c).value
                                                                                for c in range(7, 11)]]
