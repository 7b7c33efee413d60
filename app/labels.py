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
    # states, worded apart from the buttons "เลื่อนการประชุม" (Postpone) and "ยกเลิก" (Cancel)
    "scheduled": _l("กำหนดการ"), "postponed": _l("เลื่อนการประชุมแล้ว"), "cancelled": _l("ยกเลิกการประชุมแล้ว"),
    "held": _l("ประชุมแล้ว"),
}
PROGRESS_STATUS_LABELS = {
    "not_started": _l("ยังไม่เริ่ม"), "on_track": _l("เป็นไปตามแผน"), "at_risk": _l("มีความเสี่ยง"),
    "delayed": _l("ล่าช้ากว่าแผน"), "completed": _l("แล้วเสร็จ"),
}
# "Late" is a delivery fact (submitted after the due date, or still missing past it), not a progress status:
# its own word and its own colour, never the red of "delayed".
LATE_LABEL = _l("ส่งช้า")
LATE_COLOUR = "dark"
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

RSVP_PENDING_LABEL = _l("ยังไม่ตอบ")
CIRCULATION_ANSWER_LABELS = {  # a member's answer to a matter circulated for a resolution (มติเวียน)
    "approve": _l("เห็นชอบ"), "reject": _l("ไม่เห็นชอบ"), "comment": _l("มีความเห็นเพิ่มเติม"),
}
CIRCULATION_STATE_LABELS = {"open": _l("รอคำตอบ"), "closed": _l("ปิดแล้ว")}
CIRCULATION_OUTCOME_LABELS = {"approved": _l("เห็นชอบ"), "rejected": _l("ไม่เห็นชอบ"), "no_decision": _l("ไม่ได้มติ")}
AGENDA_STATE_LABELS = {"draft": _l("ร่างระเบียบวาระ"), "published": _l("เผยแพร่แล้ว")}
AGENDA_SECTION_LABELS = {  # the customary six sections, by item kind
    "announcement": _l("เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ"), "certification": _l("เรื่องรับรองรายงานการประชุม"),
    "follow_up": _l("เรื่องสืบเนื่องจากการประชุมครั้งก่อน"), "information": _l("เรื่องเพื่อทราบ"),
    "decision": _l("เรื่องเพื่อพิจารณา"), "other": _l("เรื่องอื่น ๆ"),
}
MINUTES_STATE_LABELS = {
    "draft": _l("ร่างรายงานการประชุม"), "circulated": _l("เวียนให้กรรมการแล้ว"), "certified": _l("รับรองแล้ว"),
}
RESOLUTION_KIND_LABELS = {
    "acknowledged": _l("รับทราบ"), "approved": _l("เห็นชอบ"), "rejected": _l("ไม่เห็นชอบ"),
    "approved_with_changes": _l("เห็นชอบโดยให้ปรับปรุง"), "assigned": _l("มอบหมาย"),
}
ACTION_STATUS_LABELS = {"open": _l("ยังไม่แล้วเสร็จ"), "done": _l("ดำเนินการแล้ว รอยืนยัน"), "closed": _l("ปิดแล้ว")}
ATTENDANCE_LABELS = {
    "present": _l("มาประชุม"), "online": _l("ประชุมออนไลน์"), "absent": _l("ไม่มาประชุม"),
    "delegate": _l("มอบผู้แทน"), "guest": _l("ผู้เข้าร่วมประชุม"),
}
ROUND_STATUS_LABELS = {"open": _l("เปิดรับรายงาน"), "closed": _l("ปิดรอบแล้ว")}
ATTACHMENT_KIND_LABELS = {"file": _l("ไฟล์"), "link": _l("ลิงก์")}
SEARCH_KIND_LABELS = {"meeting": _l("การประชุม"), "agenda_item": _l("วาระการประชุม"), "minutes": _l("รายงานการประชุม")}
LOCALE_LABELS = {"th": _l("ภาษาไทย"), "en": _l("English")}

