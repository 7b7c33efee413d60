"""The shared cache's pieces that need no database: which cache a configuration chooses, keys that name every part
and are the same in every process, a cache that cannot be reached costing only the computation, and the reader's
audience, which decides who may share a cached roll-up."""
from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from types import SimpleNamespace

import pytest
from flask import Flask

from app import authz, caching
from app.extensions import cache
from app.reports.models import REPORT_STATES


@pytest.mark.parametrize("settings, kind", [
    ({}, "simple"),
    ({"CACHE_REDIS_URL": "redis://cache:6379/1"}, "redis"),
    ({"CACHE_REDIS_URL": "redis://cache:6379/1", "PRACHUM_CACHE": "null"}, "null"),
    ({"CACHE_REDIS_URL": "redis://cache:6379/1", "PRACHUM_CACHE": "Simple "}, "simple"),
    ({"PRACHUM_CACHE": "null"}, "null"),
])
def test_the_cache_kind_follows_the_settings(settings, kind):
    assert caching.cache_kind(settings) == kind


@pytest.mark.parametrize("settings", [{"PRACHUM_CACHE": "memcached"}, {"PRACHUM_CACHE": "redis"}])
def test_an_unknown_kind_or_redis_without_a_url_stops_the_start(settings):
    with pytest.raises(RuntimeError, match="PRACHUM_CACHE"):
        caching.cache_kind(settings)


def test_config_takes_redis_url_for_the_throttle_and_the_cache(monkeypatch):
    from config import Config

    for name in ("RATELIMIT_STORAGE_URI", "CACHE_REDIS_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    alone = Config()
    assert (alone.RATELIMIT_STORAGE_URI, alone.CACHE_REDIS_URL) == ("memory://", None)
    monkeypatch.setenv("REDIS_URL", "redis://shared:6379/0")
    shared = Config()
    assert shared.RATELIMIT_STORAGE_URI == shared.CACHE_REDIS_URL == "redis://shared:6379/0"
    assert caching.cache_kind({"CACHE_REDIS_URL": shared.CACHE_REDIS_URL}) == "redis"
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://cache:6379/2")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://limits:6379/3")
    apart = Config()
    assert (apart.RATELIMIT_STORAGE_URI, apart.CACHE_REDIS_URL) == ("redis://limits:6379/3", "redis://cache:6379/2")


def test_a_key_names_every_part_and_is_the_same_in_another_process():
    parts = ((7, 3, "2020-07-15", "open", 41, 12, 30, 99), date(2026, 12, 4), 1, None, None, ("some", 5, True))
    key = caching.cache_key("rollup", *parts)
    assert key.startswith("rollup:") and len(key) == len("rollup:") + 40
    assert caching.cache_key("feed", *parts) != key
    for index in range(len(parts)):  # any part changed: another key
        changed = list(parts)
        changed[index] = ("changed",)
        assert caching.cache_key("rollup", *changed) != key
    script = ("import datetime; from app.caching import cache_key; "
              f"print(cache_key('rollup', *{parts!r}))")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": ""}, cwd=str(__import__("app").ROOT))
    assert other.stdout.strip() == key


def bare_app(kind: str, **config) -> Flask:
    app = Flask("cache-test")
    app.config.update(config)
    caching.init_cache(app, kind)
    return app


def test_remembered_computes_once_and_never_keeps_none():
    app = bare_app("simple")
    calls = []

    def compute():
        calls.append(1)
        return {"percent": 49.17}

    with app.app_context():
        assert caching.remembered("rollup", (1, 2), compute) == {"percent": 49.17}
        assert caching.remembered("rollup", (1, 2), compute) == {"percent": 49.17}
        assert len(calls) == 1
        assert caching.remembered("rollup", (1, 3), compute) == {"percent": 49.17}  # another version
        assert len(calls) == 2
        assert caching.remembered("nothing", (1,), lambda: None) is None
        assert not cache.has(caching.cache_key("nothing", 1))
        big = {"lines": list(range(100))}
        for _ in range(2):
            assert caching.remembered("big", (1,), lambda: calls.append(1) or big,
                                      worth_keeping=lambda value: len(value["lines"]) <= 10) == big
        assert len(calls) == 4 and not cache.has(caching.cache_key("big", 1))


def test_the_null_cache_computes_every_time():
    app = bare_app("null")
    calls = []
    with app.app_context():
        for _ in range(2):
            caching.remembered("rollup", (1,), lambda: calls.append(1) or "x")
    assert len(calls) == 2


def test_a_cache_that_cannot_be_reached_costs_only_the_computation(caplog):
    app = bare_app("redis", CACHE_REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    with app.app_context():
        assert caching.remembered("rollup", (1,), lambda: {"percent": 10}) == {"percent": 10}
        assert caching.recall("feed", (1,)) is None
        caching.keep("feed", (1,), b"text")
    assert "cache unreachable" in caplog.text



def test_a_copy_kept_after_the_response_reaches_the_cache_only_once_the_response_is_closed():
    app = bare_app("simple")

    @app.route("/feed")
    def feed():
        caching.keep_after_response("feed", (7,), b"calendar text")
        return "sent"

    client = app.test_client()
    response = client.get("/feed")
    with app.app_context():
        assert response.data == b"sent" and caching.recall("feed", (7,)) is None
    response.close()
    with app.app_context():
        assert caching.recall("feed", (7,)) == b"calendar text"
        caching.keep_after_response("feed", (8,), b"outside a request")  # kept at once
        assert caching.recall("feed", (8,)) == b"outside a request"

# --- the reader's audience ------------------------------------------------------------------------

OWNER = 10  # the plan's owner body
UNITS = (1, 2, 3)


def reader(role: str | None, unit_id: int | None = None, bodies: frozenset = frozenset(), active: bool = True):
    if role is None:
        return SimpleNamespace(is_authenticated=False, is_active=False, role=None, unit_id=None, bodies=bodies)
    return SimpleNamespace(is_authenticated=True, is_active=active, role=role, unit_id=unit_id, bodies=bodies, id=1)


READERS = [reader(None)] + [
    reader(role, unit, bodies, active)
    for role in ("admin", "secretariat", "reporter", "member", "viewer")
    for unit in (None, 1, 2)
    for bodies in (frozenset(), frozenset({OWNER}), frozenset({99}))
    for active in (True, False)
]


def test_readers_with_the_same_audience_read_the_same_reports(monkeypatch):
    monkeypatch.setattr(authz, "member_body_ids", lambda user: user.bodies if authz.is_signed_in(user) else frozenset())
    cells = list(itertools.product(UNITS, (None, *REPORT_STATES)))
    seen: dict[tuple, tuple] = {}
    for user in READERS:
        reads = tuple(authz.can_view_report_of(user, unit, state, OWNER) for unit, state in cells)
        audience = authz.report_audience(user, OWNER)
        assert seen.setdefault(audience, reads) == reads, (audience, vars(user))
    # and the audiences do tell apart readers who read differently
    assert len(set(seen.values())) == len(seen) >= 6
