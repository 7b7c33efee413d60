"""Kept responses (app/kept_responses.py): a repeated read is answered from the worker's copy without reading the
database, and never once anything was written, a credential ended or the reader differs."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.services import revoke_tokens
from app.calendar.feeds import feed_url_for, revoke_feed
from app.extensions import db
from app.kept_responses import GENERATION_KEY, init_kept_responses
from tests.conftest import csrf_from
from tests.local_redis import empty_redis_database
from tests.functional.test_reports_api import world  # noqa: F401 (fixture)
from tests.sql import counted
from tests.when import local


@pytest.fixture
def kept(app):
    """Kept responses on for one test, on a Redis database of their own (11: SQLite run, 12: PostgreSQL run)."""
    url = empty_redis_database(11 if db.engine.dialect.name == "sqlite" else 12)
    app.config.update(PRACHUM_KEPT_RESPONSES=True, PRACHUM_GENERATION_REDIS_URL=url)
    init_kept_responses(app)
    yield app.extensions["prachum_kept"]
    app.config.update(PRACHUM_KEPT_RESPONSES=False, PRACHUM_GENERATION_REDIS_URL=None)
    init_kept_responses(app)


def rollup_url(world) -> str:
    return f"/api/v1/plans/{world.plan.id}/rollup?round={world.round.id}"


def test_a_repeated_rollup_is_answered_without_the_database_until_a_report_changes(client, world, kept):  # noqa: F811
    staff, reporter = world.headers["secretariat"], world.headers["ict"]
    first = client.get(rollup_url(world), headers=staff)
    assert first.status_code == 200
    with counted() as seen:
        again = client.get(rollup_url(world), headers=staff)
        revalidated = client.get(rollup_url(world), headers={**staff, "If-None-Match": first.headers["ETag"]})
    assert seen == []  # neither signing in nor the roll-up read the database
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "Content-Security-Policy" in again.headers and again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert revalidated.status_code == 304 and revalidated.headers["ETag"] == first.headers["ETag"]
    # a report filed and submitted: the next read is computed again and shows it
    filed = client.post("/api/v1/reports", headers=reporter, json={
        "sub_item_id": world.subs["1.1"].id, "round_id": world.round.id, "status": "on_track", "percent": 40,
        "result": "ดำเนินการแล้ว"})
    assert filed.status_code == 201, filed.get_json()
    assert client.post(f"/api/v1/reports/{filed.get_json()['id']}/submit", headers=reporter, json={}).status_code == 200
    with counted() as seen:
        after = client.get(rollup_url(world), headers={**staff, "If-None-Match": first.headers["ETag"]})
    assert seen != [] and after.status_code == 200
    sub_item = next(s for t in after.get_json()["themes"] for s in t["sub_items"] if s["code"] == "1.1")
    assert sub_item["counts"]["submitted"] == 1


def test_a_copy_is_never_served_to_another_reader_or_after_its_token_is_revoked(client, world, kept):  # noqa: F811
    staff, viewer = world.headers["secretariat"], world.headers["viewer"]
    for _first_use_then_kept in range(3):
        assert client.get(rollup_url(world), headers=staff).status_code == 200
    with counted() as seen:
        other = client.get(rollup_url(world), headers=viewer)
    assert seen != [] and other.status_code == 200  # the viewer is signed in and answered for themselves
    assert client.get(rollup_url(world), headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    revoke_tokens(world.users["secretariat"], "test")
    db.session.commit()
    refused = client.get(rollup_url(world), headers=staff)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"


def test_the_home_page_kept_for_a_session_ends_with_the_sign_out(app, world, kept, login):  # noqa: F811
    secretariat = world.users["secretariat"]
    client = login(secretariat, c=app.test_client())
    first = client.get("/")
    assert first.status_code == 200
    second = client.get("/")  # the first rendered the session's CSRF secret (a new cookie): this one is kept
    with counted() as seen:
        third = client.get("/")
    assert seen == [] and third.get_data() == second.get_data()
    cookie = client.get_cookie("session").value
    page = third.get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("session", cookie)
    answer = replayed.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_message_to_show_is_never_replaced_by_a_copy(app, world, kept, login):  # noqa: F811
    client = login(world.users["secretariat"], c=app.test_client())
    client.get("/")
    kept_page = client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "บันทึกแล้ว ทดสอบข้อความ")]
    shown = client.get("/").get_data(as_text=True)
    assert "บันทึกแล้ว ทดสอบข้อความ" in shown and "บันทึกแล้ว ทดสอบข้อความ" not in kept_page


def test_without_redis_every_request_is_computed(client, world, kept):  # noqa: F811
    import redis

    kept["generation"].client = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    staff = world.headers["secretariat"]
    assert client.get(rollup_url(world), headers=staff).status_code == 200
    with counted() as seen:
        again = client.get(rollup_url(world), headers=staff)
    assert again.status_code == 200 and seen != []


def test_the_generation_starts_at_a_random_value_and_rises_with_each_write(client, world, kept):  # noqa: F811
    store = kept["generation"].client
    store.delete(GENERATION_KEY)
    start = kept["generation"].current()
    assert int(store.get(GENERATION_KEY)) == start and start > 1000
    before = kept["generation"].current()
    assert client.get(rollup_url(world), headers=world.headers["secretariat"]).status_code == 200
    db.session.expire_all()
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.users["secretariat"].id)).one()
    assert token.last_used_at is not None  # the token's use was written …
    assert kept["generation"].current() == before  # … as bookkeeping: reads leave the generation
    world.users["member"].name = "ชื่อใหม่"
    db.session.commit()
    assert kept["generation"].current() == before + 1
    store.delete(GENERATION_KEY)  # Redis restarted: a write finding no counter starts it at random too
    world.users["member"].name = "ชื่อใหม่อีกครั้ง"
    db.session.commit()
    assert int(store.get(GENERATION_KEY)) > 1000


def test_a_calendar_feed_is_kept_by_its_secret_url_and_ends_when_revoked(app, world, kept):  # noqa: F811
    member = world.users["member"]
    group = world.plan.owner_body
    scheduled = app.test_client().post("/api/v1/meetings", headers=world.headers["secretariat"], json={
        "body_id": group.id, "starts_at": local(10, 9), "ends_at": local(10, 12), "mode": "onsite", "venue": "ห้อง 1"})
    assert scheduled.status_code == 201, scheduled.get_json()
    with app.test_request_context():
        path = feed_url_for(member)
    subscriber = app.test_client()
    first = subscriber.get(path)
    assert first.status_code == 200 and first.mimetype == "text/calendar"
    with counted() as seen:
        again = subscriber.get(path)
        by_tag = subscriber.get(path, headers={"If-None-Match": first.headers["ETag"]})
        by_date = subscriber.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert seen == [] and again.get_data() == first.get_data() and b"BEGIN:VEVENT" in first.get_data()
    assert by_tag.status_code == 304 and by_date.status_code == 304
    revoke_feed(member)
    db.session.commit()
    assert subscriber.get(path).status_code == 404
