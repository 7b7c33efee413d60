"""The feeds' change log: a worker's kept copy of a feed, brought up to date from the log, is byte for byte the feed
a worker with no history builds (same ETag), after any sequence of changes; an unchanged feed costs one query; a
rolled-back change logs nothing; a change of membership reaches the feed at once."""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app.calendar import texts
from app.calendar.models import FeedChange, FeedGeneration
from app.extensions import db
from app.meetings.models import Meeting
from tests.functional.test_calendar_feeds import feed_path, world  # noqa: F401 — the fixture
from tests.functional.test_calendar_feeds import staff  # noqa: F401 — the fixture
from tests.functional.test_meetings_api import schedule


@pytest.fixture(autouse=True)
def ahead(world):
    """The world's meetings in the feeds' window (they are scheduled in 2020)."""
    for n, meeting_id in enumerate(world["meetings"].values()):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.starts_at = meeting.starts_at.replace(year=2030) + timedelta(days=n)
        meeting.ends_at = meeting.ends_at.replace(year=2030) + timedelta(days=n)
    db.session.commit()


def fresh_build(app, path: str):
    """The feed as a worker with nothing kept answers it: (ETag, body)."""
    app.extensions.pop("prachum_feed_copies", None)
    app.extensions.pop("prachum_feed_event_texts", None)
    response = app.test_client().get(path)
    assert response.status_code == 200
    return response.headers["ETag"], response.data


def generation() -> int:
    return db.session.scalar(select(FeedGeneration.value)) or 0


