"""Lateness is decided at delivery: a report keeps the due date it was first submitted against, so moving the
round's due date earlier does not make an on-time report late, and moving it later does not excuse a late one;
reports still missing follow the current due date. The roll-up (SQL), the drill-down, the round's list and the
review queue agree."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.reports import services
from app.reports.models import ProgressReport
from app.thaidates import today_bangkok
from tests.functional.test_reports_api import (  # noqa: F401 — the reports fixture
    DUE,
    act,
    bangkok,
    filed,
    make_round,
    ok,
    put_report,
    world,
)

FAR = date(2999, 10, 15)


def rollup(client, w, round_id: int) -> dict:
    return ok(client.get(f"/api/v1/plans/{w.plan.id}/rollup?round={round_id}", headers=w.headers["secretariat"]))


def sub_item(body: dict, code: str) -> dict:
    return next(s for t in body["themes"] for s in t["sub_items"] if s["code"] == code)


def move_due_date(client, w, round_id: int, due: date) -> None:
    ok(client.patch(f"/api/v1/rounds/{round_id}", json={"due_date": due.isoformat()},
                    headers=w.headers["secretariat"]))


def expected_late(round_id: int, unit_code: str, code: str) -> bool:
    """What the round page, the XLSX export and reminders say (services.Expected.late)."""
    db.session.expire_all()
    round_ = services.get_round(round_id)
    return next(e for e in services.expected_reports(round_)
                if e.unit.code == unit_code and e.sub_item.code == code).late(today_bangkok())


def test_on_time_stays_on_time_when_the_due_date_moves_earlier(client, world):
    w = world
    future = make_round(w.plan, 12, due=FAR)
    report = filed(client, w, "1.2", round_id=future.id)
    ok(act(client, w, report, "submit", "ict"))
    assert db.session.get(ProgressReport, report["id"]).due_on_at_submission == FAR
    assert rollup(client, w, future.id)["counts"]["late"] == 0

    move_due_date(client, w, future.id, DUE)  # now long past
    body = rollup(client, w, future.id)
    # 7 expected: the delivered one stays on time, the 6 still missing are late against the current due date
    assert (body["counts"]["submitted"], body["counts"]["missing"], body["counts"]["late"]) == (1, 6, 6)
    line = sub_item(body, "1.2")
    assert line["counts"]["late"] == 0 and [u["late"] for u in line["units"]] == [False]
    assert expected_late(future.id, "ICT", "1.2") is False
    assert expected_late(future.id, "BPS", "1.1") is True  # missing, due date passed
    db.session.expire_all()
    assert db.session.get(ProgressReport, report["id"]).submitted_late is False


def test_late_stays_late_when_the_due_date_moves_later(client, world):
    w = world
    report = filed(client, w, "1.2")  # the 9-month round, due 15 Jul 2020: submitting now is late
    ok(act(client, w, report, "submit", "ict"))
    before = rollup(client, w, w.round.id)
    assert sub_item(before, "1.2")["counts"]["late"] == 1 and before["counts"]["late"] == 7

    move_due_date(client, w, w.round.id, FAR)
    body = rollup(client, w, w.round.id)
    # the missing ones are no longer late (not due yet); the delivered one was late when it came and stays so
    assert body["counts"]["late"] == 1
    line = sub_item(body, "1.2")
    assert line["counts"]["late"] == 1 and [u["late"] for u in line["units"]] == [True]
    assert expected_late(w.round.id, "ICT", "1.2") is True
    assert expected_late(w.round.id, "BPS", "1.1") is False
    db.session.expire_all()
    stored = db.session.get(ProgressReport, report["id"])
    assert stored.due_on_at_submission == DUE and stored.submitted_late is True


def test_a_resubmission_keeps_the_first_submissions_due_date(client, world):
    w = world
    report = filed(client, w, "1.2")
    ok(act(client, w, report, "submit", "ict"))
    ok(act(client, w, report, "return", "secretariat", comment="แนบหลักฐานเพิ่ม"))
    move_due_date(client, w, w.round.id, FAR)
    version = ok(client.get(f"/api/v1/reports/{report['id']}", headers=w.headers["ict"]))["version"]
    ok(act(client, w, report, "submit", "ict", version=version))
    db.session.expire_all()
    assert db.session.get(ProgressReport, report["id"]).due_on_at_submission == DUE
    assert sub_item(rollup(client, w, w.round.id), "1.2")["counts"]["late"] == 1


def test_the_due_day_ends_at_midnight_bangkok_time_in_sql_and_python(client, world):
    w = world
    # 1.1 (ICT, BPS): ICT on the due day at 23:30 Bangkok (16:30 UTC), BPS at 00:30 the day after (17:30 UTC)
    on_time = put_report(w.round, w.subs["1.1"], w.units["ICT"], "submitted", "on_track", 50, bangkok(2020, 7, 15, 23, 30))
    late = put_report(w.round, w.subs["1.1"], w.units["BPS"], "submitted", "on_track", 50, bangkok(2020, 7, 16, 0, 30))
    for report in (on_time, late):
        report.due_on_at_submission = DUE
    db.session.commit()
    move_due_date(client, w, w.round.id, FAR)  # the stored due date decides, not the round's
    line = sub_item(rollup(client, w, w.round.id), "1.1")
    assert line["counts"]["late"] == 1
    assert [(u["code"], u["late"]) for u in line["units"]] == [("BPS", True), ("ICT", False)]


def test_reports_delivered_before_the_due_date_was_recorded_use_the_rounds(client, world):
    w = world
    put_report(w.round, w.subs["1.2"], w.units["ICT"], "submitted", "on_track", 50, bangkok(2020, 7, 20))
    assert db.session.scalar(db.select(ProgressReport.due_on_at_submission)) is None
    assert sub_item(rollup(client, w, w.round.id), "1.2")["counts"]["late"] == 1
    move_due_date(client, w, w.round.id, date(2020, 7, 31))
    assert sub_item(rollup(client, w, w.round.id), "1.2")["counts"]["late"] == 0


def test_the_demo_and_the_scale_data_record_what_was_due(demo):
    from app.demo.scale import load_scale

    load_scale(units=3, sub_items=2, years=1)
    db.session.commit()
    db.session.expire_all()
    reports = db.session.scalars(db.select(ProgressReport)).all()
    delivered = [r for r in reports if r.submitted_at is not None]
    assert len(delivered) > 20 and all(r.due_on_at_submission == r.round.due_date for r in delivered)
    assert all(r.due_on_at_submission is None for r in reports if r.submitted_at is None)


def test_the_pure_rule_takes_what_was_due_at_delivery():
    from app.rollup import UnitStanding, is_late, tally_units

    today = date(2020, 8, 1)
    assert is_late(date(2020, 7, 10), date(2020, 7, 1), today, due_on_at_submission=date(2020, 7, 15)) is False
    assert is_late(date(2020, 7, 20), date(2020, 7, 31), today, due_on_at_submission=date(2020, 7, 15)) is True
    assert is_late(date(2020, 7, 20), date(2020, 7, 31), today) is False  # nothing recorded: the current due date
    assert is_late(None, date(2020, 7, 31), today) is True  # missing: the current due date
    units = [UnitStanding(1, "submitted", "on_track", 50, date(2020, 7, 10), date(2020, 7, 15)),
             UnitStanding(2, "accepted", "on_track", 50, date(2020, 7, 20), date(2020, 7, 15))]
    assert tally_units(units, date(2020, 7, 1), today).late_received == 1
