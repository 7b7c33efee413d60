"""Unit tests for app.assessment (pure: no app, no database)."""
from decimal import Decimal

import pytest

from app.assessment import LEVELS, SCORE_MAX, SCORE_MIN, bands_problem, level_for

D = Decimal

# FY 2567 (DOMAIN.md): basic from 50, standard from 70, advanced from 100
FY2567 = {"basic": D("50.00"), "standard": D("70.00"), "advanced": D("100.00")}
# another year's bands (a sample), under which the seed's 85.00 reaches advanced
OTHER_YEAR = {"basic": D("60.00"), "standard": D("75.00"), "advanced": D("85.00")}


def test_levels_lowest_first_and_range():
    assert LEVELS == ("basic", "standard", "advanced")
    assert (SCORE_MIN, SCORE_MAX) == (D("0.00"), D("100.00"))


@pytest.mark.parametrize("score, level", [
    ("0.00", None),
    ("49.99", None),        # below every band
    ("50.00", "basic"),     # exact boundary
    ("69.99", "basic"),
    ("70.00", "standard"),  # exact boundary
    ("85.00", "standard"),  # the seed's score is only standard in FY 2567
    ("99.99", "standard"),
    ("100.00", "advanced"),
])
def test_level_for_fy2567(score, level):
    assert level_for(D(score), FY2567) == level


@pytest.mark.parametrize("score, level", [
    ("59.99", None),
    ("60.00", "basic"),
    ("74.99", "basic"),
    ("75.00", "standard"),
    ("84.99", "standard"),
    ("85.00", "advanced"),
    ("100.00", "advanced"),
])
def test_level_for_other_year(score, level):
    assert level_for(D(score), OTHER_YEAR) == level


def test_same_score_differs_by_year():
    assert level_for(D("85.00"), FY2567) == "standard"
    assert level_for(D("85.00"), OTHER_YEAR) == "advanced"


def test_level_for_no_bands():
    assert level_for(D("85.00"), {}) is None
    assert level_for(D("100.00"), {"basic": None, "standard": None, "advanced": None}) is None


def test_level_for_missing_levels():
    only_basic_advanced = {"basic": D("50.00"), "advanced": D("90.00")}
    assert level_for(D("49.00"), only_basic_advanced) is None
    assert level_for(D("70.00"), only_basic_advanced) == "basic"   # no standard band to reach
    assert level_for(D("90.00"), only_basic_advanced) == "advanced"
    only_standard = {"standard": D("70.00"), "advanced": None}
    assert level_for(D("69.99"), only_standard) is None
    assert level_for(D("100.00"), only_standard) == "standard"


def test_level_for_ignores_unknown_keys():
    assert level_for(D("99.00"), {"basic": D("50"), "excellent": D("90")}) == "basic"


def test_bands_problem_fine():
    assert bands_problem(FY2567) is None
    assert bands_problem(OTHER_YEAR) is None
    assert bands_problem({}) is None
    assert bands_problem({"standard": D("70.00")}) is None
    assert bands_problem({"basic": D("0.00"), "advanced": D("100.00")}) is None  # range ends included
    assert bands_problem({"basic": D("50"), "standard": None, "advanced": D("90")}) is None


@pytest.mark.parametrize("bands, problem", [
    ({"basic": D("70"), "standard": D("70"), "advanced": D("100")}, "standard <= basic"),   # equal
    ({"basic": D("50"), "standard": D("80"), "advanced": D("75")}, "advanced <= standard"),  # decreasing
    ({"basic": D("90"), "advanced": D("80")}, "advanced <= basic"),  # gap: compares the given ones
    ({"basic": D("50"), "standard": D("70"), "advanced": D("100.01")}, "advanced out of range"),
    ({"basic": D("-0.01"), "standard": D("70")}, "basic out of range"),
])
def test_bands_problem_reports(bands, problem):
    assert bands_problem(bands) == problem
