"""The certified record is frozen: once a meeting's minutes are certified, every endpoint that could change its
minutes, agenda items, attachments, attendance or the meeting itself answers 409 (web and API) and changes
nothing, and the certified DOCX is the one stored at certification, whose SHA-256 the audit log carries.
Likewise an accepted report, or any report of a closed round, keeps its fields and evidence."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.agenda.models import AgendaItem
from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.bodies.models import Body
from app.extensions import db
from app.meetings.models import Attendance, Meeting
from app.minutes.models import Minutes, MinutesComment, MinutesItem, MinutesSnapshot, MinutesVersion
from app.reports.models import ProgressReport, ReportVersion
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import schedule
from tests.functional.test_reports_api import act, filed, ok, world  # noqa: F401 — the reports fixture

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@dataclass
class Certified:
    """Meeting 1 of a working group, certified at meeting 2: items, a file, attendance and minutes."""

    meeting_id: int
    later_id: int
    item_id: int
    attachment_id: int
    storage_key: str
    member_id: int
    body_id: int
    staff: dict
    member: dict
    sha256: str


def api_ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json() if response.is_json else {}


@pytest.fixture
def certified(client, make_user, make_body, add_member, token_for) -> Certified:
    staff_user = make_user("secretariat", email="secretariat@example.go.th")
    member_user = make_user("member", name="นางสาวกรรมการ หนึ่ง")
    group = make_body("คณะทำงานติดตามผล")
    add_member(group, member_user)
    staff, member = token_for(staff_user), token_for(member_user)
    meeting = api_ok(schedule(client, staff, group.id, notify=False), 201)
    later = api_ok(schedule(client, staff, group.id, starts_at="2020-10-10T09:30", ends_at="2020-10-10T12:00",
                            notify=False), 201)
    url = f"/api/v1/meetings/{meeting['id']}"
    first = api_ok(client.post(f"{url}/agenda-items", json={"section": 4, "title": "รายงานผล 9 เดือน"},
                               headers=staff), 201)
    second = api_ok(client.post(f"{url}/agenda-items", json={"section": 5, "title": "แผนปีถัดไป"},
                                headers=staff), 201)
    attachment = api_ok(client.post(f"/api/v1/agenda-items/{first['id']}/attachments", headers=staff,
                                    data={"file": (io.BytesIO(PDF), "ผล 9 เดือน.pdf")},
                                    content_type="multipart/form-data"), 201)
    api_ok(client.put(f"{url}/attendance", headers=staff, json={
        "members": [{"user_id": member_user.id, "status": "online", "identity_confirmed": True}],
        "guests": [{"name": "นายผู้สังเกตการณ์", "position": "ผู้แทน สพฐ."}]}))
    api_ok(client.put(f"{url}/minutes", headers=staff, json={
        "version": 0, "opened_at": "09:30", "closed_at": "11:45", "recorder": "นางเลขา ทดสอบ",
        "items": [{"agenda_item_id": first["id"], "discussion": "<p>รายงานความคืบหน้า</p>",
                   "resolution_kind": "acknowledged", "resolution": "ที่ประชุมรับทราบ", "actions": []},
                  {"agenda_item_id": second["id"], "discussion": "<p>พิจารณา</p>",
                   "resolution_kind": "approved", "resolution": "ที่ประชุมมีมติเห็นชอบ", "actions": []}]}))
    api_ok(client.post(f"{url}/minutes/circulate", headers=staff))
    api_ok(client.post(f"{url}/minutes/certify", headers=staff,
                       json={"at_meeting_id": later["id"], "amendments": "แก้ไขชื่อหน่วยงานในวาระที่ 4.1"}))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "minutes.certify"))
    stored = db.session.get(Attachment, attachment["id"])
    return Certified(meeting["id"], later["id"], first["id"], attachment["id"], stored.storage_key,
                     member_user.id, group.id, staff, member, event.changes["docx_sha256"][1])


def record_of(meeting_id: int) -> dict:
    """Everything of the meeting's record, read afresh from the database."""
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)).all()

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return {
        "meeting": (meeting.version, meeting.status, meeting.starts_at, meeting.ends_at, meeting.venue,
                    meeting.title, meeting.notes, meeting.sequence, meeting.agenda_state, meeting.cancel_reason),
        "items": sorted((i.id, i.section, i.position, i.title, i.detail, i.version, i.links) for i in items),
        "attachments": sorted((a.id, a.agenda_item_id, a.kind, a.title, a.url, a.storage_key)
                              for a in db.session.scalars(select(Attachment))),
        "attendance": [(a.user_id, a.name, a.status, a.reason, a.delegate_name) for a in db.session.scalars(
            select(Attendance).where(Attendance.meeting_id == meeting_id).order_by(Attendance.id))],
        "minutes": (minutes.version, minutes.state, minutes.opened_at, minutes.closed_at, minutes.amendments,
                    minutes.certified_at_meeting_id, minutes.recorder_name),
        "minutes_items": sorted((m.agenda_item_id, m.discussion, m.resolution_kind, m.resolution)
                                for m in db.session.scalars(select(MinutesItem))),
        "counts": tuple(count(model) for model in (MinutesVersion, MinutesComment, AuditEvent, MinutesSnapshot)),
    }


