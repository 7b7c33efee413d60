"""Quorum (องค์ประชุม) and the majority of a vote, as arithmetic on plain values: no Flask, no session.

A body's quorum rule is one of:
- ``majority``: more than half of its members (exactly half is not a quorum);
- ``count``: at least that many members (never more than the body has);
- ``fraction``: at least that fraction of its members, rounded up (2/3 of 10 members → 7).

A vote is decided by one of three majorities (abstentions, งดออกเสียง, are not votes cast):
- ``simple``: the leading option has more votes than every other (for a motion: more for than against);
- ``two_thirds``: the leading option has at least two-thirds of the votes cast;
- ``absolute``: the leading option has more than half of ALL the body's members.
Under the simple majority, options tied at the top are decided by the chair's casting vote
(ประธานออกเสียงชี้ขาด); without one the vote is tied and nothing is resolved.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

QUORUM_KINDS = ("majority", "count", "fraction")
MAJORITIES = ("simple", "two_thirds", "absolute")
APPROVE, REJECT, ABSTAIN = "เห็นชอบ", "ไม่เห็นชอบ", "งดออกเสียง"
MOTION_OPTIONS = (APPROVE, REJECT, ABSTAIN)  # the options of a vote on a motion, in this order


def N_(message: str) -> str:
    """Mark a message for extraction; the caller translates it (QuorumRuleError.message and .params)."""
    return message


NOT_A_FRACTION = N_("สัดส่วนต้องเป็นเศษส่วน เช่น 2/3")
FRACTION_RANGE = N_("สัดส่วนต้องมากกว่า 0 และไม่เกิน 1")
NOT_A_COUNT = N_("จำนวนองค์ประชุมต้องเป็นจำนวนเต็มตั้งแต่ 1")
COUNT_ABOVE_MEMBERS = N_("จำนวนองค์ประชุมเกินจำนวนกรรมการ (%(n)d คน)")
UNKNOWN_KIND = N_("ชนิดขององค์ประชุมต้องเป็น majority, count หรือ fraction")


class QuorumRuleError(ValueError):
    """A quorum rule that cannot be applied (unknown kind, a count above the members, a bad fraction): an
    untranslated message and its parameters."""

    def __init__(self, message: str, **params: int):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@dataclass(frozen=True)
class QuorumRule:
    """A body's quorum rule: its kind and, for count and fraction, its value (an int, or a Fraction)."""

    kind: str = "majority"
    value: int | Fraction | None = None


def parse_fraction(value: object) -> Fraction:
    """A fraction of the members from "2/3", 0.5 or "0.6"; QuorumRuleError unless 0 < value <= 1."""
    if isinstance(value, bool) or value is None:
        raise QuorumRuleError(NOT_A_FRACTION)
    try:
        fraction = Fraction(str(value).strip()).limit_denominator(100)
    except (ValueError, ZeroDivisionError):
        raise QuorumRuleError(NOT_A_FRACTION) from None
    if not 0 < fraction <= 1:
        raise QuorumRuleError(FRACTION_RANGE)
    return fraction


def required(rule: QuorumRule, members: int) -> int:
    """How many members make a quorum of a body of `members`; QuorumRuleError for a rule that cannot apply."""
    if rule.kind == "majority":
        return members // 2 + 1
    if rule.kind == "count":
        if isinstance(rule.value, bool) or not isinstance(rule.value, int) or rule.value < 1:
            raise QuorumRuleError(NOT_A_COUNT)
        if rule.value > members:
            raise QuorumRuleError(COUNT_ABOVE_MEMBERS, n=members)
        return rule.value
    if rule.kind == "fraction":
        fraction = parse_fraction(rule.value)
        numerator = fraction.numerator * members
        return max(1, -(-numerator // fraction.denominator))  # rounded up
    raise QuorumRuleError(UNKNOWN_KIND)


def met(rule: QuorumRule, members: int, present: int) -> bool:
    """Whether `present` members make a quorum of a body of `members` (never with nobody present)."""
    return present > 0 and present >= required(rule, members)


@dataclass(frozen=True)
class Outcome:
    """The result of a vote: counts per option, votes cast, the outcome and the winning option, if any.

    outcome: approved | rejected (a motion), chosen | no_decision (candidates), tied (a tie, no casting vote)."""

    counts: dict[str, int]
    cast: int
    outcome: str
    winner: str | None
    tied: tuple[str, ...] = ()


def is_motion(options: Sequence[str]) -> bool:
    """A vote on a motion has the options เห็นชอบ / ไม่เห็นชอบ / งดออกเสียง (candidates otherwise)."""
    return tuple(options) == MOTION_OPTIONS


def decide(options: Sequence[str], counts: Mapping[str, int], majority: str, members: int,
           casting_vote: str | None = None) -> Outcome:
    """The outcome of a vote from its counts (see the module's rules); `casting_vote` decides a simple-majority tie."""
    if majority not in MAJORITIES:
        raise ValueError(f"unknown majority {majority!r}")
    full = {option: int(counts.get(option, 0)) for option in options}
    contested = [option for option in options if option != ABSTAIN]
    cast = sum(full[option] for option in contested)
    top = max((full[option] for option in contested), default=0)
    leaders = tuple(option for option in contested if full[option] == top)
    motion = is_motion(options)
    if majority == "simple" and cast > 0 and len(leaders) > 1:
        if casting_vote not in leaders:
            return Outcome(full, cast, "tied", None, leaders)
        leader = casting_vote
    else:
        leader = leaders[0] if cast > 0 and len(leaders) == 1 else None
    if leader is not None and majority == "two_thirds" and 3 * full[leader] < 2 * cast:
        leader = None
    if leader is not None and majority == "absolute" and 2 * full[leader] <= members:
        leader = None
    if motion:
        return Outcome(full, cast, "approved" if leader == APPROVE else "rejected", leader)
    return Outcome(full, cast, "chosen" if leader else "no_decision", leader)


def resolution_text(outcome: Outcome, options: Sequence[str], casting_vote: str | None = None) -> str:
    """The resolution as the minutes print it, with the tally and no one's name:
    "ที่ประชุมมีมติเห็นชอบ (เห็นชอบ 5 ไม่เห็นชอบ 1 งดออกเสียง 1)"."""
    tally = " ".join(f"{option} {outcome.counts.get(option, 0)}" for option in options)
    casting = " โดยประธานออกเสียงชี้ขาด" if casting_vote and outcome.winner == casting_vote else ""
    if outcome.outcome == "approved":
        said = "ที่ประชุมมีมติเห็นชอบ"
    elif outcome.outcome == "rejected":
        said = "ที่ประชุมมีมติไม่เห็นชอบ"
    elif outcome.outcome == "chosen":
        said = f"ที่ประชุมมีมติเลือก {outcome.winner}"
    elif outcome.outcome == "tied":
        said = "คะแนนเสียงเท่ากัน ที่ประชุมยังไม่มีมติ"
    else:
        said = "ไม่มีตัวเลือกใดได้คะแนนเสียงตามเกณฑ์ ที่ประชุมยังไม่มีมติ"
    return f"{said}{casting} ({tally})"
