"""Language choice: ?lang= (remembered in the session), the user's preference, the browser, then Thai.

The navbar's switch goes through /language/<lang>?next=<path and query>, which remembers the choice and
returns to the same page with its query (same site only); static/js/keep-form.js keeps what was typed.
Official documents (minutes, agenda, invitation letter, round report, workbooks) are made in Thai whatever the
UI language: their producers are wrapped in `thai_document`.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, abort, current_app, has_request_context, redirect, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user

bp = Blueprint("i18n", __name__)


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


def without_lang(target: str) -> str:
    """A same-site path and query with any lang= parameter removed (it would override the new choice)."""
    parts = urlsplit(target)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"])
    return urlunsplit(("", "", parts.path, query, ""))


def switch_url(lang: str) -> str:
    """The link that switches to `lang` and comes back to this page, its query kept."""
    query = request.query_string.decode("latin-1")
    here = request.script_root + request.path + (f"?{query}" if query else "")
    return url_for("i18n.switch", lang=lang, next=without_lang(here))


@bp.route("/language/<lang>")
def switch(lang: str):
    """Remember the chosen language and return to the page it was chosen on (never to another site)."""
    from app.auth.routes import safe_next

    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    target = safe_next(request.args.get("next"))
    return redirect(without_lang(target) if target else url_for("main.home"), code=303)


def thai_document(producer):
    """Run an official document's producer in Thai: official documents, and the names and titles they are filed
    under, are always Thai whatever the reader's UI language (labels looked up by gettext included)."""

    @wraps(producer)
    def thai(*args, **kwargs):
        with force_locale("th"):
            return producer(*args, **kwargs)

    return thai
