"""Bodies a user follows in their personal calendar feed, besides the meetings they are invited to."""
from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class BodyFollow(db.Model):
    """The user's personal feed also carries this body's meetings (chosen on /profile or through the API)."""

    __tablename__ = "body_follows"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True, index=True)
