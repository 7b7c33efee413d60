"""What the API keeps for itself: the answers to creations sent with an Idempotency-Key."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import UTCDateTime, utcnow
from app.extensions import db


class IdempotencyKey(db.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed when the same user retries it."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))  # as the client sent it
    request: Mapped[str] = mapped_column(String(600))  # method and path, e.g. POST /api/v1/meetings
    body_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the request body
    status: Mapped[int] = mapped_column(Integer)  # status of the first answer
    response_body: Mapped[str] = mapped_column(Text)  # the first answer's JSON, as sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)  # expiry counts from here
