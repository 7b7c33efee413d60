"""Plans, reporting rounds and progress reports: validation, the review workflow, deadlines and reminders.

The web forms and the API call these functions; they flush, never commit. Every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, text, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import authz, textlimits, thaidates
from app.audit.services import pending_changes, record
from app.bodies.models import Body, Unit
from app.dbtypes import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.reports.models import (
    AWAITING_REVIEW_SQL,
    PROGRESS_STATUSES,
    ROUND_MONTHS,
    Plan,
    ProgressReport,
    ReportingRound,
    ReportVersion,
    RoundTally,
    SubItem,
    Theme,
    sub_item_units,
)
from app.reports.fields import TEXT_MAX, decimal_number, iso_date, text_field, whole_number
from app.richtext import sanitize_html
from app.rollup import RECEIVED_STATES, is_late

TITLE_MAX = textlimits.TITLE
UNIT_MAX = textlimits.TARGET_UNIT
YEAR_MIN, YEAR_MAX = 2400, 2700
REPORT_FIELDS = ("status", "percent", "achieved_value", "result", "obstacles", "suggestions")
EDITABLE_STATES = ("draft", "returned")
AWAITING_REVIEW = ("submitted", "resubmitted")


def _refuse(errors: dict[str, str], message: str) -> None:
    """Raise Invalid with every field message collected, if any."""
    if errors:
        raise Invalid(message, errors)


# --- plans ----------------------------------------------------------------------------------------

def list_plans() -> list[Plan]:
    """Every plan with its owner body, newest first."""
    return list(db.session.scalars(
        select(Plan).options(joinedload(Plan.owner_body)).order_by(Plan.end_year_be.desc(), Plan.id.desc())
    ))


def get_plan(plan_id: int, *, with_shape: bool = True, with_units: bool = True) -> Plan:
    """The plan with its themes, sub-items and responsible units loaded (three queries; with_units=False: without
    the units, which may number tens of thousands; with_shape=False: the plan row alone), or NotFound."""
    query = select(Plan).where(Plan.id == plan_id)
    if with_shape:
        sub_items = selectinload(Plan.themes).selectinload(Theme.sub_items)
        query = query.options(joinedload(Plan.owner_body),
                              sub_items.selectinload(SubItem.units) if with_units else sub_items)
    plan = db.session.scalar(query)
    if plan is None:
        raise NotFound(_("ไม่พบแผน"))
    return plan


def save_plan(plan: Plan | None, raw: Mapping[str, Any], user) -> Plan:
    """Create a plan or change its title, owner body, years and description."""
    errors: dict[str, str] = {}
    title = text_field(raw, "title", errors, required=True, limit=TITLE_MAX, one_line=True)
    start = whole_number(raw, "start_year_be", errors, low=YEAR_MIN, high=YEAR_MAX)
    end = whole_number(raw, "end_year_be", errors, low=YEAR_MIN, high=YEAR_MAX)
    description = text_field(raw, "description", errors)
    body_id = whole_number(raw, "owner_body_id", errors, low=1, high=2**31 - 1)
    if body_id is not None and db.session.get(Body, body_id) is None:
        errors["owner_body_id"] = _("ไม่พบคณะกรรมการ/คณะทำงาน")
    if start is not None and end is not None and end < start:
        errors["end_year_be"] = _("ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น")
    _refuse(errors, _("ข้อมูลแผนไม่ถูกต้อง"))
    creating = plan is None
    if creating:
        plan = Plan()
        db.session.add(plan)
    plan.title, plan.start_year_be, plan.end_year_be = title, start, end
    plan.description, plan.owner_body_id = description, body_id
    changes = pending_changes(plan)
    record("plan.create" if creating else "plan.update", plan, title, changes, user=user)
    return plan


def _next_number(numbers: Iterable[int]) -> int:
    return max(numbers, default=0) + 1


def save_theme(plan: Plan, theme: Theme | None, raw: Mapping[str, Any], user) -> Theme:
    """Add a theme (ประเด็นหลัก) to the plan or change one: number, title, weight."""
    errors: dict[str, str] = {}
    title = text_field(raw, "title", errors, required=True, limit=TITLE_MAX, one_line=True)
    number = whole_number(raw, "number", errors, low=1, high=999, required=False)
    weight = decimal_number(raw, "weight", errors, positive=True, default=Decimal(1))
    if number is None and "number" not in errors:
        number = theme.number if theme else _next_number(t.number for t in plan.themes)
    if number is not None and any(t.number == number and t is not theme for t in plan.themes):
        errors["number"] = _("ประเด็นหลักที่ %(n)d มีอยู่แล้ว", n=number)
    _refuse(errors, _("ข้อมูลประเด็นหลักไม่ถูกต้อง"))
    creating = theme is None
    if creating:
        theme = Theme(plan=plan)
        db.session.add(theme)
    theme.number, theme.title, theme.weight = number, title, weight
    record("theme.create" if creating else "theme.update", theme, f"{number} {title}", pending_changes(theme),
           user=user)
    return theme


def _reports_exist(condition) -> bool:
    return db.session.scalar(select(func.count()).select_from(ProgressReport).where(condition)) > 0


def delete_theme(theme: Theme, user) -> None:
    """Remove a theme without reports (its sub-items go with it); Conflict when reports were filed on it."""
    sub_ids = [s.id for s in theme.sub_items]
    if sub_ids and _reports_exist(ProgressReport.sub_item_id.in_(sub_ids)):
        raise Conflict(_("มีรายงานความก้าวหน้าในประเด็นหลักนี้แล้ว ลบไม่ได้"))
    record("theme.delete", theme, f"{theme.number} {theme.title}", user=user)
    db.session.delete(theme)
    db.session.flush()


def _unit_ids(raw: Mapping[str, Any], errors: dict[str, str]) -> list[int]:
    """Responsible unit ids (at least one, each an existing unit), from `unit_ids` or else `unit_codes`."""
    if raw.get("unit_ids") is None and raw.get("unit_codes") is not None:
        return _unit_ids_of_codes(raw["unit_codes"], errors)
    values = raw.get("unit_ids") or []
    try:
        ids = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        errors["unit_ids"] = _("หน่วยงานไม่ถูกต้อง")
        return []
    if not ids:
        errors["unit_ids"] = _("ต้องมีหน่วยงานรับผิดชอบอย่างน้อย 1 หน่วยงาน")
        return []
    found = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(ids))))
    if found != set(ids):
        errors["unit_ids"] = _("ไม่พบหน่วยงานบางหน่วยงาน")
    return ids


def _unit_ids_of_codes(codes: Any, errors: dict[str, str]) -> list[int]:
    """The ids of units given by code (BPS, ICT …; case does not matter), at least one, each existing."""
    wanted = {str(code).strip().upper() for code in codes or [] if str(code).strip()}
    if not wanted:
        errors["unit_codes"] = _("ต้องมีหน่วยงานรับผิดชอบอย่างน้อย 1 หน่วยงาน")
        return []
    found = dict(db.session.execute(
        select(Unit.code, Unit.id).where(Unit.code.in_(sorted(wanted)))).tuples().all())
    unknown = sorted(wanted - set(found))
    if unknown:
        errors["unit_codes"] = _("ไม่พบหน่วยงานรหัส %(codes)s", codes=", ".join(unknown))
    return sorted(found.values())


def save_sub_item(theme: Theme, sub_item: SubItem | None, raw: Mapping[str, Any], user) -> SubItem:
    """Add a sub-item (ประเด็นย่อย) to a theme or change one: outputs, targets, weight, responsible units."""
    errors: dict[str, str] = {}
    title = text_field(raw, "title", errors, required=True, limit=TITLE_MAX, one_line=True)
    number = whole_number(raw, "number", errors, low=1, high=999, required=False)
    outputs = text_field(raw, "outputs", errors)
    target = text_field(raw, "target", errors)
    target_value = decimal_number(raw, "target_value", errors)
    target_unit = text_field(raw, "target_unit", errors, limit=UNIT_MAX, one_line=True)
    weight = decimal_number(raw, "weight", errors, positive=True, default=Decimal(1))
    unit_ids = _unit_ids(raw, errors)
    if number is None and "number" not in errors:
        number = sub_item.number if sub_item else _next_number(s.number for s in theme.sub_items)
    if number is not None and any(s.number == number and s is not sub_item for s in theme.sub_items):
        errors["number"] = _("ประเด็นย่อยที่ %(t)d.%(n)d มีอยู่แล้ว", t=theme.number, n=number)
    _refuse(errors, _("ข้อมูลประเด็นย่อยไม่ถูกต้อง"))
    creating = sub_item is None
    if creating:
        sub_item = SubItem(theme=theme)
        db.session.add(sub_item)
    before = sorted(u.id for u in sub_item.units) if not creating else []
    sub_item.number, sub_item.title, sub_item.outputs, sub_item.target = number, title, outputs, target
    sub_item.target_value, sub_item.target_unit, sub_item.weight = target_value, target_unit, weight
    sub_item.units = list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))))
    changes = pending_changes(sub_item)
    if before != unit_ids:
        changes["unit_ids"] = [before, unit_ids]
    record("sub_item.create" if creating else "sub_item.update", sub_item, f"{theme.number}.{number} {title}",
           changes, user=user)
    return sub_item


def delete_sub_item(sub_item: SubItem, user) -> None:
    """Remove a sub-item without reports; Conflict when reports were filed on it."""
    if _reports_exist(ProgressReport.sub_item_id == sub_item.id):
        raise Conflict(_("มีรายงานความก้าวหน้าในประเด็นย่อยนี้แล้ว ลบไม่ได้"))
    record("sub_item.delete", sub_item, f"{sub_item.code} {sub_item.title}", user=user)
    db.session.delete(sub_item)
    db.session.flush()


def responsible_units(sub_item_ids: Sequence[int], first: int) -> dict[int, tuple[int, list]]:
    """Per sub-item: how many units are responsible for it and the first `first` of them by code (code, name,
    short name), in two queries whatever the number of units."""
    if not sub_item_ids:
        return {}
    counts = responsible_unit_counts(sub_item_ids)
    branches = [select(branch) for branch in (
        select(sub_item_units.c.sub_item_id, Unit.id, Unit.code, Unit.name, Unit.short_name)
        .join(Unit, Unit.id == sub_item_units.c.unit_id).where(sub_item_units.c.sub_item_id == sub_id)
        .order_by(Unit.code).limit(first).subquery()
        for sub_id in sub_item_ids if counts.get(sub_id))]
    firsts: dict[int, list] = {}
    if branches:
        for row in db.session.execute(union_all(*branches) if len(branches) > 1 else branches[0]):
            firsts.setdefault(row.sub_item_id, []).append(row)
    return {sub_id: (counts.get(sub_id, 0), sorted(firsts.get(sub_id, []), key=lambda r: r.code))
            for sub_id in sub_item_ids}


def responsible_unit_counts(sub_item_ids: Sequence[int]) -> dict[int, int]:
    """How many units are responsible for each sub-item (absent: none): read from the kept figures of the plan's
    latest round (round_tallies.expected, kept whenever responsible units change), or counted when the plan has
    no round yet (29,000 schools × 20 indicators is 580,000 rows to count)."""
    latest = (select(RoundTally.round_id).where(RoundTally.sub_item_id.in_(sub_item_ids))
              .order_by(RoundTally.round_id.desc()).limit(1).scalar_subquery())
    kept = dict(db.session.execute(select(RoundTally.sub_item_id, RoundTally.expected).where(
        RoundTally.round_id == latest, RoundTally.sub_item_id.in_(sub_item_ids))).tuples().all())
    if kept:
        return {sub_id: n for sub_id, n in kept.items() if n}
    return dict(db.session.execute(
        select(sub_item_units.c.sub_item_id, func.count()).where(sub_item_units.c.sub_item_id.in_(sub_item_ids))
        .group_by(sub_item_units.c.sub_item_id)).tuples().all())


def responsible_units_query(sub_item_id: int, text: str = ""):
    """The select of a sub-item's responsible units by code, narrowed to codes or names containing `text`."""
    query = (select(Unit).join(sub_item_units, sub_item_units.c.unit_id == Unit.id)
             .where(sub_item_units.c.sub_item_id == sub_item_id).order_by(Unit.code))
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Unit.code.ilike(pattern, escape="\\"), Unit.name.ilike(pattern, escape="\\")))
    return query


