"""Meeting series: "นัดครั้งถัดไป" from a previous meeting and meetings scheduled ahead by a rule, through the API and
the web forms, for every role; refusals leave the database unchanged."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from app.agenda.models import AgendaItem
from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Meeting
from app.series.models import MeetingSeries
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import schedule

ROLES = ("admin", "secretariat", "member", "reporter", "viewer")


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def state() -> tuple[int, int, int, int]:
    """What a refusal must leave unchanged: meetings, series, agenda items and queued mails."""
    return count(Meeting), count(MeetingSeries), count(AgendaItem), count(OutgoingMail)


@pytest.fixture
def group(make_body, make_user, add_member):
    """A working group counting by fiscal year, with a chair and two members."""
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน", numbering="fiscal")
    add_member(body, make_user("member", name="นายประธาน ทดสอบ"), "chair")
    add_member(body, make_user("member", name="นางสาวกรรมการ หนึ่ง"))
    add_member(body, make_user("member", name="นายกรรมการ สอง"))
    return body


@pytest.fixture
def staff(make_user, token_for):
    return token_for(make_user("secretariat"))


@pytest.fixture
def previous(client, staff, group):
    """Meeting 1/2573 (Friday 28 Jun 2030, hybrid, chaired) with items in sections 1, 3, 5 and 6."""
    chair = group.memberships[0].user
    response = schedule(client, staff, group.id, starts_at="2030-06-28T09:30", ends_at="2030-06-28T12:00",
                        mode="hybrid", online_url="https://zoom.us/j/123", stream_url="https://obec.tv/live",
                        chair_id=chair.id, notify=False)
    assert response.status_code == 201, response.get_data(as_text=True)
    meeting = response.get_json()
    for section, title in ((1, "ประธานแจ้งผลการประชุมระดับกระทรวง"), (3, "การขยายผลระบบสารบรรณอิเล็กทรอนิกส์"),
                           (5, "พิจารณาแผนปฏิบัติการ"), (6, "กำหนดการประชุมครั้งต่อไป")):
        added = client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", json={"section": section, "title": title},
                            headers=staff)
        assert added.status_code == 201, added.get_data(as_text=True)
    return meeting


def series_request(**overrides) -> dict:
    return {"rule": {"frequency": "months", "every": 2, "weekday": 4, "ordinal": -1}, "starts_on": "2030-08-01",
            "count": 4, "start_time": "09:30", "end_time": "12:00", "venue": "ห้องประชุมจันทรเกษม", **overrides}


# --- นัดครั้งถัดไป (API) -----------------------------------------------------------------------------

def test_next_meeting_copies_the_previous_one_and_its_standing_items(client, staff, group, previous):
    response = client.post(f"/api/v1/meetings/{previous['id']}/next", headers=staff)
    assert response.status_code == 201, response.get_data(as_text=True)
    following = response.get_json()
    assert following["code"] == "2/2573" and "ครั้งที่ 2/2573" in following["title"]
    assert (following["starts_at"], following["ends_at"]) == ("2030-07-26T09:30:00+07:00", "2030-07-26T12:00:00+07:00")
    for name in ("body_id", "mode", "venue", "online_url", "stream_url", "chair_id"):
        assert following[name] == previous[name], name
    read = client.get(f"/api/v1/meetings/{following['id']}", headers=staff).get_json()
    assert read == {**following, "warnings": []}
    items = db.session.scalars(db.select(AgendaItem).where(AgendaItem.meeting_id == following["id"])
                               .order_by(AgendaItem.section, AgendaItem.position)).all()
    assert [(i.number, i.title) for i in items] == [
        ("1.1", "ประธานแจ้งผลการประชุมระดับกระทรวง"),
        ("2.1", "รับรองรายงานการประชุม ครั้งที่ 1/2573 เมื่อวันที่ 28 มิถุนายน 2573"),
        ("3.1", "การขยายผลระบบสารบรรณอิเล็กทรอนิกส์"),
        ("6.1", "กำหนดการประชุมครั้งต่อไป"),
    ]
    assert items[1].source_meeting_id == previous["id"]
    invited = db.session.scalars(db.select(OutgoingMail.to_email).where(OutgoingMail.kind == "meeting.invite")).all()
    assert len(invited) == 3  # as a meeting created by hand: its members are invited
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "meeting.next")) is not None


def test_next_meeting_at_a_given_start_keeps_the_duration_and_numbers_by_fiscal_year(client, staff, previous):
    response = client.post(f"/api/v1/meetings/{previous['id']}/next", json={"starts_at": "2030-10-02T13:00",
                                                                             "notify": False}, headers=staff)
    assert response.status_code == 201, response.get_data(as_text=True)
    following = response.get_json()
    assert following["code"] == "1/2574"  # 1 October starts fiscal year 2574
    assert following["ends_at"] == "2030-10-02T15:30:00+07:00"
    assert count(OutgoingMail) == 0


def test_the_suggested_date_skips_days_the_body_already_meets(client, staff, group, previous):
    schedule(client, staff, group.id, starts_at="2030-07-26T13:00", ends_at="2030-07-26T15:00", notify=False)
    following = client.post(f"/api/v1/meetings/{previous['id']}/next", json={"notify": False}, headers=staff).get_json()
    assert following["starts_at"].startswith("2030-08-02T09:30")


def test_the_next_meeting_after_one_long_past_is_suggested_ahead_on_the_same_weekday(client, staff, group):
    from app import thaidates

    old = schedule(client, staff, group.id, notify=False).get_json()  # Thursday 10 Sep 2020, 09:30
    following = client.post(f"/api/v1/meetings/{old['id']}/next", json={"notify": False}, headers=staff).get_json()
    start = datetime.fromisoformat(following["starts_at"])
    assert start.date() >= thaidates.today_bangkok() and start.weekday() == 3 and start.strftime("%H:%M") == "09:30"


def test_next_meeting_refusals_leave_the_database_unchanged(client, staff, previous):
    before = state()
    early = client.post(f"/api/v1/meetings/{previous['id']}/next", json={"starts_at": "2030-06-01T09:30"},
                        headers=staff)
    assert "starts_at" in assert_error(early, 422, "validation_error")["fields"]
    bad = client.post(f"/api/v1/meetings/{previous['id']}/next", json={"venue": None, "mode": "onsite"}, headers=staff)
    assert "venue" in assert_error(bad, 422)["fields"]
    assert state() == before
    client.post(f"/api/v1/meetings/{previous['id']}/cancel", json={"reason": "ติดภารกิจ", "notify": False},
                headers=staff)
    before = state()
    assert_error(client.post(f"/api/v1/meetings/{previous['id']}/next", headers=staff), 409, "conflict")
    assert state() == before
    assert_error(client.post("/api/v1/meetings/999999/next", headers=staff), 404)


def test_a_meeting_whose_minutes_are_certified_still_gives_its_next_meeting(client, staff, group, previous):
    from app.minutes.models import Minutes

    later = schedule(client, staff, group.id, starts_at="2030-07-12T09:30", ends_at="2030-07-12T12:00",
                     notify=False).get_json()
    db.session.add(Minutes(meeting_id=previous["id"], state="certified", certified_at=datetime.now(timezone.utc),
                           certified_at_meeting_id=later["id"]))
    db.session.commit()
    response = client.post(f"/api/v1/meetings/{previous['id']}/next", json={"notify": False}, headers=staff)
    assert response.status_code == 201, response.get_data(as_text=True)


# --- scheduling ahead (API) -------------------------------------------------------------------------

def test_a_series_creates_every_meeting_numbered_in_order_without_mail(client, staff, group):
    response = client.post(f"/api/v1/bodies/{group.id}/meeting-series", json=series_request(), headers=staff)
    assert response.status_code == 201, response.get_data(as_text=True)
    result = response.get_json()
    assert result["rule_text"] == "วันศุกร์สุดท้ายของทุก 2 เดือน"
    assert [(m["code"], m["starts_at"]) for m in result["items"]] == [
        ("1/2573", "2030-08-30T09:30:00+07:00"), ("1/2574", "2030-10-25T09:30:00+07:00"),
        ("2/2574", "2030-12-27T09:30:00+07:00"), ("3/2574", "2031-02-28T09:30:00+07:00"),
    ]
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at)).all()
    assert {m.series_id for m in meetings} == {result["id"]}
    assert all(m.venue == "ห้องประชุมจันทรเกษม" and m.ends_at.hour == 5 for m in meetings)  # 12:00 Bangkok
    # each meeting's section 2 certifies the one before it
    sources = [db.session.scalar(db.select(AgendaItem.source_meeting_id).where(
        AgendaItem.meeting_id == m.id, AgendaItem.section == 2)) for m in meetings]
    assert sources == [None] + [m.id for m in meetings[:-1]]
    assert count(OutgoingMail) == 0
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "meeting.series")) is not None
    # the next meeting after the series' last follows the rule
    following = client.post(f"/api/v1/meetings/{meetings[-1].id}/next", json={"notify": False}, headers=staff)
    assert following.get_json()["starts_at"] == "2031-04-25T09:30:00+07:00"
    assert following.get_json()["code"] == "4/2574"


def test_a_series_notice_is_one_mail_per_member_with_every_date(client, staff, group):
    response = client.post(f"/api/v1/bodies/{group.id}/meeting-series",
                           json=series_request(notify=True, count=None, until="2030-12-31"), headers=staff)
    assert response.status_code == 201, response.get_data(as_text=True)
    mails = db.session.scalars(db.select(OutgoingMail)).all()
    assert len(mails) == 3 and {m.kind for m in mails} == {"meeting.series"}
    assert "ครั้งที่ 1/2574" in mails[0].body_text and "ครั้งที่ 2/2574" in mails[0].body_text
    events = [c for c in Calendar.from_ical(mails[0].ics).walk() if c.name == "VEVENT"]
    assert len(events) == 3


def test_weekly_series_every_two_weeks(client, staff, group):
    response = client.post(f"/api/v1/bodies/{group.id}/meeting-series", headers=staff, json=series_request(
        rule={"frequency": "weeks", "every": 2, "weekday": 3}, starts_on="2030-07-01", count=3))
    assert [m["starts_at"][:10] for m in response.get_json()["items"]] == ["2030-07-04", "2030-07-18", "2030-08-01"]


@pytest.mark.parametrize("overrides,status,field", [
    ({"starts_on": "2020-08-01"}, 422, "starts_on"),  # past
    ({"count": 25}, 422, "count"),  # too many
    ({"count": None, "until": "2040-01-01"}, 422, "until"),  # too many by date
    ({"count": None}, 422, "count"),  # neither count nor until
    ({"until": "2031-01-01"}, 422, "count"),  # both
    ({"end_time": "09:00"}, 422, "end_time"),
    ({"rule": {"frequency": "months", "weekday": 4}}, 422, "rule.ordinal"),
    ({"rule": {"frequency": "months", "every": 13, "weekday": 4, "ordinal": 1}}, 422, "rule.every"),
    ({"venue": None}, 422, "venue"),
])
def test_series_refusals_leave_the_database_unchanged(client, staff, group, overrides, status, field):
    before = state()
    error = assert_error(client.post(f"/api/v1/bodies/{group.id}/meeting-series", json=series_request(**overrides),
                                     headers=staff), status)
    assert any(name.startswith(field) or name.endswith(field) for name in error["fields"]), error
    assert state() == before


def test_a_series_clashing_with_the_body_s_meetings_names_them(client, staff, group):
    existing = schedule(client, staff, group.id, starts_at="2030-10-25T14:00", ends_at="2030-10-25T16:00",
                        notify=False).get_json()
    before = state()
    error = assert_error(client.post(f"/api/v1/bodies/{group.id}/meeting-series", json=series_request(),
                                     headers=staff), 409, "clash")
    assert existing["code"] in error["message"]
    assert state() == before


# --- every route for every role ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_api_routes_for_every_role(client, make_user, token_for, group, previous, role):
    user = make_user(role)
    headers = token_for(user)
    staff_role = role in ("admin", "secretariat")
    before = state()
    following = client.post(f"/api/v1/meetings/{previous['id']}/next", json={"notify": False}, headers=headers)
    series = client.post(f"/api/v1/bodies/{group.id}/meeting-series", json=series_request(starts_on="2031-06-01"),
                         headers=headers)
    if staff_role:
        assert (following.status_code, series.status_code) == (201, 201)
    else:
        hidden = 403 if role == "viewer" else 404  # a viewer reads every body; the others do not sit in this one
        assert_error(following, hidden)
        assert_error(series, hidden)
        assert state() == before


def test_a_member_of_the_body_may_not_schedule(client, token_for, group, previous):
    headers = token_for(group.memberships[1].user)
    assert_error(client.post(f"/api/v1/meetings/{previous['id']}/next", headers=headers), 403)
    assert_error(client.post(f"/api/v1/bodies/{group.id}/meeting-series", json=series_request(), headers=headers), 403)


def test_api_routes_demand_sign_in(client, group, previous):
    assert_error(client.post(f"/api/v1/meetings/{previous['id']}/next"), 401)
    assert_error(client.post(f"/api/v1/bodies/{group.id}/meeting-series", json=series_request()), 401)


@pytest.mark.parametrize("role", ROLES)
def test_web_pages_and_buttons_for_every_role(client, login, make_user, group, previous, role):
    user = make_user(role)
    login(user)
    staff_role = role in ("admin", "secretariat")
    expected = 200 if staff_role else (403 if role == "viewer" else 404)
    assert client.get(f"/meetings/{previous['id']}/next").status_code == expected
    assert client.get(f"/bodies/{group.id}/meeting-series").status_code == expected
    if role in ("viewer",) or staff_role:
        meeting_page = client.get(f"/meetings/{previous['id']}").get_data(as_text=True)
        body_page = client.get(f"/bodies/{group.id}").get_data(as_text=True)
        assert ('id="next-meeting"' in meeting_page) is staff_role
        assert ('id="meeting-series"' in body_page) is staff_role


def test_web_pages_demand_sign_in(client, group, previous):
    for url in (f"/meetings/{previous['id']}/next", f"/bodies/{group.id}/meeting-series"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- web forms ---------------------------------------------------------------------------------------

@pytest.fixture
def secretary_client(client, login, make_user):
    login(make_user("secretariat"))
    return client


def test_the_next_meeting_form_is_prefilled_and_creates_the_meeting(secretary_client, group, previous):
    client = secretary_client
    html = client.get(f"/meetings/{previous['id']}/next").get_data(as_text=True)
    assert 'value="26/07/2573 09.30"' in html and 'value="26/07/2573 12.00"' in html
    assert "https://zoom.us/j/123" in html and "ต่อจากการประชุมครั้งที่ 1/2573" in html
    response = client.post(f"/meetings/{previous['id']}/next", data={
        "csrf_token": csrf_from(html), "starts_at": "02/08/2573 09.30", "ends_at": "02/08/2573 12.00",
        "mode": "hybrid", "venue": "ห้องประชุมจันทรเกษม", "online_url": "https://zoom.us/j/123",
        "chair_id": str(previous["chair_id"]), "title": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    created = db.session.scalar(db.select(Meeting).where(Meeting.number == 2))
    assert created.starts_at == datetime(2030, 8, 2, 2, 30, tzinfo=timezone.utc)
    assert response.headers["Location"].endswith(f"/meetings/{created.id}")


def test_the_next_meeting_form_keeps_what_was_typed_when_refused(secretary_client, previous):
    client = secretary_client
    html = client.get(f"/meetings/{previous['id']}/next").get_data(as_text=True)
    before = state()
    response = client.post(f"/meetings/{previous['id']}/next", data={
        "csrf_token": csrf_from(html), "starts_at": "01/06/2573 09.30", "ends_at": "01/06/2573 12.00",
        "confirm_past": "y", "mode": "onsite", "venue": "ห้องทดลองพิมพ์", "chair_id": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "ห้องทดลองพิมพ์" in page and "01/06/2573 09.30" in page
    assert state() == before


def test_the_series_form_schedules_ahead_and_shows_refusals_by_the_fields(secretary_client, group):
    client = secretary_client
    html = client.get(f"/bodies/{group.id}/meeting-series").get_data(as_text=True)
    form = {"csrf_token": csrf_from(html), "frequency": "months", "every": "2", "ordinal": "-1", "weekday": "4",
            "starts_on": "01/08/2573", "count": "30", "start_time": "09.30", "end_time": "12.00", "mode": "onsite",
            "venue": "ห้องประชุมจันทรเกษม", "chair_id": ""}
    before = state()
    refused = client.post(f"/bodies/{group.id}/meeting-series", data=form)
    assert refused.status_code == 422 and "ห้องประชุมจันทรเกษม" in refused.get_data(as_text=True)
    refused = client.post(f"/bodies/{group.id}/meeting-series", data={**form, "count": "", "until": "01/08/2593"})
    assert refused.status_code == 422
    assert state() == before
    preview = client.post(f"/bodies/{group.id}/meeting-series", data={**form, "count": "4"})
    assert preview.status_code == 200 and 'id="confirm-step"' in preview.get_data(as_text=True)
    text = preview.get_data(as_text=True)
    assert "ครั้งที่ 1/2573 วันศุกร์ 30 ส.ค. 2573" in text and "ครั้งที่ 1/2574 วันศุกร์ 25 ต.ค. 2573" in text
    assert "วันศุกร์สุดท้ายของทุก 2 เดือน" in text
    assert state() == before  # the preview rehearses and keeps nothing
    created = client.post(f"/bodies/{group.id}/meeting-series", data={**form, "count": "4", "confirmed": "1"})
    assert created.status_code == 302, created.get_data(as_text=True)[:3000]
    codes = db.session.scalars(db.select(Meeting.number).order_by(Meeting.starts_at)).all()
    assert len(codes) == 4 and count(OutgoingMail) == 0
