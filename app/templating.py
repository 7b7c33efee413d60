"""Jinja helpers: Thai/English date filters, permission predicates, the current language."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, url_for
from flask_babel import get_locale
from flask_login import current_user

from app import authz, labels, thaidates

NAVIGATION = (
    # (endpoint, label, may the user see it?)
    ("bodies.index", labels._l("คณะกรรมการ/คณะทำงาน"), authz.can_view_body_list),
    ("meetings.index", labels._l("การประชุม"), authz.is_signed_in),
    ("reports.my_reports", labels._l("รายงานของหน่วยงาน"), authz.files_reports),
    ("reports.review_queue", labels._l("ตรวจรายงาน"), authz.can_review_reports),
    ("plans.index", labels._l("แผนและรอบการรายงาน"), authz.can_manage_plans),
    ("plans.assessment", labels._l("ผลการประเมินส่วนราชการ"), authz.is_signed_in),
    ("reports.dashboard", labels._l("ภาพรวมความก้าวหน้า"), authz.can_view_dashboard),
    ("search.search", labels._l("ค้นหา"), authz.is_signed_in),
)


def _locale() -> str:
    return str(get_locale() or "th")


def format_date(value: date | datetime | None, style: str = "short") -> str:
    """A date in the UI language: 26 มิ.ย. 2563 (BE) or 26 Jun 2020."""
    if value is None:
        return ""
    if _locale() == "en":
        return thaidates.english_date(value)
    return thaidates.thai_date(value, style)


def format_datetime(value: datetime | None, style: str = "short") -> str:
    """A date and time in Bangkok time: 26 มิ.ย. 2563 09.30 น. or 26 Jun 2020 09:30."""
    if value is None:
        return ""
    if _locale() == "en":
        return thaidates.english_datetime(value)
    return thaidates.thai_datetime(value, style)


def format_time(value: datetime | None) -> str:
    """Time of day in Bangkok: 09.30 น."""
    if value is None:
        return ""
    if _locale() == "en":
        return thaidates.to_bangkok(value).strftime("%H:%M")
    return thaidates.thai_time(value)


def nav_items(app: Flask) -> list[dict]:
    """Navigation entries of the areas that exist, for the signed-in user."""
    return [
        {"url": url_for(endpoint), "label": text}
        for endpoint, text, visible in NAVIGATION
        if endpoint in app.view_functions and visible(current_user)
    ]


def init_templating(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters.update(
        thaidate=format_date, thaidatetime=format_datetime, thaitime=format_time,
    )
    app.jinja_env.globals.update(
        authz=authz, current_locale=_locale, fiscal_year_of=thaidates.fiscal_year_of, labels=labels,
        role_label=lambda code: labels.label(labels.ROLE_LABELS, code),
        position_label=lambda code: labels.label(labels.POSITION_LABELS, code),
        rsvp_label=lambda code: labels.label(labels.RSVP_LABELS, code),
        nav_items=lambda: nav_items(app),
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        thai_date_range=thaidates.thai_date_range,
    )

    @app.context_processor
    def inject_user_helpers() -> dict:
        return {"user": current_user}
