"""Filing a report in one pass on the demo: evidence in the same form, status and percent from last round, the
late warning, a unit's whole round on one page (copy from last round, save all, submit all, all or nothing),
the unit's round as XLSX and back, and the API mirror."""
from __future__ import annotations

import io
import re
from pathlib import Path

from html import unescape

import openpyxl
import pytest
from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.extensions import db
from app.reports.models import ProgressReport
from tests.conftest import csrf_from
from tests.functional.test_reports_web import demo_user, page, scene, section, sign_in, token  # noqa: F401 (fixtures)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
ICT_CODES = ("1.2", "1.4", "2.1", "2.2", "3.1")


def snapshot() -> tuple:
    """Every report and attachment as it is now."""
    db.session.expire_all()
    reports = db.session.execute(select(ProgressReport.id, ProgressReport.state, ProgressReport.percent,
                                        ProgressReport.result, ProgressReport.version).order_by(ProgressReport.id))
    return tuple(reports), db.session.scalar(select(func.count()).select_from(Attachment))


def ict_report(scene, code: str) -> ProgressReport | None:
    db.session.expire_all()
    return db.session.scalar(select(ProgressReport).where(
        ProgressReport.round_id == scene.round9.id, ProgressReport.sub_item_id == scene.subs[code].id,
        ProgressReport.unit_id == scene.units["ICT"].id))


def grid_url(scene, unit: str = "ICT") -> str:
    return f"/rounds/{scene.round9.id}/units/{scene.units[unit].id}"


# --- who may open what ------------------------------------------------------------------------------

ROLES = ["anonymous", "admin", "secretariat", "reporter.ict", "reporter.opec", "member", "viewer"]
#                                                            admin  sec  ict  opec member viewer
# ICT's own writes here carry no rows and no file: answered, and nothing changes (the behaviour tests below save).
ROUTES: list[tuple[str, str, tuple[int | None, ...], dict | None]] = [
    ("GET", "/rounds/{r9}/units/{ict}",                      (200, 200, 200, 404, 404, 404), None),
    ("POST", "/rounds/{r9}/units/{ict}",                     (403, 403, 302, 404, 404, 404), {"action": "save"}),
    ("GET", "/rounds/{r9}/units/{opec}",                     (200, 200, 404, 200, 404, 404), None),
    ("GET", "/rounds/999999/units/{ict}",                    (404, 404, 404, 404, 404, 404), None),
    ("GET", "/rounds/{r9}/units/999999",                     (404, 404, 404, 404, 404, 404), None),
    ("GET", "/rounds/{r9}/units/{ict}/sheet.xlsx",           (200, 200, 200, 404, 404, 404), None),
    ("POST", "/rounds/{r9}/units/{ict}/sheet",               (403, 403, 422, 404, 404, 404), None),
    ("GET", "/reports/round/{r9}",                           (403, 403, 302, 302, 403, 403), None),
]
API = [
    ("GET", "/api/v1/rounds/{r9}/units/{ict}/reports",       (200, 200, 200, 404, 404, 404)),
    ("PUT", "/api/v1/rounds/{r9}/units/{ict}/reports",       (403, 403, 200, 404, 404, 404)),
    ("GET", "/api/v1/rounds/999999/units/{ict}/reports",     (404, 404, 404, 404, 404, 404)),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_new_route_for_every_role(client, scene, sign_in, token_for, role):
    ids = {"r9": scene.round9.id, "ict": scene.units["ICT"].id, "opec": scene.units["OPEC"].id}
    if role != "anonymous":
        sign_in(role)
    csrf = token(client, "/login" if role == "anonymous" else "/reports/dashboard")
    before = snapshot()
    wrong = []
    for method, template, statuses, data_ in ROUTES:
        url = template.format(**ids)
        expected = 302 if role == "anonymous" else statuses[ROLES.index(role) - 1]
        if expected is None:
            continue
        form = {"csrf_token": csrf, **(data_ or {})} if method == "POST" else None
        response = client.open(url, method=method, data=form)
        if response.status_code != expected or (role == "anonymous" and "/login" not in response.location):
            wrong.append((method, url, response.status_code, expected))
    headers = {} if role == "anonymous" else token_for(demo_user(role))
    for method, template, statuses in API:
        expected = 401 if role == "anonymous" else statuses[ROLES.index(role) - 1]
        response = client.open(template.format(**ids), method=method, headers=headers,
                               json={"rows": []} if method == "PUT" else None)
        if response.status_code != expected or (expected >= 400 and "error" not in response.get_json()):
            wrong.append((method, template, response.status_code, expected))
    assert wrong == []
    assert snapshot() == before


# --- the single form: evidence in the same request, defaults, the late warning ----------------------------

def form_data(csrf: str, **fields) -> dict:
    return {"csrf_token": csrf, "status": "on_track", "percent": "50", "achieved_value": "",
            "result": "ผลการดำเนินงาน", "obstacles": "", "suggestions": "", "evidence_links": "", **fields}


def test_a_new_report_starts_from_last_rounds_status_and_percent_and_warns_it_is_late(client, scene, sign_in):
    sign_in("reporter.ict")
    html = page(client, f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}")
    previous = db.session.scalar(select(ProgressReport).where(
        ProgressReport.sub_item_id == scene.subs["1.4"].id, ProgressReport.unit_id == scene.units["ICT"].id,
        ProgressReport.round_id != scene.round9.id).order_by(ProgressReport.id.desc()))
    assert previous.percent == 55
    percent = html[html.index('name="percent"'):]
    assert 'value="55"' in percent[:percent.index(">")]
    status = html[html.index('name="status"'):html.index('name="percent"')]
    assert re.search(f'<option (selected )?value="{previous.status}"( selected)?>', status).group(1, 2) != (None, None)
    warning = html[html.index('id="late-warning"'):]
    assert "ส่งช้า" in warning[:warning.index("</div>")]  # the 9-month round's due date has passed


def test_a_report_is_submitted_with_a_file_and_a_link_in_one_pass(client, app, scene, sign_in):
    sign_in("reporter.ict")
    url = f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}"
    response = client.post(url, content_type="multipart/form-data", data=form_data(
        token(client, url), percent="65", result="เชื่อมต่อข้อมูลแล้ว", save_and_submit="บันทึกและส่งรายงาน",
        evidence_files=[(io.BytesIO(PDF), "หนังสือรายงาน.pdf")], evidence_links="https://data.go.th/dataset/moe"))
    assert response.status_code == 302
    report = ict_report(scene, "1.4")
    assert (report.state, report.percent) == ("submitted", 65)
    assert sorted((a.kind, a.title) for a in report.attachments) == [
        ("file", "หนังสือรายงาน.pdf"), ("link", "https://data.go.th/dataset/moe")]
    stored = next(a for a in report.attachments if a.kind == "file")
    assert (Path(app.config["PRACHUM_UPLOADS"]) / stored.storage_key).read_bytes() == PDF
    mine = section(page(client, "/reports/mine"), f"round-{scene.round9.id}")
    line = mine[mine.rindex("<li", 0, mine.index(scene.subs["1.4"].title)):]
    line = line[:line.index("</li>")]
    assert "ส่งช้า" in line and "⚠" in line  # the word and the icon, not the colour only


