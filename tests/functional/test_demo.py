"""The demo scenario: idempotent loading, its content, its accounts, and the CLI refusing production."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.bodies.models import Body, Membership, Unit
from app.demo import DEMO_ACCOUNTS, load_demo
from app.demo import data
from app.extensions import db
from app.meetings.models import Meeting
from app.reports.models import Plan, ProgressReport, ReportingRound, SubItem, Theme

UNIT_CODES = ("OTEPC", "ONIE", "OPEC", "BPS", "BIE", "BLA", "ICT", "PSDG")


@pytest.fixture
def loaded(app):
    """The demo loaded once and committed; returns the summary line."""
    summary = load_demo()
    db.session.commit()
    return summary


def row_counts() -> dict[str, int]:
    """Number of rows of every table."""
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def table_contents() -> dict[str, list[str]]:
    """Every row of every table, as sorted text (to see changes, not only additions)."""
    return {t.name: sorted(repr(tuple(row)) for row in db.session.execute(select(t))) for t in db.metadata.sorted_tables}


def body_named(name: str) -> Body:
    body = db.session.scalar(select(Body).where(Body.name == name))
    assert body is not None, name
    return body


def nine_month_round() -> ReportingRound:
    return db.session.scalar(select(ReportingRound).where(ReportingRound.fiscal_year_be == 2563,
                                                          ReportingRound.months == 9))


def test_loading_twice_changes_nothing(loaded):
    counts, contents = row_counts(), table_contents()
    assert counts["units"] and counts["users"] and counts["progress_reports"] and counts["agenda_items"]

    again = load_demo()
    db.session.commit()

    assert row_counts() == counts
    assert table_contents() == contents
    assert again.startswith("demo: ") and again.endswith("(0 created)")
    assert not loaded.endswith("(0 created)")


def test_loading_completes_a_partial_demo(loaded):
    ict = db.session.scalar(select(Unit).where(Unit.code == "ICT"))
    db.session.delete(db.session.scalar(select(User).where(User.email == data.email("viewer"))))
    sub_item = db.session.scalar(select(SubItem).join(Theme).where(Theme.number == 1, SubItem.number == 2))
    sub_item.units.remove(ict)
    db.session.commit()

    summary = load_demo()
    db.session.commit()

    assert summary.endswith("(2 created)")
    assert db.session.scalar(select(User).where(User.email == data.email("viewer"))) is not None
    assert ict in sub_item.units


def test_the_eight_units_exist(loaded):
    codes = set(db.session.scalars(select(Unit.code)))
    assert set(UNIT_CODES) <= codes
    assert db.session.scalar(select(Unit.short_name).where(Unit.code == "OPEC")) == "สช."


def test_working_group_counts_by_fiscal_year_under_the_governance_committee(loaded):
    committee = body_named(data.COMMITTEE_NAME)
    group = body_named(data.WORKING_GROUP_NAME)
    assert (committee.kind, committee.numbering, committee.parent) == ("committee", "calendar", None)
    assert (group.kind, group.numbering, group.parent) == ("working_group", "fiscal", committee)
    assert group.secretariat_unit.code == "PSDG"


def test_memberships(loaded):
    committee = body_named(data.COMMITTEE_NAME)
    group = body_named(data.WORKING_GROUP_NAME)

    def seats(local: str) -> dict[str, str]:
        user = db.session.scalar(select(User).where(User.email == data.email(local)))
        return {m.body.name: m.role for m in user.memberships}

    assert seats("secretariat") == {group.name: "secretary", committee.name: "assistant_secretary"}
    assert seats("member") == {group.name: "member"}
    assert seats("committee.member") == {committee.name: "member"}
    assert seats("chair")[group.name] == "chair"
    chairs = db.session.scalars(select(Membership).where(Membership.body_id == group.id,
                                                         Membership.role == "chair")).all()
    assert [m.user.position for m in chairs] == ["ผู้ช่วยปลัดกระทรวงศึกษาธิการ"]


def test_meeting_3_2563_of_the_working_group(loaded):
    group = body_named(data.WORKING_GROUP_NAME)
    meeting = db.session.scalar(select(Meeting).where(Meeting.body_id == group.id, Meeting.year_be == 2563,
                                                      Meeting.number == 3))
    assert meeting is not None
    assert meeting.starts_at == datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc)
    assert meeting.ends_at == datetime(2020, 6, 26, 5, 0, tzinfo=timezone.utc)
    assert meeting.venue == "ห้องประชุมจันทรเกษม ชั้น 1 อาคารราชวัลลภ กระทรวงศึกษาธิการ"
    assert meeting.mode == "onsite" and meeting.status == "held" and meeting.agenda_state == "published"
    assert meeting.title.endswith("ประจำปีงบประมาณ พ.ศ. 2563 ครั้งที่ 3/2563")
    assert meeting.chair.email == data.email("chair")
    assert meeting.uid == f"meeting-{group.id}-2563-3@prachum"
    items = {item.number: item for item in meeting.agenda_items}
    assert {"1.1", "2.1", "4.1", "6.1"} <= set(items)
    assert items["2.1"].title.endswith("ครั้งที่ 2/2563") and items["2.1"].source_meeting_id is not None
    assert "รอบ 9 เดือน" in items["4.1"].title and items["4.1"].presenter_unit.code == "PSDG"
    numbers = db.session.scalars(select(Meeting.number).where(Meeting.body_id == group.id,
                                                              Meeting.year_be == 2563)).all()
    assert sorted(numbers) == [1, 2, 3]


def test_obec_workshop_spans_three_days_hybrid(loaded):
    workshop = db.session.scalar(select(Meeting).where(Meeting.year_be == 2566, Meeting.number == 1))
    assert workshop.mode == "hybrid"
    assert workshop.starts_at == datetime(2023, 3, 29, 1, 30, tzinfo=timezone.utc)
    assert workshop.ends_at == datetime(2023, 3, 31, 9, 30, tzinfo=timezone.utc)
    assert workshop.online_url.startswith("https://zoom.us/j/")
    assert workshop.stream_url.startswith("https://") and "OBEC" in workshop.stream_url
    assert workshop.venue and "ตัวชี้วัดผลลัพธ์" in workshop.title


def test_plan_has_3_themes_and_13_sub_items(loaded):
    plan = db.session.scalar(select(Plan).where(Plan.title == data.PLAN["title"]))
    assert plan.owner_body.name == data.WORKING_GROUP_NAME
    assert [theme.title for theme in plan.themes] == [title for _, title in data.THEMES]
    assert sum(len(theme.sub_items) for theme in plan.themes) == 13
    assert db.session.scalar(select(func.count()).select_from(SubItem).join(Theme)
                             .where(Theme.plan_id == plan.id)) == 13


def test_every_reporting_unit_is_responsible_for_some_but_not_all_sub_items(loaded):
    sub_items = db.session.scalars(select(SubItem)).all()
    for code in data.REPORTING_UNITS:
        count = sum(1 for sub_item in sub_items if code in {unit.code for unit in sub_item.units})
        assert 1 <= count < len(sub_items), code
    assert all(unit.code in data.REPORTING_UNITS for sub_item in sub_items for unit in sub_item.units)


def test_nine_month_round_is_open_with_submitted_reports(loaded):
    round_ = nine_month_round()
    assert round_.status == "open"
    assert (round_.period_start.isoformat(), round_.period_end.isoformat()) == ("2019-10-01", "2020-06-30")
    reports = db.session.scalars(select(ProgressReport).where(ProgressReport.round_id == round_.id)).all()
    assert reports and all(report.state == "submitted" for report in reports)
    assert len({report.status for report in reports}) >= 3
    assert all(report.percent == 100 for report in reports if report.status == "completed")
    assert not [report for report in reports if report.unit.code == "ICT"]
    expected = sum(len(sub_item.units) for sub_item in db.session.scalars(select(SubItem)))
    non_ict = [code for code, item in data.SUB_ITEMS.items() for unit in item["units"] if unit != "ICT"]
    assert len(reports) < len(non_ict) < expected  # some non-ICT reports are missing too
    assert any(report.submitted_at.date() > round_.due_date for report in reports)  # a late one


def test_progress_grows_from_round_to_round(loaded):
    percents: dict[tuple[int, int], dict[int, int]] = {}
    for report in db.session.scalars(select(ProgressReport).join(ReportingRound)
                                     .where(ReportingRound.fiscal_year_be == data.FISCAL_YEAR_BE)):
        percents.setdefault((report.unit_id, report.sub_item_id), {})[report.round.months] = report.percent
        if report.round.months in (3, 6):
            assert report.state == "accepted"
    seed_plan = select(Plan.id).where(Plan.title == data.PLAN["title"]).scalar_subquery()
    expected = sum(len(sub_item.units) for sub_item in db.session.scalars(
        select(SubItem).join(Theme).where(Theme.plan_id == seed_plan)))
    assert len(percents) == expected
    for rounds in percents.values():
        assert rounds[3] <= rounds[6] <= rounds.get(9, 100)


def test_every_demo_account_can_log_in(app, loaded, login):
    password = app.config["DEMO_PASSWORD"]
    emails = [address for address, _ in DEMO_ACCOUNTS] + [data.email(p["key"]) for p in data.PEOPLE]
    for address in dict.fromkeys(emails):
        user = db.session.scalar(select(User).where(User.email == address))
        assert user is not None, address
        client = login(user, password, c=app.test_client())
        assert client.get("/").status_code == 200, address
    roles = {address: role for address, role in DEMO_ACCOUNTS}
    for user in db.session.scalars(select(User).where(User.email.in_(roles))):
        assert user.role == roles[user.email]
        assert user.name.startswith(("นาย", "นาง", "ดร."))


def test_cli_loads_the_demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("demo: ")
    assert db.session.scalar(select(func.count()).select_from(Unit)) >= 8


def test_cli_refuses_the_demo_in_production(app):
    previous = app.config["ENV_NAME"]
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["ENV_NAME"] = previous
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 0
