"""Issue 14's speed benchmark over HTTP: gunicorn (2 workers, the repository's gunicorn.conf.py, production settings)
and the wrk load generator, on the scale plan (`flask demo scale`), in one command.

    .venv/bin/python bench/scale.py --database-url URL [--units 245 --years 4] [--reload] [--duration 10]
                                    [--skip-rows] [--skip-load] [--skip-rush]

1. Fills the scale plan when it is missing (or always with --reload); creates reporter accounts for the first
   --rush-units offices when they have none (bench database only: e-mails bench.esa001@bench.prachum.in.th …).
2. Counts the SQL statements of one request of every page, in-process through the Flask test client (the second
   of two requests, as the demo secretariat).
3. Starts gunicorn on a free loopback port (PRACHUM_ENV=production, a random SECRET_KEY), signs the secretariat in
   through the sign-in form (a session cookie for the pages) and with an API token (bearer, for the API).
4. For every row, runs `wrk -t1 -c{--connections} -d{--duration}s` on /api/v1/health, then on the row's URL: each
   row's ratio is to the health run just before it (same machine load). Every request sends
   `Accept-Encoding: gzip` as browsers do (--accept-encoding '' to send none). Before timing, every URL is asked
   once and must answer 200 (304 for the revalidation row): wrk itself does not look at bodies.
5. Mixed read load: `wrk -t2 -c{--load-connections} -d{--load-duration}s` with a Lua script rotating over the
   rows' URLs (the XLSX export left out: it is timed on its own).
6. Deadline rush: the open round's reports of the first --rush-units offices are put back to "nothing sent yet"
   (submitted → draft, resubmitted → returned; accepted ones stay), then each office's reporter starts at a random
   instant within --rush-seconds and sends its whole round through the API: even-numbered offices with one
   `PUT /api/v1/rounds/<id>/units/<unit>/reports` (`submit: true`), odd-numbered ones report by report (POST or
   PATCH, then POST …/submit). Afterwards the database must hold exactly what was sent (state, percent, result:
   "lost writes" counts every 2xx whose row does not show it). The open round is then restored as it was.
7. Prints one Markdown table and the load and rush results, stops gunicorn and revokes the tokens it issued.

The numbers depend on the machine: the load generator and the test run on the same cores as gunicorn. REDIS_URL
and CELERY_BROKER_URL pass from the environment to gunicorn as they are (unset: throttling in memory, jobs and
mail run in the request).
"""
from __future__ import annotations

import argparse
import http.client as http_client
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRETARIAT_EMAIL = "secretariat@demo.prachum.in.th"
DEMO_PASSWORD = "prachum-demo"
RUSH_DOMAIN = "bench.prachum.in.th"
TOKEN_NAME = "bench-scale"
XLSX_MAX_ROWS = 20_000
WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: $DATABASE_URL, else instance/bench-scale.db)")
    parser.add_argument("--units", type=int, default=245)
    parser.add_argument("--sub-items", type=int, default=20)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--reload", action="store_true", help="refill the scale plan even when it exists")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per row (and per health run)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections per row")
    parser.add_argument("--min-samples", type=int, default=10,
                        help="a slow row runs longer than --duration to get about this many answers")
    parser.add_argument("--accept-encoding", default="gzip", help="Accept-Encoding sent ('' for none)")
    parser.add_argument("--skip-rows", action="store_true", help="no latency table (the load and the rush only)")
    parser.add_argument("--skip-load", action="store_true", help="no mixed read load")
    parser.add_argument("--load-connections", type=int, default=50)
    parser.add_argument("--load-duration", type=int, default=60)
    parser.add_argument("--skip-rush", action="store_true", help="no deadline rush")
    parser.add_argument("--rush-units", type=int, default=245, help="offices whose reporters submit in the rush")
    parser.add_argument("--rush-seconds", type=int, default=60, help="window in which the reporters start")
    return parser.parse_args(argv)


