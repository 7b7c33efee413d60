"""Flask-Login wiring: loading the session user, and what an anonymous request gets."""
from __future__ import annotations

from flask import Flask, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    """Register the user loader and the login redirect."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("กรุณาเข้าสู่ระบบก่อนใช้งาน")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        from app.auth.models import User

        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            from app.api.errors import error_body

            return jsonify(error_body("unauthorized", str(_l("ต้องเข้าสู่ระบบหรือส่ง Bearer token")))), 401
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


@login_manager.request_loader
def load_user_from_bearer(req):
    """Authorization: Bearer <token> signs the request in without a session."""
    header = req.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    from app.auth.services import user_for_token

    return user_for_token(token.strip())
