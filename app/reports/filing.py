"""Filing in one pass: a report with its evidence in one request, a unit's whole round on one page, and the
unit's round as a spreadsheet filled offline. All or nothing: every problem is found before anything is
stored, and nothing is kept when any part is refused. The web forms and the API call these functions.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from app import authz, thaidates
from app.bodies.models import Unit
from app.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.i18n import thai_document
from app.labels import MISSING_REPORT_LABEL, PROGRESS_STATUS_LABELS, REPORT_STATE_LABELS
from app.reports import services, unit_sheet
from app.reports.models import ProgressReport, ReportingRound, SubItem
from app.reports.sheets import SheetError
from app.richtext import plain_text

GRID_FIELDS = ("status", "percent", "result", "obstacles", "suggestions")


@dataclass(frozen=True)
class Upload:
    """An evidence file read and judged by its content, not yet stored."""

    filename: str
    data: bytes


@dataclass
class Evidence:
    """Evidence checked for one report: files to store and https links to attach."""

    uploads: list[Upload] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def split_links(text: str | Iterable[str] | None) -> list[str]:
    """Links typed one per line (or given as a list), blanks dropped."""
    lines = text.splitlines() if isinstance(text, str) else list(text or [])
    return [str(line).strip() for line in lines if str(line).strip()]


def check_evidence(files: Iterable[tuple[IO[bytes], str | None]], links: str | Iterable[str] | None,
                   errors: dict[str, str], prefix: str = "") -> Evidence:
    """Read each file (size, type by content) and check each link, storing nothing; problems go into `errors`
    under `<prefix>files` and `<prefix>links`."""
    from app.attachments.filetypes import ALLOWED_TYPES, detect_type
    from app.attachments.services import clean_filename, read_limited
    from app.meetings.services import check_link

    evidence = Evidence()
    problems: list[str] = []
    for stream, filename in files:
        if not filename:
            continue
        try:
            data = read_limited(stream)
        except Invalid as error:
            problems.append(f"{clean_filename(filename)}: {error.message}")
            continue
        if detect_type(data) not in ALLOWED_TYPES:
            problems.append(_("%(name)s: รับเฉพาะไฟล์ PDF, DOCX, XLSX, PPTX และรูปภาพ (ตรวจจากเนื้อไฟล์)",
                              name=clean_filename(filename)))
            continue
        evidence.uploads.append(Upload(filename, data))
    if problems:
        errors[f"{prefix}files"] = "; ".join(problems)
    link_errors: dict[str, str] = {}
    for number, line in enumerate(split_links(links), start=1):
        url = check_link(line, str(number), link_errors)
        if url:
            evidence.links.append(url)
    if link_errors:
        errors[f"{prefix}links"] = "; ".join(_("ลิงก์ที่ %(n)s: %(m)s", n=n, m=m) for n, m in link_errors.items())
    return evidence


def _check(report: ProgressReport | None, raw: Mapping[str, Any], submit: bool, errors: dict[str, str],
           prefix: str = "") -> None:
    """The report's fields as the service would refuse them, and the result a submission needs."""
    try:
        values = services.validate_report_fields(raw, report)
    except Invalid as error:
        errors.update({f"{prefix}{name}": message for name, message in error.fields.items()})
        return
    if submit and not values["result"]:
        errors[f"{prefix}result"] = _("กรุณากรอกผลการดำเนินงานก่อนส่งรายงาน")


def _store(user, report: ProgressReport | None, raw: Mapping[str, Any], evidence: Evidence, *, submit: bool,
           version: Any, round_: ReportingRound, sub_item: SubItem) -> ProgressReport:
    """Create or change the report, attach its evidence and, when asked, submit it (all checked before)."""
    fields = {name: raw[name] for name in services.REPORT_FIELDS if name in raw}
    if report is None:
        report = services.create_report(user, {"sub_item_id": sub_item.id, "round_id": round_.id, **fields})
    else:
        services.update_report(user, report, fields, report.version if version in (None, "") else version)
    for upload in evidence.uploads:
        services.add_evidence_file(user, report, io.BytesIO(upload.data), upload.filename)
    for url in evidence.links:
        services.add_evidence_link(user, report, url, None)
    if submit:
        services.submit_report(user, report)
    return report


def file_report(user, report: ProgressReport | None, raw: Mapping[str, Any], *, round_: ReportingRound,
                sub_item: SubItem, files: Iterable[tuple[IO[bytes], str | None]] = (),
                links: str | Iterable[str] | None = None, submit: bool = False, version: Any = None) -> ProgressReport:
    """Save a new report or a draft/returned one with its evidence files and links and, when `submit`, send it:
    one unit of work; every problem is reported at once (Invalid; evidence under evidence_files and
    evidence_links) and nothing is stored."""
    if report is not None:
        services.refuse_unless_editable(user, report)
        services.check_report_version(report, version)
    else:
        services.refuse_if_closed(round_)
    errors: dict[str, str] = {}
    _check(report, raw, submit, errors)
    evidence = check_evidence(files, links, errors, "evidence_")
    if errors:
        raise Invalid(_("ข้อมูลรายงานไม่ถูกต้อง ยังไม่ได้บันทึก"), errors)
    return _store(user, report, raw, evidence, submit=submit, version=version, round_=round_, sub_item=sub_item)