def prepare_environment(args: argparse.Namespace, workdir: Path) -> dict:
    """Environment of this process (set before the app is imported: config.py reads it at import) and of
    gunicorn's (production, with PRACHUM_PUBLIC_URL filled in once the port is known)."""
    database_url = args.database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'bench-scale.db'}"
    (ROOT / "instance").mkdir(exist_ok=True)
    for folder in ("uploads", "outbox", "metrics"):
        (workdir / folder).mkdir()
    common = {"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32),
              "PRACHUM_UPLOADS": str(workdir / "uploads"), "PRACHUM_OUTBOX": str(workdir / "outbox")}
    os.environ.update(common)
    os.environ.pop("PRACHUM_ENV", None)  # this process: development settings (the test client speaks plain HTTP)
    return {**os.environ, **common, "PRACHUM_ENV": "production",
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics")}


# --- data -----------------------------------------------------------------------------------------

@dataclass
class Scale:
    """The scale plan as measured: its open round and the ids the rows and the rush need."""

    dialect: str
    plan_id: int
    round_id: int
    units: int
    reports: int
    expected: int
    secretariat_id: int
    rush_units: list[tuple[int, str, int]] = field(default_factory=list)  # (unit id, code, reporter id)


def load_data(app, args: argparse.Namespace) -> Scale:
    """Schema up to date, the scale plan (filled when missing or asked to), the rush reporters."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app.auth.services import find_user_by_email
    from app.demo import load_demo
    from app.demo.scale import PLAN_TITLE, load_scale
    from app.extensions import db
    from app.reports.models import Plan, ProgressReport, ReportingRound, SubItem, Theme, sub_item_units

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        if find_user_by_email(SECRETARIAT_EMAIL) is None:
            print(load_demo(), file=sys.stderr)
            db.session.commit()
        plan_id = db.session.scalar(select(Plan.id).where(Plan.title == PLAN_TITLE))
        units = db.session.scalar(select(func.count(func.distinct(sub_item_units.c.unit_id)))
                                  .join(SubItem, SubItem.id == sub_item_units.c.sub_item_id)
                                  .join(Theme, Theme.id == SubItem.theme_id).where(Theme.plan_id == plan_id))
        shape = (units, db.session.scalar(select(func.count()).select_from(SubItem).join(Theme)
                                          .where(Theme.plan_id == plan_id)),
                 db.session.scalar(select(func.count()).select_from(ReportingRound)
                                   .where(ReportingRound.plan_id == plan_id)))
        if plan_id is None or args.reload or shape != (args.units, args.sub_items, 4 * args.years):
            started = time.perf_counter()
            summary = load_scale(args.units, args.sub_items, args.years)
            db.session.commit()
            print(f"{summary.line()} (committed after {time.perf_counter() - started:.0f} s)", file=sys.stderr)
            plan_id, units = summary.plan_id, summary.units
        if db.engine.dialect.name == "postgresql":  # planner statistics, as autovacuum keeps them in production
            db.session.commit()
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        round_id = db.session.scalar(select(ReportingRound.id).where(
            ReportingRound.plan_id == plan_id, ReportingRound.status == "open")
            .order_by(ReportingRound.fiscal_year_be.desc(), ReportingRound.months.desc()).limit(1))
        reports = db.session.scalar(select(func.count()).select_from(ProgressReport)
                                    .where(ProgressReport.round_id == round_id))
        sub_items = db.session.scalar(select(func.count()).select_from(SubItem).join(Theme)
                                      .where(Theme.plan_id == plan_id))
        scale = Scale(dialect=db.engine.dialect.name, plan_id=plan_id, round_id=round_id, units=units,
                      reports=reports, expected=units * sub_items,
                      secretariat_id=find_user_by_email(SECRETARIAT_EMAIL).id)
        if not args.skip_rush:
            scale.rush_units = rush_reporters(args.rush_units)
        return scale


def rush_reporters(count: int) -> list[tuple[int, str, int]]:
    """(unit id, code, reporter id) of the first `count` offices, creating one reporter account per office that
    has none (a random password nobody knows; they use API tokens). Commits."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.auth.services import create_user
    from app.bodies.models import Unit
    from app.demo.scale import unit_code
    from app.extensions import db

    codes = [unit_code(n) for n in range(1, count + 1)]
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    if len(units) != count:
        sys.exit(f"the scale plan has fewer than {count} offices: lower --rush-units")
    reporters = {u.unit_id: u.id for u in db.session.scalars(
        select(User).where(User.role == "reporter", User.email.like(f"%@{RUSH_DOMAIN}")))}
    for code in codes:
        unit = units[code]
        if unit.id not in reporters:
            user = create_user(f"bench.{code.lower()}@{RUSH_DOMAIN}", f"ผู้รายงาน {unit.short_name or code}", "reporter",
                               secrets.token_urlsafe(18), unit=unit)
            reporters[unit.id] = user.id
    db.session.commit()
    return [(units[code].id, code, reporters[units[code].id]) for code in codes]


def issue_tokens(app, user_ids: list[int]) -> dict[int, str]:
    """An API token named TOKEN_NAME for each user; commits."""
    from app.auth.services import get_user, issue_token
    from app.extensions import db

    with app.app_context():
        tokens = {user_id: issue_token(get_user(user_id), TOKEN_NAME) for user_id in user_ids}
        db.session.commit()
        return tokens


def revoke_bench_tokens(app, user_ids: list[int]) -> None:
    """Revoke every token this script issued to these users."""
    from app.auth.services import get_user, revoke_tokens
    from app.extensions import db

    with app.app_context():
        for user_id in user_ids:
            revoke_tokens(get_user(user_id), TOKEN_NAME)
        db.session.commit()


# --- the rows -------------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of the table: a URL, how it is asked, its target and what was measured."""

    label: str
    path: str
    api: bool = False  # bearer token instead of the session cookie
    ratio_target: float | None = None
    absolute_target_ms: float | None = None
    expect: int = 200
    etag_of: Row | None = None  # a revalidation: If-None-Match with this row's ETag
    in_mix: bool = True
    etag: str | None = None
    queries: int | None = None
    result: dict | None = None
    health: dict | None = None
    seconds: int = 0  # wrk's duration for this row: long enough for --min-samples answers

    def headers(self, session: dict, bearer: dict) -> dict:
        headers = dict(bearer if self.api else session)
        if self.etag_of is not None:
            headers["If-None-Match"] = self.etag_of.etag
        return headers


def table_rows(scale: Scale) -> list[Row]:
    """The rows of issue 14's table, in order (the XLSX only up to XLSX_MAX_ROWS rows: the target is for 4,900,
    and a synchronous export of a 30,000-unit round would outlast gunicorn's timeout)."""
    plan, round_ = scale.plan_id, scale.round_id
    rollup = Row("roll-up API, full contract (every unit)", f"/api/v1/plans/{plan}/rollup?round={round_}", api=True,
                 ratio_target=10)
    rows = [
        rollup,
        Row("roll-up API, summary (`units=0`)", f"/api/v1/plans/{plan}/rollup?round={round_}&units=0", api=True,
            ratio_target=3),
        Row("roll-up API, revalidation (304)", rollup.path, api=True, ratio_target=1.5, expect=304, etag_of=rollup),
        Row("plan dashboard", f"/reports/dashboard?plan={plan}&round={round_}", ratio_target=5),
        Row("committee overview", "/reports/dashboard", ratio_target=3),
        Row("home (secretariat)", "/", ratio_target=3),
        Row("round page", f"/rounds/{round_}", ratio_target=5),
        Row("review queue", "/reports/review"),
        Row("plan page", f"/plans/{plan}"),
    ]
    if scale.expected <= XLSX_MAX_ROWS:
        rows.append(Row(f"round XLSX ({scale.expected:,} rows)", f"/rounds/{round_}/export.xlsx",
                        absolute_target_ms=1000, in_mix=False))
    else:
        print(f"round XLSX left out: {scale.expected:,} rows is more than {XLSX_MAX_ROWS:,}", file=sys.stderr)
    return rows


def form_sign_in(get, post) -> None:
    """Sign the demo secretariat in through the form: get(path) -> html, post(path, form) -> status."""
    page = get("/login")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    if match is None:
        sys.exit("no csrf_token on /login")
    status = post("/login", {"csrf_token": match.group(1), "email": SECRETARIAT_EMAIL, "password": DEMO_PASSWORD})
    if status != 302:
        sys.exit(f"signing in answered {status}, not 302: is {SECRETARIAT_EMAIL}'s password {DEMO_PASSWORD!r}?")


def count_queries(app, rows: list[Row], bearer: dict) -> None:
    """SQL statements of one request of each row (the second of two) as computed (not answered from a kept
    copy: app.kept_responses), through the test client."""
    from sqlalchemy import event

    from app.extensions import db
    from app.kept_responses import paused

    client = app.test_client()
    form_sign_in(lambda path: client.get(path).get_data(as_text=True),
                 lambda path, form: client.post(path, data=form).status_code)
    counter = {"n": 0}

    def count(*_args) -> None:
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        with paused(app):
            for row in rows:
                headers = dict(bearer) if row.api else {}
                for _attempt in range(2):
                    if row.etag_of is not None:
                        headers["If-None-Match"] = row.etag_of.etag
                    counter["n"] = 0
                    response = client.get(row.path, headers=headers)
                    response.get_data()
                if response.status_code != row.expect:
                    sys.exit(f"{row.path} answered {response.status_code} in-process, not {row.expect}")
                row.queries = counter["n"]
                row.etag = response.headers.get("ETag", "").strip() or None
    finally:
        event.remove(engine, "before_cursor_execute", count)


# --- HTTP -----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None,
         timeout: float = 120) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request on a new connection."""
    connection = http_client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()



def start_gunicorn(env: dict, workers: int, port: int, log: Path) -> subprocess.Popen:
    """gunicorn with the repository's gunicorn.conf.py, answering /api/v1/health within 60 s."""
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if binary is None:
        sys.exit(f"bench/scale.py needs gunicorn next to {sys.executable} or on PATH")
    server = subprocess.Popen([binary, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "app:create_app()"],
                              cwd=ROOT, env=env, start_new_session=True, stdout=log.open("ab"),
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            if ask(port, "GET", "/api/v1/health")[0] == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            stop_gunicorn(server)
            sys.exit(f"gunicorn did not answer /api/v1/health within 60 s; its log:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def drain(port: int, limit: float = 600) -> None:
    """Wait until gunicorn has worked off what clients that left still queued (sync workers finish every
    request they accepted): /api/v1/health answers within a second again."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            ask(port, "GET", "/api/v1/health", timeout=limit)
        except OSError:
            pass
        if time.monotonic() - started < 1:
            return


def stop_gunicorn(server: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (master and workers), waited for."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def http_sign_in(port: int) -> dict:
    """The Cookie header of the secretariat signed in through the form over HTTP."""
    jar: dict[str, str] = {}

    def keep(headers_list) -> None:
        for name, value in headers_list:
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                jar[key.strip()] = val.strip()

    def cookie() -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}

    def get(path: str) -> str:
        connection = http_client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path, headers=cookie())
        response = connection.getresponse()
        keep(response.getheaders())
        text = response.read().decode()
        connection.close()
        return text

    def post(path: str, form: dict) -> int:
        connection = http_client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", path, body=urllib.parse.urlencode(form).encode(),
                           headers={**cookie(), "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        keep(response.getheaders())
        response.read()
        connection.close()
        return response.status

    form_sign_in(get, post)
    get("/")  # as a browser follows the redirect: the first page stores the new session's CSRF secret in its cookie
    return cookie()


def check_urls(port: int, rows: list[Row], session: dict, bearer: dict, extra: dict, args) -> None:
    """Every row answers what it should over HTTP (wrk does not look); the 304 row gets the ETag just served.
    A row whose answer takes long gets a longer wrk run (at most 180 s), so that it is timed about
    --min-samples times."""
    for row in rows:
        started = time.perf_counter()
        status, headers, body = ask(port, "GET", row.path, {**extra, **row.headers(session, bearer)})
        took = time.perf_counter() - started
        row.seconds = min(180, max(args.duration, math.ceil(took * args.min_samples / args.connections * 1.2)))
        if status != row.expect:
            sys.exit(f"{row.path} answered {status} over HTTP, not {row.expect}: {body[:300]!r}")
        if row.expect == 200:
            row.etag = headers.get("etag") or row.etag


# --- wrk ------------------------------------------------------------------------------------------

def wrk(url: str, headers: dict, *, threads: int, connections: int, seconds: int, script: Path,
        timeout: int = 60) -> dict:
    """Run wrk and return the figures its Lua done() prints (latencies in microseconds)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=False)
    for line in output.stdout.splitlines():
        if line.startswith("BENCH "):
            figures = json.loads(line[len("BENCH "):])
            figures["socket_errors"] = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
            figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
            return figures
    sys.exit(f"wrk printed no figures:\n{output.stdout}\n{output.stderr}")


def measure_rows(port: int, rows: list[Row], session: dict, bearer: dict, extra: dict, args, script: Path) -> None:
    """For each row: wrk on /api/v1/health, then wrk on the row, with the same connections and duration."""
    base = f"http://127.0.0.1:{port}"
    for row in rows:
        drain(port)
        row.health = wrk(f"{base}/api/v1/health", extra, threads=1, connections=args.connections,
                         seconds=args.duration, script=script)
        row.result = wrk(base + row.path, {**extra, **row.headers(session, bearer)}, threads=1,
                         connections=args.connections, seconds=row.seconds, script=script)
        print(f"  {row.label}: p50 {row.result['p50'] / 1000:.1f} ms (health {row.health['p50'] / 1000:.1f} ms), "
              f"{row.result['requests']} requests", file=sys.stderr)


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for this ASCII content


def rotating_script(entries: list[tuple[str, dict]]) -> str:
    """A wrk Lua script that asks (path, headers) entries in turn, and prints its figures as done() does."""
    lines = ["local paths = {"]
    for path, headers in entries:
        pairs = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        lines.append(f"  {{{lua_string(path)}, {{{pairs}}}}},")
    lines += ["}", "local i = 0", "request = function()", "  i = i % #paths + 1",
              '  return wrk.format("GET", paths[i][1], paths[i][2])', "end", WRK_REPORT]
    return "\n".join(lines)


def mixed_load(port: int, rows: list[Row], session: dict, bearer: dict, extra: dict, args, workdir: Path) -> dict:
    """wrk -t2 -c{load-connections} rotating over the rows' URLs (and health), each with its own headers."""
    entries = [("/api/v1/health", extra)] + [(row.path, {**extra, **row.headers(session, bearer)})
                                              for row in rows if row.in_mix]
    script = workdir / "mixed.lua"
    script.write_text(rotating_script(entries))
    figures = wrk(f"http://127.0.0.1:{port}/", {}, threads=2, connections=args.load_connections,
                  seconds=args.load_duration, script=script, timeout=30)
    figures["urls"] = len(entries)
    return figures


# --- the deadline rush ----------------------------------------------------------------------------

def rush_tables():
    from app.attachments.models import Attachment
    from app.reports.models import ProgressReport, ReportVersion

    return ProgressReport.__table__, ReportVersion.__table__, Attachment.__table__


def recount_tallies(round_id: int) -> None:
    """Rows changed here without the ORM: the maintained roll-up tallies of the round counted again (when the app
    keeps them, app/reports/tallies.py)."""
    try:
        from app.reports.tallies import recount_round_tallies
    except ImportError:
        return
    recount_round_tallies([round_id])


def tally_drift() -> int | None:
    """(round, sub-item) keys whose maintained tally differs from one recomputed from the reports; None when the
    app keeps no tallies."""
    try:
        from app.reports.tallies import differing_keys
    except ImportError:
        return None
    return len(differing_keys())


def snapshot_round(app, round_id: int, unit_ids: list[int]) -> dict:
    """The open round's reports of these units (with their versions and evidence rows), as rows to put back."""
    from sqlalchemy import select

    from app.extensions import db

    reports, versions, attachments = rush_tables()
    with app.app_context():
        rows = [dict(r) for r in db.session.execute(select(reports).where(
            reports.c.round_id == round_id, reports.c.unit_id.in_(unit_ids))).mappings()]
        ids = [r["id"] for r in rows]
        return {
            "reports": rows,
            "versions": [dict(r) for r in db.session.execute(
                select(versions).where(versions.c.report_id.in_(ids))).mappings()] if ids else [],
            "attachments": [dict(r) for r in db.session.execute(
                select(attachments).where(attachments.c.report_id.in_(ids))).mappings()] if ids else [],
        }


def restore_round(app, round_id: int, unit_ids: list[int], snapshot: dict) -> None:
    """Put the units' reports in the round back as the snapshot had them (rows the rush made are deleted)."""
    from sqlalchemy import delete, insert, select

    from app.extensions import db

    reports, versions, attachments = rush_tables()
    with app.app_context():
        ids = select(reports.c.id).where(reports.c.round_id == round_id, reports.c.unit_id.in_(unit_ids))
        db.session.execute(delete(versions).where(versions.c.report_id.in_(ids)))
        db.session.execute(delete(attachments).where(attachments.c.report_id.in_(ids)))
        db.session.execute(delete(reports).where(reports.c.round_id == round_id, reports.c.unit_id.in_(unit_ids)))
        for table, name in ((reports, "reports"), (versions, "versions"), (attachments, "attachments")):
            rows = snapshot[name]
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(table), rows[start:start + 2000])
        recount_tallies(round_id)
        db.session.commit()


