"""Meeting forms: schedule/edit, postpone, cancel, RSVP, attendance."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from app import textlimits as limits
from app import thaidates
from app.datefields import ThaiDateTimeField
from app.labels import MODE_LABELS, RSVP_LABELS
from app.meetings.services import MAX_NUMBER
from app.textrules import TextRule


class PastStartCheck:
    """A start in the past is refused until "confirm_past" is ticked (a meeting recorded after the fact); the
    box then shows, and the e-mail box is unticked. `past_allowed_at`: the unchanged start of an edited meeting."""

    past_allowed_at = None
    start_in_past = False

    def validate_starts_at(self, field) -> None:
        start = field.data
        if start is None or start == self.past_allowed_at or start >= datetime.now(thaidates.BANGKOK):
            return
        self.start_in_past = True
        if not self.confirm_past.data:
            self.notify.data = False
            raise ValidationError(_l("วันเวลาเริ่มผ่านมาแล้ว หากตั้งใจบันทึกการประชุมย้อนหลัง "
                                     "ให้ทำเครื่องหมาย \"ยืนยันวันเวลาที่ผ่านมาแล้ว\""))


class MeetingForm(PastStartCheck, FlaskForm):
    """Schedule or edit a meeting (the service validates the rules, this form only collects)."""

    body_id = SelectField(_l("คณะ"), coerce=int)
    title = StringField(_l("ชื่อการประชุม"), validators=[Optional(), TextRule(limits.TITLE)],
                        description=_l("เว้นว่างเพื่อใช้ชื่อคณะและครั้งที่"))
    starts_at = ThaiDateTimeField(_l("เริ่ม"), validators=[DataRequired(_l("กรุณาระบุวันเวลาเริ่ม"))],
                                  description=_l("วว/ดด/ปปปป ชช.นน ปี พ.ศ. เวลา 24 ชั่วโมง เช่น 26/06/2563 09.30"))
    confirm_past = BooleanField(_l("ยืนยันวันเวลาที่ผ่านมาแล้ว (บันทึกการประชุมย้อนหลัง)"))
    ends_at = ThaiDateTimeField(_l("สิ้นสุด"), validators=[DataRequired(_l("กรุณาระบุวันเวลาสิ้นสุด"))],
                                description=_l("ประชุมหลายวันได้ (เช่น ประชุมเชิงปฏิบัติการ)"))
    mode = SelectField(_l("รูปแบบ"), choices=list(MODE_LABELS.items()))
    venue = StringField(_l("สถานที่ (ณ)"), validators=[Optional(), TextRule(limits.VENUE)])
    online_url = StringField(_l("ลิงก์ประชุมออนไลน์ (https://)"), validators=[Optional(), TextRule(limits.URL)])
    stream_url = StringField(_l("ลิงก์ถ่ายทอดสด (https://)"), validators=[Optional(), TextRule(limits.URL)])
    chair_id = SelectField(_l("ประธาน"), coerce=lambda v: int(v) if v not in (None, "", "None") else None)
    notes = TextAreaField(_l("หมายเหตุ"), validators=[Optional(), TextRule(limits.LONG_TEXT, one_line=False)])
    number = IntegerField(_l("ครั้งที่ (เว้นว่างเพื่อให้ระบบกำหนด)"),
                          validators=[Optional(), NumberRange(min=1, max=MAX_NUMBER,
                                                             message=_l("ต้องเป็นจำนวนเต็มบวก"))])
    notify = BooleanField(_l("ส่งหนังสือเชิญ/แจ้งเปลี่ยนแปลงทางอีเมลถึงกรรมการ"), default=True)
    submit = SubmitField(_l("บันทึก"))


class PostponeForm(PastStartCheck, FlaskForm):
    starts_at = ThaiDateTimeField(_l("เริ่ม (ใหม่)"), validators=[DataRequired(_l("กรุณาระบุวันเวลาเริ่ม"))])
    ends_at = ThaiDateTimeField(_l("สิ้นสุด (ใหม่)"), validators=[DataRequired(_l("กรุณาระบุวันเวลาสิ้นสุด"))])
    confirm_past = BooleanField(_l("ยืนยันวันเวลาที่ผ่านมาแล้ว"))
    reason = StringField(_l("เหตุผล"), validators=[Optional(), TextRule(limits.NOTE, one_line=False)])
    notify = BooleanField(_l("แจ้งกรรมการทางอีเมล"), default=True)
    submit_postpone = SubmitField(_l("เลื่อนการประชุม"))


class CancelForm(FlaskForm):
    reason = StringField(_l("เหตุผลที่ยกเลิก"), validators=[DataRequired(_l("กรุณาระบุเหตุผล")),
                                                               TextRule(limits.NOTE, one_line=False)])
    notify = BooleanField(_l("แจ้งกรรมการทางอีเมล"), default=True)
    submit_cancel = SubmitField(_l("ยกเลิกการประชุม"))


class RsvpForm(FlaskForm):
    response = SelectField(_l("การตอบรับ"), choices=list(RSVP_LABELS.items()))
    delegate_name = StringField(_l("ชื่อผู้มาประชุมแทน"), validators=[Optional(), TextRule(limits.NAME)])
    note = StringField(_l("หมายเหตุ"), validators=[Optional(), TextRule(limits.NOTE, one_line=False)])
    submit_rsvp = SubmitField(_l("ส่งคำตอบ"))


class GuestForm(FlaskForm):
    """A person without an account invited to the meeting (ผู้เข้าร่วมประชุม)."""

    name = StringField(_l("ชื่อ"), validators=[DataRequired(_l("กรุณาระบุชื่อ")), TextRule(limits.NAME)])
    organisation = StringField(_l("หน่วยงาน"), validators=[Optional(), TextRule(limits.UNIT_NAME)])
    email = StringField(_l("อีเมล"), validators=[DataRequired(_l("กรุณาระบุอีเมล")), TextRule(limits.EMAIL)])
    submit_guest = SubmitField(_l("เพิ่มผู้เข้าร่วมประชุม"))


class GuestImportForm(FlaskForm):
    """A list of guests: .xlsx or .csv with the columns ชื่อ / หน่วยงาน / อีเมล."""

    file = FileField(_l("ไฟล์รายชื่อ (.xlsx หรือ .csv)"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))],
                     description=_l("แถวแรกเป็นหัวตาราง: ชื่อ / หน่วยงาน / อีเมล (หรือ name / organisation / email)"))
    submit_import = SubmitField(_l("นำเข้ารายชื่อ"))