def is_late_now(round_: ReportingRound, report: ProgressReport | None, today: date | None = None) -> bool:
    """A submission now would be late: the round's due date has passed and the report was never delivered."""
    if report is not None and report.submitted_at is not None:
        return False
    return (today or thaidates.today_bangkok()) > round_.due_date


# --- a unit's whole round -------------------------------------------------------------------------

@dataclass
class RoundLine:
    """One sub-item the unit owes in the round: its report (if any), last round's, and what the grid shows."""

    sub_item: SubItem
    report: ProgressReport | None
    previous: ProgressReport | None
    editable: bool
    values: dict[str, Any]


def previous_reports(unit_id: int, round_: ReportingRound) -> dict[int, ProgressReport]:
    """The unit's report on each sub-item in the latest earlier round of the plan that has one (one query)."""
    reports = db.session.scalars(
        select(ProgressReport).join(ReportingRound, ReportingRound.id == ProgressReport.round_id)
        .where(ProgressReport.unit_id == unit_id, ReportingRound.plan_id == round_.plan_id,
               ReportingRound.period_end < round_.period_end)
        .order_by(ReportingRound.period_end.desc()))
    latest: dict[int, ProgressReport] = {}
    for report in reports:
        latest.setdefault(report.sub_item_id, report)
    return latest


def default_values(report: ProgressReport | None, previous: ProgressReport | None) -> dict[str, Any]:
    """What a form shows: the report's fields, or a new report's status and percent taken from last round."""
    if report is not None:
        return {name: getattr(report, name) for name in GRID_FIELDS} | {"version": report.version}
    return {"status": previous.status if previous else "not_started", "percent": previous.percent if previous else 0,
            "result": None, "obstacles": None, "suggestions": None, "version": None}


def copied_values(line: RoundLine) -> dict[str, Any]:
    """The line filled from last round's report (the version read is kept); unchanged without one."""
    if line.previous is None or not line.editable:
        return line.values
    return line.values | {name: getattr(line.previous, name) for name in GRID_FIELDS}


def get_unit(unit_id: int) -> Unit:
    """The unit, or NotFound."""
    unit = db.session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    if unit is None:
        raise NotFound(_("ไม่พบหน่วยงาน"))
    return unit


def unit_round(user, round_: ReportingRound, unit_id: int) -> list[RoundLine]:
    """Every sub-item the unit owes in the round, in plan order, with its report and last round's (3 queries);
    NotFound unless the user may open the unit's round (its reporters, the secretariat)."""
    if not authz.can_view_unit_round(user, unit_id):
        raise NotFound(_("ไม่พบรายงานของหน่วยงานนี้"))
    previous = previous_reports(unit_id, round_)
    lines = []
    for expected in services.expected_reports(round_, unit_id):
        report = expected.report
        editable = authz.can_file_report_for(user, unit_id, [unit_id]) and round_.status == "open" and (
            report is None or authz.can_edit_report(user, report))
        lines.append(RoundLine(expected.sub_item, report, previous.get(expected.sub_item.id), editable,
                               default_values(report, previous.get(expected.sub_item.id))))
    return lines


def save_unit_round(user, round_: ReportingRound, unit_id: int, rows: Mapping[int, Mapping[str, Any]], *,
                    submit: bool = False,
                    evidence: Mapping[int, tuple[Iterable[tuple[IO[bytes], str | None]], Any]] | None = None,
                    ) -> list[ProgressReport]:
    """Save (and, when `submit`, send) the unit's reports given by sub-item id, each with its evidence, all or
    nothing: Invalid naming `rows.<sub_item_id>.<field>` for every problem. Rows of reports that can no longer
    change (submitted, accepted) are left as they are."""
    if not authz.can_file_report_for(user, unit_id, [unit_id]):
        raise Forbidden(_("รายงานได้เฉพาะของหน่วยงานตนเอง"))
    services.refuse_if_closed(round_)
    lines = {line.sub_item.id: line for line in unit_round(user, round_, unit_id)}
    errors: dict[str, str] = {}
    work: list[tuple[RoundLine, Mapping[str, Any], Evidence]] = []
    for sub_item_id, raw in rows.items():
        line = lines.get(sub_item_id)
        prefix = f"rows.{sub_item_id}."
        if line is None:
            errors[f"rows.{sub_item_id}"] = _("หน่วยงานไม่ได้รับผิดชอบประเด็นย่อยนี้ในรอบนี้")
            continue
        if not line.editable:
            continue
        version = raw.get("version")
        if line.report is not None and version not in (None, ""):
            services.check_report_version(line.report, version)
        _check(line.report, raw, submit, errors, prefix)
        files, links = (evidence or {}).get(sub_item_id, ((), None))
        work.append((line, raw, check_evidence(files, links, errors, prefix)))
    if errors:
        raise Invalid(_("มีรายการที่ไม่ถูกต้อง ยังไม่ได้บันทึกรายการใด"), errors)
    return [_store(user, line.report, raw, found, submit=submit, version=raw.get("version"), round_=round_,
                   sub_item=line.sub_item) for line, raw, found in work]