def before_deadline(app, round_id: int, unit_ids: list[int]) -> None:
    """Nothing of these units sent yet in the round: submitted → draft, resubmitted → returned (accepted stay)."""
    from sqlalchemy import update

    from app.extensions import db

    reports = rush_tables()[0]
    where = (reports.c.round_id == round_id, reports.c.unit_id.in_(unit_ids))
    with app.app_context():
        for old, new in (("submitted", "draft"), ("resubmitted", "returned")):
            db.session.execute(update(reports).where(*where, reports.c.state == old)
                               .values(state=new, submitted_at=None, due_on_at_submission=None))
        recount_tallies(round_id)
        db.session.commit()


@dataclass
class Reporter:
    """One office's reporter in the rush: what it sent, what came back."""

    index: int
    unit_id: int
    code: str
    token: str
    start: float
    sent: dict = field(default_factory=dict)  # sub-item id -> (state expected, percent, result) acknowledged
    requests: list = field(default_factory=list)  # (method, status, ms)
    failures: list = field(default_factory=list)


def rush_values(reporter: Reporter, sub_item_id: int, tag: str) -> dict:
    percent = 1 + (reporter.index * 7 + sub_item_id) % 99
    return {"status": "on_track", "percent": percent,
            "result": f"ผลการดำเนินงานรอบเร่งส่ง {tag} {reporter.code} ประเด็นย่อย {sub_item_id} ร้อยละ {percent}"}


