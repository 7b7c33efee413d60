"""Votes at a meeting (การลงมติ) on an agenda item: open (named) or secret (ลงคะแนนลับ).

Who voted is kept in vote_voters, one row per voter (the unique key stops a second ballot). In an open vote the
voter's row holds the choice. In a secret vote it holds none: the choices go to secret_ballots, a table with no
user, no time and a random key, so no query can join a voter to a choice (the audit log says only "voted").
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db
from app.quorum import MAJORITIES

if TYPE_CHECKING:
    from app.agenda.models import AgendaItem
    from app.auth.models import User

VOTE_STATES = ("open", "closed")


class Vote(db.Model):
    """A question put to the vote on an agenda item: its options, majority rule, and once closed its result."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint(one_of("state", VOTE_STATES), name="state"),
        CheckConstraint(one_of("majority", MAJORITIES), name="majority"),
        CheckConstraint("state <> 'closed' OR result IS NOT NULL", name="closed_has_result"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(limits.TITLE))  # the question put to the meeting
    secret: Mapped[bool] = mapped_column(Boolean, default=False)  # ลงคะแนนลับ: choices kept apart from voters
    options: Mapped[list] = mapped_column(JSON)  # in order; default เห็นชอบ / ไม่เห็นชอบ / งดออกเสียง
    majority: Mapped[str] = mapped_column(String(12), default="simple")  # simple | two_thirds | absolute
    weights: Mapped[dict | None] = mapped_column(JSON)  # open votes only: {user id: weight}, others weigh 1
    state: Mapped[str] = mapped_column(String(8), default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # closes by itself at this time
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    quorum_override_reason: Mapped[str | None] = mapped_column(Text)  # opened without quorum on the chair's decision
    casting_vote: Mapped[str | None] = mapped_column(String(limits.TITLE))  # the chair's deciding vote on a tie
    result: Mapped[dict | None] = mapped_column(JSON)  # once closed: {"counts", "outcome", "voters", "winner"}

    agenda_item: Mapped[AgendaItem] = relationship()
    opened_by: Mapped[User | None] = relationship()
    voters: Mapped[list[VoteVoter]] = relationship(back_populates="vote", cascade="all, delete-orphan",
                                                   order_by="VoteVoter.user_id")


class VoteVoter(db.Model):
    """One member who has voted (once: the key is the vote and the user, no sequence that would number the
    ballots in the order they were cast); the choice only in an open vote."""

    __tablename__ = "vote_voters"
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)  # recorded by the secretariat (a hand vote)
    choice: Mapped[str | None] = mapped_column(String(limits.TITLE))  # open votes only; None in a secret vote
    weight: Mapped[int] = mapped_column(Integer, default=1)

    vote: Mapped[Vote] = relationship(back_populates="voters")
    user: Mapped[User] = relationship()


def random_key() -> str:
    """A random key for a secret ballot: its order says nothing about when it was cast."""
    return uuid.uuid4().hex


class SecretBallot(db.Model):
    """One choice in a secret vote: no user, no time, a random key."""

    __tablename__ = "secret_ballots"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_key)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(limits.TITLE))
