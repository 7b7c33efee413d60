"""Forms of the actions pages: the list's filters, a progress note (and done), closing and reopening.

The three forms of an action's page share field names (note); each note has its own id.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Optional

from app import textlimits
from app.datefields import ThaiDateField
from app.labels import ACTION_OVERDUE_LABEL, ACTION_STATUS_LABELS
from app.textrules import TextRule


def _optional_id(value):
    return int(value) if value not in ("", None) and str(value).isdigit() and len(str(value)) < 10 else None


class ActionFilterForm(FlaskForm):
    """The filters of /actions (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    body_id = SelectField(_l("คณะกรรมการ/คณะทำงาน"), coerce=_optional_id, validate_choice=False)
    unit_id = SelectField(_l("หน่วยงานรับผิดชอบ"), coerce=_optional_id, validate_choice=False)
    state = SelectField(_l("สถานะ"), validate_choice=False, choices=[
        ("followed", _l("ยังไม่ปิด")), ("overdue", ACTION_OVERDUE_LABEL), *ACTION_STATUS_LABELS.items(),
        ("all", _l("ทั้งหมด")),
    ])
    due_after = ThaiDateField(_l("ครบกำหนดตั้งแต่"), validators=[Optional()])
    due_before = ThaiDateField(_l("ครบกำหนดถึง"), validators=[Optional()])


def _note(label, description, field_id: str) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), TextRule(textlimits.LONG_TEXT, one_line=False)],
                         render_kw={"rows": 3}, description=description, id=field_id)


class ProgressForm(FlaskForm):
    """A progress note by the owner unit (or the secretariat); ticking "done" marks the action done."""

    note = _note(_l("ความคืบหน้า"), _l("ต้องกรอก เว้นแต่แจ้งว่าดำเนินการแล้วเสร็จ"), "progress-note")
    done = BooleanField(_l("ดำเนินการแล้วเสร็จ (แจ้งฝ่ายเลขานุการเพื่อยืนยันปิดงาน)"))


class CloseForm(FlaskForm):
    """The secretariat confirms closing."""

    note = _note(_l("บันทึกการปิดงาน"), _l("ถ้าหน่วยงานยังไม่ได้แจ้งว่าแล้วเสร็จ ควรบันทึกเหตุผลที่ปิดงาน"), "close-note")


class ReopenForm(FlaskForm):
    """The secretariat reopens a done or closed action."""

    note = _note(_l("เหตุผลที่เปิดงานอีกครั้ง"), _l("ต้องกรอก: สิ่งที่ยังต้องดำเนินการ"), "reopen-note")
