"""A member who joins a body is invited to its upcoming meetings; one who leaves is sent a cancellation of
them, for that person only (the others stay invited)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Meeting


@pytest.fixture
def body_with_meetings(make_body, make_user, add_member):
    """A body with one member, a meeting next month, one last month and a cancelled one next week."""
    body = make_body("คณะกรรมการขับเคลื่อน", kind="committee")
    add_member(body, make_user("member", name="กรรมการเดิม"))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for number, (offset, status) in enumerate([(30, "scheduled"), (-30, "held"), (7, "cancelled")], start=1):
        starts = now + timedelta(days=offset)
        db.session.add(Meeting(body=body, number=number, year_be=2569, title=f"การประชุมครั้งที่ {number}",
                               starts_at=starts, ends_at=starts + timedelta(hours=2), venue="ห้อง 1",
                               status=status, uid=f"member-invite-{number}@prachum",
                               cancel_reason="ติดภารกิจ" if status == "cancelled" else None))
    db.session.commit()
    return body


def mails(kind: str) -> list[OutgoingMail]:
    return list(db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.kind == kind).order_by(OutgoingMail.id)))


def vevent(mail: OutgoingMail):
    calendar = Calendar.from_ical(mail.ics)
    return calendar, next(c for c in calendar.walk() if c.name == "VEVENT")


def test_a_new_member_is_invited_to_upcoming_meetings_only(client, body_with_meetings, make_user, token_for):
    newcomer = make_user("member", name="กรรมการใหม่", email="new@example.go.th")
    response = client.post(f"/api/v1/bodies/{body_with_meetings.id}/members", headers=token_for(make_user("admin")),
                           json={"user_id": newcomer.id, "role": "member"})
    assert response.status_code == 201, response.get_data(as_text=True)
    [mail] = mails("meeting.invite")
    assert mail.to_email == "new@example.go.th" and mail.ics_method == "REQUEST"
    calendar, event = vevent(mail)
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == "member-invite-1@prachum"
    assert "new@example.go.th" in str(event["ATTENDEE"]).lower()


def test_a_removed_member_is_sent_a_cancellation_for_them_only(client, body_with_meetings, make_user, token_for,
                                                                add_member):
    leaving = make_user("member", name="กรรมการที่ลาออก", email="leaving@example.go.th")
    add_member(body_with_meetings, leaving)
    response = client.delete(f"/api/v1/bodies/{body_with_meetings.id}/members/{leaving.id}",
                             headers=token_for(make_user("admin")))
    assert response.status_code == 204
    [mail] = mails("meeting.uninvite")
    assert mail.to_email == "leaving@example.go.th" and mail.ics_method == "CANCEL"
    calendar, event = vevent(mail)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["UID"]) == "member-invite-1@prachum"
    assert str(event["STATUS"]) == "CANCELLED" and "leaving@example.go.th" in str(event["ATTENDEE"]).lower()
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.uid == "member-invite-1@prachum"))
    assert meeting.status == "scheduled" and mails("meeting.cancel") == []


def test_a_refused_membership_sends_nothing(client, body_with_meetings, make_user, token_for):
    member = body_with_meetings.memberships[0].user
    response = client.post(f"/api/v1/bodies/{body_with_meetings.id}/members", headers=token_for(make_user("admin")),
                           json={"user_id": member.id, "role": "member"})
    assert response.status_code == 409
    assert db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail)) == 0
