"""The Redis the tests use, on 127.0.0.1:6379 as in CI: each test that needs one takes a database of its own,
emptied first. Without Redis such a test is skipped, or fails when PRACHUM_REQUIRE_REDIS is set (.ci/run)."""
from __future__ import annotations

import os
import socket

import pytest

REDIS = ("127.0.0.1", 6379)


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def empty_redis_database(number: int) -> str:
    """The URL of Redis database `number`, emptied (the test is skipped or failed without Redis)."""
    if not redis_up():
        if os.environ.get("PRACHUM_REQUIRE_REDIS"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 (PRACHUM_REQUIRE_REDIS is set)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    url = f"redis://{REDIS[0]}:{REDIS[1]}/{number}"
    redis.Redis.from_url(url).flushdb()
    return url
