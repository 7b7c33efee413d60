"""Actions pages: /actions (filtered by body, unit, state and due date, overdue flagged) and one action's page
with its progress notes and the buttons of the user's role."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import authz
from app.actions import services
from app.actions.forms import ActionFilterForm, CloseForm, ProgressForm, ReopenForm
from app.bodies.models import Body, Unit
from app.errors import ServiceError
from app.extensions import db
from app.webactions import refuse

bp = Blueprint("actions", __name__)

FORMS = {"progress": ProgressForm, "close": CloseForm, "reopen": ReopenForm}


def filter_form() -> ActionFilterForm:
    """The list's filters read from the query string, with the bodies the user reads and the active units."""
    form = ActionFilterForm(request.args)
    bodies = select(Body).order_by(Body.name)
    visible = authz.visible_body_filter(current_user, Body.id)
    if visible is not None:
        bodies = bodies.where(visible)
    form.body_id.choices = [("", _("ทุกคณะ"))] + [(b.id, b.name) for b in db.session.scalars(bodies)]
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name))
    form.unit_id.choices = [("", _("ทุกหน่วยงาน"))] + [(u.id, u.name) for u in units]
    return form


@bp.get("/actions")
@login_required
def index():
    """Actions the user may read, earliest due first; by default those not closed yet."""
    form = filter_form()
    form.validate()
    state = form.state.data or "followed"
    actions = services.list_actions(
        current_user, body_id=form.body_id.data, unit_id=form.unit_id.data,
        state=None if state in ("all", "overdue") else state, overdue=True if state == "overdue" else None,
        due_after=form.due_after.data, due_before=form.due_before.data, limit=services.LIST_LIMIT + 1)
    return render_template("actions/index.html", form=form, actions=actions[:services.LIST_LIMIT],
                           more=len(actions) > services.LIST_LIMIT, latest_note=services.latest_note)


def _render_detail(action, forms: dict | None = None, status: int = 200):
    forms = {name: (forms or {}).get(name) or form_class(formdata=None) for name, form_class in FORMS.items()}
    return render_template("actions/detail.html", action=action, forms=forms,
                           meeting=action.minutes_item.minutes.meeting), status


@bp.get("/actions/<int:action_id>")
@login_required
def detail(action_id: int):
    """One action: what, who, when due, its state, every progress note, and what the user may do."""
    return _render_detail(services.readable_action(current_user, action_id))


def _follow_up(action_id: int, name: str, change, success):
    """Validate the posted form and run the service; refusals are shown by the field, the text kept."""
    action = services.readable_action(current_user, action_id)
    form = FORMS[name]()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return _render_detail(action, {name: form}, 422)
    try:
        change(action, form)
    except ServiceError as error:
        status = refuse(form, error)
        return _render_detail(services.readable_action(current_user, action_id), {name: form}, status)
    flash(success(form) if callable(success) else success, "success")
    return redirect(url_for("actions.detail", action_id=action_id))


@bp.post("/actions/<int:action_id>/progress")
@login_required
def progress(action_id: int):
    """The owner unit (or the secretariat) records progress, and may mark the action done."""
    return _follow_up(action_id, "progress",
                      lambda action, form: services.record_progress(action, form.note.data, form.done.data,
                                                                    current_user),
                      lambda form: _("แจ้งว่าดำเนินการแล้วเสร็จ รอฝ่ายเลขานุการยืนยันปิดงาน") if form.done.data
                      else _("บันทึกความคืบหน้าแล้ว"))


@bp.post("/actions/<int:action_id>/close")
@login_required
def close(action_id: int):
    """The secretariat confirms closing the action."""
    return _follow_up(action_id, "close",
                      lambda action, form: services.close_action(action, form.note.data, current_user),
                      _("ปิดงานแล้ว"))


@bp.post("/actions/<int:action_id>/reopen")
@login_required
def reopen(action_id: int):
    """The secretariat reopens a done or closed action."""
    return _follow_up(action_id, "reopen",
                      lambda action, form: services.reopen_action(action, form.note.data, current_user),
                      _("เปิดงานอีกครั้งแล้ว"))
