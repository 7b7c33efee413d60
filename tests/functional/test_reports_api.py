"""Plans, reporting rounds, progress reports and the roll-up through /api/v1: the contract, every refusal
(with nothing changed), the review workflow with its audit trail and e-mail, evidence, who reads what,
and the roll-up numbers worked out by hand; then the demo's 9-month round end to end."""
from __future__ import annotations

import email
import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.auth.services import issue_token
from app.auth.models import User
from app.bodies.models import Body, Unit
from app.extensions import db
from app.reports.models import Plan, ProgressReport, ReportingRound, ReportVersion, SubItem, Theme
from app.rollup import SEVERITY
from tests.functional.test_api_core import assert_error

DUE = date(2020, 7, 15)  # the 9-month round of FY 2563 is due on 15 Jul 2020 (long past)


# --- a small hand-made plan ----------------------------------------------------------------------

def make_plan(owner: Body, themes: list[tuple[int, list[tuple[int, list[Unit]]]]], *,
              title: str = "แผนทดสอบการติดตามผล", years: tuple[int, int] = (2562, 2564)) -> Plan:
    """A plan of the owner body: themes given as (weight, [(sub-item weight, responsible units), …])."""
    plan = Plan(title=title, owner_body_id=owner.id, start_year_be=years[0], end_year_be=years[1])
    db.session.add(plan)
    for t_number, (t_weight, sub_items) in enumerate(themes, start=1):
        theme = Theme(plan=plan, number=t_number, title=f"ประเด็นหลักที่ {t_number}", weight=t_weight)
        for s_number, (s_weight, units) in enumerate(sub_items, start=1):
            theme.sub_items.append(SubItem(number=s_number, title=f"ประเด็นย่อย {t_number}.{s_number}",
                                           weight=s_weight, outputs=f"ผลผลิต {t_number}.{s_number}",
                                           target="ดำเนินการครบ 1 ระบบ", target_value=1, target_unit="ระบบ",
                                           units=list(units)))
        db.session.add(theme)
    db.session.commit()
    return plan


def make_round(plan: Plan, months: int = 9, fy: int = 2563, due: date = DUE, status: str = "open") -> ReportingRound:
    from app.thaidates import round_period

    start, end = round_period(fy, months)
    round_ = ReportingRound(plan_id=plan.id, fiscal_year_be=fy, months=months, period_start=start, period_end=end,
                            due_date=due, status=status)
    db.session.add(round_)
    db.session.commit()
    return round_


def bangkok(y, m, d, hh=10, mm=0) -> datetime:
    """A Bangkok wall-clock time as aware UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Asia/Bangkok")).astimezone(timezone.utc)


def put_report(round_: ReportingRound, sub_item: SubItem, unit: Unit, state: str, status: str, percent: int,
               submitted: datetime | None = None, result: str = "ผลการดำเนินงาน") -> ProgressReport:
    """A report written straight to the database (for reading and roll-up cases)."""
    report = ProgressReport(round_id=round_.id, sub_item_id=sub_item.id, unit_id=unit.id, state=state, status=status,
                            percent=percent, result=result, submitted_at=submitted,
                            accepted_at=submitted if state == "accepted" else None)
    db.session.add(report)
    db.session.commit()
    return report


@dataclass
class World:
    """Units ICT, BPS, BIE; a working group's plan; its open 9-month round of FY 2563; a user per role."""

    plan: Plan
    round: ReportingRound
    units: dict[str, Unit]
    subs: dict[str, SubItem]
    users: dict[str, User]
    headers: dict[str, dict]


@pytest.fixture
def world(make_unit, make_user, make_body, add_member) -> World:
    units = {code: make_unit(code, f"หน่วยงาน {code}") for code in ("ICT", "BPS", "BIE")}
    committee = make_body("คณะกรรมการนโยบายการกำกับองค์การที่ดี", kind="committee")
    group = make_body("คณะทำงานติดตามผล", numbering="fiscal", parent=committee)
    ict, bps, bie = units["ICT"], units["BPS"], units["BIE"]
    # theme 1 (weight 1): 1.1 (weight 1: ICT, BPS), 1.2 (weight 3: ICT)
    # theme 2 (weight 2): 2.1 (weight 1: ICT, BPS, BIE), 2.2 (weight 1: BIE)
    plan = make_plan(group, [(1, [(1, [ict, bps]), (3, [ict])]), (2, [(1, [ict, bps, bie]), (1, [bie])])])
    subs = {s.code: s for t in plan.themes for s in t.sub_items}
    users = {
        "ict": make_user("reporter", unit=ict, name="นายผู้รายงาน ศทก."),
        "ict2": make_user("reporter", unit=ict, name="นางสาวผู้รายงาน ศทก. สอง"),
        "ict_inactive": make_user("reporter", unit=ict, active=False),
        "bps": make_user("reporter", unit=bps),
        "bie": make_user("reporter", unit=bie),
        "secretariat": make_user("secretariat"),
        "admin": make_user("admin"),
        "member": make_user("member"),
        "outsider": make_user("member"),
        "viewer": make_user("viewer"),
    }
    add_member(group, users["member"])
    headers = {key: {"Authorization": f"Bearer {issue_token(user, 'test')}"}
               for key, user in users.items() if user.is_active_user}
    db.session.commit()  # one commit for every token
    return World(plan, make_round(plan), units, subs, users, headers)


def row_counts() -> tuple[int, int, int, int]:
    """Rows of progress_reports, report_versions, audit_events and attachments."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (ProgressReport, ReportVersion, AuditEvent, Attachment))


@contextmanager
def nothing_changes():
    """The block's requests leave every report, version, audit event and attachment as they were."""
    db.session.expire_all()
    before = row_counts()
    yield
    db.session.expire_all()
    assert row_counts() == before


def stored(report_id: int) -> ProgressReport:
    db.session.expire_all()
    return db.session.get(ProgressReport, report_id)


def file_report(client, w: World, sub: str = "1.1", who: str = "ict", **fields):
    data = {"sub_item_id": w.subs[sub].id, "round_id": w.round.id, "status": "on_track", "percent": 40,
            "result": "ดำเนินการแล้ว 2 จาก 5 กิจกรรม", **fields}
    return client.post("/api/v1/reports", json=data, headers=w.headers[who])


