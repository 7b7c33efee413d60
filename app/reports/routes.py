"""Progress report pages: my reports, filing and evidence, the review queue, rounds with deadlines,
the dashboard with drill-down, and the round's exports for the committee."""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup

from sqlalchemy.orm import joinedload

from app import access, authz, caching, confirmations, labels, thaidates
from app.audit.services import last_event_id
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.ids import query_id
from app.kept_responses import kept_response
from app.reports import documents, figures, filing, overview, services
from app.reports.forms import AttachRoundReportForm, EvidenceForm, ReportForm, ReturnForm, UnitRoundSheetForm
from app.bodies.models import Unit
from app.reports.models import ProgressReport, ReportingRound
from app.transactions import discard
from app.webactions import DOCX, XLSX, download, perform, refuse, require_csrf

bp = Blueprint("reports", __name__)


@bp.record_once
def keep_round_tallies(state) -> None:
    """Keep the roll-up's figures current with every flush from the moment the reports area is registered."""
    from app.reports.tallies import keep_round_tallies

    keep_round_tallies()


ROUND_TABLE_LIMIT = 100  # reports listed on a round's page at once (filters, pages and the XLSX export give the rest)
MISSING_UNITS_SHOWN = 20  # units listed under "missing, by unit" (the table filtered to missing lists them all)
MISSING_NAMES_SHOWN = 10  # units named under each sub-item in "missing, by sub-item"
MISSING_SUB_ITEMS_NAMED = 100  # sub-items whose missing units are named (the others show their count)
INLINE_DRILL_DOWN = 400  # expected reports up to which the dashboard lists every unit inline
DRILL_DOWN_PER_PAGE = 200  # units of one sub-item per page of the dashboard's drill-down (larger plans)


def load_report(report_id: int) -> ProgressReport:
    """The report, 404 when missing or not readable by the user."""
    return services.readable_report(current_user, report_id)


def load_round(round_id: int) -> ReportingRound:
    """The round with its plan, 404 when missing or not readable by the user."""
    return access.load(ReportingRound, round_id, read=authz.can_view_round,
                       options=[joinedload(ReportingRound.plan)], missing=_("ไม่พบรอบการรายงาน"))


def report_form_for(report: ProgressReport | None) -> ReportForm:
    """A report form filled from the report (GET) or from the request (POST)."""
    form = ReportForm(obj=report if request.method == "GET" else None)
    if report is not None and request.method == "GET":
        form.version.data = report.version
        form.achieved_value.data = "" if report.achieved_value is None else f"{report.achieved_value:f}"
    return form


# --- a reporter's pages ---------------------------------------------------------------------------

@bp.get("/reports/mine")
@login_required
def my_reports():
    """What the reporter's unit owes: every round with its sub-items, deadlines and one click to file."""
    if not authz.files_reports(current_user):
        abort(403)
    today = thaidates.today_bangkok()
    return render_template("reports/mine.html", rounds=services.unit_rounds(current_user.unit_id), today=today)


def _render_form(form: ReportForm, report: ProgressReport | None, round_: ReportingRound, sub_item, status=200):
    previous = services.previous_report(current_user.unit_id, sub_item.id, round_)
    if report is None and request.method == "GET":  # a new report starts from last round's status and percent
        start = filing.default_values(None, previous)
        form.status.data, form.percent.data = start["status"], start["percent"]
    return render_template("reports/form.html", form=form, report=report, round=round_, sub_item=sub_item,
                           previous=previous, late=filing.is_late_now(round_, report)), status


