"""Minutes (รายงานการประชุม) in the official form, their versions, resolutions, actions and comments."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
    and_,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.dbtypes import UTCDateTime, one_of, utcnow
from app.thaidates import today_bangkok
from app.extensions import db

if TYPE_CHECKING:
    from app.actions.models import ActionNote
    from app.agenda.models import AgendaItem
    from app.auth.models import User
    from app.bodies.models import Unit
    from app.meetings.models import Meeting

MINUTES_STATES = ("draft", "circulated", "certified")
RESOLUTION_KINDS = ("acknowledged", "approved", "rejected", "approved_with_changes", "assigned")
ACTION_STATUSES = ("open", "done", "closed")  # done: by the owner unit; closed: confirmed by the secretariat


class Minutes(db.Model):
    """The minutes of one meeting: draft → circulated → certified at a later meeting (then locked)."""

    __tablename__ = "minutes"
    __table_args__ = (
        CheckConstraint(one_of("state", MINUTES_STATES), name="state"),
        CheckConstraint("state <> 'certified' OR certified_at_meeting_id IS NOT NULL", name="certified_at_meeting"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock, one per save
    opened_at: Mapped[time | None] = mapped_column(Time)  # เริ่มประชุมเวลา (Bangkok time of day)
    closed_at: Mapped[time | None] = mapped_column(Time)  # เลิกประชุมเวลา
    recorder_name: Mapped[str | None] = mapped_column(String(200))  # ผู้จดรายงานการประชุม
    checker_name: Mapped[str | None] = mapped_column(String(200))  # ผู้ตรวจรายงานการประชุม
    recorder_position: Mapped[str | None] = mapped_column(String(300))  # printed under the recorder's signature
    checker_position: Mapped[str | None] = mapped_column(String(300))  # printed under the checker's signature
    preamble: Mapped[str | None] = mapped_column(Text)  # text before the first section, if any
    circulated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment_deadline: Mapped[date | None] = mapped_column(Date)  # members comment until this day (set on circulation)
    certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    certified_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="RESTRICT"))
    amendments: Mapped[str | None] = mapped_column(Text)  # what the certifying meeting changed
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="minutes", foreign_keys=[meeting_id])
    certified_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[certified_at_meeting_id])
    items: Mapped[list[MinutesItem]] = relationship(back_populates="minutes", cascade="all, delete-orphan")
    versions: Mapped[list[MinutesVersion]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesVersion.version"
    )
    comments: Mapped[list[MinutesComment]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesComment.created_at"
    )
    snapshot: Mapped[MinutesSnapshot | None] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", uselist=False
    )


class MinutesItem(db.Model):
    """What was said and resolved on one agenda item."""

    __tablename__ = "minutes_items"
    __table_args__ = (
        UniqueConstraint("minutes_id", "agenda_item_id"),
        CheckConstraint(one_of("resolution_kind", RESOLUTION_KINDS), name="resolution_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    discussion: Mapped[str | None] = mapped_column(Text)  # sanitised HTML
    resolution_kind: Mapped[str | None] = mapped_column(String(30))
    resolution: Mapped[str | None] = mapped_column(Text)  # มติที่ประชุม, e.g. ที่ประชุมรับทราบ

    minutes: Mapped[Minutes] = relationship(back_populates="items")
    agenda_item: Mapped[AgendaItem] = relationship()
    actions: Mapped[list[ActionItem]] = relationship(back_populates="minutes_item", cascade="all, delete-orphan")


class ActionItem(db.Model):
    """An assigned action (มอบหมาย) with an owner unit and due date, followed up until closed."""

    __tablename__ = "action_items"
    __table_args__ = (CheckConstraint(one_of("status", ACTION_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_item_id: Mapped[int] = mapped_column(ForeignKey("minutes_items.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when it was marked done (cleared on reopening)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_note: Mapped[str | None] = mapped_column(Text)

    minutes_item: Mapped[MinutesItem] = relationship(back_populates="actions")
    owner_unit: Mapped[Unit | None] = relationship()
    notes: Mapped[list[ActionNote]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionNote.id"
    )

    @hybrid_method
    def overdue_on(self, day) -> bool:
        """The one rule of "overdue" (เกินกำหนด) on a day: its due date has passed and it is still open."""
        return self.status == "open" and self.due_date is not None and self.due_date < day

    @overdue_on.inplace.expression
    @classmethod
    def _overdue_on_expression(cls, day):
        return and_(cls.status == "open", cls.due_date.is_not(None), cls.due_date < day)

    @hybrid_property
    def overdue(self) -> bool:
        """Overdue today (Bangkok)."""
        return self.overdue_on(today_bangkok())

    @overdue.inplace.expression
    @classmethod
    def _overdue_expression(cls):
        return cls.overdue_on(today_bangkok())


class MinutesVersion(db.Model):
    """A saved version of the minutes: the whole content as JSON, who saved it and when."""

    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("minutes_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="versions")
    saved_by: Mapped[User | None] = relationship()


class MinutesComment(db.Model):
    """A member's comment on circulated minutes."""

    __tablename__ = "minutes_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="comments")
    user: Mapped[User | None] = relationship()


class MinutesSnapshot(db.Model):
    """The certified minutes as they were at certification: the DOCX bytes and their SHA-256 (also in the
    audit event of the certification), served unchanged afterwards."""

    __tablename__ = "minutes_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), unique=True)
    docx: Mapped[bytes] = mapped_column(LargeBinary)  # the official-form DOCX as certified
    sha256: Mapped[str] = mapped_column(String(64))  # hex digest of docx
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="snapshot")
