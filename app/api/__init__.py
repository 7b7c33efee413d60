"""The JSON API under /api/v1: one APIBlueprint, bearer-token (or session) authentication, declared schemas.

Every endpoint declares its request and response models (pydantic); flask-openapi3 validates the input
and builds /api/v1/openapi.json from the same models. Role rules come from app.authz, attached to the
endpoint with @allow(rule) and checked before the body is read.
"""
from __future__ import annotations

import re
from typing import Callable

from flask import current_app, redirect, request, url_for
from flask_login import current_user
from flask_openapi3 import APIBlueprint, OpenAPI

from app.auth.loading import signed_in_by_token
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
    if request.method not in SAFE_METHODS and not signed_in_by_token():
        csrf.protect()  # a browser session writing through the API must prove it is our page
    rule = getattr(view, "_authz", None)
    if rule is not None and not rule(current_user):
        raise Forbidden(_("คุณไม่มีสิทธิ์ทำรายการนี้"))
    if (request.method in ("POST", "PUT", "PATCH") and request.content_length and not request.is_json
            and request.mimetype != "multipart/form-data"):
        raise ServiceError(_("ต้องส่งข้อมูลเป็น JSON (Content-Type: application/json)"), code="unsupported_media_type")
    if request.is_json and request.content_length:
        if json_too_deep(request.get_data(cache=True)):
            raise ServiceError(_("JSON ซ้อนกันลึกเกิน %(n)d ชั้น", n=MAX_JSON_DEPTH), code="malformed_json")
        if request.get_json(silent=True) is None:
            raise ServiceError(_("JSON ไม่ถูกต้อง"), code="malformed_json")
    return None


MAX_JSON_DEPTH = 32  # our bodies nest three levels; deeper ones are refused before parsing (400)
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects more than `limit` deep (strings skipped); linear in its length."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def register_api(app: OpenAPI) -> None:
    """Import every API module (they add routes to `api`) and register the blueprint."""
    from app.api import agenda, assessment, bodies, core, meetings, minutes, plans, reports, search, tokens  # noqa: F401
    from app.api import notifications  # noqa: F401
    from app.api import guests  # noqa: F401
    from app.api import calendar  # noqa: F401
    from app.api import actions  # noqa: F401
    from app.api import todo  # noqa: F401
    from app.api import jobs  # noqa: F401
    from app.api import exports  # noqa: F401
    from app.api import circulations  # noqa: F401
    from app.api import series  # noqa: F401
    from app.api import votes  # noqa: F401
    from app.api import evidence  # noqa: F401

    from app.api.idempotency import make_posts_idempotent

    csrf.exempt(api)
    app.register_api(api)
    make_posts_idempotent(app, api.name)  # Idempotency-Key on every POST

    @app.get("/api/v1/docs", doc_ui=False)
    def api_docs():
        """Browsable API documentation (Swagger UI, served locally)."""
        return redirect(url_for("swagger.swagger"))
