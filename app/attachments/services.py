"""Attachments: files checked by content and size, stored outside the web root; and links."""
from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Iterator
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from app import textlimits
from app.attachments.filetypes import ALLOWED_TYPES, detect_type
from app.attachments.models import Attachment
from app.audit.services import record
from app.errors import Invalid, NotFound, Unavailable
from app.extensions import db
from app.storage import StorageError, storage
from app.transactions import after_commit

log = logging.getLogger(__name__)


def storage_unavailable(error: Exception) -> Unavailable:
    """The refusal given when the attachment storage cannot be written (full, read-only, unreachable)."""
    log.error("attachment storage %s not available: %s", storage().name, error)
    return Unavailable(_("ที่เก็บไฟล์แนบไม่พร้อมใช้งานชั่วคราว ไฟล์ไม่ถูกบันทึก กรุณาลองใหม่ภายหลังหรือแจ้งผู้ดูแลระบบ"),
                       code="storage_unavailable")


def store_file(key: str, data: bytes) -> None:
    """Write a file into the storage; Unavailable (503) when the storage cannot take it (nothing left behind)."""
    try:
        storage().put(key, data)
    except StorageError as error:
        raise storage_unavailable(error) from None


def storage_ready() -> bool:
    """Whether the attachment storage takes files now (the health and readiness checks)."""
    try:
        return storage().ready()
    except StorageError:
        return False


def clean_filename(name: str | None) -> str:
    """A display name without directories or control characters."""
    name = re.sub(r"[\x00-\x1f/\\]", "_", (name or "").strip()).strip(". ") or "file"
    return name[:250]


def read_limited(stream: IO[bytes]) -> bytes:
    """The upload's bytes, refusing anything over the configured size limit."""
    limit = current_app.config["MAX_ATTACHMENT_MB"] * 1024 * 1024
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Invalid(_("ไฟล์ใหญ่เกิน %(n)d MB", n=current_app.config["MAX_ATTACHMENT_MB"]),
                      {"file": _("ไฟล์ใหญ่เกิน %(n)d MB", n=current_app.config["MAX_ATTACHMENT_MB"])})
    if not data:
        raise Invalid(_("ไฟล์ว่างเปล่า"), {"file": _("ไฟล์ว่างเปล่า")})
    return data


def ensure_owner_open(*, agenda_item_id: int | None = None, report_id: int | None = None,
                      circulation_id: int | None = None) -> None:
    """Conflict when what the attachment belongs to is frozen: an agenda item of a meeting whose minutes are
    certified, an accepted report or one of a closed round, or a closed circulation (every add and remove goes
    through here)."""
    from app.agenda.models import AgendaItem
    from app.meetings.services import ensure_record_open
    from app.reports.models import ProgressReport
    from app.reports.services import ensure_report_open

    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None:
            raise NotFound(_("ไม่พบระเบียบวาระ"))
        ensure_record_open(item.meeting)
    if report_id is not None:
        report = db.session.get(ProgressReport, report_id)
        if report is None:
            raise NotFound(_("ไม่พบรายงาน"))
        ensure_report_open(report)
    if circulation_id is not None:
        from app.circulations.services import ensure_open, get_circulation

        ensure_open(get_circulation(circulation_id))


def attach_file(stream: IO[bytes], filename: str | None, *, agenda_item_id: int | None = None,
                report_id: int | None = None, circulation_id: int | None = None, user=None) -> Attachment:
    """Check a file (type by content, size) and store it for an agenda item, a report or a circulated matter."""
    ensure_owner_open(agenda_item_id=agenda_item_id, report_id=report_id, circulation_id=circulation_id)
    data = read_limited(stream)
    mime = detect_type(data)
    if mime is None or mime not in ALLOWED_TYPES:
        raise Invalid(_("รับเฉพาะไฟล์ PDF, DOCX, XLSX, PPTX และรูปภาพ (ตรวจจากเนื้อไฟล์)"),
                      {"file": _("ชนิดไฟล์ไม่ได้รับอนุญาต")})
    key = f"{uuid.uuid4().hex}.{ALLOWED_TYPES[mime]}"
    store_file(key, data)
    attachment = Attachment(kind="file", agenda_item_id=agenda_item_id, report_id=report_id,
                            circulation_id=circulation_id,
                            title=clean_filename(filename), storage_key=key, content_type=mime, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=getattr(user, "id", None))
    db.session.add(attachment)
    db.session.flush()
    record("attachment.add", attachment, attachment.title)
    return attachment


def attach_link(url: str, title: str | None, *, agenda_item_id: int | None = None, report_id: int | None = None,
                circulation_id: int | None = None, user=None) -> Attachment:
    """Attach an https:// link."""
    from app.meetings.services import check_link

    ensure_owner_open(agenda_item_id=agenda_item_id, report_id=report_id, circulation_id=circulation_id)
    errors: dict[str, str] = {}
    url = check_link(url, "url", errors)
    if errors or not url:
        raise Invalid(_("ลิงก์ไม่ถูกต้อง"), errors or {"url": _("กรุณาระบุลิงก์")})
    title = (title or "").strip()
    if problem := textlimits.check_text(title, textlimits.ATTACHMENT_TITLE, one_line=True, gettext=_):
        raise Invalid(_("ชื่อลิงก์ไม่ถูกต้อง"), {"title": problem})
    attachment = Attachment(kind="link", agenda_item_id=agenda_item_id, report_id=report_id,
                            circulation_id=circulation_id,
                            title=(title or url)[:textlimits.ATTACHMENT_TITLE], url=url, uploaded_by_id=getattr(user, "id", None))
    db.session.add(attachment)
    db.session.flush()
    record("attachment.add", attachment, attachment.title)
    return attachment


def get_attachment(attachment_id: int) -> Attachment:
    """The attachment, or NotFound."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(_("ไม่พบไฟล์แนบ"))
    return attachment


def read_file(attachment: Attachment) -> bytes:
    """The stored file of an attachment; Unavailable (503) when the storage cannot give it."""
    try:
        return storage().read(attachment.storage_key)
    except StorageError as error:
        raise storage_unavailable(error) from None


def stream_file(attachment: Attachment) -> tuple[Iterator[bytes], int] | None:
    """The stored file in chunks and its size, for a download; None when the storage has no such file."""
    try:
        if not storage().exists(attachment.storage_key):
            return None
        return storage().stream(attachment.storage_key)
    except StorageError as error:
        raise storage_unavailable(error) from None


def remove_attachment(attachment: Attachment) -> None:
    """Delete an attachment (the file is removed after the row); Conflict when its owner is frozen."""
    ensure_owner_open(agenda_item_id=attachment.agenda_item_id, report_id=attachment.report_id,
                      circulation_id=attachment.circulation_id)
    record("attachment.delete", attachment, attachment.title)
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.flush()
    if key:
        after_commit(lambda: remove_stored_file(key), key=f"attachment-file:{key}")


def remove_stored_file(key: str) -> None:
    """Delete a stored file once its row is gone; storage that refuses leaves an orphan file, logged."""
    try:
        storage().delete(key)
    except StorageError as error:
        log.warning("attachment file %s not removed from storage: %s", key, error)
