"""The form to schedule a body's meetings ahead by a rule (นัดประชุมล่วงหน้าเป็นชุด)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from app import textlimits as limits
from app import thaidates
from app.datefields import TIME_PLACEHOLDER, ThaiDateField
from app.labels import MODE_LABELS
from app.recurrence import MAX_OCCURRENCES
from app.textrules import TextRule

FREQUENCY_CHOICES = [("months", _l("รายเดือน")), ("weeks", _l("รายสัปดาห์"))]
ORDINAL_CHOICES = [("", _l("— (รายสัปดาห์) —")), ("1", _l("แรก")), ("2", _l("ที่สอง")), ("3", _l("ที่สาม")),
                   ("4", _l("ที่สี่")), ("-1", _l("สุดท้าย"))]


class SeriesForm(FlaskForm):
    """The rule, its span (a number of meetings or a last day), the time of day and what every meeting shares
    (the service checks the rules; this form collects)."""

    frequency = SelectField(_l("ประชุมทุก"), choices=FREQUENCY_CHOICES)
    every = IntegerField(_l("ทุกกี่เดือน/สัปดาห์"), default=1,
                         validators=[DataRequired(_l("กรุณาระบุ")), NumberRange(min=1, max=52)])
    ordinal = SelectField(_l("สัปดาห์ของเดือน (รายเดือน)"), choices=ORDINAL_CHOICES, default="1")
    weekday = SelectField(_l("วัน"), choices=[(str(n), name) for n, name in enumerate(thaidates.THAI_WEEKDAYS)],
                          default="0")
    starts_on = ThaiDateField(_l("เริ่มตั้งแต่วันที่"), validators=[DataRequired(_l("กรุณาระบุวันที่"))])
    count = IntegerField(_l("จำนวนครั้ง"), validators=[Optional(), NumberRange(min=1, max=MAX_OCCURRENCES)],
                         description=_l("ไม่เกิน %(n)d ครั้ง หรือเว้นว่างแล้วระบุวันสุดท้าย", n=MAX_OCCURRENCES))
    until = ThaiDateField(_l("ถึงวันที่ (วันสุดท้าย)"), validators=[Optional()])
    start_time = StringField(_l("เวลาเริ่ม"), validators=[DataRequired(_l("กรุณาระบุเวลา"))],
                             render_kw={"placeholder": TIME_PLACEHOLDER, "inputmode": "decimal"})
    end_time = StringField(_l("เวลาสิ้นสุด"), validators=[DataRequired(_l("กรุณาระบุเวลา"))],
                           render_kw={"placeholder": TIME_PLACEHOLDER, "inputmode": "decimal"})
    mode = SelectField(_l("รูปแบบ"), choices=list(MODE_LABELS.items()))
    venue = StringField(_l("สถานที่ (ณ)"), validators=[Optional(), TextRule(limits.VENUE)])
    online_url = StringField(_l("ลิงก์ประชุมออนไลน์ (https://)"), validators=[Optional(), TextRule(limits.URL)])
    stream_url = StringField(_l("ลิงก์ถ่ายทอดสด (https://)"), validators=[Optional(), TextRule(limits.URL)])
    chair_id = SelectField(_l("ประธาน"), coerce=lambda v: int(v) if v not in (None, "", "None") else None)
    notes = TextAreaField(_l("หมายเหตุ"), validators=[Optional(), TextRule(limits.LONG_TEXT, one_line=False)])
    notify = BooleanField(_l("ส่งอีเมลแจ้งกำหนดการทั้งชุดถึงกรรมการ (คนละหนึ่งฉบับ)"), default=False)
    submit = SubmitField(_l("สร้างการประชุมทั้งชุด"))
