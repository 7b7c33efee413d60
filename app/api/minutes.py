"""Minutes API: read and save versions, circulate, certify, comments, and follow-up of assigned actions."""
from __future__ import annotations

from datetime import date
from typing import Literal

from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import authz, textlimits, thaidates
from app.api import allow, api
from app.api.bodies import BodyPath
from app.api.meetings import MeetingPath, visible_meeting
from app.minutes.routes import readable_minutes
from app.api.schemas import ActionBody, Id, OneLine, RequestModel, StrictInt, Text, UnitRef, errors
from app.bodies.services import get_body
from app.errors import NotFound
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services
from app.minutes.models import RESOLUTION_KINDS, ActionItem, MinutesComment, MinutesVersion

tag = Tag(name="minutes", description="Minutes: versions, circulation, certification, comments, assigned actions")

ResolutionKind = Literal[RESOLUTION_KINDS]  # type: ignore[valid-type]


class ActionIn(RequestModel):
    id: Id | None = Field(None, description="An action already in these minutes (keeps its status); none: new")
    owner_unit_id: Id | None = Field(None, description="The unit responsible (required)")
    description: Text(textlimits.LONG_TEXT) | None = Field(None, description="What is to be done (required)")
    due_date: date | None = Field(None, description="ISO date, e.g. 2020-10-30")
    status: str | None = Field(None, description="Ignored: actions are closed through /action-items/<id>/close")


class MinutesItemIn(RequestModel):
    agenda_item_id: Id = Field(description="An agenda item of this meeting, at most once")
    discussion: Text(textlimits.LONG_TEXT) | None = Field(
        None, description="Rich text (HTML); scripts, handlers and unsafe links are removed")
    resolution_kind: ResolutionKind | None = None
    resolution: Text(textlimits.LONG_TEXT) | None = Field(None, description="มติที่ประชุม, e.g. ที่ประชุมรับทราบ")
    actions: list[ActionIn] = []


class MinutesIn(RequestModel):
    version: StrictInt = Field(ge=0, description="The version read (0 for minutes not saved yet); 409 when stale")
    opened_at: OneLine(20) | None = Field(None, description="เริ่มประชุมเวลา, HH:MM Bangkok time", examples=["09:30"])
    closed_at: OneLine(20) | None = Field(None, description="เลิกประชุมเวลา, HH:MM Bangkok time", examples=["12:00"])
    recorder: OneLine(textlimits.NAME) | None = Field(None, description="ผู้จดรายงานการประชุม")
    checker: OneLine(textlimits.NAME) | None = Field(None, description="ผู้ตรวจรายงานการประชุม")
    recorder_position: OneLine(textlimits.POSITION) | None = Field(None, description="printed under the recorder's name")
    checker_position: OneLine(textlimits.POSITION) | None = Field(None, description="printed under the checker's name")
    items: list[MinutesItemIn] = Field([], description="Replaces the items; one per agenda item of this meeting")


class ActionContent(BaseModel):
    id: int | None = None
    owner_unit_id: int | None
    description: str
    due_date: str | None
    status: str


class MinutesItemOut(BaseModel):
    agenda_item_id: int
    discussion: str | None
    resolution_kind: str | None
    resolution: str | None
    actions: list[ActionContent]


class MinutesOut(BaseModel):
    state: Literal["draft", "circulated", "certified"]
    version: int = Field(description="0 while no minutes were saved")
    opened_at: str | None = Field(description="HH:MM Bangkok time")
    closed_at: str | None = Field(description="HH:MM Bangkok time")
    recorder: str | None
    checker: str | None
    recorder_position: str | None = None
    checker_position: str | None = None
    items: list[MinutesItemOut]
    certified_at_meeting_id: int | None
    amendments: str | None = Field(description="What the certifying meeting changed; null: certified โดยไม่มีการแก้ไข")
    comment_deadline: str | None = Field(None, description="YYYY-MM-DD: members comment on circulated minutes "
                                                           "until this day (set on circulation)")


class CirculateIn(ActionBody):
    version: StrictInt | None = Field(None, description="The minutes' version read; a stale one is refused (409)")
    comment_deadline: date | None = Field(None, description="YYYY-MM-DD: the last day members may comment "
                                                            "(told in the notice); not in the past")


class CertifyIn(RequestModel):
    at_meeting_id: Id = Field(description="A later, not cancelled meeting of the same body")
    amendments: Text(textlimits.LONG_TEXT) | None = Field(
        None, description="Empty: certified โดยไม่มีการแก้ไข; otherwise the amendments")


class VersionPath(BaseModel):
    id: int
    n: int


class VersionRow(BaseModel):
    version: int
    saved_at: str
    saved_by: str | None


class VersionList(BaseModel):
    items: list[VersionRow]


class CommentIn(RequestModel):
    body: Text(textlimits.LONG_TEXT, min_length=1)
    agenda_item_id: Id | None = Field(None, description="An agenda item of this meeting; none: the whole minutes")


class CommentOut(BaseModel):
    id: int
    body: str
    agenda_item_id: int | None
    author: str | None
    created_at: str


class CommentList(BaseModel):
    items: list[CommentOut]


class ActionPath(BaseModel):
    id: int


class OpenActionOut(BaseModel):
    id: int
    meeting_id: int
    meeting_code: str
    description: str
    owner_unit: UnitRef | None
    due_date: str | None
    status: str


class OpenActionList(BaseModel):
    items: list[OpenActionOut]


