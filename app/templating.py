"""Jinja helpers: Thai/English date filters, permission predicates, the current language."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, url_for
from markupsafe import Markup, escape
from flask_babel import get_locale
from flask_login import current_user

from app import authz, datefields, i18n, labels, richtext, thaidates

NAVIGATION = (
    # (endpoint, label, may the user see it?)
    ("bodies.index", labels._l("คณะกรรมการ/คณะทำงาน"), authz.can_view_body_list),
    ("meetings.index", labels._l("การประชุม"), authz.is_signed_in),
    ("actions.index", labels._l("การติดตามมติ"), authz.is_signed_in),
    ("reports.my_reports", labels._l("รายงานของหน่วยงาน"), authz.files_reports),
    ("reports.review_queue", labels._l("ตรวจรายงาน"), authz.can_review_reports),
    ("plans.index", labels._l("แผนและรอบการรายงาน"), authz.can_manage_plans),
    ("plans.assessment", labels._l("ผลการประเมินส่วนราชการ"), authz.is_signed_in),
    ("reports.dashboard", labels._l("ภาพรวมความก้าวหน้า"), authz.can_view_dashboard),
    ("search.search", labels._l("ค้นหา"), authz.is_signed_in),
)
NAVIGATION_MENUS = (
    # (label, endpoints): entries grouped so that the navbar stays on one line at 1366 px; others stand alone
    (labels._l("การประชุม"), ("meetings.index", "bodies.index", "actions.index")),
    (labels._l("รายงานผล"), ("reports.my_reports", "reports.review_queue", "reports.dashboard", "plans.index",
                            "plans.assessment")),
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


def unit_name(unit, short: bool = False) -> Markup:
    """A unit by its name (short name when `short`), its full name and code in a tooltip."""
    if unit is None:
        return Markup("")
    text = (unit.short_name or unit.name) if short else unit.name
    tooltip = f"{unit.name} ({unit.code})" if short else unit.code
    return Markup(f'<span class="unit-name" title="{escape(tooltip)}">{escape(text)}</span>')


def nav_items(app: Flask) -> list[dict]:
    """Navigation entries of the areas that exist, for the signed-in user."""
    return [
        {"url": url_for(endpoint), "label": text, "endpoint": endpoint}
        for endpoint, text, visible in NAVIGATION
        if endpoint in app.view_functions and visible(current_user)
    ]


def nav_menus(app: Flask) -> list[dict]:
    """The navbar's entries in NAVIGATION_MENUS' menus ({"label", "entries"}), in order of their first entry;
    a menu the user sees one entry of, and an entry of no menu, is a plain link ({"label", "url", "endpoint"})."""
    menu_of = {endpoint: label for label, endpoints in NAVIGATION_MENUS for endpoint in endpoints}
    entries: list[dict] = []
    menus: dict[str, dict] = {}
    for item in nav_items(app):
        label = menu_of.get(item["endpoint"])
        if label is None:
            entries.append(item)
        elif str(label) in menus:
            menus[str(label)]["entries"].append(item)
        else:
            menus[str(label)] = {"label": label, "entries": [item]}
            entries.append(menus[str(label)])
    return [entry["entries"][0] if len(entry.get("entries", ())) == 1 else entry for entry in entries]


def init_templating(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters.update(
        thaidate=format_date, thaidatetime=format_datetime, thaitime=format_time, richtext=richtext.as_markup,
        richtext_plain=richtext.plain_text, typed_date=datefields.shown_date, typed_time=datefields.shown_time,
        label=lambda code, table: labels.label(table, code), unit_name=unit_name,
        audit_action=labels.audit_action_label, object_type=labels.object_type_label,
    )
    app.jinja_env.globals.update(
        authz=authz, current_locale=_locale, fiscal_year_of=thaidates.fiscal_year_of, labels=labels,
        role_label=lambda code: labels.label(labels.ROLE_LABELS, code),
        position_label=lambda code: labels.label(labels.POSITION_LABELS, code),
        rsvp_label=lambda code: labels.label(labels.RSVP_LABELS, code),
        nav_items=lambda: nav_items(app),
        nav_menus=lambda: nav_menus(app),
        language_switch_url=i18n.switch_url,
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        thai_date_range=thaidates.thai_date_range,
    )

    @app.context_processor
    def inject_user_helpers() -> dict:
        return {"user": current_user}
