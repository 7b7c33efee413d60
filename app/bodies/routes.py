"""Bodies (คณะกรรมการ / คณะทำงาน): the tree of bodies, one body with its members, and the secretariat's edits."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import access, authz
from app.auth.models import User
from app.bodies import services
from app.bodies.forms import AddMemberForm, BodyForm, MemberPositionForm
from app.bodies.models import Body, Membership
from app.errors import Conflict, Invalid
from app.extensions import db
from app.votes.services import set_quorum_rule
from app.labels import POSITION_LABELS, label
from app.webactions import flash_refusal, refuse

bp = Blueprint("bodies", __name__)

def readable_body(body_id: int) -> Body:
    """The body; 404 when there is none or the signed-in user may not read it."""
    return access.load(Body, body_id, read=authz.can_view_body)


def managed_body(body_id: int) -> Body:
    """The body the secretariat changes; 404 when unreadable, 403 when readable but not theirs to change."""
    return access.load(Body, body_id, read=authz.can_view_body, change=authz.can_manage_body)


def body_membership(body: Body, membership_id: int) -> Membership:
    """A seat in this body, or 404 (also for a seat in another body)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.body_id != body.id:
        abort(404)
    return membership


@dataclass
class BodyNode:
    """A body in the tree, with its member count and the bodies under it that the user may read."""

    body: Body
    member_count: int
    children: list[BodyNode] = field(default_factory=list)


def body_tree(rows: list[tuple[Body, int]]) -> list[BodyNode]:
    """Nest (body, member count) rows under their parents; a body whose parent is not listed is a root."""
    nodes = {body.id: BodyNode(body, count) for body, count in rows}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.body.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def member_choices(body: Body) -> list[tuple[int | str, str]]:
    """Active users not yet seated in the body, by name, labelled with their position and unit."""
    seated = select(Membership.user_id).where(Membership.body_id == body.id)
    users = db.session.scalars(
        select(User).options(selectinload(User.unit))
        .where(User.is_active_user.is_(True), User.id.not_in(seated)).order_by(User.name)
    )
    choices: list[tuple[int | str, str]] = [("", _("— เลือกผู้ใช้ —"))]
    for user in users:
        unit = (user.unit.short_name or user.unit.name) if user.unit else None
        details = " · ".join(part for part in (user.position, unit) if part)
        choices.append((user.id, f"{user.name} ({details})" if details else user.name))
    return choices


def active_user_choices() -> list[tuple[int, str]]:
    """Every active user: whom a submitted add-member form may name (the service refuses those already seated)."""
    return [(user_id, name) for user_id, name in
            db.session.execute(select(User.id, User.name).where(User.is_active_user.is_(True)))]


def parent_choices(body: Body | None) -> list[tuple[int | str, str]]:
    """No parent, then every other body by name; the service refuses a parent that would make a cycle."""
    query = select(Body.id, Body.name).order_by(Body.name)
    if body is not None:
        query = query.where(Body.id != body.id)
    return [("", _("— ไม่มี (คณะระดับบนสุด) —")), *((body_id, name) for body_id, name in db.session.execute(query))]


# --- reading ------------------------------------------------------------------------------------

@bp.route("")
@login_required
def index():
    """The bodies the user may read, as a tree, with kind, numbering basis and member count."""
    access.allowed(authz.can_view_body_list)
    counts = (select(Membership.body_id, func.count(Membership.id).label("members"))
              .group_by(Membership.body_id).subquery())
    query = (select(Body, func.coalesce(counts.c.members, 0))
             .outerjoin(counts, counts.c.body_id == Body.id).order_by(Body.name, Body.id))
    condition = authz.visible_body_filter(current_user, Body.id)
    if condition is not None:
        query = query.where(condition)
    return render_template("bodies/index.html", tree=body_tree(db.session.execute(query).tuples().all()))


@bp.route("/<int:body_id>")
@login_required
def detail(body_id: int):
    """One body: its details, the bodies under it, and its members in the order of the minutes."""
    body = readable_body(body_id)
    members = services.members_of(body)
    children = db.session.scalars(select(Body).where(Body.parent_id == body.id).order_by(Body.name)).all()
    context = {"body": body, "members": members, "children": children}
    if authz.can_manage_bodies(current_user):
        add_form = AddMemberForm()
        add_form.user_id.choices = member_choices(body)
        context.update(add_form=add_form, position_forms={
            m.id: MemberPositionForm(formdata=None, role=m.role) for m in members
        })
    return render_template("bodies/detail.html", **context)