def filed(client, w: World, sub: str = "1.1", who: str = "ict", **fields) -> dict:
    response = file_report(client, w, sub, who, **fields)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def act(client, w: World, report: dict | int, action: str, who: str, **body):
    report_id = report["id"] if isinstance(report, dict) else report
    return client.post(f"/api/v1/reports/{report_id}/{action}", json=body, headers=w.headers[who])


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def audit_trail(report_id: int) -> list[tuple[str, int | None]]:
    db.session.expire_all()
    return [(e.action, e.user_id) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "progress_report", AuditEvent.object_id == report_id)
        .order_by(AuditEvent.id))]


# --- plans ---------------------------------------------------------------------------------------

def test_plans_list_and_detail_shape(client, world):
    w = world
    items = ok(client.get("/api/v1/plans", headers=w.headers["member"]))["items"]
    assert items == [{"id": w.plan.id, "title": "แผนทดสอบการติดตามผล", "owner_body_id": w.plan.owner_body_id,
                      "start_year_be": 2562, "end_year_be": 2564}]
    plan = ok(client.get(f"/api/v1/plans/{w.plan.id}", headers=w.headers["ict"]))
    assert plan["id"] == w.plan.id and plan["title"] == w.plan.title
    assert [(t["title"], t["weight"]) for t in plan["themes"]] == [("ประเด็นหลักที่ 1", 1.0), ("ประเด็นหลักที่ 2", 2.0)]
    subs = [s for t in plan["themes"] for s in t["sub_items"]]
    assert [(s["code"], s["weight"]) for s in subs] == [("1.1", 1.0), ("1.2", 3.0), ("2.1", 1.0), ("2.2", 1.0)]
    first = subs[0]
    assert {"id", "title", "weight", "units", "target", "target_value", "target_unit", "outputs"} <= set(first)
    assert (first["target"], first["target_value"], first["target_unit"]) == ("ดำเนินการครบ 1 ระบบ", 1.0, "ระบบ")
    assert all(set(u) == {"id", "code", "name"} for s in subs for u in s["units"])
    assert [u["code"] for u in subs[2]["units"]] == ["BIE", "BPS", "ICT"]
    assert subs[0]["units"][0] == {"id": w.units["BPS"].id, "code": "BPS", "name": "หน่วยงาน BPS"}
    assert_error(client.get("/api/v1/plans/999999", headers=w.headers["ict"]), 404, "not_found")
    assert_error(client.get("/api/v1/plans"), 401)


# --- rounds --------------------------------------------------------------------------------------

@pytest.fixture
def bare_plan(world) -> Plan:
    """A second plan of the same working group, without rounds."""
    return make_plan(world.plan.owner_body, [(1, [(1, [world.units["ICT"]])])], title="แผนที่ยังไม่มีรอบ")


@pytest.mark.parametrize("months,end", [(3, "2019-12-31"), (6, "2020-03-31"), (9, "2020-06-30"), (12, "2020-09-30")])
def test_opening_a_round_computes_its_period(client, world, bare_plan, months, end):
    response = client.post("/api/v1/rounds", json={"plan_id": bare_plan.id, "fiscal_year_be": 2563, "months": months,
                                                   "due_date": "2020-10-15"}, headers=world.headers["secretariat"])
    body = ok(response, 201)
    assert body == {"id": body["id"], "plan_id": bare_plan.id, "fiscal_year_be": 2563, "months": months,
                    "period_start": "2019-10-01", "period_end": end, "due_date": "2020-10-15", "status": "open"}
    round_ = db.session.get(ReportingRound, body["id"])
    assert (round_.period_start, round_.period_end) == (date(2019, 10, 1), date.fromisoformat(end))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.open"))
    assert event.user_id == world.users["secretariat"].id and event.object_id == body["id"]


def test_rounds_are_listed_per_plan_latest_first(client, world, bare_plan):
    w = world
    make_round(bare_plan, 3, due=date(2020, 1, 15))
    make_round(bare_plan, 6, due=date(2020, 4, 15))
    listed = ok(client.get(f"/api/v1/rounds?plan={bare_plan.id}", headers=w.headers["viewer"]))["items"]
    assert [(r["plan_id"], r["months"]) for r in listed] == [(bare_plan.id, 6), (bare_plan.id, 3)]
    every = ok(client.get("/api/v1/rounds", headers=w.headers["ict"]))["items"]
    assert {r["id"] for r in every} == {r["id"] for r in listed} | {w.round.id}
    assert ok(client.get(f"/api/v1/rounds/{w.round.id}", headers=w.headers["member"]))["months"] == 9
    assert_error(client.get("/api/v1/rounds/999999", headers=w.headers["member"]), 404)


def test_a_round_twice_is_409(client, world):
    w = world
    with nothing_changes():
        response = client.post("/api/v1/rounds", json={"plan_id": w.plan.id, "fiscal_year_be": 2563, "months": 9,
                                                       "due_date": "2020-07-15"}, headers=w.headers["secretariat"])
        assert_error(response, 409, "conflict")
    assert db.session.scalar(select(func.count()).select_from(ReportingRound)) == 1


@pytest.mark.parametrize("change,field", [
    ({"months": 5}, "months"),
    ({"fiscal_year_be": 2565}, "fiscal_year_be"),  # the plan covers 2562–2564
    ({"fiscal_year_be": 2561}, "fiscal_year_be"),
    ({"due_date": "2019-09-30"}, "due_date"),  # before the period starts on 1 Oct 2019
    ({"due_date": "15/07/2563"}, "due_date"),
    ({"plan_id": 999999}, "plan_id"),
])
def test_bad_rounds_are_422_by_field(client, world, bare_plan, change, field):
    data = {"plan_id": bare_plan.id, "fiscal_year_be": 2563, "months": 9, "due_date": "2020-07-15", **change}
    with nothing_changes():
        error = assert_error(client.post("/api/v1/rounds", json=data, headers=world.headers["secretariat"]), 422)
    assert field in error["fields"], error
    assert db.session.scalar(select(func.count()).select_from(ReportingRound)) == 1


