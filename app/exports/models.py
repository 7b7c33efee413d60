"""Large exports made by a background job: the request answers at once, the file is ready to download when done."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

EXPORT_KINDS = ("round_xlsx",)
EXPORT_STATES = ("queued", "running", "done", "failed")


class Export(db.Model):
    """One file asked for by one user: what, for which object, how far the job got, where the file is kept."""

    __tablename__ = "exports"
    __table_args__ = (
        CheckConstraint(one_of("kind", EXPORT_KINDS), name="kind"),
        CheckConstraint(one_of("state", EXPORT_STATES), name="state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # round_xlsx
    object_id: Mapped[int] = mapped_column(Integer)  # the round
    scope: Mapped[str] = mapped_column(String(40))  # whose view it holds: "overview" or "user:<id>" (the cache key)
    version: Mapped[str] = mapped_column(String(80))  # the data it was written from (services.data_version)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    filename: Mapped[str | None] = mapped_column(String(300))
    storage_key: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