def reporter_call(port: int, reporter: Reporter, method: str, path: str, payload: dict | None) -> dict | None:
    """One API call of the reporter; its JSON answer, or None (recorded as a failure) unless 2xx."""
    headers = {"Authorization": f"Bearer {reporter.token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    try:
        status, _headers, body = ask(port, method, path, headers,
                                      json.dumps(payload).encode() if payload is not None else None)
    except OSError as error:
        reporter.requests.append((method, 0, (time.perf_counter() - started) * 1000))
        reporter.failures.append(f"{method} {path}: {error!r}")
        return None
    reporter.requests.append((method, status, (time.perf_counter() - started) * 1000))
    if not 200 <= status < 300:
        reporter.failures.append(f"{method} {path}: {status} {body[:200].decode(errors='replace')}")
        return None
    return json.loads(body) if body else {}


def file_round(port: int, round_id: int, reporter: Reporter, t0: float, tag: str) -> None:
    """Wait for the reporter's start, read the unit's round, send every row it may still change."""
    time.sleep(max(0.0, t0 + reporter.start - time.monotonic()))
    base = f"/api/v1/rounds/{round_id}/units/{reporter.unit_id}/reports"
    unit_round = reporter_call(port, reporter, "GET", base, None)
    if unit_round is None:
        return
    lines = [line for line in unit_round["rows"] if line["editable"]]
    expected_state = {line["sub_item_id"]: "resubmitted" if line["report"] and line["report"]["state"] == "returned"
                      else "submitted" for line in lines}
    if reporter.index % 2 == 0:  # the whole round at once
        rows = []
        for line in lines:
            row = {"sub_item_id": line["sub_item_id"], **rush_values(reporter, line["sub_item_id"], tag)}
            if line["report"]:
                row["version"] = line["report"]["version"]
            rows.append(row)
        if rows and reporter_call(port, reporter, "PUT", base, {"submit": True, "rows": rows}) is not None:
            for row in rows:
                reporter.sent[row["sub_item_id"]] = (expected_state[row["sub_item_id"]], row["percent"], row["result"])
        return
    for line in lines:  # report by report
        sub_item_id, values = line["sub_item_id"], rush_values(reporter, line["sub_item_id"], tag)
        if line["report"] is None:
            report = reporter_call(port, reporter, "POST", "/api/v1/reports",
                                   {"sub_item_id": sub_item_id, "round_id": round_id, **values})
        else:
            report = reporter_call(port, reporter, "PATCH", f"/api/v1/reports/{line['report']['id']}",
                                   {"version": line["report"]["version"], **values})
        if report is None:
            continue
        if reporter_call(port, reporter, "POST", f"/api/v1/reports/{report['id']}/submit",
                         {"version": report["version"]}) is not None:
            reporter.sent[sub_item_id] = (expected_state[sub_item_id], values["percent"], values["result"])


def verify_rush(app, round_id: int, reporters: list[Reporter]) -> tuple[int, int, int, int | None]:
    """(rows acknowledged, rows whose database row does not show what was acknowledged, reports in the database
    for these units beyond one per unit and sub-item, roll-up tallies that no longer match the reports)."""
    from sqlalchemy import func, select

    from app.extensions import db

    reports = rush_tables()[0]
    unit_ids = [r.unit_id for r in reporters]
    with app.app_context():
        stored = {(r.unit_id, r.sub_item_id): r for r in db.session.execute(
            select(reports.c.unit_id, reports.c.sub_item_id, reports.c.state, reports.c.percent, reports.c.result,
                   reports.c.submitted_at).where(reports.c.round_id == round_id, reports.c.unit_id.in_(unit_ids)))}
        total = db.session.scalar(select(func.count()).select_from(reports).where(
            reports.c.round_id == round_id, reports.c.unit_id.in_(unit_ids)))
        drift = tally_drift()
    acknowledged = lost = 0
    for reporter in reporters:
        for sub_item_id, (state, percent, result) in reporter.sent.items():
            acknowledged += 1
            row = stored.get((reporter.unit_id, sub_item_id))
            if row is None or (row.state, row.percent, row.result) != (state, percent, result) or row.submitted_at is None:
                lost += 1
    return acknowledged, lost, total - len(stored), drift


def deadline_rush(app, port: int, scale: Scale, args) -> dict:
    """245 reporters (by default) send their open round within the window; the round is restored afterwards."""
    unit_ids = [unit_id for unit_id, _code, _user in scale.rush_units]
    tokens = issue_tokens(app, [user_id for _unit, _code, user_id in scale.rush_units])
    rng = random.Random(14)
    reporters = [Reporter(index=i, unit_id=unit_id, code=code, token=tokens[user_id],
                          start=rng.uniform(0, args.rush_seconds))
                 for i, (unit_id, code, user_id) in enumerate(scale.rush_units)]
    snapshot = snapshot_round(app, scale.round_id, unit_ids)
    tag = secrets.token_hex(4)
    try:
        before_deadline(app, scale.round_id, unit_ids)
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=len(reporters)) as pool:
            futures = [pool.submit(file_round, port, scale.round_id, r, t0, tag) for r in reporters]
            while not all(f.done() for f in futures):
                time.sleep(min(10.0, max(1.0, args.rush_seconds / 6)))
                print(f"  rush: {time.monotonic() - t0:.0f} s, {sum(len(r.requests) for r in reporters)} requests, "
                      f"{sum(f.done() for f in futures)} of {len(futures)} reporters done", file=sys.stderr)
            for future in futures:
                future.result()
        elapsed = time.monotonic() - t0
        acknowledged, lost, duplicates, drift = verify_rush(app, scale.round_id, reporters)
    finally:
        restore_round(app, scale.round_id, unit_ids, snapshot)
        revoke_bench_tokens(app, [user_id for _unit, _code, user_id in scale.rush_units])
    calls = [request for r in reporters for request in r.requests]
    writes = sorted(ms for method, status, ms in calls if method != "GET")
    failures = [failure for r in reporters for failure in r.failures]
    return {"reporters": len(reporters), "elapsed": elapsed, "requests": len(calls),
            "errors": len(failures), "failures": failures[:5], "acknowledged": acknowledged, "lost": lost,
            "duplicates": duplicates, "drift": drift, "write_p50": statistics.median(writes) if writes else 0.0,
            "write_p99": percentile(writes, 0.99) if writes else 0.0, "write_max": writes[-1] if writes else 0.0}


