"""Bodies and their members: create, edit, add or remove a member with a position."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from app import textlimits
from app.audit.services import pending_changes, record
from app.auth.models import User
from app.bodies.models import BODY_KINDS, LETTER_FORMS, NUMBERING_BASES, POSITIONS, Body, Membership, Unit
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db

POSITION_RANK = case({position: rank for rank, position in enumerate(POSITIONS)}, value=Membership.role,
                     else_=len(POSITIONS))


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
    if body.letter_form not in LETTER_FORMS:
        fields["letter_form"] = _("ต้องเป็นหนังสือภายนอก (external) หรือบันทึกข้อความ (memo)")
    for name, problem in textlimits.check_texts({
            "name": (body.name, textlimits.BODY_NAME, True),
            "short_name": (body.short_name, textlimits.BODY_SHORT_NAME, True),
            "description": (body.description, textlimits.LONG_TEXT, False),
            "document_prefix": (body.document_prefix, textlimits.DOCUMENT_PREFIX, True),
            "letter_office": (body.letter_office, textlimits.UNIT_NAME, True),
            "letter_address": (body.letter_address, textlimits.ADDRESS, False),
            "letter_phone": (body.letter_phone, textlimits.PHONE, True),
            "letter_signer_name": (body.letter_signer_name, textlimits.NAME, True),
            "letter_signer_position": (body.letter_signer_position, textlimits.POSITION, True)}, gettext=_).items():
        fields.setdefault(name, problem)
    parent, seen = body.parent, set()
    while parent is not None:
        if parent is body or parent.id in seen:
            fields["parent_id"] = _("คณะต้นสังกัดซ้อนวนกลับมาที่ตัวเอง")
            break
        seen.add(parent.id)
        parent = parent.parent
    if fields:
        raise Invalid(_("ข้อมูลคณะไม่ถูกต้อง"), fields)


LETTER_FIELDS = ("document_prefix", "letter_office", "letter_address", "letter_phone", "letter_signer_name",
                 "letter_signer_position")  # what the invitation letter prints of its sender


def save_body(body: Body | None, *, name: str, kind: str, numbering: str, parent_id: int | None,
              short_name: str | None = None, description: str | None = None, letter_form: str | None = None,
              procurement: bool | None = None, **letter: str | None) -> Body:
    """Create (body=None) or update a body, with its letter settings (LETTER_FIELDS); Invalid for a bad field."""
    creating = body is None
    body = body or Body()
    body.name = (name or "").strip()
    body.short_name = (short_name or "").strip() or None
    body.kind = kind
    body.numbering = numbering
    body.description = description or None
    body.letter_form = letter_form or body.letter_form or "external"
    if procurement is not None:  # a procurement committee: the e-meeting decree does not apply (app.evidence)
        body.procurement = bool(procurement)
    for field in LETTER_FIELDS:
        if field in letter:
            setattr(body, field, (letter[field] or "").strip() or None)
    parent = db.session.get(Body, parent_id) if parent_id else None
    if parent_id and parent is None:
        raise Invalid(_("ข้อมูลคณะไม่ถูกต้อง"), {"parent_id": _("ไม่พบคณะต้นสังกัด")})
    body.parent = parent
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
    if problem := textlimits.check_text(title, textlimits.POSITION, one_line=True, gettext=_):
        raise Invalid(_("ตำแหน่งที่พิมพ์ในรายงานไม่ถูกต้อง"), {"title": problem})
    order = len(body.memberships) + 1
    membership = Membership(body=body, user=user, role=role, title=title or None, sort_order=order)
    db.session.add(membership)
    db.session.flush()
    record("membership.create", membership, f"{user.name} → {body.name} ({role})")
    from app.meetings.guests import invite_new_member

    invite_new_member(body, user)
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


def members_of(body: Body) -> list[Membership]:
    """The body's members in the order of the minutes: by position (chair first), then as seated."""
    return list(db.session.scalars(
        select(Membership).options(selectinload(Membership.user).selectinload(User.unit))
        .where(Membership.body_id == body.id)
        .order_by(POSITION_RANK, Membership.sort_order, Membership.id)
    ))


def membership_of(body: Body, user_id: int) -> Membership:
    """The user's seat in the body, or NotFound."""
    membership = db.session.scalar(select(Membership).where(Membership.body_id == body.id,
                                                            Membership.user_id == user_id))
    if membership is None:
        raise NotFound(_("ผู้ใช้นี้ไม่ได้เป็นสมาชิกของคณะนี้"))
    return membership


def remove_member(membership: Membership) -> None:
    """Take a user's seat away from a body; they are sent a cancellation of its upcoming meetings."""
    from app.meetings.guests import uninvite_former_member

    record("membership.delete", membership, f"{membership.user.name} ← {membership.body.name}")
    uninvite_former_member(membership.body, membership.user)
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
    for field, problem in textlimits.check_texts({
            "code": (code, textlimits.UNIT_CODE, True), "name": ((name or "").strip(), textlimits.UNIT_NAME, True),
            "short_name": (short_name, textlimits.SHORT_NAME, True)}, gettext=_).items():
        fields.setdefault(field, problem)
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
