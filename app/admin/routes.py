"""Administration: users, units and the audit log (admin only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from app import access, authz
from app.admin import services
from app.admin.forms import AuditFilterForm, PasswordResetForm, UnitForm, UserCreateForm, UserEditForm, UserFilterForm
from app.auth import services as auth_services
from app.auth.models import ApiToken, User
from app.bodies.models import Unit
from app.bodies.services import save_unit
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.ids import query_id
from app.labels import object_type_label
from app.webactions import refuse, require_csrf

bp = Blueprint("admin", __name__)

PER_PAGE = 50
NO_UNIT = ("", _l("— ไม่สังกัดหน่วยงาน —"))


def require(allowed: bool) -> None:
    """Refuse the request (403) unless the permission rule allows it."""
    if not allowed:
        abort(403)


def submitted_status(form: FlaskForm) -> int:
    """422 when a submitted form is shown again because of its errors, else 200."""
    return 422 if form.is_submitted() else 200


# --- users --------------------------------------------------------------------------------------

@bp.route("/users")
@login_required
def users():
    """Every user (name, e-mail, role, unit, active, last sign-in), filtered by role and a text."""
    require(authz.can_manage_users(current_user))
    filters = UserFilterForm(formdata=request.args)
    valid = filters.validate()
    query = services.users_query(filters.role.data if valid else None, filters.q.data if valid else None)
    page = db.paginate(query, page=query_id("page") or 1, per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", filters=filters, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    """Create a user with a role, an optional unit and a first password."""
    require(authz.can_manage_users(current_user))
    form = UserCreateForm()
    form.unit.choices = [NO_UNIT, *services.unit_choices()]
    if form.validate_on_submit():
        try:
            user = auth_services.create_user(
                form.email.data, form.name.data, form.role.data, form.password.data,
                unit=auth_services.unit_by_code(form.unit.data), position=form.position.data or None,
            )
        except (Invalid, Conflict) as error:
            status = refuse(form, error)
            return render_template("admin/user_new.html", form=form), status
        flash(_("เพิ่มผู้ใช้ %(name)s แล้ว", name=user.name), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_new.html", form=form), submitted_status(form)


def user_page(user: User, form: UserEditForm | None = None, password_form: PasswordResetForm | None = None,
              status: int = 200):
    """The user's page: the edit form and the password reset form (either may carry errors)."""
    if form is None:
        form = UserEditForm(formdata=None, name=user.name, position=user.position, role=user.role,
                            unit=user.unit.code if user.unit else "", active=user.is_active_user)
    form.unit.choices = [NO_UNIT, *services.unit_choices(user.unit)]
    password_form = password_form or PasswordResetForm(formdata=None, prefix="pw")
    return render_template("admin/user_edit.html", user=user, form=form, password_form=password_form,
                           tokens=auth_services.tokens_of(user)), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    """Change a user's name, position, role and unit, or deactivate / reactivate them."""
    require(authz.can_manage_users(current_user))
    user = auth_services.get_user(user_id)
    if request.method == "GET":
        return user_page(user)
    form = UserEditForm()
    form.unit.choices = [NO_UNIT, *services.unit_choices(user.unit)]
    if not form.validate_on_submit():
        return user_page(user, form, status=422)
    try:
        services.update_user_as_admin(
            current_user, user, name=form.name.data, position=form.position.data or None, role=form.role.data,
            unit=auth_services.unit_by_code(form.unit.data), active=form.active.data,
        )
    except (Invalid, Conflict) as error:
        return user_page(user, form, status=refuse(form, error))
    flash(_("บันทึกข้อมูลผู้ใช้ %(name)s แล้ว", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@login_required
def reset_password(user_id: int):
    """Set a new password for a user (their old one stops working)."""
    require(authz.can_manage_users(current_user))
    user = auth_services.get_user(user_id)
    password_form = PasswordResetForm(prefix="pw")
    if not password_form.validate_on_submit():
        return user_page(user, password_form=password_form, status=422)
    try:
        auth_services.set_password(user, password_form.password.data, by_admin=True)
    except Invalid as error:
        return user_page(user, password_form=password_form, status=refuse(password_form, error))
    flash(_("ตั้งรหัสผ่านใหม่ให้ %(name)s แล้ว", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(user_id: int, token_id: int):
    """Revoke one of a user's API tokens."""
    require_csrf()
    token = access.load(ApiToken, token_id, read=authz.can_revoke_token)
    if token.user_id != user_id:
        raise NotFound(_("ไม่พบโทเคนนี้"))
    auth_services.revoke_token(token)
    flash(_("ยกเลิกโทเคน %(name)s ของ %(user)s แล้ว", name=token.name, user=token.user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user_id, _anchor="api-tokens"))


# --- units --------------------------------------------------------------------------------------

@bp.route("/units")
@login_required
def units():
    """Every unit, by code."""
    require(authz.can_manage_units(current_user))
    all_units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return render_template("admin/units.html", units=all_units)


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@login_required
def edit_unit(unit_id: int | None = None):
    """Create a unit, or change its code, names and whether it is active."""
    require(authz.can_manage_units(current_user))
    unit = db.get_or_404(Unit, unit_id, description=_("ไม่พบหน่วยงาน")) if unit_id is not None else None
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        try:
            saved = save_unit(unit, code=form.code.data, name=form.name.data,
                              short_name=(form.short_name.data or "").strip() or None, active=form.active.data)
        except (Invalid, Conflict) as error:
            status = refuse(form, error)
            return render_template("admin/unit_edit.html", unit=unit, form=form), status
        flash(_("บันทึกหน่วยงาน %(code)s แล้ว", code=saved.code), "success")
        return redirect(url_for("admin.units"))
    return render_template("admin/unit_edit.html", unit=unit, form=form), submitted_status(form)


# --- audit log ----------------------------------------------------------------------------------

@bp.route("/audit")
@login_required
def audit_log():
    """The audit log, newest first, 50 per page, filtered by user, object type and id, and Bangkok dates."""
    require(authz.can_view_audit_log(current_user))
    filters = AuditFilterForm(formdata=request.args)
    filters.user_id.choices = [("", _("ทุกคน")), *services.audit_user_choices()]
    filters.object_type.choices = [("", _("ทุกประเภท")), *((t, object_type_label(t)) for t in services.audit_object_types())]
    filters.validate()
    wanted = {field.name: field.data for field in filters if not field.errors and field.data}
    query = services.audit_events_query(**wanted)
    page = db.paginate(query, page=query_id("page") or 1, per_page=PER_PAGE, error_out=False)
    return render_template("admin/audit_log.html", filters=filters, page=page)


# --- background jobs --------------------------------------------------------------------------------

@bp.route("/jobs")
@login_required
def jobs_page():
    """The mail and LINE queues: waiting, being retried, failed for good, sent in 24 hours; the latest failures."""
    from app import jobs

    require(authz.can_watch_jobs(current_user))
    return render_template("admin/jobs.html", states=jobs.queue_states(), failures=jobs.undelivered(),
                           broker=jobs.broker_name())


@bp.route("/jobs/retry", methods=["POST"])
@login_required
def retry_jobs():
    """Give the deliveries that ran out of attempts one more."""
    from app import jobs

    require(authz.can_watch_jobs(current_user))
    require_csrf()
    count = jobs.retry_failed(current_user)
    flash(_("ส่งอีกครั้ง %(n)d รายการ", n=count) if count else _("ไม่มีรายการที่ส่งไม่สำเร็จ"), "success")
    return redirect(url_for("admin.jobs_page"))
