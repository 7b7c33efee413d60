"""Forms of the plans area: plan, theme, sub-item, rounds, import, and the assessment's scores and bands.

They only collect: the services check every rule and answer in Thai, shown by the field.
"""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField, widgets

from app.datefields import ThaiDateField
from app.reports.assessments import BASE_LABELS, LEVEL_LABELS

NOT_IN_LIST = _l("กรุณาเลือกจากรายการ")
NUMBER = {"inputmode": "numeric"}
DECIMAL = {"inputmode": "decimal"}


def optional_int(value) -> int | None:
    """Coerce a select value to an int, with "" (no choice) as None."""
    if value in (None, ""):
        return None
    return int(value)


def choice(label, choices=(), **kwargs) -> SelectField:
    """A select whose refusals (not in the list, not a number) are worded in Thai."""
    return SelectField(label, choices=list(choices), invalid_choice_message=NOT_IN_LIST,
                       invalid_value_message=NOT_IN_LIST, **kwargs)


class UnitCheckboxes(SelectMultipleField):
    """Responsible units as checkboxes; ids the service checks (it refuses unknown ones in Thai)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PlanForm(FlaskForm):
    """A plan: title, owner body (choices set by the view), BE years, description."""

    title = StringField(_l("ชื่อแผน"))
    owner_body_id = choice(_l("คณะที่รับผิดชอบแผน"), coerce=optional_int)
    start_year_be = StringField(_l("ปี พ.ศ. เริ่มต้น"), render_kw=NUMBER)
    end_year_be = StringField(_l("ปี พ.ศ. สิ้นสุด"), render_kw=NUMBER)
    description = TextAreaField(_l("รายละเอียด"), render_kw={"rows": 3})
    submit = SubmitField(_l("บันทึก"))

    def values(self) -> dict:
        """The service's input."""
        return {name: getattr(self, name).data for name in
                ("title", "owner_body_id", "start_year_be", "end_year_be", "description")}


class ThemeForm(FlaskForm):
    """A main issue (ประเด็นหลัก)."""

    number = StringField(_l("ลำดับ"), render_kw=NUMBER, description=_l("เว้นว่างเพื่อต่อท้าย"))
    title = StringField(_l("ชื่อประเด็นหลัก"))
    weight = StringField(_l("น้ำหนัก"), render_kw=DECIMAL, description=_l("เว้นว่าง = 1"))
    submit = SubmitField(_l("บันทึก"))

    def values(self) -> dict:
        """The service's input."""
        return {name: getattr(self, name).data for name in ("number", "title", "weight")}


class SubItemForm(FlaskForm):
    """A sub-item (ประเด็นย่อย): outputs and targets, weight, responsible units (choices set by the view)."""

    number = StringField(_l("ลำดับในประเด็นหลัก"), render_kw=NUMBER, description=_l("เว้นว่างเพื่อต่อท้าย"))
    title = StringField(_l("ชื่อประเด็นย่อย"))
    outputs = TextAreaField(_l("ผลผลิต"), render_kw={"rows": 3})
    target = TextAreaField(_l("เป้าหมาย"), render_kw={"rows": 2})
    target_value = StringField(_l("ค่าเป้าหมาย"), render_kw=DECIMAL)
    target_unit = StringField(_l("หน่วยนับ"), description=_l("เช่น ร้อยละ ระบบ แห่ง"))
    weight = StringField(_l("น้ำหนัก"), render_kw=DECIMAL, description=_l("เว้นว่าง = 1"))
    unit_ids = UnitCheckboxes(_l("หน่วยงานรับผิดชอบ"), coerce=int, invalid_choice_message=NOT_IN_LIST,
                              invalid_value_message=NOT_IN_LIST)
    unit_codes = TextAreaField(_l("รหัสหน่วยงานรับผิดชอบ"), render_kw={"rows": 6, "spellcheck": "false"},
                               description=_l("รหัสหน่วยงาน คั่นด้วยเว้นวรรค จุลภาค หรือขึ้นบรรทัดใหม่"))
    submit = SubmitField(_l("บันทึก"))

    def values(self, by_codes: bool = False) -> dict:
        """The service's input: the responsible units ticked, or (by_codes, when units are too many to list) typed
        as codes."""
        values = {name: getattr(self, name).data for name in
                  ("number", "title", "outputs", "target", "target_value", "target_unit", "weight")}
        if by_codes:
            values.update(unit_ids=None, unit_codes=split_codes(self.unit_codes.data))
        else:
            values["unit_ids"] = self.unit_ids.data
        return values


def split_codes(text: str | None) -> list[str]:
    """Unit codes typed one per line or separated by spaces, commas or semicolons."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


class OpenRoundForm(FlaskForm):
    """Open a reporting round of the plan (fiscal-year choices set by the view)."""

    fiscal_year_be = choice(_l("ปีงบประมาณ พ.ศ."), coerce=optional_int)
    months = choice(_l("รอบ"), [(m, _l("%(m)d เดือน", m=m)) for m in (3, 6, 9, 12)], coerce=optional_int)
    due_date = ThaiDateField(_l("วันครบกำหนดส่ง"))
    submit = SubmitField(_l("เปิดรอบการรายงาน"))


class RoundDueForm(FlaskForm):
    """Change a round's due date."""

    due_date = ThaiDateField(_l("วันครบกำหนดส่ง"))
    submit = SubmitField(_l("เปลี่ยนวันครบกำหนด"))


class ImportPlanForm(FlaskForm):
    """A plan spreadsheet (.xlsx) and the body that will own the new plan (choices set by the view)."""

    file = FileField(_l("ไฟล์แผน (.xlsx)"), validators=[FileRequired(_l("กรุณาเลือกไฟล์"))])
    owner_body_id = choice(_l("คณะที่รับผิดชอบแผน"), coerce=optional_int)
    submit = SubmitField(_l("นำเข้า"))


class ScoreForm(FlaskForm):
    """A component score of one fiscal year's assessment."""

    fiscal_year_be = StringField(_l("ปีงบประมาณ พ.ศ."), render_kw=NUMBER)
    component = StringField(_l("องค์ประกอบที่"), render_kw=NUMBER)
    base = choice(_l("ประเภท"), BASE_LABELS.items(), default="performance")
    title = StringField(_l("ชื่อองค์ประกอบ/ตัวชี้วัด"))
    score = StringField(_l("คะแนน (0.00–100.00)"), render_kw=DECIMAL)
    note = TextAreaField(_l("หมายเหตุ"), render_kw={"rows": 3})
    submit = SubmitField(_l("บันทึก"))

    def values(self) -> dict:
        """The service's input."""
        return {name: getattr(self, name).data for name in
                ("fiscal_year_be", "component", "base", "title", "score", "note")}


class BandsForm(FlaskForm):
    """The lowest score of each level in one fiscal year."""

    fiscal_year_be = StringField(_l("ปีงบประมาณ พ.ศ."), render_kw=NUMBER)
    basic = StringField(LEVEL_LABELS["basic"], render_kw=DECIMAL)
    standard = StringField(LEVEL_LABELS["standard"], render_kw=DECIMAL)
    advanced = StringField(LEVEL_LABELS["advanced"], render_kw=DECIMAL)
    submit = SubmitField(_l("บันทึกเกณฑ์"))

    def values(self) -> dict:
        """The service's input."""
        return {name: getattr(self, name).data for name in ("fiscal_year_be", "basic", "standard", "advanced")}
