"""Resolutions by circulation (มติเวียน): the secretariat circulates a matter to a body's members, who answer by
one-click links or on the page; reminders go to those pending, once a day; at the deadline (lazily, or by the
reminders command), when all have answered, or by closing, the result is recorded with its tally and names and
reported in section 4 of the body's next meeting; the memo and the result come as DOCX; every route for every
role; the API."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from docx import Document

from app import thaidates
from app.agenda.models import AgendaItem
from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.circulations import services
from app.circulations.links import circulation_token
from app.circulations.models import Circulation, CirculationAnswer
from app.dbtypes import utcnow
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings import services as meetings
from app.notify.models import NoticeSent
from tests.conftest import csrf_from
from tests.when import local

LINK = re.compile(r"^- (เห็นชอบ|ไม่เห็นชอบ|มีความเห็นเพิ่มเติม): (\S+)$", re.MULTILINE)
WORDS = {"เห็นชอบ": "approve", "ไม่เห็นชอบ": "reject", "มีความเห็นเพิ่มเติม": "comment"}
NAMES = ["นายหนึ่ง ทดสอบ", "นางสองทดสอบ ใจดี", "นายสาม มั่นคง", "นางสาวสี่ ศรีสุข", "นายห้า ทองดี", "นางหก รักงาน",
         "นายเจ็ด ล่าช้า"]



@pytest.fixture
def scene(make_body, make_user, add_member):
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน")
    body.document_prefix = "ศธ 0201.4"
    members = [make_user("member", name=name, email=f"m{n}@example.go.th") for n, name in enumerate(NAMES, 1)]
    for member in members:
        add_member(body, member)
    secretariat = make_user("secretariat", name="นางเลขา ฝ่ายเลขานุการ")
    outsider = make_user("member", name="นายนอก คณะ")
    db.session.commit()
    return body, members, secretariat, outsider


def circulate(body, secretariat, days: int = 7, **fields) -> Circulation:
    raw = {"title": "ขอความเห็นชอบแผนปฏิบัติราชการ พ.ศ. 2564",
           "detail": "<p>ฝ่ายเลขานุการได้จัดทำ<strong>ร่างแผน</strong>แล้ว</p>",
           "question": "เห็นชอบร่างแผนปฏิบัติราชการหรือไม่", "deadline": utcnow() + timedelta(days=days), **fields}
    circulation = services.circulate(body, raw, secretariat)
    db.session.commit()
    return circulation


def links_of(address: str, kind: str = "circulation.requested") -> dict[str, str]:
    """{answer: path} of the latest notice of `kind` to `address`."""
    mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.to_email == address, OutgoingMail.kind == kind)
                              .order_by(OutgoingMail.id.desc())).first()
    assert mail is not None, f"no {kind} mail to {address}"
    return {WORDS[word]: urlsplit(url).path for word, url in LINK.findall(mail.body_text)}


def answer_by_link(client, path: str, **fields):
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **fields})


def expire(circulation: Circulation) -> None:
    """Move the deadline into the past (as if time went by)."""
    circulation.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()


def fresh(circulation_id: int) -> Circulation:
    db.session.expire_all()
    return db.session.get(Circulation, circulation_id)


def section_four(meeting) -> list[AgendaItem]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                                AgendaItem.section == 4)))


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# --- the acceptance -------------------------------------------------------------------------------------

def test_six_answer_by_link_the_seventh_is_reminded_and_the_result_goes_to_section_4(app, scene, client, login):
    body, members, secretariat, _ = scene
    meeting = meetings.schedule_meeting(body, {"starts_at": local(20, 9), "ends_at": local(20, 12),
                                               "mode": "onsite", "venue": "ห้องประชุม 1"}).meeting
    db.session.commit()
    login(secretariat)
    page = client.get(f"/bodies/{body.id}/circulations/new")
    assert page.status_code == 200
    deadline = thaidates.typed_datetime(thaidates.to_bangkok(utcnow() + timedelta(days=5)))
    response = client.post(f"/bodies/{body.id}/circulations/new", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "title": "ขอความเห็นชอบแผนปฏิบัติราชการ",
        "detail": "รายละเอียดของแผน", "question": "เห็นชอบหรือไม่", "deadline": deadline,
        "papers": (io.BytesIO(b"%PDF-1.4 plan"), "ร่างแผน.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    circulation = db.session.scalar(db.select(Circulation))
    assert [p.title for p in circulation.papers] == ["ร่างแผน.pdf"]
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})

    phone = app.test_client()  # a member's phone: never signed in
    for member, answer in zip(members[:6], ["approve"] * 5 + ["comment"]):
        links = links_of(member.email)
        assert list(links) == ["approve", "reject", "comment"]
        fields = {"answer": answer, "comment": "ขอให้เพิ่มตัวชี้วัด" if answer == "comment" else ""}
        assert answer_by_link(phone, links[answer], **fields).status_code == 302
    assert fresh(circulation.id).state == "open"

    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    reminded = db.session.scalars(db.select(OutgoingMail.to_email).where(OutgoingMail.kind == "circulation.reminder"))
    assert list(reminded) == [members[6].email]
    app.test_cli_runner().invoke(args=["reminders", "send"])  # the same day again: nobody twice
    assert db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail)
                             .where(OutgoingMail.kind == "circulation.reminder")) == 1

    expire(fresh(circulation.id))
    app.test_cli_runner().invoke(args=["reminders", "send"])  # the scheduled run closes it at the deadline
    circulation = fresh(circulation.id)
    assert circulation.state == "closed" and circulation.close_reason == "deadline"
    assert circulation.result["counts"] == {"approve": 5, "reject": 0, "comment": 1, "none": 1}
    assert circulation.result["outcome"] == "approved"
    [item] = section_four(meeting)
    assert item.id == circulation.agenda_item_id and item.number == "4.1"
    assert "ผลการขอมติเวียน" in item.title and "ขอความเห็นชอบแผนปฏิบัติราชการ" in item.title
    assert "เห็นชอบ 5 คน" in item.detail and "ไม่ได้ตอบ 1 คน" in item.detail and NAMES[0] in item.detail
    assert "ขอให้เพิ่มตัวชี้วัด" in item.detail
    login(secretariat, c=phone)
    minutes = docx_text(phone.get(f"/meetings/{meeting.id}/minutes.docx").data)  # and thus in its minutes
    assert "4.1 ผลการขอมติเวียน เรื่อง ขอความเห็นชอบแผนปฏิบัติราชการ" in minutes and "เห็นชอบ 5 คน" in minutes


# --- deadlines --------------------------------------------------------------------------------------------

def test_an_answer_after_the_deadline_is_refused_and_the_circulation_closes_when_read(client, scene, token_for):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    services.record_answer(circulation, members[0], "approve")
    db.session.commit()
    expire(circulation)
    response = client.post(f"/api/v1/circulations/{circulation.id}/answers", json={"answer": "reject"},
                           headers=token_for(members[1]))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "circulation_closed"
    got = client.get(f"/api/v1/circulations/{circulation.id}", headers=token_for(members[1])).get_json()
    assert got["state"] == "closed" and got["result"]["close_reason"] == "deadline"
    assert got["result"]["counts"] == {"approve": 1, "reject": 0, "comment": 0, "none": 6}
    assert got["result"]["outcome"] == "no_decision"
    assert fresh(circulation.id).state == "closed"  # the lazy close was kept


def test_the_last_answer_closes_and_a_change_before_the_deadline_replaces_the_earlier_one(scene):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    services.record_answer(circulation, members[0], "approve")
    services.record_answer(circulation, members[0], "reject", "ขอทบทวน")
    db.session.commit()
    rows = db.session.scalars(db.select(CirculationAnswer).where(CirculationAnswer.user_id == members[0].id)).all()
    assert [(r.answer, r.comment) for r in rows] == [("reject", "ขอทบทวน")]
    changes = db.session.scalars(db.select(AuditEvent.changes).where(AuditEvent.action == "circulation.answer")).all()
    assert changes[-1]["answer"] == ["approve", "reject"]
    for member in members[1:]:
        services.record_answer(circulation, member, "approve")
    db.session.commit()
    circulation = fresh(circulation.id)
    assert circulation.state == "closed" and circulation.close_reason == "all_answered"
    assert circulation.result["counts"]["approve"] == 6 and circulation.result["outcome"] == "approved"


def test_a_comment_answer_needs_its_comment_and_an_outsider_may_not_answer(client, scene, token_for):
    body, members, secretariat, outsider = scene
    circulation = circulate(body, secretariat)
    response = client.post(f"/api/v1/circulations/{circulation.id}/answers", json={"answer": "comment"},
                           headers=token_for(members[0]))
    assert response.status_code == 422 and "comment" in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/circulations/{circulation.id}/answers", json={"answer": "approve"},
                           headers=token_for(secretariat))
    assert response.status_code == 403
    response = client.post(f"/api/v1/circulations/{circulation.id}/answers", json={"answer": "approve"},
                           headers=token_for(outsider))
    assert response.status_code == 404  # cannot even read another body's circulation


# --- reminders -----------------------------------------------------------------------------------------------

def test_reminders_reach_only_those_pending_once_a_day(scene):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    for member in members[:4]:
        services.record_answer(circulation, member, "approve")
    day = thaidates.today_bangkok()
    assert services.send_circulation_reminders(day) == (3, 0)
    assert services.send_circulation_reminders(day) == (0, 3)
    assert services.remind_pending(circulation, day, secretariat).sent == 0  # the button too: not twice a day
    assert services.send_circulation_reminders(day + timedelta(days=1)) == (3, 0)
    db.session.commit()
    sent = set(db.session.scalars(db.select(NoticeSent.user_id).where(NoticeSent.kind == "circulation.reminder")))
    assert sent == {m.id for m in members[4:]}


def test_the_reminder_button_is_the_secretariats(client, login, scene):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    login(members[0])
    page = client.get(f"/circulations/{circulation.id}")
    assert "เตือนผู้ที่ยังไม่ตอบ" not in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    assert client.post(f"/circulations/{circulation.id}/remind", data={"csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    login(secretariat)
    page = client.get(f"/circulations/{circulation.id}")
    response = client.post(f"/circulations/{circulation.id}/remind",
                           data={"csrf_token": csrf_from(page.get_data(as_text=True))}, follow_redirects=True)
    assert "ส่งคำเตือนถึง 7 คน" in response.get_data(as_text=True)


# --- one-click links -------------------------------------------------------------------------------------------

def test_a_link_opens_without_recording_and_its_post_records_for_its_own_member(app, scene):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    phone = app.test_client()
    links = links_of(members[0].email)
    mail = db.session.scalar(db.select(OutgoingMail).where(OutgoingMail.to_email == members[0].email))
    assert mail.body_html.count("border-radius:6px") == 3 and ">มีความเห็นเพิ่มเติม</a>" in mail.body_html  # buttons
    page = phone.get(links["reject"])
    assert page.status_code == 200 and 'value="reject"' in page.get_data(as_text=True)
    assert all(row.answer is None for row in fresh(circulation.id).answers)  # a mail scanner's GET changes nothing
    assert answer_by_link(phone, links["reject"], answer="reject").status_code == 302
    answers = {row.user_id: row.answer for row in fresh(circulation.id).answers}
    assert answers[members[0].id] == "reject" and answers[members[1].id] is None
    audit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "circulation.answer.link"))
    assert audit.user_id == members[0].id


def test_forged_foreign_and_expired_links_are_refused(app, scene, make_body, add_member):
    body, members, secretariat, outsider = scene
    circulation = circulate(body, secretariat)
    phone = app.test_client()
    path = links_of(members[0].email)["approve"]
    assert phone.get(path[:-3] + "abc").status_code == 404  # altered signature
    other = make_body("คณะอื่น")
    add_member(other, outsider)
    foreign = circulate(other, secretariat)
    with app.test_request_context():
        not_asked = circulation_token(circulation, outsider)  # a token naming someone not asked
        meeting_salt = circulation_token(foreign, members[0])  # a member of another body's circulation
    assert phone.get(f"/circulations/answer/{not_asked}").status_code == 404
    assert phone.get(f"/circulations/answer/{meeting_salt}").status_code == 404
    assert phone.get(f"/answer/{not_asked}").status_code == 404  # not a meeting answer link either
    expire(circulation)
    page = phone.get(path)
    assert page.status_code == 400 and "ปิดแล้วหรือเลยกำหนดตอบแล้ว" in page.get_data(as_text=True)


# --- the next meeting -----------------------------------------------------------------------------------------

def test_a_result_without_a_next_meeting_goes_to_the_next_one_scheduled(scene):
    body, members, secretariat, _ = scene
    past = meetings.schedule_meeting(body, {"starts_at": local(-20, 9), "ends_at": local(-20, 12),
                                            "mode": "onsite", "venue": "ห้อง 1"}, notify=False).meeting
    circulation = circulate(body, secretariat)
    services.close_circulation(circulation, secretariat)
    db.session.commit()
    assert fresh(circulation.id).agenda_item_id is None and section_four(past) == []
    meeting = meetings.schedule_meeting(body, {"starts_at": local(30, 9), "ends_at": local(30, 12),
                                               "mode": "onsite", "venue": "ห้อง 1"}).meeting
    db.session.commit()
    [item] = section_four(meeting)
    assert fresh(circulation.id).agenda_item_id == item.id and "ไม่ได้ตอบ 7 คน" in item.detail
    later = meetings.schedule_meeting(body, {"starts_at": local(60, 9), "ends_at": local(60, 12),
                                             "mode": "onsite", "venue": "ห้อง 1"}).meeting
    db.session.commit()
    assert section_four(later) == []  # reported once


# --- documents --------------------------------------------------------------------------------------------------

def test_the_memo_and_the_result_documents(client, login, scene):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    services.record_answer(circulation, members[0], "approve")
    services.record_answer(circulation, members[1], "reject", "ควรรอข้อมูลงบประมาณ")
    services.record_answer(circulation, members[2], "comment", "เพิ่มตัวชี้วัดด้านคุณภาพ")
    db.session.commit()
    login(secretariat)
    assert client.get(f"/circulations/{circulation.id}/result.docx").status_code == 409
    memo = client.get(f"/circulations/{circulation.id}/memo.docx")
    assert memo.status_code == 200 and memo.mimetype.endswith("wordprocessingml.document")
    text = docx_text(memo.data)
    for words in ("บันทึกข้อความ", "ขอมติเวียน เรื่อง ขอความเห็นชอบแผนปฏิบัติราชการ พ.ศ. 2564", "ร่างแผน",
                  "ประเด็นที่ขอมติ: เห็นชอบร่างแผนปฏิบัติราชการหรือไม่", "จึงเรียนมาเพื่อโปรดพิจารณาให้ความเห็น",
                  "ศธ 0201.4"):
        assert words in text, words
    services.close_circulation(fresh(circulation.id), secretariat)
    db.session.commit()
    result = client.get(f"/circulations/{circulation.id}/result.docx")
    assert result.status_code == 200
    text = docx_text(result.data)
    for words in ("รายงานผลการขอมติเวียน", "ผลปรากฏว่าไม่ได้มติ", "เห็นชอบ 1 คน", "ไม่เห็นชอบ 1 คน",
                  "มีความเห็นเพิ่มเติม 1 คน", "ไม่ได้ตอบ 4 คน", f"1. {NAMES[0]}",
                  f"1. {NAMES[1]} — ความเห็น: ควรรอข้อมูลงบประมาณ", "เพิ่มตัวชี้วัดด้านคุณภาพ", NAMES[6],
                  "จึงเรียนมาเพื่อโปรดทราบ"):
        assert words in text, words


# --- the API ---------------------------------------------------------------------------------------------------------

def test_the_api_circulates_lists_answers_shows_and_closes(client, scene, token_for):
    body, members, secretariat, _ = scene
    staff = token_for(secretariat)
    response = client.post(f"/api/v1/bodies/{body.id}/circulations", headers=staff, json={
        "title": "ขอความเห็นชอบ", "detail": "รายละเอียด", "question": "เห็นชอบหรือไม่", "deadline": local(3, 16)})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["state"] == "open" and sorted(created["pending"]) == sorted(m.id for m in members)
    cid = created["id"]
    bad = client.post(f"/api/v1/bodies/{body.id}/circulations", headers=staff, json={
        "title": "x", "question": "y", "deadline": local(-1, 9)})
    assert bad.status_code == 422 and "deadline" in bad.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/bodies/{body.id}/circulations", headers=token_for(members[0]), json={
        "title": "x", "question": "y", "deadline": local(3, 9)}).status_code == 403
    mine = client.post(f"/api/v1/circulations/{cid}/answers", headers=token_for(members[0]),
                       json={"answer": "approve"}).get_json()
    assert mine["my_answer"] == "approve" and [a["user_id"] for a in mine["answers"]] == [members[0].id]
    client.post(f"/api/v1/circulations/{cid}/answers", headers=token_for(members[1]),
                json={"answer": "comment", "comment": "เห็นด้วยบางส่วน"})
    seen_by_member = client.get(f"/api/v1/circulations/{cid}", headers=token_for(members[0])).get_json()
    assert [a["user_id"] for a in seen_by_member["answers"]] == [members[0].id]  # others' only once closed
    seen_by_staff = client.get(f"/api/v1/circulations/{cid}", headers=staff).get_json()
    assert {a["user_id"]: a["answer"] for a in seen_by_staff["answers"]} == {members[0].id: "approve",
                                                                            members[1].id: "comment"}
    assert set(seen_by_staff["answers"][0]) >= {"user_id", "answer", "comment", "answered_at"}
    assert len(seen_by_staff["pending"]) == 5
    assert client.post(f"/api/v1/circulations/{cid}/close", headers=token_for(members[0])).status_code == 403
    closed = client.post(f"/api/v1/circulations/{cid}/close", headers=staff)
    assert closed.status_code == 200 and closed.get_json()["state"] == "closed"
    assert closed.get_json()["result"]["counts"] == {"approve": 1, "reject": 0, "comment": 1, "none": 5}
    assert client.post(f"/api/v1/circulations/{cid}/close", headers=staff).status_code == 409
    assert client.post(f"/api/v1/circulations/{cid}/answers", headers=token_for(members[2]),
                       json={"answer": "approve"}).status_code == 409
    listed = client.get(f"/api/v1/bodies/{body.id}/circulations", headers=token_for(members[3])).get_json()
    assert [c["id"] for c in listed["items"]] == [cid]
    assert len(listed["items"][0]["answers"]) == 2  # closed: everyone's answers


def test_a_member_sees_a_pending_circulation_on_the_home_page(client, login, scene):
    body, members, secretariat, _ = scene
    circulation = circulate(body, secretariat)
    login(members[0])
    home = client.get("/").get_data(as_text=True)
    assert "เรื่องที่ขอมติเวียนรอคำตอบ" in home and circulation.title in home
    services.record_answer(fresh(circulation.id), members[0], "approve")
    db.session.commit()
    assert "เรื่องที่ขอมติเวียนรอคำตอบ" not in client.get("/").get_data(as_text=True)


# --- every route for every role ------------------------------------------------------------------------------------

ROLES = ("admin", "secretariat", "member", "outsider", "reporter", "viewer")


@pytest.fixture
def matrix(scene, make_user):
    body, members, secretariat, outsider = scene
    users = {"admin": make_user("admin"), "secretariat": secretariat, "member": members[0], "outsider": outsider,
             "reporter": make_user("reporter"), "viewer": make_user("viewer")}
    open_one = circulate(body, secretariat, title="เรื่องที่ยังเปิด")
    closed_one = circulate(body, secretariat, title="เรื่องที่ปิดแล้ว")
    services.close_circulation(closed_one, secretariat)
    db.session.commit()
    return body, users, open_one, closed_one


def test_every_route_for_every_role(app, matrix, login):
    body, users, open_one, closed_one = matrix
    o, c = open_one.id, closed_one.id
    # (method, url, data, expected status for ROLES)
    cases = [
        ("GET", f"/bodies/{body.id}/circulations", None, (200, 200, 200, 404, 404, 200)),
        ("GET", f"/bodies/{body.id}/circulations/new", None, (200, 200, 403, 404, 404, 403)),
        ("GET", f"/circulations/{o}", None, (200, 200, 200, 404, 404, 200)),
        ("GET", f"/circulations/{o}/memo.docx", None, (200, 200, 200, 404, 404, 200)),
        ("GET", f"/circulations/{o}/result.docx", None, (409, 409, 409, 404, 404, 409)),
        ("GET", f"/circulations/{c}/result.docx", None, (200, 200, 200, 404, 404, 200)),
        ("POST", f"/circulations/{o}/answer", {"answer": "approve"}, (403, 403, 302, 404, 404, 403)),
        ("POST", f"/circulations/{o}/remind", {}, (302, 302, 403, 404, 404, 403)),
        ("POST", f"/circulations/{o}/papers", {"url": "https://example.go.th/plan.pdf", "title": "แผน"},
         (302, 302, 403, 404, 404, 403)),
        ("POST", f"/circulations/{c}/close", {}, (302, 302, 403, 404, 404, 403)),
    ]
    wrong = []
    for index, role in enumerate(ROLES):
        client = app.test_client()
        login(users[role], c=client)
        token = csrf_from(client.get("/profile").get_data(as_text=True))
        for method, url, data, statuses in cases:
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token, **data})
            if response.status_code != statuses[index]:
                wrong.append((role, method, url, response.status_code))
    assert wrong == []
    rows = {row.user_id: row.answer for row in fresh(o).answers}
    assert rows[users["member"].id] == "approve"  # only the member asked had an answer to give
    assert len(fresh(o).papers) == 2  # admin and secretariat


def test_signed_out_visitors_are_sent_to_sign_in(client, matrix):
    body, _, open_one, _ = matrix
    for url in (f"/bodies/{body.id}/circulations", f"/circulations/{open_one.id}",
                f"/circulations/{open_one.id}/memo.docx"):
        response = client.get(url)
        assert response.status_code == 302 and urlsplit(response.location).path == "/login"


def test_a_paper_is_downloaded_only_by_readers(app, matrix, login):
    body, users, open_one, _ = matrix
    paper = services.add_paper(open_one, io.BytesIO(b"%PDF-1.4 paper"), "เอกสาร.pdf", users["secretariat"])
    db.session.commit()
    for role, status in (("member", 200), ("viewer", 200), ("outsider", 404), ("reporter", 404)):
        client = app.test_client()
        login(users[role], c=client)
        assert client.get(f"/attachments/{paper.id}").status_code == status, role
    assert db.session.get(Attachment, paper.id).circulation_id == open_one.id
