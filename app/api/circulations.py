"""Resolutions by circulation API: circulate a matter to a body's members, answer it, read the answers and the
result, close it; through the same services as the web pages (app.circulations.services)."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, textlimits
from app.api import api
from app.api.meetings import iso_bangkok
from app.api.schemas import ActionBody, OneLine, RequestModel, Text, errors
from app.bodies.models import Body
from app.circulations import services
from app.circulations.models import CIRCULATION_ANSWERS, CIRCULATION_STATES, Circulation
from app.errors import Invalid
from app.thaidates import parse_local_datetime

tag = Tag(name="circulations", description="Resolutions by circulation (มติเวียน) between meetings")

Answer = Literal[CIRCULATION_ANSWERS]  # type: ignore[valid-type]


class BodyPath(BaseModel):
    id: int


class CirculationPath(BaseModel):
    id: int


class CirculationIn(RequestModel):
    title: OneLine(textlimits.TITLE, min_length=1)
    detail: Text(textlimits.LONG_TEXT) | None = Field(None, description="The matter; rich text (HTML) or plain text")
    question: Text(textlimits.NOTE, min_length=1)
    deadline: OneLine(40) = Field(description="ISO 8601; without an offset it means Bangkok time",
                                  examples=["2020-06-30T16:30"])


class AnswerIn(RequestModel):
    answer: Answer = Field(description="approve (เห็นชอบ), reject (ไม่เห็นชอบ), comment (มีความเห็นเพิ่มเติม)")
    comment: Text(textlimits.LONG_TEXT) | None = Field(None, description="Required with comment")


class AnswerOut(BaseModel):
    user_id: int
    name: str
    answer: Answer
    comment: str | None
    answered_at: str


class ResultOut(BaseModel):
    counts: dict[str, int] = Field(description="approve, reject, comment, none (not answered)")
    members: int
    outcome: Literal["approved", "rejected", "no_decision"]
    resolution: str = Field(description="As the agenda item and the documents print it")
    closed_at: str
    close_reason: Literal["deadline", "all_answered", "closed"]
    agenda_item_id: int | None = Field(None, description="The section-4 item of the next meeting that reports it")


class CirculationOut(BaseModel):
    id: int
    body_id: int
    title: str
    detail: str | None
    question: str
    deadline: str
    state: Literal[CIRCULATION_STATES]  # type: ignore[valid-type]
    created_at: str
    answers: list[AnswerOut] = Field(description="The answers given (before closing, the secretariat sees all, a "
                                                 "member their own)")
    pending: list[int] = Field(description="Ids of the members asked who have not answered")
    my_answer: Answer | None = None
    can_answer: bool
    papers: list[dict] = Field(description="[{id, title, kind, url?}]")
    result: ResultOut | None = None


class CirculationList(BaseModel):
    items: list[CirculationOut]


def circulation_out(circulation: Circulation) -> dict:
    """A circulation as the API shows it: everyone's answers only to those who may see the tally."""
    tally = authz.can_view_circulation_tally(current_user, circulation)
    mine = services.answer_of(circulation, current_user)
    answers = [AnswerOut(user_id=row.user_id, name=row.user.name, answer=row.answer, comment=row.comment,
                         answered_at=iso_bangkok(row.answered_at))
               for row in circulation.answers if row.answer is not None and (tally or row.user_id == current_user.id)]
    result = None
    if circulation.state == "closed":
        result = ResultOut(counts=circulation.result["counts"], members=circulation.result["members"],
                           outcome=circulation.result["outcome"], resolution=circulation.result["resolution"],
                           closed_at=iso_bangkok(circulation.closed_at), close_reason=circulation.close_reason,
                           agenda_item_id=circulation.agenda_item_id)
    return CirculationOut(
        id=circulation.id, body_id=circulation.body_id, title=circulation.title, detail=circulation.detail,
        question=circulation.question, deadline=iso_bangkok(circulation.deadline), state=circulation.state,
        created_at=iso_bangkok(circulation.created_at), answers=answers,
        pending=[row.user_id for row in services.pending_answers(circulation)],
        my_answer=mine.answer if mine else None, can_answer=authz.can_answer_circulation(current_user, circulation),
        papers=[{"id": p.id, "title": p.title, "kind": p.kind, **({"url": p.url} if p.url else {})}
                for p in circulation.papers],
        result=result,
    ).model_dump()


def readable_circulation(circulation_id: int, change=None) -> Circulation:
    """The circulation, closed first when past its deadline; 404 unless readable, 403 when `change` refuses."""
    circulation = access.load(Circulation, circulation_id, read=authz.can_view_circulation)
    services.close_if_due(circulation)
    return access.authorize(circulation, read=authz.can_view_circulation, change=change)


@api.get("/bodies/<int:id>/circulations", tags=[tag], responses={200: CirculationList, **errors(401, 404)})
def list_circulations(path: BodyPath):
    """The body's circulations, the latest first."""
    body = access.load(Body, path.id, read=authz.can_view_body)
    return {"items": [circulation_out(c) for c in services.list_circulations(body)]}


@api.post("/bodies/<int:id>/circulations", tags=[tag],
          responses={201: CirculationOut, **errors(401, 403, 404, 409, 422)})
def create_circulation(path: BodyPath, body: CirculationIn):
    """Circulate a matter to the body's members (the secretariat); each gets a notice with one-click answer links."""
    target = access.load(Body, path.id, read=authz.can_view_body, change=authz.can_circulate)
    try:
        deadline = parse_local_datetime(body.deadline)
    except ValueError:
        message = _("วันเวลาไม่ถูกต้อง (รูปแบบ ISO 8601 เช่น 2020-06-30T16:30)")
        raise Invalid(message, {"deadline": message}) from None
    circulation = services.circulate(target, {"title": body.title, "detail": body.detail, "question": body.question,
                                              "deadline": deadline}, current_user)
    return circulation_out(circulation), 201


@api.get("/circulations/<int:id>", tags=[tag], responses={200: CirculationOut, **errors(401, 404)})
def get_circulation(path: CirculationPath):
    """A circulation: its state, the answers, who is pending and, once closed, the result."""
    return circulation_out(readable_circulation(path.id))


@api.post("/circulations/<int:id>/answers", tags=[tag],
          responses={200: CirculationOut, **errors(401, 403, 404, 409, 422)})
def answer_circulation(path: CirculationPath, body: AnswerIn):
    """The caller's answer (a member asked); a later one before the deadline replaces it; 409 once closed."""
    circulation = readable_circulation(path.id)
    services.record_answer(circulation, current_user, body.answer, body.comment)
    return circulation_out(circulation)


@api.post("/circulations/<int:id>/close", tags=[tag], responses={200: CirculationOut, **errors(401, 403, 404, 409)})
def close_circulation(path: CirculationPath, body: ActionBody):
    """Close now and record the result (the secretariat); 409 when already closed."""
    circulation = readable_circulation(path.id, change=authz.can_manage_circulation)
    services.close_circulation(circulation, current_user)
    return circulation_out(circulation)
