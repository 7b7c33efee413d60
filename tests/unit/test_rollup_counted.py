"""rollup.worst_counted: the worst status from how many reports have each (what round_tallies keeps)."""
from __future__ import annotations

import random

from app.rollup import SEVERITY, worst, worst_counted


def test_the_worst_status_with_a_report_wins_and_zero_counts_are_ignored():
    assert worst_counted({"completed": 3, "on_track": 1, "delayed": 0}) == "on_track"
    assert worst_counted({"completed": 1, "at_risk": 2, "delayed": 1}) == "delayed"
    assert worst_counted({"completed": 0, "delayed": 0}) is None
    assert worst_counted({}) is None


def test_it_agrees_with_worst_over_the_reports_themselves():
    rng = random.Random(3)
    for _ in range(200):
        statuses = [rng.choice(SEVERITY) for _ in range(rng.randint(0, 6))]
        counts = {status: statuses.count(status) for status in SEVERITY}
        assert worst_counted(counts) == worst(statuses)
