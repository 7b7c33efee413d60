"""Flask-Login wiring: loading the session user, and what an anonymous request gets."""
from __future__ import annotations

from flask import Flask, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from app.extensions import login_manager


def init_login(app: Flask) -> None:
    """Register the user loader and the login redirect."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("กรุณาเข้าสู่ระบบก่อนใช้งาน")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(login_key: str):
        """The session and remember-me cookies carry a sign-in's key (auth.services.sign_in), not a user id.
        A request that sends a bearer token is judged by the token alone, whatever cookies it also has."""
        from app.auth.services import user_for_login_key

        if bearer_token(request) is not None:
            return load_user_from_bearer(request)
        return user_for_login_key(login_key)

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            from app.api.errors import error_body

            return jsonify(error_body("unauthorized", str(_l("ต้องเข้าสู่ระบบหรือส่ง Bearer token")))), 401
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def bearer_token(req) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _sep, token = req.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


@login_manager.request_loader
def load_user_from_bearer(req):
    """Authorization: Bearer <token> signs the request in without a session."""
    token = bearer_token(req)
    if token is None:
        return None
    from app.auth.services import user_for_token

    user = user_for_token(token)
    g.signed_in_by_token = user is not None
    return user


def signed_in_by_token() -> bool:
    """True when a valid bearer token, not the session cookie, authenticated this request."""
    return bool(g.get("signed_in_by_token"))


def anonymous_for_this_request() -> None:
    """Treat the rest of this request as anonymous, without loading anyone or touching the session."""
    login_manager._update_request_context_with_user()  # Flask-Login's own way of setting current_user
