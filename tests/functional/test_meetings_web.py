"""Meeting pages (HTML forms): who may see what, scheduling, changes, RSVP, attendance, lists.

The JSON API is covered by test_meetings_api.py; these tests drive the web forms a secretariat uses.
"""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Attendance, Meeting, Rsvp
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import schedule
from tests.when import local


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def fresh_meeting(meeting_id: int) -> Meeting:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


@pytest.fixture
def secretary(make_user):
    return make_user("secretariat", name="นางเลขา นุการ")


@pytest.fixture
def staff(secretary, token_for):
    return token_for(secretary)


@pytest.fixture
def group(make_body, make_user, add_member):
    """A working group counting by fiscal year, with a chair and two members."""
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน", numbering="fiscal")
    chair = make_user("member", name="นายประธาน ทดสอบ")
    add_member(body, chair, "chair")
    add_member(body, make_user("member", name="นางสาวกรรมการ หนึ่ง"))
    add_member(body, make_user("member", name="นายกรรมการ สอง"))
    return body


@pytest.fixture
def meeting_id(client, staff, group):
    """A meeting of 2563 (fiscal numbering), long over."""
    response = schedule(client, staff, group.id, notify=False)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


@pytest.fixture
def upcoming_id(client, staff, group):
    """A meeting ten days from now: invitations are still answered."""
    response = schedule(client, staff, group.id, notify=False, starts_at=local(10, 9, 30), ends_at=local(10, 12))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def member_of(body, index: int = 1):
    return body.memberships[index].user


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def prefixed_csrf(html: str, prefix: str) -> str:
    match = re.search(rf'name="{prefix}-csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no {prefix}-csrf_token in the page"
    return match.group(1)


# --- who may see what ---------------------------------------------------------------------------

OK, FORBIDDEN, HIDDEN = 200, 403, 404
PAGES = ("list", "detail", "new", "edit", "attendance", "ics")
EXPECTED = {
    "admin": dict.fromkeys(PAGES, OK),
    "secretariat": dict.fromkeys(PAGES, OK),
    "member": {"list": OK, "detail": OK, "ics": OK, "new": FORBIDDEN, "edit": FORBIDDEN, "attendance": FORBIDDEN},
    "viewer": {"list": OK, "detail": OK, "ics": OK, "new": FORBIDDEN, "edit": FORBIDDEN, "attendance": FORBIDDEN},
    # not in the body: its meetings are hidden (404), scheduling is refused (403)
    "outsider": {"list": OK, "detail": HIDDEN, "ics": HIDDEN, "new": FORBIDDEN, "edit": (FORBIDDEN, HIDDEN),
                 "attendance": (FORBIDDEN, HIDDEN)},
    "reporter": {"list": OK, "detail": HIDDEN, "ics": HIDDEN, "new": FORBIDDEN, "edit": (FORBIDDEN, HIDDEN),
                 "attendance": (FORBIDDEN, HIDDEN)},
}


def urls(meeting_id: int) -> dict[str, str]:
    return {"list": "/meetings/", "detail": f"/meetings/{meeting_id}", "new": "/meetings/new",
            "edit": f"/meetings/{meeting_id}/edit", "attendance": f"/meetings/{meeting_id}/attendance",
            "ics": f"/meetings/{meeting_id}.ics"}


def test_anonymous_is_sent_to_login_everywhere(client, meeting_id):
    for name, url in urls(meeting_id).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert "/login" in response.headers["Location"], name
    for action in ("cancel", "postpone", "rsvp"):
        response = client.post(f"/meetings/{meeting_id}/{action}", data={})
        assert response.status_code in (302, 400), action
        assert client.get(f"/meetings/{meeting_id}").status_code == 302
    assert fresh_meeting(meeting_id).status == "scheduled"


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_matrix(client, login, make_user, make_body, add_member, group, meeting_id, secretary, who):
    if who == "secretariat":
        user = secretary
    elif who == "member":
        user = member_of(group)
    elif who == "outsider":
        user = make_user("member", name="นายคนนอก")
        add_member(make_body("คณะอื่น", kind="committee"), user)
    else:
        user = make_user(who)
    login(user)
    for name, url in urls(meeting_id).items():
        response = client.get(url)
        expected = EXPECTED[who][name]
        allowed = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in allowed, (who, name, response.status_code)
        if name == "ics" and response.status_code == 200:
            assert response.mimetype == "text/calendar"
    listing = client.get("/meetings/").get_data(as_text=True)
    link = f'href="/meetings/{meeting_id}"'
    if who in ("outsider", "reporter"):
        assert link not in listing and "1/2563" not in listing
    else:
        assert link in listing


def test_member_may_not_cancel_postpone_or_edit(client, login, group, meeting_id):
    login(member_of(group))
    token = csrf_from(page(client, f"/meetings/{meeting_id}"))
    cancel = client.post(f"/meetings/{meeting_id}/cancel",
                         data={"cancel-csrf_token": token, "cancel-reason": "ไม่อยากประชุม"})
    postpone = client.post(f"/meetings/{meeting_id}/postpone",
                           data={"postpone-csrf_token": token, "postpone-starts_at": "17/09/2563 09.30",
                                 "postpone-ends_at": "17/09/2563 12.00"})
    edit = client.post(f"/meetings/{meeting_id}/edit", data={"csrf_token": token, "venue": "ห้องอื่น"})
    attendance = client.post(f"/meetings/{meeting_id}/attendance", data={"csrf_token": token})
    assert (cancel.status_code, postpone.status_code, edit.status_code, attendance.status_code) == (403,) * 4
    meeting = fresh_meeting(meeting_id)
    assert (meeting.status, meeting.sequence, meeting.venue) == ("scheduled", 0, "ห้องประชุมจันทรเกษม")
    assert count(Attendance) == 0


# --- scheduling through the form -----------------------------------------------------------------

def meeting_form(group, token: str, **overrides) -> dict:
    data = {"body_id": group.id, "title": "", "starts_at": "10/09/2563 09.30", "ends_at": "10/09/2563 12.00",
            "mode": "hybrid", "venue": "ห้องประชุมจันทรเกษม 2", "online_url": "https://zoom.us/j/555",
            "stream_url": "https://www.youtube.com/@OBECChannel/live", "chair_id": member_of(group, 0).id,
            "number": "", "notes": "", "notify": "y", "confirm_past": "y", "csrf_token": token}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_secretariat_schedules_through_the_form(client, login, secretary, group, outbox):
    login(secretary)
    form_page = page(client, f"/meetings/new?body={group.id}")
    assert f'value="{group.id}" selected' in form_page or f'selected value="{group.id}"' in form_page
    response = client.post("/meetings/new", data=meeting_form(group, csrf_from(form_page)))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = db.session.scalar(db.select(Meeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.code, meeting.mode, meeting.chair_id) == ("1/2563", "hybrid", member_of(group, 0).id)
    assert meeting.online_url == "https://zoom.us/j/555"
    html = page(client, f"/meetings/{meeting.id}")
    assert "ครั้งที่" in html and '<dd class="col-sm-9" id="meeting-code">1/2563</dd>' in html
    assert "ประจำปีงบประมาณ พ.ศ. 2563 ครั้งที่ 1/2563" in html  # the default title
    assert "10 กันยายน 2563" in html and "09.30" in html  # Bangkok time, BE year
    assert "2020" not in re.sub(r"<[^>]+>", "", html.split('id="meeting-code"')[1].split("</dl>")[0])
    assert "https://zoom.us/j/555" in html and "ห้องประชุมจันทรเกษม 2" in html
    assert "บันทึกการประชุมครั้งที่ 1/2563 แล้ว" in html  # the flash message
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 3  # one invitation per member
    assert all(m.kind == "meeting.invite" for m in db.session.scalars(db.select(OutgoingMail)))
    # a second meeting of the same fiscal year gets the next number
    second = client.post("/meetings/new", data=meeting_form(
        group, csrf_from(form_page), starts_at="24/09/2563 13.30", ends_at="24/09/2563 16.30", notify=None))
    assert second.status_code == 302
    assert db.session.scalar(db.select(Meeting).order_by(Meeting.id.desc())).code == "2/2563"
    assert len(list(outbox.glob("*.eml"))) == 3  # notify unchecked: no new mail


@pytest.mark.parametrize("overrides,message", [
    ({"ends_at": "10/09/2563 09.00"}, "เวลาสิ้นสุดต้องหลังเวลาเริ่ม"),
    ({"mode": "online", "venue": "", "online_url": ""}, "การประชุมออนไลน์หรือแบบผสมต้องมีลิงก์เข้าร่วมประชุม"),
    ({"online_url": "http://zoom.us/j/1"}, "ต้องเป็นลิงก์ที่ขึ้นต้นด้วย https://"),
    ({"stream_url": "javascript:alert(1)"}, "ต้องเป็นลิงก์ที่ขึ้นต้นด้วย https://"),
    ({"mode": "onsite", "venue": ""}, "การประชุม ณ สถานที่หรือแบบผสมต้องระบุสถานที่"),
    ({"starts_at": ""}, "กรุณาระบุวันเวลาเริ่ม"),
])
def test_bad_form_input_is_422_with_the_thai_message_and_saves_nothing(client, login, secretary, group, outbox,
                                                                      overrides, message):
    login(secretary)
    token = csrf_from(page(client, "/meetings/new"))
    response = client.post("/meetings/new", data=meeting_form(group, token, **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "javascript:alert" not in html.replace('value="javascript:alert(1)"', "")
    assert count(Meeting) == 0 and count(OutgoingMail) == 0
    assert not list(outbox.glob("*.eml"))


def test_new_meeting_without_csrf_is_refused(client, login, secretary, group):
    login(secretary)
    response = client.post("/meetings/new", data=meeting_form(group, "bogus"))
    assert response.status_code in (400, 422)
    assert count(Meeting) == 0


# --- changes -------------------------------------------------------------------------------------

def test_edit_form_moves_the_meeting_and_raises_sequence(client, login, secretary, group, meeting_id, outbox):
    login(secretary)
    form_page = page(client, f"/meetings/{meeting_id}/edit")
    assert 'value="10/09/2563 09.30"' in form_page  # Bangkok time in the form, not UTC
    meeting = fresh_meeting(meeting_id)
    data = meeting_form(group, csrf_from(form_page), title=meeting.title, mode="onsite", online_url="",
                        stream_url="", venue="ห้องประชุมสุนทรธรรม", chair_id="", version=meeting.version)
    del data["number"]
    response = client.post(f"/meetings/{meeting_id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = fresh_meeting(meeting_id)
    assert (meeting.venue, meeting.sequence, meeting.code) == ("ห้องประชุมสุนทรธรรม", 1, "1/2563")
    assert [m.kind for m in db.session.scalars(db.select(OutgoingMail))] == ["meeting.update"] * 3
    # a stale version (someone else saved in between) is refused, nothing changes
    stale = client.post(f"/meetings/{meeting_id}/edit", data={**data, "venue": "ห้องที่สาม"})
    assert stale.status_code == 409
    assert fresh_meeting(meeting_id).venue == "ห้องประชุมสุนทรธรรม"
    # a bad change shows the message and keeps the stored meeting
    bad = client.post(f"/meetings/{meeting_id}/edit",
                      data={**data, "version": meeting.version, "ends_at": "10/09/2563 08.00"})
    assert bad.status_code == 422 and "เวลาสิ้นสุดต้องหลังเวลาเริ่ม" in bad.get_data(as_text=True)
    assert fresh_meeting(meeting_id).sequence == 1


def test_postpone_form(client, login, secretary, group, meeting_id):
    login(secretary)
    token = csrf_from(page(client, f"/meetings/{meeting_id}"))
    response = client.post(f"/meetings/{meeting_id}/postpone", data={
        "postpone-csrf_token": token, "postpone-starts_at": "17/09/2563 13.30", "postpone-ends_at": "17/09/2563 16.00",
        "postpone-reason": "ประธานติดราชการ", "postpone-notify": "y", "postpone-confirm_past": "y", "confirmed": "1"})
    assert response.status_code == 302
    meeting = fresh_meeting(meeting_id)
    assert (meeting.status, meeting.sequence) == ("postponed", 1)
    assert "ประธานติดราชการ" in (meeting.notes or "")
    assert [m.kind for m in db.session.scalars(db.select(OutgoingMail))] == ["meeting.update"] * 3
    html = page(client, f"/meetings/{meeting_id}")
    assert "17 กันยายน 2563" in html and "เลื่อนการประชุม" in html
    # postponing to the same time is refused
    again = client.post(f"/meetings/{meeting_id}/postpone", data={
        "postpone-csrf_token": token, "postpone-starts_at": "17/09/2563 13.30", "postpone-ends_at": "17/09/2563 16.00",
        "postpone-confirm_past": "y", "confirmed": "1"})
    assert again.status_code == 302
    assert fresh_meeting(meeting_id).sequence == 1
    assert count(OutgoingMail) == 3


def test_cancel_form_needs_a_reason_and_shows_it(client, login, secretary, group, meeting_id):
    login(secretary)
    token = csrf_from(page(client, f"/meetings/{meeting_id}"))
    refused = client.post(f"/meetings/{meeting_id}/cancel", data={"cancel-csrf_token": token, "cancel-reason": "  "},
                          follow_redirects=True)
    assert "กรุณาระบุเหตุผลที่ยกเลิก" in refused.get_data(as_text=True)
    assert fresh_meeting(meeting_id).status == "scheduled"
    no_csrf = client.post(f"/meetings/{meeting_id}/cancel", data={"cancel-reason": "ติดภารกิจ"})
    assert no_csrf.status_code in (302, 400)
    assert fresh_meeting(meeting_id).status == "scheduled"
    response = client.post(f"/meetings/{meeting_id}/cancel",
                           data={"cancel-csrf_token": token, "cancel-reason": "ประธานติดภารกิจเร่งด่วน",
                                 "cancel-notify": "y", "confirmed": "1"})
    assert response.status_code == 302
    meeting = fresh_meeting(meeting_id)
    assert (meeting.status, meeting.cancel_reason, meeting.sequence) == ("cancelled", "ประธานติดภารกิจเร่งด่วน", 1)
    assert [m.kind for m in db.session.scalars(db.select(OutgoingMail))] == ["meeting.cancel"] * 3
    html = page(client, f"/meetings/{meeting_id}")
    assert "ยกเลิกการประชุม" in html and "ประธานติดภารกิจเร่งด่วน" in html
    assert f'/meetings/{meeting_id}/edit"' not in html  # no more changes offered
    edit = client.post(f"/meetings/{meeting_id}/edit", data={**meeting_form(group, token, number=None),
                                                             "version": meeting.version})
    assert edit.status_code == 409
    assert fresh_meeting(meeting_id).venue == "ห้องประชุมจันทรเกษม"


# --- RSVP ----------------------------------------------------------------------------------------

def test_rsvp_form(client, app, login, group, upcoming_id, make_user, secretary):
    meeting_id = upcoming_id
    member = member_of(group)
    login(member)
    html = page(client, f"/meetings/{meeting_id}")
    assert 'id="rsvp"' in html and 'id="emeeting"' in html
    token = prefixed_csrf(html, "rsvp")
    response = client.post(f"/meetings/{meeting_id}/rsvp", data={
        "rsvp-csrf_token": token, "rsvp-response": "delegated", "rsvp-delegate_name": "นายผู้แทน ทดสอบ",
        "rsvp-note": "ติดราชการต่างจังหวัด"})
    assert response.status_code == 302
    db.session.expire_all()
    rsvp = db.session.scalar(db.select(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == member.id))
    assert (rsvp.response, rsvp.delegate_name, rsvp.note) == ("delegated", "นายผู้แทน ทดสอบ", "ติดราชการต่างจังหวัด")
    html = page(client, f"/meetings/{meeting_id}")
    counts = re.sub(r"\s+", " ", html.split('id="rsvp-counts"')[1].split("</p>")[0])
    assert 'มอบหมายผู้แทน <span class="badge bg-info text-dark">1</span>' in counts
    assert 'ยังไม่ตอบ <span class="badge bg-light text-dark">2</span>' in counts
    # changing one's answer replaces it; delegating without a name is refused
    client.post(f"/meetings/{meeting_id}/rsvp", data={"rsvp-csrf_token": token, "rsvp-response": "accepted"})
    refused = client.post(f"/meetings/{meeting_id}/rsvp", data={"rsvp-csrf_token": token, "rsvp-response": "delegated"},
                          follow_redirects=True)
    assert "กรุณาระบุชื่อผู้มาประชุมแทน" in refused.get_data(as_text=True)
    db.session.expire_all()
    answers = db.session.scalars(db.select(Rsvp).where(Rsvp.meeting_id == meeting_id)).all()
    assert [(r.user_id, r.response, r.delegate_name) for r in answers] == [(member.id, "accepted", None)]
    html = page(client, f"/meetings/{meeting_id}")
    assert 'เข้าร่วม <span class="badge bg-success">1</span>' in html
    # a viewer and the secretariat see the meeting but do not answer for the body
    for other in (make_user("viewer"), secretary):
        c = app.test_client()
        login(other, c=c)
        other_html = page(c, f"/meetings/{meeting_id}")
        assert 'id="rsvp"' not in other_html
        refused = c.post(f"/meetings/{meeting_id}/rsvp",
                         data={"rsvp-csrf_token": csrf_from(other_html), "rsvp-response": "accepted"})
        assert refused.status_code == 403
    assert count(Rsvp) == 1


def test_a_meeting_that_is_over_asks_nothing_more_of_its_members(client, login, group, meeting_id, token_for):
    member = member_of(group)
    login(member)
    html = page(client, f"/meetings/{meeting_id}")
    assert 'id="rsvp"' not in html and 'id="answer"' not in html  # no answer form
    assert 'id="emeeting"' not in html  # no identity check, check-in or incident log
    refused = client.post(f"/meetings/{meeting_id}/rsvp", data={"rsvp-csrf_token": csrf_from(html),
                                                                 "rsvp-response": "accepted"}, follow_redirects=True)
    assert "การประชุมนี้เสร็จสิ้นแล้ว" in refused.get_data(as_text=True)
    api = client.post(f"/api/v1/meetings/{meeting_id}/rsvp", json={"response": "accepted"}, headers=token_for(member))
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "meeting_ended"
    assert count(Rsvp) == 0


def test_rsvp_by_member_of_another_body_is_refused(client, login, make_user, make_body, add_member, meeting_id):
    outsider = make_user("member")
    add_member(make_body("คณะอื่น", kind="committee"), outsider)
    login(outsider)
    token = csrf_from(page(client, "/meetings/"))
    response = client.post(f"/meetings/{meeting_id}/rsvp", data={"rsvp-csrf_token": token, "rsvp-response": "accepted"})
    assert response.status_code in (403, 404)
    assert count(Rsvp) == 0


# --- attendance ----------------------------------------------------------------------------------

def test_attendance_page_saves_rows_and_refuses_a_nameless_delegate(client, login, secretary, group, meeting_id):
    chair, first, second = (m.user for m in group.memberships)
    login(secretary)
    html = page(client, f"/meetings/{meeting_id}/attendance")
    for user in (chair, first, second):
        assert f'name="status-{user.id}"' in html
    token = csrf_from(html)
    data = {"csrf_token": token,
            f"status-{chair.id}": "present",
            f"status-{first.id}": "absent", f"reason-{first.id}": "ติดราชการ",
            f"status-{second.id}": "delegate", f"delegate-{second.id}": "นายแทน ทดสอบ",
            "guest_name": ["นางผู้สังเกตการณ์", "", ""], "guest_position": ["นักวิเคราะห์นโยบาย", "", ""]}
    response = client.post(f"/meetings/{meeting_id}/attendance", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    rows = {(a.user_id, a.name, a.status, a.reason, a.delegate_name, a.position)
            for a in db.session.scalars(db.select(Attendance).where(Attendance.meeting_id == meeting_id))}
    assert rows == {
        (chair.id, chair.name, "present", None, None, None),
        (first.id, first.name, "absent", "ติดราชการ", None, None),
        (second.id, second.name, "delegate", None, "นายแทน ทดสอบ", None),
        (None, "นางผู้สังเกตการณ์", "guest", None, None, "นักวิเคราะห์นโยบาย"),
    }
    detail = page(client, f"/meetings/{meeting_id}")
    assert f"นายแทน ทดสอบ มาประชุมแทน {second.name}" in detail and "(ติดราชการ)" in detail
    # delegate without a name: 422 with the message, the saved list is kept
    bad = {**data, f"delegate-{second.id}": "  ", f"status-{chair.id}": "online"}
    refused = client.post(f"/meetings/{meeting_id}/attendance", data=bad)
    assert refused.status_code == 422
    assert "กรุณาระบุชื่อผู้มาประชุมแทน" in refused.get_data(as_text=True)
    db.session.expire_all()
    again = {(a.user_id, a.status) for a in db.session.scalars(db.select(Attendance))}
    assert again == {(chair.id, "present"), (first.id, "absent"), (second.id, "delegate"), (None, "guest")}
    # no CSRF token: refused
    assert client.post(f"/meetings/{meeting_id}/attendance", data={**data, "csrf_token": ""}).status_code == 400
    assert count(Attendance) == 4


def test_attendance_of_a_cancelled_meeting_is_refused(client, login, staff, secretary, group, meeting_id):
    assert client.post(f"/api/v1/meetings/{meeting_id}/cancel", json={"reason": "งดประชุม"},
                       headers=staff).status_code == 200
    chair = member_of(group, 0)
    login(secretary)
    token = csrf_from(page(client, f"/meetings/{meeting_id}/attendance"))
    response = client.post(f"/meetings/{meeting_id}/attendance",
                           data={"csrf_token": token, f"status-{chair.id}": "present"})
    assert response.status_code == 409
    assert "การประชุมนี้ถูกยกเลิกแล้ว" in response.get_data(as_text=True)
    assert count(Attendance) == 0


# --- lists and dates ------------------------------------------------------------------------------

def test_list_filters_by_body_and_be_year(client, login, staff, secretary, group, make_body):
    other = make_body("คณะกรรมการนโยบาย", kind="committee")
    schedule(client, staff, group.id, title="ประชุมกลุ่ม ก", notify=False)
    schedule(client, staff, group.id, title="ประชุมกลุ่ม ข", starts_at="2020-10-05T09:00", ends_at="2020-10-05T10:00",
             notify=False)
    schedule(client, staff, other.id, title="ประชุมนโยบาย ค", venue="ห้องอื่น", notify=False)
    login(secretary)
    everything = page(client, "/meetings/")
    assert all(title in everything for title in ("ประชุมกลุ่ม ก", "ประชุมกลุ่ม ข", "ประชุมนโยบาย ค"))
    by_body = page(client, f"/meetings/?body={group.id}")
    assert "ประชุมกลุ่ม ก" in by_body and "ประชุมกลุ่ม ข" in by_body and "ประชุมนโยบาย ค" not in by_body
    assert f'value="{group.id}" selected' in by_body
    by_year = page(client, f"/meetings/?body={group.id}&year=2564")  # fiscal 2564 starts 1 Oct 2020
    assert "ประชุมกลุ่ม ข" in by_year and "ประชุมกลุ่ม ก" not in by_year and "ประชุมนโยบาย ค" not in by_year
    assert 'value="2564"' in by_year
    calendar_year = page(client, "/meetings/?year=2563")
    assert "ประชุมกลุ่ม ก" in calendar_year and "ประชุมนโยบาย ค" in calendar_year
    assert "ประชุมกลุ่ม ข" not in calendar_year
    assert "ประชุมกลุ่ม" not in page(client, "/meetings/?year=2020")  # CE years are not BE years


def test_list_shows_thai_dates_with_be_year_and_english_on_request(client, login, staff, secretary, group):
    schedule(client, staff, group.id, notify=False)
    login(secretary)
    html = page(client, "/meetings/")
    assert '<html lang="th"' in html
    assert "10 กันยายน 2563" in html and "09.30 น." in html
    assert "2020" not in html.split("<main", 1)[1]  # no CE year in the page body
    english = page(client, "/meetings/?lang=en")
    assert '<html lang="en"' in english
    assert "10 Sep 2020 09:30" in english and "กันยายน" not in english
