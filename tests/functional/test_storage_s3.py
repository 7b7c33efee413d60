"""Attachments in S3-compatible storage (moto's server on loopback, started here): upload, streamed download with
the same access checks, removal, the readiness check, and `flask storage move` between local and S3."""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from app.attachments.models import Attachment
from app.extensions import db
from app.meetings.models import Meeting
from app.storage import LocalStorage, S3Storage, StorageError, move_files
from tests.functional.test_attachments import PDF, item, upload  # noqa: F401 (fixture)
from tests.functional.test_meetings_api import group, staff  # noqa: F401 (fixtures)

BUCKET = "prachum-files"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(app, s3_server, monkeypatch):
    """The app's attachments in a fresh bucket of the loopback S3 server."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    bucket = S3Storage(BUCKET, s3_server)
    bucket.client.create_bucket(Bucket=BUCKET)
    for key in list(bucket.keys()):
        bucket.delete(key)
    saved = {key: app.config.get(key) for key in ("PRACHUM_STORAGE", "PRACHUM_S3_BUCKET", "PRACHUM_S3_ENDPOINT")}
    app.config.update(PRACHUM_STORAGE="s3", PRACHUM_S3_BUCKET=BUCKET, PRACHUM_S3_ENDPOINT=s3_server)
    yield bucket
    app.config.update(saved)


def test_upload_download_and_remove_in_s3(app, client, staff, item, group, token_for, s3):  # noqa: F811
    data = PDF + b"x" * 200_000  # several chunks
    response = upload(client, staff, item["id"], data, "รายงาน 9 เดือน.pdf")
    assert response.status_code == 201, response.get_data(as_text=True)
    attachment = response.get_json()
    stored = db.session.get(Attachment, attachment["id"])
    key = stored.storage_key
    assert s3.read(key) == data
    download = client.get(attachment["url"], headers=staff)
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Length"] == str(len(data))
    assert "filename*=UTF-8''%E0%B8%A3%E0%B8%B2%E0%B8%A2" in download.headers["Content-Disposition"]
    member = token_for(group.memberships[1].user)
    assert client.get(attachment["url"], headers=member).status_code == 404  # agenda still a draft
    meeting = db.session.get(Meeting, stored.agenda_item.meeting_id)
    meeting.agenda_state = "published"
    db.session.commit()
    assert client.get(attachment["url"], headers=member).data == data
    removed = client.delete(f"/api/v1/attachments/{attachment['id']}", headers=staff)
    assert removed.status_code in (200, 204), removed.get_data(as_text=True)
    assert not s3.exists(key)


def test_ready_reports_an_unreachable_bucket(app, client, s3):
    assert client.get("/api/v1/ready").get_json()["storage"] == "ok"
    app.config["PRACHUM_S3_BUCKET"] = "no-such-bucket"
    answer = client.get("/api/v1/ready")
    assert answer.status_code == 503 and answer.get_json()["storage"] == "error"


def test_an_unreachable_storage_refuses_the_upload_and_keeps_nothing(app, client, staff, item, s3):  # noqa: F811
    app.config["PRACHUM_S3_ENDPOINT"] = "http://127.0.0.1:1"  # nothing listens
    answer = upload(client, staff, item["id"], PDF, "a.pdf")
    assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "storage_unavailable"
    assert db.session.scalar(select(Attachment.id)) is None


def test_move_from_local_to_s3_and_back(app, client, staff, item, s3, tmp_path):  # noqa: F811
    app.config["PRACHUM_STORAGE"] = "local"
    ids = [upload(client, staff, item["id"], PDF + bytes([n]), f"{n}.pdf").get_json()["id"] for n in range(3)]
    keys = [db.session.get(Attachment, i).storage_key for i in ids]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["storage", "move", "--from", "local", "--to", "s3"])
    assert result.exit_code == 0, result.output
    assert "moved 3 files from local to s3" in result.output
    assert [s3.read(key) for key in keys] == [PDF + bytes([n]) for n in range(3)]
    assert not any(LocalStorage(app.config["PRACHUM_UPLOADS"]).exists(key) for key in keys)
    app.config["PRACHUM_STORAGE"] = "s3"
    assert client.get(f"/attachments/{ids[0]}", headers=staff).data == PDF + bytes([0])
    back = runner.invoke(args=["storage", "move", "--from", "s3", "--to", "local", "--keep"])
    assert back.exit_code == 0 and "moved 3 files" in back.output
    assert all(LocalStorage(app.config["PRACHUM_UPLOADS"]).exists(key) and s3.exists(key) for key in keys)


def test_move_files_checks_every_copy(tmp_path):
    source, target = LocalStorage(tmp_path / "a"), LocalStorage(tmp_path / "b")
    source.put("one.pdf", b"1")
    assert move_files(source, target, ["one.pdf", "gone.pdf"]) == (1, 1)
    assert target.read("one.pdf") == b"1" and not source.exists("one.pdf")
    with pytest.raises(StorageError):
        source.put("../escape", b"x")
