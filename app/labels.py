"""Display labels (Thai by default, translated) for the enumerations stored as codes."""
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("ผู้ดูแลระบบ"),
    "secretariat": _l("ฝ่ายเลขานุการ"),
    "reporter": _l("ผู้รายงานของหน่วยงาน"),
    "member": _l("กรรมการ/คณะทำงาน"),
    "viewer": _l("ผู้บริหาร/ผู้ตรวจสอบ"),
}
POSITION_LABELS = {
    "chair": _l("ประธาน"),
    "vice_chair": _l("รองประธาน"),
    "member": _l("กรรมการ"),
    "secretary": _l("กรรมการและเลขานุการ"),
    "assistant_secretary": _l("ผู้ช่วยเลขานุการ"),
}
BODY_KIND_LABELS = {"committee": _l("คณะกรรมการ"), "working_group": _l("คณะทำงาน")}
NUMBERING_LABELS = {"calendar": _l("ปีปฏิทิน (พ.ศ.)"), "fiscal": _l("ปีงบประมาณ")}
MODE_LABELS = {"onsite": _l("ประชุม ณ สถานที่"), "online": _l("ประชุมออนไลน์"), "hybrid": _l("ประชุมแบบผสม")}
MEETING_STATUS_LABELS = {
    "scheduled": _l("กำหนดการ"), "postponed": _l("เลื่อนการประชุม"), "cancelled": _l("ยกเลิก"),
    "held": _l("ประชุมแล้ว"),
}
PROGRESS_STATUS_LABELS = {
    "not_started": _l("ยังไม่เริ่ม"), "on_track": _l("เป็นไปตามแผน"), "at_risk": _l("มีความเสี่ยง"),
    "delayed": _l("ล่าช้า"), "completed": _l("แล้วเสร็จ"),
}
# Traffic-light colours (Bootstrap contextual classes) of the progress statuses.
STATUS_COLOURS = {
    "not_started": "secondary", "on_track": "primary", "at_risk": "warning", "delayed": "danger",
    "completed": "success",
}
REPORT_STATE_COLOURS = {
    "draft": "secondary", "submitted": "info", "returned": "warning", "resubmitted": "info", "accepted": "success",
}
REPORT_STATE_LABELS = {
    "draft": _l("ร่าง"), "submitted": _l("ส่งแล้ว"), "returned": _l("ส่งกลับแก้ไข"),
    "resubmitted": _l("ส่งใหม่แล้ว"), "accepted": _l("รับรายงานแล้ว"),
}
MISSING_REPORT_LABEL = _l("ยังไม่ส่ง")
RSVP_LABELS = {  # a member's answer to an invitation (web, API or a calendar program's reply)
    "accepted": _l("เข้าร่วมประชุม"), "declined": _l("ไม่สามารถเข้าร่วม"), "tentative": _l("ยังไม่แน่ใจ"),
    "delegated": _l("มอบหมายผู้แทน"),
}


def label(table: dict, code: str | None) -> str:
    """The label of a code, or the code itself when unknown."""
    return str(table.get(code, code or ""))
