"""Sign-in and profile forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("อีเมล"), validators=[DataRequired(_l("กรุณากรอกอีเมล")), Email(_l("อีเมลไม่ถูกต้อง"))])
    password = PasswordField(_l("รหัสผ่าน"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่าน"))])
    remember = BooleanField(_l("จดจำการเข้าสู่ระบบ"))
    submit = SubmitField(_l("เข้าสู่ระบบ"))


class PasswordChangeForm(FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[DataRequired(_l("กรุณากรอกรหัสผ่านปัจจุบัน"))])
    new_password = PasswordField(
        _l("รหัสผ่านใหม่"),
        validators=[DataRequired(_l("กรุณากรอกรหัสผ่านใหม่")), Length(min=8, message=_l("อย่างน้อย 8 ตัวอักษร"))],
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
