"""Absolute links (e-mails, calendar feeds, iCalendar URLs) that point where the app is served.

PUBLIC_BASE_URL (PRACHUM_PUBLIC_URL) wins when it is set, and production refuses to start without it.
When it is not set, a link made during a request uses the host and scheme of that request, so an app
served on another port or host hands out links that work there; a link made outside a request (the CLI,
reminders) falls back to the development server's address.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, URLSafeSerializer

DEVELOPMENT_URL = "http://127.0.0.1:5000"  # where `python3 dev.py serve` listens


def absolute_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint: under PUBLIC_BASE_URL, else under the current request's host."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if not configured and has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit((configured or DEVELOPMENT_URL).rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def signed_token(salt: str, payload: dict) -> str:
    """A one-click link's token: the payload signed with SECRET_KEY under `salt` (one salt per kind of link, so
    a token of one kind never passes for another); nothing is stored."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt).dumps(payload)


def read_signed_token(salt: str, token: str) -> dict | None:
    """The payload of a token signed under `salt`; None when forged, altered or not a mapping."""
    try:
        payload = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt).loads(token)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None
