"""Plan pages: the plans, one plan with its themes, sub-items and rounds, the secretariat's edits,
the plan spreadsheet (export and import), and the agency assessment (scores and level bands)."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import distinct, func, select

from app import access, authz, thaidates
from app.bodies.models import Body, Unit
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.ids import query_id
from app.kept_responses import kept_response
from app.plans import transfer
from app.plans.forms import (
    BandsForm,
    ImportPlanForm,
    OpenRoundForm,
    PlanForm,
    RoundDueForm,
    ScoreForm,
    SubItemForm,
    ThemeForm,
)
from app.reports import assessments, services
from app.reports.models import AssessmentScore, Plan, ReportingRound, SubItem, Theme
from app.reports.sheets import plan_to_xlsx
from app.webactions import XLSX, download, perform, refuse, require_csrf

bp = Blueprint("plans", __name__)

UNITS_SHOWN = 20  # responsible units named under a sub-item on the plan page (the rest on its own paged list)
UNIT_CHECKBOXES_MAX = 400  # more units than this: a sub-item's responsible units are typed as codes, not ticked
UNITS_PER_PAGE = 100  # units on one page of a sub-item's responsible units



@bp.context_processor
def number_helpers() -> dict:
    """plain_number(Decimal('1.000')) -> "1": weights and targets without trailing zeros, with thousands commas."""
    return {"plain_number": plain_number}


def plain_number(value: Decimal | None) -> str:
    """A decimal as people write it: no trailing zeros, thousands separated by commas; "" for None."""
    return "" if value is None else format(Decimal(str(value)).normalize(), ",f")


def load_plan(plan_id: int, *, manage: bool = False, with_units: bool = False) -> Plan:
    """The plan with its themes and sub-items (and their responsible units when asked: tens of thousands in a plan
    every school reports on); 404 when missing or unreadable, 403 when `manage` is refused."""
    return access.authorize(services.get_plan(plan_id, with_units=with_units), read=authz.can_view_plan,
                            change=authz.can_manage_plan if manage else None, missing=_("ไม่พบแผน"))


def load_theme(theme_id: int) -> Theme:
    """A theme the user may manage; 404 when missing, 403 otherwise."""
    return access.load(Theme, theme_id, read=authz.can_view_theme, change=authz.can_manage_theme,
                       missing=_("ไม่พบประเด็นหลัก"))


def load_sub_item(sub_item_id: int) -> SubItem:
    """A sub-item the user may manage; 404 when missing, 403 otherwise."""
    return access.authorize(services.get_sub_item(sub_item_id), read=authz.can_view_sub_item,
                            change=authz.can_manage_sub_item, missing=_("ไม่พบประเด็นย่อย"))


def load_round(plan: Plan, round_id: int) -> ReportingRound:
    """A round of this plan the user may change; 404 for a round of another plan."""
    round_ = access.load(ReportingRound, round_id, read=authz.can_view_round, change=authz.can_manage_round,
                         missing=_("ไม่พบรอบการรายงาน"))
    if round_.plan_id != plan.id:
        raise NotFound(_("ไม่พบรอบการรายงาน"))
    return round_


def body_choices() -> list[tuple[int | str, str]]:
    """No choice, then every body by name."""
    bodies = db.session.execute(select(Body.id, Body.name).order_by(Body.name))
    return [("", _("— เลือกคณะ —")), *((body_id, name) for body_id, name in bodies)]


def unit_choices() -> list[tuple[int, str]]:
    """Every unit (ordered by code), labelled with its name."""
    units = db.session.execute(select(Unit.id, Unit.name).order_by(Unit.code))
    return [(unit_id, name) for unit_id, name in units]


def year_choices(plan: Plan) -> list[tuple[int, str]]:
    """The fiscal years the plan covers."""
    return [(year, str(year)) for year in range(plan.start_year_be, plan.end_year_be + 1)]


def open_round_form(plan: Plan) -> OpenRoundForm:
    """The form opening a round, on the current fiscal year when the plan covers it."""
    current = thaidates.fiscal_year_of(thaidates.today_bangkok())
    form = OpenRoundForm(prefix="round")
    form.fiscal_year_be.choices = year_choices(plan)
    if not form.is_submitted():
        form.fiscal_year_be.data = min(max(current, plan.start_year_be), plan.end_year_be)
    return form


def render_detail(plan: Plan, open_form: OpenRoundForm | None = None,
                  due_forms: dict[int, RoundDueForm] | None = None, status: int = 200):
    """The plan page; the secretariat's forms carry the messages of a refused round change."""
    rounds = services.list_rounds(plan.id)
    units = services.responsible_units([s.id for t in plan.themes for s in t.sub_items], UNITS_SHOWN)
    context = {"plan": plan, "rounds": rounds, "round_label": services.round_label, "units": units}
    if authz.can_manage_plans(current_user):
        due_forms = due_forms or {}
        context.update(
            open_form=open_form or open_round_form(plan),
            due_forms={r.id: due_forms.get(r.id) or RoundDueForm(prefix=f"round-{r.id}", formdata=None,
                                                                   due_date=r.due_date)
                       for r in rounds},
        )
    return render_template("plans/detail.html", **context), status


