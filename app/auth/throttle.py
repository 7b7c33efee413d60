"""Throttling failed sign-ins, per account and per client address, in Flask-Limiter's storage.

Only failures are counted (LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, e.g. "20 per 15
minutes", a moving window). While either limit is used up every sign-in of that account, or from that
address, is refused before the password is checked, a right one too; once the oldest failures leave
the window, signing in opens again. The failure that uses a limit up is refused the same way.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app
from limits import RateLimitItem, parse

from app.extensions import limiter

NAMESPACE = "login-failures"


def _limits(email: str, address: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    """(limit, identifiers) for the account and for the address."""
    config = current_app.config
    return [
        (parse(config["LOGIN_FAILURES_PER_ACCOUNT"]), (NAMESPACE, "account", email)),
        (parse(config["LOGIN_FAILURES_PER_ADDRESS"]), (NAMESPACE, "address", address or "-")),
    ]


def locked_until(email: str, address: str) -> datetime | None:
    """When signing in to this account, or from this address, opens again; None when it is open now."""
    strategy = limiter.limiter
    reopens = [strategy.get_window_stats(item, *keys).reset_time
               for item, keys in _limits(email, address) if not strategy.test(item, *keys)]
    return datetime.fromtimestamp(max(reopens), timezone.utc) if reopens else None


def count_failure(email: str, address: str) -> datetime | None:
    """Count one failed sign-in; when it used a limit up, the time signing in opens again, else None."""
    strategy = limiter.limiter
    for item, keys in _limits(email, address):
        strategy.hit(item, *keys)
    return locked_until(email, address)


def forget_failures() -> None:
    """Clear every count (tests, and an administrator after an incident, from `flask shell`)."""
    limiter.reset()
