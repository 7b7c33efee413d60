"""Quorum and votes at a meeting: the body's quorum rule, who counts as present, opening a vote on an agenda
item, casting (or recording) a ballot, closing with the result, the chair's casting vote, and the resolution the
result writes into the minutes. Web pages and the API call these functions; they flush, never commit.

Who counts toward the quorum and may vote: members of the body (every position, the secretary included) marked
present on site, online with their identity confirmed, or represented by a delegate when the body lets delegates
count. A member votes from their own phone when present or confirmed online; a delegate's vote, and any vote
given by hand, is recorded by the secretariat. Opening a vote without quorum, closing it and the casting vote on
a tie belong to whoever runs the vote (app.authz.can_run_vote: the meeting's chair, or the secretariat recording
the chair's decision); the override's reason and its author are kept on the vote and in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import authz, quorum, textlimits
from app.audit.services import pending_changes, record
from app.bodies.models import Body, Membership
from app.dbtypes import utcnow
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.meetings.models import Attendance, Meeting
from app.meetings.services import ensure_record_open
from app.votes.models import SecretBallot, Vote, VoteVoter

MAX_OPTIONS = 30
MAX_WEIGHT = 1000


# --- quorum ------------------------------------------------------------------------------------

def set_quorum_rule(body: Body, kind: str, value: Any = None, delegates_count: bool | None = None) -> Body:
    """Change the body's quorum rule (majority, a count of members, or a fraction of them) and whether delegates
    count; Invalid for a rule the body cannot meet (a count above its members, a fraction outside 0–1)."""
    members = member_count(body)
    if kind == "count" and (isinstance(value, bool) or not isinstance(value, int)):
        raise Invalid(_("องค์ประชุมไม่ถูกต้อง"), {"quorum.value": _("ต้องเป็นจำนวนเต็ม")})
    try:
        rule = quorum.QuorumRule(kind, quorum.parse_fraction(value) if kind == "fraction" else value)
        quorum.required(rule, members)
    except quorum.QuorumRuleError as error:
        raise Invalid(_("องค์ประชุมไม่ถูกต้อง"), {"quorum.value" if kind in quorum.QUORUM_KINDS else "quorum.kind":
                                                 _(error.message, **error.params)}) from None
    body.quorum_kind = kind
    body.quorum_value = rule.value.numerator if kind == "fraction" else (value if kind == "count" else None)
    body.quorum_denominator = rule.value.denominator if kind == "fraction" else None
    if delegates_count is not None:
        body.delegates_count = bool(delegates_count)
    changes = pending_changes(body)
    if changes:
        record("body.quorum", body, body.name, changes)
    return body


def member_count(body: Body) -> int:
    """How many members the body has (the base of its quorum and of an absolute majority)."""
    return db.session.scalar(select(func.count(Membership.id)).where(Membership.body_id == body.id)) or 0


def counts_as_present(row: Attendance, body: Body) -> bool:
    """A member present on site, online with their identity confirmed, or represented by a delegate when the body
    lets delegates count."""
    return (row.status == "present" or (row.status == "online" and row.identity_confirmed)
            or (row.status == "delegate" and body.delegates_count))


def present_members(meeting: Meeting) -> list[Attendance]:
    """The attendance rows of the body's members who count toward the quorum and may vote."""
    seated = set(db.session.scalars(select(Membership.user_id).where(Membership.body_id == meeting.body_id)))
    return [row for row in meeting.attendance
            if row.user_id in seated and counts_as_present(row, meeting.body)]


@dataclass(frozen=True)
class QuorumState:
    """The quorum of a meeting now: the rule, the body's members, how many are required and present."""

    rule: quorum.QuorumRule
    rule_fields: dict  # {"kind", "value"} as the API shows it
    delegates_count: bool
    members: int
    required: int
    present: int
    met: bool


def quorum_of(meeting: Meeting) -> QuorumState:
    """Whether the meeting has its quorum, from its attendance as recorded."""
    body = meeting.body
    members = member_count(body)
    present = len(present_members(meeting))
    rule = body.quorum_rule
    try:
        needed = quorum.required(rule, members)
    except quorum.QuorumRuleError:  # members left after the rule was set: a count above them cannot be met
        needed = rule.value if isinstance(rule.value, int) else members + 1
    return QuorumState(rule, body.quorum, body.delegates_count, members, needed, present,
                       present > 0 and present >= needed)