def statements(app, path: str, headers: dict) -> tuple[int, int]:
    """(status, how many SQL statements) of one feed request."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        status = app.test_client().get(path, headers=headers, buffered=True).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return status, len(seen)


def test_an_unchanged_feed_is_one_query_and_a_change_elsewhere_keeps_the_etag(app, client, world, token_for):
    path = feed_path(client, world["user"], token_for)
    poller = app.test_client()
    first = poller.get(path)
    etag = first.headers["ETag"]
    assert statements(app, path, {"If-None-Match": etag}) == (304, 1)
    # a meeting of a body the member neither sits in nor follows: the log moves, the feed does not
    before = generation()
    other = db.session.get(Meeting, world["meetings"]["other"])
    other.venue = "ห้องอื่น"
    db.session.commit()
    assert generation() == before + 1
    assert poller.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert fresh_build(app, path)[0] == etag


def test_a_kept_copy_brought_up_to_date_equals_a_fresh_build(app, client, world, token_for, make_user, staff):
    path = feed_path(client, world["user"], token_for)
    poller = app.test_client()
    committee = world["committee"]
    ids = [world["meetings"]["committee"]]
    for n in range(3):  # more meetings to move around
        response = schedule(client, staff, committee.id, starts_at=f"2030-0{n + 1}-10T09:30",
                            ends_at=f"2030-0{n + 1}-10T12:00", venue="ห้อง 9", notify=False)
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.get_json()["id"])
    chance = random.Random(20261203)
    poller.get(path)  # the copy every later request brings up to date
    for step in range(12):
        meeting = db.session.get(Meeting, chance.choice(ids))
        change = chance.choice(("title", "move", "cancel", "venue", "other body"))
        if change == "title":
            meeting.title = f"ชื่อใหม่ {step}"
        elif change == "move":  # may overtake its neighbours: the feed's order changes
            meeting.starts_at += timedelta(days=chance.choice((-40, 20, 90)))
            meeting.ends_at = meeting.starts_at + timedelta(hours=2)
            meeting.sequence += 1
        elif change == "cancel":
            meeting.status, meeting.cancel_reason = "cancelled", f"เหตุผล {step}"
        elif change == "venue":
            meeting.venue = f"ห้อง {step}"
        else:
            db.session.get(Meeting, world["meetings"]["other"]).notes = f"อื่น {step}"
        db.session.commit()
        kept = poller.get(path)
        assert kept.status_code == 200
        assert (kept.headers["ETag"], kept.data) == fresh_build(app, path), (step, change)
        poller.get(path)  # the fresh build's app state was cleared: keep one again


def test_a_meeting_entering_and_leaving_the_feed_and_a_new_membership(app, client, world, token_for, add_member):
    path = feed_path(client, world["user"], token_for)
    poller = app.test_client()
    other = db.session.get(Meeting, world["meetings"]["other"])
    other_uid = other.uid.encode()
    assert other_uid not in poller.get(path).data
    other.chair_id = world["user"].id  # the member chairs it: invited, in the feed
    db.session.commit()
    assert other_uid in poller.get(path).data
    db.session.get(Meeting, world["meetings"]["other"]).chair_id = None
    db.session.commit()
    assert other_uid not in poller.get(path).data
    add_member(world["other"], world["user"])  # a membership may change every feed: built afresh
    assert other_uid in poller.get(path).data


def test_a_rolled_back_change_logs_nothing(app, world):
    before, changes = generation(), db.session.scalar(select(func.count()).select_from(FeedChange))
    meeting = db.session.get(Meeting, world["meetings"]["committee"])
    meeting.title = "ไม่บันทึก"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert generation() == before
    assert db.session.scalar(select(func.count()).select_from(FeedChange)) == changes


def test_a_savepoint_waits_for_the_outer_commit(app, world):
    before = generation()
    with db.session.begin_nested():
        db.session.get(Meeting, world["meetings"]["committee"]).venue = "ห้องในจุดบันทึก"
    assert generation() == before  # not yet: the counter is raised by the outer commit only
    db.session.commit()
    assert generation() == before + 1


def test_a_kept_copy_expires(app, client, world, token_for, monkeypatch):
    """A change made with SQL by hand (not logged) shows once kept copies expire."""
    path = feed_path(client, world["user"], token_for)
    poller = app.test_client()
    etag = poller.get(path).headers["ETag"]
    db.session.execute(Meeting.__table__.update().where(Meeting.id == world["meetings"]["committee"])
                       .values(venue="แก้ด้วยมือ", version=Meeting.version + 1))
    db.session.commit()
    assert poller.get(path, headers={"If-None-Match": etag}).status_code == 304
    monkeypatch.setattr(texts, "COPY_LIFETIME", 0)
    assert poller.get(path, headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.parametrize("everything", [False, True])
def test_body_feed_kept_and_brought_up_to_date(app, client, world, token_for, everything):
    response = client.get("/api/v1/me", headers=token_for(world["user"]))
    secret = response.get_json()["calendar_feed_url"].rsplit("/", 1)[-1].removesuffix(".ics")
    path = f"/calendar/{secret}/bodies/{world['committee'].id}.ics" + ("?all=1" if everything else "")
    poller = app.test_client()
    etag = poller.get(path).headers["ETag"]
    assert statements(app, path, {"If-None-Match": etag}) == (304, 1)
    db.session.get(Meeting, world["meetings"]["committee"]).title = "ชื่อใหม่ของคณะ"
    db.session.commit()
    kept = poller.get(path, headers={"If-None-Match": etag})
    assert kept.status_code == 200 and (kept.headers["ETag"], kept.data) == fresh_build(app, path)


def test_a_subscriber_whose_copy_is_current_gets_a_304_without_any_text_written(app, client, world, token_for,
                                                                                 monkeypatch):
    """A worker whose kept copy is older than the subscriber's (another worker served the change) or gone (expired,
    restarted) answers 304 from the meetings' versions alone; the text is written when a 200 needs it."""
    from app import ical

    path = feed_path(client, world["user"], token_for)
    older = app.test_client().get(path)  # this worker keeps this copy
    kept = app.extensions["prachum_feed_copies"].copies.copy()
    meeting = db.session.get(Meeting, world["meetings"]["committee"])
    meeting.venue = "ห้องประชุมใหม่"
    db.session.commit()
    etag, body = fresh_build(app, path)  # another worker served the change to the subscriber
    assert etag != older.headers["ETag"]
    written: list[int] = []
    event_text = ical.event_text
    monkeypatch.setattr(ical, "event_text", lambda *args, **kwargs: written.append(1) or event_text(*args, **kwargs))
    app.extensions["prachum_feed_copies"].copies = kept  # back on the worker that kept the older copy
    assert app.test_client().get(path, headers={"If-None-Match": etag}).status_code == 304
    app.extensions.pop("prachum_feed_copies", None)  # and on one that keeps nothing
    app.extensions.pop("prachum_feed_event_texts", None)
    assert app.test_client().get(path, headers={"If-None-Match": etag}).status_code == 304
    assert written == []
    full = app.test_client().get(path, headers={"If-None-Match": older.headers["ETag"]})
    assert (full.status_code, full.headers["ETag"], full.data) == (200, etag, body) and written
