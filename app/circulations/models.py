"""A matter circulated to a body's members for a resolution (เวียนขอมติ) and each member's answer.

The members asked are fixed when the matter is circulated: one answer row each, empty until they answer.
Once closed (at the deadline, when all have answered, or by the secretariat) the result is kept with its tally
and the names, and reported as an item in section 4 of the body's next meeting.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.attachments.models import Attachment
    from app.auth.models import User
    from app.bodies.models import Body

CIRCULATION_STATES = ("open", "closed")
CIRCULATION_ANSWERS = ("approve", "reject", "comment")  # เห็นชอบ / ไม่เห็นชอบ / มีความเห็นเพิ่มเติม
CLOSE_REASONS = ("deadline", "all_answered", "closed")  # at the deadline, everyone answered, by the secretariat


class Circulation(db.Model):
    """A matter circulated to the members of a body with its question and deadline; its result once closed."""

    __tablename__ = "circulations"
    __table_args__ = (
        CheckConstraint(one_of("state", CIRCULATION_STATES), name="state"),
        CheckConstraint("close_reason IS NULL OR " + one_of("close_reason", CLOSE_REASONS), name="close_reason"),
        CheckConstraint("state <> 'closed' OR result IS NOT NULL", name="closed_has_result"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(limits.TITLE))  # เรื่อง
    detail: Mapped[str | None] = mapped_column(Text)  # the matter, sanitised rich text (app.richtext)
    question: Mapped[str] = mapped_column(Text)  # ประเด็นขอมติ
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)  # answers are taken until this instant
    state: Mapped[str] = mapped_column(String(8), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(12))
    result: Mapped[dict | None] = mapped_column(JSON)  # {"counts", "outcome", "members", "answers", "resolution"}
    agenda_item_id: Mapped[int | None] = mapped_column(  # the section-4 item that reports the result to a meeting
        ForeignKey("agenda_items.id", ondelete="SET NULL"))

    body: Mapped[Body] = relationship()
    created_by: Mapped[User | None] = relationship()
    answers: Mapped[list[CirculationAnswer]] = relationship(back_populates="circulation", cascade="all, delete-orphan",
                                                            order_by="CirculationAnswer.id")
    papers: Mapped[list[Attachment]] = relationship(back_populates="circulation", cascade="all, delete-orphan",
                                                    order_by="Attachment.id")


class CirculationAnswer(db.Model):
    """One member asked (empty until they answer); a changed answer replaces the earlier one (audited)."""

    __tablename__ = "circulation_answers"
    __table_args__ = (
        UniqueConstraint("circulation_id", "user_id"),
        CheckConstraint("answer IS NULL OR " + one_of("answer", CIRCULATION_ANSWERS), name="answer"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    circulation_id: Mapped[int] = mapped_column(ForeignKey("circulations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str | None] = mapped_column(String(8))  # approve | reject | comment; None: not answered yet
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    circulation: Mapped[Circulation] = relationship(back_populates="answers")
    user: Mapped[User] = relationship()
