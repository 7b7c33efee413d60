"""The quorum and majority arithmetic (app.quorum), without the app."""
from __future__ import annotations

from fractions import Fraction

import pytest

from app.quorum import (
    ABSTAIN,
    APPROVE,
    MOTION_OPTIONS,
    REJECT,
    QuorumRule,
    QuorumRuleError,
    decide,
    met,
    parse_fraction,
    required,
    resolution_text,
)

MAJORITY = QuorumRule("majority")


@pytest.mark.parametrize(("members", "needed"), [(1, 1), (2, 2), (7, 4), (8, 5), (10, 6), (0, 1)])
def test_majority_is_more_than_half(members, needed):
    assert required(MAJORITY, members) == needed


def test_exactly_half_is_not_a_majority():
    assert not met(MAJORITY, 10, 5)
    assert met(MAJORITY, 10, 6)
    assert not met(MAJORITY, 8, 4)


def test_nobody_present_is_never_a_quorum():
    assert not met(QuorumRule("fraction", Fraction(1, 100)), 0, 0)


def test_count_rule_and_a_count_above_the_members_is_refused():
    assert required(QuorumRule("count", 5), 9) == 5
    assert met(QuorumRule("count", 5), 9, 5)
    assert not met(QuorumRule("count", 5), 9, 4)
    with pytest.raises(QuorumRuleError) as refused:
        required(QuorumRule("count", 10), 9)
    assert refused.value.params == {"n": 9}
    for bad in (0, -1, True, "5", None):
        with pytest.raises(QuorumRuleError):
            required(QuorumRule("count", bad), 9)


@pytest.mark.parametrize(("fraction", "members", "needed"), [
    (Fraction(2, 3), 10, 7), (Fraction(2, 3), 9, 6), (Fraction(1, 2), 10, 5), (Fraction(1, 2), 7, 4),
    (Fraction(1, 3), 1, 1), (Fraction(1), 4, 4)])
def test_fraction_rounds_up(fraction, members, needed):
    assert required(QuorumRule("fraction", fraction), members) == needed


def test_parse_fraction():
    assert parse_fraction("2/3") == Fraction(2, 3)
    assert parse_fraction(0.5) == Fraction(1, 2)
    assert parse_fraction("0.6") == Fraction(3, 5)
    for bad in ("0", "3/2", "-1/2", "abc", "1/0", None, True, ""):
        with pytest.raises(QuorumRuleError):
            parse_fraction(bad)


def test_unknown_kind():
    with pytest.raises(QuorumRuleError):
        required(QuorumRule("most"), 5)


def counts(approve, reject, abstain=0):
    return {APPROVE: approve, REJECT: reject, ABSTAIN: abstain}


def test_simple_majority_of_votes_cast_abstentions_not_counted():
    outcome = decide(MOTION_OPTIONS, counts(5, 1, 1), "simple", 9)
    assert (outcome.outcome, outcome.cast, outcome.winner) == ("approved", 6, APPROVE)
    assert decide(MOTION_OPTIONS, counts(2, 3, 4), "simple", 9).outcome == "rejected"
    assert decide(MOTION_OPTIONS, counts(1, 0, 8), "simple", 9).outcome == "approved"  # abstentions do not count
    assert decide(MOTION_OPTIONS, counts(0, 0, 5), "simple", 9).outcome == "rejected"  # nothing cast


def test_tie_without_and_with_the_chairs_casting_vote():
    tied = decide(MOTION_OPTIONS, counts(3, 3, 1), "simple", 9)
    assert (tied.outcome, tied.winner, tied.tied) == ("tied", None, (APPROVE, REJECT))
    assert decide(MOTION_OPTIONS, counts(3, 3, 1), "simple", 9, casting_vote=APPROVE).outcome == "approved"
    assert decide(MOTION_OPTIONS, counts(3, 3, 1), "simple", 9, casting_vote=REJECT).outcome == "rejected"
    assert decide(MOTION_OPTIONS, counts(3, 3), "simple", 9, casting_vote=ABSTAIN).outcome == "tied"


def test_two_thirds_of_votes_cast():
    assert decide(MOTION_OPTIONS, counts(4, 2, 3), "two_thirds", 9).outcome == "approved"  # exactly 2/3
    assert decide(MOTION_OPTIONS, counts(5, 3), "two_thirds", 9).outcome == "rejected"
    assert decide(MOTION_OPTIONS, counts(3, 3), "two_thirds", 9).outcome == "rejected"  # no tie rule


def test_absolute_majority_of_all_members():
    assert decide(MOTION_OPTIONS, counts(5, 0), "absolute", 9).outcome == "approved"
    assert decide(MOTION_OPTIONS, counts(4, 0, 2), "absolute", 9).outcome == "rejected"  # 4 of 9 members
    assert decide(MOTION_OPTIONS, counts(5, 1), "absolute", 10).outcome == "rejected"  # exactly half


def test_candidates():
    options = ("นาย ก", "นาง ข", "นางสาว ค")
    chosen = decide(options, {"นาย ก": 4, "นาง ข": 2, "นางสาว ค": 1}, "simple", 9)
    assert (chosen.outcome, chosen.winner) == ("chosen", "นาย ก")
    tied = decide(options, {"นาย ก": 3, "นาง ข": 3, "นางสาว ค": 1}, "simple", 9)
    assert (tied.outcome, tied.tied) == ("tied", ("นาย ก", "นาง ข"))
    assert decide(options, {"นาย ก": 3, "นาง ข": 3}, "simple", 9, casting_vote="นาง ข").winner == "นาง ข"
    assert decide(options, {"นาย ก": 4, "นาง ข": 3}, "absolute", 9).outcome == "no_decision"


def test_unknown_majority():
    with pytest.raises(ValueError):
        decide(MOTION_OPTIONS, counts(1, 0), "most", 9)


def test_resolution_text_names_no_one():
    outcome = decide(MOTION_OPTIONS, counts(5, 1, 1), "simple", 9)
    assert resolution_text(outcome, MOTION_OPTIONS) == "ที่ประชุมมีมติเห็นชอบ (เห็นชอบ 5 ไม่เห็นชอบ 1 งดออกเสียง 1)"
    tie = decide(MOTION_OPTIONS, counts(3, 3), "simple", 9, casting_vote=APPROVE)
    assert resolution_text(tie, MOTION_OPTIONS, APPROVE) == \
        "ที่ประชุมมีมติเห็นชอบ โดยประธานออกเสียงชี้ขาด (เห็นชอบ 3 ไม่เห็นชอบ 3 งดออกเสียง 0)"
    assert resolution_text(decide(MOTION_OPTIONS, counts(3, 3), "simple", 9), MOTION_OPTIONS).startswith(
        "คะแนนเสียงเท่ากัน")
