"""Running as a service: request ids, JSON logs, /metrics for admins and the monitoring network, ProxyFix,
the readiness check, and a backup restored into a throwaway database."""
from __future__ import annotations

import io
import json
import logging
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app import operations
from app.backup import create_backup, libpq_url, restore_backup
from app.extensions import db

ROLES = ("admin", "secretariat", "member", "reporter", "viewer")


def test_a_request_id_is_kept_or_made_and_returned(client):
    given = client.get("/api/v1/health", headers={"X-Request-ID": "proxy-1234abcd"})
    assert given.headers["X-Request-ID"] == "proxy-1234abcd"
    made = client.get("/api/v1/health", headers={"X-Request-ID": "bad id with spaces <script>"})
    assert len(made.headers["X-Request-ID"]) == 32 and made.headers["X-Request-ID"] != "bad id with spaces"


def test_json_log_lines_carry_the_request_id(app):
    stream = io.StringIO()
    app.config["PRACHUM_LOG_FORMAT"] = "json"
    try:
        operations.configure_logging(app)
        handler = app.extensions["prachum_log_handler"]
        handler.setStream(stream)
        logger = logging.getLogger("prachum.test")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        with app.test_request_context("/x", headers={"X-Request-ID": "req-00000001"}):
            operations.start_request()
            logger.info("ส่งหนังสือเชิญ %s ฉบับ", 3, extra={"meeting_id": 7})
        logger.removeHandler(handler)
    finally:
        app.config["PRACHUM_LOG_FORMAT"] = None
    record = json.loads(stream.getvalue().strip())
    assert record["message"] == "ส่งหนังสือเชิญ 3 ฉบับ" and record["request_id"] == "req-00000001"
    assert record["level"] == "INFO" and record["logger"] == "prachum.test" and record["meeting_id"] == 7


def test_the_request_log_names_the_signed_in_user_without_reading_them_again(app, client, make_user, token_for,
                                                                            caplog):
    from sqlalchemy import event

    user = make_user("secretariat", email="log.reader@example.go.th")
    headers, user_id = token_for(user), user.id
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with caplog.at_level(logging.INFO, logger="prachum.request"):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
            client.get("/api/v1/health")
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    signed_in, anonymous = [r for r in caplog.records if r.name == "prachum.request"][-2:]
    assert signed_in.user_id == user_id and anonymous.user_id is None
    # the user comes with the token (a join), and is not read again after the commit to be named in the log
    assert not any(statement.lstrip().startswith("SELECT users.") for statement in seen)


def test_metrics_for_admins_and_the_monitoring_network_only(app, client, make_user, login, token_for):
    client.get("/api/v1/health")
    assert app.test_client().get("/metrics").status_code == 404
    for role in ROLES:
        user = make_user(role, email=f"{role}@example.go.th")
        web = login(user, c=app.test_client())
        response = web.get("/metrics")
        if role == "admin":
            body = response.get_data(as_text=True)
            assert response.status_code == 200 and response.mimetype == "text/plain"
            assert 'prachum_request_seconds_bucket{endpoint="api.health"' in body
            assert 'prachum_job_queue{channel="mail",state="failed"}' in body
        else:
            assert response.status_code == 403
    app.config["PRACHUM_METRICS_NETWORKS"] = "10.0.0.0/8, 127.0.0.1/32"
    try:
        assert app.test_client().get("/metrics").status_code == 200
        assert app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 404
    finally:
        app.config["PRACHUM_METRICS_NETWORKS"] = None


@pytest.mark.parametrize("address, networks, inside", [
    ("10.1.2.3", "10.0.0.0/8", True), ("10.1.2.3", "192.168.0.0/16,10.1.2.3/32", True),
    ("172.16.0.1", "10.0.0.0/8", False), ("not-an-ip", "10.0.0.0/8", False), ("10.1.2.3", "garbage", False),
    ("10.1.2.3", None, False), ("::1", "::1/128", True)])
def test_metrics_networks(address, networks, inside):
    assert operations.from_metrics_network(address, networks) is inside


def test_behind_a_proxy_the_forwarded_scheme_and_address_count():
    from app import create_app
    from config import TestingConfig

    proxied = create_app(TestingConfig(), PRACHUM_PROXY_HOPS=1)
    seen = {}

    @proxied.get("/_probe", doc_ui=False)
    def probe():
        from flask import request

        seen.update(scheme=request.scheme, address=request.remote_addr, host=request.host)
        return "ok"

    proxied.test_client().get("/_probe", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5",
                                                  "X-Forwarded-Host": "prachum.example.go.th"})
    assert seen == {"scheme": "https", "address": "203.0.113.5", "host": "prachum.example.go.th"}


def test_ready_checks_database_redis_and_storage(app, client):
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok", "redis": "not_configured", "storage": "ok"}
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        refused = client.get("/api/v1/ready")
        assert refused.status_code == 503 and refused.get_json()["redis"] == "error"
    finally:
        app.config["REDIS_URL"] = None


def test_a_backup_restores_into_a_throwaway_database(app, make_user, tmp_path):
    from app.auth.models import User

    make_user("secretariat", email="restore@example.go.th")
    uploads = Path(app.config["PRACHUM_UPLOADS"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / "paper.pdf").write_bytes(b"%PDF-1.4 paper")
    url = db.engine.url.render_as_string(hide_password=False)
    written = create_backup(tmp_path / "backups", url, uploads)
    assert [p.name.endswith(("dump", "sqlite")) for p in written] == [True, False]
    if db.engine.dialect.name == "postgresql":
        name = f"restore_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        target = db.engine.url.set(database=name).render_as_string(hide_password=False)
    else:
        name, admin = None, None
        target = f"sqlite:///{tmp_path / 'restored.db'}"
    try:
        restore_backup(written[0], target, tmp_path / "restored-uploads")
        restored = create_engine(target)
        with restored.connect() as connection:
            emails = set(connection.scalars(select(User.email)))
            assert "restore@example.go.th" in emails
            assert connection.scalar(text("SELECT count(*) FROM alembic_version")) == 1
        restored.dispose()
        assert (tmp_path / "restored-uploads" / "paper.pdf").read_bytes() == b"%PDF-1.4 paper"
    finally:
        if name:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_libpq_url_drops_the_driver():
    assert libpq_url("postgresql+psycopg://postgres@127.0.0.1:5432/test") == "postgresql://postgres@127.0.0.1:5432/test"
