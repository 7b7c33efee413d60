"""Plans, reporting rounds, progress reports (with review) and the roll-up, as JSON."""
from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Literal

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, thaidates
from app.api import allow, api
from app.api.agenda import AttachmentOut, LinkIn, UploadForm, attachment_out
from app.api.schemas import ArgumentsModel, ActionBody, Id, LongText, QueryId, RequestModel, StrictInt, UnitRef, errors
from app.errors import Invalid, NotFound
from app.ids import MAX_ID
from app.kept_responses import kept_response
from app.reports import figures, filing, services
from app.reports.models import PROGRESS_STATUSES, REPORT_STATES, Plan, ProgressReport, ReportingRound, SubItem, Theme
from app.responses import client_copy_is_current, kept_json
from app.rollup import Figure

tag = Tag(name="reports", description="Plans, reporting rounds, progress reports, review and roll-up")

ProgressStatus = Literal[PROGRESS_STATUSES]  # type: ignore[valid-type]
ReportState = Literal[REPORT_STATES]  # type: ignore[valid-type]


class IdPath(BaseModel):
    id: int


class SubItemOut(BaseModel):
    id: int
    number: int
    code: str = Field(description="As printed: theme.sub-item, e.g. 2.3")
    title: str
    weight: float
    outputs: str | None = Field(description="ผลผลิต")
    target: str | None = Field(description="เป้าหมาย, in words")
    target_value: float | None = Field(description="The target as a number, where there is one")
    target_unit: str | None = Field(description="Unit of measure, e.g. ร้อยละ, ระบบ")
    units: list[UnitRef] = Field(description="Responsible units")


class ThemeOut(BaseModel):
    id: int
    number: int
    title: str
    weight: float
    sub_items: list[SubItemOut]


class PlanSummary(BaseModel):
    id: int
    title: str
    owner_body_id: int
    start_year_be: int
    end_year_be: int


class PlanList(BaseModel):
    items: list[PlanSummary]


class PlanOut(PlanSummary):
    description: str | None
    themes: list[ThemeOut]


class RoundQuery(ArgumentsModel):
    plan: QueryId | None = Field(None, description="Only this plan's rounds")


class RoundIn(RequestModel):
    plan_id: Id
    fiscal_year_be: StrictInt = Field(description="Fiscal year, Buddhist era, e.g. 2563 (1 Oct 2019 – 30 Sep 2020)")
    months: Literal[3, 6, 9, 12] = Field(description="Cumulative from 1 October: 3, 6, 9 or 12 months")
    due_date: date = Field(description="ISO date (CE), e.g. 2020-07-15")


class RoundPatch(RequestModel):
    due_date: date | None = None
    status: Literal["open", "closed"] | None = None


class RoundOut(BaseModel):
    id: int
    plan_id: int
    fiscal_year_be: int
    months: int
    period_start: date
    period_end: date
    due_date: date
    status: Literal["open", "closed"]


class RoundList(BaseModel):
    items: list[RoundOut]


class ReportQuery(ArgumentsModel):
    round: QueryId | None = None
    unit: QueryId | None = None
    sub_item: QueryId | None = None
    state: ReportState | None = None
    page: int | None = Field(None, ge=1, le=MAX_ID, description="The reports page by page (latest round first, "
                                                                "then plan order); `page` in the answer says where")
    per_page: int | None = Field(None, ge=1, le=500, description="Reports per page (default 100)")


class ReportIn(RequestModel):
    sub_item_id: Id
    round_id: Id
    unit_id: Id | None = Field(None, description="Always the reporter's own unit; another unit is refused (403)")
    status: ProgressStatus
    percent: StrictInt = Field(ge=0, le=100, description="0–100; completed means 100")
    achieved_value: Decimal | None = Field(None, description="Against the sub-item's target value, where it has one")
    result: LongText | None = Field(None, description="ผลการดำเนินงาน (required to submit)")
    obstacles: LongText | None = Field(None, description="ปัญหาอุปสรรค")
    suggestions: LongText | None = Field(None, description="ข้อเสนอแนะ")


class ReportPatch(RequestModel):
    version: StrictInt = Field(description="The version read; a stale one is refused (409)")
    status: ProgressStatus | None = None
    percent: StrictInt | None = Field(None, ge=0, le=100)
    achieved_value: Decimal | None = None
    result: LongText | None = None
    obstacles: LongText | None = None
    suggestions: LongText | None = None


