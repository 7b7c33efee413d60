"""What every web form and button POST does: check CSRF, run the service call, explain a refusal.

The request layer (app.transactions) commits when the view succeeds; a refusal shown on the page is
discarded here, so a page that answers 200 after a refusal keeps nothing of the refused change.
"""
from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

from flask import Response, abort, flash
from flask_wtf import FlaskForm

from app.errors import ServiceError
from app.transactions import discard


def require_csrf() -> None:
    """400 unless the POST carries this session's CSRF token."""
    if not FlaskForm().validate_on_submit():
        abort(400)


def perform(action: Callable[[], Any], success: str | None = None) -> bool:
    """Run a service call and flash `success`, or discard it and flash each reason it was refused.

    A fault of the server (Unavailable, 503: storage or database out of order) is not a refusal the user
    can correct on the page: it goes on to the error page with its status."""
    try:
        action()
    except ServiceError as error:
        if error.status >= 500:
            raise
        flash_refusal(error)
        return False
    if success:
        flash(success, "success")
    return True


def flash_refusal(error: ServiceError) -> None:
    """Discard the refused change and flash why: the message, with the fields' reasons after it."""
    discard()
    details = "; ".join(message for message in error.fields.values() if message != error.message)
    flash(f"{error.message} ({details})" if details else error.message, "danger")


def refuse(form, error: ServiceError) -> int:
    """Discard the refused change, put its messages by the form's fields, and return the status to answer."""
    discard()
    show_errors_on(form, error)
    return error.status


def show_errors_on(form, error: ServiceError) -> None:
    """Put a service's field messages next to the form's fields; flash the message for the rest."""
    unplaced = []
    for name, message in error.fields.items():
        field = form._fields.get(name.split(".")[0])
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            unplaced.append(message)
    if unplaced or not error.fields:
        flash(error.message, "danger")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def disposition(filename: str, fallback: str | None = None) -> str:
    """Content-Disposition of a download: a Thai name goes in filename* (RFC 6266) with the ASCII `fallback`
    beside it for old programs."""
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        return f'attachment; filename="{filename}"'
    return f'attachment; filename="{fallback or "download"}"; filename*=UTF-8\'\'{quote(filename, safe="")}'


def attachment_disposition(title: str) -> str:
    """Content-Disposition of an uploaded file, under its own (often Thai) name."""
    extension = title.rsplit(".", 1)[-1] if "." in title else ""
    fallback = "attachment" + (f".{extension}" if extension.isascii() and extension.isalnum() else "")
    return disposition(title or fallback, fallback)


def download(data: bytes, mimetype: str, filename: str, fallback: str | None = None) -> Response:
    """A generated file (DOCX, XLSX, PDF) offered for download under `filename` (see disposition)."""
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition(filename, fallback)})


def document_name(kind: str, meeting, suffix: str) -> tuple[str, str]:
    """(name, ASCII fallback) of a meeting's document: minutes-คทง.แผน-3-2563.docx, minutes-12-3-2563.docx;
    two bodies' documents never share a name."""
    short = (meeting.body.short_name or "").strip()
    label = "".join("-" if c in '/\\:*?"<>| ' else c for c in short) or str(meeting.body_id)
    return (f"{kind}-{label}-{meeting.number}-{meeting.year_be}.{suffix}",
            f"{kind}-{meeting.body_id}-{meeting.number}-{meeting.year_be}.{suffix}")
