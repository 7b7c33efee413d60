"""Bodies and their members: create, edit, add or remove a member with a position."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import pending_changes, record
from app.auth.models import User
from app.bodies.models import BODY_KINDS, NUMBERING_BASES, POSITIONS, Body, Membership, Unit
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db


def get_body(body_id: int) -> Body:
    """The body with this id, or NotFound."""
    body = db.session.get(Body, body_id)
    if body is None:
        raise NotFound(_("ไม่พบคณะกรรมการ/คณะทำงาน"))
    return body


def _check_body_fields(body: Body) -> None:
    """Name present, known kind and numbering basis, and no cycle through parents."""
    fields = {}
    if not (body.name or "").strip():
        fields["name"] = _("กรุณาระบุชื่อ")
    if body.kind not in BODY_KINDS:
        fields["kind"] = _("ประเภทไม่ถูกต้อง")
    if body.numbering not in NUMBERING_BASES:
        fields["numbering"] = _("ต้องเป็นปีปฏิทิน (calendar) หรือปีงบประมาณ (fiscal)")
    parent, seen = body.parent, set()
    while parent is not None:
        if parent is body or parent.id in seen:
            fields["parent_id"] = _("คณะต้นสังกัดซ้อนวนกลับมาที่ตัวเอง")
            break
        seen.add(parent.id)
        parent = parent.parent
    if fields:
        raise Invalid(_("ข้อมูลคณะไม่ถูกต้อง"), fields)


def save_body(body: Body | None, *, name: str, kind: str, numbering: str, parent_id: int | None,
              short_name: str | None = None, description: str | None = None) -> Body:
    """Create (body=None) or update a body; Invalid for a bad field."""
    creating = body is None
    body = body or Body()
    body.name = (name or "").strip()
    body.short_name = (short_name or "").strip() or None
    body.kind = kind
    body.numbering = numbering
    body.description = description or None
    body.parent = get_body(parent_id) if parent_id else None
    _check_body_fields(body)
    if creating:
        db.session.add(body)
        db.session.flush()
        record("body.create", body, body.name)
    else:
        changes = pending_changes(body)
        if changes:
            record("body.update", body, body.name, changes)
    return body


def add_member(body: Body, user: User | None, role: str, title: str | None = None) -> Membership:
    """Seat a user in a body with a position; Conflict if already a member."""
    if user is None:
        raise Invalid(_("ไม่พบผู้ใช้"), {"user_id": _("ไม่พบผู้ใช้")})
    if role not in POSITIONS:
        raise Invalid(_("ตำแหน่งในคณะไม่ถูกต้อง"), {"role": _("ต้องเป็นหนึ่งใน %(p)s", p=", ".join(POSITIONS))})
    existing = db.session.scalar(select(Membership).where(Membership.body_id == body.id, Membership.user_id == user.id))
    if existing is not None:
        raise Conflict(_("ผู้ใช้นี้เป็นสมาชิกของคณะอยู่แล้ว"), {"user_id": _("เป็นสมาชิกอยู่แล้ว")})
    order = len(body.memberships) + 1
    membership = Membership(body=body, user=user, role=role, title=title or None, sort_order=order)
    db.session.add(membership)
    db.session.flush()
    record("membership.create", membership, f"{user.name} → {body.name} ({role})")
    return membership


def change_member_role(membership: Membership, role: str) -> Membership:
    """Change the position a member holds."""
    if role not in POSITIONS:
        raise Invalid(_("ตำแหน่งในคณะไม่ถูกต้อง"), {"role": _("ต้องเป็นหนึ่งใน %(p)s", p=", ".join(POSITIONS))})
    membership.role = role
    changes = pending_changes(membership)
    if changes:
        record("membership.update", membership, membership.user.name, changes)
    return membership


def remove_member(membership: Membership) -> None:
    """Take a user's seat away from a body."""
    record("membership.delete", membership, f"{membership.user.name} ← {membership.body.name}")
    db.session.delete(membership)
    db.session.flush()


def save_unit(unit: Unit | None, *, code: str, name: str, short_name: str | None = None,
              active: bool = True) -> Unit:
    """Create or update a unit; codes are unique (Conflict)."""
    code = (code or "").strip().upper()
    fields = {}
    if not code:
        fields["code"] = _("กรุณาระบุรหัสหน่วยงาน")
    if not (name or "").strip():
        fields["name"] = _("กรุณาระบุชื่อหน่วยงาน")
    if fields:
        raise Invalid(_("ข้อมูลหน่วยงานไม่ถูกต้อง"), fields)
    clash = db.session.scalar(select(Unit).where(Unit.code == code))
    if clash is not None and clash is not unit:
        raise Conflict(_("รหัสหน่วยงานนี้มีอยู่แล้ว"), {"code": _("รหัสหน่วยงานนี้มีอยู่แล้ว")})
    creating = unit is None
    unit = unit or Unit()
    unit.code, unit.name, unit.short_name, unit.active = code, name.strip(), (short_name or None), active
    if creating:
        db.session.add(unit)
        db.session.flush()
        record("unit.create", unit, f"{code} {unit.name}")
    else:
        changes = pending_changes(unit)
        if changes:
            record("unit.update", unit, code, changes)
    return unit