def docx_sha256(web) -> str:
    return hashlib.sha256(web.get_data()).hexdigest()


@pytest.fixture
def staff_web(app, certified, login):
    """A browser session of the secretariat, and its CSRF token."""
    from app.auth.models import User

    web = app.test_client()
    login(db.session.scalar(select(User).where(User.email == "secretariat@example.go.th")), c=web)
    return web, csrf_from(web.get(f"/meetings/{certified.later_id}/minutes").get_data(as_text=True))


def test_certification_stores_the_docx_and_its_sha256_in_the_audit_log(app, certified, staff_web):
    web, _token = staff_web
    snapshot = db.session.scalar(select(MinutesSnapshot))
    assert snapshot is not None and snapshot.sha256 == certified.sha256
    assert hashlib.sha256(snapshot.docx).hexdigest() == certified.sha256 and snapshot.docx[:2] == b"PK"
    response = web.get(f"/meetings/{certified.meeting_id}/minutes.docx")
    assert response.status_code == 200 and response.get_data() == snapshot.docx
    # what would be rendered now differs (the body was renamed), yet the certified document is served unchanged
    db.session.get(Body, certified.body_id).name = "คณะทำงานที่เปลี่ยนชื่อแล้ว"
    db.session.commit()
    from app.minutes.documents import minutes_doc
    from app import official_docx

    live = official_docx.minutes_docx(minutes_doc(db.session.get(Meeting, certified.meeting_id),
                                                  db.session.get(Minutes, snapshot.minutes_id)))
    assert hashlib.sha256(live).hexdigest() != certified.sha256
    assert docx_sha256(web.get(f"/meetings/{certified.meeting_id}/minutes.docx")) == certified.sha256


def api_attempts(c: Certified) -> list[tuple[str, str, dict, str]]:
    """(method, url, request keywords, who) of every API call that could change the certified record."""
    meeting = f"/api/v1/meetings/{c.meeting_id}"
    item = f"/api/v1/agenda-items/{c.item_id}"
    return [
        ("post", f"{meeting}/agenda-items", {"json": {"section": 4, "title": "วาระเพิ่มหลังรับรอง"}}, "staff"),
        ("patch", item, {"json": {"title": "แก้ไขหลังรับรอง"}}, "staff"),
        ("patch", item, {"json": {"section": 6, "position": 1}}, "staff"),
        ("delete", item, {}, "staff"),
        ("post", f"{meeting}/agenda/publish", {"json": {"notify": False}}, "staff"),
        ("post", f"{item}/attachments", {"data": lambda: {"file": (io.BytesIO(PDF), "ใหม่.pdf")},
                                         "content_type": "multipart/form-data"}, "staff"),
        ("post", f"{item}/links", {"json": {"url": "https://www.moe.go.th/news"}}, "staff"),
        ("delete", f"/api/v1/attachments/{c.attachment_id}", {}, "staff"),
        ("put", f"{meeting}/attendance", {"json": {"members": [{"user_id": c.member_id, "status": "absent",
                                                                "reason": "ติดราชการ"}], "guests": []}}, "staff"),
        ("put", f"{meeting}/minutes", {"json": {"version": 4, "opened_at": "10:00", "items": []}}, "staff"),
        ("post", f"{meeting}/minutes/circulate", {}, "staff"),
        ("post", f"{meeting}/minutes/certify", {"json": {"at_meeting_id": c.later_id}}, "staff"),
        ("post", f"{meeting}/minutes/comments", {"json": {"body": "ขอแก้ไขหลังรับรอง"}}, "member"),
        ("patch", meeting, {"json": {"venue": "ห้องประชุมอื่น", "notify": False}}, "staff"),
        ("post", f"{meeting}/postpone", {"json": {"starts_at": "2020-09-17T09:30", "ends_at": "2020-09-17T12:00",
                                                  "notify": False}}, "staff"),
        ("post", f"{meeting}/cancel", {"json": {"reason": "ยกเลิกหลังรับรอง", "notify": False}}, "staff"),
    ]


