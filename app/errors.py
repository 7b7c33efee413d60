"""Errors raised by services, and how the web and the API answer them.

Services raise ServiceError subclasses; the API turns them into {"error": {code, message, fields}}
with the matching status, and the web views show them by the field or as a flash message.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
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


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "validation_error", 429: "too_many_requests", 500: "server_error",
              503: "unavailable"}


def init_error_handlers(app: Flask) -> None:
    """JSON errors under /api/, Thai error pages elsewhere; roll back the session on any error."""
    from app.api.errors import error_body
    from app.auth.loading import anonymous_for_this_request
    from app.extensions import db

    def answer(status: int, code: str, message: str, fields: dict | None = None):
        if wants_json():
            return jsonify(error_body(code, message, fields)), status
        return render_template("errors/error.html", status=status, message=message), status

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
        return answer(400, "csrf_failed", _("แบบฟอร์มหมดอายุหรือไม่ถูกต้อง (CSRF) กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง"))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        if error.response is not None and error.code == 422:  # flask-openapi3 validation (already JSON)
            return error.response
        messages = {
            400: _("คำขอไม่ถูกต้อง"),
            401: _("ต้องเข้าสู่ระบบ"),
            403: _("คุณไม่มีสิทธิ์เข้าถึงส่วนนี้"),
            404: _("ไม่พบหน้าหรือข้อมูลที่ต้องการ"),
            405: _("ไม่รองรับวิธีการเรียกนี้"),
            413: _("ไฟล์หรือข้อมูลมีขนาดใหญ่เกินกำหนด"),
        }
        code = error.code or 500
        message = messages.get(code) or error.description or _("เกิดข้อผิดพลาด")
        return answer(code, HTTP_CODES.get(code, "error"), message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return answer(500, "server_error", _("เกิดข้อผิดพลาดภายในระบบ ข้อมูลไม่ถูกบันทึก กรุณาลองใหม่"))