@pytest.mark.parametrize("who", ["ict", "member", "viewer"])
def test_only_staff_open_or_change_rounds(client, world, bare_plan, who):
    w = world
    with nothing_changes():
        assert_error(client.post("/api/v1/rounds", json={"plan_id": bare_plan.id, "fiscal_year_be": 2563, "months": 3,
                                                         "due_date": "2020-01-15"}, headers=w.headers[who]), 403,
                     "forbidden")
        assert_error(client.patch(f"/api/v1/rounds/{w.round.id}", json={"status": "closed"}, headers=w.headers[who]),
                     403, "forbidden")
    assert db.session.scalar(select(func.count()).select_from(ReportingRound)) == 1
    assert stored_round(w.round.id).status == "open"


def stored_round(round_id: int) -> ReportingRound:
    db.session.expire_all()
    return db.session.get(ReportingRound, round_id)


def test_a_closed_round_takes_no_more_changes(client, world):
    w = world
    draft = filed(client, w, "1.1")
    other = filed(client, w, "1.2")
    ok(act(client, w, other, "submit", "ict", version=1))
    closed = ok(client.patch(f"/api/v1/rounds/{w.round.id}", json={"status": "closed"},
                             headers=w.headers["secretariat"]))
    assert closed["status"] == "closed"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.close")).user_id == \
        w.users["secretariat"].id
    with nothing_changes():
        assert_error(file_report(client, w, "2.1"), 409, "round_closed")
        assert_error(client.patch(f"/api/v1/reports/{draft['id']}", json={"version": 1, "percent": 60},
                                  headers=w.headers["ict"]), 409, "round_closed")
        assert_error(act(client, w, draft, "submit", "ict", version=1), 409, "round_closed")
        assert_error(act(client, w, other, "accept", "secretariat"), 409, "round_closed")
        assert_error(act(client, w, other, "return", "secretariat", comment="แก้ไข"), 409, "round_closed")
    assert stored(draft["id"]).percent == 40
    ok(client.patch(f"/api/v1/rounds/{w.round.id}", json={"status": "open"}, headers=w.headers["secretariat"]))
    assert ok(client.patch(f"/api/v1/reports/{draft['id']}", json={"version": 1, "percent": 60},
                           headers=w.headers["ict"]))["percent"] == 60


def test_the_due_date_can_move_but_not_before_the_period(client, world):
    w = world
    moved = ok(client.patch(f"/api/v1/rounds/{w.round.id}", json={"due_date": "2020-07-31"},
                            headers=w.headers["secretariat"]))
    assert moved["due_date"] == "2020-07-31"
    error = assert_error(client.patch(f"/api/v1/rounds/{w.round.id}", json={"due_date": "2019-09-01"},
                                      headers=w.headers["secretariat"]), 422)
    assert "due_date" in error["fields"]
    assert stored_round(w.round.id).due_date == date(2020, 7, 31)


# --- filing --------------------------------------------------------------------------------------

def test_a_reporter_files_a_draft_for_their_own_unit(client, world):
    w = world
    report = filed(client, w, "1.1", percent=45, obstacles="งบประมาณล่าช้า")
    assert report["state"] == "draft" and report["version"] == 1
    assert report["unit_id"] == w.units["ICT"].id and report["round_id"] == w.round.id
    assert (report["status"], report["percent"], report["obstacles"]) == ("on_track", 45, "งบประมาณล่าช้า")
    assert report["submitted_at"] is None and report["accepted_at"] is None
    row = stored(report["id"])
    assert row.created_by_id == w.users["ict"].id and row.sub_item_id == w.subs["1.1"].id
    assert [v.version for v in row.versions] == [1] and row.versions[0].content["percent"] == 45
    assert audit_trail(report["id"]) == [("report.create", w.users["ict"].id)]
    # naming their own unit explicitly is the same thing
    assert filed(client, w, "1.2", unit_id=w.units["ICT"].id)["unit_id"] == w.units["ICT"].id


@pytest.mark.parametrize("who,change,status,field", [
    ("ict", {"percent": 150}, 422, "percent"),
    ("ict", {"percent": -1}, 422, "percent"),
    ("ict", {"status": "completed", "percent": 50}, 422, "percent"),
    ("ict", {"status": "finished"}, 422, "status"),
    ("ict", {"achieved_value": -5}, 422, "achieved_value"),
    ("ict", {"result": "ก" * 100_001}, 422, "result"),  # app.textlimits.LONG_TEXT + 1
    ("ict", {"sub_item_id": 999999}, 422, "sub_item_id"),
    ("ict", {"round_id": 999999}, 422, "round_id"),
    ("ict", {"sub": "2.2"}, 403, None),  # 2.2 is BIE's alone
    ("ict", {"unit_id": "BPS"}, 403, "unit_id"),  # BPS is responsible for 1.1, but it is not the reporter's unit
    ("secretariat", {}, 403, None),
    ("admin", {}, 403, None),
    ("member", {}, 403, None),
    ("viewer", {}, 403, None),
])
def test_refused_reports_leave_nothing_behind(client, world, who, change, status, field):
    w = world
    change = dict(change)
    sub = change.pop("sub", "1.1")
    if change.get("unit_id") == "BPS":
        change["unit_id"] = w.units["BPS"].id
    with nothing_changes():
        error = assert_error(file_report(client, w, sub, who, **change), status)
    if field:
        assert field in error["fields"], error


def test_a_round_of_another_plan_is_422(client, world, bare_plan):
    other_round = make_round(bare_plan)
    with nothing_changes():
        error = assert_error(file_report(client, world, "1.1", round_id=other_round.id), 422)
    assert "round_id" in error["fields"]


def test_a_second_report_on_the_same_sub_item_is_409(client, world):
    first = filed(client, world, "1.1")
    with nothing_changes():
        assert_error(file_report(client, world, "1.1", percent=70), 409, "duplicate")
    assert stored(first["id"]).percent == 40
    # another unit on the same sub-item is not a duplicate
    assert filed(client, world, "1.1", who="bps")["unit_id"] == world.units["BPS"].id


def test_completed_means_100(client, world):
    report = filed(client, world, "1.2", status="completed", percent=100)
    assert (report["status"], report["percent"]) == ("completed", 100)


# --- changing --------------------------------------------------------------------------------------

