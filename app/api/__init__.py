"""The JSON API under /api/v1: one APIBlueprint, bearer-token (or session) authentication, declared schemas.

Every endpoint declares its request and response models (pydantic); flask-openapi3 validates the input
and builds /api/v1/openapi.json from the same models. Role rules come from app.authz, attached to the
endpoint with @allow(rule) and checked before the body is read.
"""
from __future__ import annotations

from typing import Callable

from flask import current_app, redirect, request, url_for
from flask_login import current_user
from flask_openapi3 import APIBlueprint, OpenAPI

from app.errors import Forbidden, ServiceError
from app.extensions import csrf

api = APIBlueprint("api", __name__, url_prefix="/api/v1", abp_security=[{"bearer": []}])

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def allow(rule: Callable) -> Callable:
    """Attach a role rule from app.authz (a predicate of the user) to an endpoint."""

    def mark(view: Callable) -> Callable:
        view._authz = rule
        return view

    return mark


def public(view: Callable) -> Callable:
    """Mark an endpoint that needs no authentication (the health check)."""
    view._public = True
    return view


class Unauthorized(ServiceError):
    """No valid token or session (401)."""

    status = 401
    code = "unauthorized"


@api.before_request
def authenticate_and_authorize():
    """401 without a valid token or session, CSRF for session writes, 403 when the endpoint's rule refuses."""
    from flask_babel import gettext as _

    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "_public", False):
        return None
    if not current_user.is_authenticated:
        if request.headers.get("Authorization"):
            raise Unauthorized(_("Bearer token ไม่ถูกต้อง หมดอายุ หรือถูกยกเลิก"))
        raise Unauthorized(_("ต้องเข้าสู่ระบบหรือส่ง Authorization: Bearer <token>"))
    if request.method not in SAFE_METHODS and not request.headers.get("Authorization"):
        csrf.protect()  # a browser session writing through the API must prove it is our page
    rule = getattr(view, "_authz", None)
    if rule is not None and not rule(current_user):
        raise Forbidden(_("คุณไม่มีสิทธิ์ทำรายการนี้"))
    if (request.method in ("POST", "PUT", "PATCH") and request.content_length and not request.is_json
            and request.mimetype != "multipart/form-data"):
        raise ServiceError(_("ต้องส่งข้อมูลเป็น JSON (Content-Type: application/json)"), code="unsupported_media_type")
    if request.is_json and request.content_length and request.get_json(silent=True) is None:
        raise ServiceError(_("JSON ไม่ถูกต้อง"), code="malformed_json")
    return None


def register_api(app: OpenAPI) -> None:
    """Import every API module (they add routes to `api`) and register the blueprint."""
    from app.api import agenda, core, meetings, minutes, reports, search  # noqa: F401

    csrf.exempt(api)
    app.register_api(api)

    @app.get("/api/v1/docs", doc_ui=False)
    def api_docs():
        """Browsable API documentation (Swagger UI, served locally)."""
        return redirect(url_for("swagger.swagger"))
