"""The API keeps its written contract: actions take an empty body, the OpenAPI document declares the error
shape really sent, lists come as `items`, and an Idempotency-Key makes a retried creation harmless."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.agenda.models import AgendaItem
from app.api.models import IdempotencyKey
from app.audit.models import AuditEvent
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import Minutes
from app.reports.models import ProgressReport
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)
from tests.functional.test_minutes_api import content, new_meeting
from tests.functional.test_reports_api import filed, world  # noqa: F401 (fixture)

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}


def meetings_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Meeting))


@pytest.fixture
def meeting(client, staff, group):  # noqa: F811
    """A meeting of the group with two agenda items in section 4 (draft agenda)."""
    return new_meeting(client, staff, group)


# --- actions with no body -------------------------------------------------------------------------

def test_publish_takes_no_body_at_all(client, staff, meeting):  # noqa: F811
    response = client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["state"] == "published"
    db.session.expire_all()
    assert db.session.get(Meeting, meeting["id"]).agenda_state == "published"


def test_publish_checks_the_version_when_sent(client, staff, meeting):  # noqa: F811
    url = f"/api/v1/meetings/{meeting['id']}/agenda/publish"
    stale = meeting["version"] + 5
    assert_error(client.post(url, json={"version": stale, "notify": False}, headers=staff), 409)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting["id"]).agenda_state == "draft"
    current = db.session.get(Meeting, meeting["id"]).version
    response = client.post(url, json={"version": current, "notify": False}, headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_circulate_takes_no_body_and_checks_a_version_sent(client, staff, meeting):  # noqa: F811
    saved = client.put(f"/api/v1/meetings/{meeting['id']}/minutes", json=content(meeting), headers=staff)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    url = f"/api/v1/meetings/{meeting['id']}/minutes/circulate"
    assert_error(client.post(url, json={"version": 7}, headers=staff), 409)
    db.session.expire_all()
    assert db.session.scalar(select(Minutes.state).where(Minutes.meeting_id == meeting["id"])) == "draft"
    response = client.post(url, headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["state"] == "circulated"


def test_submit_and_accept_take_no_body(client, world):  # noqa: F811
    report = filed(client, world)
    submitted = client.post(f"/api/v1/reports/{report['id']}/submit", headers=world.headers["ict"])
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    assert submitted.get_json()["state"] == "submitted"
    url = f"/api/v1/reports/{report['id']}/accept"
    assert_error(client.post(url, json={"version": 99}, headers=world.headers["secretariat"]), 409)
    accepted = client.post(url, headers=world.headers["secretariat"])
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProgressReport, report["id"]).state == "accepted"


def test_an_action_body_still_refuses_unknown_fields_and_wrong_types(client, staff, meeting):  # noqa: F811
    url = f"/api/v1/meetings/{meeting['id']}/agenda/publish"
    assert "notfy" in assert_error(client.post(url, json={"notfy": False}, headers=staff), 422)["fields"]
    assert_error(client.post(url, data="notify", headers={**staff, "Content-Type": "text/plain"}), 400)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting["id"]).agenda_state == "draft"


# --- the OpenAPI document -------------------------------------------------------------------------

@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_400_and_422_is_declared_as_the_error_shape_sent(document):
    seen = 0
    for path, method, operation in operations(document):
        assert "422" in operation["responses"], (path, method)
        for status in ("400", "422"):
            response = operation["responses"].get(status)
            if response is not None:
                seen += 1
                assert response["content"]["application/json"]["schema"] == ERROR_REF, (path, method, status)
        if "requestBody" in operation:
            assert "400" in operation["responses"], (path, method)
    assert seen > 50
    assert "ValidationErrorModel" not in str(document)
    error = document["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["error"]


def test_the_422_actually_sent_has_that_shape(client, staff):  # noqa: F811
    error = assert_error(client.post("/api/v1/meetings", json={"body_id": "x"}, headers=staff), 422,
                         "validation_error")
    assert {"body_id", "starts_at", "ends_at"} <= set(error["fields"])


def test_posts_document_the_idempotency_key_and_actions_an_optional_body(document):
    for path, method, operation in operations(document):
        names = {(p["name"], p["in"]) for p in operation.get("parameters", [])}
        assert (("Idempotency-Key", "header") in names) == (method == "post"), (path, method)
    for path in ("/api/v1/meetings/{id}/agenda/publish", "/api/v1/meetings/{id}/minutes/circulate",
                 "/api/v1/reports/{id}/submit", "/api/v1/reports/{id}/accept"):
        assert document["paths"][path]["post"]["requestBody"]["required"] is False, path
    assert document["paths"]["/api/v1/meetings"]["post"]["requestBody"]["required"] is True


# --- search lists its hits as items ---------------------------------------------------------------

def test_search_returns_items_and_results_for_one_release(client, staff, meeting):  # noqa: F811
    response = client.get("/api/v1/search", query_string={"q": "เรื่องเพื่อทราบ"}, headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["items"] == body["results"]
    assert {(hit["kind"], hit["id"]) for hit in body["items"]} >= {("agenda_item", i) for i in meeting["agenda_ids"]}


# --- Idempotency-Key ------------------------------------------------------------------------------

def post_meeting(client, headers, body_id, key, **overrides):
    return schedule(client, {**headers, "Idempotency-Key": key}, body_id, notify=False, **overrides)


def test_a_retried_creation_answers_the_first_result(client, staff, group):  # noqa: F811
    first = post_meeting(client, staff, group.id, "9b1f0c1e-retry")
    assert first.status_code == 201, first.get_data(as_text=True)
    again = post_meeting(client, staff, group.id, "9b1f0c1e-retry")
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers.get("Idempotent-Replayed") == "true" and "Idempotent-Replayed" not in first.headers
    assert meetings_count() == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "meeting.create")) == 1
    other = post_meeting(client, staff, group.id, "another-key")
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]
    assert meetings_count() == 2


def test_the_same_key_with_another_body_or_path_is_refused(client, staff, group):  # noqa: F811
    first = post_meeting(client, staff, group.id, "k-1")
    assert first.status_code == 201
    changed = post_meeting(client, staff, group.id, "k-1", venue="ห้องประชุมอื่น")
    error = assert_error(changed, 422, "idempotency_key_reused")
    assert "Idempotency-Key" in error["fields"]
    elsewhere = client.post(f"/api/v1/meetings/{first.get_json()['id']}/agenda-items",
                            json={"section": 4, "title": "เรื่องใหม่"}, headers={**staff, "Idempotency-Key": "k-1"})
    assert_error(elsewhere, 422, "idempotency_key_reused")
    assert meetings_count() == 1
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_keys_belong_to_one_user(client, staff, group, make_user, token_for):  # noqa: F811
    colleague = token_for(make_user("secretariat"))
    mine = post_meeting(client, staff, group.id, "shared-key").get_json()
    theirs = post_meeting(client, colleague, group.id, "shared-key")
    assert theirs.status_code == 201 and theirs.get_json()["id"] != mine["id"]
    assert meetings_count() == 2


def test_a_refused_request_keeps_no_key_and_can_be_retried(client, staff, group):  # noqa: F811
    refused = post_meeting(client, staff, group.id, "k-fix", mode="online")  # online needs a link
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
    fixed = post_meeting(client, staff, group.id, "k-fix")
    assert fixed.status_code == 201
    assert meetings_count() == 1


def test_keys_expire_after_a_day(client, staff, group):  # noqa: F811
    first = post_meeting(client, staff, group.id, "k-old").get_json()
    stored = db.session.scalar(select(IdempotencyKey))
    assert (stored.key, stored.request, stored.status) == ("k-old", "POST /api/v1/meetings", 201)
    assert len(stored.body_hash) == 64
    db.session.execute(update(IdempotencyKey).values(created_at=stored.created_at - timedelta(hours=25)))
    db.session.commit()
    later = post_meeting(client, staff, group.id, "k-old")
    assert later.status_code == 201 and later.get_json()["id"] != first["id"]
    assert meetings_count() == 2
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1  # the expired one is gone


@pytest.mark.parametrize("key", ["", "x" * 256, "ไทย"])
def test_a_malformed_key_is_400(client, staff, group, key):  # noqa: F811
    assert_error(post_meeting(client, staff, group.id, key), 400, "invalid_idempotency_key")
    assert meetings_count() == 0


def test_an_action_can_be_retried_with_its_key(client, staff, meeting):  # noqa: F811
    url = f"/api/v1/meetings/{meeting['id']}/agenda/publish"
    headers = {**staff, "Idempotency-Key": "publish-once"}
    first = client.post(url, headers=headers)
    assert first.status_code == 200, first.get_data(as_text=True)
    again = client.post(url, headers=headers)  # without the key this would be 409 (already published)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert_error(client.post(url, headers=staff), 409)


def test_a_retried_upload_stores_one_file_and_another_file_is_refused(client, world):  # noqa: F811
    from app.attachments.models import Attachment

    report = filed(client, world)
    url = f"/api/v1/reports/{report['id']}/attachments"
    headers = {**world.headers["ict"], "Idempotency-Key": "upload-1"}

    def send(content: bytes):
        # each request gets a fresh multipart boundary, as a real client's retry would
        return client.post(url, headers=headers, data={"file": (io.BytesIO(content), "หลักฐาน.pdf")},
                           content_type="multipart/form-data")

    first = send(b"%PDF-1.4 minutes of the meeting\n%%EOF")
    assert first.status_code == 201, first.get_data(as_text=True)
    again = send(b"%PDF-1.4 minutes of the meeting\n%%EOF")
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert_error(send(b"%PDF-1.4 another document\n%%EOF"), 422, "idempotency_key_reused")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