def quorum_line(meeting: Meeting) -> str | None:
    """ครบองค์ประชุม / ไม่ครบองค์ประชุม, as the minutes state it (None before attendance is recorded)."""
    if not any(row.user_id for row in meeting.attendance):
        return None
    return "ครบองค์ประชุม" if quorum_of(meeting).met else "ไม่ครบองค์ประชุม"


# --- opening a vote ------------------------------------------------------------------------------

def _clean_options(options: Sequence[str] | None, errors: dict[str, str]) -> list[str]:
    """The options in order: เห็นชอบ / ไม่เห็นชอบ / งดออกเสียง by default, else 2 or more distinct texts."""
    if not options:
        return list(quorum.MOTION_OPTIONS)
    cleaned = [str(option).strip() for option in options]
    if len(cleaned) < 2 or len(cleaned) > MAX_OPTIONS:
        errors["options"] = _("ต้องมีตัวเลือก 2 ถึง %(n)d รายการ", n=MAX_OPTIONS)
    elif any(not option for option in cleaned):
        errors["options"] = _("ตัวเลือกต้องไม่เว้นว่าง")
    elif len(set(cleaned)) != len(cleaned):
        errors["options"] = _("ตัวเลือกซ้ำกัน")
    else:
        for option in cleaned:
            if problem := textlimits.check_text(option, textlimits.TITLE, one_line=True, gettext=_):
                errors["options"] = problem
    return cleaned


def _clean_weights(meeting: Meeting, weights: Mapping[Any, Any] | None, secret: bool,
                   errors: dict[str, str]) -> dict[str, int] | None:
    """{user id: weight} for members of the body (1 … MAX_WEIGHT); refused for a secret vote, where a member's
    unusual weight would show their ballot."""
    if not weights:
        return None
    if secret:
        errors["weights"] = _("การลงคะแนนลับใช้น้ำหนักคะแนนไม่ได้ (น้ำหนักที่ต่างกันจะเปิดเผยว่าใครลงคะแนนอย่างไร)")
        return None
    seated = set(db.session.scalars(select(Membership.user_id).where(Membership.body_id == meeting.body_id)))
    cleaned: dict[str, int] = {}
    for key, weight in weights.items():
        user_id = int(key) if str(key).isdigit() else None
        if user_id not in seated:
            errors[f"weights.{key}"] = _("ไม่ใช่กรรมการของคณะนี้")
        elif isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
            errors[f"weights.{key}"] = _("น้ำหนักต้องเป็นจำนวนเต็ม 1 ถึง %(n)d", n=MAX_WEIGHT)
        else:
            cleaned[str(user_id)] = weight
    return cleaned


