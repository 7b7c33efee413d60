"""Language choice: ?lang= (remembered in the session), the user's preference, the browser, then Thai."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """The UI language of this request (th default, en second)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or "th"
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Every date is shown in Bangkok time."""
    return "Asia/Bangkok"
