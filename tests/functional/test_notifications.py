"""Notices of every step: preferences (API and /profile), the secretariat's reminder buttons, the scheduled
`flask reminders send` (idempotent per person, kind, object and day), the HTML part, the comment deadline."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import thaidates
from app.auth.models import User
from app.extensions import db
from app.mail.models import OutgoingMail
from app.minutes.models import ActionItem
from app.notify.kinds import KINDS
from app.notify.models import NoticeSent, NotificationPreference
from app.reports.models import ProgressReport, ReportingRound
from tests.conftest import csrf_from
from tests.functional.test_line import LINE_ID, mails, mails_to, new_meeting, people, plain_text  # noqa: F401


def demo_user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local}@demo.prachum.in.th"))


def checkbox(page: str, name: str) -> str:
    """The <input> tag of the named check box."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, name
    return match.group(0)


def kinds_of(outbox) -> list[str]:
    return sorted(p.name.split("-", 2)[1] for p in outbox.glob("*.eml")) if outbox.exists() else []


# --- preferences -------------------------------------------------------------------------------------------

def test_preferences_through_the_api(client, make_user, token_for):
    user = make_user("member")
    headers = token_for(user)
    kinds = client.get("/api/v1/me/notifications", headers=headers).get_json()["kinds"]
    assert set(kinds) == set(KINDS)
    assert all(c == {"email": True, "line": False} for c in kinds.values())  # e-mail on; LINE off: not linked

    changed = client.put("/api/v1/me/notifications", headers=headers, json={
        "kinds": {"agenda.published": {"email": False}, "minutes.certified": {"line": True}}})
    assert changed.status_code == 200
    kinds = changed.get_json()["kinds"]
    assert kinds["agenda.published"] == {"email": False, "line": False}
    assert kinds["minutes.certified"] == {"email": True, "line": True}
    assert client.get("/api/v1/me/notifications", headers=headers).get_json()["kinds"] == kinds

    unknown = client.put("/api/v1/me/notifications", headers=headers,
                         json={"kinds": {"agenda.published": {"email": True}, "meeting.gossip": {"email": True}}})
    assert unknown.status_code == 422 and "kinds.meeting.gossip" in unknown.get_json()["error"]["fields"]
    for bad in ({"kinds": {"agenda.published": {"email": "yes"}}}, {"kinds": {"agenda.published": {"sms": True}}},
                {"kinds": []}, {"email": True}):
        assert client.put("/api/v1/me/notifications", headers=headers, json=bad).status_code == 422, bad
    assert client.get("/api/v1/me/notifications", headers=headers).get_json()["kinds"] == kinds  # unchanged
    assert client.get("/api/v1/me/notifications").status_code == 401


def test_a_linked_user_has_line_on_by_default(client, make_user, token_for):
    user = make_user("member")
    user.line_user_id = LINE_ID
    db.session.commit()
    kinds = client.get("/api/v1/me/notifications", headers=token_for(user)).get_json()["kinds"]
    assert all(c == {"email": True, "line": True} for c in kinds.values())


def test_preferences_on_the_profile_decide_who_is_mailed(app, client, demo, login, make_user, token_for, outbox):
    report = db.session.scalar(select(ProgressReport).where(ProgressReport.state == "submitted"))
    make_user("reporter", unit=report.unit)  # a second reporter, who keeps the defaults
    reporters = db.session.scalars(select(User).where(User.unit_id == report.unit_id, User.role == "reporter",
                                                      User.is_active_user.is_(True)).order_by(User.id)).all()
    chooser = reporters[0]  # the demo's reporter (demo password), created before the one above
    login(chooser, app.config["DEMO_PASSWORD"])
    page = client.get("/profile").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page)}
    form.update({f"email:{kind}": "on" for kind in KINDS if kind != "report.returned"})  # untick one box
    assert client.post("/profile/notifications", data=form).status_code == 302
    pref = db.session.scalar(select(NotificationPreference).where(
        NotificationPreference.user_id == chooser.id, NotificationPreference.kind == "report.returned"))
    assert pref is not None and pref.email is False
    page = client.get("/profile").get_data(as_text=True)
    assert "checked" not in checkbox(page, "email:report.returned")
    assert "checked" in checkbox(page, "email:agenda.published")

    staff = token_for(demo_user("secretariat"))
    returned = client.post(f"/api/v1/reports/{report.id}/return", headers=staff,
                           json={"comment": "กรุณาแนบหลักฐาน", "version": report.version})
    assert returned.status_code == 200, returned.get_json()
    to = {m["To"].addresses[0].addr_spec for m in mails(outbox)}
    assert chooser.email not in to
    assert len(reporters) >= 2 and {r.email for r in reporters[1:]} <= to