def get_theme(theme_id: int) -> Theme:
    """The theme, or NotFound."""
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(_("ไม่พบประเด็นหลัก"))
    return theme


def get_sub_item(sub_item_id: int) -> SubItem:
    """The sub-item with its theme and units, or NotFound."""
    sub_item = db.session.scalar(select(SubItem).where(SubItem.id == sub_item_id)
                                 .options(joinedload(SubItem.theme), selectinload(SubItem.units)))
    if sub_item is None:
        raise NotFound(_("ไม่พบประเด็นย่อย"))
    return sub_item


# --- rounds ---------------------------------------------------------------------------------------

def get_round(round_id: int) -> ReportingRound:
    """The round with its plan, or NotFound."""
    round_ = db.session.scalar(select(ReportingRound).where(ReportingRound.id == round_id)
                               .options(joinedload(ReportingRound.plan)))
    if round_ is None:
        raise NotFound(_("ไม่พบรอบการรายงาน"))
    return round_


def list_rounds(plan_id: int | None = None) -> list[ReportingRound]:
    """Rounds (of one plan or all), latest period first."""
    query = select(ReportingRound).options(joinedload(ReportingRound.plan)).order_by(
        ReportingRound.period_end.desc(), ReportingRound.plan_id)
    if plan_id is not None:
        query = query.where(ReportingRound.plan_id == plan_id)
    return list(db.session.scalars(query))