def open_vote(item, user, *, question: str, secret: bool = False, options: Sequence[str] | None = None,
              majority: str = "simple", closes_at: datetime | None = None, override_reason: str | None = None,
              weights: Mapping[Any, Any] | None = None) -> Vote:
    """Put a question on an agenda item to the vote. Without quorum: Conflict (quorum_not_met) unless whoever runs
    the vote overrides it with a reason, which is kept on the vote and in the audit log."""
    meeting = item.meeting
    ensure_record_open(meeting)
    if not authz.can_open_vote(user, item):
        raise Forbidden(_("เฉพาะประธานการประชุมและฝ่ายเลขานุการเปิดการลงมติได้"))
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))
    errors: dict[str, str] = {}
    question = (question or "").strip()
    if not question:
        errors["question"] = _("กรุณาระบุประเด็นที่ขอมติ")
    elif problem := textlimits.check_text(question, textlimits.TITLE, one_line=True, gettext=_):
        errors["question"] = problem
    if majority not in quorum.MAJORITIES:
        errors["majority"] = _("ต้องเป็น simple, two_thirds หรือ absolute")
    cleaned = _clean_options(options, errors)
    cleaned_weights = _clean_weights(meeting, weights, secret, errors)
    if closes_at is not None and closes_at <= utcnow():
        errors["closes_at"] = _("เวลาปิดการลงมติต้องอยู่ในอนาคต")
    reason = (override_reason or "").strip() or None
    if reason and (problem := textlimits.check_text(reason, textlimits.REASON, one_line=False, gettext=_)):
        errors["override_reason"] = problem
    if errors:
        raise Invalid(_("ข้อมูลการลงมติไม่ถูกต้อง"), errors)
    state = quorum_of(meeting)
    if not state.met:
        if reason is None:
            raise Conflict(_("ไม่ครบองค์ประชุม (มา %(present)d คน ต้องมีอย่างน้อย %(required)d คน) ประธานอาจให้ลงมติต่อได้"
                             "โดยระบุเหตุผล", present=state.present, required=state.required),
                           {"override_reason": _("ระบุเหตุผลที่ประธานให้ลงมติทั้งที่ไม่ครบองค์ประชุม")},
                           code="quorum_not_met")
        if not authz.can_override_quorum(user, meeting):
            raise Forbidden(_("เฉพาะประธานการประชุมหรือฝ่ายเลขานุการตามคำสั่งประธานให้ลงมติโดยไม่ครบองค์ประชุมได้"))
    vote = Vote(agenda_item_id=item.id, question=question, secret=bool(secret), options=cleaned, majority=majority,
                weights=cleaned_weights, state="open", opened_at=utcnow(), closes_at=closes_at,
                opened_by_id=getattr(user, "id", None), quorum_override_reason=None if state.met else reason)
    db.session.add(vote)
    db.session.flush()
    summary = f"{item.number} {question}" + (" (ลับ)" if secret else "")
    if not state.met:
        summary += f" — ไม่ครบองค์ประชุม ({state.present}/{state.required}) ประธานให้ลงมติต่อ: {reason}"
    record("vote.open", vote, summary, user=user)
    return vote


# --- casting -----------------------------------------------------------------------------------

def close_if_due(vote: Vote, user=None) -> Vote:
    """Close a vote whose closing time has passed (votes close lazily, when read or cast after that time)."""
    if vote.state == "open" and vote.closes_at is not None and vote.closes_at <= utcnow():
        _close(vote, user)
    return vote


def voter_rows(vote: Vote) -> dict[int, Attendance]:
    """The members who may vote now, by user id, with their attendance row."""
    return {row.user_id: row for row in present_members(vote.agenda_item.meeting)}


def may_vote_in_person(user, vote: Vote) -> bool:
    """The user may cast their own ballot: the vote is open and they are present on site or confirmed online
    (a delegate's vote is recorded by the secretariat)."""
    if vote.state != "open" or not authz.is_signed_in(user):
        return False
    row = voter_rows(vote).get(user.id)
    return row is not None and row.status in ("present", "online")


def has_voted(vote: Vote, user_id: int) -> bool:
    """Whether this member's ballot is already in."""
    return db.session.scalar(select(VoteVoter.user_id).where(VoteVoter.vote_id == vote.id,
                                                             VoteVoter.user_id == user_id)) is not None


