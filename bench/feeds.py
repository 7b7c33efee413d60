"""Time the calendar feeds of a user invited to 1,000 meetings against a trivial JSON request, served by
gunicorn (2 workers) on a free loopback port, as calendar programs poll them.

    .venv/bin/python bench/feeds.py [--database-url URL] [--meetings 1000] [--requests 200]

Creates a throwaway SQLite database (or uses --database-url, which must be an empty database: the script
creates the schema and its data there), one body with --meetings meetings over the past year and the next
ones, and a member; starts gunicorn, requests each URL --requests times (after a warm-up) with a plain
HTTP/1.1 client, prints a Markdown table of p50/p95 and their ratio to /api/v1/health, and stops gunicorn.
"changed" rows send no validator (the client's copy is stale: the server answers the whole calendar, built
once per change and kept by ETag); "304" rows send the ETag just received; the "built" row changes a meeting
before every request, so every answer is a fresh build.
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


def touch_a_meeting() -> None:
    """Change one meeting (a new updated_at), so the next request of a feed builds it afresh."""
    from sqlalchemy import create_engine, text

    engine = create_engine(os.environ["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE meetings SET notes = :n, updated_at = :t WHERE id = 1"),
                           {"n": uuid.uuid4().hex, "t": datetime.now(timezone.utc).replace(tzinfo=None)})
    engine.dispose()


def measure(port: int, path: str, n: int, conditional: bool, rebuild: bool = False
            ) -> tuple[set[int], list[float], int]:
    status, _ms, headers, size = request(port, path)  # warm-up, and the ETag to send back
    validator = {"If-None-Match": headers["ETag"]} if conditional and "ETag" in headers else {}
    statuses, times = set(), []
    for _ in range(n):
        if rebuild:
            touch_a_meeting()
        status, ms, _h, size_now = request(port, path, validator)
        statuses.add(status)
        times.append(ms)
        if status == 200:
            size = size_now
    return statuses, times, size


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
        rows = [("trivial JSON", "/api/v1/health", False, False),
                ("personal feed, changed since the client's copy", personal, False, False),
                ("personal feed, 304", personal, True, False),
                ("body feed, changed since the client's copy", body, False, False),
                ("body feed, 304", body, True, False),
                ("personal feed, first request after a meeting changed (built)", personal, False, True)]
        results = [(label, *measure(port, path, args.requests if not rebuild else max(5, args.requests // 10),
                                    conditional, rebuild))
                   for label, path, conditional, rebuild in rows]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    base = statistics.median(results[0][2])
    print(f"{args.meetings} meetings, {args.requests} requests per row, gunicorn {args.workers} workers, "
          f"{'SQLite' if not args.database_url else args.database_url.split(':')[0]}\n")
    print("| request | status | p50 ms | p95 ms | p50 / health | bytes |")
    print("|---|---|---:|---:|---:|---:|")
    for label, statuses, times, size in results:
        p50 = statistics.median(times)
        print(f"| {label} | {', '.join(map(str, sorted(statuses)))} | {p50:.1f} | {percentile(times, 0.95):.1f} | "
              f"{p50 / base:.2f}x | {size:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
