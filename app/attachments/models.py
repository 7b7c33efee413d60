"""Files and links attached to agenda items, progress reports (evidence, หลักฐาน) or circulated matters (papers)."""
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
    from app.circulations.models import Circulation
    from app.reports.models import ProgressReport

ATTACHMENT_KINDS = ("file", "link")
OWNER_COLUMNS = ("agenda_item_id", "report_id", "circulation_id")  # exactly one is set
ONE_OWNER = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in OWNER_COLUMNS) + " = 1"


class Attachment(db.Model):
    """A stored file (outside the web root, by storage key) or a link, owned by exactly one object."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(one_of("kind", ATTACHMENT_KINDS), name="kind"),
        CheckConstraint(ONE_OWNER, name="one_owner"),
        CheckConstraint("kind <> 'file' OR storage_key IS NOT NULL", name="file_has_storage"),
        CheckConstraint("kind <> 'link' OR url IS NOT NULL", name="link_has_url"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(5), default="file")
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    circulation_id: Mapped[int | None] = mapped_column(  # a paper of a matter circulated for a resolution
        ForeignKey("circulations.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(  # the reporting round a compiled round report was made from
        ForeignKey("reporting_rounds.id", ondelete="SET NULL"), index=True)
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
    circulation: Mapped[Circulation | None] = relationship(back_populates="papers")
