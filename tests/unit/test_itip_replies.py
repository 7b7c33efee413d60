"""Reading the answers calendar programs send back (iTIP REPLY by e-mail): app/itip.py, pure.

The fixtures in tests/fixtures/itip/ are REPLY messages as Outlook (Microsoft 365 and Outlook 2010 on Thai
Windows), Google Calendar, Apple Calendar and RFC 5546's delegation example send them, with {{UID}},
{{SEQUENCE}}, {{ATTENDEE}}, {{FROM}}, {{ORGANIZER}} and {{DELEGATE}} filled in by `render_fixture`.
"""
from __future__ import annotations

import base64
import email
import quopri
from email import policy
from pathlib import Path

import pytest

from app.itip import Reply, address_of, parse_replies

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "itip"
UID = "3f1c9a52-0d7e-4b8a-9c1e-2a5b6d7e8f90@prachum"
MEMBER = "somchai.j@ict.example.go.th"
ORGANIZER = "prachum@psdg.go.th"


def render_fixture(name: str, *, uid: str = UID, sequence: int = 0, attendee: str = MEMBER,
                   sender: str | None = None, organizer: str = ORGANIZER, delegate: str = "henry@example.go.th",
                   crlf: bool = False) -> bytes:
    """The fixture with its placeholders filled in, each part encoded again as the fixture encodes it."""
    values = {"{{UID}}": uid, "{{SEQUENCE}}": str(sequence), "{{ATTENDEE}}": attendee,
              "{{FROM}}": sender or attendee, "{{ORGANIZER}}": organizer, "{{DELEGATE}}": delegate}

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    message = email.message_from_bytes((FIXTURES / name).read_bytes(), policy=policy.compat32)
    for key, value in list(message.items()):
        if "{{" in value:
            message.replace_header(key, fill(value))
    for part in message.walk():
        if part.is_multipart():
            continue
        encoding = (part.get("Content-Transfer-Encoding") or "7bit").lower()
        raw = part.get_payload(decode=True) or b""
        filled = fill(raw.decode("latin-1")).encode("latin-1")  # placeholders are ASCII: any charset works
        if encoding == "base64":
            part.set_payload(base64.encodebytes(filled).decode("ascii"))
        elif encoding == "quoted-printable":
            part.set_payload(quopri.encodestring(filled).decode("ascii"))
        else:
            part.set_payload(filled.decode("latin-1"))
    data = message.as_bytes()
    assert b"{{" not in data
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") if crlf else data


@pytest.mark.parametrize("name,partstat", [
    ("outlook_accepted.eml", "ACCEPTED"),
    ("gmail_accepted.eml", "ACCEPTED"),
    ("apple_declined.eml", "DECLINED"),
    ("apple_tentative.eml", "TENTATIVE"),
    ("outlook_windows874_declined.eml", "DECLINED"),
])
def test_each_calendar_program_gives_one_reply(name, partstat):
    replies = parse_replies(render_fixture(name, sequence=3))
    assert replies == [Reply(uid=UID, sequence=3, attendee_email=MEMBER, partstat=partstat, delegated_to=None,
                             from_email=MEMBER, comment=replies[0].comment)]


def test_crlf_line_ends_read_the_same():
    assert parse_replies(render_fixture("gmail_accepted.eml", crlf=True)) == parse_replies(
        render_fixture("gmail_accepted.eml"))


def test_gmail_inline_calendar_and_invite_ics_are_one_answer():
    data = render_fixture("gmail_accepted.eml")
    message = email.message_from_bytes(data, policy=policy.default)
    calendars = [p for p in message.walk() if p.get_content_type() in ("text/calendar", "application/ics")]
    assert len(calendars) == 2  # the same REPLY twice, quoted-printable and base64
    assert len(parse_replies(data)) == 1