class ReportOut(BaseModel):
    id: int
    sub_item_id: int
    unit_id: int
    round_id: int
    status: ProgressStatus
    percent: int
    achieved_value: float | None
    result: str | None
    obstacles: str | None
    suggestions: str | None
    state: ReportState
    version: int
    submitted_at: str | None = Field(description="First submission, ISO datetime, Bangkok time")
    accepted_at: str | None
    review_comment: str | None = Field(description="Why the secretariat returned it")
    attachments: list[AttachmentOut] = []


class ReportsPage(BaseModel):
    page: int
    per_page: int
    total: int = Field(description="Reports matching the filters, on every page")
    pages: int


class ReportList(BaseModel):
    items: list[ReportOut]
    page: ReportsPage | None = Field(None, description="Only with ?page= or ?per_page=: which slice this answer "
                                                      "carries (without them: the first 1,000 reports)")


class VersionIn(ActionBody):
    version: StrictInt | None = Field(None, description="The version read; a stale one is refused (409)")


class ReturnIn(RequestModel):
    comment: LongText = Field(min_length=1, description="What the unit must correct")
    version: StrictInt | None = None


class Counts(BaseModel):
    expected: int
    submitted: int = Field(description="Delivered: submitted, resubmitted or accepted")
    accepted: int
    missing: int
    late: int = Field(description="Delivered after the due date, or still missing once it has passed")


class RollupUnit(BaseModel):
    id: int
    code: str
    name: str
    report_id: int | None
    state: str | None
    status: str | None
    percent: int | None
    counted_percent: int = Field(description="What the roll-up counts: the percent once delivered, else 0")
    late: bool


class RollupSubItem(BaseModel):
    id: int
    code: str
    title: str
    weight: float
    percent: float
    status: ProgressStatus
    counts: Counts
    units: list[RollupUnit]


class RollupTheme(BaseModel):
    id: int
    number: int
    title: str
    weight: float
    percent: float
    status: ProgressStatus
    counts: Counts
    sub_items: list[RollupSubItem]


class UnitsPage(BaseModel):
    page: int
    per_page: int
    total: int = Field(description="Unit lines in the whole roll-up (responsible units summed over sub-items)")
    pages: int


class RollupOut(BaseModel):
    plan_id: int
    round: RoundOut
    percent: float
    status: ProgressStatus
    counts: Counts
    themes: list[RollupTheme]
    units_page: UnitsPage | None = Field(
        None, description="Only with ?page= or ?per_page=: which slice of the unit lines this answer carries")


UNITS_PER_PAGE = 100
UNITS_PER_PAGE_MAX = 1000


class RollupQuery(ArgumentsModel):
    round: QueryId = Field(description="A round of this plan")
    units: int | None = Field(None, ge=0, le=1, description="0: the summary only, every sub-item's `units` empty; "
                                                            "1 (default): with the unit lines")
    page: int | None = Field(None, ge=1, le=MAX_ID, description="The unit lines page by page (plan order: theme, "
                                                                "sub-item, unit code); `units_page` says where")
    per_page: int | None = Field(None, ge=1, le=UNITS_PER_PAGE_MAX,
                                 description=f"Unit lines per page (default {UNITS_PER_PAGE})")

    def units_window(self) -> tuple[int, int] | None:
        """(offset, limit) of the unit lines asked for; None for all of them."""
        if self.page is None and self.per_page is None:
            return None
        per_page = self.per_page or UNITS_PER_PAGE
        return ((self.page or 1) - 1) * per_page, per_page


def _number(value) -> float | None:
    return float(value) if value is not None else None


def sub_item_out(theme: Theme, s: SubItem) -> SubItemOut:
    """A sub-item with its targets, weight and responsible units."""
    return SubItemOut(id=s.id, number=s.number, code=f"{theme.number}.{s.number}", title=s.title,
                      weight=float(s.weight), outputs=s.outputs, target=s.target,
                      target_value=_number(s.target_value), target_unit=s.target_unit,
                      units=[UnitRef.model_validate(u) for u in s.units])


def theme_out(t: Theme) -> ThemeOut:
    """A theme with its sub-items."""
    return ThemeOut(id=t.id, number=t.number, title=t.title, weight=float(t.weight),
                    sub_items=[sub_item_out(t, s) for s in t.sub_items])


