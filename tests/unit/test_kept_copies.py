"""The pure parts of app.kept_responses: which statements write, and the worker's copies within their budget."""
from __future__ import annotations

from app.kept_responses import COPY_OVERHEAD, Copies, Copy, is_write


def copy(body: bytes, generation: int = 1) -> Copy:
    return Copy(generation, 200, (("Content-Type", "text/html"),), body, None, None, float("inf"), 1)


def test_reads_and_savepoints_do_not_count_as_writes():
    for statement in ("SELECT 1", "  select max(id) from audit_events", "SHOW standard_conforming_strings",
                      "PRAGMA foreign_keys=ON", "SAVEPOINT sa_savepoint_1", "RELEASE SAVEPOINT sa_savepoint_1",
                      "ROLLBACK TO SAVEPOINT sa_savepoint_1", "EXPLAIN SELECT 1"):
        assert not is_write(statement), statement
    for statement in ("INSERT INTO audit_events VALUES (1)", "update progress_reports set state = 'x'",
                      "DELETE FROM round_tallies", "WITH moved AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM moved",
                      "COPY progress_reports FROM STDIN", "CREATE INDEX ix ON t (a)", "TRUNCATE t"):
        assert is_write(statement), statement


def test_the_least_recently_used_copies_leave_first_when_over_budget():
    copies = Copies(max_bytes=3 * (100 + COPY_OVERHEAD))
    for key in "abc":
        copies.put(key, copy(b"x" * 100))
    assert copies.get("a") is not None  # a is now the most recently used
    copies.put("d", copy(b"x" * 100))
    assert copies.get("b") is None and all(copies.get(k) is not None for k in "acd")
    assert copies.size == 3 * (100 + COPY_OVERHEAD)


def test_a_copy_replaced_under_its_key_is_counted_once():
    copies = Copies(max_bytes=10_000)
    copies.put("a", copy(b"x" * 100, generation=1))
    copies.put("a", copy(b"y" * 50, generation=2))
    assert copies.size == 50 + COPY_OVERHEAD and copies.get("a").generation == 2
    copies.clear()
    assert copies.size == 0 and copies.get("a") is None


def test_a_copy_larger_than_the_budget_is_not_kept():
    copies = Copies(max_bytes=500)
    copies.put("big", copy(b"x" * 1000))
    assert copies.get("big") is None and copies.size == 0
