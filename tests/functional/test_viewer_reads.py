"""Reads the domain forbids: viewers read delivered reports only (submitted, resubmitted, accepted), never a
draft or a returned one, on the page, through the API, in the XLSX and DOCX exports or as evidence downloads;
the roll-up API leaves out the status, percent and report id of every report the caller may not read, as the
dashboard does."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest

from tests.functional.test_reports_api import (  # noqa: F401 — the reports fixture
    act,
    bangkok,
    filed,
    ok,
    put_report,
    world,
)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
DRAFT_TEXT = "ร่างที่ยังไม่ส่ง ห้ามผู้อื่นอ่าน"
RETURNED_TEXT = "รายงานที่ถูกส่งกลับ รอแก้ไข"
SUBMITTED_TEXT = "ผลการดำเนินงานที่ส่งแล้ว"


@dataclass
class Reports:
    draft: int  # ICT on 1.2
    returned: int  # BIE on 2.2
    submitted: int  # ICT on 1.1
    accepted: int  # BPS on 2.1
    draft_file: int
    returned_file: int
    submitted_file: int


def upload(client, headers, report_id: int) -> int:
    return ok(client.post(f"/api/v1/reports/{report_id}/attachments", headers=headers,
                          data={"file": (io.BytesIO(PDF), "หลักฐาน.pdf")}, content_type="multipart/form-data"),
              201)["id"]


@pytest.fixture
def reports(client, world) -> Reports:
    w = world
    draft = filed(client, w, "1.2", result=DRAFT_TEXT)
    draft_file = upload(client, w.headers["ict"], draft["id"])
    submitted = filed(client, w, "1.1", result=SUBMITTED_TEXT)
    submitted_file = upload(client, w.headers["ict"], submitted["id"])
    ok(act(client, w, submitted, "submit", "ict"))
    returned = filed(client, w, "2.2", who="bie", result=RETURNED_TEXT)
    ok(act(client, w, returned, "submit", "bie"))
    ok(act(client, w, returned, "return", "secretariat", comment="ขอรายละเอียดเพิ่ม"))
    returned_file = upload(client, w.headers["bie"], returned["id"])
    accepted = put_report(w.round, w.subs["2.1"], w.units["BPS"], "accepted", "delayed", 35, bangkok(2020, 7, 2))
    return Reports(draft["id"], returned["id"], submitted["id"], accepted.id, draft_file, returned_file, submitted_file)


@pytest.fixture
def browser(app, login, world):
    """sign(who) -> a test client signed in as that user of the world."""

    def sign(who: str):
        web = app.test_client()
        login(world.users[who], c=web)
        return web

    return sign


def test_viewer_reads_delivered_reports_but_no_draft_or_returned_one(client, world, reports, browser):
    w, viewer = world, browser("viewer")
    for report_id in (reports.draft, reports.returned):
        assert viewer.get(f"/reports/{report_id}").status_code == 404
        assert viewer.get(f"/reports/{report_id}/history").status_code == 404
        assert client.get(f"/api/v1/reports/{report_id}", headers=w.headers["viewer"]).status_code == 404
    for report_id in (reports.submitted, reports.accepted):
        assert viewer.get(f"/reports/{report_id}").status_code == 200
        assert ok(client.get(f"/api/v1/reports/{report_id}", headers=w.headers["viewer"]))["id"] == report_id
    listed = {r["id"] for r in ok(client.get("/api/v1/reports", headers=w.headers["viewer"]))["items"]}
    assert listed == {reports.submitted, reports.accepted}
    everything = {r["id"] for r in ok(client.get("/api/v1/reports", headers=w.headers["secretariat"]))["items"]}
    assert everything == {reports.draft, reports.returned, reports.submitted, reports.accepted}
    assert browser("secretariat").get(f"/reports/{reports.draft}").status_code == 200


def test_viewer_downloads_no_evidence_of_a_draft_or_returned_report(world, reports, browser):
    viewer, staff, ict = browser("viewer"), browser("secretariat"), browser("ict")
    for attachment_id in (reports.draft_file, reports.returned_file):
        assert viewer.get(f"/attachments/{attachment_id}").status_code == 404
        assert staff.get(f"/attachments/{attachment_id}").data == PDF
    assert ict.get(f"/attachments/{reports.draft_file}").data == PDF  # the unit's own draft
    assert viewer.get(f"/attachments/{reports.submitted_file}").data == PDF


def test_viewer_exports_leave_out_drafts_and_returned_reports(world, reports, browser):
    w, viewer = world, browser("viewer")
    response = viewer.get(f"/rounds/{w.round.id}/export.xlsx")
    assert response.status_code == 200
    rows = [row for row in openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
            .iter_rows(min_row=4, values_only=True) if any(row)]
    cells = {str(c) for row in rows for c in row if c is not None}
    assert SUBMITTED_TEXT in cells and DRAFT_TEXT not in cells and RETURNED_TEXT not in cells
    pairs = {(row[0], row[2]) for row in rows}
    assert ("ICT", "1.1") in pairs and ("ICT", "1.2") not in pairs and ("BIE", "2.2") not in pairs
    staff_rows = openpyxl.load_workbook(io.BytesIO(browser("secretariat").get(
        f"/rounds/{w.round.id}/export.xlsx").data)).worksheets[0]
    assert DRAFT_TEXT in {str(c) for row in staff_rows.iter_rows(values_only=True) for c in row if c is not None}

    docx = viewer.get(f"/rounds/{w.round.id}/report.docx")
    assert docx.status_code == 200
    text = zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml").decode()
    assert SUBMITTED_TEXT in text and DRAFT_TEXT not in text and RETURNED_TEXT not in text


def test_viewer_pages_link_no_unreadable_report(world, reports, browser):
    w, viewer = world, browser("viewer")
    for url in (f"/rounds/{w.round.id}", f"/reports/dashboard?plan={w.plan.id}&round={w.round.id}"):
        html = viewer.get(url).get_data(as_text=True)
        assert f"/reports/{reports.submitted}\"" in html
        assert f"/reports/{reports.draft}\"" not in html and f"/reports/{reports.returned}\"" not in html


def units_of(body: dict) -> dict[tuple[str, str], dict]:
    return {(s["code"], u["code"]): u for t in body["themes"] for s in t["sub_items"] for u in s["units"]}


def rollup_units(client, w, who: str) -> dict[tuple[str, str], dict]:
    return units_of(ok(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}", headers=w.headers[who])))


def hidden(line: dict) -> bool:
    return line["report_id"] is None and line["status"] is None and line["percent"] is None


def test_rollup_api_leaves_out_what_the_caller_may_not_read(client, world, reports):
    w = world
    staff = rollup_units(client, w, "secretariat")
    assert staff[("1.2", "ICT")]["report_id"] == reports.draft and staff[("1.2", "ICT")]["percent"] == 40
    assert staff[("2.2", "BIE")]["report_id"] == reports.returned

    member = rollup_units(client, w, "member")  # a member of the plan's working group
    assert hidden(member[("1.2", "ICT")]) and hidden(member[("2.2", "BIE")])
    assert member[("1.2", "ICT")]["state"] == "draft" and member[("1.2", "ICT")]["counted_percent"] == 0
    assert (member[("1.1", "ICT")]["report_id"], member[("1.1", "ICT")]["percent"]) == (reports.submitted, 40)
    assert member[("2.1", "BPS")]["status"] == "delayed"

    outsider = rollup_units(client, w, "outsider")  # a member of no body: reads no report of this plan
    assert all(hidden(line) for line in outsider.values())
    assert outsider[("1.1", "ICT")]["state"] == "submitted" and outsider[("1.1", "ICT")]["counted_percent"] == 40

    viewer = rollup_units(client, w, "viewer")
    assert hidden(viewer[("1.2", "ICT")]) and hidden(viewer[("2.2", "BIE")])
    assert viewer[("1.1", "ICT")]["report_id"] == reports.submitted and viewer[("2.1", "BPS")]["percent"] == 35

    ict = rollup_units(client, w, "ict")  # the unit's reporter reads its own draft
    assert ict[("1.2", "ICT")]["report_id"] == reports.draft and hidden(ict[("2.2", "BIE")])

    # the figures themselves are the same for everyone
    bodies = [ok(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}", headers=w.headers[who]))
              for who in ("secretariat", "member", "viewer", "outsider")]
    assert len({(b["percent"], b["status"], tuple(b["counts"].items())) for b in bodies}) == 1


def test_the_dashboard_shows_the_same_drill_down_as_the_api(client, world, reports, browser):
    w = world
    html = browser("member").get(f"/reports/dashboard?plan={w.plan.id}&round={w.round.id}").get_data(as_text=True)
    assert f"/reports/{reports.submitted}\"" in html and f"/reports/{reports.draft}\"" not in html
