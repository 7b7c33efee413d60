"""Administration forms: users, password reset, units, and the filters of the user list and the audit log."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, EmailField, IntegerField, PasswordField, SearchField, SelectField, StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, NumberRange, Optional, ValidationError

from app import textlimits as limits
from app.auth.forms import PASSWORD_RULE
from app.datefields import ThaiDateField
from app.labels import ROLE_LABELS
from app.textrules import TextRule

NAME_REQUIRED = DataRequired(_l("กรุณาระบุชื่อ"))


def role_choices() -> list[tuple[str, str]]:
    """(code, Thai label) of every role, in the order of ROLE_LABELS."""
    return list(ROLE_LABELS.items())


def optional_int(value) -> int | None:
    """Coerce a select value to an int, with "" (no choice) as None."""
    if value in (None, ""):
        return None
    return int(value)


class UserCreateForm(FlaskForm):
    """A new account; the unit choices (unit codes) are set by the view."""

    email = EmailField(_l("อีเมล"), validators=[DataRequired(_l("กรุณากรอกอีเมล")), TextRule(limits.EMAIL)])
    name = StringField(_l("ชื่อ-นามสกุล"), validators=[NAME_REQUIRED, TextRule(limits.NAME)],
                       description=_l("พร้อมคำนำหน้า ตามที่จะปรากฏในรายงานการประชุม"))
    position = StringField(_l("ตำแหน่ง"), validators=[Optional(), TextRule(limits.POSITION)])
    role = SelectField(_l("บทบาท"), choices=role_choices(), default="member")
    unit = SelectField(_l("หน่วยงาน"), choices=[], description=_l("ผู้รายงานของหน่วยงานต้องสังกัดหน่วยงาน"))
    password = PasswordField(_l("รหัสผ่านเริ่มต้น"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่าน"))],
                             description=PASSWORD_RULE)
    submit = SubmitField(_l("เพิ่มผู้ใช้"))


class UserEditForm(FlaskForm):
    """Name, position, role, unit and whether the account may sign in."""

    name = StringField(_l("ชื่อ-นามสกุล"), validators=[NAME_REQUIRED, TextRule(limits.NAME)])
    position = StringField(_l("ตำแหน่ง"), validators=[Optional(), TextRule(limits.POSITION)])
    role = SelectField(_l("บทบาท"), choices=role_choices())
    unit = SelectField(_l("หน่วยงาน"), choices=[])
    active = BooleanField(_l("เปิดใช้งานบัญชี (ไม่เลือก = ระงับการเข้าสู่ระบบ)"))
    submit = SubmitField(_l("บันทึก"))


class PasswordResetForm(FlaskForm):
    """An administrator sets a new password for a user (strength is checked by the service)."""

    password = PasswordField(_l("รหัสผ่านใหม่"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่"))],
                             description=PASSWORD_RULE)
    confirm = PasswordField(_l("ยืนยันรหัสผ่านใหม่"),
                            validators=[EqualTo("password", _l("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))])
    submit_password = SubmitField(_l("ตั้งรหัสผ่านใหม่"))


class UnitForm(FlaskForm):
    """A unit: code (stored upper-case, unique), full name, abbreviation, active."""

    code = StringField(
        _l("รหัสหน่วยงาน"), validators=[DataRequired(_l("กรุณาระบุรหัสหน่วยงาน")), TextRule(limits.UNIT_CODE)],
        description=_l("รหัสสั้น ๆ ภาษาอังกฤษ เช่น ICT"),
    )
    name = StringField(
        _l("ชื่อหน่วยงาน"), validators=[DataRequired(_l("กรุณาระบุชื่อหน่วยงาน")), TextRule(limits.UNIT_NAME)]
    )
    short_name = StringField(_l("ชื่อย่อ"), validators=[Optional(), TextRule(limits.SHORT_NAME)])
    active = BooleanField(_l("ใช้งานอยู่"), default=True)
    submit = SubmitField(_l("บันทึก"))


class UserFilterForm(FlaskForm):
    """Filter of the user list (GET, no CSRF)."""

    class Meta:
        csrf = False

    role = SelectField(_l("บทบาท"), choices=[("", _l("ทุกบทบาท")), *role_choices()], default="")
    q = SearchField(_l("ค้นหา"), validators=[Optional(), TextRule(limits.SHORT_NAME)],
                    render_kw={"placeholder": _l("ชื่อ อีเมล หรือตำแหน่ง")})


class AuditFilterForm(FlaskForm):
    """Filter of the audit log (GET, no CSRF); user and object type choices are set by the view."""

    class Meta:
        csrf = False

    user_id = SelectField(_l("ผู้ใช้"), choices=[], coerce=optional_int)
    object_type = SelectField(_l("ประเภทข้อมูล"), choices=[], default="")
    object_id = IntegerField(
        _l("รหัสข้อมูล (id)"), validators=[Optional(), NumberRange(min=1, message=_l("ต้องเป็นจำนวนเต็มบวก"))]
    )
    date_from = ThaiDateField(_l("ตั้งแต่วันที่"), validators=[Optional()])
    date_to = ThaiDateField(_l("ถึงวันที่"), validators=[Optional()])

    def validate_date_to(self, field) -> None:
        """The range may not end before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"))
