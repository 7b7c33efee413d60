"""What every button-style POST in the web UI does: check CSRF, run one service call, commit or explain."""
from __future__ import annotations

from typing import Any, Callable

from flask import Response, abort, flash
from flask_wtf import FlaskForm

from app.errors import ServiceError
from app.extensions import db


def require_csrf() -> None:
    """400 unless the POST carries this session's CSRF token."""
    if not FlaskForm().validate_on_submit():
        abort(400)


def perform(action: Callable[[], Any], success: str | None = None) -> bool:
    """Run a service call: commit and flash `success`, or roll back and flash each reason it was refused."""
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        for message in (error.fields or {"": error.message}).values():
            flash(message, "danger")
        return False
    db.session.commit()
    if success:
        flash(success, "success")
    return True


def show_errors_on(form, error: ServiceError) -> None:
    """Put a service's field messages next to the form's fields (or flash the rest)."""
    for name, message in error.fields.items():
        field = getattr(form, name.split(".")[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            flash(message, "danger")
    if not error.fields:
        flash(error.message, "danger")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """A generated file (DOCX, XLSX) offered for download under an ASCII file name."""
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
