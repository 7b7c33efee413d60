"""Agenda pages: read the agenda; the secretariat adds, edits, reorders (up/down), deletes and publishes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app import access, authz, confirmations, textlimits
from app.actions.services import latest_note, matters_arising
from app.agenda import services
from app.bodies.models import Unit
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.agenda.models import AgendaItem
from app.meetings.models import Meeting
from app.meetings.routes import load_meeting
from app.meetings.services import ensure_record_open
from app.textrules import TextRule
from app.webactions import perform, refuse, require_csrf

bp = Blueprint("agenda", __name__)


class AgendaItemForm(FlaskForm):
    """Add or edit one item."""

    section = SelectField(_l("ระเบียบวาระที่"), coerce=int,
                          choices=[(n, f"{n}. {t}") for n, t in services.SECTION_TITLES.items()])
    title = StringField(_l("เรื่อง"), validators=[DataRequired(_l("กรุณาระบุเรื่อง")),
                                                      TextRule(textlimits.TITLE)])
    detail = TextAreaField(_l("รายละเอียด"), validators=[Optional(), TextRule(textlimits.LONG_TEXT, one_line=False)])
    presenter_unit_id = SelectField(_l("หน่วยงานผู้เสนอ"), coerce=lambda v: int(v) if v not in ("", None, "None") else None)
    presenter = StringField(_l("ผู้นำเสนอ"), validators=[Optional(), TextRule(textlimits.NAME)])
    version = IntegerField(validators=[Optional()])
    submit = SubmitField(_l("บันทึก"))


def item_form(**kwargs) -> AgendaItemForm:
    form = AgendaItemForm(**kwargs)
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    form.presenter_unit_id.choices = [("", "—")] + [(u.id, u.name) for u in units]
    return form


def form_values(form: AgendaItemForm) -> dict:
    return {"section": form.section.data, "title": form.title.data, "detail": form.detail.data,
            "presenter_unit_id": form.presenter_unit_id.data, "presenter": form.presenter.data}


def readable_agenda(meeting_id: int) -> Meeting:
    """The meeting whose agenda the user may read; 404 (saying the agenda is not yet published) otherwise."""
    meeting = load_meeting(meeting_id)
    if not authz.can_view_agenda(current_user, meeting):
        raise NotFound(_("ระเบียบวาระการประชุมนี้ยังไม่ได้เผยแพร่"))
    return meeting


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["GET", "POST"])
@login_required
def view(meeting_id: int):
    """The agenda of a meeting; the secretariat's add-item form posts here."""
    meeting = readable_agenda(meeting_id)
    editable = (authz.can_edit_agenda(current_user, meeting) and meeting.status != "cancelled"
                and not authz.meeting_record_frozen(meeting))
    form = item_form(prefix="new", section=request.args.get("section", 4, type=int))
    status = 200
    if request.method == "POST":
        if not authz.can_edit_agenda(current_user, meeting):
            abort(403)
        ensure_record_open(meeting)
        if not editable:
            abort(409)
        if form.validate_on_submit():
            try:
                item = services.add_item(meeting, form_values(form))
            except ServiceError as error:
                status = refuse(form, error)
            else:
                flash(_("เพิ่มวาระ %(n)s แล้ว", n=item.number), "success")
                return redirect(url_for("agenda.view", meeting_id=meeting_id) + f"#item-{item.id}")
        else:
            status = 422
    return render_template("agenda/view.html", meeting=meeting, sections=services.agenda_sections(meeting),
                           arising=matters_arising(meeting), latest_note=latest_note,
                           form=form, editable=editable, changed=services.changed_since_publish,
                           print_view=request.args.get("print") == "1"), status


def _manageable(item_id: int) -> AgendaItem:
    """An agenda item the user changes: 404 when its meeting is hidden from them, 403 when they only read it,
    409 once its meeting's minutes are certified."""
    item = access.load(AgendaItem, item_id, read=authz.can_view_agenda_item, change=authz.can_edit_agenda_item,
                       missing=_("ไม่พบระเบียบวาระ"))
    ensure_record_open(item.meeting)
    return item


