"""The agency assessment (การประเมินส่วนราชการ): yearly component scores and each fiscal year's level bands.

The level a score reaches is computed with app.assessment.level_for from the bands of the score's own
fiscal year (they change by year). Functions flush, never commit; every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import textlimits
from app.assessment import LEVELS, SCORE_MAX, SCORE_MIN, bands_problem, level_for
from app.audit.services import pending_changes, record
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.reports.fields import text_field, whole_number
from app.reports.models import ASSESSMENT_BASES, AssessmentBand, AssessmentScore

YEAR_MIN, YEAR_MAX = 2400, 2700
COMPONENT_MAX = 99
TITLE_MAX = textlimits.TITLE
NOTE_MAX = textlimits.LONG_TEXT
CENT = Decimal("0.01")

LEVEL_LABELS = {
    "basic": _l("ระดับมาตรฐานขั้นต้น"),
    "standard": _l("ระดับมาตรฐาน"),
    "advanced": _l("ระดับมาตรฐานขั้นสูง"),
}
LEVEL_COLOURS = {"basic": "info", "standard": "primary", "advanced": "success"}
BASE_LABELS = {"performance": _l("Performance Base"), "potential": _l("Potential Base")}
BELOW_BANDS = _l("ต่ำกว่าเกณฑ์")
NO_BANDS = _l("ยังไม่กำหนดเกณฑ์")


@dataclass
class ScoreLine:
    """A recorded score and the level it reaches under its year's bands (None: below them, or no bands)."""

    score: AssessmentScore
    level: str | None


@dataclass
class AssessmentYear:
    """One fiscal year: its bands ({level: lowest score}, possibly empty) and its scores by component."""

    fiscal_year_be: int
    bands: dict[str, Decimal] = field(default_factory=dict)
    lines: list[ScoreLine] = field(default_factory=list)


def level_label(level: str | None, has_bands: bool) -> str:
    """The level's Thai name; ต่ำกว่าเกณฑ์ below every band; ยังไม่กำหนดเกณฑ์ when the year has no bands."""
    if level is not None:
        return str(LEVEL_LABELS[level])
    return str(BELOW_BANDS if has_bands else NO_BANDS)


def base_label(base: str) -> str:
    """Performance Base or Potential Base."""
    return str(BASE_LABELS.get(base, base))


# --- reading --------------------------------------------------------------------------------------

def year_bands(years: Iterable[int] | None = None) -> dict[int, dict[str, Decimal]]:
    """The bands of the given fiscal years (all years when None), in one query: {year: {level: min score}}."""
    query = select(AssessmentBand)
    if years is not None:
        query = query.where(AssessmentBand.fiscal_year_be.in_(sorted(set(years)) or [-1]))
    bands: dict[int, dict[str, Decimal]] = {}
    for band in db.session.scalars(query):
        bands.setdefault(band.fiscal_year_be, {})[band.level] = band.min_score
    return bands


def assessment_years(fiscal_year_be: int | None = None) -> list[AssessmentYear]:
    """Every fiscal year with scores or bands (or only the one asked for), newest first; two queries."""
    query = select(AssessmentScore).order_by(AssessmentScore.fiscal_year_be.desc(), AssessmentScore.component)
    if fiscal_year_be is not None:
        query = query.where(AssessmentScore.fiscal_year_be == fiscal_year_be)
    scores = list(db.session.scalars(query))
    bands = year_bands([fiscal_year_be] if fiscal_year_be is not None else None)
    shown = {score.fiscal_year_be for score in scores} | set(bands)
    years = {year: AssessmentYear(year, bands.get(year, {})) for year in shown}
    for score in scores:
        year = years[score.fiscal_year_be]
        year.lines.append(ScoreLine(score, level_for(score.score, year.bands)))
    return sorted(years.values(), key=lambda y: y.fiscal_year_be, reverse=True)


def get_score(score_id: int) -> AssessmentScore:
    """The score, or NotFound."""
    score = db.session.get(AssessmentScore, score_id)
    if score is None:
        raise NotFound(_("ไม่พบผลการประเมิน"))
    return score


# --- parsing --------------------------------------------------------------------------------------

