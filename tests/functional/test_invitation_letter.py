"""The invitation letter (หนังสือเชิญประชุม): the body's form, prefix and sender; a yearly number recorded on the
meeting; one letter to all or one per addressee; rendered by LibreOffice and read back as text."""
from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest

from app import papers_pdf, thaidates
from app.audit.models import AuditEvent
from app.bodies.models import Body
from app.extensions import db
from app.meetings.letters import online_service
from tests.conftest import csrf_from
from tests.functional.test_meetings_api import group, schedule, staff  # noqa: F401 (fixtures)

LETTER = {"letter_form": "external", "document_prefix": "ศธ 0201.4", "letter_office": "กลุ่มพัฒนาระบบบริหาร",
          "letter_address": "กระทรวงศึกษาธิการ\nถนนราชดำเนินนอก กทม. 10300", "letter_phone": "0 2628 5646",
          "letter_signer_name": "นางสาวเลขา นุการ", "letter_signer_position": "ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร"}


def text_of(data: bytes) -> str:
    """What a person reads: LibreOffice → PDF → pdftotext when installed, else the paragraphs python-docx sees."""
    if papers_pdf.office_program() is not None or os.environ.get("PRACHUM_REQUIRE_OFFICE"):
        pdf = papers_pdf.convert_to_pdf(data, ".docx")
        assert pdf is not None, "LibreOffice did not render the letter"
        with tempfile.TemporaryDirectory() as work:
            path = Path(work) / "letter.pdf"
            path.write_bytes(pdf)
            return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(cells + [p.text for p in document.paragraphs])


@pytest.fixture
def letter_meeting(client, staff, group):  # noqa: F811
    assert client.patch(f"/api/v1/bodies/{group.id}", headers=staff, json=LETTER).status_code == 200
    meeting = schedule(client, staff, group.id, notify=False, mode="hybrid",
                       online_url="https://us02web.zoom.us/j/123456789").get_json()
    return meeting


def test_numbers_follow_the_body_s_yearly_counter_and_are_kept_on_the_meeting(client, staff, group, letter_meeting):  # noqa: F811
    response = client.post(f"/api/v1/meetings/{letter_meeting['id']}/invitation-number", headers=staff)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["invitation_number"] == "ศธ 0201.4/ว 1"
    assert response.get_json()["invitation_issued_on"] == thaidates.today_bangkok().isoformat()
    again = client.post(f"/api/v1/meetings/{letter_meeting['id']}/invitation-number", headers=staff)
    assert again.status_code == 409 and "ศธ 0201.4/ว 1" in again.get_json()["error"]["message"]

    second = schedule(client, staff, group.id, notify=False, starts_at="2020-10-10T09:30",
                      ends_at="2020-10-10T12:00").get_json()
    assert client.post(f"/api/v1/meetings/{second['id']}/invitation-number",
                       headers=staff).get_json()["invitation_number"] == "ศธ 0201.4/ว 2"
    body = db.session.get(Body, group.id)
    body.letter_year = thaidates.be_year(thaidates.today_bangkok().year) - 1  # a new year starts again at 1
    db.session.commit()
    third = schedule(client, staff, group.id, notify=False, starts_at="2020-11-10T09:30",
                     ends_at="2020-11-10T12:00").get_json()
    assert client.post(f"/api/v1/meetings/{third['id']}/invitation-number",
                       headers=staff).get_json()["invitation_number"] == "ศธ 0201.4/ว 1"
    audited = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "meeting.invitation.issue")).all()
    assert len(audited) == 3


def test_no_prefix_no_number_and_nothing_changes(client, staff, group):  # noqa: F811
    meeting = schedule(client, staff, group.id, notify=False).get_json()
    response = client.post(f"/api/v1/meetings/{meeting['id']}/invitation-number", headers=staff)
    assert response.status_code == 422 and "document_prefix" in response.get_json()["error"]["fields"]
    assert client.get(f"/api/v1/meetings/{meeting['id']}", headers=staff).get_json()["invitation_number"] is None
    assert db.session.get(Body, group.id).letter_number == 0


