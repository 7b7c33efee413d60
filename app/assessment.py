"""The agency assessment (การประเมินส่วนราชการ): the level a score reaches under one fiscal year's bands.

Pure: bands are configured per fiscal year (they change, e.g. FY 2567: 50 / 70 / 100), never hard-coded.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

LEVELS = ("basic", "standard", "advanced")  # ขั้นต้น, มาตรฐาน, ขั้นสูง: lowest first
SCORE_MIN = Decimal("0.00")
SCORE_MAX = Decimal("100.00")


def level_for(score: Decimal, bands: Mapping[str, Decimal]) -> str | None:
    """The highest level whose lowest score `score` reaches, or None (below every band, or no bands)."""
    reached = None
    for level in LEVELS:
        threshold = bands.get(level)
        if threshold is not None and score >= threshold:
            reached = level
    return reached


def bands_problem(bands: Mapping[str, Decimal]) -> str | None:
    """Why a year's bands are inconsistent (a higher level needing a lower score), or None when they are fine."""
    given = [(level, bands[level]) for level in LEVELS if bands.get(level) is not None]
    for (lower, low), (higher, high) in zip(given, given[1:]):
        if high <= low:
            return f"{higher} <= {lower}"
    for level, value in given:
        if not SCORE_MIN <= value <= SCORE_MAX:
            return f"{level} out of range"
    return None