def plan_out(plan: Plan) -> dict:
    """The plan with its themes, sub-items and responsible units."""
    return PlanOut(
        id=plan.id, title=plan.title, owner_body_id=plan.owner_body_id, start_year_be=plan.start_year_be,
        end_year_be=plan.end_year_be, description=plan.description,
        themes=[theme_out(t) for t in plan.themes],
    ).model_dump()


def round_out(round_: ReportingRound) -> dict:
    """A round as the API returns it (dates ISO, CE)."""
    return RoundOut(id=round_.id, plan_id=round_.plan_id, fiscal_year_be=round_.fiscal_year_be, months=round_.months,
                    period_start=round_.period_start, period_end=round_.period_end, due_date=round_.due_date,
                    status=round_.status).model_dump(mode="json")


def _instant(value) -> str | None:
    return thaidates.to_bangkok(value).isoformat() if value is not None else None


def report_out(report: ProgressReport, with_attachments: bool = False) -> dict:
    """A report as the API returns it."""
    return ReportOut(
        id=report.id, sub_item_id=report.sub_item_id, unit_id=report.unit_id, round_id=report.round_id,
        status=report.status, percent=report.percent, achieved_value=_number(report.achieved_value),
        result=report.result, obstacles=report.obstacles, suggestions=report.suggestions, state=report.state,
        version=report.version, submitted_at=_instant(report.submitted_at), accepted_at=_instant(report.accepted_at),
        review_comment=report.review_comment,
        attachments=[attachment_out(a) for a in report.attachments] if with_attachments else [],
    ).model_dump()


def rollup_out(result: figures.RoundRollup) -> dict:
    """The roll-up tree: plan → themes → sub-items → units (RollupOut, built as plain dicts: nothing is validated
    on the way out)."""

    def level(figure: Figure) -> dict:
        return {"percent": figure.percent_rounded, "status": figure.status, "counts": figure.counts.as_dict()}

    themes = []
    for theme_figure in result.figure.children:
        theme = result.themes[theme_figure.id]
        sub_items = []
        for sub_figure in theme_figure.children:
            sub_item = result.sub_items[sub_figure.id]
            units = [{"id": u.unit_id, "code": u.unit_code, "name": u.unit_name, "report_id": u.report_id,
                      "state": u.state, "status": u.status, "percent": u.percent,
                      "counted_percent": u.counted_percent, "late": u.late}  # RollupUnit, built as a dict
                     for u in result.units.get(sub_item.id, [])]
            sub_items.append({"id": sub_item.id, "code": f"{theme.number}.{sub_item.number}", "title": sub_item.title,
                              "weight": float(sub_figure.weight), **level(sub_figure), "units": units})
        themes.append({"id": theme.id, "number": theme.number, "title": theme.title,
                       "weight": float(theme_figure.weight), **level(theme_figure), "sub_items": sub_items})
    return {"plan_id": result.round.plan_id, "round": round_out(result.round), **level(result.figure),
            "themes": themes}


# --- plans ----------------------------------------------------------------------------------------

@api.get("/plans", tags=[tag], responses={200: PlanList, **errors(401)})
@allow(authz.can_view_dashboard)
def list_plans():
    """Every plan (title, owner body, years)."""
    return {"items": [PlanSummary(id=p.id, title=p.title, owner_body_id=p.owner_body_id,
                                  start_year_be=p.start_year_be, end_year_be=p.end_year_be).model_dump()
                      for p in services.list_plans()]}


@api.get("/plans/<int:id>", tags=[tag], responses={200: PlanOut, **errors(401, 404)})
@allow(authz.can_view_dashboard)
def get_plan(path: IdPath):
    """A plan with its themes, sub-items (outputs, targets, weights) and responsible units."""
    return plan_out(services.get_plan(path.id))