# The audit log: what was done, and to what kind of record (app/audit: "area.verb", object_type_of()).
AUDIT_ACTION_LABELS = {
    "action.close": _l("ปิดเรื่องที่มอบหมาย"), "action.done": _l("แจ้งว่าดำเนินการเรื่องที่มอบหมายแล้ว"),
    "action.reopen": _l("เปิดเรื่องที่มอบหมายอีกครั้ง"), "action.note": _l("บันทึกความคืบหน้าเรื่องที่มอบหมาย"),
    "action.progress": _l("บันทึกความคืบหน้าเรื่องที่มอบหมาย"),
    "agenda.change": _l("แก้ไขระเบียบวาระ"), "agenda.edit": _l("แก้ไขระเบียบวาระ"),
    "agenda.publish": _l("เผยแพร่ระเบียบวาระ"),
    "assessment_bands.update": _l("แก้ไขเกณฑ์ระดับผลการประเมิน"),
    "assessment_score.create": _l("บันทึกผลการประเมิน"), "assessment_score.update": _l("แก้ไขผลการประเมิน"),
    "assessment_score.delete": _l("ลบผลการประเมิน"),
    "attachment.add": _l("แนบไฟล์หรือลิงก์"), "attachment.delete": _l("ลบไฟล์หรือลิงก์ที่แนบ"),
    "body.create": _l("สร้างคณะ"), "body.update": _l("แก้ไขข้อมูลคณะ"),
    "calendar_feed.follow": _l("ติดตามปฏิทินของคณะ"), "calendar_feed.regenerate": _l("สร้างลิงก์ปฏิทินใหม่"),
    "calendar_feed.reminder": _l("ตั้งการเตือนในปฏิทิน"), "calendar_feed.revoke": _l("ยกเลิกลิงก์ปฏิทิน"),
    "demo.load": _l("โหลดข้อมูลตัวอย่าง"), "demo.scale": _l("สร้างข้อมูลขนาดใหญ่สำหรับทดสอบ"),
    "line.link": _l("เชื่อมบัญชี LINE"), "line.unlink": _l("ยกเลิกการเชื่อมบัญชี LINE"),
    "meeting.attendance": _l("บันทึกผู้เข้าประชุม"), "meeting.cancel": _l("ยกเลิกการประชุม"),
    "meeting.create": _l("นัดประชุม"), "meeting.update": _l("แก้ไขการประชุม"),
    "meeting.days": _l("แก้ไขวันประชุม"), "meeting.postpone": _l("เลื่อนการประชุม"),
    "meeting.remind": _l("เตือนผู้ที่ยังไม่ตอบ"),
    "meeting.identity_code": _l("ส่งรหัสยืนยันตัวตน"), "meeting.identity_check": _l("ยืนยันตัวตนผู้เข้าประชุมออนไลน์"),
    "meeting.participation_import": _l("นำเข้ารายงานผู้เข้าร่วมประชุมออนไลน์"),
    "meeting.participation_add": _l("บันทึกเวลาเข้าร่วมประชุม"), "meeting.participation_remove": _l("ลบเวลาเข้าร่วมประชุม"),
    "meeting.recording": _l("บันทึกข้อมูลไฟล์บันทึกการประชุม"), "meeting.incident": _l("แจ้งปัญหาทางเทคนิค"),
    "meeting.check_in": _l("เช็กอินเข้าประชุม"),
    "meeting.invitation.issue": _l("ออกเลขหนังสือเชิญประชุม"),
    "meeting.guest.add": _l("เพิ่มผู้เข้าร่วมประชุม"), "meeting.guest.import": _l("นำเข้ารายชื่อผู้เข้าร่วมประชุม"),
    "meeting.guest.remove": _l("ลบผู้เข้าร่วมประชุม"), "meeting.guest.rsvp": _l("ผู้เข้าร่วมประชุมตอบรับ"),
    "meeting.rsvp": _l("ตอบรับการประชุม"), "meeting.rsvp.link": _l("ตอบรับการประชุมทางลิงก์ในอีเมล"),
    "rsvp.reply": _l("ตอบรับการประชุมจากโปรแกรมปฏิทิน"),
    "rsvp.reply_ignored": _l("คำตอบจากโปรแกรมปฏิทินที่ไม่ได้นำมาใช้"),
    "membership.create": _l("เพิ่มกรรมการ"), "membership.update": _l("แก้ไขตำแหน่งในคณะ"),
    "membership.delete": _l("นำกรรมการออกจากคณะ"),
    "minutes.save": _l("บันทึกรายงานการประชุม"), "minutes.circulate": _l("เวียนรายงานการประชุม"),
    "minutes.certify": _l("รับรองรายงานการประชุม"), "minutes.comment": _l("แสดงความเห็นต่อรายงานการประชุม"),
    "notifications.update": _l("ตั้งค่าการแจ้งเตือน"),
    "plan.create": _l("สร้างแผน"), "plan.update": _l("แก้ไขแผน"), "plan.delete": _l("ลบแผน"),
    "plan.import": _l("นำเข้าแผน"),
    "theme.create": _l("เพิ่มประเด็นหลัก"), "theme.update": _l("แก้ไขประเด็นหลัก"),
    "theme.delete": _l("ลบประเด็นหลัก"),
    "sub_item.create": _l("เพิ่มประเด็นย่อย"), "sub_item.update": _l("แก้ไขประเด็นย่อย"),
    "sub_item.delete": _l("ลบประเด็นย่อย"),
    "report.create": _l("สร้างรายงานความก้าวหน้า"), "report.update": _l("แก้ไขรายงานความก้าวหน้า"),
    "report.submit": _l("ส่งรายงานความก้าวหน้า"), "report.accept": _l("รับรายงานความก้าวหน้า"),
    "report.return": _l("ส่งรายงานกลับให้แก้ไข"), "report.import": _l("นำเข้ารายงานจากไฟล์"),
    "round.open": _l("เปิดรอบการรายงาน"), "round.close": _l("ปิดรอบการรายงาน"),
    "round.reopen": _l("เปิดรอบการรายงานอีกครั้ง"), "round.update": _l("แก้ไขรอบการรายงาน"),
    "round.remind": _l("เตือนหน่วยงานที่ยังไม่ส่งรายงาน"),
    "round.report.replace": _l("แทนที่รายงานผลการดำเนินงานที่แนบในวาระ"),
    "token.issue": _l("ออก API token"), "token.revoke": _l("ยกเลิก API token"),
    "body.quorum": _l("แก้ไขเกณฑ์องค์ประชุม"),
    "vote.open": _l("เปิดการลงมติ"), "vote.ballot": _l("ลงคะแนน"), "vote.close": _l("ปิดการลงมติ"),
    "vote.casting": _l("ประธานออกเสียงชี้ขาด"), "minutes.resolution": _l("บันทึกมติจากการลงคะแนน"),
    "meeting.next": _l("นัดประชุมครั้งถัดไป"), "meeting.series": _l("นัดประชุมล่วงหน้าเป็นชุด"),
    "jobs.retry": _l("ส่งอีเมลและ LINE ที่ไม่สำเร็จอีกครั้ง"), "export.request": _l("ขอไฟล์ส่งออก"),
    "unit.create": _l("เพิ่มหน่วยงาน"), "unit.update": _l("แก้ไขหน่วยงาน"),
    "user.create": _l("เพิ่มผู้ใช้"), "user.update": _l("แก้ไขผู้ใช้"), "user.login": _l("เข้าสู่ระบบ"),
    "user.logout": _l("ออกจากระบบ"), "user.login_failed": _l("เข้าสู่ระบบไม่สำเร็จ"),
    "user.login_throttled": _l("ระงับการเข้าสู่ระบบชั่วคราว (ผิดหลายครั้ง)"),
    "user.password_change": _l("เปลี่ยนรหัสผ่าน"), "user.password_reset": _l("ตั้งรหัสผ่านใหม่ให้ผู้ใช้"),
    "circulation.create": _l("เวียนขอมติ"), "circulation.answer": _l("ตอบขอมติเวียน"),
    "circulation.answer.link": _l("ตอบขอมติเวียนจากลิงก์"), "circulation.close": _l("ปิดการขอมติเวียน"),
    "circulation.remind": _l("เตือนผู้ที่ยังไม่ตอบขอมติเวียน"),
}
OBJECT_TYPE_LABELS = {
    "system": _l("ระบบ"), "user": _l("ผู้ใช้"), "unit": _l("หน่วยงาน"), "body": _l("คณะ"),
    "membership": _l("กรรมการในคณะ"), "meeting": _l("การประชุม"), "meeting_guest": _l("ผู้เข้าร่วมประชุม"),
    "meeting_day": _l("วันประชุม"), "rsvp": _l("การตอบรับ"), "attendance": _l("การเข้าประชุม"),
    "agenda_item": _l("วาระการประชุม"), "attachment": _l("ไฟล์แนบ"), "minutes": _l("รายงานการประชุม"),
    "minutes_item": _l("บันทึกวาระในรายงานการประชุม"), "minutes_comment": _l("ความเห็นต่อรายงานการประชุม"),
    "action_item": _l("เรื่องที่มอบหมาย"), "action_note": _l("ความคืบหน้าเรื่องที่มอบหมาย"),
    "plan": _l("แผน"), "theme": _l("ประเด็นหลัก"), "sub_item": _l("ประเด็นย่อย"),
    "reporting_round": _l("รอบการรายงาน"), "progress_report": _l("รายงานความก้าวหน้า"),
    "assessment_score": _l("ผลการประเมิน"), "assessment_band": _l("เกณฑ์ระดับผลการประเมิน"),
    "api_token": _l("API token"), "notification_preference": _l("การแจ้งเตือน"), "body_follow": _l("การติดตามปฏิทิน"),
    "circulation": _l("การขอมติเวียน"), "circulation_answer": _l("คำตอบขอมติเวียน"),
    "vote": _l("การลงมติ"), "meeting_series": _l("ชุดการประชุม"), "export": _l("ไฟล์ส่งออก"),
}
# Column names in the audit log's changes.
FIELD_LABELS = {
    "name": _l("ชื่อ"), "short_name": _l("ชื่อย่อ"), "title": _l("เรื่อง"), "email": _l("อีเมล"), "role": _l("บทบาท"),
    "position": _l("ตำแหน่ง"), "unit_id": _l("หน่วยงาน"), "is_active_user": _l("ใช้งานได้"), "locale": _l("ภาษา"),
    "password_hash": _l("รหัสผ่าน"), "code": _l("รหัส"), "active": _l("ใช้งาน"), "kind": _l("ประเภท"),
    "numbering": _l("การนับครั้งที่"), "parent_id": _l("คณะต้นสังกัด"), "status": _l("สถานะ"), "state": _l("สถานะ"),
    "mode": _l("รูปแบบ"), "starts_at": _l("เริ่ม"), "ends_at": _l("สิ้นสุด"), "venue": _l("สถานที่"),
    "online_url": _l("ลิงก์ประชุมออนไลน์"), "livestream_url": _l("ช่องทางถ่ายทอดสด"), "notes": _l("หมายเหตุ"),
    "chair_id": _l("ประธานการประชุม"), "cancel_reason": _l("เหตุผลที่ยกเลิก"), "agenda_state": _l("ระเบียบวาระ"),
    "number": _l("ลำดับ"), "year_be": _l("ปี พ.ศ."), "detail": _l("รายละเอียด"), "percent": _l("ร้อยละ"),
    "result": _l("ผลการดำเนินงาน"), "obstacles": _l("ปัญหาอุปสรรค"), "suggestions": _l("ข้อเสนอแนะ"),
    "achieved_value": _l("ผลที่ทำได้"), "due_date": _l("วันครบกำหนด"), "weight": _l("น้ำหนัก"),
    "review_comment": _l("ความเห็นผู้ตรวจ"), "score": _l("คะแนน"), "level": _l("ระดับ"),
    "comment_deadline": _l("กำหนดส่งความเห็น"), "amendments": _l("การแก้ไข"), "description": _l("รายละเอียด"),
    "target": _l("เป้าหมาย"), "target_value": _l("ค่าเป้าหมาย"), "target_unit": _l("หน่วยนับ"),
    "outputs": _l("ผลผลิต"), "version": _l("ฉบับที่"),
}
# Columns whose values are codes, and the labels of those codes (the audit log's changes).
FIELD_VALUE_LABELS = {
    "role": ROLE_LABELS, "kind": BODY_KIND_LABELS, "numbering": NUMBERING_LABELS, "mode": MODE_LABELS,
    "agenda_state": AGENDA_STATE_LABELS, "response": RSVP_LABELS, "resolution_kind": RESOLUTION_KIND_LABELS,
    "locale": LOCALE_LABELS,
}
# `status` and `state` mean different things on different records.
STATUS_LABELS_BY_OBJECT = {
    "meeting": MEETING_STATUS_LABELS, "progress_report": PROGRESS_STATUS_LABELS, "reporting_round": ROUND_STATUS_LABELS,
    "action_item": ACTION_STATUS_LABELS, "attendance": ATTENDANCE_LABELS,
}
STATE_LABELS_BY_OBJECT = {"progress_report": REPORT_STATE_LABELS, "minutes": MINUTES_STATE_LABELS}

