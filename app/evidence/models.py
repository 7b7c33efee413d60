"""The evidence of an electronic meeting that the 2563 decree asks for: each online attendee's identity check,
join and leave times, the recording (or that the session was secret), the technical-incident log, and the
check-ins of attendees who marked themselves present (on site by the day's QR code, or online)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User

IDENTITY_METHODS = ("otp", "video", "vouched")  # one-time code, video check by the secretariat, vouched by another
PARTICIPATION_SOURCES = ("manual", "zoom", "webex", "teams")
CHECK_IN_PLACES = ("onsite", "online")


class IdentityCheck(db.Model):
    """An online attendee's identity confirmed for one meeting: how, by whom and when."""

    __tablename__ = "identity_checks"
    __table_args__ = (
        CheckConstraint(one_of("method", IDENTITY_METHODS), name="method"),
        CheckConstraint("method <> 'vouched' OR vouched_by_name IS NOT NULL", name="vouched_names_voucher"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(10))  # otp | video | vouched
    vouched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    vouched_by_name: Mapped[str | None] = mapped_column(String(limits.NAME))  # the attendee who vouched, as named
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # who confirmed
    recorded_by_name: Mapped[str | None] = mapped_column(String(limits.NAME))  # the secretariat, or the attendee (otp)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class IdentityCode(db.Model):
    """The one-time code sent to an attendee (only its hash is kept): it expires, and allows a few tries (the wrong
    ones are counted in Flask-Limiter's storage, app.evidence.services, so the count survives the refusal)."""

    __tablename__ = "identity_codes"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 with SECRET_KEY
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ParticipationInterval(db.Model):
    """One stay in the online meeting (join to leave), typed by the secretariat or read from the participant
    report of Zoom, Webex or Teams; matched to a member or a guest, or kept unmatched with the name it showed."""

    __tablename__ = "participation_intervals"
    __table_args__ = (
        CheckConstraint(one_of("source", PARTICIPATION_SOURCES), name="source"),
        CheckConstraint("left_at >= joined_at", name="leaves_after_join"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_guests.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(limits.NAME))  # as the report (or the secretariat) gave it
    email: Mapped[str | None] = mapped_column(String(limits.EMAIL))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(10))  # manual | zoom | webex | teams
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingRecording(db.Model):
    """Where the meeting's audio-video recording is kept and its SHA-256, or that the session was secret and so
    not recorded."""

    __tablename__ = "meeting_recordings"
    __table_args__ = (
        CheckConstraint("secret OR (url IS NOT NULL AND sha256 IS NOT NULL)", name="located_unless_secret"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str | None] = mapped_column(String(limits.URL))
    sha256: Mapped[str | None] = mapped_column(String(64))  # lower-case hex
    secret: Mapped[bool] = mapped_column(Boolean, default=False)  # a secret session: not recorded
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TechnicalIncident(db.Model):
    """A technical problem reported during the meeting (no sound, cut off …), by an attendee or the secretariat."""

    __tablename__ = "technical_incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reporter_name: Mapped[str] = mapped_column(String(limits.NAME))
    text: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CheckIn(db.Model):
    """An attendee marked themselves present on one day of the meeting: on site (the day's QR code) or online
    (after their identity was confirmed)."""

    __tablename__ = "check_ins"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id", "day"),
        CheckConstraint(one_of("place", CHECK_IN_PLACES), name="place"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the Bangkok day
    place: Mapped[str] = mapped_column(String(10))  # onsite | online
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
