"""Assigned actions API: list and read them, record progress (and done), close and reopen (app.actions.services)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import textlimits, thaidates
from app.actions import services
from app.actions.models import ActionNote
from app.api import api
from app.api.schemas import ArgumentsModel, ActionBody, QueryId, RequestModel, Text, UnitRef, errors
from app.minutes.models import ActionItem

tag = Tag(name="actions", description="Assigned actions (มอบหมาย): progress notes, done, closed, overdue")


class ActionQuery(ArgumentsModel):
    body_id: QueryId | None = Field(None, description="Only this body's actions")
    unit_id: QueryId | None = Field(None, description="Only actions owned by this unit")
    state: Literal["open", "done", "closed"] | None = Field(None, description="The action's status")
    overdue: bool | None = Field(None, description="true: due date passed and still open; false: the others")
    due_before: date | None = Field(None, description="Due on or before this day (YYYY-MM-DD)")
    due_after: date | None = Field(None, description="Due on or after this day (YYYY-MM-DD)")


class ActionPath(BaseModel):
    id: int


class BodyRef(BaseModel):
    id: int
    name: str


class ActionNoteOut(BaseModel):
    id: int
    kind: Literal["progress", "done", "closed", "reopened"] = Field(
        description="A progress note, or the note of marking done, closing or reopening")
    note: str | None
    author: str | None
    created_at: str = Field(description="ISO 8601, Bangkok time")


class ActionOut(BaseModel):
    id: int
    body: BodyRef
    meeting_id: int
    meeting_code: str = Field(description="ครั้งที่ N/ปี of the meeting that assigned it")
    description: str
    owner_unit: UnitRef | None
    due_date: str | None = Field(description="YYYY-MM-DD")
    status: Literal["open", "done", "closed"] = Field(
        description="open → done (by the owner unit or the secretariat) → closed (confirmed by the secretariat)")
    overdue: bool = Field(description="Due date passed (Bangkok) and still open")
    done_at: str | None
    closed_at: str | None
    latest_note: ActionNoteOut | None
    notes: list[ActionNoteOut] | None = Field(None, description="Every note, oldest first (one action only)")


class ActionList(BaseModel):
    items: list[ActionOut]


class ProgressIn(RequestModel):
    note: Text(textlimits.LONG_TEXT) | None = Field(None, description="What was done; required unless done")
    done: bool = Field(False, description="Mark the action done (ดำเนินการแล้วเสร็จ)")


class CloseIn(ActionBody):
    note: Text(textlimits.LONG_TEXT) | None = Field(
        None, description="Optional; says why when closing an action its unit has not marked done")


class ReopenIn(ActionBody):
    note: Text(textlimits.LONG_TEXT) | None = Field(None, description="Required: what is still to be done")


def _when(value) -> str | None:
    return thaidates.to_bangkok(value).isoformat() if value is not None else None


def note_out(note: ActionNote) -> dict:
    """One note as the API returns it."""
    return ActionNoteOut(id=note.id, kind=note.kind, note=note.note, author=note.user.name if note.user else None,
                         created_at=_when(note.created_at)).model_dump()


def action_out(action: ActionItem, with_notes: bool = False) -> dict:
    """An action with its body, meeting, owner unit, state, overdue flag and latest note (all notes on request)."""
    meeting = action.minutes_item.minutes.meeting
    latest = services.latest_note(action)
    return ActionOut(
        id=action.id, body=BodyRef(id=meeting.body.id, name=meeting.body.name), meeting_id=meeting.id,
        meeting_code=meeting.code, description=action.description,
        owner_unit=UnitRef.model_validate(action.owner_unit) if action.owner_unit else None,
        due_date=action.due_date.isoformat() if action.due_date else None, status=action.status,
        overdue=action.overdue, done_at=_when(action.done_at), closed_at=_when(action.closed_at),
        latest_note=note_out(latest) if latest else None,
        notes=[note_out(n) for n in action.notes] if with_notes else None,
    ).model_dump()


@api.get("/actions", tags=[tag], responses={200: ActionList, **errors(401, 422)})
def list_actions(query: ActionQuery):
    """Actions the caller may read (reporters: their unit's; members and viewers: those of bodies they read),
    earliest due first."""
    actions = services.list_actions(current_user, body_id=query.body_id, unit_id=query.unit_id, state=query.state,
                                    overdue=query.overdue, due_before=query.due_before, due_after=query.due_after)
    return {"items": [action_out(a) for a in actions]}


@api.get("/actions/<int:id>", tags=[tag], responses={200: ActionOut, **errors(401, 404)})
def get_action(path: ActionPath):
    """One action with every progress note."""
    return action_out(services.readable_action(current_user, path.id), with_notes=True)


@api.post("/actions/<int:id>/progress", tags=[tag], responses={200: ActionOut, **errors(401, 403, 404, 409, 422)})
def record_progress(path: ActionPath, body: ProgressIn):
    """The owner unit (or the secretariat) records progress; "done": true marks it done (409 once done/closed)."""
    action = services.readable_action(current_user, path.id)
    services.record_progress(action, body.note, body.done, current_user)
    return action_out(action, with_notes=True)


@api.post("/actions/<int:id>/close", tags=[tag], responses={200: ActionOut, **errors(401, 403, 404, 409, 422)})
def close_action(path: ActionPath, body: CloseIn):
    """The secretariat confirms closing a done action (or closes an open one, the note saying why); closed: 409."""
    action = services.readable_action(current_user, path.id)
    services.close_action(action, body.note, current_user)
    return action_out(action, with_notes=True)


@api.post("/actions/<int:id>/reopen", tags=[tag], responses={200: ActionOut, **errors(401, 403, 404, 409, 422)})
def reopen_action(path: ActionPath, body: ReopenIn):
    """The secretariat reopens a done or closed action with a note (required); an open one is 409."""
    action = services.readable_action(current_user, path.id)
    services.reopen_action(action, body.note, current_user)
    return action_out(action, with_notes=True)
