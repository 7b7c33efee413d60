"""Personal and body calendar feeds: secret URLs without login, what they list, regenerate and revoke."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import text

from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import schedule

FEED_RE = re.compile(r"^/calendar/([A-Za-z0-9_-]+)\.ics$")


@pytest.fixture
def staff(make_user, token_for):
    return token_for(make_user("secretariat"))


@pytest.fixture
def world(client, staff, make_body, make_user, add_member):
    """A committee the user sits in, a working group under it, and an unrelated body, one meeting each."""
    committee = make_body("คณะกรรมการนโยบายการกำกับองค์การที่ดี", kind="committee")
    group = make_body("คณะทำงานติดตามผลการดำเนินงาน", numbering="fiscal", parent=committee)
    other = make_body("คณะกรรมการอื่น", kind="committee")
    user = make_user("member", name="นายกรรมการ ทดสอบ")
    add_member(committee, user)
    ids = {}
    for key, body, venue in (("committee", committee, "ห้อง 1"), ("group", group, "ห้อง 2"), ("other", other, "ห้อง 3")):
        response = schedule(client, staff, body.id, venue=venue, notify=False)
        assert response.status_code == 201, response.get_data(as_text=True)
        ids[key] = response.get_json()["id"]
    return {"user": user, "committee": committee, "group": group, "other": other, "meetings": ids}


def feed_path(client, user, token_for) -> str:
    """The feed URL from GET /api/v1/me, as a path."""
    response = client.get("/api/v1/me", headers=token_for(user))
    assert response.status_code == 200
    url = response.get_json()["calendar_feed_url"]
    assert url and url.startswith(("https://", "http://")), url  # absolute
    path = urlsplit(url).path
    assert FEED_RE.match(path), path
    return path


def secret_of(path: str) -> str:
    return FEED_RE.match(path).group(1)


def events(response) -> dict[str, object]:
    """The feed's VEVENTs by UID."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def uid(meeting_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id).uid


def test_personal_feed_needs_no_login_and_lists_the_users_bodies(app, client, world, token_for, staff):
    path = feed_path(client, world["user"], token_for)
    anonymous = app.test_client()
    feed = events(anonymous.get(path + "?all=1"))  # the meetings are from 2020: the whole history
    ids = world["meetings"]
    assert set(feed) == {uid(ids["committee"])}  # invited: not the working group under the committee
    assert uid(ids["other"]) not in feed
    event = feed[uid(ids["committee"])]
    assert "1/2563" in str(event["SUMMARY"]) and str(event["LOCATION"]) == "ห้อง 1"
    assert event.decoded("DTSTART") == datetime(2020, 9, 10, 2, 30, tzinfo=timezone.utc)
    assert "ATTENDEE" not in event  # a shared feed does not spread members' addresses
    assert "private" in anonymous.get(path).headers.get("Cache-Control", "")
    # the same URL is given again (it is not re-created on every call)
    assert feed_path(client, world["user"], token_for) == path


def test_feed_shows_cancellation_and_postponement(app, client, world, token_for, staff):
    ids = world["meetings"]
    path = feed_path(client, world["user"], token_for) + "?all=1"
    follow = client.put("/api/v1/me/followed-bodies", json={"body_ids": [world["group"].id]},
                        headers=token_for(world["user"]))
    assert follow.status_code == 200, follow.get_data(as_text=True)
    before = events(app.test_client().get(path))
    assert int(before[uid(ids["committee"])]["SEQUENCE"]) == 0
    assert str(before[uid(ids["group"])].get("STATUS", "CONFIRMED")) != "CANCELLED"
    cancelled = client.post(f"/api/v1/meetings/{ids['group']}/cancel", json={"reason": "ติดภารกิจ"}, headers=staff)
    assert cancelled.status_code == 200
    moved = client.post(f"/api/v1/meetings/{ids['committee']}/postpone",
                        json={"starts_at": "2020-09-17T13:30", "ends_at": "2020-09-17T15:00"}, headers=staff)
    assert moved.status_code == 200, moved.get_data(as_text=True)
    after = events(app.test_client().get(path))
    assert set(after) == set(before)  # same UIDs: calendars update the events, not add new ones
    group_event = after[uid(ids["group"])]
    assert str(group_event["STATUS"]) == "CANCELLED"
    assert int(group_event["SEQUENCE"]) > int(before[uid(ids["group"])]["SEQUENCE"])
    event = after[uid(ids["committee"])]
    assert event.decoded("DTSTART") == datetime(2020, 9, 17, 6, 30, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2020, 9, 17, 8, 0, tzinfo=timezone.utc)
    assert int(event["SEQUENCE"]) > int(before[uid(ids["committee"])]["SEQUENCE"])
    assert str(event.get("STATUS", "CONFIRMED")) != "CANCELLED"