def open_round(raw: Mapping[str, Any], user) -> ReportingRound:
    """Open a round for a plan, fiscal year (BE) and 3/6/9/12 months; its period is computed; 409 if it exists."""
    errors: dict[str, str] = {}
    plan_id = whole_number(raw, "plan_id", errors, low=1, high=2**31 - 1)
    plan = db.session.get(Plan, plan_id) if plan_id is not None else None
    if plan_id is not None and plan is None:
        errors["plan_id"] = _("ไม่พบแผน")
    fy = whole_number(raw, "fiscal_year_be", errors, low=YEAR_MIN, high=YEAR_MAX)
    months = whole_number(raw, "months", errors, low=3, high=12)
    if months is not None and months not in ROUND_MONTHS:
        errors["months"] = _("รอบการรายงานต้องเป็น 3, 6, 9 หรือ 12 เดือน")
    due = iso_date(raw, "due_date", errors)
    if plan is not None and fy is not None and not plan.start_year_be <= fy <= plan.end_year_be:
        errors["fiscal_year_be"] = _("แผนนี้ครอบคลุมปีงบประมาณ พ.ศ. %(a)d–%(b)d", a=plan.start_year_be,
                                     b=plan.end_year_be)
    if not errors:
        start, end = thaidates.round_period(fy, months)
        if due < start:
            errors["due_date"] = _("วันครบกำหนดต้องไม่ก่อนวันเริ่มรอบ (%(d)s)", d=start.isoformat())
    _refuse(errors, _("ข้อมูลรอบการรายงานไม่ถูกต้อง"))
    exists = db.session.scalar(select(ReportingRound.id).where(
        ReportingRound.plan_id == plan.id, ReportingRound.fiscal_year_be == fy, ReportingRound.months == months))
    if exists:
        raise Conflict(_("มีรอบ %(m)d เดือน ปีงบประมาณ %(fy)d ของแผนนี้แล้ว", m=months, fy=fy),
                       {"months": _("รอบนี้มีอยู่แล้ว")})
    round_ = ReportingRound(plan=plan, fiscal_year_be=fy, months=months, period_start=start, period_end=end,
                            due_date=due, status="open")
    db.session.add(round_)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("มีรอบ %(m)d เดือน ปีงบประมาณ %(fy)d ของแผนนี้แล้ว", m=months, fy=fy),
                       {"months": _("รอบนี้มีอยู่แล้ว")}) from None
    record("round.open", round_, round_label(round_), user=user)
    from app.notify import notices

    notices.round_opened(round_)
    return round_


def round_label(round_: ReportingRound) -> str:
    """e.g. รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563."""
    return _("รอบ %(m)d เดือน ปีงบประมาณ พ.ศ. %(fy)d", m=round_.months, fy=round_.fiscal_year_be)


def update_round(round_: ReportingRound, raw: Mapping[str, Any], user) -> ReportingRound:
    """Change a round's due date or status (open/closed)."""
    errors: dict[str, str] = {}
    if "due_date" in raw:
        due = iso_date(raw, "due_date", errors)
        if due is not None and due < round_.period_start:
            errors["due_date"] = _("วันครบกำหนดต้องไม่ก่อนวันเริ่มรอบ (%(d)s)", d=round_.period_start.isoformat())
        elif due is not None:
            round_.due_date = due
    if "status" in raw:
        if raw["status"] not in ("open", "closed"):
            errors["status"] = _("สถานะรอบต้องเป็น open หรือ closed")
        else:
            round_.status = raw["status"]
    _refuse(errors, _("ข้อมูลรอบการรายงานไม่ถูกต้อง"))
    changes = pending_changes(round_)
    action = {"closed": "round.close", "open": "round.reopen"}.get(changes.get("status", [None, None])[1],
                                                                    "round.update")
    record(action, round_, round_label(round_), changes, user=user)
    return round_


def ensure_report_open(report: ProgressReport) -> None:
    """Conflict (409) for an accepted report or a report of a closed round: its fields and evidence are frozen."""
    if not authz.report_frozen(report):
        return
    if report.state == "accepted":
        raise Conflict(_("รายงานที่รับแล้วถูกล็อก แก้ไขไม่ได้"), code="locked")
    refuse_if_closed(report.round)


def refuse_if_closed(round_: ReportingRound) -> None:
    if round_.status != "open":
        raise Conflict(_("รอบการรายงานนี้ปิดแล้ว ไม่รับการเปลี่ยนแปลง"), {"round_id": _("รอบการรายงานปิดแล้ว")},
                       code="round_closed")


# --- reports --------------------------------------------------------------------------------------

def get_report(report_id: int) -> ProgressReport:
    """The report with its unit, sub-item and round, or NotFound."""
    report = db.session.scalar(select(ProgressReport).where(ProgressReport.id == report_id).options(
        joinedload(ProgressReport.unit), joinedload(ProgressReport.sub_item).joinedload(SubItem.theme),
        joinedload(ProgressReport.round)))
    if report is None:
        raise NotFound(_("ไม่พบรายงาน"))
    return report