# --- reminder buttons ----------------------------------------------------------------------------------------

def test_the_meeting_reminder_goes_only_to_members_who_have_not_answered(app, client, login, people, make_user,
                                                                       add_member, token_for, outbox):
    body, linked, plain, staff = people
    third = make_user("member", name="นายตอบแล้ว")
    add_member(body, third)
    meeting = new_meeting(client, token_for(staff), body.id)
    assert client.post(f"/api/v1/meetings/{meeting['id']}/rsvp", headers=token_for(third),
                       json={"response": "accepted"}).status_code == 200

    login(staff)
    page = client.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    assert "เตือนผู้ที่ยังไม่ตอบ" in page
    sent = client.post(f"/meetings/{meeting['id']}/remind", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True)
    assert sent.status_code == 200 and "2 คน" in sent.get_data(as_text=True)
    reminded = {m["To"].addresses[0].addr_spec for m in mails(outbox)}
    assert reminded == {linked.email, plain.email}
    message = mails_to(outbox, plain.email)[0]
    assert "ตอบรับ" in message["Subject"] and f"http://localhost/meetings/{meeting['id']}" in plain_text(message)

    again = client.post(f"/api/v1/meetings/{meeting['id']}/remind", headers=token_for(staff))
    assert again.status_code == 200 and again.get_json() == {"sent": 0}  # reminded today already
    assert len(mails(outbox)) == 2

    member_headers = token_for(plain)
    assert client.post(f"/api/v1/meetings/{meeting['id']}/remind", headers=member_headers).status_code == 403
    other = login(plain, c=app.test_client())
    assert "เตือนผู้ที่ยังไม่ตอบ" not in other.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    assert client.post(f"/api/v1/meetings/{meeting['id'] + 999}/remind", headers=token_for(staff)).status_code == 404