# --- output ---------------------------------------------------------------------------------------

def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def judge(row: Row, result: dict, health: dict) -> tuple[float, str, bool | None]:
    """(p50 / health p50, the target as written, whether it is met: None without a target). A row with no answer
    or with any error (non-2xx/3xx status, socket error, timeout) misses its target."""
    p50, base = result["p50"] / 1000, health["p50"] / 1000
    ratio = p50 / base if base else math.inf
    if not result["requests"]:
        return ratio, f"no answer within {row.seconds} s", False
    if row.absolute_target_ms is not None:
        target, met = f"<= {row.absolute_target_ms / 1000:g} s", p50 <= row.absolute_target_ms
    elif row.ratio_target is not None:
        target, met = f"<= {row.ratio_target:g}x", ratio <= row.ratio_target
    else:
        return ratio, "", None
    return ratio, target, met and not result["status"] + result["socket_errors"]


def print_table(scale: Scale, rows: list[Row], args) -> None:
    print(f"{scale.dialect}: {scale.units:,} units, plan {scale.plan_id}, open round {scale.round_id} "
          f"({scale.expected:,} expected, {scale.reports:,} reports); gunicorn {args.workers} workers; "
          f"wrk -t1 -c{args.connections} per row for --duration {args.duration} s or longer (column s), each row after "
          f"its own {args.duration} s health run; "
          f"Accept-Encoding: {args.accept_encoding or '(none)'}\n")
    print("| request | p50 ms | p95 ms | p99 ms | health p50 ms | ratio | target | met? | SQL | answers | s | errors |")
    print("|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|")
    first = rows[0].health
    print(f"| trivial JSON (`/api/v1/health`), first run | {first['p50'] / 1000:.1f} | {first['p95'] / 1000:.1f} | "
          f"{first['p99'] / 1000:.1f} | | 1.00x | | | | {first['requests']} | {args.duration} | "
          f"{first['status'] + first['socket_errors']} |")
    for row in rows:
        result, health = row.result, row.health
        p50, base = result["p50"] / 1000, health["p50"] / 1000
        ratio, target, met = judge(row, result, health)
        bad = result["status"] + result["socket_errors"]
        print(f"| {row.label} | {p50:.1f} | {result['p95'] / 1000:.1f} | {result['p99'] / 1000:.1f} | {base:.1f} | "
              f"{ratio:.2f}x | {target} | {'' if met is None else 'yes' if met else '**no**'} | "
              f"{row.queries if row.queries is not None else ''} | {result['requests']} | {row.seconds} | {bad} |")