# Every table of code → words, for the test that no page shows a raw code.
CODE_TABLES = (
    ROLE_LABELS, POSITION_LABELS, BODY_KIND_LABELS, NUMBERING_LABELS, MODE_LABELS, MEETING_STATUS_LABELS,
    PROGRESS_STATUS_LABELS, REPORT_STATE_LABELS, RSVP_LABELS, AGENDA_STATE_LABELS, AGENDA_SECTION_LABELS,
    MINUTES_STATE_LABELS, RESOLUTION_KIND_LABELS, ACTION_STATUS_LABELS, ATTENDANCE_LABELS, ROUND_STATUS_LABELS,
    AUDIT_ACTION_LABELS, OBJECT_TYPE_LABELS,
)

ACTION_STATUS_COLOURS = {"open": "primary", "done": "info", "closed": "success"}
ACTION_OVERDUE_LABEL = _l("เกินกำหนด")
ACTION_NOTE_LABELS = {
    "progress": _l("ความคืบหน้า"), "done": _l("แจ้งแล้วเสร็จ"), "closed": _l("ปิดงาน"), "reopened": _l("เปิดงานอีกครั้ง"),
}


def label(table: dict, code: str | None) -> str:
    """The label of a code, or the code itself when unknown."""
    return str(table.get(code, code or ""))


