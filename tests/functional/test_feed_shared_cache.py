"""Feeds in the shared cache: a feed one worker wrote is answered by another worker (or node) from the cache at the
same generation of the feed log, with one query and the same bytes and ETag; a meeting changed anywhere gives a
new generation, so the next poll shows the change at once."""
from __future__ import annotations

import pytest

from app.calendar import texts
from app.extensions import db
from app.meetings.models import Meeting
from tests.functional.test_calendar_feeds import events, feed_path, staff, uid, world  # noqa: F401 (fixtures)
from tests.functional.test_feed_log import ahead, statements  # noqa: F401 (ahead: an autouse fixture)


def another_worker(app) -> None:
    """Forget what this process kept of feeds, as a worker of another node that never served them."""
    app.extensions.pop("prachum_feed_copies", None)
    app.extensions.pop("prachum_feed_event_texts", None)


@pytest.fixture
def built(monkeypatch) -> list[int]:
    """How many times a feed was built or brought up to date by this process."""
    calls: list[int] = []
    built_, updated_ = texts._built, texts._updated

    def counted_build(*args):
        calls.append(1)
        return built_(*args)

    def counted_update(*args):
        calls.append(1)
        return updated_(*args)

    monkeypatch.setattr(texts, "_built", counted_build)
    monkeypatch.setattr(texts, "_updated", counted_update)
    return calls


def poll(app, path: str, **kwargs):
    """One feed request, its response closed as a server closes it once sent (the feed is offered to the shared cache
    then, not while the reader waits)."""
    return app.test_client().get(path, buffered=True, **kwargs)


def test_another_worker_serves_the_kept_feed_and_sees_a_meeting_change_at_once(app, client, world, token_for,
                                                                                shared_cache, built):
    path = feed_path(client, world["user"], token_for)
    first = poll(app, path)
    assert first.status_code == 200 and len(built) == 1
    another_worker(app)
    second = poll(app, path)
    assert (second.data, second.headers["ETag"]) == (first.data, first.headers["ETag"]) and len(built) == 1
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    another_worker(app)
    assert statements(app, path, {}) == (200, 1)  # the feed log's counter, then the cache
    another_worker(app)
    assert statements(app, path, {"If-None-Match": first.headers["ETag"]}) == (304, 1)
    # a meeting of the member's committee moves: the next poll, on any worker, shows it
    meeting = db.session.get(Meeting, world["meetings"]["committee"])
    meeting.venue = "ห้องประชุมใหม่ ชั้น 2"
    db.session.commit()
    another_worker(app)
    moved = poll(app, path, headers={"If-None-Match": first.headers["ETag"]})
    assert moved.status_code == 200 and moved.headers["ETag"] != first.headers["ETag"] and len(built) == 2
    assert str(events(moved)[uid(world["meetings"]["committee"])]["LOCATION"]) == "ห้องประชุมใหม่ ชั้น 2"
    another_worker(app)
    again = poll(app, path)
    assert again.data == moved.data and len(built) == 2


def test_without_the_cache_every_worker_writes_its_own_copy(app, client, world, token_for, built):
    path = feed_path(client, world["user"], token_for)
    first = poll(app, path)
    another_worker(app)
    second = poll(app, path)
    assert second.data == first.data and len(built) == 2
