"""Answers from calendar programs count: the iTIP REPLY that Outlook, Gmail or Apple Calendar sends to the
ORGANIZER address becomes the member's RSVP (`flask mail receive`), through the same rule as the web answer;
forged, stale and unknown replies are ignored, logged and audited. Also: "tentative" as an answer, and an
ORGANIZER / From built from a MAIL_SENDER with a Thai display name."""
from __future__ import annotations

import dataclasses
import email
import re
from email import policy

import pytest
from icalendar import Calendar

from app import ical
from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.mail.models import OutgoingMail
from app.mail.services import build_message
from app.meetings import services
from app.meetings.models import Rsvp
from tests.functional.test_meetings_web import prefixed_csrf
from tests.unit.test_itip_replies import render_fixture
from tests.when import local

MEMBER = "somchai.j@ict.example.go.th"


@pytest.fixture
def group(make_body, make_user, add_member):
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน")
    member = make_user("member", email=MEMBER, name="นายสมชาย ใจดี")
    add_member(body, member)
    add_member(body, make_user("member", email="kannika@bps.example.go.th", name="นางสาวกรรณิกา ทดสอบ"))
    return body


@pytest.fixture
def meeting(group):
    result = services.schedule_meeting(group, {"starts_at": local(10, 9, 30), "ends_at": local(10, 12),
                                               "mode": "onsite", "venue": "ห้องประชุมจันทรเกษม"}, notify=False)
    db.session.commit()
    return result.meeting


def receive(app, data: bytes):
    return app.test_cli_runner().invoke(args=["mail", "receive"], input=data)


def answer_of(meeting, address: str = MEMBER) -> Rsvp | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Rsvp).join(Rsvp.user).where(Rsvp.meeting_id == meeting.id,
                                                                    db.func.lower(User.email) == address))


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("fixture,response,note", [
    ("outlook_accepted.eml", "accepted", None),
    ("gmail_accepted.eml", "accepted", None),
    ("apple_declined.eml", "declined", "ติดราชการต่างจังหวัด ขอมอบหมายผู้แทนในครั้งต่อไป"),
    ("apple_tentative.eml", "tentative", None),
    ("outlook_windows874_declined.eml", "declined", "ติดภารกิจราชการที่จังหวัดเชียงใหม่"),
])
def test_each_calendar_programs_answer_is_recorded(app, meeting, fixture, response, note):
    result = receive(app, render_fixture(fixture, uid=meeting.uid, sequence=meeting.sequence))
    assert result.exit_code == 0, result.output
    assert "answers applied 1, ignored 0" in result.output
    answer = answer_of(meeting)
    assert (answer.response, answer.note, answer.delegate_name) == (response, note, None)
    [event] = audit("rsvp.reply")
    assert (event.object_type, event.object_id, event.user_id) == ("meeting", meeting.id, answer.user_id)
    assert audit("rsvp.reply_ignored") == []
    assert services.rsvp_counts(meeting.id)[response] == 1


def test_a_delegation_names_the_delegate_user_or_address(app, meeting, make_user):
    receive(app, render_fixture("rfc6047_delegated.eml", uid=meeting.uid, delegate="henry@example.com"))
    assert (answer_of(meeting).response, answer_of(meeting).delegate_name) == ("delegated", "henry@example.com")
    make_user("member", email="deputy@ict.example.go.th", name="นายรอง ผู้แทน")
    receive(app, render_fixture("rfc6047_delegated.eml", uid=meeting.uid, delegate="Deputy@ict.example.go.th"))
    assert answer_of(meeting).delegate_name == "นายรอง ผู้แทน"
    assert answer_of(meeting).note == "I will be out of the office, Henry Cabot attends for me."


def test_a_later_answer_replaces_the_web_answer(app, meeting):
    from app.auth.services import find_user_by_email

    member = find_user_by_email(MEMBER)
    services.record_rsvp(meeting, member, "accepted", note="จะเข้าร่วม")
    db.session.commit()
    receive(app, render_fixture("apple_declined.eml", uid=meeting.uid))
    answer = answer_of(meeting)
    assert answer.response == "declined" and answer.note.startswith("ติดราชการ")
    assert db.session.scalar(db.select(db.func.count()).select_from(Rsvp)) == 1


def test_a_stale_sequence_is_ignored(app, meeting):
    services.update_meeting(meeting, {"venue": "ห้องประชุม 2"}, notify=False)  # time or place: SEQUENCE 1
    db.session.commit()
    assert meeting.sequence == 1
    result = receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, sequence=0))
    assert result.exit_code == 0 and "answers applied 0, ignored 1" in result.output
    assert answer_of(meeting) is None
    [event] = audit("rsvp.reply_ignored")
    assert event.summary.startswith("stale:") and event.object_id == meeting.id
    receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, sequence=1))
    assert answer_of(meeting).response == "accepted"


