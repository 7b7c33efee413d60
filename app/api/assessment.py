"""Assessment API: the agency assessment's yearly component scores (with the level each reaches) and each
fiscal year's level bands, through the same services as the web pages (app.reports.assessments)."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, textlimits
from app.api import allow, api
from app.api.schemas import ArgumentsModel, OneLine, RequestModel, StrictFloat, StrictInt, Text, errors
from app.assessment import LEVELS, level_for
from app.reports import assessments
from app.reports.models import ASSESSMENT_BASES, AssessmentScore

tag = Tag(name="assessment", description="The agency assessment: yearly component scores and level bands")

Base = Literal[ASSESSMENT_BASES]  # type: ignore[valid-type]
Level = Literal[LEVELS]  # type: ignore[valid-type]


class YearQuery(ArgumentsModel):
    year: int | None = Field(None, ge=assessments.YEAR_MIN, le=assessments.YEAR_MAX,
                            description="Only this fiscal year (BE), e.g. 2567")


class ScorePath(BaseModel):
    id: int


class YearPath(BaseModel):
    year: int = Field(ge=assessments.YEAR_MIN, le=assessments.YEAR_MAX, description="Fiscal year (BE), e.g. 2567")


class Bands(BaseModel):
    basic: float | None = Field(None, description="Lowest score of ระดับมาตรฐานขั้นต้น")
    standard: float | None = Field(None, description="Lowest score of ระดับมาตรฐาน")
    advanced: float | None = Field(None, description="Lowest score of ระดับมาตรฐานขั้นสูง")


class BandsOut(Bands):
    fiscal_year_be: int


class ScoreOut(BaseModel):
    id: int
    fiscal_year_be: int
    component: int = Field(description="องค์ประกอบที่ N")
    base: Base
    title: str
    score: float = Field(description="0.00–100.00")
    note: str | None
    level: Level | None = Field(description="The level reached under the year's bands; null: below them, or no bands")


class AssessmentYearOut(BaseModel):
    fiscal_year_be: int
    bands: Bands
    scores: list[ScoreOut]


class AssessmentList(BaseModel):
    items: list[AssessmentYearOut] = Field(description="Years with scores or bands, newest first")


class ScoreIn(RequestModel):
    fiscal_year_be: StrictInt = Field(description="Fiscal year, Buddhist era")
    component: StrictInt = Field(description="องค์ประกอบที่ 1–99; one score per year and component (409)")
    base: Base = "performance"
    title: OneLine(textlimits.TITLE, min_length=1)
    score: StrictFloat = Field(description="0.00–100.00, at most two decimals")
    note: Text(textlimits.LONG_TEXT) | None = None


class ScorePatch(RequestModel):
    fiscal_year_be: StrictInt | None = None
    component: StrictInt | None = None
    base: Base | None = None
    title: OneLine(textlimits.TITLE, min_length=1) | None = None
    score: StrictFloat | None = None
    note: Text(textlimits.LONG_TEXT) | None = None


class BandsIn(RequestModel):
    basic: StrictFloat = Field(description="Lowest score of ระดับมาตรฐานขั้นต้น")
    standard: StrictFloat = Field(description="Lowest score of ระดับมาตรฐาน; above basic")
    advanced: StrictFloat = Field(description="Lowest score of ระดับมาตรฐานขั้นสูง; above standard")


def _plain(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def score_out(score: AssessmentScore, bands: dict[str, Decimal] | None = None) -> dict:
    """A score with the level it reaches under its year's bands (read when not given)."""
    if bands is None:
        bands = assessments.year_bands([score.fiscal_year_be]).get(score.fiscal_year_be, {})
    return ScoreOut(id=score.id, fiscal_year_be=score.fiscal_year_be, component=score.component, base=score.base,
                    title=score.title, score=float(score.score), note=score.note,
                    level=level_for(score.score, bands)).model_dump()


def bands_out(year: int, bands: dict[str, Decimal]) -> dict:
    """A year's bands ({level: lowest score}); null for a level not set."""
    return BandsOut(fiscal_year_be=year, **{level: _plain(bands.get(level)) for level in LEVELS}).model_dump()


def managed_score(score_id: int) -> AssessmentScore:
    """The score to change: 404 when missing, 403 when not the user's to change."""
    return access.load(AssessmentScore, score_id, read=authz.can_view_score, change=authz.can_manage_score)


@api.get("/assessment", tags=[tag], responses={200: AssessmentList, **errors(401)})
@allow(authz.can_view_assessment)
def list_assessment(query: YearQuery):
    """Every fiscal year with scores or bands (or one year), newest first: bands, scores and their levels."""
    years = assessments.assessment_years(query.year)
    return {"items": [{"fiscal_year_be": y.fiscal_year_be,
                       "bands": {level: _plain(y.bands.get(level)) for level in LEVELS},
                       "scores": [score_out(line.score, y.bands) for line in y.lines]} for y in years]}


@api.post("/assessment/scores", tags=[tag], responses={201: ScoreOut, **errors(401, 403, 409, 422)})
@allow(authz.can_manage_assessment)
def create_score(body: ScoreIn):
    """Record a component's score for a fiscal year (409 when that year and component has one)."""
    return score_out(assessments.save_score(None, body.model_dump(), current_user)), 201


@api.get("/assessment/scores/<int:id>", tags=[tag], responses={200: ScoreOut, **errors(401, 404)})
def get_score(path: ScorePath):
    """One score with its level."""
    return score_out(access.load(AssessmentScore, path.id, read=authz.can_view_score))


@api.patch("/assessment/scores/<int:id>", tags=[tag], responses={200: ScoreOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_manage_assessment)
def patch_score(path: ScorePath, body: ScorePatch):
    """Change a recorded score (the fields sent)."""
    score = managed_score(path.id)
    current = {"fiscal_year_be": score.fiscal_year_be, "component": score.component, "base": score.base,
               "title": score.title, "score": score.score, "note": score.note}
    return score_out(assessments.save_score(score, {**current, **body.model_dump(exclude_unset=True)},
                                            current_user))


@api.delete("/assessment/scores/<int:id>", tags=[tag], responses={204: None, **errors(401, 403, 404)})
@allow(authz.can_manage_assessment)
def delete_score(path: ScorePath):
    """Remove a recorded score."""
    assessments.delete_score(managed_score(path.id), current_user)
    return "", 204


@api.get("/assessment/bands/<int:year>", tags=[tag], responses={200: BandsOut, **errors(401, 404)})
@allow(authz.can_view_assessment)
def get_bands(path: YearPath):
    """A fiscal year's bands (null for levels not set)."""
    return bands_out(path.year, assessments.year_bands([path.year]).get(path.year, {}))


@api.put("/assessment/bands/<int:year>", tags=[tag], responses={200: BandsOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_assessment)
def put_bands(path: YearPath, body: BandsIn):
    """Set the lowest score of each level for a fiscal year; each level above the one below it."""
    bands = assessments.save_bands({"fiscal_year_be": path.year, **body.model_dump()}, current_user)
    return bands_out(path.year, bands)
