"""Search: Thai-aware matching, permissions per role, the index following every change, API and page."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from app.extensions import db
from app.search.models import SearchEntry
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)

TITLE = "การพัฒนาฐานข้อมูลBigDataของกระทรวง"


@pytest.fixture
def meeting(client, staff, group):  # noqa: F811
    return schedule(client, staff, group.id, notify=False).get_json()


@pytest.fixture
def member(group, token_for):  # noqa: F811
    """A member of the group (not the chair)."""
    return token_for(group.memberships[1].user)


def add_item(client, headers, meeting_id, title, section=4, **extra):
    response = client.post(f"/api/v1/meetings/{meeting_id}/agenda-items",
                           json={"section": section, "title": title, **extra}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def publish(client, headers, meeting_id):
    response = client.post(f"/api/v1/meetings/{meeting_id}/agenda/publish", json={"notify": False}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)


def search(client, headers, q):
    response = client.get("/api/v1/search", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def hits(client, headers, q) -> set[tuple[str, int]]:
    return {(r["kind"], r["id"]) for r in search(client, headers, q)}


def test_a_thai_compound_is_found_inside_a_longer_title(client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    results = search(client, staff, "ฐานข้อมูล")
    assert results == [{
        "kind": "agenda_item", "id": item["id"], "title": TITLE,
        "url": f"/meetings/{meeting['id']}/agenda#item-{item['id']}",
        "snippet": "การพัฒนา<mark>ฐานข้อมูล</mark>BigDataของกระทรวง",
    }]
    # Latin is case-insensitive; camel case is split, so all of these find it
    for q in ("bigdata", "BigData", "big data", "DATA", "ข้อมูล", "ฐานข้อมูล กระทรวง"):
        assert hits(client, staff, q) == {("agenda_item", item["id"])}, q
    for q in ("ข้อมูลส่วนบุคคล", "smalldata", "ฐานข้อมูล งบประมาณ"):
        assert hits(client, staff, q) == set(), q


def test_a_draft_agenda_item_is_found_by_the_secretariat_only_until_published(
        client, staff, member, meeting, make_user, token_for):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    viewer = token_for(make_user("viewer"))
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}
    assert hits(client, member, "ฐานข้อมูล") == set()
    assert hits(client, viewer, "ฐานข้อมูล") == set()
    publish(client, staff, meeting["id"])
    assert hits(client, member, "ฐานข้อมูล") == {("agenda_item", item["id"])}
    assert hits(client, viewer, "ฐานข้อมูล") == {("agenda_item", item["id"])}


def test_meetings_of_bodies_the_user_cannot_read_never_appear(
        client, staff, member, meeting, make_body, make_user, add_member, token_for):  # noqa: F811
    outsider = make_user("member")
    add_member(make_body("คณะทำงานอื่น"), outsider)
    outsider_headers = token_for(outsider)
    item = add_item(client, staff, meeting["id"], TITLE)
    publish(client, staff, meeting["id"])
    word = "ติดตามผลการดำเนินงาน"  # in the meeting's title
    assert ("meeting", meeting["id"]) in hits(client, member, word)
    assert hits(client, outsider_headers, word) == set()
    assert hits(client, outsider_headers, "ฐานข้อมูล") == set()
    assert hits(client, member, "ฐานข้อมูล") == {("agenda_item", item["id"])}


def test_editing_and_deleting_an_item_change_the_results(client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    changed = client.patch(f"/api/v1/agenda-items/{item['id']}",
                           json={"title": "แผนพัฒนาระบบสารสนเทศ", "detail": "<p>เชื่อมโยง<b>ข้อมูล</b>กลาง</p>"},
                           headers=staff)
    assert changed.status_code == 200
    assert hits(client, staff, "bigdata") == set()
    assert hits(client, staff, "สารสนเทศ") == {("agenda_item", item["id"])}
    [hit] = search(client, staff, "ข้อมูล กลาง")  # found in the detail: the snippet comes from it
    assert hit["snippet"] == "เชื่อมโยง<mark>ข้อมูลกลาง</mark>"
    assert client.delete(f"/api/v1/agenda-items/{item['id']}", headers=staff).status_code == 204
    assert hits(client, staff, "สารสนเทศ") == set()
    assert db.session.scalar(db.select(SearchEntry).where(SearchEntry.kind == "agenda_item",
                                                          SearchEntry.object_id == item["id"])) is None


def test_a_meeting_is_found_by_title_and_place_and_follows_changes(client, staff, group, meeting):  # noqa: F811
    assert ("meeting", meeting["id"]) in hits(client, staff, "จันทรเกษม")  # the venue
    client.patch(f"/api/v1/meetings/{meeting['id']}", json={"venue": "ห้องประชุมสารนิเทศ", "notify": False,
                                                          "version": meeting["version"]}, headers=staff)
    assert hits(client, staff, "จันทรเกษม") == set()
    assert hits(client, staff, "สารนิเทศ") == {("meeting", meeting["id"])}
    client.post(f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "ติดภารกิจเร่งด่วน", "notify": False},
                headers=staff)
    [hit] = search(client, staff, "เร่งด่วน")
    assert hit["url"] == f"/meetings/{meeting['id']}" and "<mark>เร่งด่วน</mark>" in hit["snippet"]


def test_title_hits_rank_first_then_later_meetings(client, staff, group, meeting):  # noqa: F811
    later = schedule(client, staff, group.id, starts_at="2020-09-24T09:30", ends_at="2020-09-24T12:00",
                     notify=False).get_json()
    in_detail = add_item(client, staff, later["id"], "เรื่องทั่วไป", detail="<p>รายงานความคืบหน้าฐานข้อมูล</p>")
    early_title = add_item(client, staff, meeting["id"], "ฐานข้อมูลบุคลากร")
    late_title = add_item(client, staff, later["id"], "ฐานข้อมูลงบประมาณ")
    assert [r["id"] for r in search(client, staff, "ฐานข้อมูล")] == [late_title["id"], early_title["id"],
                                                                     in_detail["id"]]


def minutes_of(item_id, discussion):
    return {"version": 0, "items": [{"agenda_item_id": item_id, "discussion": discussion,
                                     "resolution_kind": "acknowledged", "resolution": "ที่ประชุมรับทราบ"}]}


def test_minutes_follow_their_state(client, staff, member, group, meeting, make_user, token_for):  # noqa: F811
    item = add_item(client, staff, meeting["id"], "ผลการดำเนินงาน")
    publish(client, staff, meeting["id"])
    discussion = "<p>ฝ่ายเลขานุการรายงานการย้ายฐานข้อมูลขึ้นคลาวด์</p>"
    saved = client.put(f"/api/v1/meetings/{meeting['id']}/minutes", json=minutes_of(item["id"], discussion),
                       headers=staff)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    viewer = token_for(make_user("viewer"))
    minutes_id = db.session.scalar(db.select(SearchEntry.object_id).where(SearchEntry.kind == "minutes"))
    assert minutes_id is not None
    expected = {("minutes", minutes_id)}
    assert hits(client, staff, "คลาวด์") == expected
    assert hits(client, member, "คลาวด์") == set() and hits(client, viewer, "คลาวด์") == set()
    assert client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate", headers=staff).status_code == 200
    assert hits(client, member, "คลาวด์") == expected and hits(client, viewer, "คลาวด์") == set()
    later = schedule(client, staff, group.id, starts_at="2020-09-24T09:30", ends_at="2020-09-24T12:00",
                     notify=False).get_json()
    certified = client.post(f"/api/v1/meetings/{meeting['id']}/minutes/certify", json={"at_meeting_id": later["id"]},
                            headers=staff)
    assert certified.status_code == 200, certified.get_data(as_text=True)
    [hit] = search(client, viewer, "คลาวด์")
    assert hit["url"] == f"/meetings/{meeting['id']}/minutes" and "<mark>คลาวด์</mark>" in hit["snippet"]


def test_a_row_the_index_gets_wrong_is_still_not_shown(client, staff, member, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    db.session.execute(update(SearchEntry).where(SearchEntry.object_id == item["id"]).values(min_state="published"))
    db.session.commit()  # the index now claims a published agenda, the meeting says draft
    assert hits(client, member, "ฐานข้อมูล") == set()


def test_reindex_command_rebuilds_the_index(app, client, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    db.session.execute(db.delete(SearchEntry))
    db.session.commit()
    assert hits(client, staff, "ฐานข้อมูล") == set()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1 meeting, 1 agenda_item, 0 minutes" in result.output
    assert hits(client, staff, "ฐานข้อมูล") == {("agenda_item", item["id"])}


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "ก" * 201}])
def test_a_blank_or_too_long_query_is_422_on_field_q(client, staff, query):  # noqa: F811
    error = assert_error(client.get("/api/v1/search", query_string=query, headers=staff), 422, "validation_error")
    assert "q" in error["fields"]


def test_the_api_needs_authentication(client):
    assert_error(client.get("/api/v1/search?q=x"), 401)


def test_punctuation_only_finds_nothing(client, staff, meeting):  # noqa: F811
    assert search(client, staff, "!!! ๆ") == []


def test_the_page_shows_highlighted_hits(client, login, make_user, staff, meeting):  # noqa: F811
    item = add_item(client, staff, meeting["id"], TITLE)
    login(make_user("secretariat"))
    page = client.get("/search", query_string={"q": "ฐานข้อมูล"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "การพัฒนา<mark>ฐานข้อมูล</mark>BigDataของกระทรวง" in html
    assert f'href="/meetings/{meeting["id"]}/agenda#item-{item["id"]}"' in html
    assert 'name="q"' in html and 'value="ฐานข้อมูล"' in html


def test_the_page_escapes_the_query_and_refuses_a_long_one(client, login, make_user):
    login(make_user("member"))
    page = client.get("/search", query_string={"q": "<script>alert(1)</script>"})
    assert page.status_code == 200 and "<script>alert(1)</script>" not in page.get_data(as_text=True)
    assert client.get("/search").status_code == 200
    assert client.get("/search", query_string={"q": "ก" * 201}).status_code == 422


def test_the_page_needs_a_login(client):
    response = client.get("/search?q=x")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