def test_the_round_reminder_goes_to_reporters_of_units_that_still_owe(client, demo, login, app, token_for, outbox):
    round9 = db.session.scalar(select(ReportingRound).where(ReportingRound.months == 9))
    login(demo_user("secretariat"), app.config["DEMO_PASSWORD"])
    page = client.get(f"/rounds/{round9.id}").get_data(as_text=True)
    assert "เตือนหน่วยงานที่ยังไม่ส่ง" in page

    answer = client.post(f"/api/v1/rounds/{round9.id}/remind", headers=token_for(demo_user("secretariat")))
    assert answer.status_code == 200
    reminded = {m["To"].addresses[0].addr_spec for m in mails(outbox)}
    assert answer.get_json() == {"sent": len(reminded)}
    # ICT has filed nothing, ONIE misses 2.2, BLA misses 3.4; OTEPC delivered everything
    assert {"reporter.ict@demo.prachum.in.th", "reporter.onie@demo.prachum.in.th",
            "reporter.bla@demo.prachum.in.th"} <= reminded
    assert "reporter.otepc@demo.prachum.in.th" not in reminded
    assert all(u.endswith("@demo.prachum.in.th") and u.startswith("reporter.") for u in reminded)
    ict = mails_to(outbox, "reporter.ict@demo.prachum.in.th")[0]
    assert "1.2" in plain_text(ict) and "http://localhost/reports/mine" in plain_text(ict)
    kind = "round.late" if round9.due_date < thaidates.today_bangkok() else "round.due"
    assert set(kinds_of(outbox)) == {kind}

    again = client.post(f"/rounds/{round9.id}/remind", data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert "ไม่มีหน่วยงานที่ต้องเตือน" in again.get_data(as_text=True)  # the same day: nobody twice
    reporter = token_for(demo_user("reporter.ict"))
    assert client.post(f"/api/v1/rounds/{round9.id}/remind", headers=reporter).status_code in (403, 404)


# --- the scheduled run ---------------------------------------------------------------------------------------

@pytest.fixture
def assigned(client, people, make_unit, make_user, token_for):
    """A meeting 10 days ahead whose circulated minutes assign an ICT action due 20 days ahead."""
    body, linked, plain, staff = people
    unit = make_unit("ICT", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร")
    reporter = make_user("reporter", unit=unit, name="นายผู้รายงาน ไอซีที")
    headers = token_for(staff)
    meeting = new_meeting(client, headers, body.id)
    item = client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", headers=headers,
                       json={"section": 5, "title": "ระบบสารบรรณอิเล็กทรอนิกส์"}).get_json()
    due = thaidates.today_bangkok() + timedelta(days=20)
    saved = client.put(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers, json={
        "version": 0, "items": [{"agenda_item_id": item["id"], "resolution_kind": "assigned",
                                 "resolution": "มอบหมาย ICT", "actions": [
                                     {"owner_unit_id": unit.id, "description": "เชื่อมโยงระบบกับ 5 หน่วยงาน",
                                      "due_date": due.isoformat()}]}]})
    assert saved.status_code == 200, saved.get_json()
    return meeting, reporter, due


def test_an_action_reaches_its_unit_when_the_minutes_are_circulated(client, people, assigned, token_for, outbox):
    meeting, reporter, due = assigned
    assert mails_to(outbox, reporter.email) == []  # a draft assigns nothing yet
    staff = people[3]
    assert client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate",
                       headers=token_for(staff)).status_code == 200
    [notice] = mails_to(outbox, reporter.email)
    text = plain_text(notice)
    assert "เชื่อมโยงระบบกับ 5 หน่วยงาน" in text and thaidates.thai_date(due, "long") in text
    action_id = db.session.scalar(db.select(ActionItem.id))
    assert f"http://localhost/actions/{action_id}" in text  # where the unit records its progress


def test_flask_reminders_send_twice_the_same_day_sends_nothing_new(app, client, people, assigned, token_for,
                                                                     outbox):
    meeting, reporter, due = assigned
    body, linked, plain, staff = people
    meeting_day = thaidates.bangkok_date(thaidates.parse_local_datetime(meeting["starts_at"]))

    def run(day: date) -> str:
        result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    run(due - timedelta(days=7))
    assert mails(outbox) == []  # the minutes are a draft: their action is nobody's yet
    assert client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate",
                       headers=token_for(staff)).status_code == 200
    for path in outbox.glob("*.eml"):
        path.unlink()

    # three days before the meeting: the members who have not answered
    run(meeting_day - timedelta(days=3))
    assert {m["To"].addresses[0].addr_spec for m in mails(outbox)} == {linked.email, plain.email}
    assert set(kinds_of(outbox)) == {"invitation.unanswered"}
    output = run(meeting_day - timedelta(days=3))
    assert "queued 0" in output and len(mails(outbox)) == 2
    # seven days before the action's due date, then the day after it
    run(due - timedelta(days=7))
    run(due - timedelta(days=7))
    assert kinds_of(outbox).count("action.due") == 1
    run(due + timedelta(days=1))
    run(due + timedelta(days=1))
    assert kinds_of(outbox).count("action.overdue") == 1
    overdue = [m for m in mails_to(outbox, reporter.email) if "เกินกำหนด" in m["Subject"]]
    assert overdue and "เชื่อมโยงระบบกับ 5 หน่วยงาน" in plain_text(overdue[0])
    run(due + timedelta(days=2))  # not every day: the day after, then weekly
    assert kinds_of(outbox).count("action.overdue") == 1
    run(due + timedelta(days=8))
    assert kinds_of(outbox).count("action.overdue") == 2
    assert db.session.scalar(select(func.count()).select_from(NoticeSent)) == 2 + 1 + 2


