"""Agenda attachments: type judged by content, size limit, storage outside the web root, access."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.attachments.filetypes import detect_type
from app.attachments.models import Attachment
from app.extensions import db
from app.meetings.models import Meeting
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data,mime", [
    (PDF, "application/pdf"),
    (office("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (office("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (office("ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (b"\x89PNG\r\n\x1a\n0000", "image/png"),
    (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
    (b"MZ\x90\x00 executable", None),
    (b"<html><script>alert(1)</script>", None),
    (office("other/thing.xml"), None),
])
def test_type_is_judged_by_content(data, mime):
    assert detect_type(data) == mime


@pytest.fixture
def item(client, staff, group):  # noqa: F811
    meeting = schedule(client, staff, group.id, notify=False).get_json()
    return client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", json={"section": 4, "title": "รายงาน"},
                       headers=staff).get_json()


def upload(client, headers, item_id, data: bytes, name: str):
    return client.post(f"/api/v1/agenda-items/{item_id}/attachments", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_upload_and_download_by_readers_only(app, client, staff, item, group, token_for, make_user):  # noqa: F811
    response = upload(client, staff, item["id"], PDF, "รายงาน 9 เดือน.pdf")
    assert response.status_code == 201, response.get_data(as_text=True)
    attachment = response.get_json()
    assert attachment["content_type"] == "application/pdf" and attachment["title"] == "รายงาน 9 เดือน.pdf"
    stored = db.session.get(Attachment, attachment["id"])
    path = Path(app.config["PRACHUM_UPLOADS"]) / stored.storage_key
    assert path.read_bytes() == PDF and "static" not in str(path)
    assert client.get(attachment["url"], headers=staff).data == PDF
    member = token_for(group.memberships[1].user)
    assert client.get(attachment["url"], headers=member).status_code == 404  # agenda still a draft
    meeting = db.session.get(Meeting, stored.agenda_item.meeting_id)
    meeting.agenda_state = "published"
    db.session.commit()
    assert client.get(attachment["url"], headers=member).status_code == 200
    assert client.get(attachment["url"], headers=token_for(make_user("member"))).status_code == 404


def test_disguised_and_oversize_files_are_refused(app, client, staff, item):
    error = assert_error(upload(client, staff, item["id"], b"MZ\x90\x00 not a pdf", "report.pdf"), 422)
    assert "file" in error["fields"]
    app.config["MAX_ATTACHMENT_MB"] = 1
    try:
        big = PDF + b"0" * (1024 * 1024 + 10)
        assert "file" in assert_error(upload(client, staff, item["id"], big, "big.pdf"), 422)["fields"]
    finally:
        app.config["MAX_ATTACHMENT_MB"] = 20
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0
    assert not any(Path(app.config["PRACHUM_UPLOADS"]).glob("*")) if Path(app.config["PRACHUM_UPLOADS"]).exists() else True


def test_links_and_deletion(client, staff, item, make_user, token_for):
    link = client.post(f"/api/v1/agenda-items/{item['id']}/links", json={"url": "https://www.moe.go.th/x"},
                       headers=staff)
    assert link.status_code == 201 and link.get_json()["kind"] == "link"
    assert_error(client.post(f"/api/v1/agenda-items/{item['id']}/links", json={"url": "javascript:x"},
                             headers=staff), 422)
    assert_error(client.delete(f"/api/v1/attachments/{link.get_json()['id']}",
                               headers=token_for(make_user("member"))), 403)
    assert client.delete(f"/api/v1/attachments/{link.get_json()['id']}", headers=staff).status_code == 204
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_members_cannot_upload(client, item, make_user, token_for):
    assert_error(upload(client, token_for(make_user("member")), item["id"], PDF, "x.pdf"), 403)