def test_every_api_change_to_the_certified_record_is_409_and_changes_nothing(app, client, certified, staff_web,
                                                                               tmp_path):
    web, _token = staff_web
    before = record_of(certified.meeting_id)
    wrong = []
    for method, url, keywords, who in api_attempts(certified):
        keywords = {k: v() if callable(v) else v for k, v in keywords.items()}
        headers = certified.staff if who == "staff" else certified.member
        response = getattr(client, method)(url, headers=headers, **keywords)
        error = response.get_json().get("error", {}) if response.is_json else {}
        if response.status_code != 409 or error.get("code") != "certified_locked":
            wrong.append((method, url, response.status_code, error.get("code")))
    assert wrong == []
    assert record_of(certified.meeting_id) == before
    assert (Path(app.config["PRACHUM_UPLOADS"]) / certified.storage_key).read_bytes() == PDF
    assert docx_sha256(web.get(f"/meetings/{certified.meeting_id}/minutes.docx")) == certified.sha256


def web_attempts(c: Certified, token: str) -> list[tuple[str, str, dict]]:
    """(method, url, form) of every web page that could change the certified record (with a valid CSRF token)."""
    meeting = f"/meetings/{c.meeting_id}"
    item = f"/agenda-items/{c.item_id}"
    return [
        ("post", f"{meeting}/agenda", {"new-csrf_token": token, "new-section": "4", "new-title": "วาระเพิ่ม"}),
        ("get", f"{item}/edit", {}),
        ("post", f"{item}/edit", {"csrf_token": token, "section": "4", "title": "แก้ไขหลังรับรอง", "version": "1"}),
        ("post", f"{item}/move", {"csrf_token": token, "direction": "down"}),
        ("post", f"{item}/delete", {"csrf_token": token}),
        ("post", f"{meeting}/agenda/publish", {"csrf_token": token}),
        ("post", f"{item}/attachments", {"csrf_token": token, "url": "https://www.moe.go.th/news", "title": "ข่าว"}),
        ("post", f"/attachments/{c.attachment_id}/delete", {"csrf_token": token}),
        ("get", f"{meeting}/attendance", {}),
        ("post", f"{meeting}/attendance", {"csrf_token": token, f"status-{c.member_id}": "absent",
                                           f"reason-{c.member_id}": "ติดราชการ"}),
        ("post", f"{meeting}/minutes", {"csrf_token": token, "version": "4", "opened_at": "10:00"}),
        ("post", f"{meeting}/minutes/circulate", {"csrf_token": token}),
        ("post", f"{meeting}/minutes/certify", {"csrf_token": token, "at_meeting_id": str(c.later_id)}),
        ("post", f"{meeting}/minutes/comments", {"csrf_token": token, "body": "ขอแก้ไข"}),
        ("get", f"{meeting}/edit", {}),
        ("post", f"{meeting}/edit", {"csrf_token": token, "title": "แก้ชื่อ", "starts_at": "10/09/2563 09.30",
                                     "ends_at": "10/09/2563 12.00", "mode": "onsite", "venue": "ห้องประชุมอื่น"}),
        ("post", f"{meeting}/postpone", {"postpone-csrf_token": token, "postpone-starts_at": "17/09/2563 09.30",
                                         "postpone-ends_at": "17/09/2563 12.00", "postpone-reason": "ติดภารกิจ",
                                         "postpone-confirm_past": "y"}),
        ("post", f"{meeting}/cancel", {"cancel-csrf_token": token, "cancel-reason": "ยกเลิกหลังรับรอง"}),
    ]