def test_patch_with_the_version_read(client, world):
    w = world
    report = filed(client, w, "1.1")
    changed = ok(client.patch(f"/api/v1/reports/{report['id']}",
                              json={"version": 1, "percent": 70, "result": "ดำเนินการแล้ว 3 จาก 5 กิจกรรม"},
                              headers=w.headers["ict"]))
    assert changed["version"] == 2 and changed["percent"] == 70 and changed["status"] == "on_track"
    row = stored(report["id"])
    assert [v.version for v in row.versions] == [1, 2] and row.versions[1].content["percent"] == 70
    assert row.versions[1].saved_by_id == w.users["ict"].id
    # another reporter of the same unit carries on from version 2
    again = ok(client.patch(f"/api/v1/reports/{report['id']}", json={"version": 2, "status": "at_risk"},
                            headers=w.headers["ict2"]))
    assert again["version"] == 3 and again["percent"] == 70
    assert audit_trail(report["id"]) == [("report.create", w.users["ict"].id), ("report.update", w.users["ict"].id),
                                         ("report.update", w.users["ict2"].id)]


def test_a_stale_version_is_409_and_the_stored_report_stays(client, world):
    w = world
    report = filed(client, w, "1.1")
    ok(client.patch(f"/api/v1/reports/{report['id']}", json={"version": 1, "percent": 70}, headers=w.headers["ict"]))
    with nothing_changes():
        assert_error(client.patch(f"/api/v1/reports/{report['id']}", json={"version": 1, "percent": 10,
                                                                            "result": "เขียนทับ"},
                                  headers=w.headers["ict2"]), 409, "stale_version")
    row = stored(report["id"])
    assert (row.version, row.percent, row.result) == (2, 70, "ดำเนินการแล้ว 2 จาก 5 กิจกรรม")


@pytest.mark.parametrize("body,field", [
    ({"percent": 70}, "version"),
    ({"version": 1, "percent": 101}, "percent"),
    ({"version": 1, "status": "completed"}, "percent"),  # still 40 %
    ({"version": 1, "status": "done"}, "status"),
])
def test_bad_patches_are_422(client, world, body, field):
    report = filed(client, world, "1.1")
    with nothing_changes():
        error = assert_error(client.patch(f"/api/v1/reports/{report['id']}", json=body,
                                          headers=world.headers["ict"]), 422)
    assert field in error["fields"], error
    row = stored(report["id"])
    assert (row.version, row.percent, row.status) == (1, 40, "on_track")


def test_another_units_report_cannot_be_touched(client, world):
    w = world
    report = filed(client, w, "1.1", who="bps")
    with nothing_changes():
        assert_error(client.patch(f"/api/v1/reports/{report['id']}", json={"version": 1, "percent": 90},
                                  headers=w.headers["ict"]), 404)
        assert_error(act(client, w, report, "submit", "ict", version=1), 404)
        assert_error(client.post(f"/api/v1/reports/{report['id']}/links", json={"url": "https://example.go.th/x"},
                                 headers=w.headers["ict"]), 404)
        # staff read it, but filing is the unit's own business
        assert_error(client.patch(f"/api/v1/reports/{report['id']}", json={"version": 1, "percent": 90},
                                  headers=w.headers["secretariat"]), 403)
        assert_error(act(client, w, report, "submit", "secretariat", version=1), 403)
    assert stored(report["id"]).percent == 40


# --- the review workflow ---------------------------------------------------------------------------

def test_submitting_needs_a_result(client, world):
    report = filed(client, world, "1.1", result=None)
    with nothing_changes():
        error = assert_error(act(client, world, report, "submit", "ict", version=1), 422)
    assert "result" in error["fields"]
    assert stored(report["id"]).state == "draft"


