"""Circulation pages: the body's list, the secretariat's form, the circulation with answer buttons for members and
the tally for the secretariat, papers, reminders, closing, the two DOCX files, and the one-click answer page
(public: the signed token is the credential; opening it changes nothing, only its POST records the answer)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app import access, authz, thaidates
from app import textlimits as limits
from app.auth.models import User
from app.bodies.models import Body
from app.circulations import documents, services
from app.circulations.links import read_circulation_token
from app.circulations.models import Circulation
from app.datefields import ThaiDateTimeField
from app.errors import Conflict, NotFound, ServiceError
from app.extensions import db
from app.labels import CIRCULATION_ANSWER_LABELS
from app.textrules import TextRule
from app.webactions import DOCX, download, perform, refuse, require_csrf

bp = Blueprint("circulations", __name__)


class CirculationForm(FlaskForm):
    """Circulate a matter: title, the matter's text, the question and the deadline."""

    title = StringField(_l("เรื่อง"), validators=[DataRequired(_l("กรุณาระบุเรื่อง")), TextRule(limits.TITLE)])
    detail = TextAreaField(_l("รายละเอียด"), validators=[Optional(), TextRule(limits.LONG_TEXT, one_line=False)])
    question = TextAreaField(_l("ประเด็นที่ขอมติ"), validators=[DataRequired(_l("กรุณาระบุประเด็นที่ขอมติ")),
                                                               TextRule(limits.NOTE, one_line=False)])
    deadline = ThaiDateTimeField(_l("ตอบภายใน"), validators=[DataRequired(_l("กรุณาระบุวันเวลาที่ต้องตอบภายใน"))],
                                 description=_l("วว/ดด/ปปปป ชช.นน ปี พ.ศ. เช่น 30/06/2563 16.30"))
    papers = MultipleFileField(_l("เอกสารประกอบ (PDF, DOCX, XLSX, PPTX หรือรูปภาพ)"))
    submit = SubmitField(_l("เวียนขอมติ"))


class AnswerForm(FlaskForm):
    """A member's answer with a comment (required with มีความเห็นเพิ่มเติม)."""

    answer = RadioField(_l("คำตอบ"), choices=list(CIRCULATION_ANSWER_LABELS.items()),
                        validators=[DataRequired(_l("กรุณาเลือกคำตอบ"))])
    comment = TextAreaField(_l("ความเห็น"), validators=[Optional(), TextRule(limits.LONG_TEXT, one_line=False)])
    submit = SubmitField(_l("ส่งคำตอบ"))


def load_circulation(circulation_id: int, *, change=None) -> Circulation:
    """The circulation (closed first when past its deadline): 404 if missing or not readable, 403 if `change`
    refuses."""
    circulation = access.load(Circulation, circulation_id, read=authz.can_view_circulation,
                              missing=_("ไม่พบเรื่องที่เวียนขอมติ"))
    services.close_if_due(circulation)
    return access.authorize(circulation, read=authz.can_view_circulation, change=change)


def load_body(body_id: int) -> Body:
    """The body, 404 unless readable."""
    return access.load(Body, body_id, read=authz.can_view_body, missing=_("ไม่พบคณะ"))


@bp.route("/bodies/<int:body_id>/circulations")
@login_required
def index(body_id: int):
    """The body's circulations, the latest first."""
    body = load_body(body_id)
    return render_template("circulations/index.html", body=body, circulations=services.list_circulations(body))


@bp.route("/bodies/<int:body_id>/circulations/new", methods=["GET", "POST"])
@login_required
def new(body_id: int):
    """Circulate a matter to the body's members (secretariat)."""
    body = access.load(Body, body_id, read=authz.can_view_body, change=authz.can_circulate, missing=_("ไม่พบคณะ"))
    form = CirculationForm()
    status = 200
    if form.validate_on_submit():
        try:
            circulation = services.circulate(body, {"title": form.title.data, "detail": form.detail.data,
                                                    "question": form.question.data, "deadline": form.deadline.data},
                                             current_user)
            for upload in form.papers.data or []:
                if getattr(upload, "filename", None):
                    services.add_paper(circulation, upload.stream, upload.filename, current_user)
        except ServiceError as error:
            status = refuse(form, error)
        else:
            flash(_("เวียนขอมติถึงกรรมการ %(n)d คนแล้ว", n=len(circulation.answers)), "success")
            return redirect(url_for("circulations.detail", circulation_id=circulation.id))
    elif form.is_submitted():
        status = 422
    return render_template("circulations/form.html", body=body, form=form), status


@bp.route("/circulations/<int:circulation_id>")
@login_required
def detail(circulation_id: int):
    """The matter, the member's answer buttons, the tally (secretariat, or everyone once closed)."""
    circulation = load_circulation(circulation_id)
    mine = services.answer_of(circulation, current_user)
    form = AnswerForm(answer=mine.answer if mine else None, comment=mine.comment if mine else None)
    return render_template("circulations/detail.html", circulation=circulation, mine=mine, form=form,
                           pending=services.pending_answers(circulation))


@bp.route("/circulations/<int:circulation_id>/answer", methods=["POST"])
@login_required
def answer(circulation_id: int):
    """The signed-in member answers (or changes the answer); 403 for someone not asked."""
    circulation = load_circulation(circulation_id, change=authz.is_circulation_member)
    form = AnswerForm()
    if not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            require_csrf()
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("circulations.detail", circulation_id=circulation_id))
    perform(lambda: services.record_answer(circulation, current_user, form.answer.data, form.comment.data),
            _("บันทึกคำตอบแล้ว"))
    return redirect(url_for("circulations.detail", circulation_id=circulation_id))