@bp.route("/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(item_id: int):
    """Edit one item (title, detail, presenter, section)."""
    item = _manageable(item_id)
    form = item_form(obj=item, presenter=item.presenter_name)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_item(item, form_values(form), version=form.version.data)
        except ServiceError as error:
            status = refuse(form, error)
            item = _manageable(item_id)
        else:
            flash(_("บันทึกวาระแล้ว"), "success")
            return redirect(url_for("agenda.view", meeting_id=item.meeting_id) + f"#item-{item.id}")
    elif form.is_submitted():
        status = 422
    if request.method == "GET":
        form.version.data = item.version
    return render_template("agenda/edit_item.html", item=item, form=form), status


@bp.route("/agenda-items/<int:item_id>/move", methods=["POST"])
@login_required
def move_item(item_id: int):
    """Move an item one place up or down within its section."""
    item = _manageable(item_id)
    require_csrf()
    step = -1 if request.form.get("direction") == "up" else 1
    perform(lambda: services.update_item(item, {"section": item.section, "position": max(1, item.position + step)}))
    return redirect(url_for("agenda.view", meeting_id=item.meeting_id) + f"#item-{item.id}")


@bp.route("/agenda-items/<int:item_id>/delete", methods=["POST"])
@login_required
def delete_item(item_id: int):
    """Delete an item; the section is renumbered."""
    item = _manageable(item_id)
    require_csrf()
    meeting_id = item.meeting_id
    perform(lambda: services.delete_item(item), _("ลบวาระแล้ว"))
    return redirect(url_for("agenda.view", meeting_id=meeting_id))


@bp.route("/meetings/<int:meeting_id>/agenda/publish", methods=["POST"])
@login_required
def publish(meeting_id: int):
    """Publish the agenda to the members."""
    meeting = readable_agenda(meeting_id)
    if not authz.can_edit_agenda(current_user, meeting):
        abort(403)
    require_csrf()
    ensure_record_open(meeting)
    step = lambda: services.publish_agenda(meeting)  # noqa: E731
    if (page := confirmations.ask_first(
            step, _("เผยแพร่ระเบียบวาระการประชุมครั้งที่ %(code)s", code=meeting.code),
            _("เมื่อเผยแพร่แล้ว กรรมการจะเห็นระเบียบวาระและได้รับแจ้ง ยืนยันการเผยแพร่หรือไม่"),
            _("ยืนยันเผยแพร่ระเบียบวาระ"), url_for("agenda.view", meeting_id=meeting_id))) is not None:
        return page
    perform(step, _("เผยแพร่ระเบียบวาระแล้ว และแจ้งกรรมการทางอีเมล"))
    return redirect(url_for("agenda.view", meeting_id=meeting_id))


@bp.route("/agenda-items/<int:item_id>/attachments", methods=["POST"])
@login_required
def upload_attachment(item_id: int):
    """Attach a file or a link to an item from the edit page."""
    from app.attachments.services import attach_file, attach_link

    item = _manageable(item_id)
    require_csrf()
    upload = request.files.get("file")
    if upload and upload.filename:
        perform(lambda: attach_file(upload.stream, upload.filename, agenda_item_id=item.id, user=current_user),
                _("แนบไฟล์แล้ว"))
    else:
        perform(lambda: attach_link(request.form.get("url", ""), request.form.get("title"), agenda_item_id=item.id,
                                    user=current_user), _("แนบไฟล์แล้ว"))
    return redirect(url_for("agenda.edit_item", item_id=item_id))


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(attachment_id: int):
    """Remove an attachment from an item."""
    from app.attachments.models import Attachment
    from app.attachments.services import ensure_owner_open, remove_attachment

    attachment = access.load(Attachment, attachment_id, read=authz.can_download_attachment,
                             missing=_("ไม่พบไฟล์แนบ"))
    item = _manageable(attachment.agenda_item_id or 0)
    require_csrf()
    ensure_owner_open(agenda_item_id=attachment.agenda_item_id, report_id=attachment.report_id)
    remove_attachment(attachment)
    flash(_("ลบไฟล์แนบแล้ว"), "success")
    return redirect(url_for("agenda.edit_item", item_id=item.id))