def test_feed_secret_is_long_unguessable_and_never_stored(app, client, world, make_user, token_for):
    user = world["user"]
    secret = secret_of(feed_path(client, user, token_for))
    assert len(secret) >= 40
    other_secret = secret_of(feed_path(client, make_user("member"), token_for))
    assert other_secret != secret and len(other_secret) >= 40
    db.session.expire_all()
    for table in ("users", "audit_events"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()
        assert all(secret not in str(row) for row in rows)  # derived from SECRET_KEY, never written down
    anonymous = app.test_client()
    user_id, mac = secret.split("-", 1)
    forged = f"{user_id}-{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}"
    assert anonymous.get(f"/calendar/{secret}.ics").status_code == 200
    assert anonymous.get(f"/calendar/{forged}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{other_secret.split('-')[0]}-{mac}.ics").status_code == 404  # not another's


def test_showing_the_feed_writes_nothing(client, login, world, token_for):
    from app.audit.models import AuditEvent

    login(world["user"])
    headers = token_for(world["user"])
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    assert profile_feed(client)[1] is not None
    assert client.get("/api/v1/me", headers=headers).get_json()["calendar_feed_url"]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == before


def profile_feed(client) -> tuple[str, str | None]:
    """The profile page and the feed path it shows (None when the feed is off)."""
    response = client.get("/profile")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    match = re.search(r'value="https?://[^"/]+(/calendar/[A-Za-z0-9_-]+\.ics)"', html)
    return html, match.group(1) if match else None


def test_profile_shows_the_feed_and_a_webcal_link(client, login, world, token_for):
    login(world["user"])
    html, path = profile_feed(client)
    assert path is not None
    assert re.search(rf'href="webcal://[^"/]+{re.escape(path)}"', html), "no webcal:// link"
    assert path == feed_path(client, world["user"], token_for)  # the API gives the same feed


def test_regenerate_replaces_the_url(app, client, login, world, token_for):
    login(world["user"])
    html, old = profile_feed(client)
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 200
    assert client.post("/profile/calendar/regenerate").status_code == 400  # no CSRF token
    assert client.post("/profile/calendar/regenerate", data={"csrf_token": "forged"}).status_code == 400
    assert anonymous.get(old).status_code == 200
    response = client.post("/profile/calendar/regenerate", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile")
    _html, new = profile_feed(client)
    assert new is not None and new != old
    assert anonymous.get(old).status_code == 404
    assert len(events(anonymous.get(new + "?all=1"))) == 1  # the committee's meeting (2020: the whole history)
    assert feed_path(client, world["user"], token_for) == new
    old_secret, new_secret = secret_of(old), secret_of(new)
    assert anonymous.get(f"/calendar/{old_secret}/bodies/{world['committee'].id}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{new_secret}/bodies/{world['committee'].id}.ics").status_code == 200


def test_revoke_turns_the_feed_off(app, client, login, world, token_for):
    login(world["user"])
    html, path = profile_feed(client)
    anonymous = app.test_client()
    assert client.post("/profile/calendar/revoke").status_code == 400  # no CSRF token
    assert anonymous.get(path).status_code == 200
    response = client.post("/profile/calendar/revoke", data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(f"/calendar/{secret_of(path)}/bodies/{world['committee'].id}.ics").status_code == 404
    html, shown = profile_feed(client)
    assert shown is None and "webcal://" not in html and secret_of(path) not in html
    assert "ปิดลิงก์ปฏิทินอยู่" in html
    db.session.expire_all()
    assert db.session.get(User, world["user"].id).calendar_feed_nonce == "revoked"
    # it stays off for other sessions and for API clients (not silently re-created)
    elsewhere = app.test_client()
    login(world["user"], c=elsewhere)
    assert profile_feed(elsewhere)[1] is None
    me = client.get("/api/v1/me", headers=token_for(world["user"]))
    assert me.status_code == 200 and me.get_json()["calendar_feed_url"] is None
    # it can be turned on again, with a new URL
    client.post("/profile/calendar/regenerate", data={"csrf_token": csrf_from(html)})
    _html, again = profile_feed(client)
    assert again is not None and again != path
    assert anonymous.get(again).status_code == 200 and anonymous.get(path).status_code == 404


def test_body_feed(app, client, world, token_for, make_user):
    secret = secret_of(feed_path(client, world["user"], token_for))
    anonymous = app.test_client()
    ids = world["meetings"]
    committee = events(anonymous.get(f"/calendar/{secret}/bodies/{world['committee'].id}.ics?all=1"))
    assert set(committee) == {uid(ids["committee"])}
    group = events(anonymous.get(f"/calendar/{secret}/bodies/{world['group'].id}.ics?all=1"))  # under the committee
    assert set(group) == {uid(ids["group"])}
    assert anonymous.get(f"/calendar/{secret}/bodies/{world['other'].id}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{secret}/bodies/999999.ics").status_code == 404
    assert anonymous.get(f"/calendar/{'x' * 43}/bodies/{world['committee'].id}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{'x' * 43}.ics").status_code == 404
    # a viewer reads every body
    viewer_secret = secret_of(feed_path(client, make_user("viewer"), token_for))
    assert set(events(anonymous.get(f"/calendar/{viewer_secret}/bodies/{world['other'].id}.ics?all=1"))) == {
        uid(ids["other"])}


def test_feed_of_a_deactivated_user_stops_working(app, client, world, token_for):
    path = feed_path(client, world["user"], token_for)
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 200
    user = db.session.get(User, world["user"].id)
    user.is_active_user = False
    db.session.commit()
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(f"/calendar/{secret_of(path)}/bodies/{world['committee'].id}.ics").status_code == 404
