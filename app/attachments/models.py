"""Files and links attached to agenda items or progress reports (evidence, หลักฐาน)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import textlimits as limits
from app.dbtypes import UTCDateTime, one_of, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.agenda.models import AgendaItem
    from app.reports.models import ProgressReport

ATTACHMENT_KINDS = ("file", "link")


class Attachment(db.Model):
    """A stored file (outside the web root, by storage key) or a link, owned by exactly one object."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(one_of("kind", ATTACHMENT_KINDS), name="kind"),
        CheckConstraint(
            "(agenda_item_id IS NOT NULL AND report_id IS NULL) OR (agenda_item_id IS NULL AND report_id IS NOT NULL)",
            name="one_owner",
        ),
        CheckConstraint("kind <> 'file' OR storage_key IS NOT NULL", name="file_has_storage"),
        CheckConstraint("kind <> 'link' OR url IS NOT NULL", name="link_has_url"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(5), default="file")
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(limits.ATTACHMENT_TITLE))  # file name as uploaded, or the link's label
    url: Mapped[str | None] = mapped_column(String(limits.URL))  # for links
    storage_key: Mapped[str | None] = mapped_column(String(100), unique=True)  # file name under PRACHUM_UPLOADS
    content_type: Mapped[str | None] = mapped_column(String(100))  # detected from content, not from the name
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="attachments")
    report: Mapped[ProgressReport | None] = relationship(back_populates="attachments")