def readable_report(user, report_id: int) -> ProgressReport:
    """The report if the user may read it; NotFound otherwise (its existence is not revealed)."""
    from app import access

    return access.load(ProgressReport, report_id, read=authz.can_view_report, user=user, missing=_("ไม่พบรายงาน"))


def validate_report_fields(raw: Mapping[str, Any], current: ProgressReport | None = None) -> dict[str, Any]:
    """Progress status, percent (0–100, completed means 100), achieved value and texts; Invalid by field."""
    errors: dict[str, str] = {}
    merged = {name: getattr(current, name) for name in REPORT_FIELDS} if current is not None else {}
    merged.update({k: v for k, v in raw.items() if k in REPORT_FIELDS})
    status = merged.get("status") or "not_started"
    if status not in PROGRESS_STATUSES:
        errors["status"] = _("สถานะความก้าวหน้าไม่ถูกต้อง")
    percent = whole_number(merged, "percent", errors, low=0, high=100, required=False,
                       message=_("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"))
    if percent is None and "percent" not in errors:
        percent = 100 if status == "completed" else 0
    if status == "completed" and percent is not None and percent != 100 and "percent" not in errors:
        errors["percent"] = _("สถานะดำเนินการแล้วเสร็จต้องมีความก้าวหน้าร้อยละ 100")
    achieved = decimal_number(merged, "achieved_value", errors)
    if achieved is not None and achieved < 0:
        errors["achieved_value"] = _("ต้องไม่ติดลบ")
    values = {"status": status, "percent": percent, "achieved_value": achieved,
              "result": sanitize_html(text_field(merged, "result", errors)),
              "obstacles": sanitize_html(text_field(merged, "obstacles", errors)),
              "suggestions": text_field(merged, "suggestions", errors)}
    _refuse(errors, _("ข้อมูลรายงานไม่ถูกต้อง"))
    return values


def report_content(report: ProgressReport) -> dict[str, Any]:
    """The report's fields as plain JSON values (stored in each version)."""
    return {"status": report.status, "percent": report.percent,
            "achieved_value": str(report.achieved_value) if report.achieved_value is not None else None,
            "result": report.result, "obstacles": report.obstacles, "suggestions": report.suggestions,
            "state": report.state, "review_comment": report.review_comment}


def _write_version(report: ProgressReport, user) -> None:
    """Store the report as it now is under its (new) version number."""
    db.session.flush()
    db.session.add(ReportVersion(report=report, version=report.version, content=report_content(report),
                                 saved_by_id=getattr(user, "id", None)))
    db.session.flush()


def check_report_version(report: ProgressReport, version: int | None) -> None:
    if version is None:
        raise Invalid(_("ต้องระบุ version ที่อ่านมา"), {"version": _("กรุณาระบุ version")})
    if not str(version).strip().isdigit():
        raise Invalid(_("version ไม่ถูกต้อง"), {"version": _("version ไม่ถูกต้อง กรุณาโหลดใหม่")})
    if int(version) != report.version:
        raise Conflict(_("รายงานถูกแก้ไขโดยผู้อื่นแล้ว (ฉบับที่ %(v)d) กรุณาโหลดใหม่", v=report.version),
                       {"version": _("ข้อมูลไม่เป็นปัจจุบัน")}, code="stale_version")


def _report_title(report: ProgressReport) -> str:
    return f"{report.unit.short_name or report.unit.name} {report.sub_item.code} {round_label(report.round)}"


def create_report(user, raw: Mapping[str, Any]) -> ProgressReport:
    """A reporter starts their own unit's report on a sub-item it is responsible for, in an open round (draft)."""
    if not authz.files_reports(user):
        raise Forbidden(_("เฉพาะผู้รายงานของหน่วยงานเท่านั้นที่ส่งรายงานได้"))
    errors: dict[str, str] = {}
    sub_item_id = whole_number(raw, "sub_item_id", errors, low=1, high=2**31 - 1)
    round_id = whole_number(raw, "round_id", errors, low=1, high=2**31 - 1)
    sub_item = db.session.get(SubItem, sub_item_id) if sub_item_id else None
    round_ = db.session.get(ReportingRound, round_id) if round_id else None
    if sub_item_id and sub_item is None:
        errors["sub_item_id"] = _("ไม่พบประเด็นย่อย")
    if round_id and round_ is None:
        errors["round_id"] = _("ไม่พบรอบการรายงาน")
    if sub_item is not None and round_ is not None and sub_item.theme.plan_id != round_.plan_id:
        errors["round_id"] = _("รอบนี้ไม่ใช่ของแผนที่มีประเด็นย่อยนี้")
    _refuse(errors, _("ข้อมูลรายงานไม่ถูกต้อง"))
    unit_id = raw.get("unit_id", user.unit_id)
    if not authz.can_file_report_for(user, unit_id, [u.id for u in sub_item.units]):
        if unit_id != user.unit_id:
            raise Forbidden(_("รายงานได้เฉพาะของหน่วยงานตนเอง"), {"unit_id": _("ไม่ใช่หน่วยงานของคุณ")})
        raise Forbidden(_("หน่วยงานของคุณไม่ได้รับผิดชอบประเด็นย่อยนี้"),
                        {"sub_item_id": _("หน่วยงานไม่ได้รับผิดชอบประเด็นย่อยนี้")})
    refuse_if_closed(round_)
    values = validate_report_fields(raw)
    duplicate = db.session.scalar(select(ProgressReport.id).where(
        ProgressReport.unit_id == unit_id, ProgressReport.sub_item_id == sub_item.id,
        ProgressReport.round_id == round_.id))
    if duplicate:
        raise Conflict(_("หน่วยงานนี้มีรายงานประเด็นย่อยนี้ในรอบนี้แล้ว (รายงานเลขที่ %(id)d)", id=duplicate),
                       {"sub_item_id": _("มีรายงานอยู่แล้ว")}, code="duplicate")
    report = ProgressReport(unit_id=unit_id, sub_item=sub_item, round=round_, state="draft",
                            created_by_id=user.id, updated_by_id=user.id, **values)
    db.session.add(report)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("หน่วยงานนี้มีรายงานประเด็นย่อยนี้ในรอบนี้แล้ว"), {"sub_item_id": _("มีรายงานอยู่แล้ว")},
                       code="duplicate") from None
    _write_version(report, user)
    record("report.create", report, _report_title(report), {k: [None, v] for k, v in report_content(report).items()
                                                            if v is not None}, user=user)
    return report