def cast_ballot(vote: Vote, user, choice: str, *, for_user_id: int | None = None) -> VoteVoter:
    """Cast the user's ballot, or (`for_user_id`, the secretariat) record a member's hand vote. One ballot each
    (Conflict for a second, enforced by the unique key); in a secret vote the choice is stored apart from the voter
    and the audit log says only that they voted."""
    _lock_for_casting(vote)
    close_if_due(vote, user)
    if vote.state != "open":
        raise Conflict(_("การลงมตินี้ปิดแล้ว"), code="vote_closed")
    if for_user_id is None:
        if not may_vote_in_person(user, vote):
            raise Forbidden(_("เฉพาะกรรมการที่อยู่ในที่ประชุม (หรือยืนยันตัวตนออนไลน์แล้ว) ลงคะแนนได้"))
        voter_id, by_hand = user.id, False
    else:
        if not authz.can_record_hand_votes(user, vote):
            raise Forbidden(_("เฉพาะฝ่ายเลขานุการบันทึกการลงคะแนนแทนได้"))
        if for_user_id not in voter_rows(vote):
            raise Invalid(_("ผู้นี้ลงคะแนนไม่ได้"), {"user_id": _("ไม่ใช่กรรมการที่อยู่ในที่ประชุม")})
        voter_id, by_hand = for_user_id, True
    if choice not in vote.options:
        raise Invalid(_("ตัวเลือกไม่ถูกต้อง"), {"choice": _("ต้องเป็นหนึ่งใน %(o)s", o=" / ".join(vote.options))})
    if has_voted(vote, voter_id):
        raise Conflict(_("ลงคะแนนแล้ว ลงซ้ำไม่ได้"), code="already_voted")
    weight = int((vote.weights or {}).get(str(voter_id), 1))
    voter = VoteVoter(vote_id=vote.id, user_id=voter_id, by_hand=by_hand, weight=weight,
                      choice=None if vote.secret else choice)
    try:
        with db.session.begin_nested():
            db.session.add(voter)
            db.session.flush()  # the unique key (vote, user) decides between two ballots sent at once
    except IntegrityError:
        raise Conflict(_("ลงคะแนนแล้ว ลงซ้ำไม่ได้"), code="already_voted") from None
    if vote.secret:
        db.session.add(SecretBallot(vote_id=vote.id, choice=choice))
        db.session.flush()
    name = voter.user.name if voter.user else str(voter_id)
    if vote.secret:  # who voted, never how
        summary = f"{name} ลงคะแนนลับแล้ว" + (" (ฝ่ายเลขานุการบันทึก)" if by_hand else "")
    else:
        summary = f"{name}: {choice}" + (" (ฝ่ายเลขานุการบันทึก)" if by_hand else "")
    record("vote.ballot", vote, summary, user=user)
    return voter


def _lock_for_casting(vote: Vote) -> None:
    """Hold the vote's row shared while a ballot goes in (PostgreSQL), so a close cannot count without it."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Vote.id).where(Vote.id == vote.id).with_for_update(read=True))
        db.session.refresh(vote, attribute_names=["state", "result", "closed_at"])


# --- closing -----------------------------------------------------------------------------------

def tally(vote: Vote) -> dict[str, int]:
    """Votes per option (weighted in an open vote); secret votes are counted from the unlinked ballots."""
    counts = {option: 0 for option in vote.options}
    if vote.secret:
        rows = db.session.execute(select(SecretBallot.choice, func.count()).where(SecretBallot.vote_id == vote.id)
                                  .group_by(SecretBallot.choice))
    else:
        rows = db.session.execute(select(VoteVoter.choice, func.sum(VoteVoter.weight)).where(VoteVoter.vote_id == vote.id)
                                  .group_by(VoteVoter.choice))
    for choice, count in rows:
        if choice in counts:
            counts[choice] = int(count or 0)
    return counts


def decide(vote: Vote) -> quorum.Outcome:
    """The vote's outcome by its majority rule and the chair's casting vote, if any."""
    return quorum.decide(vote.options, tally(vote), vote.majority, member_count(vote.agenda_item.meeting.body),
                         vote.casting_vote)


def _result(vote: Vote) -> dict:
    outcome = decide(vote)
    voters = db.session.scalar(select(func.count(VoteVoter.user_id)).where(VoteVoter.vote_id == vote.id)) or 0
    return {"counts": outcome.counts, "outcome": outcome.outcome, "voters": voters, "winner": outcome.winner,
            "tied": list(outcome.tied), "casting_vote": vote.casting_vote,
            "resolution": quorum.resolution_text(outcome, vote.options, vote.casting_vote)}


def _close(vote: Vote, user) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Vote.id).where(Vote.id == vote.id).with_for_update())
        db.session.refresh(vote, attribute_names=["state", "result", "closed_at"])
        if vote.state != "open":
            return
    result = _result(vote)
    vote.state, vote.closed_at, vote.result = "closed", utcnow(), result
    db.session.flush()
    record("vote.close", vote, f"{vote.question}: {vote.result['resolution']}", user=user)
    write_resolution(vote, user)


def close_vote(vote: Vote, user) -> Vote:
    """Close the vote (whoever runs it): count, decide by the majority rule, and write the resolution in the
    minutes; a tie under the simple majority waits for the chair's casting vote."""
    close_if_due(vote, user)
    if vote.state != "open":
        raise Conflict(_("การลงมตินี้ปิดแล้ว"), code="vote_closed")
    if not authz.can_close_vote(user, vote):
        raise Forbidden(_("เฉพาะประธานการประชุมและฝ่ายเลขานุการปิดการลงมติได้"))
    _close(vote, user)
    return vote


