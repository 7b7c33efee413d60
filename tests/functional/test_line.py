"""LINE Official Account: linking by one-time code through the signed webhook, pushes of the notices to a
fake Messaging API on loopback (the SDK pointed at it by LINE_API_BASE_URL), retries, and LINE switched off."""
from __future__ import annotations

import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import func, select

from app import thaidates
from app.audit.models import AuditEvent
from app.auth.models import User
from app.dbtypes import utcnow
from app.extensions import db
from app.notify.models import LineLinkCode, OutgoingLine
from tests.conftest import csrf_from
from tests.functional.fake_line import line_api, signature, text_message_webhook  # noqa: F401

LINE_ID = "U4af4980629a1b2c3d4e5f60718293a4b"


@pytest.fixture
def people(make_user, make_body, add_member):
    """A working group with a LINE-linked member, a member without LINE, and the secretariat."""
    body = make_body("คณะทำงานติดตามผล")
    linked = make_user("member", name="นายลิงก์ ไลน์")
    linked.line_user_id, linked.line_linked_at = LINE_ID, utcnow()
    plain = make_user("member", name="นางอีเมล อย่างเดียว")
    staff = make_user("secretariat", name="นางเลขา ทดสอบ")
    add_member(body, linked)
    add_member(body, plain)
    db.session.commit()
    return body, linked, plain, staff


def mails(outbox) -> list:
    if not outbox.exists():
        return []
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]


def mails_to(outbox, email: str) -> list:
    return [m for m in mails(outbox) if m["To"].addresses[0].addr_spec == email]


def plain_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def new_meeting(client, headers, body_id: int) -> dict:
    starts = thaidates.to_bangkok(utcnow()) + timedelta(days=10)
    response = client.post("/api/v1/meetings", headers=headers, json={
        "body_id": body_id, "title": "การประชุมคณะทำงานติดตามผล", "notify": False, "mode": "onsite",
        "venue": "ห้องประชุมจันทรเกษม", "starts_at": starts.strftime("%Y-%m-%dT09:30"),
        "ends_at": starts.strftime("%Y-%m-%dT12:00")})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def profile_code(client, login, user, *, signed_in: bool = False) -> str:
    """Sign in, ask for a link code on /profile, and read it off the page."""
    if not signed_in:
        login(user)
    page = client.get("/profile").get_data(as_text=True)
    shown = client.post("/profile/line/code", data={"csrf_token": csrf_from(page)})
    assert shown.status_code == 200
    match = re.search(r'id="line-code".*?font-monospace[^>]*>([A-Z0-9]{6})<', shown.get_data(as_text=True), re.S)
    assert match, "no code on the page"
    return match.group(1)


def post_webhook(client, body: bytes, sig: str | None):
    headers = {"Content-Type": "application/json"}
    if sig is not None:
        headers["X-Line-Signature"] = sig
    return client.post("/line/webhook", data=body, headers=headers)


# --- linking ---------------------------------------------------------------------------------------------

def test_a_member_links_line_with_the_code_shown_on_the_profile(client, login, make_user, line_api):  # noqa: F811
    user = make_user("member", name="นายสมชาย ใจดี")
    code = profile_code(client, login, user)
    stored = db.session.scalar(select(LineLinkCode).where(LineLinkCode.user_id == user.id))
    assert stored.code_hash != code and code not in stored.code_hash  # only a hash is kept

    body = text_message_webhook(LINE_ID, f" {code.lower()} ")  # typed on a phone: spaces, lower case
    assert post_webhook(client, body, signature(body)).status_code == 200

    db.session.expire_all()
    assert db.session.get(User, user.id).line_user_id == LINE_ID
    assert db.session.scalar(select(func.count()).select_from(LineLinkCode)) == 0  # used up
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "line.link", AuditEvent.object_id == user.id)) == 1
    [push] = line_api.pushes()
    assert push.headers["Authorization"] == "Bearer test-channel-access-token"
    assert push.body["to"] == LINE_ID and push.body["messages"][0]["type"] == "text"
    assert "นายสมชาย ใจดี" in push.body["messages"][0]["text"]

    page = client.get("/profile").get_data(as_text=True)
    assert "เชื่อมบัญชี LINE แล้ว" in page and 'name="line:agenda.published"' in page
    # the same code does not link twice
    other = make_user("member")
    body = text_message_webhook("U000000000000000000000000000000ff", code)
    assert post_webhook(client, body, signature(body)).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, other.id).line_user_id is None


