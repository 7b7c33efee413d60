"""Sign-in and profile forms."""
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app import textlimits


def _password_rule() -> str:
    from app.auth.services import password_rule_text

    return password_rule_text()


PASSWORD_RULE = LazyString(_password_rule)  # help text under every new-password field


class LoginForm(FlaskForm):
    """E-mail and password; any address an account has is accepted (no syntax rule here)."""

    email = StringField(_l("อีเมล"), validators=[DataRequired(_l("กรุณากรอกอีเมล"))],
                        render_kw={"inputmode": "email", "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField(_l("รหัสผ่าน"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่าน"))])
    remember = BooleanField(_l("จดจำการเข้าสู่ระบบ"))
    submit = SubmitField(_l("เข้าสู่ระบบ"))


class PasswordChangeForm(FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านปัจจุบัน"))])
    new_password = PasswordField(
        _l("รหัสผ่านใหม่"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่"))], description=PASSWORD_RULE,
    )
    confirm = PasswordField(
        _l("ยืนยันรหัสผ่านใหม่"), validators=[EqualTo("new_password", _l("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))]
    )
    submit = SubmitField(_l("เปลี่ยนรหัสผ่าน"))


class LanguageForm(FlaskForm):
    """A user's preferred UI language."""

    locale = SelectField(
        _l("ภาษา"), choices=[("", _l("ตามเบราว์เซอร์")), ("th", "ไทย"), ("en", "English")], validate_choice=True
    )
    submit_language = SubmitField(_l("บันทึกภาษา"))


TOKEN_LIFETIMES = [("30", _l("30 วัน")), ("90", _l("90 วัน")), ("365", _l("1 ปี")), ("", _l("ไม่มีวันหมดอายุ"))]


class TokenCreateForm(FlaskForm):
    """A new API token: its name and how long it is valid."""

    name = StringField(_l("ชื่อโทเคน"), validators=[DataRequired(_l("กรุณาตั้งชื่อโทเคน")),
                                                   Length(max=textlimits.SHORT_NAME, message=_l("ยาวเกินไป"))],
                       description=_l("เช่น ชื่อโปรแกรมหรือเครื่องที่จะใช้"))
    days = SelectField(_l("อายุ"), choices=TOKEN_LIFETIMES, default="90")
    submit_token = SubmitField(_l("สร้างโทเคน"))
