"""bench/scale.py's own parts: how a row is judged, what it reads from gunicorn's log, and its wrk script (run
against a small local server when wrk is installed)."""
from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.scale import WRK_REPORT, Row, judge, rotating_script, server_errors, wrk


def figures(p50_ms: float, requests: int = 100, status: int = 0, socket_errors: int = 0) -> dict:
    return {"p50": p50_ms * 1000, "requests": requests, "status": status, "socket_errors": socket_errors}


def test_a_ratio_target_is_judged_against_the_rows_own_health_run():
    row = Row("summary", "/x", ratio_target=3)
    assert judge(row, figures(30), figures(10)) == (3.0, "<= 3x", True)
    assert judge(row, figures(31), figures(10))[2] is False


def test_an_absolute_target_ignores_the_ratio():
    row = Row("xlsx", "/x.xlsx", absolute_target_ms=1000)
    assert judge(row, figures(900), figures(1))[1:] == ("<= 1 s", True)
    assert judge(row, figures(1100), figures(100))[2] is False


def test_errors_or_no_answer_miss_the_target_and_no_target_is_no_verdict():
    row = Row("summary", "/x", ratio_target=3, seconds=12)
    assert judge(row, figures(10, status=1), figures(10))[2] is False
    assert judge(row, figures(10, socket_errors=2), figures(10))[2] is False
    assert judge(row, figures(0, requests=0), figures(10))[1:] == ("no answer within 12 s", False)
    assert judge(Row("queue", "/q"), figures(50), figures(10))[1:] == ("", None)


def test_server_errors_are_counted_by_the_exceptions_own_line(tmp_path):
    trace = ("Traceback (most recent call last):\n  File \"x.py\", line 1\n"
             "sqlalchemy.exc.IntegrityError: (psycopg.errors.UniqueViolation) duplicate key\n"
             "[SQL: INSERT INTO t]\n(Background on this error at: https://sqlalche.me/e/21/gkpj)")
    lines = [json.dumps({"level": "INFO", "message": "GET / 200"}),
             json.dumps({"level": "ERROR", "message": "Unhandled error", "exc_info": trace}),
             json.dumps({"level": "ERROR", "message": "Unhandled error", "exc_info": trace}),
             json.dumps({"level": "ERROR", "message": "database unavailable"})]
    log = tmp_path / "gunicorn.log"
    log.write_text("\n".join(lines))
    found = server_errors(log)
    assert found == {"sqlalchemy.exc.IntegrityError: (psycopg.errors.UniqueViolation) duplicate key": 2,
                     "database unavailable": 1}
    assert server_errors(tmp_path / "missing.log") == {}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_rotating_script_asks_each_path_with_its_own_headers_and_counts_errors(tmp_path):
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            seen.append((self.path, self.headers.get("Authorization")))
            status = 500 if self.path == "/broken" else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        script = tmp_path / "mixed.lua"
        script.write_text(rotating_script([("/health", {}), ("/api", {"Authorization": "Bearer s3cret"}),
                                           ("/broken", {})]))
        result = wrk(f"http://127.0.0.1:{server.server_address[1]}/", {}, threads=1, connections=1, seconds=1,
                     script=script)
    finally:
        server.shutdown()
        server.server_close()
    assert result["requests"] >= 3
    assert {path for path, _ in seen} == {"/health", "/api", "/broken"}
    assert all((auth == "Bearer s3cret") == (path == "/api") for path, auth in seen)
    assert 0 < result["status"] <= result["requests"] // 3 + 1  # the /broken answers, and only those
    assert result["socket_errors"] == 0 and result["p50"] > 0
    assert WRK_REPORT.strip() in script.read_text()
