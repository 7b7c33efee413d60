"""Agenda pages: read the agenda; the secretariat adds, edits, reorders (up/down), deletes and publishes."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app import authz
from app.agenda import services
from app.bodies.models import Unit
from app.errors import ServiceError
from app.extensions import db
from app.mail.services import deliver_after_commit
from app.meetings.routes import load_meeting, show_errors_on
from app.webactions import perform, require_csrf

bp = Blueprint("agenda", __name__)


class AgendaItemForm(FlaskForm):
    """Add or edit one item."""

    section = SelectField(_l("ระเบียบวาระที่"), coerce=int,
                          choices=[(n, f"{n}. {t}") for n, t in services.SECTION_TITLES.items()])
    title = StringField(_l("เรื่อง"), validators=[DataRequired(_l("กรุณาระบุเรื่อง")), Length(max=500)])
    detail = TextAreaField(_l("รายละเอียด"), validators=[Optional()])
    presenter_unit_id = SelectField(_l("หน่วยงานผู้เสนอ"), coerce=lambda v: int(v) if v not in ("", None, "None") else None)
    presenter = StringField(_l("ผู้นำเสนอ"), validators=[Optional(), Length(max=200)])
    version = IntegerField(validators=[Optional()])
    submit = SubmitField(_l("บันทึก"))


def item_form(**kwargs) -> AgendaItemForm:
    form = AgendaItemForm(**kwargs)
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    form.presenter_unit_id.choices = [("", "—")] + [(u.id, f"{u.code} {u.name}") for u in units]
    return form


def form_values(form: AgendaItemForm) -> dict:
    return {"section": form.section.data, "title": form.title.data, "detail": form.detail.data,
            "presenter_unit_id": form.presenter_unit_id.data, "presenter": form.presenter.data}


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["GET", "POST"])
@login_required
def view(meeting_id: int):
    """The agenda of a meeting; the secretariat's add-item form posts here."""
    meeting = load_meeting(meeting_id)
    if not authz.can_view_agenda(current_user, meeting):
        abort(403)
    editable = authz.can_edit_agenda(current_user, meeting) and meeting.status != "cancelled"
    form = item_form(prefix="new", section=request.args.get("section", 4, type=int))
    status = 200
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                item = services.add_item(meeting, form_values(form))
            except ServiceError as error:
                db.session.rollback()
                show_errors_on(form, error)
                status = error.status
            else:
                db.session.commit()
                flash(_("เพิ่มวาระ %(n)s แล้ว", n=item.number), "success")
                return redirect(url_for("agenda.view", meeting_id=meeting_id) + f"#item-{item.id}")
        else:
            status = 422
    return render_template("agenda/view.html", meeting=meeting, sections=services.agenda_sections(meeting),
                           form=form, editable=editable, changed=services.changed_since_publish,
                           print_view=request.args.get("print") == "1"), status


def _manageable(item_id: int):
    item = services.get_item(item_id) if item_id else None
    if item is None:
        abort(404)
    load_meeting(item.meeting_id)
    if not authz.can_edit_agenda(current_user, item.meeting):
        abort(403)
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
            db.session.rollback()
            show_errors_on(form, error)
            status = error.status
            item = _manageable(item_id)
        else:
            db.session.commit()
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
    meeting = load_meeting(meeting_id)
    if not authz.can_edit_agenda(current_user, meeting):
        abort(403)
    require_csrf()
    if perform(lambda: services.publish_agenda(meeting), _("เผยแพร่ระเบียบวาระแล้ว และแจ้งกรรมการทางอีเมล")):
        deliver_after_commit()
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
    from app.attachments.services import get_attachment, remove_attachment

    try:
        attachment = get_attachment(attachment_id)
    except ServiceError:
        abort(404)
    item = _manageable(attachment.agenda_item_id or 0)
    require_csrf()
    remove_attachment(attachment)
    db.session.commit()
    flash(_("ลบไฟล์แนบแล้ว"), "success")
    return redirect(url_for("agenda.edit_item", item_id=item.id))
