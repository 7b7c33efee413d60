"""Agenda items inside the six customary sections, numbered section.position (5.1, 5.2 …)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.attachments.models import Attachment
    from app.bodies.models import Unit
    from app.meetings.models import Meeting

SECTIONS = (1, 2, 3, 4, 5, 6)
ITEM_KINDS = ("announcement", "certification", "follow_up", "information", "decision", "other")


class AgendaItem(db.Model):
    """One item of a meeting's agenda; its number is f"{section}.{position}"."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("section BETWEEN 1 AND 6", name="section"),
        CheckConstraint("position >= 1", name="position_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    section: Mapped[int] = mapped_column(Integer)  # 1..6, the customary sections
    position: Mapped[int] = mapped_column(Integer)  # 1-based order inside the section, kept contiguous
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    detail: Mapped[str | None] = mapped_column(Text)  # sanitised HTML
    kind: Mapped[str | None] = mapped_column(String(limits.KIND))
    presenter_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    presenter_name: Mapped[str | None] = mapped_column(String(limits.NAME))
    links: Mapped[list | None] = mapped_column(JSON)  # [{"title", "url"}]
    source_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items", foreign_keys=[meeting_id])
    presenter_unit: Mapped[Unit | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="agenda_item", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def number(self) -> str:
        """The item's number as printed: 4.1, 4.2 …"""
        return f"{self.section}.{self.position}"
