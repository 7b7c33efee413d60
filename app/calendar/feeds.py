"""Personal calendar feed secrets: derived from SECRET_KEY and a per-user nonce, stored only as a hash.

The URL can be shown again at any time (it is recomputed), regenerating it changes the nonce (the old
URL stops working), and revoking it clears the hash and marks the nonce revoked (the feed stays off,
even for other sessions and API clients, until the user regenerates it).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app, url_for
from sqlalchemy import select

from app.audit.services import record
from app.auth.models import User, hash_secret
from app.extensions import db


def _derive(user: User) -> str:
    """The user's current feed secret (requires a nonce)."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{user.id}:{user.calendar_feed_nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def regenerate_feed(user: User) -> str:
    """Give the user a new feed secret; the previous feed URL stops working."""
    user.calendar_feed_nonce = secrets.token_hex(16)
    secret = _derive(user)
    user.calendar_feed_hash = hash_secret(secret)
    record("calendar_feed.regenerate", user, user.email)
    return secret


# Nonce of a feed the user turned off: unlike None (never created), it is not re-created on first use,
# so a revoked feed stays off in other sessions and for API clients until the user regenerates it.
REVOKED = "revoked"


def revoke_feed(user: User) -> None:
    """Turn the user's feed off (until the user regenerates it)."""
    user.calendar_feed_nonce = REVOKED
    user.calendar_feed_hash = None
    record("calendar_feed.revoke", user, user.email)


def feed_secret(user: User, *, create: bool = True) -> str | None:
    """The user's feed secret, created on first use if `create` (None when revoked or not created)."""
    if user.calendar_feed_nonce == REVOKED:
        return None
    if user.calendar_feed_nonce is None:
        return regenerate_feed(user) if create else None
    return _derive(user)


def feed_url_for(user: User, *, external: bool = False, create: bool = True) -> str | None:
    """The personal feed's URL (a path, or absolute with external=True)."""
    secret = feed_secret(user, create=create)
    if secret is None:
        return None
    path = url_for("calendar.personal_feed", secret=secret)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path if external else path


def webcal_url(https_url: str) -> str:
    """The webcal:// form of a feed URL, which calendar apps open as a subscription."""
    return "webcal://" + https_url.split("://", 1)[-1]


def user_for_feed_secret(secret: str) -> User | None:
    """The active user whose feed secret this is, or None."""
    user = db.session.scalar(select(User).where(User.calendar_feed_hash == hash_secret(secret)))
    return user if user is not None and user.is_active else None
