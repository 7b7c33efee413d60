"""The search index: one row per meeting, agenda item and minutes; and the queue of what the indexing job
still has to (re)write."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

SEARCH_KINDS = ("meeting", "agenda_item", "minutes")


class SearchEntry(db.Model):
    """What one meeting, agenda item or minutes says, as plain text and Thai-aware tokens, with the fields
    the permission rules need (body, and the state that decides who may read it)."""

    __tablename__ = "search_entries"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        CheckConstraint(one_of("kind", SEARCH_KINDS), name="kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # meeting | agenda_item | minutes
    object_id: Mapped[int] = mapped_column(Integer)  # id of the meeting, agenda item or minutes
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    text: Mapped[str] = mapped_column(Text, default="")  # plain text the snippet is cut from
    tokens: Mapped[str] = mapped_column(Text)  # " token token … ": distinct normalised tokens of title and text
    title_tokens: Mapped[str] = mapped_column(Text)  # the same for the title alone (ranking)
    min_state: Mapped[str | None] = mapped_column(String(12))  # the agenda's or the minutes' state (permissions)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the meeting's start (recency)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchEntry {self.kind} {self.object_id}>"


class SearchQueueItem(db.Model):
    """An object whose entry waits for the indexing job: queued (again) by every commit that changes it, done
    when indexed_at is set. One row per object, so the queue never grows beyond the objects themselves."""

    __tablename__ = "search_queue"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        CheckConstraint(one_of("kind", SEARCH_KINDS), name="kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # meeting | agenda_item | minutes
    object_id: Mapped[int] = mapped_column(Integer)  # id of the meeting, agenda item or minutes (may be deleted)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the last change asking for it
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed runs since it was queued
    last_error: Mapped[str | None] = mapped_column(Text)
    indexed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # None: still to do

    def __repr__(self) -> str:
        return f"<SearchQueueItem {self.kind} {self.object_id}>"