def test_every_web_change_to_the_certified_record_is_409_and_changes_nothing(app, certified, staff_web):
    web, token = staff_web
    before = record_of(certified.meeting_id)
    wrong = []
    for method, url, form in web_attempts(certified, token):
        response = web.get(url) if method == "get" else web.post(url, data=form)
        if response.status_code != 409 or "รับรองแล้ว" not in response.get_data(as_text=True):
            wrong.append((method, url, response.status_code))
    assert wrong == []
    assert record_of(certified.meeting_id) == before
    assert (Path(app.config["PRACHUM_UPLOADS"]) / certified.storage_key).read_bytes() == PDF
    assert docx_sha256(web.get(f"/meetings/{certified.meeting_id}/minutes.docx")) == certified.sha256


def test_pages_of_a_certified_meeting_offer_no_changes(certified, staff_web):
    web, _token = staff_web
    meeting = f"/meetings/{certified.meeting_id}"
    detail = web.get(meeting).get_data(as_text=True)
    assert f"{meeting}/edit" not in detail and f"{meeting}/postpone" not in detail
    assert f"{meeting}/attendance" not in detail and f"{meeting}/cancel" not in detail
    agenda = web.get(f"{meeting}/agenda").get_data(as_text=True)
    assert "new-title" not in agenda and f"{meeting}/agenda/publish" not in agenda
    assert f"/agenda-items/{certified.item_id}/edit" not in agenda
    # the later meeting is not frozen: its pages still offer the changes
    later = web.get(f"/meetings/{certified.later_id}").get_data(as_text=True)
    assert f"/meetings/{certified.later_id}/edit" in later


def test_the_later_meeting_and_its_agenda_stay_open(client, certified):
    response = client.post(f"/api/v1/meetings/{certified.later_id}/agenda-items",
                           json={"section": 2, "title": "รับรองรายงานการประชุมครั้งก่อน"}, headers=certified.staff)
    assert response.status_code == 201, response.get_data(as_text=True)


# --- reports: accepted ones and closed rounds ------------------------------------------------------

