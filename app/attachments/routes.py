"""Downloading attachments: only for those who may read what they are attached to."""
from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_babel import gettext as _
from flask_login import login_required

from app import access, authz
from app.attachments.models import Attachment
from app.attachments.services import file_path

bp = Blueprint("attachments", __name__)


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    """Send the stored file (as a download, with its detected type)."""
    attachment = access.load(Attachment, attachment_id, read=authz.can_download_attachment,
                             missing=_("ไม่พบไฟล์แนบ"))
    if attachment.kind != "file":
        abort(404)
    path = file_path(attachment)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.title)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
