"""E-meeting evidence and self check-in: identity by one-time code (right, wrong, expired, too many tries), by video
and by vouching; participant reports of Zoom, Webex and Teams imported and matched; the recording; the incident
log's window; the check-in QR token (right day and hours, another day, another meeting, forged); the evidence DOCX;
the procurement committee's warning; every route for every role."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import shutil

import docx
import pytest
from docx.oxml.ns import qn

from app import thaidates
from app.evidence import services
from app.evidence.models import CheckIn, IdentityCode, ParticipationInterval
from app.extensions import db
from app.mail.models import OutgoingMail
from app.meetings.models import Attendance, Meeting
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error
from tests.functional.test_meetings_api import schedule
from tests.functional.test_votes_api import pdf_text

FIXTURES = Path(__file__).parent.parent / "fixtures"
STARTS = datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc)  # 26 มิ.ย. 2563 09.30 น.
ENDS = datetime(2020, 6, 26, 5, 0, tzinfo=timezone.utc)  # 12.00 น.
DURING = STARTS + timedelta(minutes=30)


@pytest.fixture
def clock(monkeypatch):
    """Set the time the evidence services see (UTC) and the Bangkok day that goes with it."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(services, "utcnow", lambda: moment)
        monkeypatch.setattr(thaidates, "today_bangkok", lambda: thaidates.bangkok_date(moment))

    set_to(DURING)
    return set_to


@pytest.fixture
def scene(client, make_user, make_body, add_member, token_for, clock):
    """A hybrid meeting of a working group (chair and three members, two named as in the fixtures), the secretariat,
    an administrator, a viewer, a reporter and a member of another body."""
    body = make_body("คณะทำงานติดตามผลการดำเนินงาน")
    chair = make_user("member", name="นายประธาน ทำงานดี")
    add_member(body, chair, "chair")
    somchai = make_user("member", name="นายสมชาย ใจดี", email="somchai@example.go.th")
    suda = make_user("member", name="นางสาวสุดา รักงาน", email="suda@example.go.th")
    third = make_user("member", name="นายสาม ทดสอบ")
    for user in (somchai, suda, third):
        add_member(body, user)
    outsider = make_user("member", name="กรรมการ คณะอื่น")
    add_member(make_body("คณะอื่น"), outsider)
    staff_user = make_user("secretariat")
    staff = token_for(staff_user)
    response = schedule(client, staff, body.id, notify=False, chair_id=chair.id, mode="hybrid",
                        online_url="https://zoom.us/j/123", starts_at="2020-06-26T09:30", ends_at="2020-06-26T12:00")
    assert response.status_code == 201, response.get_data(as_text=True)
    meeting_id = response.get_json()["id"]
    tokens = {u.id: token_for(u) for u in (chair, somchai, suda, third, outsider)}
    return SimpleNamespace(body=body, chair=chair, somchai=somchai, suda=suda, third=third, outsider=outsider,
                           staff_user=staff_user, staff=staff, meeting_id=meeting_id, tokens=tokens,
                           admin=make_user("admin"), viewer=make_user("viewer"), reporter=make_user("reporter"))


def url(scene, tail: str) -> str:
    return f"/api/v1/meetings/{scene.meeting_id}/{tail}"


def sent_code(user) -> str:
    """The last one-time code e-mailed to the user (from the queued message's subject)."""
    mail = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.to_email == user.email,
                                                            OutgoingMail.kind == "meeting.identity_code")
                              .order_by(OutgoingMail.id.desc())).first()
    assert mail is not None
    return re.search(r"\d{6}", mail.subject).group(0)


def attendance_of(scene, user) -> Attendance | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Attendance).where(Attendance.meeting_id == scene.meeting_id,
                                                         Attendance.user_id == user.id))


def send_code(client, scene, user):
    response = client.post(url(scene, "identity-checks"), json={"user_id": user.id, "method": "otp"},
                           headers=scene.staff)
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.get_json()["state"] == "code_sent"
    return sent_code(user)


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


# --- acceptance ---------------------------------------------------------------------------------