def report_state(report_id: int) -> tuple:
    db.session.expire_all()
    report = db.session.get(ProgressReport, report_id)
    return ((report.version, report.state, report.status, report.percent, report.result),
            sorted((a.id, a.kind, a.storage_key, a.url) for a in report.attachments),
            db.session.scalar(select(func.count()).select_from(ReportVersion)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def evidence_of(client, w, report: dict) -> tuple[dict, dict]:
    """A file and a link attached by the unit's reporter."""
    upload = ok(client.post(f"/api/v1/reports/{report['id']}/attachments", headers=w.headers["ict"],
                            data={"file": (io.BytesIO(PDF), "หลักฐาน.pdf")}, content_type="multipart/form-data"), 201)
    link = ok(client.post(f"/api/v1/reports/{report['id']}/links", headers=w.headers["ict"],
                          json={"url": "https://data.go.th/dataset/moe"}), 201)
    return upload, link


def signed_in(app, login, user):
    web = app.test_client()
    login(user, c=web)
    return web, csrf_from(web.get("/profile").get_data(as_text=True))


def report_attempts(client, w, report_id: int, file_id: int, link_id: int, ict_web):
    """Every endpoint that could change a report's fields or evidence, as (label, response) pairs."""
    ict, ict_token = ict_web
    return [
        ("api reporter delete evidence", client.delete(f"/api/v1/reports/{report_id}/attachments/{file_id}",
                                                       headers=w.headers["ict"])),
        ("api staff delete attachment", client.delete(f"/api/v1/attachments/{file_id}",
                                                      headers=w.headers["secretariat"])),
        ("api staff delete link", client.delete(f"/api/v1/attachments/{link_id}", headers=w.headers["secretariat"])),
        ("api reporter upload", client.post(f"/api/v1/reports/{report_id}/attachments", headers=w.headers["ict"],
                                            data={"file": (io.BytesIO(PDF), "อีก.pdf")},
                                            content_type="multipart/form-data")),
        ("api reporter link", client.post(f"/api/v1/reports/{report_id}/links", headers=w.headers["ict"],
                                          json={"url": "https://www.moe.go.th/"})),
        ("api reporter patch", client.patch(f"/api/v1/reports/{report_id}", headers=w.headers["ict"],
                                            json={"version": report_state(report_id)[0][0], "percent": 99})),
        ("web reporter delete evidence", ict.post(f"/reports/{report_id}/evidence/{file_id}/delete",
                                                  data={"csrf_token": ict_token})),
        ("web reporter add link", ict.post(f"/reports/{report_id}/evidence",
                                           data={"csrf_token": ict_token, "url": "https://www.moe.go.th/"})),
        ("web reporter submit", ict.post(f"/reports/{report_id}/submit", data={"csrf_token": ict_token})),
    ]


def agenda_page_refuses_report_evidence(w, file_id: int, staff_web_) -> None:
    """The agenda pages' delete button knows agenda attachments only: a report's evidence is not found there."""
    staff, staff_token = staff_web_
    assert staff.post(f"/attachments/{file_id}/delete", data={"csrf_token": staff_token}).status_code == 404


def review_pages_refuse(report_id: int, staff_web_) -> None:
    """Accepting or returning a frozen report from the review pages answers 409."""
    staff, staff_token = staff_web_
    assert staff.post(f"/reports/{report_id}/accept", data={"csrf_token": staff_token}).status_code == 409
    assert staff.post(f"/reports/{report_id}/return",
                      data={"csrf_token": staff_token, "comment": "ขอแก้"}).status_code == 409


def test_an_accepted_reports_evidence_and_fields_cannot_change_through_any_endpoint(app, client, world, login):
    w = world
    report = filed(client, w, "1.2")
    file_, link = evidence_of(client, w, report)
    ok(act(client, w, report, "submit", "ict"))
    ok(act(client, w, report, "accept", "secretariat"))
    staff, ict = signed_in(app, login, w.users["secretariat"]), signed_in(app, login, w.users["ict"])
    before = report_state(report["id"])
    attempts = report_attempts(client, w, report["id"], file_["id"], link["id"], ict)
    assert [(label, r.status_code) for label, r in attempts if r.status_code != 409] == []
    agenda_page_refuses_report_evidence(w, file_["id"], staff)
    review_pages_refuse(report["id"], staff)
    assert report_state(report["id"]) == before
    stored = db.session.get(Attachment, file_["id"])
    assert (Path(app.config["PRACHUM_UPLOADS"]) / stored.storage_key).read_bytes() == PDF
    assert_error(act(client, w, report, "return", "secretariat", comment="ขอแก้"), 409)
    assert report_state(report["id"]) == before


def test_a_closed_round_takes_no_report_or_evidence_change(app, client, world, login):
    w = world
    draft = filed(client, w, "1.2")
    file_, link = evidence_of(client, w, draft)
    waiting = filed(client, w, "1.1")
    ok(act(client, w, waiting, "submit", "ict"))
    ok(client.patch(f"/api/v1/rounds/{w.round.id}", json={"status": "closed"}, headers=w.headers["secretariat"]))
    staff, ict = signed_in(app, login, w.users["secretariat"]), signed_in(app, login, w.users["ict"])
    before = report_state(draft["id"]), report_state(waiting["id"])
    attempts = report_attempts(client, w, draft["id"], file_["id"], link["id"], ict)
    assert [(label, r.status_code) for label, r in attempts if r.status_code != 409] == []
    agenda_page_refuses_report_evidence(w, file_["id"], staff)
    review_pages_refuse(waiting["id"], staff)
    assert_error(act(client, w, draft, "submit", "ict"), 409, "round_closed")
    assert_error(act(client, w, waiting, "accept", "secretariat"), 409, "round_closed")
    assert_error(act(client, w, waiting, "return", "secretariat", comment="ขอแก้"), 409, "round_closed")
    assert (report_state(draft["id"]), report_state(waiting["id"])) == before
