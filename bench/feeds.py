"""Time the calendar feeds of a user invited to 1,000 meetings against a trivial JSON request, served by
gunicorn (2 workers) on a free loopback port, as calendar programs poll them.

    .venv/bin/python bench/feeds.py [--database-url URL] [--meetings 1000] [--requests 200]

Creates a throwaway SQLite database (or uses --database-url, which must be an empty database: the script
creates the schema and its data there), one body with --meetings meetings over the past year and the next
ones, and a member; starts gunicorn, then asks in rounds (one request of each row in turn, after a warm-up
that reaches every worker) with a plain HTTP/1.1 client, prints a Markdown table of p50/p95 and their ratio to
/api/v1/health asked in the same rounds, and stops gunicorn.
"changed" rows change one meeting before every request (outside the timing) and send the ETag of the client's
copy, now stale, so every answer is a 200 with a new ETag (the "new ETag" column counts them): the server writes
that meeting's VEVENT afresh and reuses the others'. "304" rows send the ETag just received. The last row
changes every meeting before each request, so the whole calendar is written (a worker's first request).
Target (issue 10): 200 <= 3x health, 304 <= 1.5x health, at p50.
"""
from __future__ import annotations

import argparse
import http.client
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a throwaway SQLite file)")
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per URL")
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(count: int) -> tuple[str, str]:
    """Schema, one body with `count` meetings, a member; (personal feed path, body feed path)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.models import User
    from app.bodies.models import Body, Membership
    from app.calendar.feeds import body_feed_url_for, feed_url_for
    from app.extensions import db
    from app.meetings.models import Meeting

    app = create_app()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        body = Body(name="คณะกรรมการทดสอบความเร็วของปฏิทิน", short_name="คกก.ทดสอบ", kind="committee")
        user = User(email="bench@example.go.th", name="นายทดสอบ ปฏิทิน", role="member")
        user.set_password(uuid.uuid4().hex)
        db.session.add_all([body, user])
        db.session.flush()
        db.session.add(Membership(body_id=body.id, user_id=user.id, role="member"))
        first = datetime.now(timezone.utc).replace(hour=2, minute=0, second=0, microsecond=0) - timedelta(days=300)
        numbers: dict[int, int] = {}
        for n in range(count):
            starts = first + timedelta(hours=12 * n)  # two a day: 300 days past, the rest ahead
            year = starts.year + 543
            numbers[year] = numbers.get(year, 0) + 1
            db.session.add(Meeting(
                body_id=body.id, number=numbers[year], year_be=year, title=f"การประชุมทดสอบ ครั้งที่ {n + 1}",
                starts_at=starts, ends_at=starts + timedelta(hours=3), venue="ห้องประชุม 1",
                online_url="https://zoom.us/j/123456789", uid=f"{uuid.uuid4()}@prachum", notes="ระเบียบวาระ" * 20))
        db.session.commit()
        with app.test_request_context():
            return feed_url_for(user), body_feed_url_for(user, body)


def request(port: int, path: str, headers: dict | None = None) -> tuple[int, float, dict, int]:
    """(status, milliseconds, headers, bytes) of one GET on a new connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, elapsed, dict(response.getheaders()), len(body)


def touch(app, which: str) -> None:
    """Change one meeting ("one": its notes, as the secretariat's edit would) or every meeting ("all"), through the
    ORM as the app's services do (the feed log sees it)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.meetings.models import Meeting

    with app.app_context():
        query = select(Meeting).order_by(Meeting.id)
        for meeting in db.session.scalars(query.limit(1) if which == "one" else query):
            meeting.notes = uuid.uuid4().hex
        db.session.commit()


@dataclass
class Row:
    """One line of the table: what was asked and what came back."""

    label: str
    path: str
    change: str | None = None  # "one" or "all": meetings changed before each request, outside the timing
    statuses: set = field(default_factory=set)
    times: list = field(default_factory=list)
    size: int = 0
    new_etags: int = 0
    etag: str | None = None  # the ETag of the client's copy
    same_as: Row | None = None  # a 304 row: the client's copy is the one this row just received


def ask(port: int, row: Row, app) -> None:
    """One timed request of the row, sending the ETag of the copy the client has (none for health)."""
    if row.change:
        touch(app, row.change)
    if row.same_as is not None:
        row.etag = row.same_as.etag
    status, ms, headers, size = request(port, row.path, {"If-None-Match": row.etag} if row.etag else {})
    row.statuses.add(status)
    row.times.append(ms)
    row.size = size if status == 200 else row.size
    if headers.get("ETag") and headers["ETag"] != row.etag:
        row.new_etags += 1
        row.etag = headers["ETag"]


def measure(port: int, rows: list[Row], n: int, warm_up: int) -> None:
    """n rounds of one request of each row in turn, so every row meets the same load (other work on the machine
    comes and goes) and a 304 row asks right after the 200 that gave it its ETag; first `warm_up` rounds that
    reach every worker and are not counted."""
    from app import create_app

    app = create_app()
    for count in (warm_up, n):
        for row in rows:
            row.statuses, row.times, row.new_etags = set(), [], 0
        for _ in range(count):
            for row in rows:
                ask(port, row, app)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        sys.exit("bench/feeds.py needs gunicorn (pip install 'gunicorn>=22'); none found next to "
                 f"{sys.executable} or on PATH")
    workdir = Path(tempfile.mkdtemp(prefix="prachum-bench-"))
    env = {**os.environ, "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.db'}",
           "SECRET_KEY": os.environ.get("SECRET_KEY", uuid.uuid4().hex), "PRACHUM_UPLOADS": str(workdir / "uploads"),
           "PRACHUM_OUTBOX": str(workdir / "outbox")}
    env.pop("PRACHUM_ENV", None)
    os.environ.update(env)
    (workdir / "uploads").mkdir()
    personal, body = fill(args.meetings)
    port = free_port()
    server = subprocess.Popen([gunicorn, "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "app:create_app()"], cwd=ROOT, env=env,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if request(port, "/api/v1/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("gunicorn did not answer /api/v1/health within 30 s")
            time.sleep(0.2)
        health = Row("trivial JSON (`/api/v1/health`)", "/api/v1/health")
        personal_changed = Row("personal feed, a meeting changed since the client's copy", personal, "one")
        personal_same = Row("personal feed, unchanged (304)", personal, same_as=personal_changed)
        body_changed = Row("body feed, a meeting changed since the client's copy", body, "one")
        body_same = Row("body feed, unchanged (304)", body, same_as=body_changed)
        rows = [health, personal_changed, personal_same, body_changed, body_same]
        measure(port, rows, args.requests, warm_up=3 * args.workers)
        health_again = Row("trivial JSON, in the rounds below", "/api/v1/health")
        rewritten = Row("personal feed, every meeting changed (whole calendar written)", personal, "all")
        measure(port, [health_again, rewritten], max(5, args.requests // 20), warm_up=1)
        results = [(row, health) for row in rows] + [(row, health_again) for row in (health_again, rewritten)]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{args.meetings} meetings, {args.requests} requests per row, gunicorn {args.workers} workers, "
          f"{'SQLite' if not args.database_url else args.database_url.split(':')[0]}\n")
    print("| request | status | new ETag | p50 ms | p95 ms | p50 / health | bytes |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row, base in results:
        p50 = statistics.median(row.times)
        print(f"| {row.label} | {', '.join(map(str, sorted(row.statuses)))} | {row.new_etags}/{len(row.times)} | "
              f"{p50:.1f} | {percentile(row.times, 0.95):.1f} | {p50 / statistics.median(base.times):.2f}x | "
              f"{row.size:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