def test_comments_in_utf8_and_windows_874_and_outlooks_empty_comment():
    assert parse_replies(render_fixture("apple_declined.eml"))[0].comment == \
        "ติดราชการต่างจังหวัด ขอมอบหมายผู้แทนในครั้งต่อไป"
    assert parse_replies(render_fixture("outlook_windows874_declined.eml"))[0].comment == \
        "ติดภารกิจราชการที่จังหวัดเชียงใหม่"
    assert parse_replies(render_fixture("outlook_accepted.eml"))[0].comment is None  # COMMENT:\n


def test_mailto_in_capitals_and_addresses_in_any_case_are_lower_case():
    data = render_fixture("outlook_windows874_declined.eml", attendee="Somchai.J@ICT.Example.go.th")
    assert b"MAILTO:Somchai.J@ICT.Example.go.th" in quopri.decodestring(data)
    [reply] = parse_replies(data)
    assert (reply.attendee_email, reply.from_email) == (MEMBER, MEMBER)


def test_delegation_takes_the_senders_attendee_line_and_the_delegate():
    [reply] = parse_replies(render_fixture("rfc6047_delegated.eml", delegate="Henry@Example.go.th"))
    assert (reply.attendee_email, reply.partstat, reply.delegated_to) == (MEMBER, "DELEGATED", "henry@example.go.th")
    assert reply.comment == "I will be out of the office, Henry Cabot attends for me."


def test_a_sender_who_is_no_attendee_gets_every_attendee_line_for_the_caller_to_refuse():
    replies = parse_replies(render_fixture("rfc6047_delegated.eml", sender="mallory@example.com"))
    assert {r.attendee_email for r in replies} == {MEMBER, "henry@example.go.th"}
    assert all(r.from_email == "mallory@example.com" for r in replies)


def test_a_folded_attendee_line_is_unfolded():
    data = render_fixture("apple_tentative.eml")
    text = base64.b64decode(email.message_from_bytes(data).get_payload()[1].get_payload()).decode()
    assert "PARTSTA\r\n T=TENTATIVE" in text  # folded in the middle of the parameter
    assert parse_replies(data)[0].partstat == "TENTATIVE"


def test_a_request_or_a_message_without_calendar_is_no_reply():
    request = render_fixture("rfc6047_delegated.eml").replace(b"METHOD:REPLY", b"METHOD:REQUEST").replace(
        b"method=REPLY", b"method=REQUEST")
    assert parse_replies(request) == []
    plain = b"From: a@example.go.th\r\nSubject: hello\r\nContent-Type: text/plain\r\n\r\nBEGIN:VCALENDAR\r\n"
    assert parse_replies(plain) == []
    broken = render_fixture("rfc6047_delegated.eml").replace(b"END:VEVENT", b"")
    assert parse_replies(broken) == []
    assert parse_replies(b"") == []


def test_missing_sequence_is_zero_and_a_missing_method_is_taken_from_the_mime_type():
    data = render_fixture("rfc6047_delegated.eml", sequence=7).replace(b"SEQUENCE:7\n", b"")
    assert parse_replies(data)[0].sequence == 0
    without_method = render_fixture("rfc6047_delegated.eml").replace(b"METHOD:REPLY\n", b"")
    assert parse_replies(without_method)[0].partstat == "DELEGATED"


@pytest.mark.parametrize("value,expected", [
    ("mailto:A@B.go.th", "a@b.go.th"), ("MAILTO:a@b.go.th", "a@b.go.th"), ("<a@b.go.th>", "a@b.go.th"),
    ('"mailto:a@b.go.th"', "a@b.go.th"), ("mailto:", None), ("somebody", None), ("mailto:a b@c", None),
])
def test_address_of(value, expected):
    assert address_of(value) == expected


def test_sent_by_names_who_answered_for_the_attendee():
    [reply] = parse_replies(render_fixture("outlook_sent_by_accepted.eml", sender="secretary@ict.example.go.th"))
    assert reply.attendee_email == MEMBER and reply.partstat == "ACCEPTED"
    assert reply.sent_by == reply.from_email == "secretary@ict.example.go.th"
