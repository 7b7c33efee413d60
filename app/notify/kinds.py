"""Every kind of notice, declared once with its Thai label (shown on /profile) and who receives it."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """A kind of notice: its code (the API's key), label and audience."""

    code: str
    label: object  # lazy Thai text
    audience: object


MEMBERS = _l("กรรมการ")
REPORTERS = _l("ผู้รายงานของหน่วยงาน")
SECRETARIAT = _l("ฝ่ายเลขานุการ")

KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("agenda.published", _l("เผยแพร่ระเบียบวาระการประชุม"), MEMBERS),
    Kind("invitation.unanswered", _l("เตือนตอบรับการประชุมที่ยังไม่ได้ตอบ"), MEMBERS),
    Kind("minutes.circulated", _l("เวียนรายงานการประชุมเพื่อแสดงความเห็น"), MEMBERS),
    Kind("minutes.certified", _l("รับรองรายงานการประชุม"), MEMBERS),
    Kind("action.assigned", _l("มอบหมายงานให้หน่วยงาน"), REPORTERS),
    Kind("action.due", _l("งานที่มอบหมายใกล้ครบกำหนด (7 วัน)"), REPORTERS),
    Kind("action.overdue", _l("งานที่มอบหมายเกินกำหนด"), REPORTERS),
    Kind("action.done", _l("หน่วยงานแจ้งว่างานที่มอบหมายแล้วเสร็จ"), SECRETARIAT),
    Kind("round.opened", _l("เปิดรอบการรายงาน"), REPORTERS),
    Kind("round.due", _l("รอบการรายงานใกล้ครบกำหนด"), REPORTERS),
    Kind("round.late", _l("เกินกำหนดส่งรายงาน"), REPORTERS),
    Kind("report.returned", _l("รายงานถูกส่งกลับให้แก้ไข"), REPORTERS),
    Kind("report.accepted", _l("ฝ่ายเลขานุการรับรายงานแล้ว"), REPORTERS),
    Kind("report.submitted", _l("หน่วยงานส่งรายงานให้ตรวจ"), SECRETARIAT),
    Kind("circulation.requested", _l("ขอมติเวียน"), MEMBERS),
    Kind("circulation.reminder", _l("เตือนตอบขอมติเวียนที่ยังไม่ได้ตอบ"), MEMBERS),
    Kind("circulation.result", _l("ผลการขอมติเวียน"), MEMBERS),
    Kind("meeting.identity_code", _l("รหัสยืนยันตัวตนสำหรับการประชุมออนไลน์"), MEMBERS),
)}