# --- the unit's round as a spreadsheet ------------------------------------------------------------

@thai_document
def _status_labels() -> dict[str, str]:
    """The status labels the unit's workbook offers and reads back: Thai, whatever the UI language."""
    return {code: str(label) for code, label in PROGRESS_STATUS_LABELS.items()}


@thai_document
def unit_round_workbook(user, round_: ReportingRound, unit_id: int) -> bytes:
    """The unit's round as .xlsx (app.reports.unit_sheet's layout), filled with what the grid shows, in Thai."""
    unit = get_unit(unit_id)
    rows = tuple(
        unit_sheet.UnitRow(line.sub_item.code, line.sub_item.title, line.values["status"], line.values["percent"],
                           plain_text(line.values["result"]) or None, plain_text(line.values["obstacles"]) or None,
                           line.values["suggestions"],
                           str(REPORT_STATE_LABELS.get(line.report.state, line.report.state)) if line.report
                           else str(MISSING_REPORT_LABEL))
        for line in unit_round(user, round_, unit_id))
    title = f"{unit.name} · {services.round_label(round_)}"
    return unit_sheet.unit_round_to_xlsx(unit_sheet.UnitSheet(title, unit.code, round_.id, rows), _status_labels())


@thai_document
def unit_round_filename(round_: ReportingRound, unit: Unit) -> tuple[str, str]:
    """(Thai name, ASCII fallback) of the unit's workbook, e.g. ("รายงาน ICT รอบ 9 เดือน ปีงบประมาณ พ.ศ. 2563.xlsx",
    "round-12-ICT.xlsx")."""
    code = "".join(c for c in unit.code if c.isascii() and (c.isalnum() or c in "-_")) or str(unit.id)
    return (_("รายงาน %(unit)s %(r)s.xlsx", unit=code, r=services.round_label(round_)),
            f"round-{round_.id}-{code}.xlsx")


def import_unit_round(user, round_: ReportingRound, unit_id: int, data: bytes) -> list[ProgressReport]:
    """Save the unit's reports from its filled-in .xlsx as drafts, all or nothing; Invalid (field "file") listing
    every problem by row and column."""
    if not authz.can_file_report_for(user, unit_id, [unit_id]):
        raise Forbidden(_("รายงานได้เฉพาะของหน่วยงานตนเอง"))
    unit = get_unit(unit_id)
    by_code = {line.sub_item.code: line.sub_item.id for line in unit_round(user, round_, unit_id)}
    try:
        sheet = unit_sheet.unit_round_from_xlsx(data, _status_labels(), by_code)
    except SheetError as error:
        raise Invalid(_("ไฟล์รายงานไม่ถูกต้อง"), {"file": "\n".join(error.problems)}) from None
    problems: list[str] = []
    if sheet.unit_code.upper() != unit.code.upper():
        problems.append(_("ไฟล์นี้เป็นของหน่วยงาน %(code)s ไม่ใช่ %(unit)s", code=sheet.unit_code, unit=unit.code))
    if sheet.round_id != round_.id:
        problems.append(_("ไฟล์นี้เป็นของรอบการรายงานอื่น กรุณาดาวน์โหลดไฟล์ของรอบนี้"))
    rows: dict[int, dict[str, Any]] = {}
    sheet_row: dict[int, int] = {}
    for line in sheet.rows:
        sub_item_id = by_code[line.sub_item_code]
        rows[sub_item_id] = {"status": line.status, "percent": line.percent, "result": line.result,
                             "obstacles": line.obstacles, "suggestions": line.suggestions}
        sheet_row[sub_item_id] = line.row
    if problems:
        raise Invalid(_("ไฟล์รายงานไม่ถูกต้อง"), {"file": "\n".join(problems)})
    try:
        return save_unit_round(user, round_, unit_id, rows)
    except Invalid as error:
        for key, message in error.fields.items():
            _rows, sub_item_id, field_name = (key.split(".") + ["", ""])[:3]
            problems.append(unit_sheet.problem_at(sheet_row.get(int(sub_item_id), 0), field_name, message))
        raise Invalid(_("ไฟล์รายงานไม่ถูกต้อง"), {"file": "\n".join(problems)}) from None