@api.get("/plans/<int:id>/rollup", tags=[tag], responses={200: RollupOut, 304: None, **errors(401, 404, 422)})
@allow(authz.can_view_dashboard)
@kept_response()
def get_rollup(path: IdPath, query: RollupQuery):
    """The plan's roll-up in one round: percent, status and counts per level, down to each unit (`units=0`: the
    summary alone; `page`/`per_page`: the unit lines a slice at a time). The ETag comes from one small query of
    the data's version; If-None-Match with it answers 304 before the roll-up is computed. The answer is kept in
    the shared cache under that version, the day, the query and (with unit lines) the reader's audience
    (authz.report_audience): a change committed on any node gives a new key at once."""
    round_, version = round_of_plan(path.id, query.round)
    today = thaidates.today_bangkok()
    etag = version_etag(version, current_user.id, today, query.units, query.page, query.per_page)
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    if client_copy_is_current(etag, None):
        return Response(status=304, headers=headers)
    with_units = query.units != 0
    audience = authz.report_audience(current_user, round_.plan.owner_body_id) if with_units else None
    response = kept_json("rollup", (version, today, query.units, query.page, query.per_page, audience),
                         lambda: rollup_body(round_, today, query), worth_keeping=small_enough_to_keep)
    response.headers.update(headers)
    return response


CACHED_UNIT_LINES = 5000  # a roll-up answer with more unit lines (megabytes) is not kept: ask for pages instead


def small_enough_to_keep(body: dict) -> bool:
    """Whether a roll-up answer is worth a place in the shared cache: the summary, a page, or up to
    CACHED_UNIT_LINES unit lines."""
    lines = sum(len(s["units"]) for t in body["themes"] for s in t["sub_items"])
    return lines <= CACHED_UNIT_LINES