def test_two_online_members_confirm_by_code_and_the_zoom_report_fills_the_appendix(client, scene, login):
    for user in (scene.somchai, scene.suda):
        code = send_code(client, scene, user)
        response = client.post(url(scene, "identity-checks/otp"), json={"code": code}, headers=scene.tokens[user.id])
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["state"] == "confirmed" and body["method"] == "otp" and body["user_id"] == user.id
        assert body["confirmed_at"].endswith("+07:00") and body["confirmed_at_utc"].endswith("+00:00")
        row = attendance_of(scene, user)
        assert row.status == "online" and row.identity_confirmed
    with open(FIXTURES / "zoom_participants.csv", "rb") as report:
        response = client.post(url(scene, "participation"), data={"source": "zoom", "file": (report, "zoom.csv")},
                               headers=scene.staff, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.get_json()
    assert sorted(s["user_id"] for s in result["matched"]) == sorted([scene.somchai.id] * 2 + [scene.suda.id])
    assert [s["name"] for s in result["unmatched"]] == ["iPhone ของแดง"]
    first = next(s for s in result["matched"] if s["joined_at"].startswith("2020-06-26T09:28"))
    assert first["joined_at"] == "2020-06-26T09:28:14+07:00" and first["joined_at_utc"] == "2020-06-26T02:28:14+00:00"
    login(scene.staff_user)
    page = client.get(f"/meetings/{scene.meeting_id}/evidence")
    assert page.status_code == 200 and "iPhone ของแดง" in page.get_data(as_text=True)
    text = docx_text(client.get(f"/meetings/{scene.meeting_id}/evidence.docx").data)
    assert "ภาคผนวก หลักฐานการประชุมผ่านสื่ออิเล็กทรอนิกส์" in text
    assert "นายสมชาย ใจดี — รหัสผ่านใช้ครั้งเดียว (OTP)" in text
    assert "เข้าร่วม 26 มิ.ย. 2563 เวลา 09.28.14 น. (UTC 2020-06-26 02:28:14)" in text
    assert "ออก 26 มิ.ย. 2563 เวลา 10.45.00 น. (UTC 2020-06-26 03:45:00)" in text
    assert "iPhone ของแดง [ไม่พบในรายชื่อผู้เข้าประชุม]" in text
    data = client.get(f"/meetings/{scene.meeting_id}/evidence.docx").data
    document = docx.Document(io.BytesIO(data))
    assert round(document.sections[0].page_width.cm, 1) == 21.0  # A4
    fonts = {run._r.rPr.rFonts.get(qn("w:cs")) for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"TH Sarabun New"}
    if shutil.which("soffice") and shutil.which("pdftotext"):
        rendered = re.sub(r"\s+", "", pdf_text(data))
        assert re.sub(r"\s+", "", "เข้าร่วม 26 มิ.ย. 2563 เวลา 09.28.14 น.") in rendered, rendered


# --- one-time code ------------------------------------------------------------------------------

def test_a_wrong_code_is_counted_and_too_many_tries_use_the_code_up(client, scene):
    code = send_code(client, scene, scene.somchai)
    wrong = "000000" if code != "000000" else "111111"
    headers = scene.tokens[scene.somchai.id]
    error = assert_error(client.post(url(scene, "identity-checks/otp"), json={"code": wrong}, headers=headers),
                         422, "wrong_code")
    assert "4" in error["fields"]["code"]
    for _ in range(4):
        assert_error(client.post(url(scene, "identity-checks/otp"), json={"code": wrong}, headers=headers), 422)
    assert_error(client.post(url(scene, "identity-checks/otp"), json={"code": code}, headers=headers),
                 409, "too_many_attempts")
    assert not (attendance_of(scene, scene.somchai) or SimpleNamespace(identity_confirmed=False)).identity_confirmed
    fresh = send_code(client, scene, scene.somchai)  # a new code starts the count again
    assert client.post(url(scene, "identity-checks/otp"), json={"code": fresh}, headers=headers).status_code == 200


def test_an_expired_or_used_code_is_refused_and_only_its_hash_is_kept(client, scene, clock):
    code = send_code(client, scene, scene.suda)
    assert db.session.scalar(db.select(IdentityCode.code_hash)) != code
    clock(DURING + timedelta(minutes=11))
    headers = scene.tokens[scene.suda.id]
    assert_error(client.post(url(scene, "identity-checks/otp"), json={"code": code}, headers=headers), 409,
                 "code_expired")
    clock(DURING)
    code = send_code(client, scene, scene.suda)
    assert client.post(url(scene, "identity-checks/otp"), json={"code": code}, headers=headers).status_code == 200
    assert_error(client.post(url(scene, "identity-checks/otp"), json={"code": code}, headers=headers), 409, "no_code")


def test_members_ask_for_their_own_code_only(client, scene):
    own = client.post(url(scene, "identity-checks"), json={"user_id": scene.third.id, "method": "otp"},
                      headers=scene.tokens[scene.third.id])
    assert own.status_code == 202
    assert_error(client.post(url(scene, "identity-checks"), json={"user_id": scene.suda.id, "method": "otp"},
                             headers=scene.tokens[scene.third.id]), 403)
    assert_error(client.post(url(scene, "identity-checks"), json={"user_id": scene.third.id, "method": "video"},
                             headers=scene.tokens[scene.third.id]), 403)
    assert_error(client.post(url(scene, "identity-checks"), json={"user_id": scene.outsider.id, "method": "otp"},
                             headers=scene.tokens[scene.outsider.id]), 404)
    assert_error(client.post(url(scene, "identity-checks"), json={"user_id": scene.outsider.id, "method": "otp"},
                             headers=scene.staff), 422)


def test_video_and_vouched_checks_by_the_secretariat(client, scene):
    video = client.post(url(scene, "identity-checks"), json={"user_id": scene.somchai.id, "method": "video"},
                        headers=scene.staff)
    assert video.status_code == 201 and video.get_json()["recorded_by_name"] == scene.staff_user.name
    assert attendance_of(scene, scene.somchai).identity_confirmed
    error = assert_error(client.post(url(scene, "identity-checks"), json={"user_id": scene.suda.id,
                                                                        "method": "vouched"}, headers=scene.staff), 422)
    assert "vouched_by" in error["fields"]
    assert_error(client.post(url(scene, "identity-checks"), json={
        "user_id": scene.suda.id, "method": "vouched", "vouched_by": scene.outsider.id}, headers=scene.staff), 422)
    vouched = client.post(url(scene, "identity-checks"), json={
        "user_id": scene.suda.id, "method": "vouched", "vouched_by": scene.somchai.id}, headers=scene.staff)
    assert vouched.status_code == 201 and vouched.get_json()["vouched_by_name"] == "นายสมชาย ใจดี"
    evidence = client.get(url(scene, "evidence"), headers=scene.staff).get_json()
    assert [c["method"] for c in evidence["identity_checks"]] == ["video", "vouched"]


def test_an_onsite_meeting_has_no_online_identity(client, scene):
    db.session.get(Meeting, scene.meeting_id).mode = "onsite"
    db.session.commit()
    assert_error(client.post(url(scene, "identity-checks"), json={"user_id": scene.somchai.id, "method": "video"},
                             headers=scene.staff), 409, "not_online")


# --- participant reports --------------------------------------------------------------------------

@pytest.mark.parametrize("source, name, unmatched", [
    ("webex", "webex_attendees.csv", "ผู้เข้าร่วมทางโทรศัพท์"),
    ("teams", "teams_attendance.csv", "นายวิชัย มาสาย"),
])
def test_webex_and_teams_reports_are_matched_and_a_new_import_replaces_the_last(client, scene, source, name,
                                                                                unmatched):
    def upload():
        with open(FIXTURES / name, "rb") as report:
            return client.post(url(scene, "participation"), data={"source": source, "file": (report, name)},
                               headers=scene.staff, content_type="multipart/form-data")

    result = upload().get_json()
    assert {s["user_id"] for s in result["matched"]} == {scene.somchai.id, scene.suda.id}
    assert [s["name"] for s in result["unmatched"]] == [unmatched]
    upload()
    assert db.session.scalar(db.select(db.func.count()).select_from(ParticipationInterval)) == 3


def test_a_report_that_cannot_be_read_is_refused_and_members_may_not_import(client, scene):
    bad = client.post(url(scene, "participation"), data={"source": "zoom", "file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
                      headers=scene.staff, content_type="multipart/form-data")
    assert "file" in assert_error(bad, 422)["fields"]
    assert_error(client.post(url(scene, "participation"), data={"source": "skype",
                                                                 "file": (io.BytesIO(b"x"), "x.csv")},
                             headers=scene.staff, content_type="multipart/form-data"), 422)
    with open(FIXTURES / "zoom_participants.csv", "rb") as report:
        assert_error(client.post(url(scene, "participation"), data={"source": "zoom", "file": (report, "z.csv")},
                                 headers=scene.tokens[scene.somchai.id], content_type="multipart/form-data"), 403)
    assert db.session.scalar(db.select(db.func.count()).select_from(ParticipationInterval)) == 0


# --- recording ---------------------------------------------------------------------------------------

def test_the_recording_or_the_secret_session(client, scene):
    digest = "ab" * 32
    response = client.put(url(scene, "recording"), json={"url": "https://drive.example.go.th/rec/3-2563.mp4",
                                                         "sha256": digest.upper()}, headers=scene.staff)
    assert response.status_code == 200 and response.get_json()["sha256"] == digest
    error = assert_error(client.put(url(scene, "recording"), json={"url": "x", "sha256": "12"}, headers=scene.staff),
                         422)
    assert "sha256" in error["fields"]
    assert_error(client.put(url(scene, "recording"), json={"url": "x"}, headers=scene.staff), 422)
    secret = client.put(url(scene, "recording"), json={"secret": True}, headers=scene.staff)
    assert secret.status_code == 200 and secret.get_json()["secret"] is True
    assert_error(client.put(url(scene, "recording"), json={"secret": True}, headers=scene.tokens[scene.chair.id]), 403)


# --- incidents ---------------------------------------------------------------------------------------

def test_incidents_only_during_the_meeting_except_for_the_secretariat(client, scene, clock):
    headers = scene.tokens[scene.suda.id]
    clock(STARTS - timedelta(minutes=1))
    assert_error(client.post(url(scene, "incidents"), json={"text": "ไม่ได้ยินเสียง"}, headers=headers), 409,
                 "outside_meeting")
    clock(DURING)
    response = client.post(url(scene, "incidents"), json={"text": "ไม่ได้ยินเสียงประธาน"}, headers=headers)
    assert response.status_code == 201 and response.get_json()["reporter_name"] == "นางสาวสุดา รักงาน"
    clock(ENDS + timedelta(minutes=29))
    assert client.post(url(scene, "incidents"), json={"text": "หลุดจากห้อง"}, headers=headers).status_code == 201
    clock(ENDS + timedelta(minutes=31))
    assert_error(client.post(url(scene, "incidents"), json={"text": "ช้าไป"}, headers=headers), 409)
    assert client.post(url(scene, "incidents"), json={"text": "บันทึกย้อนหลัง"}, headers=scene.staff).status_code == 201
    assert_error(client.post(url(scene, "incidents"), json={"text": "x"}, headers=scene.tokens[scene.outsider.id]), 404)
    assert_error(client.post(url(scene, "incidents"), json={"text": ""}, headers=scene.staff), 422)
    assert len(client.get(url(scene, "evidence"), headers=scene.staff).get_json()["incidents"]) == 3


# --- check-in ---------------------------------------------------------------------------------------

def qr_token(app, scene, day: date, meeting_id: int | None = None) -> str:
    with app.test_request_context():
        return services.check_in_token(SimpleNamespace(id=meeting_id or scene.meeting_id), day)


def test_the_qr_token_checks_in_on_its_day_within_the_hours(app, client, scene, clock, make_body):
    headers = scene.tokens[scene.third.id]
    today = qr_token(app, scene, date(2020, 6, 26))
    response = client.post(url(scene, "check-in"), json={"token": today}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["place"] == "onsite" and attendance_of(scene, scene.third).status == "present"
    again = client.post(url(scene, "check-in"), json={"token": today}, headers=headers)
    assert again.status_code == 201 and db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 1
    suda = scene.tokens[scene.suda.id]
    assert_error(client.post(url(scene, "check-in"), json={"token": qr_token(app, scene, date(2020, 6, 25))},
                             headers=suda), 409, "other_day")
    assert_error(client.post(url(scene, "check-in"), json={"token": qr_token(app, scene, date(2020, 6, 26),
                                                                             scene.meeting_id + 1)},
                             headers=suda), 422, "other_meeting")
    assert_error(client.post(url(scene, "check-in"), json={"token": today[:-2] + "xx"}, headers=suda), 422,
                 "bad_token")
    clock(ENDS + timedelta(minutes=1))
    assert_error(client.post(url(scene, "check-in"), json={"token": today}, headers=suda), 409, "outside_hours")
    clock(STARTS - timedelta(minutes=59))
    assert client.post(url(scene, "check-in"), json={"token": today}, headers=suda).status_code == 201
    assert_error(client.post(url(scene, "check-in"), json={"token": today}, headers=scene.tokens[scene.outsider.id]),
                 404)
    assert_error(client.post(url(scene, "check-in"), json={"token": today}, headers=scene.staff), 403)


def test_online_check_in_needs_a_confirmed_identity(client, scene):
    headers = scene.tokens[scene.somchai.id]
    assert_error(client.post(url(scene, "check-in"), json={}, headers=headers), 409, "identity_unconfirmed")
    client.post(url(scene, "identity-checks"), json={"user_id": scene.somchai.id, "method": "video"},
                headers=scene.staff)
    response = client.post(url(scene, "check-in"), json={}, headers=headers)
    assert response.status_code == 201 and response.get_json()["place"] == "online"
    assert attendance_of(scene, scene.somchai).status == "online"


# --- procurement ------------------------------------------------------------------------------------

def test_a_procurement_committee_is_warned_on_the_page_and_in_the_docx(client, scene, login):
    response = client.patch(f"/api/v1/bodies/{scene.body.id}", json={"procurement": True}, headers=scene.staff)
    assert response.status_code == 200 and response.get_json()["procurement"] is True
    login(scene.staff_user)
    assert "ไม่ใช้บังคับ" in client.get(f"/meetings/{scene.meeting_id}/evidence").get_data(as_text=True)
    text = docx_text(client.get(f"/meetings/{scene.meeting_id}/evidence.docx").data)
    assert "พระราชกำหนดว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. 2563 ไม่ใช้บังคับ" in text
    page = client.get(f"/bodies/{scene.body.id}/edit")
    assert page.status_code == 200 and 'name="procurement"' in page.get_data(as_text=True)


# --- web pages -------------------------------------------------------------------------------------

def test_a_member_confirms_checks_in_and_reports_from_the_meeting_page(app, client, scene, login):
    login(scene.somchai)
    page = client.get(f"/meetings/{scene.meeting_id}").get_data(as_text=True)
    assert "ยืนยันตัวตน" in page and "แจ้งปัญหาทางเทคนิค" in page
    csrf = csrf_from(page)
    assert client.post(f"/meetings/{scene.meeting_id}/identity/code", data={"csrf_token": csrf}).status_code == 302
    client.post(f"/meetings/{scene.meeting_id}/identity/confirm", data={"csrf_token": csrf, "code": "x"})
    assert not attendance_of(scene, scene.somchai)
    client.post(f"/meetings/{scene.meeting_id}/identity/confirm",
                data={"csrf_token": csrf, "code": sent_code(scene.somchai)})
    assert attendance_of(scene, scene.somchai).identity_confirmed
    page = client.get(f"/meetings/{scene.meeting_id}").get_data(as_text=True)
    assert "เช็กอิน" in page and 'id="identity-confirmed"' in page
    client.post(f"/meetings/{scene.meeting_id}/check-in", data={"csrf_token": csrf})
    client.post(f"/meetings/{scene.meeting_id}/incidents", data={"csrf_token": csrf, "text": "ภาพค้าง"})
    evidence = client.get(url(scene, "evidence"), headers=scene.staff).get_json()
    assert [c["place"] for c in evidence["check_ins"]] == ["online"]
    assert [i["text"] for i in evidence["incidents"]] == ["ภาพค้าง"]
    # the QR page opens a page with one button that checks in on site
    qr_link = f"/meetings/{scene.meeting_id}/check-in?t={qr_token(app, scene, date(2020, 6, 26))}"
    other = app.test_client()
    login(scene.third, c=other)
    page = other.get(qr_link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert other.post(f"/meetings/{scene.meeting_id}/check-in",
                      data={"csrf_token": csrf_from(html), "token": token}).status_code == 302
    assert attendance_of(scene, scene.third).status == "present"


def test_the_secretariat_keeps_the_evidence_from_its_page(client, scene, login):
    login(scene.staff_user)
    page = client.get(f"/meetings/{scene.meeting_id}/evidence").get_data(as_text=True)
    csrf = csrf_from(page)
    base = f"/meetings/{scene.meeting_id}/evidence"
    client.post(f"{base}/identity", data={"csrf_token": csrf, "user_id": scene.somchai.id, "method": "video"})
    client.post(f"{base}/stays", data={"csrf_token": csrf, "user_id": scene.suda.id,
                                       "joined_at": "26/06/2563 09.31", "left_at": "26/06/2563 11.00"})
    client.post(f"{base}/stays", data={"csrf_token": csrf, "user_id": scene.suda.id,
                                       "joined_at": "26/06/2563 11.00", "left_at": "26/06/2563 10.00"})
    with open(FIXTURES / "webex_attendees.csv", "rb") as report:
        response = client.post(f"{base}/import", data={"csrf_token": csrf, "source": "webex",
                                                       "file": (report, "webex.csv")},
                               content_type="multipart/form-data", follow_redirects=True)
    assert "ผู้เข้าร่วมทางโทรศัพท์" in response.get_data(as_text=True)
    client.post(f"{base}/recording", data={"csrf_token": csrf, "secret": "1"})
    evidence = client.get(url(scene, "evidence"), headers=scene.staff).get_json()
    assert [c["method"] for c in evidence["identity_checks"]] == ["video"]
    manual = [s for s in evidence["stays"] if s["source"] == "manual"]
    assert len(manual) == 1 and manual[0]["joined_at"] == "2020-06-26T09:31:00+07:00"
    assert len(evidence["stays"]) == 4 and evidence["recording"]["secret"] is True
    stay_id = db.session.scalar(db.select(ParticipationInterval.id).where(ParticipationInterval.source == "manual"))
    client.post(f"{base}/stays/{stay_id}/delete", data={"csrf_token": csrf})
    assert db.session.scalar(db.select(db.func.count()).select_from(ParticipationInterval)) == 3
    qr = client.get(f"/meetings/{scene.meeting_id}/check-in/qr")
    assert qr.status_code == 200 and "<svg" in qr.get_data(as_text=True) and "check-in?t=" in qr.get_data(as_text=True)


ROLE_PAGES = ("/meetings/{id}/evidence", "/meetings/{id}/evidence.docx", "/meetings/{id}/check-in/qr",
              "/meetings/{id}/check-in")


def test_every_route_for_every_role(app, scene, login):
    """GET pages: the secretariat and admin read the evidence; members, the chair and viewers are refused (403);
    a reporter and a member of another body do not see the meeting (404). Every POST the same way."""
    expected = {"staff": 200, "admin": 200, "member": 403, "chair": 403, "viewer": 403, "reporter": 404,
                "outsider": 404}
    users = {"staff": scene.staff_user, "admin": scene.admin, "member": scene.somchai, "chair": scene.chair,
             "viewer": scene.viewer, "reporter": scene.reporter, "outsider": scene.outsider}
    posts = {  # path: statuses that differ from `expected` (a refusal shown as a flash is a 302)
        "evidence/identity": {}, "evidence/stays": {}, "evidence/import": {}, "evidence/recording": {},
        "identity/code": {"staff": 403, "admin": 403, "member": 302, "chair": 302},
        "identity/confirm": {"staff": 403, "admin": 403, "member": 302, "chair": 302},
        "incidents": {"member": 302, "chair": 302},
        "check-in": {"staff": 403, "admin": 403, "member": 302, "chair": 302},
    }
    for role, user in users.items():
        client = app.test_client()
        login(user, c=client)
        csrf = csrf_from(client.get("/profile").get_data(as_text=True))
        for path in ROLE_PAGES:
            status = client.get(path.format(id=scene.meeting_id)).status_code
            want = 200 if path.endswith("/check-in") and role not in ("reporter", "outsider") else expected[role]
            assert status == want, (role, path, status)
        for tail, special in posts.items():
            status = client.post(f"/meetings/{scene.meeting_id}/{tail}", data={"csrf_token": csrf}).status_code
            want = special.get(role, 302 if expected[role] == 200 else expected[role])
            assert status == want, (role, tail, status)


def test_signed_out_visitors_are_sent_to_sign_in(client, scene):
    for path in ROLE_PAGES:
        response = client.get(path.format(id=scene.meeting_id))
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert_error(client.post(url(scene, "check-in"), json={}), 401)
