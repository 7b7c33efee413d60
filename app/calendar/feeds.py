"""Personal calendar feed secrets: derived from SECRET_KEY, the user's id and a per-user nonce, never stored.

The secret is "<user id>-<HMAC>", so a feed request finds its user by id and checks the HMAC in constant
time: showing the URL (on /profile, in GET /api/v1/me) writes nothing. Regenerating changes the nonce (the
old URL stops working); revoking marks the nonce revoked, so the feed stays off, for other sessions and
API clients too, until the user regenerates it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app, url_for

from app.audit.services import record
from app.auth.models import User
from app.extensions import db
from app.links import absolute_url

# Nonce of a feed the user turned off; None is the user's first feed, which needs no stored nonce.
REVOKED = "revoked"
FIRST = "first"


def _derive(user: User) -> str:
    """The user's current feed secret."""
    key = current_app.config["SECRET_KEY"].encode()
    nonce = user.calendar_feed_nonce or FIRST
    digest = hmac.new(key, f"calendar-feed:{user.id}:{nonce}".encode(), hashlib.sha256).digest()
    return f"{user.id}-" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def regenerate_feed(user: User) -> str:
    """Give the user a new feed secret; the previous feed URL stops working."""
    user.calendar_feed_nonce = secrets.token_hex(16)
    record("calendar_feed.regenerate", user, user.email)
    return _derive(user)


def revoke_feed(user: User) -> None:
    """Turn the user's feed off (until the user regenerates it)."""
    user.calendar_feed_nonce = REVOKED
    record("calendar_feed.revoke", user, user.email)


def feed_secret(user: User) -> str | None:
    """The user's feed secret (None when revoked)."""
    if user.calendar_feed_nonce == REVOKED:
        return None
    return _derive(user)


def feed_url_for(user: User, *, external: bool = False) -> str | None:
    """The personal feed's URL (a path, or absolute with external=True); None when revoked."""
    secret = feed_secret(user)
    if secret is None:
        return None
    if external:
        return absolute_url("calendar.personal_feed", secret=secret)
    return url_for("calendar.personal_feed", secret=secret)


def body_feed_url_for(user: User, body, *, external: bool = False) -> str | None:
    """The URL of one body's feed for this user (who may read the body); None when their feed is off."""
    secret = feed_secret(user)
    if secret is None:
        return None
    if external:
        return absolute_url("calendar.body_feed", secret=secret, body_id=body.id)
    return url_for("calendar.body_feed", secret=secret, body_id=body.id)


def webcal_url(https_url: str) -> str:
    """The webcal:// form of a feed URL, which calendar apps open as a subscription."""
    return "webcal://" + https_url.split("://", 1)[-1]


def user_for_feed_secret(secret: str) -> User | None:
    """The active user whose current feed secret this is, or None."""
    user_id, dash, _mac = secret.partition("-")
    if not dash or not user_id.isdigit() or len(user_id) > 10:
        return None
    user = db.session.get(User, int(user_id)) if int(user_id) < 2**31 else None
    if user is None or not user.is_active:
        return None
    expected = feed_secret(user)
    return user if expected is not None and hmac.compare_digest(expected, secret) else None
