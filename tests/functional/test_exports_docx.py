"""DOCX exports of the agenda and the minutes: content in the official order, fonts, and who may download."""
from __future__ import annotations

import io
from datetime import date, time

import docx
import pytest
from docx.oxml.ns import qn

from app.agenda.models import AgendaItem
from app.bodies.models import Unit
from app.extensions import db
from app.meetings.models import Attendance, Meeting
from app.minutes.models import ActionItem, Minutes, MinutesItem


@pytest.fixture
def held_meeting(demo):
    """Demo meeting 3/2563 with attendance and certified minutes."""
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.number == 3, Meeting.year_be == 2563))
    later = db.session.scalar(db.select(Meeting).where(Meeting.body_id == meeting.body_id, Meeting.number == 1,
                                                       Meeting.year_be == 2563))
    members = [m for m in meeting.body.memberships][:3]
    meeting.attendance.extend([
        Attendance(user_id=members[0].user_id, name=members[0].user.name, position="ประธานคณะทำงาน", status="present"),
        Attendance(user_id=members[1].user_id, name=members[1].user.name, position="คณะทำงาน", status="delegate",
                   delegate_name="นายผู้แทน ทดสอบ", delegate_position="ผู้อำนวยการกลุ่มนโยบาย"),
        Attendance(user_id=members[2].user_id, name=members[2].user.name, position="คณะทำงาน", status="absent",
                   reason="ติดราชการ"),
        Attendance(user_id=None, name="นางสาวผู้สังเกตการณ์ ทดสอบ", position="นักวิเคราะห์นโยบาย", status="guest"),
    ])
    item = db.session.scalar(db.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.section == 4))
    minutes = Minutes(meeting=meeting, state="certified", opened_at=time(9, 30), closed_at=time(12, 0),
                      recorder_name="นางสาวเลขา บันทึก", checker_name="นายตรวจ รายงาน",
                      certified_at_meeting_id=meeting.id, amendments="แก้ไขชื่อหน่วยงานในวาระ 4.1")
    recorded = MinutesItem(agenda_item=item, discussion="<p>ฝ่ายเลขานุการรายงานผลการดำเนินงานรอบ 9 เดือน</p>",
                           resolution_kind="assigned", resolution="ที่ประชุมรับทราบ")
    recorded.actions.append(ActionItem(meeting_id=meeting.id, body_id=meeting.body_id, description="จัดทำสรุปเสนอคณะกรรมการ",
                                       owner_unit=db.session.scalar(db.select(Unit).where(Unit.code == "PSDG")),
                                       due_date=date(2020, 7, 31)))
    minutes.items.append(recorded)
    db.session.add(minutes)
    db.session.commit()
    assert later is not None
    return meeting


def open_docx(response) -> docx.document.Document:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("wordprocessingml.document")
    return docx.Document(io.BytesIO(response.data))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_minutes_docx_follows_the_official_form(client, login, held_meeting):
    from app.auth.models import User

    login(db.session.scalar(db.select(User).where(User.email.like("secretariat@%"))), password="prachum-demo")
    document = open_docx(client.get(f"/meetings/{held_meeting.id}/minutes.docx"))
    text = text_of(document)
    order = ["รายงานการประชุม" + held_meeting.body.name, "ครั้งที่ 3/2563", "เมื่อวันศุกร์ที่ 26 มิถุนายน 2563",
             "ณ ห้องประชุมจันทรเกษม", "ผู้มาประชุม", "ผู้ไม่มาประชุม", "ผู้เข้าร่วมประชุม", "เริ่มประชุมเวลา 09.30 น.",
             "ระเบียบวาระที่ 4", "มติที่ประชุม", "เลิกประชุมเวลา 12.00 น.", "ผู้จดรายงานการประชุม",
             "ผู้ตรวจรายงานการประชุม"]
    positions = [text.find(piece) for piece in order]
    assert all(p >= 0 for p in positions), list(zip(order, positions))
    assert positions == sorted(positions)
    members = [m for m in held_meeting.body.memberships][:3]
    delegate = next(p.text for p in document.paragraphs if "นายผู้แทน ทดสอบ" in p.text)
    assert "ผู้อำนวยการกลุ่มนโยบาย" in delegate and f"แทน {members[1].user.name} คณะทำงาน" in delegate
    absent = next(p.text for p in document.paragraphs if members[2].user.name in p.text)
    assert absent.endswith("(ติดราชการ)")
    assert "ที่ประชุมครั้งที่ 3/2563 เมื่อวันที่ 26 มิถุนายน 2563 รับรอง" in text
    assert "จัดทำสรุปเสนอคณะกรรมการ" in text and "โดยมีการแก้ไข" in text
    run = next(r for p in document.paragraphs for r in p.runs if r.text.strip())
    fonts = run._element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "TH Sarabun New" and run.font.size.pt == 16
    assert run._element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"
    section = document.sections[0]
    assert abs(section.left_margin.cm - 3) < 0.01 and abs(section.right_margin.cm - 2) < 0.01


def test_agenda_docx(client, login, held_meeting):
    from app.auth.models import User

    login(db.session.scalar(db.select(User).where(User.email.like("member@%"))), password="prachum-demo")
    text = text_of(open_docx(client.get(f"/meetings/{held_meeting.id}/agenda.docx")))
    assert "ระเบียบวาระการประชุม" in text and "ครั้งที่ 3/2563" in text and "ระเบียบวาระที่ 5" in text
    assert "วันศุกร์ที่ 26 มิถุนายน 2563 เวลา 09.30 น." in text and "ณ ห้องประชุมจันทรเกษม" in text


def test_minutes_docx_only_for_readers(client, login, held_meeting, make_user):
    login(make_user("member"))
    assert client.get(f"/meetings/{held_meeting.id}/minutes.docx").status_code == 404
    assert client.get(f"/meetings/{held_meeting.id}/agenda.docx").status_code == 404


def test_draft_minutes_docx_not_for_members(client, login, held_meeting):
    from app.auth.models import User

    held_meeting.minutes.state = "draft"
    held_meeting.minutes.certified_at_meeting_id = None
    db.session.commit()
    login(db.session.scalar(db.select(User).where(User.email.like("member@%"))), password="prachum-demo")
    assert client.get(f"/meetings/{held_meeting.id}/minutes.docx").status_code == 404  # a draft is unreadable


def test_document_names_carry_the_body_and_never_collide():
    """minutes-<short name>-3-2563.docx in filename* (RFC 6266), the body's id in the ASCII fallback."""
    from types import SimpleNamespace

    from app.webactions import document_name, download

    def meeting(body_id, short):
        return SimpleNamespace(body_id=body_id, number=3, year_be=2563, body=SimpleNamespace(short_name=short))

    first, second = document_name("minutes", meeting(1, "คทง.แผน"), "docx"), document_name("minutes", meeting(2, "คทง.ติดตาม"), "docx")
    assert first == ("minutes-คทง.แผน-3-2563.docx", "minutes-1-3-2563.docx") and first != second
    assert document_name("agenda", meeting(5, "PSDG WG/1"), "docx") == ("agenda-PSDG-WG-1-3-2563.docx",
                                                                          "agenda-5-3-2563.docx")
    header = download(b"x", "application/pdf", *first).headers["Content-Disposition"]
    assert header.startswith('attachment; filename="minutes-1-3-2563.docx"; filename*=UTF-8\'\'minutes-%E0%B8%84')
