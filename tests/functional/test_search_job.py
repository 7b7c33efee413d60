"""Search indexing of long texts as a background job: queued in the flush, handed to one Celery job after the
commit (never on a rollback), idempotent, eager without a broker, visible to admins when it fails."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import jobs
from app.agenda.models import AgendaItem
from app.extensions import db
from app.meetings.models import Meeting
from app.search import services
from app.search.models import SearchEntry, SearchQueueItem
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)
from tests.functional.test_search import TITLE, add_item, hits, meeting, minutes_of, publish  # noqa: F401


@pytest.fixture
def handed_over(monkeypatch):
    """The jobs handed to Celery, recorded (not run), each with whether its change was already committed."""
    calls = []

    def enqueue(job, *args):
        committed = None
        if job is jobs.index_search and args and args[0].get("agenda_item"):
            with db.engine.connect() as other:  # another connection sees only what is committed
                committed = other.execute(select(func.count()).select_from(AgendaItem).where(
                    AgendaItem.id.in_(args[0]["agenda_item"]))).scalar()
        calls.append((job.name, args, committed))

    monkeypatch.setattr(jobs, "enqueue", enqueue)
    return calls


def entries() -> dict[tuple[str, int], tuple]:
    """The index as a search reads it (everything but updated_at)."""
    db.session.expire_all()
    return {(e.kind, e.object_id): (e.meeting_id, e.body_id, e.title, e.text, e.tokens, e.title_tokens, e.min_state,
                                    e.starts_at) for e in db.session.scalars(select(SearchEntry))}


def waiting() -> set[tuple[str, int]]:
    db.session.expire_all()
    return set(db.session.execute(select(SearchQueueItem.kind, SearchQueueItem.object_id)
                                  .where(SearchQueueItem.indexed_at.is_(None))).tuples())


def test_an_edit_is_handed_to_one_job_after_the_commit(client, staff, meeting, handed_over):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE, detail="<p>รายละเอียดยาว</p>" * 50)
    [(name, (kind_ids,), committed)] = [call for call in handed_over if call[0] == "app.jobs.index_search"]
    assert kind_ids["agenda_item"] == [item["id"]] and committed == 1  # after the commit, not in the flush
    assert ("agenda_item", item["id"]) in waiting()
    assert hits(client, staff, "ฐานข้อมูล") == set()  # not segmented inside the request
    assert services.index_queued(kind_ids) == (sum(map(len, kind_ids.values())), 0)
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}
    assert waiting() == set()


def test_the_meeting_itself_is_indexed_in_the_flush(client, staff, group, handed_over):  # noqa: F811
    created = schedule(client, staff, group.id, notify=False).get_json()
    assert ("meeting", created["id"]) in hits(client, staff, "จันทรเกษม")  # the venue, short: no job needed


def test_a_refused_change_indexes_nothing(client, staff, meeting, handed_over):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    services.index_queued()
    handed_over.clear()
    before = entries()
    refused = client.patch(f"/api/v1/agenda-items/{item['id']}", json={"title": "ก" * 600}, headers=staff)
    assert refused.status_code == 422
    changed = db.session.get(AgendaItem, item["id"])
    changed.title = "แผนพัฒนาระบบสารสนเทศ"
    db.session.flush()
    assert ("agenda_item", item["id"]) in waiting()  # queued inside the transaction …
    db.session.rollback()
    assert handed_over == []  # … and nothing handed over once it is rolled back
    assert waiting() == set() and entries() == before
    db.session.commit()
    assert handed_over == []


def test_running_the_job_twice_gives_the_same_index(client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], "ผลการดำเนินงาน")
    publish(client, staff, meeting["id"])
    saved = client.put(f"/api/v1/meetings/{meeting['id']}/minutes",
                       json=minutes_of(item["id"], "<p>ฝ่ายเลขานุการรายงานการย้ายฐานข้อมูลขึ้นคลาวด์</p>"), headers=staff)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    first = entries()
    objects = {"meeting": [meeting["id"]], "agenda_item": sorted(i for k, i in first if k == "agenda_item"),
               "minutes": sorted(i for k, i in first if k == "minutes")}
    assert objects["minutes"] and objects["agenda_item"]
    count = sum(map(len, objects.values()))
    assert services.index_queued(objects) == (count, 0)
    assert entries() == first
    assert jobs.index_search.apply(args=(objects,)).get(disable_sync_subtasks=False) == (count, 0)
    assert entries() == first and len(first) == count


def test_long_minutes_are_found_right_after_the_save(client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], "ผลการดำเนินงาน")
    discussion = "<p>ที่ประชุมพิจารณาความคืบหน้าของแผนปฏิรูปองค์การตามลำดับ</p>" * 200 + "<p>สรุปการย้ายระบบขึ้นคลาวด์</p>"
    saved = client.put(f"/api/v1/meetings/{meeting['id']}/minutes", json=minutes_of(item["id"], discussion),
                       headers=staff)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert [kind for kind, _id in hits(client, staff, "คลาวด์")] == ["minutes"]  # the eager job ran before
    assert waiting() == set()
    assert jobs.queue_states()["search"].sent_last_day >= 2


def test_a_deleted_meeting_disappears_even_when_a_late_job_runs(client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}
    db.session.delete(db.session.get(Meeting, meeting["id"]))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchEntry)
                             .where(SearchEntry.meeting_id == meeting["id"])) == 0
    assert services.index_queued({"meeting": [meeting["id"]], "agenda_item": [item["id"]]}) == (2, 0)
    assert entries() == {} and hits(client, staff, "ฐานข้อมูล") == set()


def test_a_deleted_agenda_item_leaves_even_a_stale_entry(client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    stale = entries()[("agenda_item", item["id"])]
    assert client.delete(f"/api/v1/agenda-items/{item['id']}", headers=staff).status_code == 204
    db.session.execute(SearchEntry.__table__.insert().values(  # as a job that read the item before it went
        kind="agenda_item", object_id=item["id"], meeting_id=stale[0], body_id=stale[1], title=stale[2],
        text=stale[3], tokens=stale[4], title_tokens=stale[5], min_state=stale[6], starts_at=stale[7],
        updated_at=stale[7]))
    db.session.commit()
    assert services.index_queued({"agenda_item": [item["id"]]}) == (1, 0)
    assert ("agenda_item", item["id"]) not in entries()


def test_a_failing_job_is_shown_to_admins_retried_with_backoff_then_swept(
        app, client, staff, meeting, make_user, token_for, monkeypatch):  # noqa: F811
    def broken(item):
        raise RuntimeError("segmenter crashed")

    monkeypatch.setattr(services, "agenda_item_entry", broken)
    item = add_item(client, staff, meeting["id"], TITLE)  # the change is committed; only indexing failed
    assert db.session.get(AgendaItem, item["id"]) is not None
    admin = token_for(make_user("admin"))
    listing = client.get("/api/v1/admin/jobs", headers=admin).get_json()
    assert listing["search"]["retrying"] >= 1 and listing["search"]["failed"] == 0
    failure = next(f for f in listing["failures"] if f["channel"] == "search" and f["to"] == f"agenda_item {item['id']}")
    assert failure["attempts"] == 1 and failure["last_error"] == "RuntimeError: segmenter crashed"

    task = app.extensions["celery"].tasks["app.jobs.index_search"]
    asked = {}

    class Retry(Exception):
        pass

    def retry(countdown=None, **kwargs):
        asked["countdown"] = countdown
        return Retry()

    monkeypatch.setattr(task, "retry", retry)
    task.push_request(is_eager=False, retries=1)
    try:
        with pytest.raises(Retry):
            task.run({"agenda_item": [item["id"]]})
    finally:
        task.pop_request()
    assert asked == {"countdown": 60}
    db.session.expire_all()
    assert db.session.scalar(select(SearchQueueItem.attempts).where(SearchQueueItem.object_id == item["id"],
                                                                     SearchQueueItem.kind == "agenda_item")) == 2
    monkeypatch.undo()
    jobs.retry_deliveries.apply()  # the periodic sweep (beat) picks up what is still queued
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}
    assert client.get("/api/v1/admin/jobs", headers=admin).get_json()["search"]["retrying"] == 0


def test_an_admin_retries_indexing_that_ran_out_of_attempts(client, staff, meeting, make_user, token_for):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    db.session.execute(SearchQueueItem.__table__.update().where(
        SearchQueueItem.kind == "agenda_item", SearchQueueItem.object_id == item["id"]).values(
        indexed_at=None, attempts=services.MAX_ATTEMPTS, last_error="OperationalError: gone"))
    db.session.execute(SearchEntry.__table__.delete().where(SearchEntry.kind == "agenda_item"))
    db.session.commit()
    assert services.index_queued() == (0, 0)  # out of attempts: the sweep leaves it to an admin
    admin = token_for(make_user("admin"))
    assert client.get("/api/v1/admin/jobs", headers=admin).get_json()["search"]["failed"] == 1
    retried = client.post("/api/v1/admin/jobs/retry", headers=admin)
    assert retried.status_code == 200 and retried.get_json() == {"retried": 1}
    assert client.get("/api/v1/admin/jobs", headers=admin).get_json()["search"]["failed"] == 0
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}


def test_the_jobs_page_shows_the_search_queue(client, login, make_user):
    login(make_user("admin"))
    html = client.get("/admin/jobs").get_data(as_text=True)
    assert "ดัชนีการค้นหา" in html


def test_reindex_leaves_nothing_queued(app, client, staff, meeting, handed_over):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    assert ("agenda_item", item["id"]) in waiting()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert waiting() == set()
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}


def test_a_released_savepoint_hands_over_nothing_before_the_commit(client, staff, meeting, handed_over):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    handed_over.clear()
    with db.session.begin_nested():
        db.session.get(AgendaItem, item["id"]).title = "แผนพัฒนาระบบสารสนเทศ"
    assert handed_over == []  # the savepoint is released, the transaction is not committed yet
    db.session.commit()
    [(name, (kind_ids,), committed)] = handed_over
    assert name == "app.jobs.index_search" and kind_ids["agenda_item"] == [item["id"]] and committed == 1


@pytest.fixture
def search_worker():
    """A Celery worker on a Redis database of its own (not test_jobs' 15; one per database, as CI runs the SQLite
    and PostgreSQL passes side by side), so no other worker takes its jobs."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.local_redis import empty_redis_database

    broker = empty_redis_database(14 if db.engine.dialect.name == "sqlite" else 13)
    env = {**os.environ, "PRACHUM_ENV": "development", "DATABASE_URL": db.engine.url.render_as_string(False),
           "CELERY_BROKER_URL": broker, "SECRET_KEY": "worker-test"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "celery"), "-A", "app.jobs", "worker", "--pool",
                                "solo", "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
                               cwd=Path(__file__).resolve().parents[2], env=env, start_new_session=True)
    yield broker
    process.terminate()
    process.wait(timeout=30)


def test_a_worker_on_redis_indexes_what_a_request_changed(app, client, staff, meeting, search_worker):  # noqa: F811
    import time

    from app import create_app
    from app.transactions import commit
    from config import TestingConfig

    broker = search_worker
    item = add_item(client, staff, meeting["id"], TITLE)
    node = create_app(TestingConfig(), CELERY_BROKER_URL=broker)
    assert not node.extensions["celery"].conf.task_always_eager
    try:
        with node.test_request_context("/"):
            db.session.get(AgendaItem, item["id"]).title = "แผนพัฒนาระบบสารสนเทศ"
            commit()  # the request layer: commit, then the job goes to Redis
        deadline = time.monotonic() + 120  # the worker starts (and loads PyThaiNLP) first
        while hits(client, staff, "สารสนเทศ") != {("agenda_item", item["id"])} and time.monotonic() < deadline:
            time.sleep(0.3)
        assert hits(client, staff, "สารสนเทศ") == {("agenda_item", item["id"])}
        assert waiting() == set()
    finally:
        app.extensions["celery"].set_default()