def audit_action_label(action: str) -> str:
    """An audit action in words; an unknown one by its kind of record ("การประชุม: …")."""
    if action in AUDIT_ACTION_LABELS:
        return str(AUDIT_ACTION_LABELS[action])
    area = action.split(".", 1)[0]
    return str(OBJECT_TYPE_LABELS.get(area, OBJECT_TYPE_LABELS["system"])) + " · " + str(_l("รายการอื่น"))


def object_type_label(object_type: str | None) -> str:
    """The kind of record an audit event is about, in words."""
    return str(OBJECT_TYPE_LABELS.get(object_type or "system", _l("ข้อมูลอื่น")))


def field_label(field: str) -> str:
    """A column name of the audit log's changes, in words (the code itself only when unknown)."""
    return str(FIELD_LABELS.get(field, field))


def field_value_label(object_type: str | None, field: str, value):
    """A changed value in words when the column holds a code; other values unchanged."""
    if not isinstance(value, str):
        return value
    table = {"status": STATUS_LABELS_BY_OBJECT, "state": STATE_LABELS_BY_OBJECT}.get(field, {}).get(object_type or "")
    table = table or FIELD_VALUE_LABELS.get(field)
    return str(table[value]) if table and value in table else value


def in_thai(table: dict, code: str | None) -> str:
    """The Thai label, whatever the request's language (texts stored for later, e.g. audit summaries)."""
    from flask_babel import force_locale

    with force_locale("th"):
        return label(table, code)
