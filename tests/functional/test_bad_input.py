"""No input breaks a request: out-of-range ids, malformed or deeply nested JSON, control characters, lone
surrogates, over-long texts, absurd years, booleans for numbers, unknown fields and tampered forms all get
a 4xx answer with a message (never 500), and nothing is written."""
from __future__ import annotations

import json
import re

import pytest
from werkzeug.datastructures import MultiDict

from app import textlimits
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import ActionItem, Minutes
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)

HUGE_IDS = ["2147483648", "99999999999", "9223372036854775808", "1" + "0" * 40]


@pytest.fixture
def meeting(client, staff, group):  # noqa: F811
    response = schedule(client, staff, group.id, notify=False)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def post_raw(client, url, body: bytes, headers, method="POST"):
    return client.open(url, method=method, data=body, headers={**headers, "Content-Type": "application/json"})


# --- ids beyond the database's integer range -----------------------------------------------------------

@pytest.mark.parametrize("huge", HUGE_IDS)
def test_ids_beyond_the_integer_range_are_not_found(client, staff, make_user, login, meeting, huge):  # noqa: F811
    for path in (f"/api/v1/meetings/{huge}", f"/api/v1/meetings/{huge}/agenda", f"/api/v1/plans/{huge}"):
        assert_error(client.get(path, headers=staff), 404, "not_found")
    assert_error(client.patch(f"/api/v1/meetings/{huge}", json={"title": "x"}, headers=staff), 404)
    login(make_user("secretariat"))
    for path in (f"/meetings/{huge}", f"/meetings/{huge}/minutes", f"/meetings/{huge}.ics"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/meetings/{meeting['id']}").status_code == 200  # the largest ids still match


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_query_string_ids_beyond_the_range_are_ignored_or_refused(client, staff, make_user, login, meeting, huge):  # noqa: F811
    login(make_user("admin"))
    listing = client.get(f"/meetings/?body={huge}&year={huge}")
    assert listing.status_code == 200  # ignored: the whole list
    assert meeting["code"] in listing.get_data(as_text=True)
    assert client.get(f"/meetings/new?body={huge}").status_code == 200
    for path in (f"/reports/dashboard?plan={huge}&round={huge}", f"/admin/users?page={huge}"):
        assert client.get(path).status_code in (200, 404), path
    error = assert_error(client.get(f"/api/v1/meetings?body={huge}", headers=staff), 422)
    assert "body" in error["fields"]
    assert client.get(f"/api/v1/meetings?body={meeting['body_id']}", headers=staff).status_code == 200


def test_json_ids_beyond_the_range_are_refused_by_field(client, staff, group):  # noqa: F811
    error = assert_error(schedule(client, staff, 2**31), 422)
    assert "body_id" in error["fields"]
    error = assert_error(schedule(client, staff, group.id, chair_id=2**63), 422)
    assert "chair_id" in error["fields"]


# --- malformed JSON ----------------------------------------------------------------------------------------

def test_deeply_nested_json_is_a_bad_request(client, staff, group):  # noqa: F811
    for body in (b"[" * 10000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b"[" * 100 + b"]" * 100):
        error = assert_error(post_raw(client, "/api/v1/meetings", body, staff), 400, "malformed_json")
        assert error["message"]
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_brackets_inside_strings_do_not_count_as_nesting(client, staff, group):  # noqa: F811
    body = json.dumps({"body_id": group.id, "starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00",
                       "venue": "ห้อง", "notes": "[" * 5000 + "{" * 5000, "notify": False}).encode()
    response = post_raw(client, "/api/v1/meetings", body, staff)
    assert response.status_code == 201, response.get_data(as_text=True)[:300]


def test_unparseable_json_is_a_bad_request(client, staff):  # noqa: F811
    for body in (b'{"title": ', b"\xff\xfe{}", b"\x00\x01", b'{"title": "\xff"}'):
        assert_error(post_raw(client, "/api/v1/meetings", body, staff), 400, "malformed_json")
    # a surrogate encoded in UTF-8 is read by Python's JSON; it is then refused as a character of the field
    error = assert_error(post_raw(client, "/api/v1/meetings", b'{"title": "\xed\xa0\x80"}', staff), 422)
    assert "อักขระ" in error["fields"]["title"]


# --- characters ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b'"\\ud800"', b'"a\\udfffb"', b'"a\\u0000b"', b'"a\\u001bb"', b'"a\\u0085b"'])
def test_lone_surrogates_and_control_characters_are_refused_by_field(client, staff, group, raw):  # noqa: F811
    for field in (b"title", b"notes", b"venue"):
        body = (b'{"body_id": %d, "starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00", "venue": "x", '
                b'"notify": false, "%s": %s}' % (group.id, field, raw))
        error = assert_error(post_raw(client, "/api/v1/meetings", body, staff), 422, "validation_error")
        assert list(error["fields"]) == [field.decode()], error
        assert "อักขระ" in error["fields"][field.decode()]
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_line_breaks_are_refused_in_one_line_fields_only(client, staff, group):  # noqa: F811
    for field in ("title", "venue"):
        error = assert_error(schedule(client, staff, group.id, notify=False, **{field: "บรรทัดหนึ่ง\nบรรทัดสอง"}), 422)
        assert list(error["fields"]) == [field]
        assert "บรรทัดเดียว" in error["fields"][field]
    response = schedule(client, staff, group.id, notify=False, notes="บรรทัดหนึ่ง\r\n\tบรรทัดสอง")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db.session.get(Meeting, response.get_json()["id"]).notes == "บรรทัดหนึ่ง\r\n\tบรรทัดสอง"


def test_the_web_form_refuses_control_characters_with_a_message(client, make_user, login, group):  # noqa: F811
    login(make_user("secretariat"))
    page = client.get(f"/meetings/new?body={group.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "body_id": str(group.id), "title": "ประชุม\x00ลับ",
            "starts_at": "10/09/2563 09.30", "ends_at": "10/09/2563 12.00", "mode": "onsite", "venue": "ห้อง",
            "confirm_past": "y"}
    response = client.post("/meetings/new", data=data)
    assert response.status_code in (200, 422)
    assert "อักขระที่ใช้ไม่ได้" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


# --- lengths ---------------------------------------------------------------------------------------------

def test_long_texts_stop_at_the_documented_maximum_with_a_thai_message(client, staff, group):  # noqa: F811
    at_limit = schedule(client, staff, group.id, notify=False, notes="ก" * textlimits.LONG_TEXT)
    assert at_limit.status_code == 201, at_limit.get_data(as_text=True)[:300]
    error = assert_error(schedule(client, staff, group.id, notify=False, notes="ก" * (textlimits.LONG_TEXT + 1)), 422)
    assert error["fields"] == {"notes": "ยาวเกิน 100000 ตัวอักษร"}
    error = assert_error(schedule(client, staff, group.id, notify=False, title="ก" * (textlimits.TITLE + 1)), 422)
    assert error["fields"] == {"title": "ยาวเกิน 500 ตัวอักษร"}


def test_the_openapi_document_states_the_limits(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    notes = schemas["MeetingIn"]["properties"]["notes"]["anyOf"][0]
    assert notes["maxLength"] == textlimits.LONG_TEXT
    assert schemas["MeetingIn"]["additionalProperties"] is False


# --- years ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2563-09-10", "1956-09-10", "0001-01-01", "9999-12-31"])
def test_meeting_years_outside_a_sane_range_are_refused(client, staff, group, day):  # noqa: F811
    error = assert_error(schedule(client, staff, group.id, notify=False, starts_at=f"{day}T09:30",
                                  ends_at=f"{day}T12:00"), 422)
    assert {"starts_at", "ends_at"} <= set(error["fields"])
    assert "พ.ศ." in error["fields"]["starts_at"]
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


# --- types and unknown fields ----------------------------------------------------------------------------

def test_booleans_are_not_numbers(client, staff, group, meeting):  # noqa: F811
    error = assert_error(schedule(client, staff, True), 422)
    assert "body_id" in error["fields"]
    error = assert_error(schedule(client, staff, group.id, number=True), 422)
    assert "number" in error["fields"]
    error = assert_error(client.patch(f"/api/v1/meetings/{meeting['id']}", json={"version": True, "title": "x"},
                                      headers=staff), 422)
    assert "version" in error["fields"]


def test_unknown_fields_are_refused_by_name(client, staff, group, meeting):  # noqa: F811
    error = assert_error(schedule(client, staff, group.id, notify=False, colour="red", secret_flag=1), 422)
    assert {"colour", "secret_flag"} <= set(error["fields"])
    assert error["fields"]["colour"] == "ไม่รู้จักช่องข้อมูลนี้"
    error = assert_error(client.put(f"/api/v1/meetings/{meeting['id']}/attendance", headers=staff,
                                     json={"guests": [{"name": "แขก", "rank": "x"}]}), 422)
    assert "guests.0.rank" in error["fields"]


# --- tampered web forms ----------------------------------------------------------------------------------

@pytest.fixture
def minutes_page(client, staff, make_user, login, make_unit, meeting):  # noqa: F811
    item = client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", json={"section": 4, "title": "วาระทดสอบ"},
                       headers=staff).get_json()
    unit = make_unit("PSDG", "กลุ่มพัฒนาระบบบริหาร")
    login(make_user("secretariat"))
    url = f"/meetings/{meeting['id']}/minutes"
    prefix = f"item-{item['id']}-"
    base = {"csrf_token": csrf_from(client.get(url).get_data(as_text=True)), "version": "0",
            "opened_at": "09:30", "closed_at": "12:00", prefix + "discussion": "<p>หารือ</p>",
            prefix + "resolution_kind": "assigned", prefix + "resolution": "ที่ประชุมมีมติมอบหมาย"}
    row = {prefix + "action-id": "", prefix + "action-owner": str(unit.id),
           prefix + "action-description": "จัดทำรายงาน", prefix + "action-due": "2020-10-15"}
    return url, prefix, base, row


@pytest.mark.parametrize("tamper", ["two_descriptions", "owner_not_an_id", "owner_huge", "due_garbage", "id_text"])
def test_a_tampered_minutes_form_is_refused_and_nothing_is_saved(client, minutes_page, tamper):
    url, prefix, base, row = minutes_page
    data = [*base.items(), *row.items()]
    if tamper == "two_descriptions":
        data.append((prefix + "action-description", "งานที่สอง"))
    else:
        field, value = {"owner_not_an_id": ("action-owner", "x"), "owner_huge": ("action-owner", "99999999999"),
                        "due_garbage": ("action-due", "garbage"), "id_text": ("action-id", "abc")}[tamper]
        data = [(k, value if k == prefix + field else v) for k, v in data]
    response = client.post(url, data=MultiDict(data))
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "ไม่ถูกต้อง" in response.get_data(as_text=True) or "ไม่ตรงกัน" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Minutes.id))) == 0
    assert db.session.scalar(db.select(db.func.count(ActionItem.id))) == 0


