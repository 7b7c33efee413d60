"""Progress notes on assigned actions: who wrote what and when, and how the action's state changed."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.minutes.models import ActionItem

NOTE_KINDS = ("progress", "done", "closed", "reopened")  # a plain note, or the note of a change of state


class ActionNote(db.Model):
    """One entry of an action's follow-up: a progress note, or marking it done, closing or reopening it."""

    __tablename__ = "action_notes"
    __table_args__ = (CheckConstraint(one_of("kind", NOTE_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # who wrote it
    kind: Mapped[str] = mapped_column(String(10), default="progress")
    note: Mapped[str | None] = mapped_column(Text)  # may be empty when marking done or closing
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[ActionItem] = relationship(back_populates="notes")
    user: Mapped[User | None] = relationship()