@pytest.mark.parametrize("sig", [None, "", "bm90IHRoZSBzaWduYXR1cmU=", "wrong"])
def test_a_webhook_with_a_wrong_signature_is_refused_and_links_nobody(client, login, make_user, line_api,  # noqa: F811
                                                                     sig):
    user = make_user("member")
    code = profile_code(client, login, user)
    body = text_message_webhook(LINE_ID, code)
    assert post_webhook(client, body, sig).status_code == 403
    signed_by_someone_else = signature(body, secret="another-channel-secret")
    assert post_webhook(client, body, signed_by_someone_else).status_code == 403
    tampered = text_message_webhook("U00000000000000000000000000000bad", code)
    assert post_webhook(client, tampered, signature(body)).status_code == 403  # signature of another body
    db.session.expire_all()
    assert db.session.get(User, user.id).line_user_id is None
    assert db.session.scalar(select(func.count()).select_from(LineLinkCode)) == 1  # still usable
    assert line_api.requests == []


def test_an_expired_code_links_nobody_and_is_answered(client, login, make_user, line_api):  # noqa: F811
    user = make_user("member")
    code = profile_code(client, login, user)
    stored = db.session.scalar(select(LineLinkCode).where(LineLinkCode.user_id == user.id))
    stored.expires_at = utcnow() - timedelta(seconds=1)  # issued 15 minutes and a second ago
    db.session.commit()
    body = text_message_webhook(LINE_ID, code, reply_token="nHuyWiB7yP5Zw52FIkcQobQuGDXCTA")
    assert post_webhook(client, body, signature(body)).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, user.id).line_user_id is None
    assert line_api.pushes() == []
    [reply] = line_api.replies()
    assert reply.body["replyToken"] == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"
    assert "หมดอายุ" in reply.body["messages"][0]["text"]


def test_a_new_code_replaces_the_previous_one(client, login, make_user, line_api):  # noqa: F811
    user = make_user("member")
    first = profile_code(client, login, user)
    second = profile_code(client, login, user, signed_in=True)
    assert db.session.scalar(select(func.count()).select_from(LineLinkCode)) == 1
    if first != second:
        body = text_message_webhook(LINE_ID, first)
        post_webhook(client, body, signature(body))
        db.session.expire_all()
        assert db.session.get(User, user.id).line_user_id is None
    body = text_message_webhook(LINE_ID, second)
    post_webhook(client, body, signature(body))
    db.session.expire_all()
    assert db.session.get(User, user.id).line_user_id == LINE_ID


def test_unlinking_on_the_profile_stops_the_pushes(client, login, people, token_for, outbox, line_api):  # noqa: F811
    body, linked, _plain, staff = people
    login(linked)
    page = client.get("/profile").get_data(as_text=True)
    assert client.post("/profile/line/unlink", data={"csrf_token": csrf_from(page)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, linked.id).line_user_id is None
    meeting = new_meeting(client, token_for(staff), body.id)
    client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=token_for(staff))
    assert line_api.pushes() == []
    assert mails_to(outbox, linked.email)  # e-mail goes on


# --- notices on LINE ---------------------------------------------------------------------------------------

