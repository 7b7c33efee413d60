"""Outgoing mail, queued in the same transaction as the change it announces, delivered after commit."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.dbtypes import UTCDateTime, utcnow
from app.extensions import db


class OutgoingMail(db.Model):
    """One message to one recipient; unsent rows are retried until sent or out of attempts."""

    __tablename__ = "outgoing_mail"
    id: Mapped[int] = mapped_column(primary_key=True)
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)  # text/html alternative, if any
    ics: Mapped[str | None] = mapped_column(Text)  # text/calendar part, if any
    ics_method: Mapped[str | None] = mapped_column(String(10))  # REQUEST | CANCEL | PUBLISH
    kind: Mapped[str] = mapped_column(String(40))  # meeting.invite, meeting.update, meeting.cancel, reminder …
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
