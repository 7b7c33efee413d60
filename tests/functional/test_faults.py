"""Faults give clear answers: attachment storage that cannot be written is a 503 with a Thai message and
leaves no row; the readiness check reports the database and the storage apart while the liveness check stays
ok; a database that cannot be reached is a 503 in JSON on the API and a Thai page on the web."""
from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)
from tests.functional.test_reports_api import filed, world  # noqa: F401 (world is a fixture)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
THAI = "ที่เก็บไฟล์แนบไม่พร้อมใช้งาน"


def counts() -> tuple[int, int]:
    """Rows of attachments and audit events."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Attachment)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


@pytest.fixture
def storage_is_not_a_directory(app, monkeypatch, tmp_path) -> Path:
    """PRACHUM_UPLOADS below a plain file: no one, not even root, can create or write it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setitem(app.config, "PRACHUM_UPLOADS", str(blocker / "uploads"))
    return blocker


@pytest.fixture
def disk_full(app, monkeypatch, tmp_path) -> Path:
    """Storage that exists but refuses to take the bytes (ENOSPC), after creating the file."""
    uploads = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "PRACHUM_UPLOADS", str(uploads))

    def write_bytes(self, data):
        self.touch()
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return uploads


@pytest.fixture
def item(client, staff, group):  # noqa: F811
    meeting = schedule(client, staff, group.id, notify=False).get_json()
    return client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", json={"section": 4, "title": "รายงาน"},
                       headers=staff).get_json()


def upload_to_item(client, headers, item_id):
    return client.post(f"/api/v1/agenda-items/{item_id}/attachments", headers=headers,
                       data={"file": (io.BytesIO(PDF), "รายงาน.pdf")}, content_type="multipart/form-data")


@pytest.mark.parametrize("fault", ["storage_is_not_a_directory", "disk_full"])
def test_agenda_attachment_on_broken_storage_is_503_and_keeps_nothing(request, client, staff, item, fault):  # noqa: F811
    storage = request.getfixturevalue(fault)
    before = counts()
    error = assert_error(upload_to_item(client, staff, item["id"]), 503, "storage_unavailable")
    assert THAI in error["message"]
    assert counts() == before
    if storage.is_dir():
        assert list(storage.iterdir()) == []  # the partly written file is gone


def test_evidence_on_broken_storage_is_503_and_keeps_nothing(client, world, storage_is_not_a_directory):  # noqa: F811
    report = filed(client, world, "1.1")
    before = counts()
    response = client.post(f"/api/v1/reports/{report['id']}/attachments", headers=world.headers["ict"],
                           data={"file": (io.BytesIO(PDF), "หลักฐาน.pdf")}, content_type="multipart/form-data")
    assert THAI in assert_error(response, 503, "storage_unavailable")["message"]
    assert counts() == before


def test_web_upload_on_broken_storage_is_a_thai_503_page(client, login, make_user, item, disk_full):
    login(make_user("secretariat"))
    page = client.get(f"/agenda-items/{item['id']}/edit")
    assert page.status_code == 200
    before = counts()
    response = client.post(f"/agenda-items/{item['id']}/attachments", content_type="multipart/form-data", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "file": (io.BytesIO(PDF), "รายงาน.pdf")})
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert THAI in response.get_data(as_text=True)
    assert counts() == before


def test_a_file_is_removed_from_storage_only_once_its_row_is_gone(app, client, staff, item, monkeypatch):  # noqa: F811
    created = upload_to_item(client, staff, item["id"]).get_json()
    stored = Path(app.config["PRACHUM_UPLOADS"]) / db.session.get(Attachment, created["id"]).storage_key
    assert stored.exists()
    monkeypatch.setattr("app.transactions.db.session.commit", lambda: (_ for _ in ()).throw(
        OSError("commit lost")))  # the deletion never commits …
    monkeypatch.setitem(app.config, "PROPAGATE_TEST_ERRORS", False)
    assert client.delete(f"/api/v1/attachments/{created['id']}", headers=staff).status_code == 500
    assert stored.exists()  # … so the file stays with its row
    monkeypatch.undo()
    assert client.delete(f"/api/v1/attachments/{created['id']}", headers=staff).status_code == 204
    assert not stored.exists() and counts()[0] == 0


def test_ready_reports_database_and_storage_apart(client, storage_is_not_a_directory):
    response = client.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "ok", "redis": "not_configured", "storage": "error"}
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}  # the process itself is alive


def test_ready_checks_that_storage_takes_a_file(client, disk_full, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    assert client.get("/api/v1/ready").get_json()["storage"] == "error"
    monkeypatch.undo()
    assert client.get("/api/v1/ready").get_json() == {"status": "ok", "database": "ok", "redis": "not_configured",
                                                      "storage": "ok"}


# --- the database cannot be reached -------------------------------------------------------------

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none"  # nothing listens on port 1


@pytest.fixture
def database_down(tmp_path):
    """A second app whose database refuses every connection."""
    from app import create_app
    from config import TestingConfig

    down = create_app(TestingConfig(), SQLALCHEMY_DATABASE_URI=UNREACHABLE,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": {"connect_timeout": 3}},
                      PRACHUM_UPLOADS=str(tmp_path / "uploads"), PRACHUM_OUTBOX=str(tmp_path / "outbox"),
                      PROPAGATE_TEST_ERRORS=True)
    return down.test_client()


def test_ready_says_the_database_is_down_and_health_stays_live(database_down):
    response = database_down.get("/api/v1/ready")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error", "redis": "not_configured", "storage": "ok"}
    live = database_down.get("/api/v1/health")
    assert live.status_code == 200 and live.get_json() == {"status": "ok"}


@pytest.mark.parametrize("method,url,json", [
    ("get", "/api/v1/me", None),
    ("get", "/api/v1/bodies", None),
    ("post", "/api/v1/meetings", {"body_id": 1, "starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00",
                                  "mode": "onsite", "venue": "ห้อง 1"}),
])
def test_the_api_answers_503_json_when_the_database_is_down(database_down, method, url, json):
    response = getattr(database_down, method)(url, json=json, headers={"Authorization": "Bearer pch_anything"})
    error = assert_error(response, 503, "database_unavailable")
    assert "ฐานข้อมูล" in error["message"]
    assert response.headers["Retry-After"]


def test_signing_in_while_the_database_is_down_shows_a_thai_page(database_down):
    page = database_down.get("/login")
    assert page.status_code == 200
    response = database_down.post("/login", data={"email": "secretariat@example.go.th", "password": "x" * 12,
                                                  "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 503 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "ฐานข้อมูลไม่พร้อมใช้งาน" in html and "<html" in html
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_signed_in_page_while_the_database_is_down_shows_a_thai_page(database_down):
    with database_down.session_transaction() as session:
        session["_user_id"] = "1"
        session["_fresh"] = True
    response = database_down.get("/meetings/")
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert "ฐานข้อมูลไม่พร้อมใช้งาน" in response.get_data(as_text=True)