def test_the_external_letter_reads_in_the_official_order(client, staff, letter_meeting):  # noqa: F811
    client.post(f"/api/v1/meetings/{letter_meeting['id']}/invitation-number", headers=staff)
    response = client.get(f"/meetings/{letter_meeting['id']}/invitation.docx", headers=staff)
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    text = text_of(response.data)
    order = ["ที่ ศธ 0201.4/ว 1", "กลุ่มพัฒนาระบบบริหาร", thaidates.thai_date(thaidates.today_bangkok(), "long"),
             "เรื่อง", "ขอเชิญประชุม", "เรียน", "ด้วย", "วันพฤหัสบดีที่ 10 กันยายน 2563", "09.30–12.00 น.",
             "ห้องประชุมจันทรเกษม", "ประชุมผ่านสื่ออิเล็กทรอนิกส์ (Zoom)", "จึงเรียนมาเพื่อโปรดเข้าร่วมประชุมตามวัน",
             "ขอแสดงความนับถือ", "(นางสาวเลขา นุการ)", "ผู้อำนวยการกลุ่มพัฒนาระบบบริหาร", "โทร. 0 2628 5646"]
    flat = " ".join(text.split())
    positions = [flat.find(" ".join(part.split())) for part in order]
    assert all(p >= 0 for p in positions), [part for part, p in zip(order, positions) if p < 0]
    assert positions == sorted(positions)


def test_a_memo_one_per_addressee(client, staff, group, letter_meeting):  # noqa: F811
    assert client.patch(f"/api/v1/bodies/{group.id}", headers=staff, json={"letter_form": "memo"}).status_code == 200
    response = client.get(f"/meetings/{letter_meeting['id']}/invitation.docx?to=each", headers=staff)
    document = docx.Document(io.BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert texts.count("บันทึกข้อความ") == 3  # the chair and two members, a letter each
    addressed = [t for t in texts if t.startswith("เรียน")]
    assert {t.split("  ", 1)[1] for t in addressed} == {"นายประธาน ทดสอบ", "นางสาวกรรมการ หนึ่ง", "นายผู้รายงาน สอง"}
    assert any(t.startswith("ส่วนราชการ") and "โทร. 0 2628 5646" in t for t in texts)
    assert not any("ขอแสดงความนับถือ" in t for t in texts)  # a memo has no complimentary close


def test_the_web_issues_the_number_and_shows_it(client, login, make_user, letter_meeting):  # noqa: F811
    secretary = make_user("secretariat")
    login(secretary)
    page = client.get(f"/meetings/{letter_meeting['id']}").get_data(as_text=True)
    assert "ยังไม่ได้ออกเลขหนังสือ" in page
    issued = client.post(f"/meetings/{letter_meeting['id']}/invitation/number", data={"csrf_token": csrf_from(page)})
    assert issued.status_code == 302
    assert "ศธ 0201.4/ว 1" in client.get(f"/meetings/{letter_meeting['id']}").get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "reporter", "viewer"])
def test_only_the_secretariat_drafts_and_numbers_letters(client, token_for, make_user, group, letter_meeting, role):  # noqa: F811
    headers = token_for(make_user(role))
    assert client.get(f"/meetings/{letter_meeting['id']}/invitation.docx", headers=headers).status_code in (403, 404)
    assert client.post(f"/api/v1/meetings/{letter_meeting['id']}/invitation-number",
                       headers=headers).status_code in (403, 404)
    member = token_for(group.chair)  # a member of the body reads the meeting but does not number its letters
    assert client.post(f"/api/v1/meetings/{letter_meeting['id']}/invitation-number", headers=member).status_code == 403
    assert db.session.get(Body, group.id).letter_number == 0


def test_body_letter_settings_are_checked(client, staff, group):  # noqa: F811
    bad = client.patch(f"/api/v1/bodies/{group.id}", headers=staff, json={"letter_form": "fax"})
    assert bad.status_code == 422 and "letter_form" in bad.get_json()["error"]["fields"]
    shown = client.get(f"/api/v1/bodies/{group.id}", headers=staff).get_json()
    assert shown["letter_form"] == "external" and shown["document_prefix"] is None


@pytest.mark.parametrize("url,service", [("https://us02web.zoom.us/j/1", "Zoom"),
                                         ("https://teams.microsoft.com/l/meetup-join/x", "Microsoft Teams"),
                                         ("https://meet.google.com/abc-defg-hij", "Google Meet"),
                                         ("https://example.go.th/room", "สื่ออิเล็กทรอนิกส์"), (None, None)])
def test_online_service_names(url, service):
    assert online_service(url) == service
