"""An expired CSRF token loses nothing typed: the error page keeps the posted fields in a fresh form with a new
token and a "ส่งอีกครั้ง" button; passwords and files are never sent back; the API still answers JSON."""
from __future__ import annotations

import html
import re

from app.extensions import db
from app.minutes.models import Minutes
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)
from tests.functional.test_minutes_web import meetings  # noqa: F401 (fixtures)


def hidden_fields(page: str) -> dict[str, str]:
    form = re.search(r'<form method="post" action="[^"]*" id="resubmit-form">(.*?)</form>', page, re.S).group(1)
    return {html.unescape(n): html.unescape(v)
            for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)}


def test_expired_token_offers_to_resubmit_what_was_typed(client, make_user, login, meetings):  # noqa: F811
    first, _second, item_id = meetings
    login(make_user("secretariat"))
    typed = "<p>สาระที่พิมพ์ไว้นาน &amp; ยาว</p>"
    data = {"csrf_token": "expired", "version": "0", "opened_at": "09:30", "closed_at": "", "recorder": "",
            "checker": "", f"item-{item_id}-discussion": typed, f"item-{item_id}-resolution_kind": "",
            f"item-{item_id}-resolution": "ที่ประชุมรับทราบ", f"item-{item_id}-action-id": "",
            f"item-{item_id}-action-owner": "", f"item-{item_id}-action-description": "",
            f"item-{item_id}-action-due": ""}
    response = client.post(f"/meetings/{first}/minutes", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "CSRF" in page and "ส่งอีกครั้ง" in page
    assert f'action="/meetings/{first}/minutes"' in page
    fields = hidden_fields(page)
    assert fields[f"item-{item_id}-discussion"] == typed and fields["opened_at"] == "09:30"
    assert fields["csrf_token"] != "expired"
    assert db.session.scalar(db.select(Minutes)) is None  # nothing saved yet
    again = client.post(f"/meetings/{first}/minutes", data=fields)
    assert again.status_code == 302, again.get_data(as_text=True)[:300]
    assert db.session.scalar(db.select(Minutes)).items[0].discussion == "<p>สาระที่พิมพ์ไว้นาน &amp; ยาว</p>"


def test_passwords_and_files_are_not_sent_back(client, make_user, login):
    user = make_user("secretariat")
    page = client.post("/login", data={"csrf_token": "expired", "email": user.email, "password": "secret-typed"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "secret-typed" not in text and 'name="password"' not in text
    assert hidden_fields(text)["email"] == user.email
    login(user)
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert token
    import io

    upload = client.post("/agenda-items/1/attachments", data={"csrf_token": "expired", "title": "ไฟล์",
                                                              "file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                         content_type="multipart/form-data")
    assert upload.status_code == 400 and 'id="files-dropped"' in upload.get_data(as_text=True)


def test_the_api_still_answers_json(client, make_user, login):
    login(make_user("secretariat"))
    response = client.post("/api/v1/bodies", json={"name": "x"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
