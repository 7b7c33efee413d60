"""Users, passwords and API tokens: create, change, deactivate, authenticate."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.services import pending_changes, record
from app.auth.models import LOCALES, ROLES, ApiToken, User, hash_secret
from app.bodies.models import Unit
from app.dbtypes import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db

MIN_PASSWORD_LENGTH = 8
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-case and without surrounding spaces."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The user with this e-mail address (case-insensitive), or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def unit_by_code(code: str | None) -> Unit | None:
    """The unit with this code (case-insensitive); None for an empty code; Invalid for an unknown one."""
    if not code:
        return None
    unit = db.session.scalar(select(Unit).where(func.upper(Unit.code) == code.strip().upper()))
    if unit is None:
        raise Invalid(_("ไม่พบหน่วยงานรหัส %(code)s", code=code), {"unit": _("ไม่พบหน่วยงานนี้")})
    return unit


def check_password_strength(password: str | None) -> None:
    """Refuse passwords shorter than MIN_PASSWORD_LENGTH."""
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            _("รหัสผ่านต้องยาวอย่างน้อย %(n)d ตัวอักษร", n=MIN_PASSWORD_LENGTH),
            {"password": _("รหัสผ่านต้องยาวอย่างน้อย %(n)d ตัวอักษร", n=MIN_PASSWORD_LENGTH)},
        )


def _check_role_and_unit(role: str, unit: Unit | None) -> None:
    """A known role; reporters need a unit."""
    if role not in ROLES:
        raise Invalid(_("บทบาทต้องเป็นหนึ่งใน %(roles)s", roles=", ".join(ROLES)), {"role": _("ไม่รู้จักบทบาทนี้")})
    if role == "reporter" and unit is None:
        raise Invalid(_("ผู้รายงานต้องสังกัดหน่วยงาน"), {"unit": _("ผู้รายงานต้องสังกัดหน่วยงาน")})


def create_user(email: str, name: str, role: str, password: str, unit: Unit | None = None,
                position: str | None = None, locale: str | None = None) -> User:
    """Create an active user; Invalid for a bad e-mail, role or password, Conflict for a taken e-mail."""
    email = normalise_email(email)
    if not EMAIL_RE.match(email):
        raise Invalid(_("อีเมลไม่ถูกต้อง"), {"email": _("อีเมลไม่ถูกต้อง")})
    if not (name or "").strip():
        raise Invalid(_("กรุณาระบุชื่อ"), {"name": _("กรุณาระบุชื่อ")})
    _check_role_and_unit(role, unit)
    check_password_strength(password)
    if find_user_by_email(email) is not None:
        raise Conflict(_("อีเมลนี้มีผู้ใช้แล้ว"), {"email": _("อีเมลนี้มีผู้ใช้แล้ว")})
    if locale is not None and locale not in LOCALES:
        raise Invalid(_("ภาษาไม่ถูกต้อง"), {"locale": _("ภาษาไม่ถูกต้อง")})
    user = User(email=email, name=name.strip(), role=role, unit=unit, position=position, locale=locale,
                is_active_user=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.create", user, f"{user.email} ({role})")
    return user


def update_user(user: User, *, name: str | None = None, role: str | None = None, unit: Unit | None | bool = False,
                position: str | None | bool = False, active: bool | None = None) -> User:
    """Change a user's name, role, unit, position or active flag (unit=False / position=False: unchanged)."""
    if name is not None:
        if not name.strip():
            raise Invalid(_("กรุณาระบุชื่อ"), {"name": _("กรุณาระบุชื่อ")})
        user.name = name.strip()
    if unit is not False:
        user.unit = unit  # type: ignore[assignment]
    if position is not False:
        user.position = position or None  # type: ignore[assignment]
    if role is not None:
        user.role = role
    _check_role_and_unit(user.role, user.unit)
    if active is not None:
        user.is_active_user = active
    changes = pending_changes(user)
    if changes:
        record("user.update", user, user.email, changes)
    return user


def set_password(user: User, password: str, *, by_admin: bool = False) -> None:
    """Replace a user's password (checked for strength); recorded without the password itself."""
    check_password_strength(password)
    user.set_password(password)
    record("user.password_reset" if by_admin else "user.password_change", user, user.email)


def set_locale(user: User, locale: str | None) -> None:
    """Store the user's UI language (None: follow the browser)."""
    if locale not in (None, *LOCALES):
        raise Invalid(_("ภาษาไม่ถูกต้อง"), {"locale": _("ภาษาไม่ถูกต้อง")})
    user.locale = locale


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (the same answer for every failure)."""
    user = find_user_by_email(email)
    if user is None:
        User(password_hash="").set_password(password or "x")  # spend the same time as a real check
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    return user


def issue_token(user: User, label: str | None = None) -> str:
    """Create an API token for the user and return it (only its hash is stored)."""
    secret = ApiToken.new_secret()
    db.session.add(ApiToken(user=user, token_hash=hash_secret(secret), label=label))
    record("token.issue", user, label or user.email)
    return secret


def revoke_token(token: ApiToken) -> None:
    """Revoke a token: it no longer authenticates."""
    token.revoked_at = utcnow()
    record("token.revoke", token.user, token.label or str(token.id))


def user_for_token(secret: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(secret), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def get_user(user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("ไม่พบผู้ใช้"))
    return user
