"""Notification preferences, LINE link codes, queued LINE pushes and the scheduled notices already sent."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import UTCDateTime, utcnow
from app.extensions import db


class NotificationPreference(db.Model):
    """A user's choice of channels for one kind of notice (no row: e-mail on, LINE on when linked)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # one of app.notify.kinds.KINDS
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    line: Mapped[bool] = mapped_column(Boolean, default=True)


class LineLinkCode(db.Model):
    """The one-time code a user sends to the LINE Official Account to link their LINE account (one per user)."""

    __tablename__ = "line_link_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC-SHA256 of the code with SECRET_KEY
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutgoingLine(db.Model):
    """One LINE push to one LINE user; unsent rows are retried until sent or out of attempts."""

    __tablename__ = "outgoing_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_line_id: Mapped[str] = mapped_column(String(64))  # LINE userId
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    retry_key: Mapped[str] = mapped_column(String(36))  # X-Line-Retry-Key: a retried push is delivered once
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class NoticeSent(db.Model):
    """A scheduled notice sent to a user about one object on one day (keeps `flask reminders send` idempotent)."""

    __tablename__ = "notices_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "object_type", "object_id", "sent_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))  # meeting, action, round
    object_id: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date] = mapped_column(Date)  # Bangkok date
