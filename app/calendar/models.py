"""Bodies a user follows in their personal calendar feed, besides the meetings they are invited to."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class BodyFollow(db.Model):
    """The user's personal feed also carries this body's meetings (chosen on /profile or through the API)."""

    __tablename__ = "body_follows"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True, index=True)


class FeedGeneration(db.Model):
    """One row: how many committed transactions have changed what calendar feeds carry. A worker that built a feed
    at generation g answers a poll with one read of this row while it is still g (see app.calendar.changes)."""

    __tablename__ = "feed_generation"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    value: Mapped[int] = mapped_column(Integer)  # grows by one with each such transaction
    epoch: Mapped[str] = mapped_column(String(32))  # new whenever the row is created: an emptied database starts anew


class FeedChange(db.Model):
    """What one generation changed: a meeting (its text or whether a feed carries it), or, without a meeting,
    anything that may change every feed (a body's name, a membership, a follow, a user's feed settings)."""

    __tablename__ = "feed_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, index=True)
    meeting_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: a deleted meeting's change is kept
