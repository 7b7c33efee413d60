"""The search index: one row per meeting, agenda item and minutes, kept up to date on every flush."""
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