def record_casting_vote(vote: Vote, user, choice: str) -> Vote:
    """The chair's deciding vote on a tie (ประธานออกเสียงชี้ขาด), recorded by the chair or the secretariat: stored
    on the vote, the result and the minutes' resolution follow it."""
    close_if_due(vote, user)
    if not authz.can_cast_casting_vote(user, vote):
        if vote.state == "closed" and (vote.result or {}).get("outcome") != "tied":
            raise Conflict(_("คะแนนเสียงไม่เท่ากัน ไม่ต้องมีการออกเสียงชี้ขาด"), code="not_tied")
        if vote.state != "closed":
            raise Conflict(_("ต้องปิดการลงมติก่อน"), code="vote_open")
        raise Forbidden(_("เฉพาะประธานการประชุม หรือฝ่ายเลขานุการตามที่ประธานชี้ขาด บันทึกการออกเสียงชี้ขาดได้"))
    if choice not in (vote.result or {}).get("tied", []):
        raise Invalid(_("ตัวเลือกไม่ถูกต้อง"), {"choice": _("ต้องเป็นหนึ่งใน %(o)s",
                                                           o=" / ".join(vote.result.get("tied", [])))})
    vote.casting_vote = choice
    vote.result = _result(vote)
    db.session.flush()
    record("vote.casting", vote, f"ประธานออกเสียงชี้ขาด: {choice} — {vote.result['resolution']}", user=user)
    write_resolution(vote, user)
    return vote


RESOLUTION_KIND = {"approved": "approved", "rejected": "rejected"}


def write_resolution(vote: Vote, user) -> None:
    """The result fills the agenda item's resolution in the minutes (created as a draft if none were saved yet),
    with the tally and no names; nothing is written once the meeting's record is frozen."""
    from app.minutes.models import Minutes, MinutesItem
    from app.minutes.services import _write_version, minutes_of

    meeting = vote.agenda_item.meeting
    if authz.meeting_record_frozen(meeting) or meeting.status == "cancelled":
        return
    minutes = minutes_of(meeting)
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, state="draft")
        db.session.add(minutes)
        db.session.flush()
    item = next((i for i in minutes.items if i.agenda_item_id == vote.agenda_item_id), None)
    if item is None:
        item = MinutesItem(agenda_item_id=vote.agenda_item_id)
        minutes.items.append(item)
    item.resolution = vote.result["resolution"]
    item.resolution_kind = RESOLUTION_KIND.get(vote.result["outcome"], item.resolution_kind)
    minutes.updated_by_id = getattr(user, "id", None)
    minutes.updated_at = utcnow()  # the minutes' version grows, as on every save
    _write_version(minutes, user)
    record("minutes.resolution", minutes, f"{vote.agenda_item.number}: {item.resolution}", user=user)


# --- reading -----------------------------------------------------------------------------------

def votes_of_meeting(meeting: Meeting) -> list[Vote]:
    """The meeting's votes in the order they were opened, each closed first if its time has passed."""
    from app.agenda.models import AgendaItem

    votes = list(db.session.scalars(select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                                    .where(AgendaItem.meeting_id == meeting.id).order_by(Vote.id)))
    return [close_if_due(vote) for vote in votes]


def voted(vote: Vote) -> list[VoteVoter]:
    """Who has voted, in user-id order (never the order they voted in)."""
    return list(db.session.scalars(select(VoteVoter).where(VoteVoter.vote_id == vote.id).order_by(VoteVoter.user_id)))