# --- plans ----------------------------------------------------------------------------------------

@bp.route("/plans")
@login_required
def index():
    """Every plan: owner body, years, how many themes and sub-items, and its rounds with their status."""
    access.allowed(authz.can_view_dashboard)
    plans = services.list_plans()
    counts = {plan_id: (themes, sub_items) for plan_id, themes, sub_items in db.session.execute(
        select(Theme.plan_id, func.count(distinct(Theme.id)), func.count(SubItem.id))
        .outerjoin(SubItem, SubItem.theme_id == Theme.id).group_by(Theme.plan_id))}
    rounds: dict[int, list[ReportingRound]] = {}
    for round_ in services.list_rounds():
        rounds.setdefault(round_.plan_id, []).append(round_)
    return render_template("plans/index.html", plans=plans, counts=counts, rounds=rounds,
                           round_label=services.round_label)


@bp.route("/plans/new", methods=["GET", "POST"])
@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit_plan(plan_id: int | None = None):
    """Create a plan, or change its title, owner body, years and description."""
    plan = load_plan(plan_id, manage=True) if plan_id is not None else None
    access.allowed(authz.can_manage_plans)
    form = PlanForm(obj=plan)
    form.owner_body_id.choices = body_choices()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            saved = services.save_plan(plan, form.values(), current_user)
        except ServiceError as error:
            status = refuse(form, error)
            plan = load_plan(plan_id) if plan_id is not None else None
        else:
            flash(_("บันทึกแผนแล้ว"), "success")
            return redirect(url_for("plans.detail", plan_id=saved.id))
    return render_template("plans/plan_form.html", plan=plan, form=form), status


@bp.route("/plans/<int:plan_id>")
@login_required
@kept_response()
def detail(plan_id: int):
    """The plan: its themes with their sub-items (targets, weights, responsible units) and its rounds."""
    return render_detail(load_plan(plan_id))


@bp.route("/sub-items/<int:sub_item_id>/units")
@login_required
def sub_item_units(sub_item_id: int):
    """A sub-item's responsible units, a page at a time (by code), narrowed by a code or name fragment."""
    sub_item = access.load(SubItem, sub_item_id, read=authz.can_view_sub_item, missing=_("ไม่พบประเด็นย่อย"))
    text = request.args.get("q", "").strip()[:100]
    page = db.paginate(services.responsible_units_query(sub_item.id, text), page=query_id("page") or 1,
                       per_page=UNITS_PER_PAGE, error_out=False)
    return render_template("plans/sub_item_units.html", sub_item=sub_item, plan=sub_item.theme.plan, page=page,
                           q=text)


@bp.post("/plans/<int:plan_id>/delete")
@login_required
def delete_plan(plan_id: int):
    """Remove a plan that has no rounds yet."""
    plan = load_plan(plan_id, manage=True)
    require_csrf()
    title = plan.title
    if perform(lambda: services.delete_plan(plan, current_user), _("ลบแผน %(title)s แล้ว", title=title)):
        return redirect(url_for("plans.index"))
    return redirect(url_for("plans.detail", plan_id=plan_id))


# --- themes and sub-items -------------------------------------------------------------------------

def theme_page(plan: Plan, theme: Theme | None):
    """Add a theme to the plan or change one."""
    form = ThemeForm(obj=theme)
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            saved = services.save_theme(plan, theme, form.values(), current_user)
        except ServiceError as error:
            status = refuse(form, error)
            plan = load_plan(plan.id, manage=True)
            theme = services.get_theme(theme.id) if theme is not None else None
        else:
            flash(_("บันทึกประเด็นหลักที่ %(n)d แล้ว", n=saved.number), "success")
            return redirect(url_for("plans.detail", plan_id=plan.id, _anchor=f"theme-{saved.id}"))
    return render_template("plans/theme_form.html", plan=plan, theme=theme, form=form), status


@bp.route("/plans/<int:plan_id>/themes/new", methods=["GET", "POST"])
@login_required
def new_theme(plan_id: int):
    """Add a theme (ประเด็นหลัก) to the plan."""
    return theme_page(load_plan(plan_id, manage=True), None)


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_theme(theme_id: int):
    """Change a theme's number, title or weight."""
    theme = load_theme(theme_id)
    return theme_page(load_plan(theme.plan_id, manage=True), theme)


