"""One-click answers: every invitation and update carries four signed links (เข้าร่วม / ไม่เข้าร่วม / ยังไม่แน่ใจ /
ส่งผู้แทน) that open a confirmation page without a password; opening a link changes nothing (mail scanners fetch
links), only the page's POST records the answer; forged and expired links are refused in Thai; a link made before
the meeting moved says so and shows the new time."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from app import thaidates
from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings import services
from app.meetings.models import Meeting, Rsvp
from tests.conftest import csrf_from
from tests.functional.test_route_crawl import changed_tables, snapshot
from tests.when import local

LINK = re.compile(r"^(เข้าร่วม|ไม่เข้าร่วม|ยังไม่แน่ใจ|ส่งผู้แทน): (\S+)$", re.MULTILINE)
LABELS = {"เข้าร่วม": "accepted", "ไม่เข้าร่วม": "declined", "ยังไม่แน่ใจ": "tentative", "ส่งผู้แทน": "delegated"}



@pytest.fixture
def people(make_body, make_user, add_member):
    body = make_body("คณะทำงานพัฒนาระบบสารสนเทศ")
    first = make_user("member", email="somchai@example.go.th", name="นายสมชาย ใจดี")
    second = make_user("member", email="kannika@example.go.th", name="นางสาวกรรณิกา ทดสอบ")
    add_member(body, first)
    add_member(body, second)
    chair = make_user("viewer", email="chair@example.go.th", name="นายประธาน ภายนอก")
    return body, first, second, chair


@pytest.fixture
def meeting(people):
    body, _, _, chair = people
    result = services.schedule_meeting(body, {"starts_at": local(10, 9), "ends_at": local(10, 12), "mode": "hybrid",
                                              "venue": "ห้องประชุม 1", "online_url": "https://zoom.us/j/111",
                                              "chair_id": chair.id})
    db.session.commit()
    return result.meeting


def links_of(address: str, kind: str = "meeting.invite") -> dict[str, str]:
    """{answer: path} of the latest mail of `kind` to `address`."""
    mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.to_email == address,
                                                            OutgoingMail.kind == kind)
                              .order_by(OutgoingMail.id.desc())).first()
    assert mail is not None, f"no {kind} mail to {address}"
    return {LABELS[label]: urlsplit(url).path for label, url in LINK.findall(mail.body_text)}


def answers(meeting) -> list[tuple]:
    db.session.expire_all()
    return [(r.user_id, r.response, r.delegate_name, r.note) for r in
            db.session.scalars(db.select(Rsvp).where(Rsvp.meeting_id == meeting.id).order_by(Rsvp.user_id))]


def post_answer(client, path: str, **fields):
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), **fields}
    return client.post(path, data=data)


def test_every_invitee_gets_four_answer_links_of_their_own(meeting, people):
    _, first, second, chair = people
    seen = set()
    for person in (first, second, chair):
        links = links_of(person.email)
        assert list(links) == ["accepted", "declined", "tentative", "delegated"]
        assert all(path.startswith("/answer/") for path in links.values())
        seen.update(links.values())
    assert len(seen) == 12  # nobody's link answers for someone else


def test_opening_a_link_changes_nothing(client, meeting, people):
    _, first, _, _ = people
    before = snapshot()
    for response, path in links_of(first.email).items():
        page = client.get(path)
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert meeting.title in html and "นายสมชาย ใจดี" in html
        checked = re.findall(r'<input[^>]*value="(\w+)"[^>]*checked|<input[^>]*checked[^>]*value="(\w+)"', html)
        assert [a or b for a, b in checked] == [response]  # the link's answer is pre-selected
        assert 'name="note"' in html and 'name="delegate_name"' in html
        assert client.head(path).status_code == 200
    assert changed_tables(before, snapshot()) == {}


def test_the_page_records_the_answer_with_a_note_or_a_delegate(client, meeting, people):
    _, first, second, _ = people
    sent = post_answer(client, links_of(first.email)["delegated"], response="delegated",
                       delegate_name="นางสาวผู้แทน ทดแทน", note="ติดราชการต่างจังหวัด")
    assert sent.status_code == 302
    assert answers(meeting) == [(first.id, "delegated", "นางสาวผู้แทน ทดแทน", "ติดราชการต่างจังหวัด")]
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "meeting.rsvp.link")).one()
    assert (event.user_id, event.object_id) == (first.id, meeting.id)
    again = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "บันทึกคำตอบแล้ว" in again and "มอบหมายผู้แทน" in again
    # the page's choice wins over the link's: opened "accepted", answered "declined"
    declined = post_answer(client, links_of(second.email)["accepted"], response="declined")
    assert declined.status_code == 302
    shown = client.get(declined.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="declined"|<input[^>]*value="declined"[^>]*checked', shown)
    assert services.rsvp_counts(meeting.id) == {"accepted": 0, "declined": 1, "tentative": 0, "delegated": 1}


def test_a_refused_answer_is_shown_on_the_page_and_changes_nothing(client, meeting, people):
    _, first, _, _ = people
    path = links_of(first.email)["delegated"]
    refused = post_answer(client, path, response="delegated", delegate_name="")
    assert refused.status_code == 422 and "กรุณาระบุชื่อผู้มาประชุมแทน" in refused.get_data(as_text=True)
    unknown = post_answer(client, path, response="maybe")
    assert unknown.status_code == 422
    no_csrf = client.post(path, data={"response": "accepted"})
    assert no_csrf.status_code == 400 and "CSRF" in no_csrf.get_data(as_text=True)
    assert answers(meeting) == []


def test_the_chair_from_outside_the_body_answers_with_the_link(client, meeting, people):
    _, _, _, chair = people
    assert post_answer(client, links_of(chair.email)["accepted"], response="accepted").status_code == 302
    assert answers(meeting) == [(chair.id, "accepted", None, None)]


def test_a_forged_link_is_refused_in_thai(client, meeting, people):
    _, first, _, _ = people
    path = links_of(first.email)["accepted"]
    before = snapshot()
    for forged in (path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"), "/answer/nothing-here"):
        page = client.get(forged)
        assert page.status_code == 404 and "ลิงก์ตอบรับนี้ไม่ถูกต้อง" in page.get_data(as_text=True)
        assert client.post(forged, data={"response": "accepted"}).status_code in (400, 404)
    assert changed_tables(before, snapshot()) == {}


def test_a_link_of_a_meeting_that_has_ended_has_expired(client, people):
    body, first, _, _ = people
    services.schedule_meeting(body, {"starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00",
                                     "mode": "onsite", "venue": "ห้องประชุม 1"})
    db.session.commit()
    meeting = db.session.scalars(db.select(Meeting)).one()
    path = links_of(first.email)["accepted"]
    page = client.get(path)
    assert page.status_code == 400 and "หมดอายุ" in page.get_data(as_text=True)
    assert 'name="response"' not in page.get_data(as_text=True)
    assert client.post(path, data={"response": "accepted"}).status_code == 400
    assert answers(meeting) == []


def test_a_link_made_before_the_meeting_moved_says_so_and_asks_to_confirm(client, meeting, people):
    _, first, _, _ = people
    old = links_of(first.email)["accepted"]
    services.postpone_meeting(meeting, {"starts_at": local(17, 13), "ends_at": local(17, 16)}, "ประธานติดราชการ")
    db.session.commit()
    page = client.get(old)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "เปลี่ยนกำหนดการแล้ว" in html
    assert thaidates.thai_date_range(meeting.starts_at, meeting.ends_at) in html
    assert 'name="confirm_new_time"' in html
    unconfirmed = client.post(old, data={"csrf_token": csrf_from(html), "response": "accepted"})
    assert unconfirmed.status_code == 422 and "กรุณายืนยัน" in unconfirmed.get_data(as_text=True)
    assert answers(meeting) == []
    confirmed = client.post(old, data={"csrf_token": csrf_from(html), "response": "accepted", "confirm_new_time": "y"})
    assert confirmed.status_code == 302
    assert answers(meeting) == [(first.id, "accepted", None, None)]
    # the update mail carries fresh links that are not stale
    fresh = client.get(links_of(first.email, "meeting.update")["declined"]).get_data(as_text=True)
    assert "เปลี่ยนกำหนดการแล้ว" not in fresh and 'name="confirm_new_time"' not in fresh


def test_a_cancelled_meeting_takes_no_answer(client, meeting, people):
    _, first, _, _ = people
    path = links_of(first.email)["accepted"]
    page = client.get(path)
    csrf = csrf_from(page.get_data(as_text=True))
    services.cancel_meeting(meeting, "คณะทำงานยุบรวม")
    db.session.commit()
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert "การประชุมนี้ถูกยกเลิกแล้ว" in html and "คณะทำงานยุบรวม" in html and 'name="response"' not in html
    client.post(path, data={"csrf_token": csrf, "response": "accepted"})
    assert answers(meeting) == []


def test_a_deactivated_member_s_link_no_longer_answers(client, meeting, people):
    _, first, _, _ = people
    path = links_of(first.email)["accepted"]
    first.is_active_user = False
    db.session.commit()
    assert client.get(path).status_code == 404
    assert answers(meeting) == []


def test_the_html_part_shows_the_same_links_as_buttons_beside_the_calendar(meeting, people):
    import email
    from email import policy

    from app.mail.services import build_message

    _, first, _, _ = people
    mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.to_email == first.email)).one()
    message = email.message_from_bytes(bytes(build_message(mail)), policy=policy.default)
    types = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in types and "text/html" in types and "text/calendar" in types
    html = message.get_body(("html",)).get_content()
    buttons = dict((label, path) for path, label in re.findall(r'<a href="https?://[^/"]+(/answer/[^"]+)"[^>]*>([^<]+)</a>',
                                                              html))
    assert {LABELS[label]: path for label, path in buttons.items()} == links_of(first.email)
    assert "https://zoom.us/j/111" in html and "<script" not in html


def test_a_chair_who_was_replaced_can_no_longer_answer_with_the_old_link(client, meeting, people):
    _, first, _, chair = people
    path = links_of(chair.email)["accepted"]
    services.update_meeting(meeting, {"chair_id": first.id})
    db.session.commit()
    page = client.get(path)
    assert page.status_code == 404 and "ลิงก์ตอบรับนี้ไม่ถูกต้อง" in page.get_data(as_text=True)
    assert answers(meeting) == []
