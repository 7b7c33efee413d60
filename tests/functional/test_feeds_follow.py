"""Feeds hold what their owner is invited to plus the bodies they follow; conditional GET (304); the past
12 months or the whole history; the user's reminder; one event per day of a multi-day meeting; short SUMMARY."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.bodies.models import Body
from app.extensions import db
from app.meetings.models import Meeting
from tests.conftest import csrf_from

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def unfolded(data: bytes) -> list[str]:
    """The second reading: the calendar's content lines, unfolded (RFC 5545 3.1), without any parser."""
    return re.sub(r"\r\n[ \t]", "", data.decode()).split("\r\n")


def text_uids(data: bytes) -> set[str]:
    return {line[4:] for line in unfolded(data) if line.startswith("UID:")}


def parsed(response) -> dict[str, object]:
    """VEVENTs by UID, read by icalendar; the same UIDs must be read from the raw lines."""
    assert response.status_code == 200, response.get_data(as_text=True)
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert set(events) == text_uids(response.data)
    return events


def meeting(body: Body, starts: datetime, hours: float = 2, **fields) -> Meeting:
    count = db.session.scalar(select(db.func.count(Meeting.id)).where(Meeting.body_id == body.id))
    m = Meeting(body=body, number=count + 1, year_be=starts.year + 543, title=fields.pop("title", "การประชุมทดสอบ"),
                starts_at=starts, ends_at=starts + timedelta(hours=hours), uid=f"{uuid.uuid4()}@prachum", **fields)
    db.session.add(m)
    db.session.commit()
    return m


def feed_path(client, user, token_for) -> str:
    url = client.get("/api/v1/me", headers=token_for(user)).get_json()["calendar_feed_url"]
    return urlsplit(url).path


@pytest.fixture
def world(make_body, make_user, add_member):
    committee = make_body("คณะกรรมการนโยบาย", kind="committee")
    committee.short_name = "คกก.นโยบาย"
    group = make_body("คณะทำงานติดตามผล", parent=committee)
    chaired = make_body("คณะทำงานที่มีประธานจากภายนอก")
    followed = make_body("คณะกรรมการอื่น", kind="committee")
    member = make_user("member", name="นายกรรมการ ทดสอบ")
    add_member(committee, member)
    add_member(followed, member)  # readable, so it may be followed
    db.session.commit()
    soon = NOW + timedelta(days=7)
    return {
        "member": member, "committee": committee, "group": group, "followed": followed,
        "m_committee": meeting(committee, soon, title="การประชุมคณะกรรมการนโยบาย ครั้งที่ 1/2570 ชื่อยาวมาก"),
        "m_group": meeting(group, soon),
        "m_chaired": meeting(chaired, soon, chair_id=member.id),
        "m_old": meeting(committee, NOW - timedelta(days=730)),
    }


def test_member_feed_holds_invitations_and_chaired_not_working_groups_below(app, client, world, token_for):
    path = feed_path(client, world["member"], token_for)
    feed = parsed(app.test_client().get(path))
    # the followed body's seat counts as an invitation too; its meetings: none yet
    assert set(feed) == {world["m_committee"].uid, world["m_chaired"].uid}
    assert world["m_group"].uid not in feed  # the working group below the committee: not invited


def test_following_a_body_adds_its_meetings_and_the_api_replaces_the_list(app, client, world, token_for,
                                                                          make_user, make_body):
    member, headers = world["member"], token_for(world["member"])
    path = feed_path(client, member, token_for)
    assert client.get("/api/v1/me/followed-bodies", headers=headers).get_json() == {"body_ids": []}
    response = client.put("/api/v1/me/followed-bodies", json={"body_ids": [world["group"].id]}, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"body_ids": [world["group"].id]}
    assert world["m_group"].uid in parsed(app.test_client().get(path))
    # PUT replaces
    response = client.put("/api/v1/me/followed-bodies", json={"body_ids": []}, headers=headers)
    assert response.get_json() == {"body_ids": []}
    assert world["m_group"].uid not in parsed(app.test_client().get(path))
    # a body the member may not read, or one that does not exist: 422 naming it, nothing changed
    secret_body = make_body("คณะลับ")
    for bad in (secret_body.id, 999999):
        refused = client.put("/api/v1/me/followed-bodies", json={"body_ids": [world["group"].id, bad]},
                             headers=headers)
        assert refused.status_code == 422
        assert str(bad) in refused.get_json()["error"]["fields"]["body_ids"]
    assert client.get("/api/v1/me/followed-bodies", headers=headers).get_json() == {"body_ids": []}
    # a viewer may follow any body
    viewer = make_user("viewer")
    ok = client.put("/api/v1/me/followed-bodies", json={"body_ids": [secret_body.id]}, headers=token_for(viewer))
    assert ok.status_code == 200 and ok.get_json() == {"body_ids": [secret_body.id]}


