"""Parsers for form and JSON values shared by the plan, report and assessment services.

Each reads one field of a raw mapping, returns the clean value (None when empty or wrong) and puts a
Thai message for that field into `errors`, so a service can report every bad field at once.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from flask_babel import gettext as _

from app import textlimits

TEXT_MAX = textlimits.LONG_TEXT


def text_field(raw: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool = False,
               limit: int = TEXT_MAX, one_line: bool = False) -> str | None:
    """A stripped text field (None when empty); a message in `errors` when required and empty, too long, or
    with characters app.textlimits refuses (control characters; line breaks when `one_line`)."""
    value = raw.get(name)
    value = str(value).strip() if value is not None else ""
    if not value:
        if required:
            errors[name] = _("กรุณากรอกข้อมูลนี้")
        return None
    if problem := textlimits.check_text(value, limit, one_line=one_line, gettext=_):
        errors[name] = problem
    return value


def whole_number(raw: Mapping[str, Any], name: str, errors: dict[str, str], *, low: int, high: int,
                 required: bool = True, message: str | None = None) -> int | None:
    """A whole number between low and high."""
    value = raw.get(name)
    if value is None or str(value).strip() == "":
        if required:
            errors[name] = _("กรุณากรอกข้อมูลนี้")
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or re.fullmatch(r"-?\d+", str(value).strip())):
        errors[name] = _("ต้องเป็นจำนวนเต็ม")
        return None
    number = int(str(value).strip())
    if not low <= number <= high:
        errors[name] = message or _("ต้องอยู่ระหว่าง %(low)d ถึง %(high)d", low=low, high=high)
        return None
    return number


def decimal_number(raw: Mapping[str, Any], name: str, errors: dict[str, str], *, positive: bool = False,
                   required: bool = False, default: Decimal | None = None) -> Decimal | None:
    """A decimal number (None when empty); positive ones only when `positive`."""
    value = raw.get(name)
    if value is None or str(value).strip() == "":
        if required:
            errors[name] = _("กรุณากรอกข้อมูลนี้")
        return default
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors[name] = _("ต้องเป็นตัวเลข")
        return None
    if not number.is_finite() or isinstance(value, bool):
        errors[name] = _("ต้องเป็นตัวเลข")
        return None
    if positive and number <= 0:
        errors[name] = _("ต้องมากกว่า 0")
        return None
    if abs(number) >= Decimal("1e12"):
        errors[name] = _("ตัวเลขมากเกินไป")
        return None
    return number


def iso_date(raw: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool = True) -> date | None:
    """An ISO date (YYYY-MM-DD), or a date object."""
    value = raw.get(name)
    if isinstance(value, date):
        return value
    if value is None or str(value).strip() == "":
        if required:
            errors[name] = _("กรุณากรอกข้อมูลนี้")
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = _("วันที่ไม่ถูกต้อง (ปปปป-ดด-วว ค.ศ.)")
        return None
