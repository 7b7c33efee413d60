"""Two web nodes and a worker, as a deployment runs them: two gunicorn instances on two ports sharing the test
database, Redis (shared cache, throttle, broker) and S3 storage (moto's server), with one Celery worker. A report
submitted on node A changes the roll-up read on node B at once, though B's answer was in the shared cache and in
its workers' kept copies; an
attachment uploaded on A downloads from B; failed sign-ins count across both; the mail the submission queued is
delivered exactly once, by the worker."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import OutgoingMail
from app.storage import S3Storage
from tests.conftest import PASSWORD
from tests.local_redis import empty_redis_database
from tests.functional.test_reports_api import world  # noqa: F401 (fixture)
from tests.functional.test_storage_s3 import BUCKET, free_port, s3_server  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def redis_databases(empty: bool = True) -> tuple[str, str]:
    """(shared Redis URL, broker URL) of this run: databases of their own on SQLite and on PostgreSQL, which .ci/run
    tests at the same time."""
    numbers = (9, 8) if db.engine.dialect.name == "sqlite" else (7, 6)
    if not empty:
        return tuple(f"redis://127.0.0.1:6379/{n}" for n in numbers)
    return tuple(empty_redis_database(n) for n in numbers)


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture
def deployment(app, s3_server, tmp_path):  # noqa: F811
    """(node A URL, node B URL, outbox folder) — two gunicorn nodes and a Celery worker, stopped afterwards."""
    shared_url, broker_url = redis_databases()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    bucket = S3Storage(BUCKET, s3_server)
    bucket.client.create_bucket(Bucket=BUCKET)
    outbox = tmp_path / "outbox"
    env = {**os.environ, "PRACHUM_ENV": "development", "DATABASE_URL": db.engine.url.render_as_string(False),
           "SECRET_KEY": "two-nodes-secret", "REDIS_URL": shared_url,
           "CELERY_BROKER_URL": broker_url, "PRACHUM_STORAGE": "s3", "PRACHUM_S3_BUCKET": BUCKET,
           "PRACHUM_S3_ENDPOINT": s3_server, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "PRACHUM_OUTBOX": str(outbox), "PRACHUM_UPLOADS": str(tmp_path / "not-used"),
           "PRACHUM_LOGIN_FAILURES_PER_ACCOUNT": "2 per 15 minutes", "PRACHUM_LOG_LEVEL": "WARNING"}
    bin_dir = Path(sys.executable).parent
    gunicorn = shutil.which("gunicorn", path=str(bin_dir))
    processes, urls = [], []
    try:
        for _node in "AB":
            port = free_port()
            processes.append(subprocess.Popen(
                [gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                 "app:create_app()"], cwd=ROOT, env=env, start_new_session=True))
            urls.append(f"http://127.0.0.1:{port}")
        processes.append(subprocess.Popen(
            [str(bin_dir / "celery"), "-A", "app.jobs", "worker", "--pool", "solo", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "-l", "warning"], cwd=ROOT, env=env, start_new_session=True))
        for url, process in zip(urls, processes):
            wait_for(f"{url}/api/v1/health", process)
        yield urls[0], urls[1], outbox
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def sign_in(base: str, email: str, password: str) -> int:
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return session.post(f"{base}/login", data={"email": email, "password": password, "csrf_token": token},
                        allow_redirects=False).status_code


def test_two_nodes_share_data_files_throttle_and_jobs(app, world, deployment):  # noqa: F811
    import redis

    node_a, node_b, outbox = deployment
    for node in (node_a, node_b):
        assert requests.get(f"{node}/api/v1/health", timeout=30).json() == {"status": "ok"}
        ready = requests.get(f"{node}/api/v1/ready", timeout=30)
        assert ready.status_code == 200 and ready.json()["redis"] == "ok", ready.text
    reporter, staff = world.headers["ict"], world.headers["secretariat"]
    rollup = f"/api/v1/plans/{world.plan.id}/rollup?round={world.round.id}"
    shared = redis.Redis.from_url(redis_databases(empty=False)[0])
    before = requests.get(node_b + rollup, headers=staff, timeout=30)
    assert before.status_code == 200, before.text
    kept = shared.keys("prachum:rollup:*")
    assert len(kept) == 1  # B's answer is in the shared cache …
    assert requests.get(node_a + rollup, headers=staff, timeout=30).json() == before.json()
    assert shared.keys("prachum:rollup:*") == kept  # … and A answered from it
    for _again in range(4):  # B's workers answer a repeated read from their own copies (app.kept_responses)
        assert requests.get(node_b + rollup, headers=staff, timeout=30).json() == before.json()
    # a report filed and submitted on A …
    filed = requests.post(node_a + "/api/v1/reports", headers=reporter, timeout=30, json={
        "sub_item_id": world.subs["1.1"].id, "round_id": world.round.id, "status": "on_track", "percent": 40,
        "result": "ดำเนินการแล้ว 2 จาก 5 กิจกรรม"})
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["id"]
    uploaded = requests.post(f"{node_a}/api/v1/reports/{report_id}/attachments", headers=reporter, timeout=30,
                             files={"file": ("หลักฐาน.pdf", PDF, "application/pdf")})
    assert uploaded.status_code == 201, uploaded.text
    submitted = requests.post(f"{node_a}/api/v1/reports/{report_id}/submit", headers=reporter, json={}, timeout=30)
    assert submitted.status_code == 200, submitted.text
    # … shows in the roll-up read on B at once
    after = requests.get(node_b + rollup, headers=staff, timeout=30)
    assert after.status_code == 200 and after.json() != before.json()
    sub_item = next(s for t in after.json()["themes"] for s in t["sub_items"] if s["code"] == "1.1")
    assert sub_item["percent"] == 20 and sub_item["counts"]["submitted"] == 1  # (40 + 0) / 2 units
    assert len(shared.keys("prachum:rollup:*")) == 2  # a new version, a new key
    # the file uploaded on A downloads from B
    download = requests.get(node_b + uploaded.json()["url"], headers=staff, timeout=30)
    assert download.status_code == 200 and download.content == PDF
    # failed sign-ins count across both nodes (2 per account): the second, on B, is refused
    email = world.users["member"].email
    assert sign_in(node_a, email, "wrong-password-1") == 200
    assert sign_in(node_b, email, "wrong-password-2") == 429
    assert sign_in(node_a, email, PASSWORD) == 429  # locked on every node, even with the right password
    # the submission's notice to the secretariat: queued on A, delivered once by the worker
    db.session.expire_all()
    queued = db.session.scalar(select(func.count()).select_from(OutgoingMail))
    assert queued >= 1
    deadline = time.monotonic() + 60
    while len(list(outbox.glob("*.eml"))) < queued and time.monotonic() < deadline:
        time.sleep(0.3)
    time.sleep(1)  # nothing more arrives
    assert len(list(outbox.glob("*.eml"))) == queued
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.sent_at.is_(None))) == 0
    assert db.session.scalar(select(func.max(OutgoingMail.attempts))) == 1
