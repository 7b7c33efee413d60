"""Administration: users, units and the audit log (admin only)."""
from flask import Blueprint, abort
from flask_login import current_user, login_required

from app import authz

bp = Blueprint("admin", __name__)


@bp.route("/users")
@login_required
def users():
    """Users (placeholder)."""
    if not authz.can_manage_users(current_user):
        abort(403)
    return "users"


@bp.route("/units")
@login_required
def units():
    """Units (placeholder)."""
    if not authz.can_manage_units(current_user):
        abort(403)
    return "units"


@bp.route("/audit")
@login_required
def audit_log():
    """Audit log (placeholder)."""
    if not authz.can_view_audit_log(current_user):
        abort(403)
    return "audit"
