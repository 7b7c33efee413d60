"""Administration: the user list and audit log queries, and user changes an administrator may not make to themselves."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.services import update_user
from app.bodies.models import Unit
from app.errors import Invalid
from app.extensions import db
from app.thaidates import to_utc


def users_query(role: str | None = None, text: str | None = None) -> Select:
    """Users ordered by name, with their unit loaded, optionally of one role and matching a text."""
    query = select(User).options(joinedload(User.unit)).order_by(User.name, User.id)
    if role:
        query = query.where(User.role == role)
    text = (text or "").strip()
    if text:
        query = query.where(or_(
            User.name.icontains(text, autoescape=True),
            User.email.icontains(text, autoescape=True),
            User.position.icontains(text, autoescape=True),
        ))
    return query


def unit_choices(current: Unit | None = None) -> list[tuple[str, str]]:
    """(code, name) of the active units, plus `current` if it is inactive, for a unit select."""
    units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)))
    if current is not None and current not in units:
        units.append(current)
    return [(u.code, u.name) for u in units]


def update_user_as_admin(admin: User, user: User, *, name: str, position: str | None, role: str,
                         unit: Unit | None, active: bool) -> User:
    """update_user, refusing to let an administrator deactivate themselves or give up their own admin role."""
    if user.id == admin.id:
        fields = {}
        if not active:
            fields["active"] = _("ไม่สามารถระงับบัญชีของตนเองได้")
        if role != "admin":
            fields["role"] = _("ไม่สามารถถอดบทบาทผู้ดูแลระบบของตนเองได้")
        if fields:
            raise Invalid(_("ผู้ดูแลระบบไม่สามารถระงับบัญชีหรือถอดสิทธิ์ของตนเองได้"), fields)
    return update_user(user, name=name, position=position, role=role, unit=unit, active=active)


def audit_events_query(*, user_id: int | None = None, object_type: str | None = None, object_id: int | None = None,
                       date_from: date | None = None, date_to: date | None = None) -> Select:
    """Audit events, newest first, with their user loaded; dates are whole Bangkok days, both ends included."""
    query = select(AuditEvent).options(joinedload(AuditEvent.user)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if date_from is not None:
        query = query.where(AuditEvent.at >= to_utc(datetime.combine(date_from, time.min)))
    if date_to is not None:
        query = query.where(AuditEvent.at < to_utc(datetime.combine(date_to + timedelta(days=1), time.min)))
    return query


def audit_object_types() -> list[str]:
    """The object types that occur in the audit log, sorted."""
    return list(db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))


def audit_user_choices() -> list[tuple[int, str]]:
    """(id, "name (email)") of every user, for the audit log's user filter."""
    rows = db.session.execute(select(User.id, User.name, User.email).order_by(User.name, User.id))
    return [(row.id, f"{row.name} ({row.email})") for row in rows]
