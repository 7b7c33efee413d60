"""Progress report pages on the demo: who may open which page, filing through the form, the review queue,
the dashboard and committee overview, the round page, its XLSX and DOCX, and attaching the round report
to the governance committee's agenda."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import func, select

from app.agenda.models import AgendaItem
from app.attachments.models import Attachment
from app.auth.models import User
from app.bodies.models import Body, Unit
from app.demo import data
from app.extensions import db
from app.meetings.models import Meeting
from app.reports import figures
from app.reports.models import Plan, ProgressReport, ReportingRound, SubItem
from tests.conftest import csrf_from

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def demo_user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == data.email(local)))


@dataclass
class Demo:
    """Ids in the loaded demo: the plan, its open 9-month round, sub-items by code, and two 9-month reports:
    a draft ICT has started on 1.2 and OPEC's submitted report on 2.2."""

    plan: Plan
    round9: ReportingRound
    subs: dict[str, SubItem]
    units: dict[str, Unit]
    ict_draft: ProgressReport
    opec_submitted: ProgressReport


@pytest.fixture
def scene(demo) -> Demo:
    plan = db.session.scalar(select(Plan).where(Plan.title == data.PLAN["title"]))
    round9 = db.session.scalar(select(ReportingRound).where(ReportingRound.plan_id == plan.id,
                                                            ReportingRound.months == 9))
    subs = {s.code: s for t in plan.themes for s in t.sub_items}
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    draft = ProgressReport(round_id=round9.id, sub_item_id=subs["1.2"].id, unit_id=units["ICT"].id, state="draft",
                           status="on_track", percent=60, result="ทดสอบระบบสารบรรณอิเล็กทรอนิกส์กับ 3 หน่วยงาน")
    db.session.add(draft)
    db.session.commit()
    opec = db.session.scalar(select(ProgressReport).where(
        ProgressReport.round_id == round9.id, ProgressReport.sub_item_id == subs["2.2"].id,
        ProgressReport.unit_id == units["OPEC"].id))
    assert opec.state == "submitted"
    return Demo(plan, round9, subs, units, draft, opec)


@pytest.fixture
def sign_in(app, login):
    """sign_in("secretariat") logs the client in as that demo account."""

    def do(local: str):
        return login(demo_user(local), app.config["DEMO_PASSWORD"])

    return do


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def token(client, url: str = "/reports/dashboard") -> str:
    return csrf_from(page(client, url))


def section(html: str, element_id: str) -> str:
    """The HTML from the element with that id to the end of its <section> or <aside>."""
    start = html.index(f'id="{element_id}"')
    end = min(i for i in (html.find("</section>", start), html.find("</aside>", start)) if i != -1)
    return html[start:end]


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProgressReport))


# --- who may open what ------------------------------------------------------------------------------

ROLES = ["anonymous", "admin", "secretariat", "reporter.ict", "reporter.opec", "member", "viewer"]

LINK = {"url": "https://data.go.th/dataset/moe"}
REPORT = {"status": "on_track", "percent": "90", "result": "แก้โดยผู้อื่น", "version": "1"}