def test_the_untampered_minutes_form_saves(client, minutes_page):
    url, _prefix, base, row = minutes_page
    response = client.post(url, data={**base, **row})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalar(db.select(ActionItem)).description == "จัดทำรายงาน"


# --- every JSON body of the API, field by field ------------------------------------------------------------

BAD_VALUES = ["\x00", "a\ud800", "x" * (textlimits.LONG_TEXT + 1), 2**63, -(2**63) - 1, True, 1.5, [[[]]], {"x": 1}]


def test_no_bad_field_value_breaks_any_json_endpoint(client, staff, meeting):  # noqa: F811
    """For each write operation in the OpenAPI document and each field of its body, no odd value answers 500."""
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    tried = 0
    for path, operations in document["paths"].items():
        url = re.sub(r"\{[^}]+\}", str(meeting["id"]), "/api/v1" + path.removeprefix("/api/v1"))
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            ref = (content.get("application/json") or {}).get("schema", {}).get("$ref")
            if method not in ("post", "put", "patch") or not ref:
                continue
            fields = schemas[ref.rsplit("/", 1)[1]].get("properties", {})
            for field in fields:
                for value in BAD_VALUES:
                    response = post_raw(client, url, json.dumps({field: value}).encode(), staff, method.upper())
                    assert response.status_code < 500, (method, url, field, repr(value)[:40])
                    tried += 1
    assert tried > 100


def test_links_with_control_characters_or_broken_hosts_are_refused(client, staff, meeting):  # noqa: F811
    for url in ("https://example.org/a\x00b", "https://[::1", "https://example.org/\x1b"):
        error = assert_error(client.patch(f"/api/v1/meetings/{meeting['id']}", headers=staff,
                                          json={"mode": "online", "online_url": url, "notify": False}), 422)
        assert "online_url" in error["fields"]
