"""Notices: the signed-in user's channels per kind, and the secretariat's reminders."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy.orm import joinedload

from app import access, authz, thaidates
from app.api import api
from app.api.meetings import MeetingPath
from app.api.schemas import ActionBody, RequestModel, errors
from app.meetings.models import Meeting
from app.notify import notices, services
from app.reports.models import ReportingRound

tag = Tag(name="notifications", description="Notices by e-mail and LINE: preferences and reminders")


class Channels(BaseModel):
    email: bool
    line: bool = Field(description="Pushed only when LINE is configured and the account is linked (on /profile)")


class ChannelsIn(RequestModel):
    email: StrictBool | None = None
    line: StrictBool | None = None


class NotificationsOut(BaseModel):
    kinds: dict[str, Channels] = Field(description="Every kind of notice (agenda.published, minutes.circulated, "
                                                   "report.returned …) with its channels")


class NotificationsIn(RequestModel):
    kinds: dict[str, ChannelsIn] = Field(description="The kinds to change; a channel left out keeps its value; "
                                                     "an unknown kind is refused (422)")


class RemindIn(ActionBody):
    pass


class RemindOut(BaseModel):
    sent: int = Field(description="How many people were reminded (those already reminded today are skipped)")


class RoundPath(BaseModel):
    id: int


@api.get("/me/notifications", tags=[tag], responses={200: NotificationsOut, **errors(401)})
def my_notifications():
    """The signed-in user's channels per kind of notice (default: e-mail on, LINE on when linked)."""
    return {"kinds": services.preferences_of(current_user)}


@api.put("/me/notifications", tags=[tag], responses={200: NotificationsOut, **errors(401, 422)})
def set_my_notifications(body: NotificationsIn):
    """Choose e-mail and/or LINE per kind of notice."""
    kinds = {kind: channels.model_dump(exclude_none=True) for kind, channels in body.kinds.items()}
    return {"kinds": services.set_preferences(current_user, kinds)}


@api.post("/meetings/<int:id>/remind", tags=[tag], responses={200: RemindOut, **errors(401, 403, 404, 409)})
def remind_meeting(path: MeetingPath, body: RemindIn):
    """Remind the members who have not answered the invitation (secretariat); the body may be left out."""
    meeting = access.load(Meeting, path.id, read=authz.can_view_meeting, change=authz.can_remind_meeting,
                          options=[joinedload(Meeting.body)], missing=_("ไม่พบการประชุม"))
    return {"sent": notices.remind_unanswered(meeting, thaidates.today_bangkok(), current_user)}


@api.post("/rounds/<int:id>/remind", tags=[tag], responses={200: RemindOut, **errors(401, 403, 404, 409)})
def remind_round(path: RoundPath, body: RemindIn):
    """Remind the reporters of units that still owe reports of an open round (secretariat)."""
    from app.reports.services import remind_round as remind_reporters

    round_ = access.load(ReportingRound, path.id, read=authz.can_view_round, change=authz.can_remind_round,
                         options=[joinedload(ReportingRound.plan)], missing=_("ไม่พบรอบการรายงาน"))
    return {"sent": remind_reporters(round_, thaidates.today_bangkok(), current_user)}