# --- words: HTML part, escaping, deadline ------------------------------------------------------------------

def test_the_mail_has_an_escaped_html_part_with_the_link(client, people, token_for, outbox):
    body, linked, plain, staff = people
    headers = token_for(staff)
    meeting = new_meeting(client, headers, body.id)
    client.post(f"/api/v1/meetings/{meeting['id']}/agenda-items", headers=headers,
                json={"section": 4, "title": "รายงาน <script>alert(1)</script> & สรุป"})
    assert client.post(f"/api/v1/meetings/{meeting['id']}/agenda/publish", headers=headers).status_code == 200
    [message] = mails_to(outbox, plain.email)
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(preferencelist=("html",)).get_content()
    text = plain_text(message)
    assert "<script>" in text  # the plain text says what was typed
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; สรุป" in html
    link = f"http://localhost/meetings/{meeting['id']}/agenda"
    assert f'<a href="{link}">' in html and link in text
    stored = db.session.scalar(select(OutgoingMail).where(OutgoingMail.to_email == plain.email))
    assert stored.kind == "agenda.published" and stored.body_html and stored.meeting_id == meeting["id"]


def test_the_comment_deadline_is_checked_and_shown(client, login, people, token_for):
    body, linked, plain, staff = people
    headers = token_for(staff)
    meeting = new_meeting(client, headers, body.id)
    assert client.put(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers,
                      json={"version": 0}).status_code == 200
    url = f"/api/v1/meetings/{meeting['id']}/minutes/circulate"
    yesterday = thaidates.today_bangkok() - timedelta(days=1)
    refused = client.post(url, headers=headers, json={"comment_deadline": yesterday.isoformat()})
    assert refused.status_code == 422 and "comment_deadline" in refused.get_json()["error"]["fields"]
    assert client.post(url, headers=headers, json={"comment_deadline": "31/12/2563"}).status_code == 422
    assert client.get(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers).get_json()["state"] == "draft"

    login(staff)
    page = client.get(f"/meetings/{meeting['id']}/minutes").get_data(as_text=True)
    deadline = thaidates.today_bangkok() + timedelta(days=5)
    done = client.post(f"/meetings/{meeting['id']}/minutes/circulate",
                       data={"csrf_token": csrf_from(page), "comment_deadline": deadline.isoformat(), "confirmed": "1"})
    assert done.status_code == 302
    minutes = client.get(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers).get_json()
    assert minutes["state"] == "circulated" and minutes["comment_deadline"] == deadline.isoformat()
    page = client.get(f"/meetings/{meeting['id']}/minutes").get_data(as_text=True)
    assert 'id="comment-deadline"' in page


def test_review_steps_reach_the_secretariat_and_the_unit(client, demo, token_for, outbox):
    draft = db.session.scalar(select(ProgressReport).where(ProgressReport.state == "submitted"))
    unit_reporters = {u.email for u in db.session.scalars(select(User).where(
        User.unit_id == draft.unit_id, User.role == "reporter", User.is_active_user.is_(True)))}
    staff = token_for(demo_user("secretariat"))
    accepted = client.post(f"/api/v1/reports/{draft.id}/accept", headers=staff, json={"version": draft.version})
    assert accepted.status_code == 200, accepted.get_json()
    assert {m["To"].addresses[0].addr_spec for m in mails(outbox)} == unit_reporters
    assert set(kinds_of(outbox)) == {"report.accepted"}
    assert f"http://localhost/reports/{draft.id}" in plain_text(mails(outbox)[0])