def refuse_unless_editable(user, report: ProgressReport) -> None:
    """403 for someone else's report, 409 for a locked or submitted one or a closed round."""
    if not authz.is_reporter_of(user, report.unit_id):
        raise Forbidden(_("แก้ไขได้เฉพาะรายงานของหน่วยงานตนเอง"))
    ensure_report_open(report)
    if not authz.can_edit_report(user, report):
        raise Conflict(_("รายงานส่งแล้ว รอฝ่ายเลขานุการตรวจ จึงแก้ไขไม่ได้"), code="awaiting_review")


def update_report(user, report: ProgressReport, raw: Mapping[str, Any], version: int | None) -> ProgressReport:
    """Change a draft or returned report; `version` must be the one read (409 when stale)."""
    refuse_unless_editable(user, report)
    check_report_version(report, version)
    values = validate_report_fields(raw, report)
    for name, value in values.items():
        setattr(report, name, value)
    changes = pending_changes(report)
    if not changes:
        return report
    report.updated_by_id = user.id
    _write_version(report, user)
    record("report.update", report, _report_title(report), changes, user=user)
    return report


def submit_report(user, report: ProgressReport, version: int | None = None) -> ProgressReport:
    """Send a draft (→ submitted) or a returned report (→ resubmitted) to the secretariat; the result is required."""
    refuse_unless_editable(user, report)
    if version is not None:
        check_report_version(report, version)
    if not report.result:
        raise Invalid(_("กรุณากรอกผลการดำเนินงานก่อนส่งรายงาน"), {"result": _("กรุณากรอกผลการดำเนินงาน")})
    report.state = "resubmitted" if report.state == "returned" else "submitted"
    if report.submitted_at is None:
        report.submitted_at = utcnow()
        report.due_on_at_submission = report.round.due_date  # lateness is decided at delivery
    report.updated_by_id = user.id
    changes = pending_changes(report)
    _write_version(report, user)
    record("report.submit", report, _report_title(report), changes, user=user)
    from app.notify import notices

    notices.report_submitted(report)
    return report


def _refuse_unless_reviewable(user, report: ProgressReport) -> None:
    if not authz.can_review_reports(user):
        raise Forbidden(_("เฉพาะฝ่ายเลขานุการเท่านั้นที่ตรวจรายงานได้"))
    refuse_if_closed(report.round)
    if report.state not in AWAITING_REVIEW:
        raise Conflict(_("ตรวจได้เฉพาะรายงานที่ส่งแล้ว (สถานะปัจจุบัน: %(s)s)", s=report.state), code="not_submitted")


def accept_report(user, report: ProgressReport, version: int | None = None) -> ProgressReport:
    """The secretariat accepts a submitted report; it is then locked."""
    _refuse_unless_reviewable(user, report)
    if version is not None:
        check_report_version(report, version)
    report.state, report.accepted_at, report.review_comment = "accepted", utcnow(), None
    report.updated_by_id = user.id
    changes = pending_changes(report)
    _write_version(report, user)
    record("report.accept", report, _report_title(report), changes, user=user)
    from app.notify import notices

    notices.report_accepted(report)
    return report


def return_report(user, report: ProgressReport, comment: str | None, version: int | None = None) -> ProgressReport:
    """The secretariat returns a submitted report with a comment; the unit's reporters are told by e-mail."""
    _refuse_unless_reviewable(user, report)
    comment = (comment or "").strip()
    if not comment:
        raise Invalid(_("กรุณาระบุเหตุผลที่ส่งกลับ"), {"comment": _("กรุณาระบุเหตุผลที่ส่งกลับ")})
    if problem := textlimits.check_text(comment, TEXT_MAX, gettext=_):
        raise Invalid(_("ข้อความไม่ถูกต้อง"), {"comment": problem})
    if version is not None:
        check_report_version(report, version)
    report.state, report.review_comment = "returned", comment
    report.updated_by_id = user.id
    changes = pending_changes(report)
    _write_version(report, user)
    record("report.return", report, _report_title(report), changes, user=user)
    notify_returned(report)
    return report


def notify_returned(report: ProgressReport) -> int:
    """Tell each active reporter of the unit that the report came back, and why (e-mail and/or LINE)."""
    from app.notify import notices

    return notices.report_returned(report)


def report_filter(user, *, round_id: int | None = None, unit_id: int | None = None, sub_item_id: int | None = None,
                  state: str | None = None):
    """The SQL condition for the reports a user may list, narrowed by the given filters."""
    conditions = [authz.visible_report_condition(user, ProgressReport)]
    if round_id is not None:
        conditions.append(ProgressReport.round_id == round_id)
    if unit_id is not None:
        conditions.append(ProgressReport.unit_id == unit_id)
    if sub_item_id is not None:
        conditions.append(ProgressReport.sub_item_id == sub_item_id)
    if state is not None:
        conditions.append(ProgressReport.state == state)
    return and_(*[c for c in conditions if c is not None])


def list_reports(user, *, limit: int = 1000, offset: int = 0, **filters) -> list[ProgressReport]:
    """Reports the user may read, filtered by round, unit, sub-item and state (one query)."""
    return list(db.session.scalars(
        select(ProgressReport).where(report_filter(user, **filters))
        .options(joinedload(ProgressReport.unit), joinedload(ProgressReport.sub_item).joinedload(SubItem.theme),
                 joinedload(ProgressReport.round))
        .join(SubItem, SubItem.id == ProgressReport.sub_item_id).join(Theme, Theme.id == SubItem.theme_id)
        .order_by(ProgressReport.round_id.desc(), Theme.number, SubItem.number, ProgressReport.unit_id)
        .limit(limit).offset(offset)
    ).unique())


REVIEW_PER_PAGE = 50  # reports on one page of the review queue


def awaiting_review():
    """SQL: the report waits for review. Written out with its values, not bound parameters, so that both
    databases may read the queue from the partial index ix_progress_reports_awaiting."""
    return text(f"progress_reports.{AWAITING_REVIEW_SQL}")


