"""A meeting series: meetings of one body scheduled ahead by one date rule, which also suggests the next date."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db
from app.recurrence import FREQUENCIES, ORDINALS, SeriesRule

if TYPE_CHECKING:
    from app.bodies.models import Body


class MeetingSeries(db.Model):
    """Meetings of a body at one rule ("the last Friday of every second month" …) from a start date, at one time of
    day; its meetings point to it (meetings.series_id) and "นัดครั้งถัดไป" suggests the rule's next date."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint(one_of("frequency", FREQUENCIES), name="frequency"),
        CheckConstraint("every BETWEEN 1 AND 52", name="every_range"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint(f"ordinal IS NULL OR {one_of('ordinal', ORDINALS)}", name="ordinal"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[str] = mapped_column(String(6))  # months | weeks
    every: Mapped[int] = mapped_column(Integer)  # every N months or weeks
    weekday: Mapped[int] = mapped_column(Integer)  # Monday 0 … Sunday 6
    ordinal: Mapped[int | None] = mapped_column(Integer)  # months: 1–4, or -1 for the last weekday of the month
    starts_on: Mapped[date] = mapped_column(Date)  # the rule counts its months or weeks from this Bangkok day
    start_time: Mapped[time] = mapped_column(Time)  # Bangkok time of day
    end_time: Mapped[time] = mapped_column(Time)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    body: Mapped[Body] = relationship()

    @property
    def rule(self) -> SeriesRule:
        """The date rule as app.recurrence reads it."""
        return SeriesRule(self.frequency, self.every, self.weekday, self.ordinal)
