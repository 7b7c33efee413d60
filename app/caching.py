"""The shared cache (Flask-Caching): answers computed from the data, kept under a key that names the data's version.

A key holds everything the answer is computed from — the data's version as one small query reads it (the roll-up's
figures.rollup_version, the feed log's generation), the day, the language, the query and what decides what the
reader may see — so a change committed on one node gives every node a new key at once: nothing is invalidated by
hand and no node serves what another has changed. The timeout only frees memory.

PRACHUM_CACHE chooses where: redis (the default when CACHE_REDIS_URL or REDIS_URL is set: one cache for every
node and worker), simple (this process only), null (off; the default in testing). A cache that cannot be reached
is skipped: the answer is computed as without a cache and a warning logged.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, after_this_request, current_app, has_request_context

from app.extensions import cache

log = logging.getLogger(__name__)
KINDS = {"redis": "RedisCache", "simple": "SimpleCache", "null": "NullCache"}
T = TypeVar("T")


def cache_kind(config) -> str:
    """redis, simple or null: PRACHUM_CACHE, else redis when a Redis URL is configured, else simple."""
    wanted = (config.get("PRACHUM_CACHE") or "").strip().lower()
    if not wanted:
        return "redis" if config.get("CACHE_REDIS_URL") else "simple"
    if wanted not in KINDS:
        raise RuntimeError(f"PRACHUM_CACHE must be one of {', '.join(KINDS)}, not {wanted!r}")
    if wanted == "redis" and not config.get("CACHE_REDIS_URL"):
        raise RuntimeError("PRACHUM_CACHE=redis needs CACHE_REDIS_URL or REDIS_URL")
    return wanted


def init_cache(app: Flask, kind: str | None = None) -> None:
    """Bind the cache to the app (again, with `kind`, when a test turns it on or off)."""
    kind = kind or cache_kind(app.config)
    config = {"CACHE_TYPE": KINDS[kind], "CACHE_KEY_PREFIX": "prachum:", "CACHE_NO_NULL_WARNING": True,
              "CACHE_DEFAULT_TIMEOUT": int(app.config.get("PRACHUM_CACHE_TIMEOUT") or 300)}
    if kind == "redis":
        config.update(CACHE_REDIS_URL=app.config["CACHE_REDIS_URL"],
                      CACHE_OPTIONS={"socket_timeout": 2, "socket_connect_timeout": 2})
    elif kind == "simple":
        config["CACHE_THRESHOLD"] = 2000
    cache.init_app(app, config=config)
    app.extensions["prachum_cache_kind"] = kind


def cache_key(namespace: str, *parts: Hashable) -> str:
    """`namespace:` and a digest of the parts (plain values whose repr is the same in every process: numbers,
    strings, dates, tuples — no sets)."""
    return f"{namespace}:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def remembered(namespace: str, parts: tuple, compute: Callable[[], T], timeout: int | None = None,
               worth_keeping: Callable[[T], bool] | None = None) -> T:
    """The value kept under (namespace, parts), else compute() kept there (when worth_keeping(value) says so, e.g.
    not too large); None is never kept."""
    value = recall(namespace, parts)
    if value is None:
        value = compute()
        if value is not None and (worth_keeping is None or worth_keeping(value)):
            keep(namespace, parts, value, timeout)
    return value


def recall(namespace: str, parts: tuple):
    """The value kept under (namespace, parts), or None (also when the cache cannot be reached)."""
    try:
        return cache.get(cache_key(namespace, *parts))
    except Exception:  # noqa: BLE001
        log.warning("cache unreachable: %s not read", namespace, exc_info=True)
        return None


def keep(namespace: str, parts: tuple, value, timeout: int | None = None) -> None:
    """Keep a value under (namespace, parts); nothing happens when the cache cannot be reached."""
    try:
        cache.set(cache_key(namespace, *parts), value, timeout=timeout)
    except Exception:  # noqa: BLE001
        log.warning("cache unreachable: %s not kept", namespace, exc_info=True)


def keep_after_response(namespace: str, parts: tuple, value, timeout: int | None = None) -> None:
    """keep(), once this request's response has gone out (the server closes it): a reader never waits for a copy
    made for other nodes (a feed of a thousand meetings is megabytes to pickle and send); at once outside a
    request."""
    if not has_request_context():
        keep(namespace, parts, value, timeout)
        return
    app = current_app._get_current_object()

    def kept() -> None:
        with app.app_context():
            keep(namespace, parts, value, timeout)

    @after_this_request
    def on_close(response):
        response.call_on_close(kept)
        return response
