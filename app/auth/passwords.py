"""What makes a password unacceptable (pure: no Flask, no database; the Thai messages are the service's).

A password is refused when it is shorter than MIN_LENGTH characters, when it is a common password
(common_passwords.txt; compared lower-case, also with trailing digits and punctuation taken off, so
"Password2024!" counts as "password"), when it is one character repeated, or when it contains the
user's e-mail address (its local part) or a word of their name.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
# Parts of an e-mail's local part or of a name shorter than this are too common to refuse.
MIN_PERSONAL_PART = 4

TOO_SHORT = "too_short"
COMMON = "common"
CONTAINS_EMAIL = "contains_email"
CONTAINS_NAME = "contains_name"

_TRAILING = string.digits + string.punctuation + " "


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The built-in list of common passwords, lower-case."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """A listed password, with or without trailing digits and punctuation, or one character repeated."""
    lowered = password.lower()
    base = lowered.rstrip(_TRAILING)
    listed = common_passwords()
    return lowered in listed or (base and base in listed) or len(set(lowered)) <= 1


def personal_parts(text: str | None) -> list[str]:
    """The words of a name or of an e-mail's local part long enough to count (lower-case)."""
    words = re.split(r"[\s._+\-@]+", (text or "").lower())
    return [word for word in words if len(word) >= MIN_PERSONAL_PART]


def password_problem(password: str | None, *, email: str | None = None, name: str | None = None,
                     min_length: int = MIN_LENGTH) -> str | None:
    """Why the password is unacceptable (TOO_SHORT, COMMON, CONTAINS_EMAIL, CONTAINS_NAME), or None."""
    if not password or len(password) < min_length:
        return TOO_SHORT
    if is_common(password):
        return COMMON
    lowered = password.lower()
    local_part = (email or "").lower().partition("@")[0]
    if len(local_part) >= MIN_PERSONAL_PART and local_part in lowered:
        return CONTAINS_EMAIL
    if any(part in lowered for part in personal_parts(local_part)):
        return CONTAINS_EMAIL
    if any(part in lowered for part in personal_parts(name)):
        return CONTAINS_NAME
    return None
