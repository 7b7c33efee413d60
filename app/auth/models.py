"""Users with one role each, and their API tokens (only a hash of each token is stored)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.bodies.models import Membership, Unit

ROLES = ("admin", "secretariat", "reporter", "member", "viewer")
LOCALES = ("th", "en")
PASSWORD_METHOD = "scrypt"


def hash_secret(secret: str) -> str:
    """SHA-256 of a random secret (API token, calendar feed key): enough for high-entropy secrets."""
    return hashlib.sha256(secret.encode()).hexdigest()


class User(UserMixin, db.Model):
    """A person who signs in; `role` decides what they may do, reporters are bound to one unit."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
        CheckConstraint(one_of("locale", LOCALES), name="locale"),
        CheckConstraint("role <> 'reporter' OR unit_id IS NOT NULL", name="reporter_has_unit"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(limits.EMAIL), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(limits.NAME))  # full name with title, as printed in minutes
    position: Mapped[str | None] = mapped_column(String(limits.POSITION))  # ตำแหน่ง, e.g. ผู้ช่วยปลัดกระทรวงศึกษาธิการ
    role: Mapped[str] = mapped_column(String(20), default="member")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active_user: Mapped[bool] = mapped_column("active", Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))  # preferred UI language; None follows the browser
    calendar_feed_nonce: Mapped[str | None] = mapped_column(String(32))  # with SECRET_KEY and id derives the feed secret
    calendar_reminder_minutes: Mapped[int | None] = mapped_column(Integer, default=60)  # feed VALARM; None: none
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # LINE userId, once linked (app.notify)
    line_linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")
    login_sessions: Mapped[list[LoginSession]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                              passive_deletes=True)

    # The key of the sign-in this request runs under (see LoginSession); not a column.
    login_key = None  # str once signed in
    credential_expires_at = None  # when the session or token that signed this request in expires (None: never)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return bool(self.is_active_user)

    def get_id(self) -> str:
        """Flask-Login keeps the sign-in's key, not the user id, in the session and the remember cookie."""
        if not self.login_key:
            raise RuntimeError("start a LoginSession (auth.services.sign_in) before login_user")
        return self.login_key

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", PASSWORD_METHOD) if has_app_context() else PASSWORD_METHOD
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for /api/v1; the token itself is shown once, only its hash is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))  # the token's name, as the owner calls it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: until revoked
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # updated at most once a minute
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def name(self) -> str:
        """The name the owner gave the token (the API's "name")."""
        return self.label or ""

    def is_valid_at(self, moment: datetime) -> bool:
        """Neither revoked nor expired at `moment`."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)

    @staticmethod
    def new_secret() -> str:
        """A fresh random token string (url-safe, 256 bits)."""
        return "pch_" + secrets.token_urlsafe(32)


class LoginSession(db.Model):
    """One sign-in of a user in one browser: the session (and remember-me) cookie carries a random key,
    only its hash is kept. Signing out ends it, a password change ends all of the user's, and it expires."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the key in the cookie
    remember: Mapped[bool] = mapped_column(Boolean, default=False)  # "remember me" was ticked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # signing in again is needed after this
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # signed out, or password changed

    user: Mapped[User] = relationship(back_populates="login_sessions")

    @staticmethod
    def new_key() -> str:
        """A fresh random sign-in key (url-safe, 256 bits)."""
        return secrets.token_urlsafe(32)