@bp.route("/circulations/<int:circulation_id>/papers", methods=["POST"])
@login_required
def add_paper(circulation_id: int):
    """Attach a paper (a file, or a link) to an open circulation (secretariat)."""
    from app.attachments.services import attach_link

    circulation = load_circulation(circulation_id, change=authz.can_manage_circulation)
    require_csrf()
    upload = request.files.get("file")
    if upload and upload.filename:
        perform(lambda: services.add_paper(circulation, upload.stream, upload.filename, current_user),
                _("แนบเอกสารแล้ว"))
    else:
        perform(lambda: attach_link(request.form.get("url", ""), request.form.get("title"),
                                    circulation_id=circulation.id, user=current_user), _("แนบเอกสารแล้ว"))
    return redirect(url_for("circulations.detail", circulation_id=circulation_id))


@bp.route("/circulations/<int:circulation_id>/remind", methods=["POST"])
@login_required
def remind(circulation_id: int):
    """Remind the members who have not answered (each at most once a day)."""
    circulation = load_circulation(circulation_id, change=authz.can_manage_circulation)
    require_csrf()
    done = []
    if perform(lambda: done.append(services.remind_pending(circulation, thaidates.today_bangkok(), current_user))):
        flash(_("ส่งคำเตือนถึง %(n)d คน (เตือนไปแล้ววันนี้ %(k)d คน)", n=done[0].sent, k=done[0].skipped), "success")
    return redirect(url_for("circulations.detail", circulation_id=circulation_id))


@bp.route("/circulations/<int:circulation_id>/close", methods=["POST"])
@login_required
def close(circulation_id: int):
    """Close the circulation now and record its result (secretariat)."""
    circulation = load_circulation(circulation_id, change=authz.can_manage_circulation)
    require_csrf()
    perform(lambda: services.close_circulation(circulation, current_user), _("ปิดการขอมติเวียนและบันทึกผลแล้ว"))
    return redirect(url_for("circulations.detail", circulation_id=circulation_id))


@bp.route("/circulations/<int:circulation_id>/memo.docx")
@login_required
def memo_docx(circulation_id: int):
    """บันทึกข้อความ ขอมติเวียน (DOCX)."""
    circulation = load_circulation(circulation_id)
    return download(documents.memo_docx(circulation), DOCX, f"ขอมติเวียน-{circulation.id}.docx",
                    f"circulation-{circulation.id}-memo.docx")


@bp.route("/circulations/<int:circulation_id>/result.docx")
@login_required
def result_docx(circulation_id: int):
    """บันทึกผลมติเวียน (DOCX), once the circulation is closed (409 before)."""
    circulation = load_circulation(circulation_id)
    if circulation.state != "closed":
        raise Conflict(_("ยังไม่ได้ปิดการขอมติเวียน จึงยังไม่มีผล"), code="circulation_open")
    return download(documents.result_docx(circulation), DOCX, f"ผลมติเวียน-{circulation.id}.docx",
                    f"circulation-{circulation.id}-result.docx")


def _bad_link() -> NotFound:
    return NotFound(_("ลิงก์ตอบขอมตินี้ไม่ถูกต้อง กรุณาใช้ลิงก์ในอีเมลหรือ LINE ฉบับล่าสุด หรือติดต่อฝ่ายเลขานุการ"))


@bp.route("/circulations/answer/<token>", methods=["GET", "POST"])
def answer_by_link(token: str):
    """The one-click answer page (public: the signed token names the member and the circulation)."""
    link = read_circulation_token(token)
    if link is None:
        raise _bad_link()
    circulation = db.session.get(Circulation, link.circulation_id)
    member = db.session.get(User, link.user_id)
    mine = services.answer_of(circulation, member) if member is not None and member.is_active else None
    if mine is None:
        raise _bad_link()  # not asked, gone or deactivated
    services.close_if_due(circulation)
    context = dict(circulation=circulation, member=member, mine=mine, link=link)
    if link.expired or circulation.state != "open":
        just_saved = request.args.get("saved") == "1" and mine.answer is not None  # the last answer closed it
        return render_template("circulations/answer.html", form=None, **context), 200 if just_saved else 400
    form = AnswerForm()
    if request.method != "POST":  # GET or HEAD: show, never record
        just_saved = request.args.get("saved") == "1" and mine.answer is not None
        form.answer.data = mine.answer if just_saved else (link.answer or mine.answer)
        form.comment.data = mine.comment
        return render_template("circulations/answer.html", form=form, **context)
    status = 200
    if not form.validate_on_submit():
        status = 400 if form.errors.get("csrf_token") else 422
    else:
        try:
            services.record_answer(circulation, member, form.answer.data, form.comment.data,
                                   action="circulation.answer.link")
        except ServiceError as error:
            if error.status >= 500:
                raise
            status = refuse(form, error)
        else:
            flash(_("บันทึกคำตอบแล้ว ขอบคุณค่ะ/ครับ"), "success")
            return redirect(url_for("circulations.answer_by_link", token=token, saved=1))
    return render_template("circulations/answer.html", form=form, **context), status
