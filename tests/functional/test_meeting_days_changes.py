"""A change of one day of a meeting over several days (its hours, venue or link) follows the rule of a change of
the meeting's time or place: SEQUENCE raised, answers reset, a REQUEST to every invitee; setting the days as they
already are changes nothing."""
from __future__ import annotations

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.meetings import services
from app.meetings.days import set_meeting_days
from tests.conftest import csrf_from
from tests.functional.test_meeting_changes import answer_all, event_of, local, mails, people, stored_answers  # noqa: F401


@pytest.fixture
def workshop(people):  # noqa: F811
    body, _, _, chair, _ = people
    result = services.schedule_meeting(body, {
        "starts_at": local(14, 9), "ends_at": local(16, 16), "mode": "onsite", "venue": "ห้องประชุมใหญ่",
        "chair_id": chair.id})
    db.session.commit()
    return result.meeting


def day(n: int) -> str:
    return local(14 + n, 9)[:10]


DEFAULT = [{"date": n, "starts_at": "09:00", "ends_at": "16:00"} for n in range(3)]


def days(**last) -> list[dict]:
    return [{**d, "date": day(d["date"])} for d in DEFAULT[:2]] + [{**DEFAULT[2], "date": day(2), **last}]


@pytest.mark.parametrize("last", [{"starts_at": "13:00"}, {"venue": "ห้องประชุม สพฐ. อาคาร 2"},
                                  {"online_url": "https://zoom.us/j/5550009"}])
def test_a_days_new_time_place_or_link_resets_answers_and_asks_everyone_again(workshop, people, last):  # noqa: F811
    _, first, second, chair, _ = people
    answer_all(workshop, people)
    before = workshop.sequence
    set_meeting_days(workshop, days(**last))
    db.session.commit()
    assert workshop.sequence == before + 1
    assert stored_answers(workshop) == {}
    updates = mails("meeting.update")
    assert sorted(m.to_email for m in updates) == sorted([first.email, second.email, chair.email])
    calendar, event = event_of(updates[0].ics)
    assert str(calendar["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == before + 1
    assert "ตอบรับการประชุม" in updates[0].body_text
    audit = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "meeting.update")).all()
    assert audit and any(day(2) in str(event.changes) for event in audit)


def test_setting_the_days_as_they_are_sends_nothing(workshop, people):  # noqa: F811
    answer_all(workshop, people)
    before = workshop.sequence
    set_meeting_days(workshop, days())  # the defaults, written out
    db.session.commit()
    assert workshop.sequence == before and len(stored_answers(workshop)) == 3 and mails("meeting.update") == []


def test_the_api_sends_one_update_for_a_new_title_and_a_days_venue(client, workshop, people, token_for):  # noqa: F811
    _, first, second, chair, staff = people
    answer_all(workshop, people)
    response = client.patch(f"/api/v1/meetings/{workshop.id}", headers=token_for(staff),
                            json={"title": "การประชุมเชิงปฏิบัติการ", "days": days(venue="ห้อง 9")})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["days"][2]["venue"] == "ห้อง 9"
    assert sorted(m.to_email for m in mails("meeting.update")) == sorted([first.email, second.email, chair.email])
    assert stored_answers(workshop) == {}
    quiet = client.patch(f"/api/v1/meetings/{workshop.id}", headers=token_for(staff),
                         json={"notify": False, "days": days(venue="ห้อง 10")})
    assert quiet.status_code == 200 and len(mails("meeting.update")) == 3


def test_the_days_form_on_the_edit_page_asks_again(client, workshop, people, login):  # noqa: F811
    _, first, second, chair, staff = people
    answer_all(workshop, people)
    login(staff)
    page = client.get(f"/meetings/{workshop.id}/edit").get_data(as_text=True)
    chosen = days(starts_at="10:00")
    response = client.post(f"/meetings/{workshop.id}/days", data={
        "csrf_token": csrf_from(page), "date": [d["date"] for d in chosen],
        "starts_at": [d["starts_at"] for d in chosen], "ends_at": [d["ends_at"] for d in chosen],
        "venue": ["", "", ""], "online_url": ["", "", ""]})
    assert response.status_code == 302
    assert stored_answers(workshop) == {}
    assert len(mails("meeting.update")) == 3


def test_days_of_a_cancelled_meeting_are_refused(workshop):
    from app.errors import Conflict

    services.cancel_meeting(workshop, "ติดภารกิจ", notify=False)
    with pytest.raises(Conflict):
        set_meeting_days(workshop, days(venue="ห้อง 9"))