def _score(raw: Mapping[str, Any], name: str, errors: dict[str, str]) -> Decimal | None:
    """A required score 0.00–100.00 with at most two decimals."""
    value = raw.get(name)
    text = str(value if value is not None else "").strip()
    if not text:
        errors[name] = _("กรุณากรอกข้อมูลนี้")
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or isinstance(value, bool):
        errors[name] = _("ต้องเป็นตัวเลข")
        return None
    if not SCORE_MIN <= number <= SCORE_MAX:
        errors[name] = _("คะแนนต้องอยู่ระหว่าง 0.00 ถึง 100.00")
        return None
    if number != number.quantize(CENT):
        errors[name] = _("ทศนิยมได้ไม่เกิน 2 ตำแหน่ง")
        return None
    return number.quantize(CENT)


# --- scores ---------------------------------------------------------------------------------------

def save_score(score: AssessmentScore | None, raw: Mapping[str, Any], user) -> AssessmentScore:
    """Record a component's score for a fiscal year, or change one; one score per year and component."""
    errors: dict[str, str] = {}
    year = whole_number(raw, "fiscal_year_be", errors, low=YEAR_MIN, high=YEAR_MAX)
    component = whole_number(raw, "component", errors, low=1, high=COMPONENT_MAX)
    base = raw.get("base")
    if base not in ASSESSMENT_BASES:
        errors["base"] = _("กรุณาเลือก Performance Base หรือ Potential Base")
    title = text_field(raw, "title", errors, required=True, limit=TITLE_MAX, one_line=True)
    value = _score(raw, "score", errors)
    note = text_field(raw, "note", errors, required=False, limit=NOTE_MAX)
    if errors:
        raise Invalid(_("ข้อมูลผลการประเมินไม่ถูกต้อง"), errors)
    duplicate = db.session.scalar(select(AssessmentScore.id).where(
        AssessmentScore.fiscal_year_be == year, AssessmentScore.component == component))
    if duplicate is not None and (score is None or duplicate != score.id):
        raise Conflict(_("ปีงบประมาณ %(fy)d มีผลการประเมินองค์ประกอบที่ %(c)d แล้ว", fy=year, c=component),
                       {"component": _("องค์ประกอบนี้มีผลการประเมินของปีนี้แล้ว")}, code="duplicate")
    creating = score is None
    if creating:
        score = AssessmentScore()
        db.session.add(score)
    score.fiscal_year_be, score.component, score.base, score.title = year, component, base, title
    score.score, score.note, score.recorded_by_id = value, note, getattr(user, "id", None)
    changes = pending_changes(score)
    changes.pop("recorded_by_id", None)
    record("assessment_score.create" if creating else "assessment_score.update", score,
           _score_summary(score), changes, user=user)
    return score


def _score_summary(score: AssessmentScore) -> str:
    return f"{score.fiscal_year_be} {score.component} {score.title} {score.score}"


def delete_score(score: AssessmentScore, user) -> None:
    """Remove a recorded score."""
    record("assessment_score.delete", score, _score_summary(score), user=user)
    db.session.delete(score)
    db.session.flush()


# --- bands ----------------------------------------------------------------------------------------

def save_bands(raw: Mapping[str, Any], user) -> dict[str, Decimal]:
    """Set the lowest score of each of the three levels for one fiscal year (raw: fiscal_year_be, basic, …)."""
    errors: dict[str, str] = {}
    year = whole_number(raw, "fiscal_year_be", errors, low=YEAR_MIN, high=YEAR_MAX)
    bands = {level: _score(raw, level, errors) for level in LEVELS}
    if not errors:
        problem = bands_problem(bands)
        if problem is not None:
            higher, _sep, lower = problem.partition(" <= ")
            errors[higher if higher in LEVELS else LEVELS[-1]] = _(
                "ต้องมากกว่าเกณฑ์%(lower)s", lower=LEVEL_LABELS.get(lower, lower))
    if errors:
        raise Invalid(_("เกณฑ์การประเมินไม่ถูกต้อง"), errors)
    rows = {band.level: band for band in db.session.scalars(
        select(AssessmentBand).where(AssessmentBand.fiscal_year_be == year))}
    changes: dict[str, list] = {}
    for level, value in bands.items():
        band = rows.get(level)
        if band is None:
            db.session.add(AssessmentBand(fiscal_year_be=year, level=level, min_score=value))
            changes[level] = [None, str(value)]
        elif band.min_score != value:
            changes[level] = [str(band.min_score), str(value)]
            band.min_score = value
    db.session.flush()
    if changes:
        record("assessment_bands.update", summary=_("เกณฑ์การประเมิน ปีงบประมาณ พ.ศ. %(fy)d", fy=year),
               changes=changes, user=user, object_type="assessment_year", object_id=year)
    return bands
