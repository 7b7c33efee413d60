"""Users, passwords, sign-ins and API tokens: create, change, deactivate, authenticate."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from app import textlimits
from app.audit.services import pending_changes, record
from app.auth import passwords
from app.auth.models import LOCALES, ROLES, ApiToken, LoginSession, User, hash_secret
from app.bodies.models import Unit
from app.dbtypes import utcnow
from app.errors import Conflict, Invalid, NotFound, ServiceError
from app.extensions import db
from app.kept_responses import BOOKKEEPING

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
# An account's address: a local part without spaces or "@", then a domain of one or more labels of
# letters, digits and hyphens (intranet domains such as psdg.local and single names such as localhost too).
EMAIL_LOCAL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}$")
EMAIL_MAX_LENGTH = 254
TOKEN_MAX_DAYS = 3650
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)  # last_used_at is written at most this often


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-case and without surrounding spaces."""
    return (email or "").strip().lower()


def is_acceptable_email(email: str | None) -> bool:
    """The one rule for an account's e-mail address (every path that creates or changes an account uses it)."""
    email = normalise_email(email or "")
    local, at, domain = email.rpartition("@")
    if not at or len(email) > EMAIL_MAX_LENGTH or not EMAIL_LOCAL_RE.match(local):
        return False
    return all(_is_domain_label(label) for label in domain.split("."))


def _is_domain_label(label: str) -> bool:
    """1-63 letters (any script, with their marks), digits and inner hyphens."""
    return (0 < len(label) <= 63 and not label.startswith("-") and not label.endswith("-")
            and all(c == "-" or unicodedata.category(c)[0] in "LMN" for c in label))


def acceptable_email(email: str | None) -> str:
    """The normalised address, or Invalid (field "email") when it is not an acceptable one."""
    if not is_acceptable_email(email):
        raise Invalid(_("อีเมลไม่ถูกต้อง"), {"email": _("อีเมลไม่ถูกต้อง")})
    return normalise_email(email or "")


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


def password_rule_text() -> str:
    """The password rule in one sentence, for the forms' help text."""
    return _("อย่างน้อย %(n)d ตัวอักษร ไม่ใช่รหัสผ่านที่ใช้กันทั่วไป และไม่มีอีเมลหรือชื่อของผู้ใช้อยู่ในรหัสผ่าน",
             n=MIN_PASSWORD_LENGTH)


def check_password_strength(password: str | None, *, email: str | None = None, name: str | None = None) -> None:
    """Invalid (field "password") for a password app.auth.passwords refuses: short, common, or personal."""
    problem = passwords.password_problem(password, email=email, name=name, min_length=MIN_PASSWORD_LENGTH)
    if problem is None:
        return
    message = {
        passwords.TOO_SHORT: _("รหัสผ่านต้องยาวอย่างน้อย %(n)d ตัวอักษร", n=MIN_PASSWORD_LENGTH),
        passwords.COMMON: _("รหัสผ่านนี้ใช้กันทั่วไปและถูกเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น"),
        passwords.CONTAINS_EMAIL: _("รหัสผ่านต้องไม่มีอีเมลของผู้ใช้อยู่ในนั้น"),
        passwords.CONTAINS_NAME: _("รหัสผ่านต้องไม่มีชื่อของผู้ใช้อยู่ในนั้น"),
    }[problem]
    raise Invalid(message, {"password": message})


def _check_role_and_unit(role: str, unit: Unit | None) -> None:
    """A known role; reporters need a unit."""
    if role not in ROLES:
        raise Invalid(_("บทบาทต้องเป็นหนึ่งใน %(roles)s", roles=", ".join(ROLES)), {"role": _("ไม่รู้จักบทบาทนี้")})
    if role == "reporter" and unit is None:
        raise Invalid(_("ผู้รายงานต้องสังกัดหน่วยงาน"), {"unit": _("ผู้รายงานต้องสังกัดหน่วยงาน")})


def _check_name_and_position(name: str | None, position: str | None) -> None:
    """Invalid when the name or the position breaks app.textlimits (length, control characters, line breaks)."""
    problems = textlimits.check_texts({"name": (name, textlimits.NAME, True),
                                       "position": (position, textlimits.POSITION, True)}, gettext=_)
    if problems:
        raise Invalid(_("ข้อมูลผู้ใช้ไม่ถูกต้อง"), problems)


