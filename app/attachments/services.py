"""Attachments: files checked by content and size, stored outside the web root; and links."""
from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from app.attachments.filetypes import ALLOWED_TYPES, detect_type
from app.attachments.models import Attachment
from app.audit.services import record
from app.errors import Invalid, NotFound
from app.extensions import db


def uploads_dir() -> Path:
    """Where files are kept (PRACHUM_UPLOADS, outside the static folder)."""
    path = Path(current_app.config["PRACHUM_UPLOADS"])
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def attach_file(stream: IO[bytes], filename: str | None, *, agenda_item_id: int | None = None,
                report_id: int | None = None, user=None) -> Attachment:
    """Check a file (type by content, size) and store it for an agenda item or a report."""
    data = read_limited(stream)
    mime = detect_type(data)
    if mime is None or mime not in ALLOWED_TYPES:
        raise Invalid(_("รับเฉพาะไฟล์ PDF, DOCX, XLSX, PPTX และรูปภาพ (ตรวจจากเนื้อไฟล์)"),
                      {"file": _("ชนิดไฟล์ไม่ได้รับอนุญาต")})
    key = f"{uuid.uuid4().hex}.{ALLOWED_TYPES[mime]}"
    (uploads_dir() / key).write_bytes(data)
    attachment = Attachment(kind="file", agenda_item_id=agenda_item_id, report_id=report_id,
                            title=clean_filename(filename), storage_key=key, content_type=mime, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=getattr(user, "id", None))
    db.session.add(attachment)
    db.session.flush()
    record("attachment.add", attachment, attachment.title)
    return attachment


def attach_link(url: str, title: str | None, *, agenda_item_id: int | None = None, report_id: int | None = None,
                user=None) -> Attachment:
    """Attach an https:// link."""
    from app.meetings.services import check_link

    errors: dict[str, str] = {}
    url = check_link(url, "url", errors)
    if errors or not url:
        raise Invalid(_("ลิงก์ไม่ถูกต้อง"), errors or {"url": _("กรุณาระบุลิงก์")})
    attachment = Attachment(kind="link", agenda_item_id=agenda_item_id, report_id=report_id,
                            title=(title or url)[:300], url=url, uploaded_by_id=getattr(user, "id", None))
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


def file_path(attachment: Attachment) -> Path:
    """The stored file of an attachment."""
    return uploads_dir() / attachment.storage_key


def remove_attachment(attachment: Attachment) -> None:
    """Delete an attachment (the file is removed after the row)."""
    record("attachment.delete", attachment, attachment.title)
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.flush()
    if key:
        (uploads_dir() / key).unlink(missing_ok=True)