def test_review_workflow_with_mail_audit_and_lock(client, world, outbox):
    w = world
    ict, ict2, sec = w.users["ict"].id, w.users["ict2"].id, w.users["secretariat"].id
    report = filed(client, w, "2.1")
    submitted = ok(act(client, w, report, "submit", "ict", version=1))
    assert submitted["state"] == "submitted" and submitted["version"] == 2 and submitted["submitted_at"]
    first_submission = submitted["submitted_at"]
    assert submitted["submitted_at"].endswith("+07:00")

    with nothing_changes():
        # submitted reports wait for the secretariat
        assert_error(client.patch(f"/api/v1/reports/{report['id']}", json={"version": 2, "percent": 50},
                                  headers=w.headers["ict"]), 409, "awaiting_review")
        assert_error(act(client, w, report, "submit", "ict", version=2), 409)
        # only staff review
        for who in ("ict", "member", "viewer"):
            assert_error(act(client, w, report, "accept", who), 403, "forbidden")
            assert_error(act(client, w, report, "return", who, comment="แก้ไข"), 403, "forbidden")
        # returning needs a comment
        assert "comment" in assert_error(act(client, w, report, "return", "secretariat", comment=""), 422)["fields"]
        assert "comment" in assert_error(act(client, w, report, "return", "secretariat", comment="   "),
                                         422)["fields"]
        assert "comment" in assert_error(act(client, w, report, "return", "secretariat"), 422)["fields"]
        assert_error(act(client, w, report, "accept", "secretariat", version=1), 409, "stale_version")
        assert_error(act(client, w, report, "return", "secretariat", comment="แก้ไข", version=9), 409,
                     "stale_version")
    # the submission told the secretariat; nothing went to the unit yet
    assert [p.name.split("-", 2)[1:] for p in outbox.glob("*.eml")] == [
        ["report.submitted", f"{w.users['secretariat'].email}.eml"]]

    returned = ok(act(client, w, report, "return", "secretariat", comment="กรุณาระบุจำนวนหน่วยงานที่เชื่อมโยงแล้ว",
                      version=2))
    assert returned["state"] == "returned" and returned["review_comment"] == "กรุณาระบุจำนวนหน่วยงานที่เชื่อมโยงแล้ว"
    mails = {}
    for path in outbox.glob("*-report.returned-*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        mails[message["To"].addresses[0].addr_spec] = message
    assert set(mails) == {w.users["ict"].email, w.users["ict2"].email}  # not the inactive one, not BPS's
    body = mails[w.users["ict"].email].get_body(preferencelist=("plain",)).get_content()
    assert "กรุณาระบุจำนวนหน่วยงานที่เชื่อมโยงแล้ว" in body and "ICT 2.1" in body

    corrected = ok(client.patch(f"/api/v1/reports/{report['id']}",
                                json={"version": returned["version"], "percent": 55,
                                      "result": "เชื่อมโยงแล้ว 11 หน่วยงาน"}, headers=w.headers["ict2"]))
    resubmitted = ok(act(client, w, report, "submit", "ict2", version=corrected["version"]))
    assert resubmitted["state"] == "resubmitted" and resubmitted["submitted_at"] == first_submission
    accepted = ok(act(client, w, report, "accept", "secretariat", version=resubmitted["version"]))
    assert accepted["state"] == "accepted" and accepted["accepted_at"] and accepted["review_comment"] is None

    with nothing_changes():
        assert_error(client.patch(f"/api/v1/reports/{report['id']}", json={"version": accepted["version"],
                                                                            "percent": 90},
                                  headers=w.headers["ict"]), 409, "locked")
        assert_error(act(client, w, report, "submit", "ict", version=accepted["version"]), 409, "locked")
        assert_error(act(client, w, report, "return", "secretariat", comment="อีกครั้ง"), 409)
        assert_error(act(client, w, report, "accept", "secretariat"), 409)
        assert_error(client.post(f"/api/v1/reports/{report['id']}/links", json={"url": "https://example.go.th/"},
                                 headers=w.headers["ict"]), 409, "locked")
    assert audit_trail(report["id"]) == [
        ("report.create", ict), ("report.submit", ict), ("report.return", sec), ("report.update", ict2),
        ("report.submit", ict2), ("report.accept", sec)]
    row = stored(report["id"])
    assert (row.state, row.percent, row.version) == ("accepted", 55, accepted["version"])
    assert [v.content["state"] for v in row.versions] == ["draft", "submitted", "returned", "returned",
                                                          "resubmitted", "accepted"]


def test_accepting_a_draft_is_409(client, world):
    report = filed(client, world, "1.1")
    with nothing_changes():
        assert_error(act(client, world, report, "accept", "secretariat"), 409, "not_submitted")
        assert_error(act(client, world, report, "return", "admin", comment="ยังไม่ส่ง"), 409, "not_submitted")


# --- evidence ---------------------------------------------------------------------------------------

def upload(client, w: World, report: dict, content: bytes, name: str, who: str = "ict"):
    return client.post(f"/api/v1/reports/{report['id']}/attachments", headers=w.headers[who],
                       data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def test_evidence_files_are_judged_by_content(client, world):
    w = world
    report = filed(client, w, "1.1")
    pdf = ok(upload(client, w, report, b"%PDF-1.4 evidence of the meeting\n%%EOF", "หลักฐาน.pdf"), 201)
    assert pdf["kind"] == "file" and pdf["content_type"] == "application/pdf" and pdf["title"] == "หลักฐาน.pdf"
    for content, name in ((b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64), "setup.exe"),
                          (b"\x00\x01garbage that is no document", "report.pdf"),
                          (b"", "empty.pdf")):
        with nothing_changes():
            error = assert_error(upload(client, w, report, content, name), 422)
        assert "file" in error["fields"], (name, error)
    attachments = ok(client.get(f"/api/v1/reports/{report['id']}", headers=w.headers["ict"]))["attachments"]
    assert [(a["title"], a["size"]) for a in attachments] == [("หลักฐาน.pdf", 38)]


def test_evidence_links_are_https_only(client, world):
    w = world
    report = filed(client, w, "1.1")
    link = ok(client.post(f"/api/v1/reports/{report['id']}/links",
                          json={"url": "https://data.go.th/dataset/moe", "title": "ชุดข้อมูลเปิด"},
                          headers=w.headers["ict"]), 201)
    assert (link["kind"], link["url"], link["title"]) == ("link", "https://data.go.th/dataset/moe", "ชุดข้อมูลเปิด")
    for url in ("http://data.go.th/dataset/moe", "javascript:alert(1)", "ftp://files.go.th/x", "https://"):
        with nothing_changes():
            error = assert_error(client.post(f"/api/v1/reports/{report['id']}/links", json={"url": url},
                                             headers=w.headers["ict"]), 422)
        assert "url" in error["fields"], (url, error)
    with nothing_changes():
        assert_error(client.post(f"/api/v1/reports/{report['id']}/links", json={"url": "https://example.go.th/"},
                                 headers=w.headers["secretariat"]), 403)


def test_evidence_is_removed_by_the_units_reporter_while_editable(client, world):
    w = world
    report = filed(client, w, "1.1")
    link = ok(client.post(f"/api/v1/reports/{report['id']}/links", json={"url": "https://data.go.th/x"},
                          headers=w.headers["ict"]), 201)
    url = f"/api/v1/reports/{report['id']}/attachments/{link['id']}"
    with nothing_changes():
        assert_error(client.delete(url, headers=w.headers["secretariat"]), 403)
        assert_error(client.delete(f"/api/v1/reports/{report['id']}/attachments/999999", headers=w.headers["ict"]),
                     404)
    ok(act(client, w, report, "submit", "ict"))
    with nothing_changes():
        assert_error(client.delete(url, headers=w.headers["ict"]), 409)
    ok(act(client, w, report, "return", "secretariat", comment="แนบหลักฐานใหม่"))
    assert client.delete(url, headers=w.headers["ict"]).status_code == 204
    assert ok(client.get(f"/api/v1/reports/{report['id']}", headers=w.headers["ict"]))["attachments"] == []


# --- reading -----------------------------------------------------------------------------------------

@pytest.fixture
def spread(world):
    """ICT: a draft (1.2) and a submitted report (1.1); BPS: a draft (1.1) and an accepted report (2.1);
    BIE: a returned report (2.2)."""
    w = world
    return {
        "ict_draft": put_report(w.round, w.subs["1.2"], w.units["ICT"], "draft", "on_track", 30),
        "ict_submitted": put_report(w.round, w.subs["1.1"], w.units["ICT"], "submitted", "on_track", 50,
                                    bangkok(2020, 7, 1)),
        "bps_draft": put_report(w.round, w.subs["1.1"], w.units["BPS"], "draft", "at_risk", 20),
        "bps_accepted": put_report(w.round, w.subs["2.1"], w.units["BPS"], "accepted", "delayed", 35,
                                   bangkok(2020, 7, 2)),
        "bie_returned": put_report(w.round, w.subs["2.2"], w.units["BIE"], "returned", "on_track", 60,
                                   bangkok(2020, 7, 3)),
    }


def listed(client, w: World, who: str, query: str = "") -> set[int]:
    return {r["id"] for r in ok(client.get(f"/api/v1/reports{query}", headers=w.headers[who]))["items"]}


def test_who_reads_which_reports(client, world, spread):
    w, r = world, {k: v.id for k, v in spread.items()}
    assert listed(client, w, "ict") == {r["ict_draft"], r["ict_submitted"]}
    assert listed(client, w, "bps") == {r["bps_draft"], r["bps_accepted"]}
    assert listed(client, w, "member") == {r["ict_submitted"], r["bps_accepted"]}
    assert listed(client, w, "secretariat") == set(r.values())
    assert listed(client, w, "viewer") == {r["ict_submitted"], r["bps_accepted"]}  # delivered reports only
    assert listed(client, w, "outsider") == set()  # a member of no body
    assert ok(client.get(f"/api/v1/reports/{r['ict_draft']}", headers=w.headers["ict2"]))["percent"] == 30
    assert_error(client.get(f"/api/v1/reports/{r['bps_draft']}", headers=w.headers["ict"]), 404, "not_found")
    assert_error(client.get(f"/api/v1/reports/{r['ict_draft']}", headers=w.headers["member"]), 404)
    assert_error(client.get(f"/api/v1/reports/{r['bie_returned']}", headers=w.headers["member"]), 404)
    assert ok(client.get(f"/api/v1/reports/{r['bps_accepted']}", headers=w.headers["member"]))["state"] == "accepted"
    assert ok(client.get(f"/api/v1/reports/{r['bps_draft']}", headers=w.headers["secretariat"]))["state"] == "draft"
    assert_error(client.get(f"/api/v1/reports/{r['bps_draft']}", headers=w.headers["viewer"]), 404)
    assert_error(client.get(f"/api/v1/reports/{r['bie_returned']}", headers=w.headers["viewer"]), 404)
    assert_error(client.get("/api/v1/reports/999999", headers=w.headers["viewer"]), 404)
    assert_error(client.get("/api/v1/reports"), 401)


def test_report_filters(client, world, spread, bare_plan):
    w, r = world, {k: v.id for k, v in spread.items()}
    elsewhere = put_report(make_round(bare_plan, 3, due=date(2020, 1, 15)), bare_plan.themes[0].sub_items[0],
                           w.units["ICT"], "accepted", "on_track", 25, bangkok(2020, 1, 10))
    assert listed(client, w, "secretariat", f"?round={w.round.id}") == set(r.values())
    assert listed(client, w, "secretariat", f"?unit={w.units['BPS'].id}") == {r["bps_draft"], r["bps_accepted"]}
    assert listed(client, w, "secretariat", f"?sub_item={w.subs['1.1'].id}") == {r["ict_submitted"], r["bps_draft"]}
    assert listed(client, w, "secretariat", "?state=returned") == {r["bie_returned"]}
    assert listed(client, w, "secretariat", "?state=accepted") == {r["bps_accepted"], elsewhere.id}
    assert listed(client, w, "secretariat", f"?round={w.round.id}&unit={w.units['ICT'].id}&state=draft") == {r["ict_draft"]}
    assert listed(client, w, "ict", f"?unit={w.units['BPS'].id}") == set()
    assert "state" in assert_error(client.get("/api/v1/reports?state=lost", headers=w.headers["viewer"]),
                                   422)["fields"]


# --- the roll-up -------------------------------------------------------------------------------------

@pytest.fixture
def rollup_case(world, bare_plan):
    """The world's round with reports worked out by hand below (the due date, 15 Jul 2020, has passed):

    1.1 ICT accepted on_track 60 (on time) · BPS submitted at_risk 40 (20 Jul: late)
    1.2 ICT submitted completed 100 (15 Jul 23.30 Bangkok: on time, the last minutes of the due date)
        BIE (not responsible) submitted 10: not counted
    2.1 ICT draft on_track 80 (not delivered: counts 0, missing, late) · BPS resubmitted delayed 30 (on time)
        BIE nothing (missing, late)
    2.2 BIE accepted on_track 50 (on time)
    and, in the 6-month round of the same plan, a report that must not leak into the 9-month figures.
    """
    w = world
    ict, bps, bie = w.units["ICT"], w.units["BPS"], w.units["BIE"]
    s = w.subs
    put_report(w.round, s["1.1"], ict, "accepted", "on_track", 60, bangkok(2020, 7, 10))
    put_report(w.round, s["1.1"], bps, "submitted", "at_risk", 40, bangkok(2020, 7, 20))
    put_report(w.round, s["1.2"], ict, "submitted", "completed", 100, bangkok(2020, 7, 15, 23, 30))
    put_report(w.round, s["1.2"], bie, "submitted", "delayed", 10, bangkok(2020, 7, 1))
    put_report(w.round, s["2.1"], ict, "draft", "on_track", 80)
    put_report(w.round, s["2.1"], bps, "resubmitted", "delayed", 30, bangkok(2020, 7, 14))
    put_report(w.round, s["2.2"], bie, "accepted", "on_track", 50, bangkok(2020, 7, 1))
    six = make_round(w.plan, 6, due=date(2020, 4, 15), status="closed")
    put_report(six, s["2.1"], bie, "accepted", "completed", 100, bangkok(2020, 4, 1))
    return w


def test_rollup_numbers_at_every_level(client, rollup_case):
    w = rollup_case
    body = ok(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}", headers=w.headers["member"]))
    assert body["plan_id"] == w.plan.id and body["round"]["id"] == w.round.id and body["round"]["months"] == 9

    def counts(expected, submitted, accepted, missing, late):
        return {"expected": expected, "submitted": submitted, "accepted": accepted, "missing": missing, "late": late}

    # 1.1: (60 + 40) / 2 units = 50; worst of on_track, at_risk = at_risk; BPS late
    # 1.2: 100 / 1 = 100 (BIE is not responsible); completed; on time
    # theme 1: (50×1 + 100×3) / 4 = 87.5; at_risk; 3 expected, 3 delivered, 1 accepted, 0 missing, 1 late
    # 2.1: (0 + 30 + 0) / 3 = 10; delayed (worse than the missing ones' not_started); 2 missing, both late
    # 2.2: 50 / 1 = 50; on_track
    # theme 2: (10×1 + 50×1) / 2 = 30; delayed; 4 expected, 2 delivered, 1 accepted, 2 missing, 2 late
    # plan: (87.5×1 + 30×2) / 3 = 49.1666… → 49.17; delayed; 7 expected, 5 delivered, 2 accepted, 2 missing, 3 late
    assert (body["percent"], body["status"], body["counts"]) == (49.17, "delayed", counts(7, 5, 2, 2, 3))
    theme1, theme2 = body["themes"]
    assert (theme1["number"], theme1["weight"], theme1["percent"], theme1["status"], theme1["counts"]) == (
        1, 1.0, 87.5, "at_risk", counts(3, 3, 1, 0, 1))
    assert (theme2["number"], theme2["weight"], theme2["percent"], theme2["status"], theme2["counts"]) == (
        2, 2.0, 30.0, "delayed", counts(4, 2, 1, 2, 2))
    subs = {s["code"]: s for t in body["themes"] for s in t["sub_items"]}
    assert {code: (s["weight"], s["percent"], s["status"], s["counts"]) for code, s in subs.items()} == {
        "1.1": (1.0, 50.0, "at_risk", counts(2, 2, 1, 0, 1)),
        "1.2": (3.0, 100.0, "completed", counts(1, 1, 0, 0, 0)),
        "2.1": (1.0, 10.0, "delayed", counts(3, 1, 0, 2, 2)),
        "2.2": (1.0, 50.0, "on_track", counts(1, 1, 1, 0, 0)),
    }
    units = {u["code"]: u for u in subs["2.1"]["units"]}
    assert list(units) == ["BIE", "BPS", "ICT"]
    assert {k: v for k, v in units["ICT"].items() if k != "report_id"} == {
        "id": w.units["ICT"].id, "code": "ICT", "name": "หน่วยงาน ICT", "state": "draft", "status": None,
        "percent": None, "counted_percent": 0, "late": True}  # a draft the member may not read: left out
    assert units["BIE"]["report_id"] is None and units["BIE"]["state"] is None and units["BIE"]["late"] is True
    assert (units["BPS"]["counted_percent"], units["BPS"]["late"]) == (30, False)
    assert [(u["code"], u["late"]) for u in subs["1.1"]["units"]] == [("BPS", True), ("ICT", False)]
    assert [u["code"] for u in subs["1.2"]["units"]] == ["ICT"]


def test_rollup_before_the_due_date_counts_nothing_late_yet(client, world):
    w = world
    future = make_round(w.plan, 12, due=date(2999, 10, 15))
    put_report(future, w.subs["1.2"], w.units["ICT"], "submitted", "on_track", 90, bangkok(2020, 9, 1))
    body = ok(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={future.id}", headers=w.headers["viewer"]))
    # theme 1: (0×1 + 90×3) / 4 = 67.5; theme 2: 0; plan: (67.5 + 0×2) / 3 = 22.5; not_started (missing reports)
    assert (body["percent"], body["status"]) == (22.5, "not_started")
    assert body["counts"] == {"expected": 7, "submitted": 1, "accepted": 0, "missing": 6, "late": 0}


def test_rollup_of_a_round_of_another_plan_is_404(client, world, bare_plan):
    w = world
    other = make_round(bare_plan)
    assert_error(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={other.id}", headers=w.headers["viewer"]), 404)
    assert_error(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round=999999", headers=w.headers["viewer"]), 404)
    assert_error(client.get(f"/api/v1/plans/999999/rollup?round={w.round.id}", headers=w.headers["viewer"]), 404)
    assert "round" in assert_error(client.get(f"/api/v1/plans/{w.plan.id}/rollup", headers=w.headers["viewer"]),
                                   422)["fields"]
    assert_error(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={w.round.id}"), 401)


# --- the OpenAPI document ------------------------------------------------------------------------------

def test_every_reports_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        "/api/v1/plans": {"get"}, "/api/v1/plans/{id}": {"get"}, "/api/v1/plans/{id}/rollup": {"get"},
        "/api/v1/rounds": {"get", "post"}, "/api/v1/rounds/{id}": {"get", "patch"},
        "/api/v1/reports": {"get", "post"}, "/api/v1/reports/{id}": {"get", "patch"},
        "/api/v1/reports/{id}/submit": {"post"}, "/api/v1/reports/{id}/accept": {"post"},
        "/api/v1/reports/{id}/return": {"post"}, "/api/v1/reports/{id}/attachments": {"post"},
        "/api/v1/reports/{id}/attachments/{attachment_id}": {"delete"},
        "/api/v1/reports/{id}/links": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    rollup = paths["/api/v1/plans/{id}/rollup"]["get"]
    assert any(p["name"] == "round" for p in rollup["parameters"])
    assert "200" in rollup["responses"] and "404" in rollup["responses"]
    assert paths["/api/v1/reports"]["post"]["requestBody"]["content"]["application/json"]["schema"]


# --- the demo's 9-month round, end to end ---------------------------------------------------------------

def demo_headers(token_for, local: str) -> dict:
    user = db.session.scalar(select(User).where(User.email == f"{local}@demo.prachum.in.th"))
    return token_for(user)


def half_up(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_demo_acceptance(client, demo, token_for):
    ict = demo_headers(token_for, "reporter.ict")
    staff = demo_headers(token_for, "secretariat")
    viewer = demo_headers(token_for, "viewer")
    (plan_summary,) = [p for p in ok(client.get("/api/v1/plans", headers=ict))["items"] if "3 ปี" in p["title"]]
    plan = ok(client.get(f"/api/v1/plans/{plan_summary['id']}", headers=ict))
    (round9,) = [r for r in ok(client.get(f"/api/v1/rounds?plan={plan['id']}", headers=ict))["items"]
                 if r["months"] == 9 and r["fiscal_year_be"] == 2563]
    assert round9["status"] == "open"
    ict_subs = [s for t in plan["themes"] for s in t["sub_items"] if "ICT" in {u["code"] for u in s["units"]}]
    assert [s["code"] for s in ict_subs] == ["1.2", "1.4", "2.1", "2.2", "3.1"]

    # the ICT reporter files and submits all of them
    filed_ids = {}
    for n, sub in enumerate(ict_subs):
        report = ok(client.post("/api/v1/reports", json={
            "sub_item_id": sub["id"], "round_id": round9["id"], "status": "on_track", "percent": 40 + 10 * n,
            "result": f"ผลการดำเนินงานสะสม 9 เดือน ประเด็นย่อย {sub['code']}"}, headers=ict), 201)
        ok(client.post(f"/api/v1/reports/{report['id']}/submit", json={"version": report["version"]}, headers=ict))
        filed_ids[sub["code"]] = report["id"]

    # … and cannot touch another unit's report
    opec = db.session.scalar(select(Unit).where(Unit.code == "OPEC"))
    (opec_22,) = [r for r in ok(client.get(f"/api/v1/reports?round={round9['id']}&unit={opec.id}",
                                           headers=viewer))["items"] if r["sub_item_id"] == ict_subs[3]["id"]]
    with nothing_changes():
        assert_error(client.get(f"/api/v1/reports/{opec_22['id']}", headers=ict), 404)
        assert_error(client.patch(f"/api/v1/reports/{opec_22['id']}", json={"version": opec_22["version"],
                                                                             "percent": 0}, headers=ict), 404)
        assert_error(client.post("/api/v1/reports", json={
            "sub_item_id": ict_subs[3]["id"], "round_id": round9["id"], "unit_id": opec.id, "status": "on_track",
            "percent": 10}, headers=ict), 403)

    # the secretariat returns 2.1, the reporter corrects and resubmits, the secretariat accepts
    returned = ok(client.post(f"/api/v1/reports/{filed_ids['2.1']}/return",
                              json={"comment": "กรุณาระบุจำนวนหน่วยงานที่เชื่อมโยงฐานข้อมูลกลางแล้ว"}, headers=staff))
    mine = {r["id"]: r for r in ok(client.get(f"/api/v1/reports?round={round9['id']}", headers=ict))["items"]}
    assert mine[filed_ids["2.1"]]["state"] == "returned" and mine[filed_ids["2.1"]]["review_comment"]
    corrected = ok(client.patch(f"/api/v1/reports/{filed_ids['2.1']}", json={
        "version": returned["version"], "percent": 75, "status": "at_risk",
        "result": "เชื่อมโยงฐานข้อมูลกลางกับ 4 หน่วยงานแล้ว"}, headers=ict))
    assert ok(client.post(f"/api/v1/reports/{filed_ids['2.1']}/submit", json={"version": corrected["version"]},
                          headers=ict))["state"] == "resubmitted"
    assert ok(client.post(f"/api/v1/reports/{filed_ids['2.1']}/accept", json={}, headers=staff))["state"] == "accepted"

    # the roll-up equals what GET /reports says, recomputed here
    rollup = ok(client.get(f"/api/v1/plans/{plan['id']}/rollup?round={round9['id']}", headers=viewer))
    reports = ok(client.get(f"/api/v1/reports?round={round9['id']}", headers=viewer))["items"]
    received = {(r["sub_item_id"], r["unit_id"]): r for r in reports
                if r["state"] in ("submitted", "resubmitted", "accepted")}
    due = date.fromisoformat(round9["due_date"])
    past_due = date.today() > due

    def by_hand_sub(sub):
        got = [received.get((sub["id"], u["id"])) for u in sub["units"]]
        delivered = [r for r in got if r]
        missing = len(got) - len(delivered)
        late = sum(1 for r in delivered if datetime.fromisoformat(r["submitted_at"]).date() > due)
        statuses = [r["status"] for r in delivered] + (["not_started"] if missing else [])
        return (Fraction(sum(r["percent"] for r in delivered), len(got)),
                min(statuses, key=SEVERITY.index),
                [len(got), len(delivered), sum(1 for r in delivered if r["state"] == "accepted"), missing,
                 late + (missing if past_due else 0)])

    def combine(parts):  # [(weight, percent, status, counts)]
        total = sum(Fraction(str(w)) for w, *_ in parts)
        return (sum(Fraction(str(w)) * p for w, p, *_ in parts) / total,
                min((s for _w, _p, s, _c in parts), key=SEVERITY.index),
                [sum(c[i] for *_x, c in parts) for i in range(5)])

    def as_counts(c):
        return dict(zip(("expected", "submitted", "accepted", "missing", "late"), c))

    theme_parts = []
    for theme, got_theme in zip(plan["themes"], rollup["themes"]):
        sub_parts = []
        for sub, got_sub in zip(theme["sub_items"], got_theme["sub_items"]):
            percent, status, c = by_hand_sub(sub)
            assert (got_sub["id"], got_sub["percent"], got_sub["status"], got_sub["counts"]) == (
                sub["id"], half_up(percent), status, as_counts(c)), sub["code"]
            sub_parts.append((sub["weight"], percent, status, c))
        percent, status, c = combine(sub_parts)
        assert (got_theme["percent"], got_theme["status"], got_theme["counts"]) == (half_up(percent), status,
                                                                                     as_counts(c))
        theme_parts.append((theme["weight"], percent, status, c))
    percent, status, c = combine(theme_parts)
    assert (rollup["percent"], rollup["status"], rollup["counts"]) == (half_up(percent), status, as_counts(c))
    # 23 reports expected; ONIE's 2.2 and BLA's 3.4 are still missing; ICT's 2.1 is the one accepted
    assert rollup["counts"]["expected"] == 23 and rollup["counts"]["submitted"] == 21
    assert rollup["counts"]["missing"] == 2 and rollup["counts"]["accepted"] == 1


def test_a_member_of_an_unrelated_body_reads_none_of_the_plans_reports(client, world, spread, make_body, add_member):
    w = world
    add_member(make_body("คณะทำงานพัฒนาตัวชี้วัด สพฐ."), w.users["outsider"])
    assert_error(client.get(f"/api/v1/reports/{spread['bps_accepted'].id}", headers=w.headers["outsider"]), 404)
    assert listed(client, w, "outsider") == set()
