"""Forms of the bodies area: a body, seating a member, changing a member's position."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app import textlimits
from app.labels import BODY_KIND_LABELS, POSITION_LABELS
from app.textrules import TextRule

NOT_IN_LIST = _l("กรุณาเลือกจากรายการ")
NUMBERING_CHOICES = [
    ("calendar", _l("ปีปฏิทิน (1 ม.ค.–31 ธ.ค.)")),
    ("fiscal", _l("ปีงบประมาณ (1 ต.ค.–30 ก.ย.)")),
]


def optional_int(value) -> int | None:
    """Coerce a select value to an int, with "" (no choice) as None."""
    if value in (None, ""):
        return None
    return int(value)


def choice(label, choices=(), **kwargs) -> SelectField:
    """A select whose refusals (not in the list, not a number) are worded in Thai."""
    return SelectField(label, choices=list(choices), invalid_choice_message=NOT_IN_LIST,
                       invalid_value_message=NOT_IN_LIST, **kwargs)


LETTER_FORM_CHOICES = (("external", _l("หนังสือภายนอก")), ("memo", _l("บันทึกข้อความ")))
QUORUM_CHOICES = (("majority", _l("เกินกึ่งหนึ่งของจำนวนกรรมการ")), ("count", _l("ไม่น้อยกว่าจำนวนที่กำหนด")),
                  ("fraction", _l("ไม่น้อยกว่าสัดส่วนที่กำหนด")))


class BodyForm(FlaskForm):
    """A committee or working group; the parent choices are set by the view. The service checks the rules."""

    name = StringField(_l("ชื่อคณะ"), validators=[TextRule(textlimits.BODY_NAME)], render_kw={"required": True},
                       description=_l("ชื่อเต็มตามคำสั่งแต่งตั้ง"))
    short_name = StringField(_l("ชื่อย่อ"), validators=[Optional(), TextRule(textlimits.BODY_SHORT_NAME)])
    kind = choice(_l("ประเภท"), BODY_KIND_LABELS.items(), default="committee")
    parent_id = choice(_l("คณะต้นสังกัด"), coerce=optional_int,
                       description=_l("คณะทำงานรายงานต่อคณะกรรมการที่แต่งตั้ง"))
    numbering = choice(
        _l("การนับครั้งที่ประชุม"), NUMBERING_CHOICES, default="calendar",
        description=_l("ครั้งที่ N/ปี เริ่มนับ 1 ใหม่ทุกปี พ.ศ. ตามปีที่เลือก ปีงบประมาณเรียกตามปีที่สิ้นสุด "
                       "เช่น ปีงบประมาณ 2563 = 1 ต.ค. 2562 – 30 ก.ย. 2563"),
    )
    description = TextAreaField(_l("รายละเอียด"), validators=[Optional(), TextRule(textlimits.LONG_TEXT, one_line=False)],
                                render_kw={"rows": 4})
    letter_form = choice(_l("แบบหนังสือเชิญประชุม"), LETTER_FORM_CHOICES, default="external")
    document_prefix = StringField(_l("รหัสหนังสือ"), validators=[Optional(), TextRule(textlimits.DOCUMENT_PREFIX)],
                                  description=_l("รหัสพยัญชนะและเลขประจำส่วนราชการ เช่น ศธ 0201.4 เลขหนังสือเรียงต่อจากนี้ทุกปี พ.ศ."))
    letter_office = StringField(_l("ส่วนราชการเจ้าของเรื่อง"), validators=[Optional(), TextRule(textlimits.UNIT_NAME)])
    letter_address = TextAreaField(_l("ที่อยู่ส่วนราชการ"), validators=[Optional(), TextRule(textlimits.ADDRESS, one_line=False)],
                                   render_kw={"rows": 2})
    letter_phone = StringField(_l("โทรศัพท์"), validators=[Optional(), TextRule(textlimits.PHONE)])
    letter_signer_name = StringField(_l("ผู้ลงนาม"), validators=[Optional(), TextRule(textlimits.NAME)])
    letter_signer_position = StringField(_l("ตำแหน่งผู้ลงนาม"), validators=[Optional(), TextRule(textlimits.POSITION)])
    quorum_kind = choice(_l("องค์ประชุม"), QUORUM_CHOICES, default="majority")
    quorum_number = StringField(_l("จำนวนหรือสัดส่วน"), validators=[Optional(), TextRule(10)],
                                description=_l("จำนวนคน เช่น 5 หรือสัดส่วน เช่น 2/3 (ปัดขึ้น)"))
    delegates_count = BooleanField(_l("นับผู้มาประชุมแทนเป็นองค์ประชุมและให้ลงคะแนนได้"), default=True)
    procurement = BooleanField(_l("เป็นคณะกรรมการในกระบวนการจัดซื้อจัดจ้าง (พ.ร.ก. การประชุมผ่านสื่ออิเล็กทรอนิกส์ไม่ใช้บังคับ)"),
                               default=False)
    submit = SubmitField(_l("บันทึก"))


class AddMemberForm(FlaskForm):
    """Seat a user in the body with a position; the user choices are set by the view."""

    user_id = choice(_l("ผู้ใช้"), coerce=optional_int,
                     validators=[DataRequired(_l("กรุณาเลือกผู้ใช้"))])
    role = choice(_l("ตำแหน่งในคณะ"), POSITION_LABELS.items(), default="member")
    submit = SubmitField(_l("เพิ่มสมาชิก"))


class MemberPositionForm(FlaskForm):
    """Change the position a member holds in the body."""

    role = choice(_l("ตำแหน่งในคณะ"), POSITION_LABELS.items())
    submit = SubmitField(_l("เปลี่ยนตำแหน่ง"))