class CloseIn(RequestModel):
    note: Text(textlimits.LONG_TEXT) | None = None




def version_row(version: MinutesVersion) -> dict:
    """One line of the version history: number, when (Bangkok) and who saved it."""
    return VersionRow(version=version.version, saved_at=thaidates.to_bangkok(version.saved_at).isoformat(),
                      saved_by=version.saved_by.name if version.saved_by else None).model_dump()


def comment_out(comment: MinutesComment) -> dict:
    """A comment as the API returns it."""
    return CommentOut(id=comment.id, body=comment.body, agenda_item_id=comment.agenda_item_id,
                      author=comment.user.name if comment.user else None,
                      created_at=thaidates.to_bangkok(comment.created_at).isoformat()).model_dump()


def action_out(action: ActionItem) -> dict:
    """An assigned action with its meeting's code and owner unit."""
    unit = UnitRef.model_validate(action.owner_unit) if action.owner_unit else None
    meeting = db.session.get(Meeting, action.meeting_id)
    return OpenActionOut(id=action.id, meeting_id=action.meeting_id, meeting_code=meeting.code,
                         description=action.description, owner_unit=unit,
                         due_date=action.due_date.isoformat() if action.due_date else None,
                         status=action.status).model_dump()


@api.get("/meetings/<int:id>/minutes", tags=[tag], responses={200: MinutesOut, **errors(401, 403, 404)})
def get_minutes(path: MeetingPath):
    """The minutes; an empty draft (version 0) while none were saved. Drafts are the secretariat's."""
    _meeting, minutes = readable_minutes(path.id)
    return services.minutes_content(minutes)


@api.put("/meetings/<int:id>/minutes", tags=[tag], responses={200: MinutesOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def put_minutes(path: MeetingPath, body: MinutesIn):
    """Save the minutes (the whole content); each save is a new version. 409 when stale or certified."""
    meeting = visible_meeting(path.id)
    minutes = services.save_minutes(meeting, body.model_dump(exclude={"version"}), body.version, current_user)
    return services.minutes_content(minutes)


@api.post("/meetings/<int:id>/minutes/circulate", tags=[tag],
          responses={200: MinutesOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def circulate_minutes(path: MeetingPath, body: CirculateIn):
    """Circulate draft minutes to the members for comment; the body may be left out."""
    minutes = services.circulate_minutes(visible_meeting(path.id), current_user, body.version, body.comment_deadline)
    return services.minutes_content(minutes)


@api.post("/meetings/<int:id>/minutes/certify", tags=[tag],
          responses={200: MinutesOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def certify_minutes(path: MeetingPath, body: CertifyIn):
    """Record the certification (รับรอง) of circulated minutes at a later meeting of the same body; then locked."""
    meeting = visible_meeting(path.id)
    minutes = services.certify_minutes(services.existing_minutes(meeting), body.at_meeting_id, body.amendments,
                                       current_user)
    return services.minutes_content(minutes)


@api.get("/meetings/<int:id>/minutes/versions", tags=[tag], responses={200: VersionList, **errors(401, 403, 404)})
def list_minutes_versions(path: MeetingPath):
    """Saved versions, oldest first (others than the secretariat see those saved once circulated)."""
    meeting, minutes = readable_minutes(path.id)
    return {"items": [version_row(v) for v in services.readable_versions(current_user, meeting, minutes)]}


@api.get("/meetings/<int:id>/minutes/versions/<int:n>", tags=[tag],
         responses={200: MinutesOut, **errors(401, 403, 404)})
def get_minutes_version(path: VersionPath):
    """The whole content of one saved version."""
    meeting, minutes = readable_minutes(path.id)
    return services.get_version(current_user, meeting, minutes, path.n).content


@api.get("/meetings/<int:id>/minutes/comments", tags=[tag], responses={200: CommentList, **errors(401, 403, 404)})
def list_minutes_comments(path: MeetingPath):
    """Members' comments on the minutes, oldest first."""
    _meeting, minutes = readable_minutes(path.id)
    return {"items": [comment_out(c) for c in services.comments_of(minutes)]}


@api.post("/meetings/<int:id>/minutes/comments", tags=[tag],
          responses={201: CommentOut, **errors(401, 403, 404, 409, 422)})
def add_minutes_comment(path: MeetingPath, body: CommentIn):
    """Comment on circulated minutes (as a whole or on one agenda item)."""
    comment = services.add_comment(visible_meeting(path.id), current_user, body.body, body.agenda_item_id)
    return comment_out(comment), 201


@api.get("/bodies/<int:id>/open-actions", tags=[tag], responses={200: OpenActionList, **errors(401, 404)})
def list_open_actions(path: BodyPath):
    """Open assigned actions of the body's meetings (for section 3 of later agendas), earliest due first."""
    body = get_body(path.id)
    if not authz.can_view_body(current_user, body):
        raise NotFound(_("ไม่พบคณะกรรมการ/คณะทำงาน"))
    return {"items": [action_out(a) for a in services.open_actions(body.id, current_user)]}


@api.post("/action-items/<int:id>/close", tags=[tag], responses={200: OpenActionOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def close_action_item(path: ActionPath, body: CloseIn):
    """Close an assigned action, with an optional note (as POST /actions/<id>/close)."""
    from app.actions.services import close_action, readable_action

    action = close_action(readable_action(current_user, path.id), body.note, current_user)
    return action_out(action)