def rollup_body(round_: ReportingRound, today: date, query: RollupQuery) -> dict:
    """The roll-up answer as the current user may read it (RollupOut as a dict)."""
    window = query.units_window() if query.units != 0 else None
    result = figures.round_rollup(round_, with_units=query.units != 0, today=today, reader=current_user,
                                  units_window=window)
    body = rollup_out(result)
    if window is not None:
        total, per_page = result.figure.counts.expected, window[1]
        body["units_page"] = {"page": query.page or 1, "per_page": per_page, "total": total,
                              "pages": -(-total // per_page)}
    return body


def round_of_plan(plan_id: int, round_id: int) -> tuple[ReportingRound, tuple]:
    """The plan's round and its roll-up version, read with its plan in one query; NotFound naming the plan when
    it does not exist, else the round."""
    found = figures.round_with_version(round_id)
    if found is None:
        services.get_plan(plan_id, with_shape=False)
        raise NotFound(_("ไม่พบรอบการรายงาน"))
    if found[0].plan_id != plan_id:
        services.get_plan(plan_id, with_shape=False)
        raise NotFound(_("ไม่พบรอบการรายงานนี้ในแผนนี้"))
    return found


def version_etag(*parts) -> str:
    """An entity tag for an answer computed from these values (the data's version, the reader, the day, the
    query): the same values give the same tag."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# --- rounds ---------------------------------------------------------------------------------------

@api.get("/rounds", tags=[tag], responses={200: RoundList, **errors(401)})
@allow(authz.can_view_dashboard)
def list_rounds(query: RoundQuery):
    """Reporting rounds, latest period first."""
    return {"items": [round_out(r) for r in services.list_rounds(query.plan)]}


@api.post("/rounds", tags=[tag], responses={201: RoundOut, **errors(401, 403, 409, 422)})
@allow(authz.can_manage_plans)
def create_round(body: RoundIn):
    """Open a round; its period is computed from the fiscal year and months. 409 if it exists."""
    round_ = services.open_round(body.model_dump(), current_user)
    return round_out(round_), 201


@api.get("/rounds/<int:id>", tags=[tag], responses={200: RoundOut, **errors(401, 404)})
@allow(authz.can_view_dashboard)
def get_round(path: IdPath):
    """One round."""
    return round_out(services.get_round(path.id))


@api.patch("/rounds/<int:id>", tags=[tag], responses={200: RoundOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_plans)
def patch_round(path: IdPath, body: RoundPatch):
    """Change the due date, or close (and reopen) the round."""
    round_ = services.update_round(services.get_round(path.id), body.model_dump(exclude_unset=True), current_user)
    return round_out(round_)


# --- reports --------------------------------------------------------------------------------------

@api.get("/reports", tags=[tag], responses={200: ReportList, **errors(401, 422)})
def list_reports(query: ReportQuery):
    """Reports the caller may read: reporters their unit's, members submitted ones, staff and viewers all
    (`page`/`per_page`: a page at a time, with the total)."""
    filters = {"round_id": query.round, "unit_id": query.unit, "sub_item_id": query.sub_item, "state": query.state}
    if query.page is None and query.per_page is None:
        return {"items": [report_out(r) for r in services.list_reports(current_user, **filters)]}
    page, per_page = query.page or 1, query.per_page or REPORTS_PER_PAGE
    reports = services.list_reports(current_user, limit=per_page, offset=(page - 1) * per_page, **filters)
    total = services.count_reports(current_user, **filters)
    return {"items": [report_out(r) for r in reports],
            "page": {"page": page, "per_page": per_page, "total": total, "pages": -(-total // per_page)}}


REPORTS_PER_PAGE = 100


@api.post("/reports", tags=[tag], responses={201: ReportOut, **errors(401, 403, 409, 422)})
def create_report(body: ReportIn):
    """Start a report (draft) for the reporter's own unit on a sub-item it is responsible for."""
    raw = body.model_dump(exclude_unset=True)
    if body.unit_id is None:
        raw.pop("unit_id", None)
    report = services.create_report(current_user, raw)
    return report_out(report), 201


@api.get("/reports/<int:id>", tags=[tag], responses={200: ReportOut, **errors(401, 404)})
def get_report(path: IdPath):
    """One report, with its evidence."""
    return report_out(services.readable_report(current_user, path.id), with_attachments=True)


def _known_report(report_id: int) -> ProgressReport:
    """A report the caller may at least read (404 otherwise), for the actions below."""
    return services.readable_report(current_user, report_id)


@api.patch("/reports/<int:id>", tags=[tag], responses={200: ReportOut, **errors(401, 403, 404, 409, 422)})
def patch_report(path: IdPath, body: ReportPatch):
    """Change a draft or returned report; `version` must be the one read (409 when stale, or when accepted)."""
    report = _known_report(path.id)
    services.update_report(current_user, report, body.model_dump(exclude_unset=True, exclude={"version"}),
                           body.version)
    return report_out(report, with_attachments=True)


@api.post("/reports/<int:id>/submit", tags=[tag], responses={200: ReportOut, **errors(401, 403, 404, 409, 422)})
def submit_report(path: IdPath, body: VersionIn):
    """Submit a draft, or resubmit a returned report, to the secretariat."""
    report = services.submit_report(current_user, _known_report(path.id), body.version)
    return report_out(report)


@api.post("/reports/<int:id>/accept", tags=[tag], responses={200: ReportOut, **errors(401, 403, 404, 409)})
@allow(authz.can_review_reports)
def accept_report(path: IdPath, body: VersionIn):
    """Accept a submitted report (the secretariat); it is then locked."""
    report = services.accept_report(current_user, _known_report(path.id), body.version)
    return report_out(report)


@api.post("/reports/<int:id>/return", tags=[tag], responses={200: ReportOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_review_reports)
def return_report(path: IdPath, body: ReturnIn):
    """Return a submitted report to the unit with a comment (the secretariat); the unit's reporters are e-mailed."""

    report = services.return_report(current_user, _known_report(path.id), body.comment, body.version)
    return report_out(report)


@api.post("/reports/<int:id>/attachments", tags=[tag],
          responses={201: AttachmentOut, **errors(401, 403, 404, 409, 422)})
def upload_report_evidence(path: IdPath, form: UploadForm):
    """Attach an evidence file (PDF, Office, image; judged by content) to a draft or returned report."""
    report = _known_report(path.id)
    attachment = services.add_evidence_file(current_user, report, form.file.stream, form.file.filename)
    return attachment_out(attachment).model_dump(), 201


@api.post("/reports/<int:id>/links", tags=[tag], responses={201: AttachmentOut, **errors(401, 403, 404, 409, 422)})
def add_report_link(path: IdPath, body: LinkIn):
    """Attach an evidence link to a draft or returned report."""
    report = _known_report(path.id)
    attachment = services.add_evidence_link(current_user, report, body.url, body.title)
    return attachment_out(attachment).model_dump(), 201


class EvidencePath(BaseModel):
    id: int
    attachment_id: int


@api.delete("/reports/<int:id>/attachments/<int:attachment_id>", tags=[tag],
            responses={204: None, **errors(401, 403, 404, 409)})
def remove_report_evidence(path: EvidencePath):
    """Remove an evidence file or link from a draft or returned report of the reporter's unit."""
    services.remove_evidence(current_user, _known_report(path.id), path.attachment_id)
    return "", 204


# --- a unit's whole round -------------------------------------------------------------------------

class UnitRoundPath(BaseModel):
    id: int
    unit_id: int


class RoundRowIn(RequestModel):
    sub_item_id: Id
    version: StrictInt | None = Field(None, description="The version read, for a report that exists (409 when stale)")
    status: ProgressStatus | None = None
    percent: StrictInt | None = Field(None, ge=0, le=100)
    result: LongText | None = Field(None, description="ผลการดำเนินงาน (required to submit)")
    obstacles: LongText | None = None
    suggestions: LongText | None = None
    links: list[str] = Field([], description="Evidence links (https://) to attach")


class UnitRoundIn(RequestModel):
    submit: bool = Field(False, description="Also send every row to the secretariat")
    rows: list[RoundRowIn] = Field(description="All or nothing: one bad row and no row is saved")


class PreviousOut(BaseModel):
    round_id: int
    status: ProgressStatus
    percent: int
    result: str | None
    obstacles: str | None


class RoundRowOut(BaseModel):
    sub_item_id: int
    code: str
    title: str
    editable: bool = Field(description="The caller may still change this row")
    report: ReportOut | None
    previous: PreviousOut | None = Field(description="The unit's report in the plan's previous round")


class UnitRoundOut(BaseModel):
    round: RoundOut
    unit: UnitRef
    late: bool = Field(description="The due date has passed: a submission now is recorded as late")
    rows: list[RoundRowOut]


def unit_round_out(round_: ReportingRound, unit_id: int) -> dict:
    """Every sub-item the unit owes in the round, with its report and last round's."""
    lines = filing.unit_round(current_user, round_, unit_id)
    rows = [RoundRowOut(
        sub_item_id=line.sub_item.id, code=line.sub_item.code, title=line.sub_item.title, editable=line.editable,
        report=report_out(line.report, with_attachments=True) if line.report else None,
        previous=PreviousOut(round_id=line.previous.round_id, status=line.previous.status,
                             percent=line.previous.percent, result=line.previous.result,
                             obstacles=line.previous.obstacles) if line.previous else None,
    ).model_dump() for line in lines]
    return {"round": round_out(round_), "unit": UnitRef.model_validate(filing.get_unit(unit_id)).model_dump(),
            "late": filing.is_late_now(round_, None), "rows": rows}


def _unit_round(path: UnitRoundPath) -> ReportingRound:
    return access.load(ReportingRound, path.id, read=authz.can_view_round, missing=_("ไม่พบรอบการรายงาน"))


@api.get("/rounds/<int:id>/units/<int:unit_id>/reports", tags=[tag],
         responses={200: UnitRoundOut, **errors(401, 404)})
def get_unit_round(path: UnitRoundPath):
    """The unit's whole round: every sub-item it owes with its report (the unit's reporters, the secretariat)."""
    return unit_round_out(_unit_round(path), path.unit_id)


@api.put("/rounds/<int:id>/units/<int:unit_id>/reports", tags=[tag],
         responses={200: UnitRoundOut, **errors(401, 403, 404, 409, 422)})
def put_unit_round(path: UnitRoundPath, body: UnitRoundIn):
    """Save every given row as a draft (and send them all with `submit`), all or nothing; rows of reports that
    can no longer change are left as they are."""
    round_ = _unit_round(path)
    filing.unit_round(current_user, round_, path.unit_id)  # 404 for who may not open it
    ids = [row.sub_item_id for row in body.rows]
    if len(set(ids)) != len(ids):
        raise Invalid(_("ประเด็นย่อยซ้ำในรายการ"), {"rows": _("แต่ละประเด็นย่อยได้ไม่เกิน 1 แถว")})
    rows = {row.sub_item_id: row.model_dump(exclude_unset=True, exclude={"sub_item_id", "links"}) for row in body.rows}
    evidence = {row.sub_item_id: ((), row.links) for row in body.rows}
    filing.save_unit_round(current_user, round_, path.unit_id, rows, submit=body.submit, evidence=evidence)
    return unit_round_out(round_, path.unit_id)
