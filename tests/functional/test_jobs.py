"""Background jobs: delivery handed over after the commit, never twice (one worker or two at once), retried
with back-off, visible to admins on /admin/jobs and GET /api/v1/admin/jobs; a real Celery worker on Redis
delivers what a request queued."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import jobs
from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutgoingMail
from app.mail.services import MAX_ATTEMPTS, deliver_pending, queue_mail
from tests.conftest import csrf_from
from tests.local_redis import empty_redis_database

ROLES = ("admin", "secretariat", "member", "reporter", "viewer")


def queued(n: int, **values) -> list[int]:
    mails = [queue_mail(to_email=f"m{i}@example.go.th", to_name=f"สมาชิก {i}", subject=f"เรื่อง {i}",
                        body_text="ทดสอบ", kind="test") for i in range(n)]
    db.session.flush()
    for mail in mails:
        for key, value in values.items():
            setattr(mail, key, value)
    db.session.commit()
    return [mail.id for mail in mails]


def test_backoff_doubles_up_to_an_hour():
    assert [jobs._backoff(n) for n in (0, 1, 2, 3)] == [30, 60, 120, 240]
    assert jobs._backoff(20) == 3600


def test_a_second_delivery_sends_nothing_twice(app, outbox):
    queued(3)
    assert deliver_pending() == (3, 0)
    assert deliver_pending() == (0, 0)
    assert len(list(outbox.glob("*.eml"))) == 3


def test_a_request_hands_delivery_over_after_its_commit(app, client, make_user, token_for, outbox):
    admin = make_user("admin")
    headers = token_for(admin)
    queued(1, attempts=MAX_ATTEMPTS, last_error="SMTPServerDisconnected: gone")
    listing = client.get("/api/v1/admin/jobs", headers=headers).get_json()
    assert listing["broker"] == "eager"
    assert listing["mail"]["failed"] == 1 and listing["failures"][0]["last_error"].startswith("SMTP")
    retried = client.post("/api/v1/admin/jobs/retry", headers=headers)
    assert retried.status_code == 200 and retried.get_json() == {"retried": 1}
    after = client.get("/api/v1/admin/jobs", headers=headers).get_json()
    assert after["mail"] == {"queued": 0, "retrying": 0, "failed": 0, "sent_last_day": 1}
    assert len(list(outbox.glob("*.eml"))) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "jobs.retry")) == 1


def test_the_jobs_page_for_every_role(app, client, make_user, login, token_for):
    queued(1, attempts=MAX_ATTEMPTS, last_error="ConnectionRefusedError: [Errno 111]")
    anonymous = app.test_client()
    assert anonymous.get("/admin/jobs").status_code == 302
    assert anonymous.get("/api/v1/admin/jobs").status_code == 401
    for role in ROLES:
        user = make_user(role, email=f"{role}@example.go.th")
        web = login(user, c=app.test_client())
        page = web.get("/admin/jobs")
        api = app.test_client().get("/api/v1/admin/jobs", headers=token_for(user))
        if role == "admin":
            html = page.get_data(as_text=True)
            assert page.status_code == 200 and "ConnectionRefusedError" in html and "ส่งไม่สำเร็จ" in html
            assert api.status_code == 200
            refused = web.post("/admin/jobs/retry", data={})  # no CSRF token
            assert refused.status_code == 400
            assert db.session.scalar(select(OutgoingMail.attempts)) == MAX_ATTEMPTS
            done = web.post("/admin/jobs/retry", data={"csrf_token": csrf_from(html)}, follow_redirects=True)
            assert done.status_code == 200 and "ส่งอีกครั้ง 1 รายการ" in done.get_data(as_text=True)
        else:
            assert page.status_code == 403 and api.status_code == 403
            assert web.post("/admin/jobs/retry", data={"csrf_token": csrf_from(web.get("/").get_data(as_text=True))}
                            ).status_code == 403
            assert app.test_client().post("/api/v1/admin/jobs/retry", headers=token_for(user)).status_code == 403


def test_a_failing_delivery_is_retried_with_backoff_by_a_worker(app, monkeypatch):
    """Outside eager mode, a run that leaves failures asks Celery to run it again later."""
    queued(1)
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", 1  # nothing listens: refused
    task = app.extensions["celery"].tasks["app.jobs.deliver_mail"]
    asked = {}

    class Retry(Exception):
        pass

    def retry(countdown=None, **kwargs):
        asked["countdown"] = countdown
        return Retry()

    monkeypatch.setattr(task, "retry", retry)
    task.push_request(is_eager=False, retries=2)
    try:
        with pytest.raises(Retry):
            task.run()
    finally:
        task.pop_request()
        app.config["MAIL_SERVER"] = None
    assert asked == {"countdown": 120}
    assert db.session.scalar(select(OutgoingMail.attempts)) == 1


@pytest.mark.skipif("sqlite" in os.environ.get("TEST_DATABASE_URL", "sqlite"), reason="row locks: PostgreSQL")
def test_two_workers_at_once_send_each_message_once(app, outbox):
    queued(40)
    results = []

    def work():
        with app.app_context():
            results.append(deliver_pending())
            db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent for sent, _failed in results) == 40
    assert len(list(outbox.glob("*.eml"))) == 40
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.attempts != 1)) == 0


@pytest.fixture
def worker(tmp_path):
    """A Celery worker on Redis (database 15 on SQLite, 10 on PostgreSQL: .ci/run tests both at the same time)
    against the test database, writing mail into tmp_path."""
    broker = empty_redis_database(15 if db.engine.dialect.name == "sqlite" else 10)
    env = {**os.environ, "PRACHUM_ENV": "development", "DATABASE_URL": db.engine.url.render_as_string(False),
           "CELERY_BROKER_URL": broker, "PRACHUM_OUTBOX": str(tmp_path), "SECRET_KEY": "worker-test"}
    celery = Path(sys.executable).parent / "celery"
    process = subprocess.Popen([str(celery), "-A", "app.jobs", "worker", "--pool", "solo", "--without-heartbeat",
                                "--without-gossip", "--without-mingle", "-l", "warning"],
                               cwd=Path(__file__).resolve().parents[2], env=env, start_new_session=True)
    yield broker, tmp_path
    process.terminate()
    process.wait(timeout=30)


def test_a_worker_on_redis_delivers_what_a_request_queued(app, worker):
    from flask import Flask

    from app import create_app
    from app.transactions import commit
    from config import TestingConfig

    broker, mailbox = worker
    node = create_app(TestingConfig(), CELERY_BROKER_URL=broker, PRACHUM_OUTBOX=str(mailbox / "never"))
    assert isinstance(node, Flask)
    try:
        with node.test_request_context("/"):
            queue_mail(to_email="director@example.go.th", to_name="ผู้อำนวยการ", subject="เชิญประชุม",
                       body_text="ทดสอบ", kind="test")
            commit()  # the request layer: commit, then hand the job to Redis
            assert db.session.scalar(select(OutgoingMail.sent_at)) is None  # not sent in the request
        deadline = time.monotonic() + 60
        while not list(mailbox.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert len(list(mailbox.glob("*.eml"))) == 1
        db.session.expire_all()
        assert db.session.scalar(select(OutgoingMail.sent_at)) is not None
        assert not (mailbox / "never").exists()
    finally:
        app.extensions["celery"].set_default()