# Refused writes through the action buttons are flashed and redirected (302); None: not checked here
# (the behaviour tests below do those writes and look at what they change).
#                                                            admin  sec  ict  opec member viewer
ROUTES: list[tuple[str, str, tuple[int | None, ...], dict | None]] = [
    ("GET", "/reports/mine",                                 (403, 403, 200, 200, 403, 403), None),
    ("GET", "/reports/new?round={r9}&sub_item={s14}",        (403, 403, 200, 403, 403, 403), None),
    ("POST", "/reports/new?round={r9}&sub_item={s14}",       (403, 403, None, 403, 403, 403), REPORT),
    ("GET", "/reports/new?round=999999&sub_item={s14}",      (403, 403, 404, 404, 403, 403), None),
    ("GET", "/reports/{ict_draft}",                          (200, 200, 200, 404, 404, 404), None),
    ("GET", "/reports/{ict_draft}/edit",                     (302, 302, 200, 404, 404, 404), None),
    ("POST", "/reports/{ict_draft}/edit",                    (302, 302, None, 404, 404, 404), REPORT),
    ("GET", "/reports/{ict_draft}/history",                  (200, 200, 200, 404, 404, 404), None),
    ("POST", "/reports/{ict_draft}/submit",                  (302, 302, None, 404, 404, 404), {"version": "1"}),
    ("POST", "/reports/{ict_draft}/evidence",                (302, 302, None, 404, 404, 404), LINK),
    ("POST", "/reports/{ict_draft}/evidence/999999/delete",  (302, 302, None, 404, 404, 404), None),
    ("POST", "/reports/{ict_draft}/accept",                  (None, None, 403, 404, 404, 404), None),
    ("GET", "/reports/{opec}",                               (200, 200, 404, 200, 200, 200), None),
    ("GET", "/reports/{opec}/edit",                          (302, 302, 404, 302, 302, 302), None),
    ("POST", "/reports/{opec}/accept",                       (None, None, 404, 403, 403, 403), None),
    ("POST", "/reports/{opec}/return",                       (None, None, 404, 403, 403, 403), {"comment": "แก้"}),
    ("GET", "/reports/999999",                               (404, 404, 404, 404, 404, 404), None),
    ("GET", "/reports/review",                               (200, 200, 403, 403, 403, 403), None),
    ("GET", "/rounds/{r9}",                                  (200, 200, 200, 200, 200, 200), None),
    ("GET", "/rounds/999999",                                (404, 404, 404, 404, 404, 404), None),
    ("GET", "/rounds/{r9}/export.xlsx",                      (200, 200, 200, 200, 200, 200), None),
    ("GET", "/rounds/{r9}/report.docx",                      (200, 200, 200, 200, 200, 200), None),
    ("POST", "/rounds/{r9}/attach",                          (None, None, 403, 403, 403, 403), None),
    ("GET", "/reports/dashboard",                            (200, 200, 200, 200, 200, 200), None),
    ("GET", "/reports/dashboard?plan={plan}&round={r9}",     (200, 200, 200, 200, 200, 200), None),
    ("GET", "/reports/dashboard?plan=999999",                (404, 404, 404, 404, 404, 404), None),
    ("GET", "/reports/dashboard?plan={plan}&round=999999",   (404, 404, 404, 404, 404, 404), None),
]


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(client, scene, sign_in, role):
    ids = {"r9": scene.round9.id, "s14": scene.subs["1.4"].id, "plan": scene.plan.id,
           "ict_draft": scene.ict_draft.id, "opec": scene.opec_submitted.id}
    if role != "anonymous":
        sign_in(role)
    csrf = token(client, "/login" if role == "anonymous" else "/reports/dashboard")
    before = report_count()
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
    assert wrong == []
    db.session.expire_all()
    assert report_count() == before
    draft, submitted = (db.session.get(ProgressReport, r.id) for r in (scene.ict_draft, scene.opec_submitted))
    assert (draft.state, draft.percent, draft.version) == ("draft", 60, 1)
    assert submitted.state == "submitted"
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


# --- a reporter's pages -------------------------------------------------------------------------------

def test_my_reports_lists_what_is_due_with_links_to_file(client, scene, sign_in):
    sign_in("reporter.ict")
    html = page(client, "/reports/mine")
    open_round = section(html, f"round-{scene.round9.id}")
    assert "รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563" in open_round and "เลยกำหนด" in open_round
    for code in ("1.4", "2.1", "2.2", "3.1"):  # nothing filed yet: a link to file each
        assert f"/reports/new?round={scene.round9.id}&amp;sub_item={scene.subs[code].id}" in open_round, code
        assert scene.subs[code].title in open_round
    draft_line = list_item(open_round, scene.subs["1.2"].title)
    assert f"/reports/{scene.ict_draft.id}/edit" in draft_line and "/reports/new" not in draft_line  # carry on
    assert scene.subs["1.1"].title not in open_round  # not ICT's
    six = db.session.scalar(select(ReportingRound).where(ReportingRound.months == 6))
    closed = section(html, f"round-{six.id}")
    assert "ปิดรอบแล้ว" in closed and "/reports/new" not in closed and closed.count("ดูรายงาน") == 5


