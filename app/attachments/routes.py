"""Downloading attachments: only for those who may read what they are attached to."""
from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_babel import gettext as _
from flask_login import login_required

from app import access, authz
from app.attachments.models import Attachment
from app.attachments.services import stream_file
from app.webactions import attachment_disposition

bp = Blueprint("attachments", __name__)


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    """Send the stored file (as a download, with its detected type), streamed from the storage in chunks."""
    attachment = access.load(Attachment, attachment_id, read=authz.can_download_attachment,
                             missing=_("ไม่พบไฟล์แนบ"))
    if attachment.kind != "file":
        abort(404)
    found = stream_file(attachment)
    if found is None:
        abort(404)
    chunks, size = found
    response = Response(chunks, mimetype=attachment.content_type, direct_passthrough=True)  # needs no context
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = attachment_disposition(attachment.title)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