def test_a_sequence_the_meeting_never_had_is_ignored(app, meeting):
    receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, sequence=5))
    assert answer_of(meeting) is None
    assert audit("rsvp.reply_ignored")[0].summary.startswith("sequence_ahead:")


def test_from_another_address_than_the_attendee_is_ignored(app, meeting):
    data = render_fixture("gmail_accepted.eml", uid=meeting.uid, sender="mallory@evil.example.com")
    result = receive(app, data)
    assert "ignored 1" in result.output
    assert answer_of(meeting) is None
    [event] = audit("rsvp.reply_ignored")
    assert event.summary.startswith("forged:") and "mallory@evil.example.com" in event.summary
    assert event.user_id is None  # not recorded as the member's doing
    assert audit("rsvp.reply") == []


def test_an_unknown_uid_is_ignored(app, meeting):
    receive(app, render_fixture("outlook_accepted.eml", uid="no-such-meeting@prachum"))
    assert answer_of(meeting) is None
    [event] = audit("rsvp.reply_ignored")
    assert event.summary.startswith("unknown_meeting:") and event.object_type == "system"


def test_an_address_not_invited_or_unknown_is_ignored(app, meeting, make_user, make_body, add_member):
    outsider = make_user("member", email="outsider@example.go.th")
    add_member(make_body("คณะอื่น"), outsider)
    receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, attendee="outsider@example.go.th"))
    receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, attendee="nobody@example.go.th"))
    assert db.session.scalar(db.select(db.func.count()).select_from(Rsvp)) == 0
    reasons = [e.summary.split(":")[0] for e in audit("rsvp.reply_ignored")]
    assert reasons == ["not_invited", "unknown_user"]


def test_a_cancelled_meeting_takes_no_answer(app, meeting):
    services.cancel_meeting(meeting, "ติดภารกิจ", notify=False)
    db.session.commit()
    receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, sequence=meeting.sequence))
    assert answer_of(meeting) is None
    assert audit("rsvp.reply_ignored")[0].summary.startswith("cancelled:")


def test_an_answer_arriving_after_the_meeting_is_ignored(app, group):
    over = services.schedule_meeting(group, {"starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00",
                                             "venue": "ห้องประชุมจันทรเกษม"}, notify=False).meeting
    db.session.commit()
    receive(app, render_fixture("outlook_accepted.eml", uid=over.uid, sequence=over.sequence))
    assert answer_of(over) is None
    assert audit("rsvp.reply_ignored")[0].summary.startswith("meeting_ended:")


def test_a_message_without_an_answer_changes_nothing(app, meeting):
    result = receive(app, "From: somebody@example.go.th\r\nSubject: thanks\r\n\r\nขอบคุณครับ\r\n".encode())
    assert result.exit_code == 0 and "no calendar answer" in result.output
    assert audit("rsvp.reply") == audit("rsvp.reply_ignored") == []


def test_receive_asks_the_mail_server_to_retry_when_the_database_fails(app, meeting, monkeypatch):
    def broken(data):
        raise RuntimeError("database is down")

    monkeypatch.setattr("app.meetings.replies.apply_message", broken)
    result = receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid))
    assert result.exit_code == 75  # EX_TEMPFAIL: Postfix keeps the message and pipes it again later


# --- tentative, the fourth answer ---------------------------------------------------------------

def test_tentative_from_the_api_and_the_web_form_is_counted(client, app, meeting, token_for, login):
    from app.auth.services import find_user_by_email

    member = find_user_by_email(MEMBER)
    response = client.post(f"/api/v1/meetings/{meeting.id}/rsvp", json={"response": "tentative"},
                            headers=token_for(member))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["counts"] == {"accepted": 0, "declined": 0, "tentative": 1, "delegated": 0}
    login(member)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert re.search(r'<option[^>]*value="tentative"[^>]*>ยังไม่แน่ใจ</option>', page)
    assert "คำตอบปัจจุบัน: <strong>ยังไม่แน่ใจ</strong>" in page
    counts = re.sub(r"\s+", " ", page.split('id="rsvp-counts"')[1].split("</p>")[0])
    assert 'ยังไม่แน่ใจ <span class="badge bg-warning text-dark">1</span>' in counts
    assert 'ยังไม่ตอบ <span class="badge bg-light text-dark">1</span>' in counts
    other = find_user_by_email("kannika@bps.example.go.th")
    browser = login(other, c=app.test_client())
    page = browser.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    sent = browser.post(f"/meetings/{meeting.id}/rsvp", data={
        "rsvp-csrf_token": prefixed_csrf(page, "rsvp"), "rsvp-response": "tentative"})
    assert sent.status_code == 302
    assert services.rsvp_counts(meeting.id)["tentative"] == 2