def list_item(html: str, text: str) -> str:
    """The <li> holding the text."""
    at = html.index(text)
    return html[html.rindex("<li", 0, at):html.index("</li>", at)]


def form_data(csrf: str, **fields) -> dict:
    return {"csrf_token": csrf, "status": "on_track", "percent": "50", "achieved_value": "",
            "result": "ผลการดำเนินงาน", "obstacles": "", "suggestions": "", "save": "บันทึกร่าง", **fields}


@pytest.mark.parametrize("fields,message", [
    ({"percent": "150"}, "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
    ({"percent": "-1"}, "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
    ({"percent": "ห้าสิบ"}, "ต้องเป็นจำนวนเต็ม"),
    ({"status": "completed", "percent": "50"}, "สถานะดำเนินการแล้วเสร็จต้องมีความก้าวหน้าร้อยละ 100"),
])
def test_a_bad_percent_is_shown_by_the_field_and_nothing_is_saved(client, scene, sign_in, fields, message):
    sign_in("reporter.ict")
    url = f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}"
    before = report_count()
    response = client.post(url, data=form_data(token(client, url), result="ข้อความที่พิมพ์ไว้", **fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    percent_field = html[html.index('name="percent"'):html.index('name="result"')]
    assert f'<div class="invalid-feedback d-block">{message}</div>' in percent_field
    status_field = html[html.index('name="status"'):html.index('name="percent"')]
    assert "invalid-feedback" not in status_field
    assert "ข้อความที่พิมพ์ไว้" in html
    db.session.expire_all()
    assert report_count() == before


def test_filing_and_submitting_through_the_form(client, scene, sign_in):
    sign_in("reporter.ict")
    url = f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}"
    response = client.post(url, data=form_data(token(client, url), percent="65", achieved_value="0.5",
                                               result="ระบบ e-Inspection เชื่อมต่อข้อมูลแล้ว",
                                               save_and_submit="บันทึกและส่งรายงาน"))
    assert response.status_code == 302
    report = db.session.scalar(select(ProgressReport).where(ProgressReport.sub_item_id == scene.subs["1.4"].id,
                                                            ProgressReport.unit_id == scene.units["ICT"].id,
                                                            ProgressReport.round_id == scene.round9.id))
    assert response.headers["Location"].endswith(f"/reports/{report.id}")
    assert (report.state, report.percent, str(report.achieved_value)) == ("submitted", 65, "0.50")
    assert report.created_by_id == demo_user("reporter.ict").id
    # asking for the form again leads to the report, not to a second one
    again = client.get(url)
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/reports/{report.id}/edit")


def test_a_submit_without_result_saves_nothing(client, scene, sign_in):
    sign_in("reporter.ict")
    url = f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}"
    before = report_count()
    response = client.post(url, data=form_data(token(client, url), result="", save_and_submit="ส่ง"))
    assert response.status_code == 422 and "กรุณากรอกผลการดำเนินงาน" in response.get_data(as_text=True)
    db.session.expire_all()
    assert report_count() == before


def test_the_form_shows_the_previous_rounds_report(client, scene, sign_in):
    sign_in("reporter.ict")
    html = page(client, f"/reports/new?round={scene.round9.id}&sub_item={scene.subs['1.4'].id}")
    previous = section(html, "previous-round")
    # the demo's accepted 6-month report of ICT on 1.4 (55 %)
    assert "รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2563" in previous
    assert "ผลการดำเนินงานสะสมรอบ 6 เดือน ดำเนินการแล้วร้อยละ 55 ของแผน" in previous
    edit = section(page(client, f"/reports/{scene.ict_draft.id}/edit"), "previous-round")
    assert "ผลการดำเนินงานสะสมรอบ 6 เดือน ดำเนินการแล้วร้อยละ 50 ของแผน" in edit  # 1.2 at 6 months: 50 %


def test_a_stale_edit_is_409_and_keeps_the_typed_text(client, app, scene, sign_in, login):
    url = f"/reports/{scene.ict_draft.id}/edit"
    sign_in("reporter.ict")
    csrf = token(client, url)
    other = app.test_client()
    login(demo_user("reporter.ict"), app.config["DEMO_PASSWORD"], c=other)
    saved = other.post(url, data=form_data(csrf_from(page(other, url)), version="1", percent="70",
                                           result="บันทึกจากอีกหน้าต่างหนึ่ง"))
    assert saved.status_code == 302
    response = client.post(url, data=form_data(csrf, version="1", percent="80", result="ข้อความที่เพิ่งพิมพ์"))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ข้อความที่เพิ่งพิมพ์" in html and 'value="80"' in html
    assert "ถูกแก้ไขโดยผู้อื่นแล้ว" in html
    db.session.expire_all()
    report = db.session.get(ProgressReport, scene.ict_draft.id)
    assert (report.version, report.percent, report.result) == (2, 70, "บันทึกจากอีกหน้าต่างหนึ่ง")


def test_a_tampered_version_is_refused_not_a_server_error(client, scene, sign_in):
    url = f"/reports/{scene.ict_draft.id}/edit"
    sign_in("reporter.ict")
    response = client.post(url, data=form_data(token(client, url), version="x", percent="80"))
    assert response.status_code in (409, 422)
    db.session.expire_all()
    assert db.session.get(ProgressReport, scene.ict_draft.id).percent == 60


# --- the secretariat's pages -------------------------------------------------------------------------------

def test_review_queue_lists_submitted_reports_and_accepts_from_it(client, scene, sign_in):
    sign_in("secretariat")
    html = page(client, "/reports/review")
    waiting = db.session.scalars(select(ProgressReport).where(ProgressReport.state == "submitted",
                                                              ProgressReport.round_id == scene.round9.id)).all()
    assert len(waiting) == 16
    for report in waiting:
        assert f'action="/reports/{report.id}/accept"' in html
    assert f"/reports/{scene.ict_draft.id}/accept" not in html  # drafts are not waiting
    report = scene.opec_submitted
    response = client.post(f"/reports/{report.id}/accept", data={
        "csrf_token": csrf_from(html), "version": str(report.version), "next_queue": "1", "confirmed": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/review")
    db.session.expire_all()
    accepted = db.session.get(ProgressReport, report.id)
    assert accepted.state == "accepted" and accepted.accepted_at is not None
    after = page(client, "/reports/review")
    still_waiting = db.session.scalar(select(func.count()).select_from(ProgressReport).where(
        ProgressReport.state.in_(("submitted", "resubmitted"))))  # every round's, the current demo year's too
    assert f'action="/reports/{report.id}/accept"' not in after and after.count('/accept"') == still_waiting


def test_returning_needs_a_comment(client, scene, sign_in, outbox):
    sign_in("secretariat")
    report = scene.opec_submitted
    url = f"/reports/{report.id}"
    for blank in ("", "   "):
        refused = client.post(f"{url}/return", data={"csrf_token": token(client, url), "comment": blank,
                                                     "version": str(report.version)}, follow_redirects=True)
        assert "กรุณาระบุเหตุผลที่ส่งกลับ" in refused.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(ProgressReport, report.id).state == "submitted"
    assert not outbox.exists() or not list(outbox.glob("*.eml"))
    returned = client.post(f"{url}/return", data={"csrf_token": token(client, url), "version": str(report.version),
                                                  "comment": "กรุณาแนบรายชื่อโรงเรียนที่เชื่อมโยงข้อมูลแล้ว"})
    assert returned.status_code == 302
    db.session.expire_all()
    stored = db.session.get(ProgressReport, report.id)
    assert (stored.state, stored.review_comment) == ("returned", "กรุณาแนบรายชื่อโรงเรียนที่เชื่อมโยงข้อมูลแล้ว")
    assert [p.name.split("-", 2)[2] for p in outbox.glob("*.eml")] == ["reporter.opec@demo.prachum.in.th.eml"]


# --- dashboard and committee overview ----------------------------------------------------------------------

def test_dashboard_shows_themes_sub_items_bars_badges_and_units(client, scene, sign_in):
    sign_in("member")
    html = page(client, f"/reports/dashboard?plan={scene.plan.id}&round={scene.round9.id}")
    rollup = figures.round_rollup(scene.round9)
    plan_part = section(html, "plan-figure")
    assert f'{rollup.figure.percent_rounded:.2f}%' in plan_part
    assert plan_part.count('class="card mb-3 theme"') == 3 and plan_part.count("sub-item\" id=") == 13
    for _number, title in data.THEMES:
        assert title in plan_part
    for theme_figure in rollup.figure.children:
        theme_html = plan_part[plan_part.index(f'id="theme-{theme_figure.id}"'):]
        assert f'aria-valuenow="{theme_figure.percent_rounded}"' in theme_html[:3000]
        for sub_figure in theme_figure.children:
            sub_html = section_li(plan_part, f"sub-item-{sub_figure.id}")
            sub_item = rollup.sub_items[sub_figure.id]
            assert sub_item.title in sub_html
            assert 'class="progress-bar bg-' in sub_html and f"{sub_figure.percent_rounded:.2f}%" in sub_html
            assert 'class="badge bg-' in sub_html
            for unit in sub_item.units:  # drill-down: every responsible unit
                assert unit.name in sub_html, (sub_item.code, unit.code)
    sub_22 = section_li(plan_part, f"sub-item-{scene.subs['2.2'].id}")
    assert "ล่าช้า" in sub_22 and "ยังไม่ส่ง" in sub_22  # OPEC delayed; ONIE and ICT missing
    assert "เปรียบเทียบรอบ ปีงบประมาณ พ.ศ. 2563" in html and html.count("<rect ") == 3


def section_li(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</li>", start)]


def test_committee_overview_shows_the_governance_committee(client, scene, sign_in):
    sign_in("viewer")
    html = page(client, "/reports/dashboard")
    view = html[html.index('class="card mb-3 committee-view"'):]
    view = view[:view.index("</section>")]
    assert data.COMMITTEE_NAME in view
    assert f"/reports/dashboard?plan={scene.plan.id}&amp;round={scene.round9.id}" in view
    assert "รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563" in view
    committee = db.session.scalar(select(Body).where(Body.name == data.COMMITTEE_NAME))
    figure = figures.committee_view(committee).figure
    assert f"{figure.percent_rounded:.2f}%" in view and "ส่งแล้ว 16/23" in view


# --- the round page and its documents ------------------------------------------------------------------------

def test_the_round_page_lists_missing_reports_per_unit_and_per_sub_item(client, scene, sign_in):
    sign_in("secretariat")
    html = page(client, f"/rounds/{scene.round9.id}")
    by_unit = section(html, "missing-by-unit")
    rows = re.findall(r'<strong><span class="unit-name" title="(\w+)">[^<]+</span></strong>.*?badge bg-danger">(\d+)</span>'
                      r'\s*<div class="text-muted">(.*?)</div>', by_unit, re.S)
    missing = {code: (int(n), re.sub(r"\s+", " ", items).strip()) for code, n, items in rows}
    # ICT has filed only a draft on 1.2 (listed with its state); ONIE owes 2.2 and BLA 3.4
    assert missing == {"BLA": (1, "3.4"), "ICT": (5, "1.2 (ร่าง), 1.4, 2.1, 2.2, 3.1"), "ONIE": (1, "2.2")}
    by_sub = section(html, "missing-by-sub-item")
    rows = re.findall(r'<strong>([\d.]+)</strong>.*?<div class="text-muted">(.*?)</div>', by_sub, re.S)
    rows = [(code, ", ".join(re.findall(r'title="[^"]*\((\w+)\)"', units))) for code, units in rows]  # names shown
    assert {code: units.strip() for code, units in rows} == {
        "1.2": "ICT", "1.4": "ICT", "2.1": "ICT", "2.2": "ICT, ONIE", "3.1": "ICT", "3.4": "BLA"}
    assert html.count("<tr") - 1 == 23  # one row per expected report (header row aside)
    assert "ส่งแล้ว 16/23" in html and "ยังไม่ส่ง 7" in html


def test_the_xlsx_export_has_a_row_per_expected_report_and_a_rollup_sheet(client, scene, sign_in):
    sign_in("secretariat")
    response = client.get(f"/rounds/{scene.round9.id}/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert 'filename="progress-plan' in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    reports, rollup = book.worksheets
    assert (reports.title, rollup.title) == ("รายงาน", "สรุปภาพรวม")
    lines = [row for row in reports.iter_rows(min_row=4, values_only=True) if any(row)]
    assert len(lines) == 23
    expected = {(u.code, code) for code, s in scene.subs.items() for u in s.units}
    assert {(line[0], line[2]) for line in lines} == expected
    opec = next(line for line in lines if line[:3:2] == ("OPEC", "2.2"))
    assert (opec[4], opec[5], opec[10]) == ("ล่าช้ากว่าแผน", 50, "ส่งแล้ว")
    assert next(line for line in lines if line[:3:2] == ("ICT", "2.1"))[10] == "ยังไม่ส่ง"
    levels = [row for row in rollup.iter_rows(min_row=4, values_only=True) if any(row)]
    assert len(levels) == 1 + 3 + 13
    figure = figures.round_rollup(scene.round9).figure
    assert levels[0][0] == "แผน" and levels[0][3] == figure.percent_rounded and levels[0][5:] == (23, 16, 0, 7, 9)


def test_the_docx_report_has_the_plan_every_sub_item_and_the_official_font(client, scene, sign_in):
    sign_in("secretariat")
    response = client.get(f"/rounds/{scene.round9.id}/report.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert data.PLAN["title"] in text
    for code in data.SUB_ITEMS:
        assert code in cells, code
        assert data.SUB_ITEMS[code]["title"] in text
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text.strip()]
    assert runs
    for run in runs:
        fonts = run._r.rPr.rFonts if run._r.rPr is not None else None
        assert fonts is not None and fonts.get(qn("w:cs")) == "TH Sarabun New" == fonts.get(qn("w:ascii")), run.text


def test_the_docx_report_shows_a_reporter_no_other_units_texts(client, scene, sign_in):
    sign_in("reporter.ict")
    assert client.get(f"/reports/{scene.opec_submitted.id}").status_code == 404
    document = Document(io.BytesIO(client.get(f"/rounds/{scene.round9.id}/report.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert scene.opec_submitted.result not in text


def test_every_report_link_on_the_dashboard_opens(client, scene, sign_in):
    sign_in("reporter.ict")
    html = page(client, f"/reports/dashboard?plan={scene.plan.id}&round={scene.round9.id}")
    links = set(re.findall(r'href="(/reports/\d+)"', html))
    assert links
    assert {link: client.get(link).status_code for link in links} == {link: 200 for link in links}


# --- to the committee's agenda ---------------------------------------------------------------------------------

def committee_meeting() -> Meeting:
    committee = db.session.scalar(select(Body).where(Body.name == data.COMMITTEE_NAME))
    return db.session.scalar(select(Meeting).where(Meeting.body_id == committee.id))


def test_attaching_the_round_report_adds_a_section_4_item_on_the_committee_meeting(client, scene, sign_in):
    sign_in("secretariat")
    meeting = committee_meeting()
    url = f"/rounds/{scene.round9.id}"
    html = page(client, url)
    assert f'value="meeting:{meeting.id}"' in section(html, "attach")
    response = client.post(f"{url}/attach", data={"csrf_token": csrf_from(html), "target": f"meeting:{meeting.id}"})
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                             .order_by(AgendaItem.id.desc()))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}/agenda#item-{item.id}")
    assert (item.section, item.number) == (4, "4.2") and "รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563" in item.title
    assert "ส่งแล้ว 16 จาก 23 รายงาน" in item.detail
    (attachment,) = item.attachments
    assert attachment.content_type == DOCX and attachment.title.endswith(".docx") and attachment.size > 10_000


def test_attaching_to_an_existing_item(client, scene, sign_in):
    sign_in("secretariat")
    meeting = committee_meeting()
    existing = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.section == 4))
    url = f"/rounds/{scene.round9.id}"
    items_before = db.session.scalar(select(func.count()).select_from(AgendaItem))
    response = client.post(f"{url}/attach", data={"csrf_token": token(client, url), "target": f"item:{existing.id}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#item-{existing.id}")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == items_before
    assert [a.content_type for a in db.session.get(AgendaItem, existing.id).attachments] == [DOCX]
    # a target that is not offered (another body's meeting) is refused
    obec = db.session.scalar(select(Meeting).where(Meeting.year_be == 2566))
    refused = client.post(f"{url}/attach", data={"csrf_token": token(client, url), "target": f"meeting:{obec.id}"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith(url)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == items_before
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_attaching_the_same_round_again_asks_before_replacing_the_earlier_copy(client, scene, sign_in):
    sign_in("secretariat")
    meeting = committee_meeting()
    url = f"/rounds/{scene.round9.id}"
    target = {"target": f"meeting:{meeting.id}"}
    assert client.post(f"{url}/attach", data={"csrf_token": token(client, url), **target}).status_code == 302
    db.session.expire_all()
    (first,) = db.session.scalars(select(Attachment)).all()
    first_key, item_id = first.storage_key, first.agenda_item_id
    asked = client.post(f"{url}/attach", data={"csrf_token": token(client, url), **target})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'id="confirm-form"' in html and "แทนที่ฉบับเดิม" in html
    assert 'name="confirmed" value="1"' in html and f'value="meeting:{meeting.id}"' in html
    db.session.expire_all()
    assert [a.storage_key for a in db.session.scalars(select(Attachment))] == [first_key]  # nothing yet
    confirmed = client.post(f"{url}/attach", data={"csrf_token": csrf_from(html), "confirmed": "1", **target})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(f"#item-{item_id}")
    db.session.expire_all()
    (replaced,) = db.session.scalars(select(Attachment)).all()
    assert replaced.storage_key != first_key and replaced.agenda_item_id == item_id
    assert replaced.round_id == scene.round9.id


def test_the_round_report_is_thai_from_the_english_ui(client, scene, sign_in):
    sign_in("secretariat")
    page(client, "/reports/dashboard?lang=en")
    document = Document(io.BytesIO(client.get(f"/rounds/{scene.round9.id}/report.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "รายงานผลการดำเนินงาน" in text and "ข้อมูล ณ วันที่" in text and "คำอธิบาย:" in text
    assert [c.text for c in document.tables[0].rows[0].cells] == ["ข้อ", "ประเด็น", "น้ำหนัก", "ร้อยละ", "สถานะ",
                                                                    "รายงานที่ส่ง"]
    assert "Status" not in text and "Result" not in text
    meeting = committee_meeting()
    url = f"/rounds/{scene.round9.id}"
    client.post(f"{url}/attach", data={"csrf_token": token(client, url), "target": f"meeting:{meeting.id}"})
    db.session.expire_all()
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert attachment.title.startswith("รายงานผลการดำเนินงาน รอบ 9 เดือน")
    assert attachment.agenda_item.title.startswith("ผลการดำเนินงานตาม")