@bp.post("/themes/<int:theme_id>/delete")
@login_required
def delete_theme(theme_id: int):
    """Remove a theme and its sub-items, unless reports were filed on them."""
    theme = load_theme(theme_id)
    require_csrf()
    plan_id, number = theme.plan_id, theme.number
    perform(lambda: services.delete_theme(theme, current_user), _("ลบประเด็นหลักที่ %(n)d แล้ว", n=number))
    return redirect(url_for("plans.detail", plan_id=plan_id))


def sub_item_page(theme: Theme, sub_item: SubItem | None):
    """Add a sub-item to the theme or change one. Its responsible units are ticked from the list of units, or,
    when there are more than UNIT_CHECKBOXES_MAX (every school), typed as codes."""
    form = SubItemForm(obj=sub_item)
    by_codes = db.session.scalar(select(func.count()).select_from(Unit)) > UNIT_CHECKBOXES_MAX
    form.unit_ids.choices = [] if by_codes else unit_choices()
    if sub_item is not None and not form.is_submitted():
        if by_codes:
            form.unit_codes.data = "\n".join(db.session.scalars(
                services.responsible_units_query(sub_item.id).with_only_columns(Unit.code)))
        else:
            form.unit_ids.data = [unit.id for unit in sub_item.units]
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            saved = services.save_sub_item(theme, sub_item, form.values(by_codes), current_user)
        except ServiceError as error:
            status = refuse(form, error)
            theme = services.get_theme(theme.id)
            sub_item = services.get_sub_item(sub_item.id) if sub_item is not None else None
        else:
            flash(_("บันทึกประเด็นย่อยที่ %(code)s แล้ว", code=saved.code), "success")
            return redirect(url_for("plans.detail", plan_id=theme.plan_id, _anchor=f"sub-item-{saved.id}"))
    return render_template("plans/sub_item_form.html", plan=theme.plan, theme=theme, sub_item=sub_item,
                           form=form, by_codes=by_codes), status


@bp.route("/themes/<int:theme_id>/sub-items/new", methods=["GET", "POST"])
@login_required
def new_sub_item(theme_id: int):
    """Add a sub-item (ประเด็นย่อย) to a theme."""
    return sub_item_page(load_theme(theme_id), None)


