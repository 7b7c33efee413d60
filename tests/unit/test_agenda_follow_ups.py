"""Section 3 of the agenda DOCX (app.official_docx, pure): the matters arising, read back with python-docx."""
from __future__ import annotations

import io

from docx import Document

from app.official_docx import AgendaDoc, DocItem, DocSection, FollowUp, agenda_docx


def agenda(section_3: DocSection) -> list[str]:
    sections = (DocSection(1, "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", ()), section_3,
                DocSection(4, "เรื่องเพื่อทราบ", (DocItem("4.1", "ผลการดำเนินงานรอบ 9 เดือน"),)))
    doc = AgendaDoc(body_name="คณะทำงานติดตามผล", code="4/2563", date_text="วันศุกร์ที่ 25 กันยายน 2563",
                    venue=None, online_url=None, sections=sections)
    return [p.text for p in Document(io.BytesIO(agenda_docx(doc))).paragraphs]


def test_follow_ups_follow_the_section_heading_with_owner_due_state_and_latest_note():
    follow_up = FollowUp("จัดทำระบบติดตามผล", "ครั้งที่ 3/2563", owner="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร",
                         due="30 ก.ย. 2563", state="ยังไม่แล้วเสร็จ", overdue=True, latest_note="ติดตั้งแล้วร้อยละ 60")
    lines = agenda(DocSection(3, "เรื่องสืบเนื่องจากการประชุมครั้งก่อน", (), follow_ups=(follow_up,)))
    start = lines.index("ระเบียบวาระที่ 3 เรื่องสืบเนื่องจากการประชุมครั้งก่อน")
    assert lines[start + 1:start + 4] == [
        "1) จัดทำระบบติดตามผล (มอบหมายในการประชุมครั้งที่ 3/2563)",
        "หน่วยงานรับผิดชอบ: ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร · กำหนด: 30 ก.ย. 2563 · สถานะ: ยังไม่แล้วเสร็จ · เกินกำหนด",
        "ความคืบหน้าล่าสุด: ติดตั้งแล้วร้อยละ 60",
    ]
    assert lines[start + 4] == "ระเบียบวาระที่ 4 เรื่องเพื่อทราบ"


def test_a_section_3_without_items_or_follow_ups_says_none():
    lines = agenda(DocSection(3, "เรื่องสืบเนื่องจากการประชุมครั้งก่อน", ()))
    start = lines.index("ระเบียบวาระที่ 3 เรื่องสืบเนื่องจากการประชุมครั้งก่อน")
    assert lines[start + 1] == "- ไม่มี -"
