"""Report forms: filing a progress report, evidence, review, attaching the round report to an agenda."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from app.labels import PROGRESS_STATUS_LABELS


class ReportForm(FlaskForm):
    """A unit's progress report on one sub-item (the service checks every rule; this form only collects)."""

    version = HiddenField()
    status = SelectField(_l("สถานะความก้าวหน้า"), choices=list(PROGRESS_STATUS_LABELS.items()))
    percent = StringField(_l("ความก้าวหน้า (ร้อยละ 0–100)"), render_kw={"inputmode": "numeric"},
                          description=_l("สถานะแล้วเสร็จต้องเป็นร้อยละ 100"))
    achieved_value = StringField(_l("ผลที่ทำได้ (ตัวเลขเทียบค่าเป้าหมาย)"), validators=[Optional()],
                                 render_kw={"inputmode": "decimal"})
    result = TextAreaField(_l("ผลการดำเนินงาน"), render_kw={"rows": 5},
                           description=_l("ต้องกรอกก่อนส่งรายงาน"))
    obstacles = TextAreaField(_l("ปัญหาอุปสรรค"), render_kw={"rows": 3})
    suggestions = TextAreaField(_l("ข้อเสนอแนะ"), render_kw={"rows": 3})
    evidence_files = MultipleFileField(_l("ไฟล์หลักฐาน (PDF, DOCX, XLSX, PPTX, รูปภาพ; เลือกได้หลายไฟล์)"))
    evidence_links = TextAreaField(_l("ลิงก์หลักฐาน (https:// บรรทัดละ 1 ลิงก์)"), render_kw={"rows": 2})
    save = SubmitField(_l("บันทึกร่าง"))
    save_and_submit = SubmitField(_l("บันทึกและส่งรายงาน"))

    def values(self) -> dict:
        """The service's input."""
        return {name: getattr(self, name).data for name in
                ("status", "percent", "achieved_value", "result", "obstacles", "suggestions")}

    def evidence(self) -> list:
        """The chosen files as (stream, file name) pairs."""
        return [(f.stream, f.filename) for f in self.evidence_files.data or [] if getattr(f, "filename", None)]


class UnitRoundSheetForm(FlaskForm):
    """Upload a unit's round filled offline (.xlsx)."""

    file = FileField(_l("ไฟล์ Excel (.xlsx) ที่กรอกแล้ว"))
    submit = SubmitField(_l("นำเข้าเป็นร่าง"))


class EvidenceForm(FlaskForm):
    """Evidence (หลักฐาน): a file or a link."""

    file = FileField(_l("ไฟล์ (PDF, DOCX, XLSX, PPTX, รูปภาพ)"))
    url = StringField(_l("หรือลิงก์ (https://)"), validators=[Optional()])
    title = StringField(_l("ชื่อหลักฐาน"), validators=[Optional()])
    submit = SubmitField(_l("แนบหลักฐาน"))


class ReturnForm(FlaskForm):
    """Return a report to the unit with a comment."""

    comment = TextAreaField(_l("เหตุผลที่ส่งกลับ / สิ่งที่ต้องแก้ไข"), render_kw={"rows": 3})
    submit = SubmitField(_l("ส่งกลับให้แก้ไข"))


class AttachRoundReportForm(FlaskForm):
    """Attach the compiled round report to a governance-committee meeting's agenda (section 4) in one step."""

    target = SelectField(_l("แนบเข้าวาระของการประชุม"),
                         description=_l("เลือกวาระเดิมในหมวด 4 หรือให้ระบบเพิ่มวาระใหม่ในหมวด 4 เรื่องเพื่อทราบ"))
    submit = SubmitField(_l("แนบรายงานสรุปรอบนี้เข้าวาระ"))