@bp.route("/sub-items/<int:sub_item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_sub_item(sub_item_id: int):
    """Change a sub-item: outputs, targets, weight, responsible units."""
    sub_item = load_sub_item(sub_item_id)
    return sub_item_page(sub_item.theme, sub_item)


@bp.post("/sub-items/<int:sub_item_id>/delete")
@login_required
def delete_sub_item(sub_item_id: int):
    """Remove a sub-item, unless reports were filed on it."""
    sub_item = load_sub_item(sub_item_id)
    require_csrf()
    plan_id, code = sub_item.theme.plan_id, sub_item.code
    perform(lambda: services.delete_sub_item(sub_item, current_user), _("ลบประเด็นย่อยที่ %(code)s แล้ว", code=code))
    return redirect(url_for("plans.detail", plan_id=plan_id))


# --- rounds ---------------------------------------------------------------------------------------

@bp.post("/plans/<int:plan_id>/rounds")
@login_required
def open_round(plan_id: int):
    """Open a reporting round of the plan: fiscal year, 3/6/9/12 months, due date."""
    plan = load_plan(plan_id, manage=True)
    form = open_round_form(plan)
    if not form.validate_on_submit():
        return render_detail(plan, open_form=form, status=422)
    try:
        round_ = services.open_round({"plan_id": plan.id, "fiscal_year_be": form.fiscal_year_be.data,
                                      "months": form.months.data, "due_date": form.due_date.data}, current_user)
    except ServiceError as error:
        status = refuse(form, error)
        return render_detail(load_plan(plan_id), open_form=form, status=status)
    flash(_("เปิด%(round)sแล้ว", round=services.round_label(round_)), "success")
    return redirect(url_for("plans.detail", plan_id=plan.id, _anchor="rounds"))


@bp.post("/plans/<int:plan_id>/rounds/<int:round_id>")
@login_required
def update_round(plan_id: int, round_id: int):
    """Close or reopen a round (button with `status`), or change its due date (form)."""
    plan = load_plan(plan_id, manage=True)
    round_ = load_round(plan, round_id)
    if "status" in request.form:
        require_csrf()
        status = request.form["status"]
        done = _("ปิดรอบการรายงานแล้ว") if status == "closed" else _("เปิดรอบการรายงานอีกครั้งแล้ว")
        perform(lambda: services.update_round(round_, {"status": status}, current_user), done)
        return redirect(url_for("plans.detail", plan_id=plan.id, _anchor="rounds"))
    form = RoundDueForm(prefix=f"round-{round_.id}")
    if not form.validate_on_submit():
        return render_detail(plan, due_forms={round_.id: form}, status=422)
    try:
        services.update_round(round_, {"due_date": form.due_date.data}, current_user)
    except ServiceError as error:
        status = refuse(form, error)
        return render_detail(load_plan(plan_id), due_forms={round_id: form}, status=status)
    flash(_("เปลี่ยนวันครบกำหนดส่งแล้ว"), "success")
    return redirect(url_for("plans.detail", plan_id=plan.id, _anchor="rounds"))


# --- the plan spreadsheet -------------------------------------------------------------------------

@bp.get("/plans/<int:plan_id>/export.xlsx")
@login_required
def export_plan(plan_id: int):
    """The plan as an .xlsx file, in the layout the import reads."""
    plan = load_plan(plan_id, with_units=True)
    data = plan_to_xlsx(transfer.plan_sheet(plan), author=plan.owner_body.secretariat_name)
    return download(data, XLSX, f"แผน-{plan.id}.xlsx", f"plan-{plan.id}.xlsx")


@bp.route("/plans/import", methods=["GET", "POST"])
@login_required
def import_plan():
    """Create a plan from an .xlsx file (the export's layout), owned by the chosen body."""
    access.allowed(authz.can_manage_plans)
    form = ImportPlanForm()
    form.owner_body_id.choices = body_choices()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            plan = transfer.import_plan(form.file.data.read(), form.owner_body_id.data, current_user)
        except ServiceError as error:
            status = refuse(form, error)
        else:
            flash(_("นำเข้าแผนแล้ว: %(themes)d ประเด็นหลัก %(subs)d ประเด็นย่อย", themes=len(plan.themes),
                    subs=sum(len(t.sub_items) for t in plan.themes)), "success")
            return redirect(url_for("plans.detail", plan_id=plan.id))
    return render_template("plans/import.html", form=form), status


# --- the agency assessment ------------------------------------------------------------------------

@bp.route("/assessment")
@login_required
def assessment():
    """Scores per fiscal year, each with the level it reaches under that year's bands."""
    access.allowed(authz.is_signed_in)
    return render_template("assessment/index.html", years=assessments.assessment_years(),
                           level_label=assessments.level_label, base_label=assessments.base_label,
                           level_labels=assessments.LEVEL_LABELS, level_colours=assessments.LEVEL_COLOURS)


def load_score(score_id: int):
    """A score the user may change; 404 when missing, 403 otherwise."""
    return access.load(AssessmentScore, score_id, read=authz.can_view_score, change=authz.can_manage_score,
                       missing=_("ไม่พบคะแนน"))


@bp.route("/assessment/new", methods=["GET", "POST"])
@bp.route("/assessment/<int:score_id>/edit", methods=["GET", "POST"])
@login_required
def edit_score(score_id: int | None = None):
    """Record a component's score for a fiscal year, or change one."""
    score = load_score(score_id) if score_id is not None else None
    access.allowed(authz.can_manage_plans)
    form = ScoreForm(obj=score)
    if score is None and not form.is_submitted():
        form.fiscal_year_be.data = request.args.get("year") or str(thaidates.fiscal_year_of(thaidates.today_bangkok()))
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            saved = assessments.save_score(score, form.values(), current_user)
        except ServiceError as error:
            status = refuse(form, error)
            score = assessments.get_score(score_id) if score_id is not None else None
        else:
            flash(_("บันทึกผลการประเมินแล้ว"), "success")
            return redirect(url_for("plans.assessment", _anchor=f"fy-{saved.fiscal_year_be}"))
    return render_template("assessment/score_form.html", score=score, form=form), status


@bp.post("/assessment/<int:score_id>/delete")
@login_required
def delete_score(score_id: int):
    """Remove a recorded score."""
    score = load_score(score_id)
    require_csrf()
    perform(lambda: assessments.delete_score(score, current_user), _("ลบผลการประเมินแล้ว"))
    return redirect(url_for("plans.assessment"))


@bp.route("/assessment/bands", methods=["GET", "POST"])
@login_required
def edit_bands():
    """Set the lowest score of each level (ขั้นต้น, มาตรฐาน, ขั้นสูง) for one fiscal year."""
    access.allowed(authz.can_manage_plans)
    form = BandsForm()
    year = query_id("year")
    if not form.is_submitted() and year is not None:
        form.fiscal_year_be.data = str(year)
        for level, value in assessments.year_bands([year]).get(year, {}).items():
            form[level].data = f"{value:.2f}"
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            assessments.save_bands(form.values(), current_user)
        except ServiceError as error:
            status = refuse(form, error)
        else:
            flash(_("บันทึกเกณฑ์การประเมินปีงบประมาณ พ.ศ. %(fy)s แล้ว", fy=form.fiscal_year_be.data.strip()),
                  "success")
            return redirect(url_for("plans.assessment", _anchor=f"fy-{form.fiscal_year_be.data.strip()}"))
    return render_template("assessment/bands_form.html", form=form), status
