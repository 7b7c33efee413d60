"""A plan to and from its spreadsheet (app.reports.sheets): the glue between the sheet and the plan services.

Importing goes through save_plan, save_theme and save_sub_item, so it is validated and audited like
a plan typed in by hand; it is all-or-nothing.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.bodies.models import Unit
from app.errors import Invalid, ServiceError
from app.extensions import db
from app.reports import services
from app.reports.models import Plan, Theme
from app.reports.sheets import PlanRow, PlanSheet, SheetError, plan_from_xlsx


def plan_sheet(plan: Plan) -> PlanSheet:
    """The plan as the spreadsheet holds it: one row per sub-item, its theme repeated."""
    rows = tuple(
        PlanRow(
            theme_number=theme.number, theme_title=theme.title, theme_weight=theme.weight,
            sub_item_number=sub_item.number, sub_item_title=sub_item.title, outputs=sub_item.outputs,
            target=sub_item.target, target_value=sub_item.target_value, target_unit=sub_item.target_unit,
            weight=sub_item.weight, unit_codes=tuple(unit.code for unit in sub_item.units),
        )
        for theme in plan.themes
        for sub_item in theme.sub_items
    )
    return PlanSheet(title=plan.title, start_year_be=plan.start_year_be, end_year_be=plan.end_year_be, rows=rows)


def _unit_ids_by_code(sheet: PlanSheet) -> dict[str, int]:
    """Unit ids of every code the sheet names; Invalid naming the codes that match no unit."""
    codes = sorted({code.upper() for row in sheet.rows for code in row.unit_codes})
    found = {code.upper(): unit_id for code, unit_id in
             db.session.execute(select(Unit.code, Unit.id).where(func.upper(Unit.code).in_(codes or [""])))}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise Invalid(_("ไม่พบรหัสหน่วยงาน"),
                      {"file": _("ไม่พบหน่วยงานรหัส %(codes)s", codes=", ".join(unknown))})
    return found


def _where(label: str, error: ServiceError) -> str:
    """A refused theme or sub-item's messages, prefixed with where it is in the sheet."""
    messages = "; ".join(error.fields.values()) if error.fields else error.message
    return f"{label}: {messages}"


def import_plan(data: bytes, owner_body_id, user) -> Plan:
    """Create a plan, its themes and sub-items from an .xlsx file; Invalid (field "file") listing every problem."""
    try:
        sheet = plan_from_xlsx(data)
    except SheetError as error:
        raise Invalid(_("ไฟล์แผนไม่ถูกต้อง"), {"file": "\n".join(error.problems)}) from None
    unit_ids = _unit_ids_by_code(sheet)
    with db.session.begin_nested():  # nothing of the plan stays when any part is refused
        plan = services.save_plan(None, {"title": sheet.title, "start_year_be": sheet.start_year_be,
                                         "end_year_be": sheet.end_year_be, "owner_body_id": owner_body_id}, user)
        problems: list[str] = []
        themes: dict[int, Theme | None] = {}  # None: refused (its problem is listed once)
        for row in sheet.rows:
            if row.theme_number not in themes:
                try:
                    themes[row.theme_number] = services.save_theme(
                        plan, None, {"number": row.theme_number, "title": row.theme_title,
                                     "weight": row.theme_weight}, user)
                except Invalid as error:
                    themes[row.theme_number] = None
                    problems.append(_where(_("ประเด็นหลัก %(n)d", n=row.theme_number), error))
            theme = themes[row.theme_number]
            if theme is None:
                continue
            try:
                services.save_sub_item(theme, None, {
                    "number": row.sub_item_number, "title": row.sub_item_title, "outputs": row.outputs,
                    "target": row.target, "target_value": row.target_value, "target_unit": row.target_unit,
                    "weight": row.weight, "unit_ids": [unit_ids[code.upper()] for code in row.unit_codes],
                }, user)
            except Invalid as error:
                problems.append(_where(_("ประเด็นย่อย %(t)d.%(n)d", t=row.theme_number, n=row.sub_item_number),
                                       error))
        if problems:
            raise Invalid(_("ไฟล์แผนไม่ถูกต้อง"), {"file": "\n".join(problems)})
    return plan