@bp.route("/reports/new", methods=["GET", "POST"])
@login_required
def new():
    """File a new report: the reporter's own unit, one sub-item of one open round."""
    if not authz.files_reports(current_user):
        abort(403)
    try:
        round_ = services.get_round(query_id("round") or 0)
        sub_item = services.get_sub_item(query_id("sub_item") or 0)
    except NotFound:
        abort(404)
    if not authz.can_file_report_for(current_user, current_user.unit_id, [u.id for u in sub_item.units]):
        abort(403)
    existing = db.session.scalar(db.select(ProgressReport.id).filter_by(
        unit_id=current_user.unit_id, sub_item_id=sub_item.id, round_id=round_.id))
    if existing:
        return redirect(url_for("reports.edit", report_id=existing))
    form = report_form_for(None)
    if form.validate_on_submit():
        try:
            report = filing.file_report(current_user, None, form.values(), round_=round_, sub_item=sub_item,
                                        files=form.evidence(), links=form.evidence_links.data,
                                        submit=form.save_and_submit.data)
        except ServiceError as error:
            return _render_form(form, None, round_, sub_item, refuse(form, error))
        flash(_("ส่งรายงานแล้ว") if form.save_and_submit.data else _("บันทึกร่างรายงานแล้ว"), "success")
        return redirect(url_for("reports.detail", report_id=report.id))
    return _render_form(form, None, round_, sub_item)


@bp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit(report_id: int):
    """Change a draft or returned report (the version read guards against overwriting someone else's save)."""
    report = load_report(report_id)
    if not authz.can_edit_report(current_user, report) or report.round.status != "open":
        flash(_("รายงานนี้แก้ไขไม่ได้ในขณะนี้"), "warning")
        return redirect(url_for("reports.detail", report_id=report.id))
    form = report_form_for(report)
    if form.validate_on_submit():
        try:
            filing.file_report(current_user, report, form.values(), round_=report.round, sub_item=report.sub_item,
                               files=form.evidence(), links=form.evidence_links.data,
                               submit=form.save_and_submit.data, version=form.version.data)
        except ServiceError as error:
            status = refuse(form, error)
            if status == 409 and error.fields:
                flash(error.message, "danger")
            return _render_form(form, report, report.round, report.sub_item, status)
        flash(_("ส่งรายงานแล้ว") if form.save_and_submit.data else _("บันทึกร่างรายงานแล้ว"), "success")
        return redirect(url_for("reports.detail", report_id=report.id))
    return _render_form(form, report, report.round, report.sub_item)


@bp.get("/reports/<int:report_id>")
@login_required
def detail(report_id: int):
    """The report, its evidence, its previous round, and the actions the user may take."""
    report = load_report(report_id)
    previous = services.previous_report(report.unit_id, report.sub_item_id, report.round)
    return render_template("reports/detail.html", report=report, previous=previous, evidence_form=EvidenceForm(),
                           return_form=ReturnForm())


@bp.post("/reports/<int:report_id>/submit")
@login_required
def submit(report_id: int):
    """Submit (or resubmit) the report to the secretariat."""
    require_csrf()
    report = load_report(report_id)
    services.ensure_report_open(report)  # accepted, or its round closed: 409
    perform(lambda: services.submit_report(current_user, report, request.form.get("version", type=int)),
            _("ส่งรายงานแล้ว"))
    return redirect(url_for("reports.detail", report_id=report_id))


@bp.post("/reports/<int:report_id>/accept")
@login_required
def accept(report_id: int):
    """The secretariat accepts the report."""
    require_csrf()
    report = load_report(report_id)
    if not authz.can_review_reports(current_user):
        abort(403)
    services.ensure_report_open(report)  # accepted, or its round closed: 409
    back = (queue_url(request.form.get("queue_args", "")) if request.form.get("next_queue")
            else url_for("reports.detail", report_id=report_id))
    step = lambda: services.accept_report(current_user, report, request.form.get("version", type=int))  # noqa: E731
    if (page := confirmations.ask_first(
            step, _("รับรายงาน %(code)s %(unit)s", code=report.sub_item.code, unit=report.unit.name),
            _("เมื่อรับแล้ว รายงานจะถูกล็อกแก้ไขไม่ได้ และหน่วยงานจะได้รับแจ้ง ยืนยันการรับรายงานหรือไม่"),
            _("ยืนยันรับรายงาน"), back)) is not None:
        return page
    perform(step, _("รับรายงานแล้ว"))
    return redirect(back)