def test_a_submission_reaches_the_secretariat_and_a_new_round_the_units(client, demo, token_for, outbox):
    round9 = db.session.scalar(select(ReportingRound).where(ReportingRound.months == 9))
    plan = round9.plan
    sub_item = next(s for t in plan.themes for s in t.sub_items if s.code == "1.2")
    ict = token_for(demo_user("reporter.ict"))
    filed = client.post("/api/v1/reports", headers=ict, json={
        "sub_item_id": sub_item.id, "round_id": round9.id, "status": "on_track", "percent": 60,
        "result": "ทดสอบระบบสารบรรณอิเล็กทรอนิกส์"}).get_json()
    assert mails(outbox) == []  # a draft tells nobody
    assert client.post(f"/api/v1/reports/{filed['id']}/submit", headers=ict,
                       json={"version": filed["version"]}).status_code == 200
    secretariat = {u.email for u in db.session.scalars(select(User).where(User.role == "secretariat",
                                                                          User.is_active_user.is_(True)))}
    assert secretariat and {m["To"].addresses[0].addr_spec for m in mails(outbox)} == secretariat
    assert f"http://localhost/reports/{filed['id']}" in plain_text(mails(outbox)[0])
    assert set(kinds_of(outbox)) == {"report.submitted"}

    for path in outbox.glob("*.eml"):
        path.unlink()
    opened = client.post("/api/v1/rounds", headers=token_for(demo_user("secretariat")), json={
        "plan_id": plan.id, "fiscal_year_be": 2563, "months": 12, "due_date": "2020-10-15"})
    assert opened.status_code == 201, opened.get_json()
    unit_ids = {u.id for t in plan.themes for s in t.sub_items for u in s.units}
    expected = {u.email for u in db.session.scalars(select(User).where(
        User.role == "reporter", User.is_active_user.is_(True), User.unit_id.in_(unit_ids)))}
    assert expected and {m["To"].addresses[0].addr_spec for m in mails(outbox)} == expected
    assert set(kinds_of(outbox)) == {"round.opened"}
    assert "15 ตุลาคม 2563" in plain_text(mails(outbox)[0])


def test_certified_minutes_are_announced_to_the_members(client, people, token_for, outbox):
    body, linked, plain, staff = people
    headers = token_for(staff)
    meeting = new_meeting(client, headers, body.id)
    later = client.post("/api/v1/meetings", headers=headers, json={
        "body_id": body.id, "notify": False, "mode": "onsite", "venue": "ห้องประชุม 2",
        "starts_at": (thaidates.to_bangkok(thaidates.parse_local_datetime(meeting["starts_at"]))
                      + timedelta(days=30)).strftime("%Y-%m-%dT09:30"),
        "ends_at": (thaidates.to_bangkok(thaidates.parse_local_datetime(meeting["starts_at"]))
                    + timedelta(days=30)).strftime("%Y-%m-%dT12:00")}).get_json()
    client.put(f"/api/v1/meetings/{meeting['id']}/minutes", headers=headers, json={"version": 0})
    client.post(f"/api/v1/meetings/{meeting['id']}/minutes/circulate", headers=headers)
    for path in outbox.glob("*.eml"):
        path.unlink()
    certified = client.post(f"/api/v1/meetings/{meeting['id']}/minutes/certify", headers=headers,
                            json={"at_meeting_id": later["id"], "amendments": "แก้ไขชื่อผู้เข้าประชุม"})
    assert certified.status_code == 200, certified.get_json()
    assert {m["To"].addresses[0].addr_spec for m in mails(outbox)} == {linked.email, plain.email}
    text = plain_text(mails_to(outbox, plain.email)[0])
    assert f"ครั้งที่ {later['number']}/{later['year_be']}" in text and "โดยมีการแก้ไข" in text
    assert set(kinds_of(outbox)) == {"minutes.certified"}
