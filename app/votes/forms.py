"""Forms of the votes area: opening a vote on an agenda item, recording a hand vote."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from app import textlimits
from app.bodies.forms import choice as select_field, optional_int
from app.textrules import TextRule

MAJORITY_CHOICES = (
    ("simple", _l("เสียงข้างมากของผู้ลงคะแนน (ไม่นับงดออกเสียง)")),
    ("two_thirds", _l("สองในสามของผู้ลงคะแนน")),
    ("absolute", _l("เกินกึ่งหนึ่งของจำนวนกรรมการทั้งหมด")),
)


class OpenVoteForm(FlaskForm):
    """A question on one of the meeting's agenda items (choices set by the view); the service checks the rules."""

    agenda_item_id = select_field(_l("ระเบียบวาระ"), coerce=optional_int, validators=[DataRequired(_l("กรุณาเลือกระเบียบวาระ"))])
    question = StringField(_l("ประเด็นที่ขอมติ"), validators=[DataRequired(_l("กรุณาระบุประเด็นที่ขอมติ")),
                                                           TextRule(textlimits.TITLE)])
    secret = BooleanField(_l("ลงคะแนนลับ"), description=_l("บันทึกว่าใครลงคะแนนแล้ว แต่ไม่บันทึกว่าลงอย่างไร"))
    options = TextAreaField(_l("ตัวเลือก (บรรทัดละหนึ่งตัวเลือก)"), render_kw={"rows": 3},
                            validators=[Optional(), TextRule(textlimits.LONG_TEXT, one_line=False)],
                            description=_l("เว้นว่างไว้: เห็นชอบ / ไม่เห็นชอบ / งดออกเสียง หรือพิมพ์รายชื่อผู้สมัคร"))
    majority = select_field(_l("เกณฑ์มติ"), MAJORITY_CHOICES, default="simple")
    closes_in = IntegerField(_l("ปิดการลงมติอัตโนมัติในอีก (นาที)"), validators=[Optional(), NumberRange(1, 24 * 60)])
    override_reason = TextAreaField(_l("เหตุผลที่ประธานให้ลงมติทั้งที่ไม่ครบองค์ประชุม"), render_kw={"rows": 2},
                                    validators=[Optional(), TextRule(textlimits.REASON, one_line=False)])
    submit = SubmitField(_l("เปิดการลงมติ"))


class HandVoteForm(FlaskForm):
    """The secretariat records a member's (or their delegate's) vote; choices set by the view."""

    user_id = select_field(_l("กรรมการ"), coerce=optional_int, validators=[DataRequired(_l("กรุณาเลือกกรรมการ"))])
    choice = select_field(_l("ลงคะแนน"))
    submit = SubmitField(_l("บันทึกคะแนน"))