@bp.post("/reports/<int:report_id>/return")
@login_required
def return_(report_id: int):
    """The secretariat returns the report with a comment."""
    report = load_report(report_id)
    if not authz.can_review_reports(current_user):
        abort(403)
    form = ReturnForm()
    if not form.validate_on_submit():
        abort(400)
    services.ensure_report_open(report)  # accepted, or its round closed: 409
    perform(lambda: services.return_report(current_user, report, form.comment.data,
                                           request.form.get("version", type=int)),
            _("ส่งรายงานกลับให้หน่วยงานแก้ไขแล้ว"))
    return redirect(url_for("reports.detail", report_id=report_id))


@bp.post("/reports/<int:report_id>/evidence")
@login_required
def add_evidence(report_id: int):
    """Attach an evidence file or link."""
    report = load_report(report_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        abort(400)
    services.ensure_report_open(report)  # accepted, or its round closed: 409
    upload = form.file.data
    if upload and upload.filename:
        perform(lambda: services.add_evidence_file(current_user, report, upload.stream, upload.filename),
                _("แนบหลักฐานแล้ว"))
    elif form.url.data:
        perform(lambda: services.add_evidence_link(current_user, report, form.url.data, form.title.data),
                _("แนบลิงก์หลักฐานแล้ว"))
    else:
        flash(_("กรุณาเลือกไฟล์หรือระบุลิงก์"), "danger")
    return redirect(url_for("reports.detail", report_id=report_id))


@bp.post("/reports/<int:report_id>/evidence/<int:attachment_id>/delete")
@login_required
def remove_evidence(report_id: int, attachment_id: int):
    """Remove an evidence item while the report may still be edited."""
    require_csrf()
    report = load_report(report_id)
    services.ensure_report_open(report)  # accepted, or its round closed: 409
    perform(lambda: services.remove_evidence(current_user, report, attachment_id), _("ลบหลักฐานแล้ว"))
    return redirect(url_for("reports.detail", report_id=report_id))


@bp.get("/reports/<int:report_id>/history")
@login_required
def history(report_id: int):
    """Every saved version of the report: who, when, what."""
    report = load_report(report_id)
    return render_template("reports/history.html", report=report, versions=services.report_history(report))


# --- a unit's whole round on one page ---------------------------------------------------------------

def load_unit_round(round_id: int, unit_id: int):
    """The round, the unit and its lines; 404 unless the user may open the unit's round."""
    round_ = load_round(round_id)
    unit = filing.get_unit(unit_id)
    return round_, unit, filing.unit_round(current_user, round_, unit.id)


def _grid_input(lines) -> tuple[dict, dict]:
    """What the grid's editable rows posted: their fields by sub-item id, and their evidence."""
    rows, evidence = {}, {}
    for line in lines:
        key = f"row-{line.sub_item.id}-"
        if not line.editable or key + "status" not in request.form:  # a row not on the page is left alone
            continue
        rows[line.sub_item.id] = {name: request.form.get(key + name, "") for name in (*filing.GRID_FIELDS, "version")}
        evidence[line.sub_item.id] = ([(f.stream, f.filename) for f in request.files.getlist(key + "files")
                                       if f.filename], request.form.get(key + "links"))
    return rows, evidence


def _render_grid(round_, unit, lines, errors=None, typed=None, status=200):
    for line in lines:
        if typed and line.sub_item.id in typed:
            line.values = line.values | typed[line.sub_item.id]
    return render_template("reports/unit_round.html", round=round_, unit=unit, lines=lines, errors=errors or {},
                           typed=typed or {}, late=filing.is_late_now(round_, None),
                           editable=any(line.editable for line in lines),
                           sheet_form=UnitRoundSheetForm(), statuses=labels.PROGRESS_STATUS_LABELS), status


@bp.route("/rounds/<int:round_id>/units/<int:unit_id>", methods=["GET", "POST"])
@login_required
def unit_round(round_id: int, unit_id: int):
    """Every sub-item the unit owes in the round in one grid: copy from last round, save all, submit all."""
    round_, unit, lines = load_unit_round(round_id, unit_id)
    if request.method == "GET":
        return _render_grid(round_, unit, lines)
    require_csrf()
    if not authz.can_file_report_for(current_user, unit.id, [unit.id]):
        abort(403)
    action = request.form.get("action")
    rows, evidence = _grid_input(lines)
    if action == "copy":  # shown, not saved until saved
        for line in lines:
            line.values = filing.copied_values(line)
        flash(_("คัดลอกข้อมูลจากรอบก่อนแล้ว ยังไม่ได้บันทึก ตรวจแก้แล้วกดบันทึก"), "info")
        return _render_grid(round_, unit, lines)
    try:
        filing.save_unit_round(current_user, round_, unit.id, rows, submit=action == "submit", evidence=evidence)
    except ServiceError as error:
        discard()
        flash(error.message, "danger")
        return _render_grid(round_, unit, lines, error.fields, rows, error.status)
    flash(_("ส่งรายงานทุกรายการแล้ว") if action == "submit" else _("บันทึกร่างทุกรายการแล้ว"), "success")
    return redirect(url_for("reports.unit_round", round_id=round_.id, unit_id=unit.id))


@bp.get("/reports/round/<int:round_id>")
@login_required
def my_unit_round(round_id: int):
    """The reporter's own unit's round page."""
    if not authz.files_reports(current_user):
        abort(403)
    return redirect(url_for("reports.unit_round", round_id=round_id, unit_id=current_user.unit_id))


@bp.get("/rounds/<int:round_id>/units/<int:unit_id>/sheet.xlsx")
@login_required
def unit_round_sheet(round_id: int, unit_id: int):
    """The unit's round as .xlsx, to fill offline and upload back."""
    round_, unit, _lines = load_unit_round(round_id, unit_id)
    return download(filing.unit_round_workbook(current_user, round_, unit.id), XLSX,
                    *filing.unit_round_filename(round_, unit))


@bp.post("/rounds/<int:round_id>/units/<int:unit_id>/sheet")
@login_required
def import_unit_round_sheet(round_id: int, unit_id: int):
    """Upload the filled-in .xlsx: every row saved as a draft, or none (problems listed by row and column)."""
    round_, unit, lines = load_unit_round(round_id, unit_id)
    if not authz.can_file_report_for(current_user, unit.id, [unit.id]):
        abort(403)
    form = UnitRoundSheetForm()
    if not form.validate_on_submit():
        abort(400)
    upload = form.file.data
    if not upload or not upload.filename:
        flash(_("กรุณาเลือกไฟล์"), "danger")
        return _render_grid(round_, unit, lines, status=422)
    try:
        saved = filing.import_unit_round(current_user, round_, unit.id, upload.read())
    except ServiceError as error:
        discard()
        return _render_grid(round_, unit, lines, {"file": error.fields.get("file", error.message)}, status=error.status)
    flash(_("นำเข้าแล้ว %(n)d รายการ (บันทึกเป็นร่าง)", n=len(saved)), "success")
    return redirect(url_for("reports.unit_round", round_id=round_.id, unit_id=unit.id))


# --- the secretariat's pages ----------------------------------------------------------------------

@bp.get("/reports/review")
@login_required
@kept_response()
def review_queue():
    """Submitted and resubmitted reports waiting for the secretariat, oldest first."""
    if not authz.can_review_reports(current_user):
        abort(403)
    unit, unit_text, unit_unknown = unit_filter()
    filters = {"unit_id": unit.id if unit else None, "sub_item_id": query_id("sub_item"), "round_id": query_id("round")}
    queue = (services.review_queue_page(query_id("page") or 1, **filters) if not unit_unknown
             else None)
    rounds, sub_items = services.review_filter_choices()
    args = {k: v for k, v in {"unit_code": unit_text, "sub_item": filters["sub_item_id"],
                              "round": filters["round_id"]}.items() if v}
    return render_template("reports/review.html", queue=queue, reports=queue.items if queue else [],
                           rounds=rounds, sub_items=sub_items, filters=filters, unit=unit, unit_text=unit_text,
                           unit_unknown=unit_unknown, args=args, return_form=ReturnForm())


def queue_url(query_string: str) -> str:
    """The review queue page with the filters and page it was on (only its own parameters are kept)."""
    kept = {k: v for k, v in parse_qsl(query_string) if k in ("unit_code", "unit", "sub_item", "round", "page") and v}
    return url_for("reports.review_queue", **kept)


def unit_filter():
    """The unit a page is narrowed to: ?unit=<id> (links) or ?unit_code=<code or full name> (the text field that
    stands in for a list of tens of thousands of units); (unit or None, the text typed, True when nothing matched)."""
    text = request.args.get("unit_code", "").strip()
    if text:
        unit = services.find_unit(text)
        return unit, text, unit is None
    unit_id = query_id("unit")
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit, unit.code if unit else "", bool(unit_id) and unit is None


@bp.get("/rounds/<int:round_id>")
@login_required
@kept_response()
def round_detail(round_id: int):
    """A round: its counts, what is missing per unit and per sub-item (the first ones, with the totals), and its
    reports a page at a time (filtered by unit, sub-item, or only those missing). The SQL run does not grow with
    the number of units; for the secretariat (who read every report) the page's figures and table are rendered once
    per version of the round's data and kept in the shared cache."""
    round_ = load_round(round_id)
    today = thaidates.today_bangkok()
    unit, unit_text, unit_unknown = unit_filter()
    filters = {"unit": unit.id if unit else None, "sub_item": query_id("sub_item"), "show": request.args.get("show"),
               "page": query_id("page") or 1}
    shared = authz.is_staff(current_user)  # every report readable: one rendering serves every staff member
    version = (figures.rollup_version(round_), tuple(sorted(request.args.items(multi=True))), today.isoformat(),
               str(get_locale()), request.script_root)  # the query decides the filters and the pages' links
    parts = caching.recall("round-page", version) if shared else None
    if parts is None:
        parts = round_parts(round_, today, unit, unit_text, unit_unknown, filters)
        if shared:
            caching.keep("round-page", version, parts)
    attach_form = None
    if parts["attach"] is not None:
        attach_form = AttachRoundReportForm()
        attach_form.target.choices = parts["attach"]
    return render_template("reports/round.html", round=round_, today=today, attach_form=attach_form,
                           parts={"figure": Markup(parts["figure"]), "body": Markup(parts["body"]),
                                  "missing": parts["missing"]})


def round_parts(round_, today, unit, unit_text: str, unit_unknown: bool, filters: dict) -> dict:
    """The round page's figure (reports/_round_figure.html), its body (reports/_round_body.html: what is missing,
    the filters, a page of reports) rendered for the signed-in user, how many reports are missing, and the
    committee meetings the round's report may be attached to (None for those who may not attach it; meetings and
    agenda changes are audited, so the roll-up version covers them)."""
    overview = authz.sees_round_overview(current_user)
    sub_item_id = filters["sub_item"]
    only_missing = overview and filters["show"] == "missing"
    rollup = figures.round_rollup(round_, today=today)
    plan = services.get_plan(round_.plan_id, with_units=False)
    sub_figures = {f.id: f for theme in rollup.figure.children for f in theme.children}

    def rows(offset: int, limit: int) -> list:
        if unit_unknown:
            return []
        sub_item_ids = None
        if unit is None:  # the page read from the few sub-items it falls on, not sorted out of the whole round
            sizes = [(f.id, f.counts.missing if only_missing else f.counts.expected)
                     for theme in rollup.figure.children for f in theme.children
                     if sub_item_id is None or f.id == sub_item_id]
            sub_item_ids, offset = services.page_segments(sizes, offset, limit)
        found = services.expected_reports(round_, unit.id if unit else None, sub_item_id=sub_item_id,
                                          only_missing=only_missing, limit=limit, offset=offset,
                                          sub_item_ids=sub_item_ids)
        return found if overview else [e for e in found
                                       if e.report is not None and authz.can_view_report(current_user, e.report)]

    table = ListPage(page=filters["page"], per_page=ROUND_TABLE_LIMIT, max_per_page=None, error_out=False,
                     rows=rows, total=lambda: round_table_total(round_, rollup, sub_figures, unit, unit_unknown,
                                                                sub_item_id, only_missing))
    missing_units, more_missing_units, missing_sub_items = [], False, []
    if overview:
        missing_units, more_missing_units = services.units_missing_reports(round_, MISSING_UNITS_SHOWN)
        owing = [(rollup.sub_items[f.id], f.counts.missing) for theme in rollup.figure.children
                 for f in theme.children if f.counts.missing]
        names = services.first_missing_units(round_, [s.id for s, _n in owing[:MISSING_SUB_ITEMS_NAMED]],
                                             MISSING_NAMES_SHOWN)
        missing_sub_items = [(s, n, names.get(s.id)) for s, n in owing]
    body = render_template(
        "reports/_round_body.html", round=round_, plan=plan, table=table, expected=table.items, today=today,
        rollup=rollup, missing_units=missing_units, more_missing_units=more_missing_units,
        missing_sub_items=missing_sub_items, unit=unit, unit_text=unit_text, unit_unknown=unit_unknown,
        filters=filters)
    attach = documents.attach_targets(round_) if authz.can_manage_round(current_user, round_) else None
    return {"figure": render_template("reports/_round_figure.html", rollup=rollup), "body": body,
            "missing": rollup.figure.counts.missing, "attach": attach}


class ListPage(Pagination):
    """A page of rows read by `rows(offset, limit)`, the total given by `total()` (often known without a query):
    the pagination the templates render with render_pagination."""

    def _query_items(self) -> list:
        return self._query_args["rows"](self._query_offset, self.per_page)

    def _query_count(self) -> int:
        return self._query_args["total"]()


def round_table_total(round_, rollup, sub_figures, unit, unit_unknown, sub_item_id, only_missing) -> int:
    """How many rows the round's report table has under its filters: from the roll-up's counts, or one count for
    a single unit."""
    if unit_unknown:
        return 0
    if unit is not None:
        return services.count_expected(round_, unit.id, sub_item_id=sub_item_id, only_missing=only_missing)
    counts = rollup.figure.counts if sub_item_id is None else (
        sub_figures[sub_item_id].counts if sub_item_id in sub_figures else None)
    if counts is None:
        return 0
    return counts.missing if only_missing else counts.expected


@bp.get("/rounds/<int:round_id>/export.xlsx")
@login_required
def export_xlsx(round_id: int):
    """Every expected report of the round, one row each, and a roll-up sheet."""
    round_ = load_round(round_id)
    return download(documents.round_workbook(round_, current_user), XLSX, documents.round_workbook_filename(round_),
                    documents.round_filename(round_, "xlsx"))


@bp.get("/rounds/<int:round_id>/report.docx")
@login_required
def report_docx(round_id: int):
    """The compiled round report in the official font, for the committee's papers."""
    round_ = load_round(round_id)
    return download(documents.round_report_bytes(round_, current_user), DOCX, documents.round_report_filename(round_),
                    documents.round_filename(round_, "docx"))


@bp.post("/rounds/<int:round_id>/attach")
@login_required
def attach_to_agenda(round_id: int):
    """Attach the compiled round report to a committee meeting's agenda item (section 4), in one step."""
    round_ = load_round(round_id)
    if not authz.can_manage_round(current_user, round_):
        abort(403)
    form = AttachRoundReportForm()
    form.target.choices = documents.attach_targets(round_)
    if not form.validate_on_submit():
        flash(_("กรุณาเลือกการประชุมหรือวาระ"), "danger")
        return redirect(url_for("reports.round_detail", round_id=round_id))
    back = url_for("reports.round_detail", round_id=round_id)
    replace = confirmations.confirmed()
    if not replace and (earlier := documents.earlier_copies(round_, form.target.data)):
        return confirmations.confirmation_page(
            _("แนบรายงานผลการดำเนินงาน %(r)s ซ้ำ", r=services.round_label(round_)),
            documents.replace_question(earlier), _("แทนที่ฉบับเดิม"), back)
    outcome = {}

    def attach():
        outcome["item"] = documents.attach_round_report(round_, form.target.data, current_user, replace=replace)

    if perform(attach, _("แนบรายงานสรุปรอบเข้าวาระแล้ว")):
        item = outcome["item"]
        return redirect(url_for("agenda.view", meeting_id=item.meeting_id) + f"#item-{item.id}")
    return redirect(url_for("reports.round_detail", round_id=round_id))


# --- the dashboard --------------------------------------------------------------------------------

@bp.get("/reports/dashboard")
@login_required
@kept_response()
def dashboard():
    """The plan with progress bars and traffic lights per theme and sub-item, drill-down, and the rounds chart."""
    if not authz.can_view_dashboard(current_user):
        abort(403)
    plan_id = query_id("plan")
    if plan_id is None:
        return render_template("reports/overview.html", committee_overview=overview.committee_overview())
    try:
        plan = services.get_plan(plan_id, with_shape=False)  # the row alone: the figures read their own shape
    except NotFound:
        abort(404)
    rounds = services.list_rounds(plan.id)
    round_id = query_id("round")
    round_ = next((r for r in rounds if r.id == round_id), None) if round_id else (rounds[0] if rounds else None)
    if round_id and round_ is None:
        abort(404)
    if round_ is None:
        return render_template("reports/dashboard.html", plan=plan, rounds=rounds, round=None)
    today = thaidates.today_bangkok()
    focus = query_id("sub_item")
    version = plan_figures_version(plan, rounds, round_, today)
    kept = caching.recall("plan-figures", version) if focus is None else None
    if kept is None:
        kept = plan_figures(plan, round_, today, focus, version)
    return render_template("reports/dashboard.html", plan=plan, rounds=rounds, round=round_,
                           figures_html=Markup(kept))


def plan_figures_version(plan, rounds: list, round_, today) -> tuple:
    """What the dashboard's figures of a round are computed from: the last audit event (every change to plans,
    units and reports writes one), the revision, status and due date of each round of its fiscal year (the
    comparison; every report change raises its round's revision), the day (lateness), language and site root."""
    same_year = tuple((r.id, r.revision, r.status, r.due_date.isoformat()) for r in rounds
                      if r.fiscal_year_be == round_.fiscal_year_be)
    return (plan.id, round_.id, last_event_id(), same_year, today.isoformat(), str(get_locale()), request.script_root)


def plan_figures(plan, round_, today, focus: int | None, version: tuple) -> str:
    """The dashboard's figures rendered (reports/_plan_figures.html); kept in the shared cache under `version`
    when they list no unit (every reader then sees the same)."""
    rollup = figures.round_rollup(round_, today=today)
    # Small plans show every unit under its sub-item; large ones (hundreds of offices) one sub-item at a time.
    inline = rollup.figure.counts.expected <= INLINE_DRILL_DOWN
    focus_page = None
    if inline:
        units = figures.unit_lines(round_, today, reader=current_user)
    elif focus in rollup.sub_items:  # one sub-item's units, a page at a time
        expected = next(f.counts.expected for t in rollup.figure.children for f in t.children if f.id == focus)
        focus_page = ListPage(
            page=query_id("page") or 1, per_page=DRILL_DOWN_PER_PAGE, max_per_page=None, error_out=False,
            rows=lambda offset, limit: figures.unit_lines(round_, today, focus, reader=current_user,
                                                          window=(offset, limit)).get(focus, []),
            total=lambda: expected)
        units = {focus: focus_page.items}
    else:
        units = {}
    comparison = figures.round_comparison(plan, round_.fiscal_year_be, today)
    html = render_template("reports/_plan_figures.html", plan=plan, round=round_, rollup=rollup, units=units,
                           inline=inline, focus=focus, focus_page=focus_page, comparison=comparison,
                           chart=documents.comparison_chart(comparison))
    if not units:
        caching.keep("plan-figures", version, html)
    return html
