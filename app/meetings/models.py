"""Meetings numbered ครั้งที่ N/ปี per body, invitations' answers (RSVP) and attendance."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.agenda.models import AgendaItem
    from app.auth.models import User
    from app.bodies.models import Body
    from app.minutes.models import Minutes

MEETING_MODES = ("onsite", "online", "hybrid")
MEETING_STATUSES = ("scheduled", "postponed", "cancelled", "held")
AGENDA_STATES = ("draft", "published")
RSVP_RESPONSES = ("accepted", "declined", "tentative", "delegated")
ATTENDANCE_STATUSES = ("present", "online", "absent", "delegate", "guest")


class Meeting(db.Model):
    """One meeting of a body: number N within BE year, time (UTC), place, online and stream links."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("body_id", "year_be", "number"),
        CheckConstraint(one_of("mode", MEETING_MODES), name="mode"),
        CheckConstraint(one_of("status", MEETING_STATUSES), name="status"),
        CheckConstraint(one_of("agenda_state", AGENDA_STATES), name="agenda_state"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # N of ครั้งที่ N/ปี
    year_be: Mapped[int] = mapped_column(Integer, index=True)  # BE year of the numbering (calendar or fiscal)
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(10), default="onsite")  # onsite | online | hybrid
    venue: Mapped[str | None] = mapped_column(String(limits.VENUE))  # ณ ห้องประชุม…
    online_url: Mapped[str | None] = mapped_column(String(limits.URL))  # Zoom / Webex / Teams link
    stream_url: Mapped[str | None] = mapped_column(String(limits.URL))  # livestream channel
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    series_id: Mapped[int | None] = mapped_column(  # the series it was scheduled in (app.series), if any
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE, grows on time/place change
    invitation_number: Mapped[str | None] = mapped_column(String(limits.INVITATION_NUMBER))  # ที่ of the letter
    invitation_issued_on: Mapped[date | None] = mapped_column(Date)  # วันที่ of the letter
    uid: Mapped[str] = mapped_column(String(120), unique=True)  # stable iCalendar UID
    agenda_state: Mapped[str] = mapped_column(String(10), default="draft")
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    body: Mapped[Body] = relationship()
    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", foreign_keys="AgendaItem.meeting_id",
        order_by="(AgendaItem.section, AgendaItem.position)",
    )
    minutes: Mapped[Minutes | None] = relationship(
        back_populates="meeting", foreign_keys="Minutes.meeting_id", uselist=False
    )
    rsvps: Mapped[list[Rsvp]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.sort_order"
    )
    guests: Mapped[list[MeetingGuest]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingGuest.id"
    )
    days: Mapped[list[MeetingDay]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDay.day"
    )

    @property
    def code(self) -> str:
        """The meeting's number as written in Thai documents: N/YYYY (BE)."""
        return f"{self.number}/{self.year_be}"

    def __repr__(self) -> str:
        return f"<Meeting {self.body_id} {self.code}>"


class Rsvp(db.Model):
    """A member's answer to an invitation: accepted, declined, tentative (not sure yet) or delegated (with the
    delegate's name); given on the web, through the API or from a calendar program (iTIP REPLY)."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(one_of("response", RSVP_RESPONSES), name="response"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    response: Mapped[str] = mapped_column(String(10))
    delegate_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    note: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="rsvps")
    user: Mapped[User] = relationship()


class Attendance(db.Model):
    """Who came: members present / online / absent (reason) / by delegate, and guests (ผู้เข้าร่วมประชุม)."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(one_of("status", ATTENDANCE_STATUSES), name="status"),
        CheckConstraint("status <> 'guest' OR user_id IS NULL", name="guest_not_member"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # null for guests
    name: Mapped[str] = mapped_column(String(limits.NAME))  # as printed in the minutes
    position: Mapped[str | None] = mapped_column(String(limits.POSITION))  # position as printed in the minutes
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(limits.REASON))  # for absent: ติดราชการ …
    delegate_name: Mapped[str | None] = mapped_column(String(limits.NAME))  # "… มาประชุมแทน …"
    delegate_position: Mapped[str | None] = mapped_column(String(limits.POSITION))  # the delegate's own position
    identity_confirmed: Mapped[bool] = mapped_column(default=False)  # online attendee identity checked
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    guest_id: Mapped[int | None] = mapped_column(  # the invited guest this row records (ticked as attended)
        ForeignKey("meeting_guests.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    user: Mapped[User | None] = relationship()


class MeetingDay(db.Model):
    """One day of a meeting that spans several days, with that day's hours and, when it differs, its own venue
    and online link (e.g. the OBEC 3-day workshop). Without rows, each Bangkok day of a multi-day meeting runs
    from the meeting's start time-of-day to its end time-of-day (meetings.services.meeting_days)."""

    __tablename__ = "meeting_days"
    __table_args__ = (
        UniqueConstraint("meeting_id", "day"),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)  # the Bangkok calendar day
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str | None] = mapped_column(String(limits.VENUE))  # None: the meeting's venue
    online_url: Mapped[str | None] = mapped_column(String(limits.URL))  # None: the meeting's link

    meeting: Mapped[Meeting] = relationship(back_populates="days")


class MeetingGuest(db.Model):
    """A person without an account invited to one meeting (ผู้เข้าร่วมประชุม): name, organisation, e-mail, and their
    answer given with the one-click links of their invitation. The e-mail is kept in lower case, once per meeting."""

    __tablename__ = "meeting_guests"
    __table_args__ = (
        UniqueConstraint("meeting_id", "email"),
        CheckConstraint(one_of("response", RSVP_RESPONSES), name="response"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(limits.NAME))
    organisation: Mapped[str | None] = mapped_column(String(limits.UNIT_NAME))
    email: Mapped[str] = mapped_column(String(limits.EMAIL))  # lower case
    position: Mapped[str | None] = mapped_column(String(limits.POSITION))
    response: Mapped[str | None] = mapped_column(String(10))  # None: no answer yet
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    delegate_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="guests")
