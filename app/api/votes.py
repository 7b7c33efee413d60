"""Quorum and votes API: a meeting's quorum now, votes on agenda items (open or secret), ballots, hand votes,
closing and the chair's casting vote, through the same services as the web pages (app.votes.services).

A secret vote shows who has voted, never how: no response here carries a voter together with a choice."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, textlimits
from app.agenda.models import AgendaItem
from app.api import api
from app.api.idempotency import not_idempotent
from app.api.meetings import MeetingPath, iso_bangkok, visible_meeting
from app.api.schemas import ActionBody, Id, OneLine, RequestModel, StrictInt, Text, errors
from app.errors import Invalid
from app.quorum import MAJORITIES
from app.thaidates import parse_local_datetime
from app.votes import services
from app.votes.models import Vote

tag = Tag(name="votes", description="Quorum, and votes at the meeting (open or secret)")

Majority = Literal[MAJORITIES]  # type: ignore[valid-type]


class QuorumRuleOut(BaseModel):
    kind: Literal["majority", "count", "fraction"]
    value: int | str | None = Field(None, description="count: members; fraction: e.g. \"2/3\"; majority: null")
    delegates_count: bool = Field(description="Whether members represented by a delegate count")


class QuorumOut(BaseModel):
    rule: QuorumRuleOut
    members: int = Field(description="The body's members")
    required: int
    present: int = Field(description="Members present, online with identity confirmed, and delegates if they count")
    met: bool


class VoteIn(RequestModel):
    question: OneLine(textlimits.TITLE, min_length=1)
    secret: bool = False
    options: list[OneLine(textlimits.TITLE)] | None = Field(
        None, description="Default เห็นชอบ / ไม่เห็นชอบ / งดออกเสียง; or the candidates")
    majority: Majority = Field("simple", description="simple (of votes cast), two_thirds (of votes cast), "
                                                     "absolute (of all members); abstentions are not votes cast")
    closes_at: OneLine(40) | None = Field(None, description="ISO 8601; without an offset it means Bangkok time")
    override_reason: Text(textlimits.REASON) | None = Field(
        None, description="Required without quorum: why the chair lets the vote go on")
    weights: dict[str, StrictInt] | None = Field(None, description="Open votes only: {user id: weight}")


class VoterOut(BaseModel):
    user_id: int
    name: str
    by_hand: bool


class NamedBallotOut(BaseModel):
    user_id: int
    choice: str | None


class ResultOut(BaseModel):
    counts: dict[str, int]
    outcome: Literal["approved", "rejected", "chosen", "no_decision", "tied"]
    voters: int
    winner: str | None = None
    tied: list[str] = []
    casting_vote: str | None = None
    resolution: str = Field(description="As the minutes print it, with the tally and no names")
    ballots: list[NamedBallotOut] | None = Field(None, description="Open votes only: each voter's choice")


class VoteOut(BaseModel):
    id: int
    agenda_item_id: int
    meeting_id: int
    question: str
    secret: bool
    options: list[str]
    majority: Majority
    state: Literal["open", "closed"]
    opened_at: str
    closes_at: str | None
    closed_at: str | None
    quorum_override_reason: str | None
    voted: list[VoterOut] = Field(description="Who has voted (never how, in a secret vote)")
    has_voted: bool = Field(description="Whether the signed-in user's ballot is in")
    may_vote: bool = Field(description="Whether the signed-in user may cast a ballot now")
    result: ResultOut | None = Field(None, description="Only once closed")


class VoteList(BaseModel):
    items: list[VoteOut]


class VotePath(BaseModel):
    id: int


class ItemPath(BaseModel):
    id: int


class BallotIn(RequestModel):
    choice: OneLine(textlimits.TITLE, min_length=1)
    user_id: Id | None = Field(None, description="The secretariat recording a member's hand vote")


class CastingVoteIn(RequestModel):
    choice: OneLine(textlimits.TITLE, min_length=1)


def vote_out(vote: Vote) -> dict:
    """A vote as the API shows it: who has voted, and the result only once closed."""
    voters = services.voted(vote)
    result = None
    if vote.state == "closed" and vote.result is not None:
        result = dict(vote.result)
        if not vote.secret:
            result["ballots"] = [{"user_id": v.user_id, "choice": v.choice} for v in voters]
    return VoteOut(
        id=vote.id, agenda_item_id=vote.agenda_item_id, meeting_id=vote.agenda_item.meeting_id,
        question=vote.question, secret=vote.secret, options=vote.options, majority=vote.majority, state=vote.state,
        opened_at=iso_bangkok(vote.opened_at), closes_at=iso_bangkok(vote.closes_at) if vote.closes_at else None,
        closed_at=iso_bangkok(vote.closed_at) if vote.closed_at else None,
        quorum_override_reason=vote.quorum_override_reason,
        voted=[VoterOut(user_id=v.user_id, name=v.user.name, by_hand=v.by_hand) for v in voters],
        has_voted=any(v.user_id == current_user.id for v in voters),
        may_vote=authz.can_cast_vote(current_user, vote) and not any(v.user_id == current_user.id for v in voters),
        result=result,
    ).model_dump()


def quorum_out(meeting) -> dict:
    """The meeting's quorum now."""
    state = services.quorum_of(meeting)
    return {"rule": {**state.rule_fields, "delegates_count": state.delegates_count}, "members": state.members,
            "required": state.required, "present": state.present, "met": state.met}