def server_errors(log: Path) -> Counter:
    """The errors gunicorn's workers logged (JSON lines, production's format), by the exception's last line."""
    found: Counter = Counter()
    if not log.exists():
        return found
    for line in log.read_text(errors="replace").splitlines():
        if '"level": "ERROR"' not in line and '"level": "CRITICAL"' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            found[line[:300]] += 1
            continue
        trace = [part for part in (entry.get("exc_info") or "").splitlines()
                 if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Violation)\b", part)]
        found[(trace[-1] if trace else entry.get("message", ""))[:300]] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped (SIGTERM)"))  # the finally blocks still restore
    if shutil.which("wrk") is None:
        sys.exit("bench/scale.py needs wrk (apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="prachum-scale-"))
    server = None
    app = None
    token_users: list[int] = []
    try:
        gunicorn_env = prepare_environment(args, workdir)
        from app import create_app

        app = create_app()
        app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # rush accounts only: random, unused passwords
        scale = load_data(app, args)
        token_users = [scale.secretariat_id]
        bearer = {"Authorization": f"Bearer {issue_tokens(app, token_users)[scale.secretariat_id]}"}
        rows = table_rows(scale)
        count_queries(app, rows, bearer)
        port = free_port()
        gunicorn_env["PRACHUM_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
        server = start_gunicorn(gunicorn_env, args.workers, port, workdir / "gunicorn.log")
        extra = {"Accept-Encoding": args.accept_encoding} if args.accept_encoding else {}
        session = http_sign_in(port)
        check_urls(port, rows, session, bearer, extra, args)
        report = workdir / "report.lua"
        report.write_text(WRK_REPORT)
        if not args.skip_rows:
            measure_rows(port, rows, session, bearer, extra, args, report)
        load = None if args.skip_load else mixed_load(port, rows, session, bearer, extra, args, workdir)
        if not args.skip_rush:
            drain(port)
        rush = None if args.skip_rush else deadline_rush(app, port, scale, args)
    except BaseException:
        log = workdir / "gunicorn.log"
        if log.exists():
            print("gunicorn's log, last lines:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:]),
                  file=sys.stderr)
        raise
    finally:
        if server is not None:
            stop_gunicorn(server)
        if app is not None and token_users:
            revoke_bench_tokens(app, token_users)
        log = workdir / "gunicorn.log"
        problems = server_errors(log)
        shutil.rmtree(workdir, ignore_errors=True)
    if not args.skip_rows:
        print_table(scale, rows, args)
    if load is not None:
        print(f"\nMixed read load: wrk -t2 -c{args.load_connections} -d{args.load_duration}s over {load['urls']} URLs "
              f"(health and the rows above but the XLSX), gunicorn {args.workers} workers: "
              f"{load['rps']:.1f} requests/s, {load['requests']:,} requests, p50 {load['p50'] / 1000:.1f} ms, "
              f"p99 {load['p99'] / 1000:.1f} ms, non-2xx/3xx {load['status']}, socket errors "
              f"{load['socket_errors']} (connect {load['connect']}, read {load['read']}, write {load['write']}, "
              f"timeout {load['timeout']}): {'met' if not load['status'] + load['socket_errors'] else '**not met**'} "
              f"(target: 0 errors)")
    if rush is not None:
        drift = "" if rush["drift"] is None else f", {rush['drift']} roll-up tallies off"
        print(f"\nDeadline rush: {rush['reporters']} reporters starting within {args.rush_seconds} s, done in "
              f"{rush['elapsed']:.1f} s: {rush['requests']:,} API requests, {rush['errors']} errors; "
              f"{rush['acknowledged']:,} reports acknowledged, {rush['lost']} lost writes, {rush['duplicates']} "
              f"duplicates{drift}; writes p50 {rush['write_p50']:.0f} ms, p99 {rush['write_p99']:.0f} ms, "
              f"max {rush['write_max']:.0f} ms (the round restored afterwards): "
              f"{'met' if not rush['errors'] + rush['lost'] + rush['duplicates'] + (rush['drift'] or 0) else '**not met**'} "
              f"(target: 0 errors, 0 lost writes)")
        for failure in rush["failures"]:
            print(f"  {failure}")
    if problems:
        print(f"\ngunicorn logged {sum(problems.values())} errors:")
        for problem, times in problems.most_common(5):
            print(f"  {times} x {problem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