def test_an_edit_adds_evidence_in_the_same_request(client, scene, sign_in):
    sign_in("reporter.ict")
    url = f"/reports/{scene.ict_draft.id}/edit"
    response = client.post(url, content_type="multipart/form-data", data=form_data(
        token(client, url), version="1", evidence_links="https://a.example.go.th/1\nhttps://a.example.go.th/2",
        save="บันทึกร่าง"))
    assert response.status_code == 302
    report = ict_report(scene, "1.2")
    assert report.state == "draft" and [a.url for a in report.attachments] == [
        "https://a.example.go.th/1", "https://a.example.go.th/2"]


def test_a_refused_upload_leaves_nothing(client, app, scene, sign_in):
    sign_in("reporter.ict")
    url = f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}"
    before = snapshot()
    response = client.post(url, content_type="multipart/form-data", data=form_data(
        token(client, url), result="ข้อความที่พิมพ์ไว้", save_and_submit="ส่ง",
        evidence_files=[(io.BytesIO(PDF), "ดี.pdf"), (io.BytesIO(b"MZ\x90\x00 not allowed"), "โปรแกรม.exe")],
        evidence_links="http://insecure.example.go.th"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "โปรแกรม.exe" in html and "https://" in html and "ข้อความที่พิมพ์ไว้" in html
    assert snapshot() == before
    uploads = Path(app.config["PRACHUM_UPLOADS"])
    assert not uploads.exists() or list(uploads.iterdir()) == []


# --- a unit's whole round on one page -------------------------------------------------------------------

def grid_form(html: str, scene, **changes) -> dict:
    """What the grid page would post: every editable row's fields as shown, then `changes` by name."""
    data = {"csrf_token": csrf_from(html)}
    for code in ICT_CODES:
        sid = scene.subs[code].id
        for name in ("status", "percent", "result", "obstacles", "suggestions", "version"):
            data[f"row-{sid}-{name}"] = shown(html, f"row-{sid}-{name}")
    return data | changes


def shown(html: str, name: str) -> str:
    """The value a grid field shows (input value, selected option or textarea text)."""
    at = html.index(f'name="{name}"')
    start = html.rindex("<", 0, at)
    tag = html[start:html.index(">", at) + 1]
    if tag.startswith("<textarea"):
        end = html.index("</textarea>", at)
        return unescape(html[html.index(">", at) + 1:end])
    if tag.startswith("<select"):
        options = html[at:html.index("</select>", at)]
        return re.search(r'value="([^"]*)" selected', options).group(1)
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_the_ict_reporter_files_every_sub_item_on_one_page_after_copying_last_round(client, scene, sign_in):
    sign_in("reporter.ict")
    url = grid_url(scene)
    html = page(client, url)
    for code in ICT_CODES:
        assert f'name="row-{scene.subs[code].id}-status"' in html
    assert scene.subs["1.1"].title not in html and 'id="late-warning"' in html
    before = snapshot()
    copied = client.post(url, data=grid_form(html, scene, action="copy")).get_data(as_text=True)
    assert snapshot() == before  # copying saves nothing
    s14 = scene.subs["1.4"].id
    assert shown(copied, f"row-{s14}-result") == "ผลการดำเนินงานสะสมรอบ 6 เดือน ดำเนินการแล้วร้อยละ 55 ของแผน"
    assert shown(copied, f"row-{s14}-percent") == "55"
    data = grid_form(copied, scene, action="submit", **{f"row-{s14}-percent": "75",
                                                         f"row-{s14}-links": "https://data.go.th/dataset/ict"})
    data[f"row-{scene.subs['2.1'].id}-files"] = [(io.BytesIO(PDF), "ภาพหน้าจอ.pdf")]
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    reports = {code: ict_report(scene, code) for code in ICT_CODES}
    assert {code: r.state for code, r in reports.items()} == dict.fromkeys(ICT_CODES, "submitted")
    assert reports["1.4"].percent == 75 and [a.url for a in reports["1.4"].attachments] == [
        "https://data.go.th/dataset/ict"]
    assert [a.title for a in reports["2.1"].attachments] == ["ภาพหน้าจอ.pdf"]
    assert reports["1.2"].id == scene.ict_draft.id  # the draft was carried on, not duplicated
    after = page(client, url)
    assert 'name="action"' not in after and "row-%d-status" % s14 not in after  # nothing left to edit


def test_one_bad_row_saves_no_row_and_each_error_is_shown_by_its_field(client, scene, sign_in):
    sign_in("reporter.ict")
    url = grid_url(scene)
    html = page(client, url)
    s14, s21, s31 = (scene.subs[c].id for c in ("1.4", "2.1", "3.1"))
    before = snapshot()
    data = grid_form(html, scene, action="submit", **{
        f"row-{s14}-percent": "150", f"row-{s14}-result": "ข้อความแถว 1.4",
        f"row-{s21}-result": "", f"row-{s31}-result": "ข้อความแถว 3.1",
        f"row-{s31}-links": "ftp://files.example"})
    for code in ("1.2", "2.2"):
        data[f"row-{scene.subs[code].id}-result"] = "ผลการดำเนินงาน"
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert snapshot() == before
    assert f'id="row-{s14}-percent-error">ร้อยละต้องอยู่ระหว่าง 0 ถึง 100<' in html
    assert f'id="row-{s21}-result-error">กรุณากรอกผลการดำเนินงานก่อนส่งรายงาน<' in html
    assert f'id="row-{s31}-links-error"' in html
    assert shown(html, f"row-{s14}-percent") == "150" and shown(html, f"row-{s31}-result") == "ข้อความแถว 3.1"


def test_the_secretariat_reads_a_units_round_without_inputs_and_locked_rows_stay_read_only(client, scene, sign_in):
    sign_in("secretariat")
    html = page(client, grid_url(scene, "OPEC"))
    assert scene.subs["2.2"].title in html and 'name="action"' not in html and "<select" not in html
    round_page = page(client, f"/rounds/{scene.round9.id}")
    assert f'href="{grid_url(scene)}"' in round_page  # ICT still owes reports: its whole round one click away
    client.get("/logout")
    sign_in("reporter.opec")
    html = page(client, grid_url(scene, "OPEC"))
    assert f'name="row-{scene.subs["2.2"].id}-status"' not in html  # submitted: waiting for review


# --- the unit's round as XLSX -----------------------------------------------------------------------------

def upload(client, scene, html: str, data: bytes):
    return client.post(f"{grid_url(scene)}/sheet", content_type="multipart/form-data",
                       data={"csrf_token": csrf_from(html), "file": (io.BytesIO(data), "round.xlsx")})


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_units_round_goes_to_xlsx_and_back(client, scene, sign_in):
    sign_in("reporter.ict")
    response = client.get(f"{grid_url(scene)}/sheet.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.active
    headers = [c.value for c in sheet[5]]
    assert headers[:4] == ["รหัสประเด็นย่อย", "ชื่อประเด็นย่อย", "สถานะความก้าวหน้า", "ร้อยละ"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert sorted(rows) == sorted(ICT_CODES)
    assert rows["1.2"][3] == 60 and rows["1.4"][3] == 55  # the draft as saved; a new one from last round
    assert any("เป็นไปตามแผน" in (v.formula1 or "") for v in sheet.data_validations.dataValidation)
    for row in sheet.iter_rows(min_row=6):
        if row[0].value == "2.1":
            row[2].value, row[3].value, row[4].value = "มีความเสี่ยง", 48, "ติดตั้งระบบบางส่วน"
    html = page(client, grid_url(scene))
    response = upload(client, scene, html, workbook_bytes(book))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    r21 = ict_report(scene, "2.1")
    assert (r21.state, r21.status, r21.percent, r21.result) == ("draft", "at_risk", 48, "ติดตั้งระบบบางส่วน")
    assert all(ict_report(scene, code).state == "draft" for code in ICT_CODES)


def test_a_bad_xlsx_is_refused_with_every_problem_by_row_and_column(client, scene, sign_in):
    sign_in("reporter.ict")
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{grid_url(scene)}/sheet.xlsx").data))
    sheet = book.active
    sheet["C7"], sheet["D8"], sheet["A9"] = "ไม่มีสถานะนี้", "ครึ่งหนึ่ง", "9.9"
    sheet["C10"], sheet["D10"] = "แล้วเสร็จ", 80
    html = page(client, grid_url(scene))
    before = snapshot()
    response = upload(client, scene, html, workbook_bytes(book))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    for expected in ("แถว 7 คอลัมน์ สถานะความก้าวหน้า", "แถว 8 คอลัมน์ ร้อยละ", "แถว 9 คอลัมน์ รหัสประเด็นย่อย"):
        assert expected in text, expected
    assert snapshot() == before
    fixed = openpyxl.load_workbook(io.BytesIO(client.get(f"{grid_url(scene)}/sheet.xlsx").data))
    fixed.active["C10"], fixed.active["D10"] = "แล้วเสร็จ", 80  # completed must be 100: the service's rule
    response = upload(client, scene, html, workbook_bytes(fixed))
    assert response.status_code == 422
    assert "แถว 10 คอลัมน์ ร้อยละ: สถานะดำเนินการแล้วเสร็จต้องมีความก้าวหน้าร้อยละ 100" in response.get_data(as_text=True)
    assert upload(client, scene, html, b"not a workbook").status_code == 422
    assert snapshot() == before


# --- the API mirror -----------------------------------------------------------------------------------------

def test_the_api_reads_and_saves_the_units_round_all_or_nothing(client, scene, token_for):
    headers = token_for(demo_user("reporter.ict"))
    url = f"/api/v1/rounds/{scene.round9.id}/units/{scene.units['ICT'].id}/reports"
    grid = client.get(url, headers=headers).get_json()
    assert [row["code"] for row in grid["rows"]] == list(ICT_CODES) and grid["late"] is True
    s14 = next(row for row in grid["rows"] if row["code"] == "1.4")
    assert s14["report"] is None and s14["previous"]["percent"] == 55 and s14["editable"]
    before = snapshot()
    rows = [{"sub_item_id": row["sub_item_id"], "status": "on_track", "percent": 70, "result": f"ผล {row['code']}"}
            for row in grid["rows"]]
    rows[1]["result"] = None
    refused = client.put(url, headers=headers, json={"submit": True, "rows": rows})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {
        f"rows.{s14['sub_item_id']}.result": "กรุณากรอกผลการดำเนินงานก่อนส่งรายงาน"}
    assert snapshot() == before
    rows[1]["result"], rows[1]["links"] = "ผล 1.4", ["https://data.go.th/dataset/ict"]
    rows[0]["version"] = 1
    saved = client.put(url, headers=headers, json={"submit": True, "rows": rows})
    assert saved.status_code == 200, saved.get_json()
    states = {row["code"]: row["report"]["state"] for row in saved.get_json()["rows"]}
    assert states == dict.fromkeys(ICT_CODES, "submitted")
    assert [a["url"] for a in saved.get_json()["rows"][1]["report"]["attachments"]] == [
        "https://data.go.th/dataset/ict"]
