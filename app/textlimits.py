"""Every text field's maximum length and what characters it may hold: one declaration for all layers.

Models size their columns from these names (String(TITLE)), services check with check_text and raise
Invalid with the field, WTForms use app.forms_text.TextRule, and the API's pydantic types come from
app.api.schemas (OneLine, Text, LongText). Pure: no Flask; messages are Thai (the source language),
translated by the caller's gettext when one is passed.

Limits are in characters (Python str length, i.e. code points).
"""
from __future__ import annotations

import re
from typing import Callable

# One-line fields (no CR/LF)
TITLE = 500  # meeting, agenda item, plan, theme, sub-item, search entry titles
VENUE = 500  # ณ ห้องประชุม …
URL = 1_000  # online meeting and stream links, attachment links
NAME = 200  # a person's name as printed (user, attendee, delegate, presenter, recorder, checker)
POSITION = 300  # ตำแหน่ง as printed in the minutes
REASON = 300  # why someone is absent (ติดราชการ …)
DOCUMENT_PREFIX = 40  # รหัสตัวพยัญชนะและเลขประจำของส่วนราชการ on letters, e.g. ศธ 0201.4
ADDRESS = 500  # a government office's postal address on its letters
PHONE = 60  # telephone numbers as printed on letters
INVITATION_NUMBER = 80  # ศธ 0201.4/ว 123
EMAIL = 254
UNIT_CODE = 20
BODY_NAME = 500  # a committee's or working group's full name as in its order of appointment
BODY_SHORT_NAME = 200
UNIT_NAME = 300
SHORT_NAME = 100  # a unit's short name, a token's label
TARGET_UNIT = 50  # unit of measure: ร้อยละ, ระบบ, แห่ง …
KIND = 20  # a short code chosen from a list (an agenda item's kind)
QUERY = 200  # search words
ATTACHMENT_TITLE = 300  # file name as uploaded, or a link's label

# Multi-line texts (CR/LF allowed)
NOTE = 2_000  # short notes: an RSVP note, why a meeting is postponed or cancelled
LONG_TEXT = 100_000  # notes, agenda details, discussions, resolutions, report texts, comments


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


TOO_LONG = N_("ยาวเกิน %(n)d ตัวอักษร")
LINE_BREAK = N_("ต้องเป็นข้อความบรรทัดเดียว (ขึ้นบรรทัดใหม่ไม่ได้)")
BAD_CHARACTER = N_("มีอักขระที่ใช้ไม่ได้ (อักขระควบคุม อักขระ NUL หรือรหัสอักขระไม่สมบูรณ์)")

# C0 and C1 control characters except TAB, LF and CR; DEL; lone UTF-16 surrogates; U+FFFE/U+FFFF
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# what ends a line: CR, LF and the Unicode line and paragraph separators
_LINE_BREAK = re.compile("[\r\n\u2028\u2029]")


def _identity(message: str) -> str:
    return message


def check_text(value: str | None, limit: int, *, one_line: bool = False,
               gettext: Callable[[str], str] = _identity) -> str | None:
    """What is wrong with a text, as a (Thai) message, or None when it is acceptable.

    Too long (more than `limit` characters), a control character (NUL, ESC …, but TAB, and in
    multi-line texts CR and LF, are fine), a lone surrogate, or a line break in a one-line field.
    Linear in the length of the text. None and "" are acceptable (requiredness is the caller's rule).
    """
    if not value:
        return None
    if len(value) > limit:
        return gettext(TOO_LONG) % {"n": limit}
    if _BAD.search(value):
        return gettext(BAD_CHARACTER)
    if one_line and _LINE_BREAK.search(value):
        return gettext(LINE_BREAK)
    return None


def check_texts(values: dict[str, tuple[str | None, int, bool]],
                gettext: Callable[[str], str] = _identity) -> dict[str, str]:
    """Check several fields at once: {field: (value, limit, one_line)} -> {field: message} for the bad ones."""
    problems = {}
    for field, (value, limit, one_line) in values.items():
        problem = check_text(value, limit, one_line=one_line, gettext=gettext)
        if problem:
            problems[field] = problem
    return problems
