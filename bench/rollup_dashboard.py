"""Time the roll-up pages at the size of the first seed (DOMAIN.md, "Scale").

    .venv/bin/python bench/rollup_dashboard.py [--database-url URL] [--repeat 20] [--reload]

Fills the scale plan (`flask demo scale`) when it is missing, or always with --reload, then requests the
roll-up API, the dashboard and the round's Excel export as the demo secretariat through the Flask test
client, and prints a Markdown table: median and 95th-percentile time, SQL statements and bytes per response.
A page that does not answer 200 is reported with its status instead of being timed as a success.
"""
from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRETARIAT_EMAIL = "secretariat@demo.prachum.in.th"


@dataclass
class Measurement:
    """What repeated requests of one URL cost."""

    url: str
    statuses: set[int]
    times_ms: list[float]
    queries: list[int]
    size: int

    def row(self) -> str:
        """One row of the Markdown table."""
        ordered = sorted(self.times_ms)
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        low, high = min(self.queries), max(self.queries)
        status = ", ".join(str(s) for s in sorted(self.statuses))
        return (f"| `{self.url}` | {status} | {statistics.median(ordered):.1f} | {p95:.1f} | "
                f"{low if low == high else f'{low}–{high}'} | {self.size:,} |")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: $DATABASE_URL, else the dev SQLite file)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per URL (after one warm-up)")
    parser.add_argument("--reload", action="store_true", help="refill the scale plan even when it exists")
    parser.add_argument("--units", type=int, default=245)
    parser.add_argument("--sub-items", type=int, default=20)
    parser.add_argument("--years", type=int, default=4)
    return parser.parse_args(argv)


def build_app(database_url: str | None):
    """The application as configured by the environment, on the database asked for."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from app import create_app

    return create_app()


def scale_plan(args: argparse.Namespace):
    """(plan id, open round id, report count), filling the scale plan first when missing or asked to."""
    from sqlalchemy import func, select

    from app.demo.scale import PLAN_TITLE, load_scale
    from app.extensions import db
    from app.reports.models import Plan, ProgressReport, ReportingRound

    plan_id = db.session.scalar(select(Plan.id).where(Plan.title == PLAN_TITLE))
    if plan_id is None or args.reload:
        summary = load_scale(args.units, args.sub_items, args.years)
        db.session.commit()
        print(summary.line(), file=sys.stderr)
        plan_id = summary.plan_id
    round_id = db.session.scalar(
        select(ReportingRound.id).where(ReportingRound.plan_id == plan_id)
        .order_by((ReportingRound.status == "open").desc(), ReportingRound.fiscal_year_be.desc(),
                  ReportingRound.months.desc()).limit(1)
    )
    reports = db.session.scalar(select(func.count()).select_from(ProgressReport)
                                .where(ProgressReport.round_id == round_id))
    return plan_id, round_id, reports


def signed_in_client(app, user_id: int):
    """A test client carrying the user's Flask-Login session."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return client


def measure(app, client, url: str, repeat: int, counter: dict, headers: dict | None = None) -> Measurement:
    """Request url once to warm up, then `repeat` times, each in its own app context as in production."""
    result = Measurement(url, set(), [], [], 0)
    for attempt in range(repeat + 1):
        counter["n"] = 0
        started = time.perf_counter()
        with app.app_context():
            response = client.get(url, headers=headers)
            body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        if attempt:
            result.statuses.add(response.status_code)
            result.times_ms.append(elapsed)
            result.queries.append(counter["n"])
            result.size = len(body)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = build_app(args.database_url)

    from sqlalchemy import event, select

    from app.auth.models import ApiToken
    from app.auth.services import find_user_by_email, hash_secret, issue_token, revoke_token
    from app.extensions import db

    counter = {"n": 0}
    with app.app_context():
        plan_id, round_id, reports = scale_plan(args)
        user = find_user_by_email(SECRETARIAT_EMAIL)
        if user is None:
            print(f"no demo account {SECRETARIAT_EMAIL}: run `flask demo load`", file=sys.stderr)
            return 1
        user_id, secret = user.id, issue_token(user, "bench")
        db.session.commit()
        dialect = db.engine.dialect.name

        def count_statement(*_args) -> None:
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count_statement)

    bearer = {"Authorization": f"Bearer {secret}"}
    client = signed_in_client(app, user_id)
    try:
        rows = [
            measure(app, client, f"/api/v1/plans/{plan_id}/rollup?round={round_id}", args.repeat, counter, bearer),
            measure(app, client, f"/reports/dashboard?plan={plan_id}&round={round_id}", args.repeat, counter),
            measure(app, client, "/reports/dashboard", args.repeat, counter),
            measure(app, client, f"/rounds/{round_id}", args.repeat, counter),
            measure(app, client, f"/rounds/{round_id}/export.xlsx", args.repeat, counter),
        ]
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count_statement)
            token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
            if token is not None:
                revoke_token(token)
                db.session.commit()

    print(f"{dialect}: plan {plan_id}, round {round_id} ({reports:,} reports), {args.repeat} requests per URL\n")
    print("| URL | status | median ms | p95 ms | SQL queries | bytes |")
    print("|---|---|---:|---:|---:|---:|")
    for measurement in rows:
        print(measurement.row())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
