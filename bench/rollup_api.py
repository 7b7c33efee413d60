"""Time the roll-up API's answers against /api/v1/health, in the same rounds (issue 14's ratios).

    .venv/bin/python bench/rollup_api.py [--database-url URL] [--rounds 30] [--reload]

Uses the scale plan of bench/rollup_dashboard.py (filled when missing), signs in the demo secretariat with a
bearer token, then asks in rounds, one request of each row in turn (after one warm-up round), through the Flask
test client: the trivial health check, the full roll-up (plain and gzip-compressed), the summary (`units=0`),
one page of 100 unit lines, and a revalidation answered 304. Prints a Markdown table of p50, p95, the p50
ratio to health and the bytes sent.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rollup_dashboard import SECRETARIAT_EMAIL, build_app, scale_plan  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: $DATABASE_URL, else the dev SQLite file)")
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (after one warm-up round)")
    parser.add_argument("--reload", action="store_true", help="refill the scale plan even when it exists")
    parser.add_argument("--units", type=int, default=245)
    parser.add_argument("--sub-items", type=int, default=20)
    parser.add_argument("--years", type=int, default=4)
    return parser.parse_args(argv)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = build_app(args.database_url)

    from sqlalchemy import select

    from app.auth.models import ApiToken
    from app.auth.services import find_user_by_email, hash_secret, issue_token, revoke_token
    from app.extensions import db

    with app.app_context():
        plan_id, round_id, reports = scale_plan(args)
        user = find_user_by_email(SECRETARIAT_EMAIL)
        if user is None:
            print(f"no demo account {SECRETARIAT_EMAIL}: run `flask demo load`", file=sys.stderr)
            return 1
        secret = issue_token(user, "bench")
        db.session.commit()
        dialect = db.engine.dialect.name
    bearer = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    rollup = f"/api/v1/plans/{plan_id}/rollup?round={round_id}"
    with app.app_context():
        etag = client.get(rollup, headers=bearer).headers["ETag"]
    rows = {
        "trivial JSON (`/api/v1/health`)": ("/api/v1/health", {}),
        "roll-up, full contract (every unit line)": (rollup, {}),
        "roll-up, full contract, gzip": (rollup, {"Accept-Encoding": "gzip"}),
        "roll-up summary (`units=0`)": (f"{rollup}&units=0", {}),
        "roll-up, 100 unit lines (`page=1&per_page=100`)": (f"{rollup}&page=1&per_page=100", {}),
        "roll-up unchanged (If-None-Match: 304)": (rollup, {"If-None-Match": etag}),
    }
    times: dict[str, list[float]] = {name: [] for name in rows}
    sizes, statuses = {}, {}
    try:
        for attempt in range(args.rounds + 1):
            for name, (url, headers) in rows.items():
                started = time.perf_counter()
                with app.app_context():
                    response = client.get(url, headers={**bearer, **headers})
                    body = response.get_data()
                if attempt:
                    times[name].append((time.perf_counter() - started) * 1000)
                sizes[name], statuses[name] = len(body), response.status_code
    finally:
        with app.app_context():
            token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
            if token is not None:
                revoke_token(token)
                db.session.commit()

    health = statistics.median(times["trivial JSON (`/api/v1/health`)"])
    print(f"{dialect}: plan {plan_id}, round {round_id} ({reports:,} reports), {args.rounds} rounds\n")
    print("| request | status | p50 ms | p95 ms | p50 / health | bytes |")
    print("|---|---|---:|---:|---:|---:|")
    for name, measured in times.items():
        p50 = statistics.median(measured)
        print(f"| {name} | {statuses[name]} | {p50:.1f} | {percentile(measured, 0.95):.1f} | "
              f"{p50 / health:.2f}× | {sizes[name]:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
