"""Errors raised by services, and how the web and the API answer them.

Services raise ServiceError subclasses; the API turns them into {"error": {code, message, fields}}
with the matching status, and the web views show them by the field or as a flash message.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """A refused operation: HTTP status, machine code, readable (Thai) message, and offending fields."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class Invalid(ServiceError):
    """Input that breaks a rule (422), with a message per field."""

    status = 422
    code = "validation_error"


class Forbidden(ServiceError):
    """The user may not do this (403)."""

    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    """No such object, or not one the user may know of (404)."""

    status = 404
    code = "not_found"


class Conflict(ServiceError):
    """A stale version, a duplicate, or a locked object (409)."""

    status = 409
    code = "conflict"


class Unavailable(ServiceError):
    """Something the operation needs (file storage, the database) is out of order for now (503)."""

    status = 503
    code = "unavailable"


def wants_json() -> bool:
    """API paths (and clients that ask for JSON only) get JSON errors."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json" and not request.accept_mimetypes.accept_html
    )


# Where the "back" link of an error page leads, by the endpoint of the page one level up.
BACK_LABELS = {
    "meetings.detail": _l("กลับไปหน้าการประชุม"), "bodies.detail": _l("กลับไปหน้าคณะ"),
    "reports.detail": _l("กลับไปที่รายงาน"), "plans.detail": _l("กลับไปที่แผน"),
    "reports.round_detail": _l("กลับไปที่รอบการรายงาน"), "actions.detail": _l("กลับไปที่เรื่องที่มอบหมาย"),
}


def back_link() -> tuple[str, str] | None:
    """(url, label) of the nearest page above the refused one (/meetings/5/minutes → /meetings/5), if any."""
    adapter = current_app.create_url_adapter(request)
    parts = request.path.rstrip("/").split("/")
    for end in range(len(parts) - 1, 1, -1):
        candidate = "/".join(parts[:end])
        try:
            endpoint, _args = adapter.match(candidate, method="GET")
        except HTTPException:  # no page there (404, 405, a redirect): go up one more level
            continue
        if endpoint == "static":
            return None
        return candidate, str(BACK_LABELS.get(endpoint, _l("ย้อนกลับ")))
    return None


def refusal_message(status: int) -> str:
    """Why a bare 403/404 was refused, in words the signed-in user can act on."""
    from flask_login import current_user

    from app.labels import ROLE_LABELS, label

    if status == 403 and getattr(current_user, "is_authenticated", False):
        return _("บทบาทของคุณ (%(role)s) ไม่มีสิทธิ์ใช้ส่วนนี้ หากต้องใช้ โปรดติดต่อฝ่ายเลขานุการหรือผู้ดูแลระบบ",
                 role=label(ROLE_LABELS, current_user.role))
    if status == 403:
        return _("คุณไม่มีสิทธิ์เข้าถึงส่วนนี้")
    return _("ไม่พบหน้าหรือข้อมูลที่ต้องการ อาจถูกลบไปแล้ว หรือคุณไม่มีสิทธิ์เห็นข้อมูลนี้")


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "validation_error", 429: "too_many_requests", 500: "server_error",
              503: "unavailable"}


NOT_RESUBMITTED = ("csrf_token", "password")  # a field whose name contains one of these is never sent back


def resubmittable_fields() -> list[tuple[str, str]]:
    """The posted form's fields to send again after an expired CSRF token: passwords and the old token left out
    (files cannot be sent back at all)."""
    return [(name, value) for name, values in request.form.lists() for value in values
            if not any(word in name.lower() for word in NOT_RESUBMITTED)]


def same_site_referrer() -> str | None:
    """The page the form was on (path and query), when it is a page of this site."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def init_error_handlers(app: Flask) -> None:
    """JSON errors under /api/, Thai error pages elsewhere; roll back the session on any error."""
    from app.api.errors import error_body
    from app.auth.loading import anonymous_for_this_request
    from app.extensions import db

    def answer(status: int, code: str, message: str, fields: dict | None = None):
        if wants_json():
            return jsonify(error_body(code, message, fields)), status
        back = back_link() if status in (403, 404, 409) else None
        return render_template("errors/error.html", status=status, message=message, back=back), status

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        return answer(error.status, error.code, error.message, error.fields)

    @app.errorhandler(StaleDataError)
    def stale_data(error: StaleDataError):
        db.session.rollback()
        return answer(409, "conflict", _("ข้อมูลถูกแก้ไขโดยผู้อื่นแล้ว กรุณาโหลดใหม่แล้วลองอีกครั้ง"))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error: Exception):
        """The database cannot be reached (down, refused, pool exhausted): 503, nothing kept."""
        log.error("database unavailable on %s %s: %s", request.method, request.path, error)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 — the connection is already gone
            pass
        anonymous_for_this_request()  # the error page must not ask the database who is signed in
        response = answer(503, "database_unavailable",
                          _("ระบบฐานข้อมูลไม่พร้อมใช้งานชั่วคราว ข้อมูลไม่ถูกบันทึก กรุณาลองใหม่อีกครั้งในภายหลัง"))
        response = app.make_response(response)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        message = _("แบบฟอร์มหมดอายุหรือไม่ถูกต้อง (CSRF) กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง")
        if wants_json() or request.method != "POST":
            return answer(400, "csrf_failed", message)
        return render_template("errors/csrf.html", fields=resubmittable_fields(), files_dropped=bool(request.files),
                               action=request.full_path.rstrip("?"), back=same_site_referrer()), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        if error.response is not None and error.code == 422:  # flask-openapi3 validation (already JSON)
            return error.response
        messages = {
            400: _("คำขอไม่ถูกต้อง"),
            401: _("ต้องเข้าสู่ระบบ"),
            405: _("ไม่รองรับวิธีการเรียกนี้"),
            413: _("ไฟล์หรือข้อมูลมีขนาดใหญ่เกินกำหนด"),
        }
        code = error.code or 500
        if error.description != type(error).description:  # abort(403, description="the reason") says why
            message = error.description
        elif code in (403, 404):
            message = refusal_message(code)
        else:
            message = messages.get(code) or error.description or _("เกิดข้อผิดพลาด")
        return answer(code, HTTP_CODES.get(code, "error"), message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return answer(500, "server_error", _("เกิดข้อผิดพลาดภายในระบบ ข้อมูลไม่ถูกบันทึก กรุณาลองใหม่"))
