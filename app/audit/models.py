"""The audit log: who changed what, and when."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.dbtypes import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User


class AuditEvent(db.Model):
    """One recorded change: actor, action, object (type and id), a summary and the changed fields."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(50))  # e.g. user.create, minutes.certify
    object_type: Mapped[str] = mapped_column(String(50))  # e.g. user, meeting, minutes, report
    object_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)  # one readable line
    changes: Mapped[dict | None] = mapped_column(JSON)  # {field: [old, new]}

    user: Mapped[User | None] = relationship()