def test_the_invitation_tells_calendars_a_tentative_answer(app, meeting):
    from app.auth.services import find_user_by_email

    services.record_rsvp(meeting, find_user_by_email(MEMBER), "tentative")
    event = services.meeting_event(meeting, services.invitees(meeting),
                                   {r.user_id: r.response for r in meeting.rsvps})
    assert {a.email: a.partstat for a in event.attendees}[MEMBER] == "TENTATIVE"


# --- ORGANIZER and From from MAIL_SENDER --------------------------------------------------------

UNFOLD = re.compile(r"\r?\n[ \t]")


def organizer_line(ics: str) -> str:
    """The ORGANIZER line of an iCalendar text, unfolded (a second reader, without icalendar)."""
    [line] = [line for line in UNFOLD.sub("", ics).splitlines() if line.upper().startswith("ORGANIZER")]
    return line


@pytest.mark.parametrize("reply_address,expected", [
    (None, "prachum@psdg.go.th"),
    ("rsvp@psdg.go.th", "rsvp@psdg.go.th"),
    ("ตอบรับ <rsvp@psdg.go.th>", "rsvp@psdg.go.th"),
])
def test_organizer_is_a_real_mailbox_and_from_a_valid_address(app, group, monkeypatch, reply_address, expected):
    monkeypatch.setitem(app.config, "MAIL_SENDER", "ประชุม <prachum@psdg.go.th>")
    monkeypatch.setitem(app.config, "PRACHUM_REPLY_ADDRESS", reply_address)
    meeting = services.schedule_meeting(group, {"starts_at": local(10, 9, 30), "ends_at": local(10, 12),
                                                "venue": "ห้องประชุมจันทรเกษม"}).meeting
    db.session.commit()
    mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.meeting_id == meeting.id)).first()
    raw = bytes(build_message(mail))
    assert raw.isascii()  # the Thai display name is RFC 2047-encoded, not raw UTF-8 in the header
    message = email.message_from_bytes(raw, policy=policy.default)
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("ประชุม", "prachum@psdg.go.th")
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    ics = part.get_content()
    organizer = Calendar.from_ical(ics).walk("VEVENT")[0]["ORGANIZER"]
    assert str(organizer) == f"mailto:{expected}"
    assert organizer.params["CN"] == group.name
    line = organizer_line(ics)
    assert re.search(r"[:;]mailto:([^\s;:\"<>]+)$", line, re.IGNORECASE).group(1) == expected
    assert "<" not in line and "ประชุม <" not in line
    # The member's program answers that organizer; the answer comes back and counts.
    result = receive(app, render_fixture("outlook_accepted.eml", uid=meeting.uid, organizer=expected))
    assert "answers applied 1" in result.output


def test_a_plain_mail_sender_still_works_and_a_broken_one_is_refused(app, group, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SENDER", "prachum@localhost")
    monkeypatch.setitem(app.config, "PRACHUM_REPLY_ADDRESS", None)
    meeting = services.schedule_meeting(group, {"starts_at": local(10, 9, 30), "ends_at": local(10, 12),
                                                "venue": "ห้อง 1"}, notify=False).meeting
    event = services.meeting_event(meeting)
    assert event.organizer_email == "prachum@localhost"
    with pytest.raises(ValueError, match="bare e-mail address"):  # the builder never writes mailto:Name <a@b>
        ical.build_calendar([dataclasses.replace(event, organizer_email="ประชุม <prachum@psdg.go.th>")])


def test_a_secretary_answering_for_the_member_with_sent_by_counts_and_is_named(app, meeting):
    secretary = "secretary@ict.example.go.th"  # the member's own office (mail domain)
    result = receive(app, render_fixture("outlook_sent_by_accepted.eml", uid=meeting.uid, sender=secretary))
    assert "applied 1" in result.output, result.output
    assert answer_of(meeting).response == "accepted"
    [event] = audit("rsvp.reply")
    assert secretary in event.summary and event.user_id == answer_of(meeting).user_id


def test_sent_by_an_outsider_is_still_a_forgery(app, meeting, make_user):
    result = receive(app, render_fixture("outlook_sent_by_accepted.eml", uid=meeting.uid,
                                         sender="mallory@evil.example.com"))
    assert "ignored 1" in result.output and answer_of(meeting) is None
    assert audit("rsvp.reply_ignored")[0].summary.startswith("forged:")
    # a user of Prachum from another office may answer for the member
    make_user("secretariat", email="helper@psdg.example.go.th")
    db.session.commit()
    result = receive(app, render_fixture("outlook_sent_by_accepted.eml", uid=meeting.uid,
                                         sender="helper@psdg.example.go.th"))
    assert "applied 1" in result.output and answer_of(meeting).response == "accepted"