def count_reports(user, **filters) -> int:
    """How many reports list_reports would give the user with these filters, without a limit."""
    return db.session.scalar(select(func.count()).select_from(ProgressReport).where(report_filter(user, **filters)))


def _awaiting(query, *, unit_id: int | None = None, sub_item_id: int | None = None, round_id: int | None = None):
    """`query` of reports narrowed to the review queue: submitted or resubmitted, in an open round, by a unit
    responsible for the sub-item (the reports the roll-up counts: round_tallies hold their number), and to a unit,
    a sub-item or a round."""
    query = (query.join(ReportingRound, ReportingRound.id == ProgressReport.round_id)
             .join(sub_item_units, and_(sub_item_units.c.sub_item_id == ProgressReport.sub_item_id,
                                        sub_item_units.c.unit_id == ProgressReport.unit_id))
             .where(awaiting_review(), ReportingRound.status == "open"))
    if unit_id is not None:
        query = query.where(ProgressReport.unit_id == unit_id)
    if sub_item_id is not None:
        query = query.where(ProgressReport.sub_item_id == sub_item_id)
    if round_id is not None:
        query = query.where(ProgressReport.round_id == round_id)
    return query


def review_queue_query(**filters):
    """The select of the reports waiting for review (_awaiting), oldest submission first, with what a line of
    the queue shows."""
    return (_awaiting(select(ProgressReport), **filters)
            .options(joinedload(ProgressReport.unit), joinedload(ProgressReport.sub_item).joinedload(SubItem.theme),
                     joinedload(ProgressReport.round).joinedload(ReportingRound.plan))
            .order_by(ProgressReport.submitted_at, ProgressReport.id))


def review_queue(**filters) -> list[ProgressReport]:
    """Every report waiting for review (see review_queue_query), oldest submission first."""
    return list(db.session.scalars(review_queue_query(**filters)).unique())


def awaiting_count(*, unit_id: int | None = None, sub_item_id: int | None = None,
                   round_id: int | None = None) -> int:
    """How many reports wait for review (the queue's total): from the kept round_tallies (received but not
    accepted; O(sub-items) rows however many reports there are), or for one unit by counting its reports."""
    if unit_id is not None:
        return db.session.scalar(_awaiting(select(func.count()).select_from(ProgressReport), unit_id=unit_id,
                                           sub_item_id=sub_item_id, round_id=round_id)) or 0
    query = (select(func.coalesce(func.sum(RoundTally.received - RoundTally.accepted), 0))
             .join(ReportingRound, ReportingRound.id == RoundTally.round_id).where(ReportingRound.status == "open"))
    if sub_item_id is not None:
        query = query.where(RoundTally.sub_item_id == sub_item_id)
    if round_id is not None:
        query = query.where(RoundTally.round_id == round_id)
    return int(db.session.scalar(query) or 0)


def review_queue_page(page: int = 1, per_page: int = REVIEW_PER_PAGE, **filters):
    """One page of the review queue (a Flask-SQLAlchemy Pagination: items, total, pages; two queries, the total
    from awaiting_count)."""
    pagination = db.paginate(review_queue_query(**filters), page=page, per_page=per_page, error_out=False,
                             max_per_page=500, count=False)
    pagination.total = awaiting_count(**filters)
    return pagination


def review_filter_choices() -> tuple[list[ReportingRound], list[tuple[SubItem, str]]]:
    """The open rounds and the sub-items of their plans, to narrow the review queue (two small queries)."""
    rounds = list(db.session.scalars(select(ReportingRound).where(ReportingRound.status == "open")
                                     .options(joinedload(ReportingRound.plan))
                                     .order_by(ReportingRound.period_end.desc(), ReportingRound.id)))
    sub_items = list(db.session.execute(
        select(SubItem, Plan.title).join(Theme, Theme.id == SubItem.theme_id).join(Plan, Plan.id == Theme.plan_id)
        .where(Plan.id.in_({r.plan_id for r in rounds} or {-1})).options(joinedload(SubItem.theme))
        .order_by(Plan.id, Theme.number, SubItem.number)).tuples())
    return rounds, sub_items


def find_unit(text: str | None) -> Unit | None:
    """The unit whose code (any case) or full name is `text`, else None: a filter field for plans of tens of
    thousands of units, where a list to pick from would not fit."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = db.session.scalar(select(Unit).where(Unit.code.in_({text, text.upper()})).order_by(Unit.code).limit(1))
    return by_code or db.session.scalar(select(Unit).where(Unit.name == text).order_by(Unit.code).limit(1))


def previous_report(unit_id: int, sub_item_id: int, round_: ReportingRound) -> ProgressReport | None:
    """The unit's report on the same sub-item in the latest earlier round of the plan."""
    return db.session.scalar(
        select(ProgressReport).join(ReportingRound, ReportingRound.id == ProgressReport.round_id)
        .where(ProgressReport.unit_id == unit_id, ProgressReport.sub_item_id == sub_item_id,
               ReportingRound.plan_id == round_.plan_id, ReportingRound.period_end < round_.period_end)
        .order_by(ReportingRound.period_end.desc()).limit(1)
    )


# --- deadlines --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """One report a round expects: the unit, the sub-item and the report if one exists."""

    unit: Unit
    sub_item: SubItem
    report: ProgressReport | None
    due_date: date
    round_id: int

    @property
    def received(self) -> bool:
        return self.report is not None and self.report.state in RECEIVED_STATES

    def late(self, today: date | None = None) -> bool:
        """Not delivered by the due date (delivered after it, or still missing once it passed)."""
        submitted_at = self.report.submitted_at if self.received else None  # none on rows written without it
        delivered = thaidates.bangkok_date(submitted_at) if submitted_at is not None else None  # as the roll-up
        return is_late(delivered, self.due_date, today or thaidates.today_bangkok(),
                       self.report.due_on_at_submission if self.received else None)