def test_a_linked_member_gets_agenda_and_minutes_notices_on_line_and_by_mail(client, people, token_for, outbox,
                                                                           make_unit, line_api):  # noqa: F811
    body, linked, plain, staff = people
    headers = token_for(staff)
    meeting = new_meeting(client, headers, body.id)
    item = client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", headers=headers,
                       json={"section": 4, "title": "ผลการดำเนินงานรอบ 9 เดือน"}).get_json()
    published = client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=headers)
    assert published.status_code == 200

    agenda_link = f"http://localhost/meetings/{meeting['id']}/agenda"
    [agenda_push] = line_api.texts_to(LINE_ID)
    assert "ผลการดำเนินงานรอบ 9 เดือน" in agenda_push and agenda_link in agenda_push
    for user in (linked, plain):  # e-mail on by default, with or without LINE
        [mail] = mails_to(outbox, user.email)
        assert agenda_link in plain_text(mail) and plain_text(mail).startswith(f"เรียน {user.name}")

    # the linked member wants circulated minutes on LINE only
    login_headers = token_for(linked)
    assert client.put("/api/v1/me/notifications", headers=login_headers, json={
        "kinds": {"minutes.circulated": {"email": False, "line": True}}}).status_code == 200
    saved = client.put(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers, json={
        "version": 0, "items": [{"agenda_item_id": item["id"], "resolution_kind": "acknowledged",
                                 "resolution": "ที่ประชุมรับทราบ"}]})
    assert saved.status_code == 200, saved.get_json()
    deadline = thaidates.today_bangkok() + timedelta(days=7)
    circulated = client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate", headers=headers,
                             json={"comment_deadline": deadline.isoformat()})
    assert circulated.status_code == 200, circulated.get_json()
    assert circulated.get_json()["comment_deadline"] == deadline.isoformat()

    minutes_link = f"http://localhost/meetings/{meeting['id']}/minutes"
    pushes = line_api.texts_to(LINE_ID)
    assert len(pushes) == 2
    assert minutes_link in pushes[1] and thaidates.thai_date(deadline, "long") in pushes[1]
    assert len(mails_to(outbox, linked.email)) == 1  # no e-mail for the circulation: LINE only
    [_agenda, circulation] = mails_to(outbox, plain.email)
    assert minutes_link in plain_text(circulation) and thaidates.thai_date(deadline, "long") in plain_text(circulation)
    assert line_api.pushes()[0].headers.get("X-Line-Retry-Key")  # a retried push is delivered once


def test_a_failed_push_is_kept_and_retried_by_flask_line_send(app, client, people, token_for, line_api):  # noqa: F811
    body, _linked, _plain, staff = people
    meeting = new_meeting(client, token_for(staff), body.id)
    line_api.fail_next = 1
    assert client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=token_for(staff)).status_code == 200
    push = db.session.scalar(select(OutgoingLine))
    assert push.sent_at is None and push.attempts == 1 and "500" in push.last_error
    result = app.test_cli_runner().invoke(args=["line", "send"])
    assert result.exit_code == 0 and "sent 1, failed 0" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(OutgoingLine)).sent_at is not None
    first, second = line_api.pushes()
    assert first.body == second.body and first.headers["X-Line-Retry-Key"] == second.headers["X-Line-Retry-Key"]


# --- LINE not configured ------------------------------------------------------------------------------------

def test_without_line_configured_options_are_hidden_and_nothing_is_pushed(client, login, people, token_for,
                                                                          outbox):
    body, linked, _plain, staff = people
    login(linked)
    page = client.get("/profile").get_data(as_text=True)
    assert 'name="email:agenda.published"' in page
    assert 'name="line:agenda.published"' not in page and "ขอรหัสเชื่อม LINE" not in page
    assert client.post("/profile/line/code", data={"csrf_token": csrf_from(page)}).status_code == 404
    webhook = text_message_webhook(LINE_ID, "ABCDEF")
    assert post_webhook(client, webhook, signature(webhook)).status_code == 404
    meeting = new_meeting(client, token_for(staff), body.id)
    client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=token_for(staff))
    assert db.session.scalar(select(func.count()).select_from(OutgoingLine)) == 0
    assert mails_to(outbox, linked.email)