# --- creating and editing -----------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:body_id>/edit", methods=["GET", "POST"])
@login_required
def edit(body_id: int | None = None):
    """Create a body, or change its name, kind, parent, numbering basis and description."""
    if body_id is None:
        access.allowed(authz.can_manage_bodies)
    body = managed_body(body_id) if body_id is not None else None
    form = BodyForm(obj=body)
    form.parent_id.choices = parent_choices(body)
    if body is not None and not form.is_submitted():
        form.quorum_number.data = "" if body.quorum["value"] is None else str(body.quorum["value"])
    if form.validate_on_submit():
        try:
            saved = services.save_body(
                body, name=form.name.data, short_name=form.short_name.data, kind=form.kind.data,
                numbering=form.numbering.data, parent_id=form.parent_id.data, description=form.description.data,
                **{field: form[field].data for field in ("letter_form", *services.LETTER_FIELDS)},
                procurement=form.procurement.data,
            )
            set_quorum_rule(saved, form.quorum_kind.data, quorum_value_typed(form.quorum_kind.data,
                                                                             form.quorum_number.data),
                            form.delegates_count.data)
        except (Invalid, Conflict) as error:
            error.fields = {("quorum_number" if name.startswith("quorum.") else name): message
                            for name, message in error.fields.items()}
            status = refuse(form, error)  # before rendering: it puts the messages on the fields
            return render_template("bodies/edit.html", body=body, form=form), status
        flash(_("บันทึก %(name)s แล้ว", name=saved.name), "success")
        return redirect(url_for("bodies.detail", body_id=saved.id))
    return render_template("bodies/edit.html", body=body, form=form), 422 if form.is_submitted() else 200


def quorum_value_typed(kind: str, typed: str | None):
    """The quorum value as typed on the body form: a whole number for a count, the text ("2/3") for a fraction."""
    typed = (typed or "").strip()
    if kind == "count":
        return int(typed) if typed.isascii() and typed.isdigit() else typed
    return typed or None


# --- members ------------------------------------------------------------------------------------

def flash_form_errors(form) -> None:
    """Tell the user which fields of a refused form were wrong."""
    for name, messages in form.errors.items():
        text = "; ".join(str(m) for m in messages)
        flash(f"{form[name].label.text}: {text}" if name in form._fields else text, "danger")


@bp.post("/<int:body_id>/members")
@login_required
def add_member(body_id: int):
    """Seat an active user in the body with a position."""
    body = managed_body(body_id)
    form = AddMemberForm()
    form.user_id.choices = active_user_choices()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("bodies.detail", body_id=body.id))
    try:
        membership = services.add_member(body, db.session.get(User, form.user_id.data), form.role.data)
    except (Invalid, Conflict) as error:
        flash_refusal(error)
    else:
        flash(_("เพิ่ม %(name)s เป็น%(position)sแล้ว", name=membership.user.name,
                position=label(POSITION_LABELS, membership.role)), "success")
    return redirect(url_for("bodies.detail", body_id=body.id))


@bp.post("/<int:body_id>/members/<int:membership_id>")
@login_required
def change_member(body_id: int, membership_id: int):
    """Change the position a member holds."""
    membership = body_membership(managed_body(body_id), membership_id)
    form = MemberPositionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("bodies.detail", body_id=body_id))
    try:
        services.change_member_role(membership, form.role.data)
    except (Invalid, Conflict) as error:
        flash_refusal(error)
    else:
        flash(_("เปลี่ยนตำแหน่งของ %(name)s เป็น%(position)sแล้ว", name=membership.user.name,
                position=label(POSITION_LABELS, membership.role)), "success")
    return redirect(url_for("bodies.detail", body_id=body_id))


@bp.post("/<int:body_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(body_id: int, membership_id: int):
    """Take a member's seat away from the body."""
    membership = body_membership(managed_body(body_id), membership_id)
    name = membership.user.name
    services.remove_member(membership)
    flash(_("นำ %(name)s ออกจากคณะแล้ว", name=name), "success")
    return redirect(url_for("bodies.detail", body_id=body_id))