def readable_vote(vote_id: int) -> Vote:
    """The vote, closed first if its time has passed; 404 unless the user may read it."""
    return services.close_if_due(access.load(Vote, vote_id, read=authz.can_view_vote))


def votable_item(item_id: int) -> AgendaItem:
    """The agenda item to vote on: 404 unless the user may read its meeting's votes, 403 unless they run them."""
    return access.load(AgendaItem, item_id,
                       read=lambda user, item: authz.can_view_meeting(user, item.meeting)
                       and authz.can_view_meeting_votes(user, item.meeting),
                       change=lambda user, item: authz.can_run_vote(user, item.meeting))


@api.get("/meetings/<int:id>/quorum", tags=[tag], responses={200: QuorumOut, **errors(401, 404)})
def get_quorum(path: MeetingPath):
    """Whether the meeting has its quorum now (from the attendance as recorded)."""
    return quorum_out(visible_meeting(path.id))


@api.get("/agenda-items/<int:id>/votes", tags=[tag], responses={200: VoteList, **errors(401, 404)})
def list_item_votes(path: ItemPath):
    """The votes on an agenda item that the user may read."""
    item = access.load(AgendaItem, path.id, read=lambda user, item: authz.can_view_meeting(user, item.meeting))
    votes = [vote for vote in services.votes_of_meeting(item.meeting) if vote.agenda_item_id == item.id]
    return {"items": [vote_out(vote) for vote in votes if authz.can_view_vote(current_user, vote)]}


@api.post("/agenda-items/<int:id>/votes", tags=[tag], responses={201: VoteOut, **errors(401, 403, 404, 409, 422)})
def open_vote(path: ItemPath, body: VoteIn):
    """Open a vote on an agenda item (the chair, or the secretariat). Without quorum: 409 quorum_not_met unless
    override_reason says why the chair lets it go on."""
    item = votable_item(path.id)
    closes_at = None
    if body.closes_at:
        try:
            closes_at = parse_local_datetime(body.closes_at)
        except ValueError:
            message = _("วันเวลาไม่ถูกต้อง (รูปแบบ ISO 8601 เช่น 2020-06-26T09:30)")
            raise Invalid(message, {"closes_at": message}) from None
    vote = services.open_vote(item, current_user, question=body.question, secret=body.secret, options=body.options,
                              majority=body.majority, closes_at=closes_at, override_reason=body.override_reason,
                              weights=body.weights)
    return vote_out(vote), 201


@api.get("/votes/<int:id>", tags=[tag], responses={200: VoteOut, **errors(401, 404)})
def get_vote(path: VotePath):
    """A vote: who has voted and, once closed, the result."""
    return vote_out(readable_vote(path.id))


@api.post("/votes/<int:id>/ballots", tags=[tag], responses={201: VoteOut, **errors(401, 403, 404, 409, 422)})
@not_idempotent
def cast_ballot(path: VotePath, body: BallotIn):
    """Cast the caller's ballot ({"choice"}), or as the secretariat record a member's hand vote
    ({"user_id", "choice"}); a second ballot of the same member is 409."""
    vote = readable_vote(path.id)
    services.cast_ballot(vote, current_user, body.choice, for_user_id=body.user_id)
    return vote_out(vote), 201


@api.post("/votes/<int:id>/close", tags=[tag], responses={200: VoteOut, **errors(401, 403, 404, 409)})
def close_vote(path: VotePath, body: ActionBody):
    """Close the vote: the counts, the outcome by its majority rule, and the resolution in the minutes."""
    return vote_out(services.close_vote(readable_vote(path.id), current_user))


@api.post("/votes/<int:id>/casting-vote", tags=[tag], responses={200: VoteOut, **errors(401, 403, 404, 409, 422)})
def casting_vote(path: VotePath, body: CastingVoteIn):
    """The chair's deciding vote on a tie, recorded by the chair or the secretariat."""
    return vote_out(services.record_casting_vote(readable_vote(path.id), current_user, body.choice))
