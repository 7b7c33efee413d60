"""Downloading attachments: only for those who may read what they are attached to."""
from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required

from app import authz
from app.attachments.models import Attachment
from app.attachments.services import file_path, get_attachment
from app.errors import NotFound

bp = Blueprint("attachments", __name__)


def may_read(user, attachment: Attachment) -> bool:
    """Readers of the agenda item's agenda, or of the report."""
    if attachment.agenda_item is not None:
        meeting = attachment.agenda_item.meeting
        return authz.can_view_meeting(user, meeting) and authz.can_view_agenda(user, meeting)
    if attachment.report is not None:
        return authz.can_view_report(user, attachment.report)
    return False


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    """Send the stored file (as a download, with its detected type)."""
    try:
        attachment = get_attachment(attachment_id)
    except NotFound:
        abort(404)
    if not may_read(current_user, attachment):
        abort(404)
    if attachment.kind != "file":
        abort(404)
    path = file_path(attachment)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.title)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