def expected_in_rounds(rounds: Sequence[ReportingRound], unit_id: int | None = None, *,
                       sub_item_id: int | None = None, only_missing: bool = False,
                       limit: int | None = None, offset: int | None = None,
                       unit_ids: Sequence[int] | None = None,
                       sub_item_ids: Sequence[int] | None = None) -> list[Expected]:
    """The (unit, sub-item) pairs the rounds expect, with the report filed if any (one query), round by round
    in the order given, each in plan order.

    Narrowed to one unit (or the `unit_ids`) or sub-item, to those not delivered (`only_missing`), or to the
    `limit` rows after the first `offset`.
    """
    if not rounds:
        return []
    due = {r.id: r.due_date for r in rounds}
    position = {r.id: i for i, r in enumerate(rounds)}
    query = (
        select(ReportingRound.id, Unit, SubItem, ProgressReport)
        .select_from(ReportingRound)
        .join(Theme, Theme.plan_id == ReportingRound.plan_id)
        .join(SubItem, SubItem.theme_id == Theme.id)
        .join(sub_item_units, sub_item_units.c.sub_item_id == SubItem.id)
        .join(Unit, Unit.id == sub_item_units.c.unit_id)
        .outerjoin(ProgressReport, and_(ProgressReport.unit_id == Unit.id, ProgressReport.sub_item_id == SubItem.id,
                                        ProgressReport.round_id == ReportingRound.id))
        .where(ReportingRound.id.in_(list(due)))
        .options(joinedload(SubItem.theme))
        .order_by(ReportingRound.id, Theme.number, SubItem.number, Unit.code)
    )
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    if sub_item_id is not None:
        query = query.where(SubItem.id == sub_item_id)
    if only_missing:
        query = query.where(or_(ProgressReport.id.is_(None), ProgressReport.state.not_in(tuple(RECEIVED_STATES))))
    if unit_ids is not None:
        query = query.where(Unit.id.in_(list(unit_ids) or [-1]))
    if sub_item_ids is not None:
        query = query.where(SubItem.id.in_(list(sub_item_ids) or [-1]))
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = [Expected(u, s, r, due[rid], rid) for rid, u, s, r in db.session.execute(query).unique().all()]
    return sorted(rows, key=lambda e: position[e.round_id])  # stable: plan order kept within a round


def expected_reports(round_: ReportingRound, unit_id: int | None = None, **narrowing) -> list[Expected]:
    """The pairs one round expects (see expected_in_rounds)."""
    return expected_in_rounds([round_], unit_id, **narrowing)


def page_segments(sizes: Sequence[tuple[int, int]], offset: int, limit: int) -> tuple[list[int], int]:
    """The sub-items a page of `limit` rows starting at `offset` falls on, given each sub-item's row count in plan
    order, and the offset of the page within the first of them: a large round's page is then read from those
    sub-items alone (one or two of them) instead of being sorted out of every expected report."""
    touched, start, first_start = [], 0, None
    for sub_id, size in sizes:
        stop = start + size
        if size and stop > offset and start < offset + limit:
            first_start = start if first_start is None else first_start
            touched.append(sub_id)
        start = stop
    return touched, offset - (first_start or 0)


def _not_received(round_id: int, pair=sub_item_units):
    """SQL: no submitted or accepted report of the round for the (sub-item, unit) pair `pair`."""
    return ~select(ProgressReport.id).where(
        ProgressReport.round_id == round_id, ProgressReport.sub_item_id == pair.c.sub_item_id,
        ProgressReport.unit_id == pair.c.unit_id, ProgressReport.state.in_(tuple(RECEIVED_STATES))).exists()


def units_missing_reports(round_: ReportingRound, limit: int) -> tuple[list[tuple[Unit, list[Expected]]], bool]:
    """The first `limit` units (by code) that still owe the round a report, each with what it owes, and whether
    more units owe (two queries: units walked in code order until enough are found, then their missing pairs)."""
    owes = (select(sub_item_units.c.unit_id).join(SubItem, SubItem.id == sub_item_units.c.sub_item_id)
            .join(Theme, Theme.id == SubItem.theme_id)
            .where(Theme.plan_id == round_.plan_id, sub_item_units.c.unit_id == Unit.id, _not_received(round_.id)))
    units = list(db.session.scalars(select(Unit).where(owes.exists()).order_by(Unit.code).limit(limit + 1)))
    shown = units[:limit]
    expected = expected_reports(round_, only_missing=True, unit_ids=[u.id for u in shown])
    return missing_by_unit(expected), len(units) > limit


def first_missing_units(round_: ReportingRound, sub_item_ids: Sequence[int], per_sub_item: int) -> dict[int, list]:
    """Up to `per_sub_item` units (lowest ids first, shown by code) still owing a report on each sub-item, by
    sub-item id (one query however many units: each sub-item's search stops once it has found enough)."""
    if not sub_item_ids:
        return {}
    branches = []
    for sub_id in sub_item_ids:
        branch = (select(sub_item_units.c.sub_item_id, Unit.id, Unit.code, Unit.name, Unit.short_name)
                  .join(Unit, Unit.id == sub_item_units.c.unit_id)
                  .where(sub_item_units.c.sub_item_id == sub_id, _not_received(round_.id))
                  .order_by(sub_item_units.c.unit_id).limit(per_sub_item).subquery())
        branches.append(select(branch))
    found: dict[int, list] = {}
    for row in db.session.execute(union_all(*branches) if len(branches) > 1 else branches[0]):
        found.setdefault(row.sub_item_id, []).append(row)
    return {sub_id: sorted(rows, key=lambda r: r.code) for sub_id, rows in found.items()}


def count_expected(round_: ReportingRound, unit_id: int, *, sub_item_id: int | None = None,
                   only_missing: bool = False) -> int:
    """How many reports the round expects from one unit (on one sub-item, or only those not delivered)."""
    query = (select(func.count()).select_from(sub_item_units).join(SubItem, SubItem.id == sub_item_units.c.sub_item_id)
             .join(Theme, Theme.id == SubItem.theme_id)
             .where(Theme.plan_id == round_.plan_id, sub_item_units.c.unit_id == unit_id))
    if sub_item_id is not None:
        query = query.where(sub_item_units.c.sub_item_id == sub_item_id)
    if only_missing:
        query = query.where(_not_received(round_.id))
    return db.session.scalar(query)


def missing_by_unit(expected: Sequence[Expected]) -> list[tuple[Unit, list[Expected]]]:
    """Missing reports grouped per unit (units with none missing left out)."""
    groups: dict[int, tuple[Unit, list[Expected]]] = {}
    for e in expected:
        if not e.received:
            groups.setdefault(e.unit.id, (e.unit, []))[1].append(e)
    return sorted(groups.values(), key=lambda g: g[0].code)