def create_user(email: str, name: str, role: str, password: str, unit: Unit | None = None,
                position: str | None = None, locale: str | None = None) -> User:
    """Create an active user; Invalid for a bad e-mail, role or password, Conflict for a taken e-mail."""
    email = acceptable_email(email)
    if not (name or "").strip():
        raise Invalid(_("กรุณาระบุชื่อ"), {"name": _("กรุณาระบุชื่อ")})
    _check_name_and_position((name or "").strip(), position)
    _check_role_and_unit(role, unit)
    check_password_strength(password, email=email, name=name)
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
    _check_name_and_position((name or "").strip(), position or None)
    if name is not None:
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
    """Replace a user's password (checked for strength) and end every sign-in of theirs (remember-me too);
    recorded without the password itself."""
    check_password_strength(password, email=user.email, name=user.name)
    user.set_password(password)
    end_login_sessions(user)
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


# --- sign-ins ------------------------------------------------------------------------------------
# Each sign-in is a LoginSession row; the session and remember-me cookies carry its random key (as
# Flask-Login's user id), the user loader accepts only a key whose row is neither ended nor expired.
# So signing out ends the copied cookies of that browser, and a password change ends all of them.

class SignInThrottled(ServiceError):
    """Too many failed sign-ins for the account or from the address (429); `until` says when to try again."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, until: datetime):
        from app.thaidates import thai_datetime, thai_time, to_bangkok

        self.until = until
        same_day = to_bangkok(until).date() == to_bangkok(utcnow()).date()
        when = thai_time(until) if same_day else thai_datetime(until)
        super().__init__(_("เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณาลองใหม่หลังเวลา %(when)s", when=when))

    @property
    def retry_after(self) -> int:
        """Seconds until signing in opens again (the Retry-After header)."""
        return max(1, int((self.until - utcnow()).total_seconds()) + 1)


def attempt_sign_in(email: str, password: str, address: str | None) -> User | None:
    """authenticate(), throttled per account and per address (app.auth.throttle): SignInThrottled while
    locked (the password is then not checked); each failure is counted and recorded (user.login_failed),
    each refusal too (user.login_throttled), in the audit log even though the request is rolled back."""
    from app.audit.services import record_regardless
    from app.auth import throttle

    email = normalise_email(email)
    address = address or "-"
    until = throttle.locked_until(email, address)
    if until is None:
        user = authenticate(email, password)
        if user is not None:
            return user
        record_regardless("user.login_failed", find_user_by_email(email), f"{email} ({address})")
        until = throttle.count_failure(email, address)
        if until is None:
            return None
    record_regardless("user.login_throttled", find_user_by_email(email),
                      f"{email} ({address}) until {until.isoformat(timespec='seconds')}")
    raise SignInThrottled(until)


def sign_in(user: User, *, remember: bool = False) -> str:
    """Start a sign-in for the user (a new key, so the remember-me cookie is new too), record user.login;
    the key is set on user.login_key for login_user()."""
    key = _open_login_session(user, remember)
    user.last_login_at = utcnow()
    record("user.login", user, user.email, user=user)
    return key


def _open_login_session(user: User, remember: bool) -> str:
    """A new LoginSession for the user (their finished ones removed); its key, also set on user.login_key."""
    now = utcnow()
    config = current_app.config
    lifetime = config["REMEMBER_COOKIE_DURATION"] if remember else config["SIGN_IN_LIFETIME"]
    key = LoginSession.new_key()
    db.session.execute(  # the user's finished sign-ins are of no more use
        delete(LoginSession).where(LoginSession.user_id == user.id,
                                   or_(LoginSession.ended_at.is_not(None), LoginSession.expires_at < now))
        .execution_options(synchronize_session=False)
    )
    db.session.add(LoginSession(user=user, key_hash=hash_secret(key), remember=remember, created_at=now,
                                expires_at=now + lifetime))
    user.login_key = key
    return key


def change_own_password(user: User, password: str) -> bool:
    """The user sets a new password: every sign-in of theirs ends (set_password) and this browser goes on
    under a new one; whether it was a remembered sign-in (for login_user)."""
    current = current_login_session(user)
    remember = bool(current is not None and current.remember)
    set_password(user, password)
    if current is not None:
        _open_login_session(user, remember)
    return remember


def current_login_session(user: User) -> LoginSession | None:
    """The sign-in this request runs under, if the user signed in through the login form."""
    if not getattr(user, "login_key", None):
        return None
    return db.session.scalar(select(LoginSession).where(LoginSession.key_hash == hash_secret(user.login_key)))


def sign_out(user: User) -> None:
    """End the sign-in this request runs under (its cookies, copied or not, stop working); record user.logout."""
    login_session = current_login_session(user)
    if login_session is not None and login_session.ended_at is None:
        login_session.ended_at = utcnow()
    record("user.logout", user, user.email, user=user)


def end_login_sessions(user: User) -> int:
    """End every open sign-in of the user (after a password change); how many were ended."""
    result = db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow()).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def user_for_login_key(key: str) -> User | None:
    """The active user of the open, unexpired sign-in with this key (user.login_key set), else None."""
    if not key:
        return None
    login_session = db.session.scalar(
        select(LoginSession).options(joinedload(LoginSession.user)).where(LoginSession.key_hash == hash_secret(key))
    )
    if login_session is None or login_session.ended_at is not None or login_session.expires_at <= utcnow():
        return None
    user = login_session.user
    if not user.is_active:
        return None
    user.login_key = key
    user.credential_expires_at = login_session.expires_at
    return user


# --- API tokens -----------------------------------------------------------------------------------

def create_token(user: User, name: str | None, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a named API token, valid `days` days (None: until revoked); the token row and the secret,
    which is shown once (only its hash is stored). Records token.issue."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("กรุณาตั้งชื่อโทเคน"), {"name": _("กรุณาตั้งชื่อโทเคน")})
    problem = textlimits.check_text(name, textlimits.SHORT_NAME, one_line=True, gettext=_)
    if problem:
        raise Invalid(problem, {"name": problem})
    if days is not None and not 1 <= days <= TOKEN_MAX_DAYS:
        message = _("อายุโทเคนต้องอยู่ระหว่าง 1 ถึง %(n)d วัน", n=TOKEN_MAX_DAYS)
        raise Invalid(message, {"days": message})
    secret = ApiToken.new_secret()
    now = utcnow()
    token = ApiToken(user=user, token_hash=hash_secret(secret), label=name, created_at=now,
                     expires_at=now + timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    expiry = token.expires_at.date().isoformat() if token.expires_at else "-"
    record("token.issue", user, f"{name} (#{token.id}, หมดอายุ {expiry})")
    return token, secret


def issue_token(user: User, name: str | None = None, days: int | None = None) -> str:
    """Create an API token for the user and return the secret (see create_token)."""
    return create_token(user, name or "token", days)[1]


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens that were not revoked (expired ones included), newest first."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_token(token: ApiToken) -> None:
    """Revoke a token: it no longer authenticates (revoking it again changes nothing). Records token.revoke."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record("token.revoke", token.user, f"{token.name} (#{token.id})")


def revoke_tokens(user: User, name: str | None = None) -> int:
    """Revoke the user's tokens named `name` (None: all of them); how many were revoked."""
    tokens = [t for t in tokens_of(user) if name is None or t.name == name]
    for token in tokens:
        revoke_token(token)
    return len(tokens)


def note_token_use(token: ApiToken, now: datetime) -> None:
    """Write when the token was last used: bookkeeping no kept answer shows, so it does not raise the data's
    generation (app.kept_responses.BOOKKEEPING); otherwise every API client's first request of each minute would
    make every node compute every page again."""
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                       .execution_options(**BOOKKEEPING))


def user_for_token(secret: str) -> User | None:
    """The active user owning this token when it is neither revoked nor expired, else None;
    notes when it was used (at most once a minute)."""
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == hash_secret(secret))
    )
    now = utcnow()
    if token is None or not token.is_valid_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        note_token_use(token, now)
    token.user.credential_expires_at = token.expires_at
    return token.user


def get_user(user_id: int) -> User:
    """The user with this id, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("ไม่พบผู้ใช้"))
    return user