def test_follow_and_reminder_on_the_profile_page(app, client, world, login, token_for):
    login(world["member"])
    page = client.get("/profile").get_data(as_text=True)
    assert f'value="{world["group"].id}"' in page  # readable bodies offered
    response = client.post("/profile/calendar/settings", data={
        "csrf_token": csrf_from(page), "reminder_minutes": "1440", "follow": [str(world["group"].id)]})
    assert response.status_code == 302
    lines = unfolded(app.test_client().get(feed_path(client, world["member"], token_for)).data)
    assert "TRIGGER:-P1D" in lines
    assert any(line == f"UID:{world['m_group'].uid}" for line in lines)


def test_304_when_unchanged_and_200_after_a_change(app, client, world, token_for, make_user):
    path = feed_path(client, world["member"], token_for)
    anonymous = app.test_client()
    first = anonymous.get(path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    lines = unfolded(first.data)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines and "X-PUBLISHED-TTL:PT1H" in lines
    cal = Calendar.from_ical(first.data)
    assert cal["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    again = anonymous.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert anonymous.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    # a change the member sees: new ETag, 200 with the new content
    staff = token_for(make_user("secretariat"))
    changed = client.patch(f"/api/v1/meetings/{world['m_committee'].id}", json={"venue": "ห้องประชุมใหม่",
                                                                              "notify": False}, headers=staff)
    assert changed.status_code == 200, changed.get_data(as_text=True)
    after = anonymous.get(path, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert "LOCATION:ห้องประชุมใหม่" in unfolded(after.data)
    # the reminder choice changes the text, so the ETag too
    client.put("/api/v1/me/calendar", json={"reminder_minutes": None}, headers=token_for(world["member"]))
    assert anonymous.get(path, headers={"If-None-Match": after.headers["ETag"]}).status_code == 200


def test_past_twelve_months_by_default_and_all_history_on_request(app, client, world, token_for):
    path = feed_path(client, world["member"], token_for)
    default = parsed(app.test_client().get(path))
    everything = parsed(app.test_client().get(path + "?all=1"))
    assert world["m_old"].uid not in default and world["m_old"].uid in everything
    assert world["m_committee"].uid in default


@pytest.mark.parametrize("minutes, trigger", [(15, "-PT15M"), (60, "-PT1H"), (1440, "-P1D"), (None, None)])
def test_reminder_choice_is_the_valarm(app, client, world, token_for, minutes, trigger):
    headers = token_for(world["member"])
    response = client.put("/api/v1/me/calendar", json={"reminder_minutes": minutes}, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"reminder_minutes": minutes}
    assert client.get("/api/v1/me/calendar", headers=headers).get_json() == {"reminder_minutes": minutes}
    data = app.test_client().get(feed_path(client, world["member"], token_for)).data
    event = parsed(app.test_client().get(feed_path(client, world["member"], token_for)))[world["m_committee"].uid]
    alarms = event.walk("VALARM")
    if trigger is None:
        assert alarms == [] and "BEGIN:VALARM" not in unfolded(data)
    else:
        assert [a.decoded("TRIGGER") for a in alarms] == [-timedelta(minutes=minutes)]
        assert f"TRIGGER:{trigger}" in unfolded(data)


def test_reminder_outside_the_choices_is_refused(client, world, token_for):
    response = client.put("/api/v1/me/calendar", json={"reminder_minutes": 30}, headers=token_for(world["member"]))
    assert response.status_code == 422


def test_summary_is_short_and_the_full_title_is_in_the_description(app, client, world, token_for):
    event = parsed(app.test_client().get(feed_path(client, world["member"], token_for)))[world["m_committee"].uid]
    code = world["m_committee"].code
    assert str(event["SUMMARY"]) == f"ครั้งที่ {code} คกก.นโยบาย"
    assert "ชื่อยาวมาก" in str(event["DESCRIPTION"])


def test_body_feed_linked_on_the_body_page_and_in_the_api(app, client, world, login, token_for):
    headers = token_for(world["member"])
    url = client.get(f"/api/v1/bodies/{world['committee'].id}", headers=headers).get_json()["calendar_feed_url"]
    path = urlsplit(url).path
    assert path.endswith(f"/bodies/{world['committee'].id}.ics")
    feed = app.test_client().get(path)
    assert set(parsed(feed)) == {world["m_committee"].uid}
    assert app.test_client().get(path, headers={"If-None-Match": feed.headers["ETag"]}).status_code == 304
    login(world["member"])
    assert url in client.get(f"/bodies/{world['committee'].id}").get_data(as_text=True)


def obec_workshop() -> Meeting:
    return db.session.scalar(select(Meeting).where(Meeting.year_be == 2566, Meeting.starts_at
                                                   == datetime(2023, 3, 29, 1, 30, tzinfo=timezone.utc)))


def test_the_three_day_workshop_is_three_events_with_each_days_hours_and_venue(app, client, demo, make_user,
                                                                               token_for):
    workshop = obec_workshop()
    assert workshop is not None
    viewer = make_user("viewer")
    path = f"{feed_path(client, viewer, token_for)[:-4]}/bodies/{workshop.body_id}.ics?all=1"
    feed = parsed(app.test_client().get(path))
    days = {uid: e for uid, e in feed.items() if uid.startswith(workshop.uid)}
    assert sorted(days) == [f"{workshop.uid}-2023032{d}" for d in (9,)] + [f"{workshop.uid}-2023033{d}" for d in (0, 1)]
    for event in days.values():
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start.hour, start.minute, end.hour, end.minute) == (8, 30, 16, 30)  # Bangkok, each day
        assert int(event["SEQUENCE"]) == workshop.sequence
    # the secretariat sets the last day's hours and venue
    staff = token_for(make_user("secretariat"))
    response = client.patch(f"/api/v1/meetings/{workshop.id}", headers=staff, json={"notify": False, "days": [
        {"date": "2023-03-29", "starts_at": "09:00", "ends_at": "16:00"},
        {"date": "2023-03-30", "starts_at": "08:30", "ends_at": "16:30"},
        {"date": "2023-03-31", "starts_at": "08:30", "ends_at": "12:00", "venue": "สพฐ. อาคาร 1"}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["days"][2] == {"date": "2023-03-31", "starts_at": "08:30", "ends_at": "12:00",
                                              "venue": "สพฐ. อาคาร 1", "online_url": None}
    data = app.test_client().get(path).data
    feed = parsed(app.test_client().get(path))
    first, last = feed[f"{workshop.uid}-20230329"], feed[f"{workshop.uid}-20230331"]
    assert first.decoded("DTSTART").hour == 9 and last.decoded("DTEND").hour == 12
    assert str(last["LOCATION"]) == "สพฐ. อาคาร 1" and str(first["LOCATION"]) == workshop.venue
    assert len({int(e["SEQUENCE"]) for uid, e in feed.items() if uid.startswith(workshop.uid)}) == 1
    assert "LOCATION:สพฐ. อาคาร 1" in unfolded(data)
    # a day outside the meeting is refused
    outside = client.patch(f"/api/v1/meetings/{workshop.id}", headers=staff, json={"days": [
        {"date": "2023-04-02", "starts_at": "09:00", "ends_at": "16:00"}]})
    assert outside.status_code == 422


def test_the_secretariat_sets_a_days_venue_on_the_edit_page(app, client, demo, make_user, login, token_for):
    workshop = obec_workshop()
    secretariat = make_user("secretariat")
    login(secretariat)
    page = client.get(f"/meetings/{workshop.id}/edit").get_data(as_text=True)
    assert 'id="meeting-days"' in page and page.count('name="date"') == 3
    response = client.post(f"/meetings/{workshop.id}/days", data={
        "csrf_token": csrf_from(page), "date": ["2023-03-29", "2023-03-30", "2023-03-31"],
        "starts_at": ["08:30", "08:30", "09:00"], "ends_at": ["16:30", "16:30", "12:00"],
        "venue": ["", "", "ห้องประชุม สพฐ."], "online_url": ["", "", ""]})
    assert response.status_code == 302
    path = f"{feed_path(client, secretariat, token_for)[:-4]}/bodies/{workshop.body_id}.ics?all=1"
    last = parsed(app.test_client().get(path))[f"{workshop.uid}-20230331"]
    assert str(last["LOCATION"]) == "ห้องประชุม สพฐ." and last.decoded("DTSTART").hour == 9
    # a one-day meeting has no days section
    one_day = db.session.scalar(select(Meeting).where(Meeting.id != workshop.id).limit(1))
    assert 'id="meeting-days"' not in client.get(f"/meetings/{one_day.id}/edit").get_data(as_text=True)