def missing_by_sub_item(expected: Sequence[Expected]) -> list[tuple[SubItem, list[Expected]]]:
    """Missing reports grouped per sub-item, in plan order."""
    groups: dict[int, tuple[SubItem, list[Expected]]] = {}
    for e in expected:
        if not e.received:
            groups.setdefault(e.sub_item.id, (e.sub_item, []))[1].append(e)
    return list(groups.values())


def unit_rounds(unit_id: int) -> list[tuple[ReportingRound, list[Expected]]]:
    """For 'my reports': every round in which the unit is expected to report, open ones first (two queries)."""
    rounds = list(db.session.scalars(
        select(ReportingRound).options(joinedload(ReportingRound.plan))
        .order_by(ReportingRound.status.desc(), ReportingRound.due_date.desc())
    ))
    by_round: dict[int, list[Expected]] = {}
    for e in expected_in_rounds(rounds, unit_id):
        by_round.setdefault(e.round_id, []).append(e)
    return [(r, by_round[r.id]) for r in rounds if r.id in by_round]


def active_reporters(unit_id: int | None = None) -> list:
    """Active reporter accounts bound to a unit (to this unit when given), who receive report mail."""
    from app.auth.models import User

    query = select(User).where(User.role == "reporter", User.is_active_user.is_(True), User.unit_id.is_not(None))
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    return list(db.session.scalars(query.order_by(User.id)))


def reporters_to_remind(today: date, days_before: int) -> list[tuple[Any, ReportingRound, list[Expected]]]:
    """Active reporters with reports not yet delivered in open rounds due within `days_before` days, or late
    (three queries)."""
    horizon = today + timedelta(days=days_before)
    rounds = list(db.session.scalars(select(ReportingRound).where(
        ReportingRound.status == "open", ReportingRound.due_date <= horizon).order_by(ReportingRound.due_date)))
    outstanding: dict[tuple[int, int], list[Expected]] = {}
    for e in expected_in_rounds(rounds, only_missing=True):
        outstanding.setdefault((e.round_id, e.unit.id), []).append(e)
    reporters = active_reporters()
    return [(user, round_, outstanding[(round_.id, user.unit_id)])
            for round_ in rounds for user in reporters if (round_.id, user.unit_id) in outstanding]


def send_reminders(today: date, days_before: int = 7) -> tuple[int, int]:
    """Queue one reminder per reporter and round per day (already reminded today: skipped); returns (queued, skipped)."""
    return _remind_reporters(reporters_to_remind(today, days_before), today)


def remind_round(round_: ReportingRound, today: date, user) -> int:
    """The secretariat reminds the reporters of every unit that still owes reports of an open round (those
    already reminded today are skipped); returns how many were reminded."""
    refuse_if_closed(round_)
    outstanding: dict[int, list[Expected]] = {}
    for e in expected_reports(round_, only_missing=True):
        outstanding.setdefault(e.unit.id, []).append(e)
    queued, _skipped = _remind_reporters([(u, round_, outstanding[u.unit_id]) for u in active_reporters()
                                          if u.unit_id in outstanding], today)
    record("round.remind", round_, _("เตือนหน่วยงานที่ยังไม่ส่งรายงาน %(r)s (%(n)d คน)", r=round_label(round_),
                                     n=queued), user=user)
    return queued


def _remind_reporters(reminders: Sequence[tuple[Any, ReportingRound, list[Expected]]], today: date) -> tuple[int, int]:
    """Send each (reporter, round, missing) reminder not yet sent today and remember it; (queued, skipped)."""
    from app.notify import notices
    from app.reports.models import ReminderSent

    already = {(u, r) for u, r in db.session.execute(
        select(ReminderSent.user_id, ReminderSent.round_id).where(ReminderSent.sent_on == today))}
    queued = skipped = 0
    for user, round_, missing in reminders:
        if (user.id, round_.id) in already:
            skipped += 1
            continue
        notices.round_reminder(user, round_, missing, today)
        db.session.add(ReminderSent(user_id=user.id, round_id=round_.id, sent_on=today, report_count=len(missing)))
        queued += 1
    db.session.flush()
    return queued, skipped


def delete_plan_rounds_guard(plan: Plan) -> None:
    """Conflict when a plan has rounds (a plan with reports is never deleted)."""
    if db.session.scalar(select(func.count()).select_from(ReportingRound).where(ReportingRound.plan_id == plan.id)):
        raise Conflict(_("แผนนี้มีรอบการรายงานแล้ว ลบไม่ได้"))


def delete_plan(plan: Plan, user) -> None:
    """Remove a plan that has no rounds yet."""
    delete_plan_rounds_guard(plan)
    record("plan.delete", plan, plan.title, user=user)
    db.session.delete(plan)
    db.session.flush()


# --- evidence -----------------------------------------------------------------------------------

def add_evidence_file(user, report: ProgressReport, stream, filename: str | None):
    """Attach an evidence file to a report the user may still edit (same checks as agenda attachments)."""
    from app.attachments.services import attach_file

    refuse_unless_editable(user, report)
    return attach_file(stream, filename, report_id=report.id, user=user)


def add_evidence_link(user, report: ProgressReport, url: str, title: str | None):
    """Attach an evidence link to a report the user may still edit."""
    from app.attachments.services import attach_link

    refuse_unless_editable(user, report)
    return attach_link(url, title, report_id=report.id, user=user)


def remove_evidence(user, report: ProgressReport, attachment_id: int) -> None:
    """Remove one of the report's evidence items while the report may still be edited."""
    from app.attachments.services import get_attachment, remove_attachment

    refuse_unless_editable(user, report)
    attachment = get_attachment(attachment_id)
    if attachment.report_id != report.id:
        raise NotFound(_("ไม่พบไฟล์แนบ"))
    remove_attachment(attachment)


def report_history(report: ProgressReport) -> list[tuple[ReportVersion, str | None]]:
    """Every saved version of the report with the name of who saved it, oldest first (one query)."""
    from app.auth.models import User

    return [(v, name) for v, name in db.session.execute(
        select(ReportVersion, User.name).outerjoin(User, User.id == ReportVersion.saved_by_id)
        .where(ReportVersion.report_id == report.id).order_by(ReportVersion.version))]
