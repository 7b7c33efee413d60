"""Meeting series API: "นัดครั้งถัดไป" (POST /meetings/<id>/next) and meetings scheduled ahead by a rule
(POST /bodies/<id>/meeting-series), through the same services as the web pages (app.series.services)."""
from __future__ import annotations

from typing import Literal

from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, recurrence, textlimits
from app.api import api
from app.api.meetings import MeetingOut, MeetingPath, meeting_out
from app.api.schemas import ActionBody, Id, OneLine, RequestModel, StrictInt, Text, errors
from app.bodies.models import Body
from app.meetings.days import days_out
from app.meetings.models import Meeting
from app.meetings.services import MAX_NUMBER
from app.series import services

tag = Tag(name="meeting series", description="The next meeting from a previous one, and meetings scheduled ahead")


class NextMeetingIn(ActionBody):
    starts_at: OneLine(40) | None = Field(
        None, description="ISO 8601 (no offset: Bangkok time); default: the series' next date, else about a month "
                          "later on the same weekday, at the same time", examples=["2030-07-26T09:30"])
    ends_at: OneLine(40) | None = Field(None, description="Default: as long as the previous meeting")
    title: OneLine(textlimits.TITLE) | None = Field(None, description="Default: built from the body's name and number")
    mode: Literal["onsite", "online", "hybrid"] | None = Field(None, description="Default: the previous meeting's")
    venue: OneLine(textlimits.VENUE) | None = Field(None, description="Default: the previous meeting's")
    online_url: OneLine(textlimits.URL) | None = Field(None, description="Default: the previous meeting's")
    stream_url: OneLine(textlimits.URL) | None = Field(None, description="Default: the previous meeting's")
    chair_id: Id | None = Field(None, description="Default: the previous meeting's")
    notes: Text(textlimits.LONG_TEXT) | None = None
    number: StrictInt | None = Field(None, ge=1, le=MAX_NUMBER, description="Explicit N of ครั้งที่ N/ปี")
    notify: bool = Field(True, description="E-mail invitations to the body's members (as POST /meetings)")


class RuleIn(RequestModel):
    frequency: Literal["months", "weeks"]
    every: StrictInt = Field(1, ge=1, le=52, description="Every N months (1–12) or weeks (1–52)")
    weekday: StrictInt = Field(ge=0, le=6, description="0 Monday … 4 Friday … 6 Sunday")
    ordinal: Literal[1, 2, 3, 4, -1] | None = Field(
        None, description="Months: the 1st–4th weekday of the month, or -1 for the last; none for weeks")


class SeriesIn(RequestModel):
    rule: RuleIn = Field(examples=[{"frequency": "months", "every": 2, "weekday": 4, "ordinal": -1}])
    starts_on: OneLine(10) = Field(description="First day the rule may fall on (ISO date)", examples=["2020-10-01"])
    count: StrictInt | None = Field(None, ge=1, le=recurrence.MAX_OCCURRENCES,
                                    description=f"How many meetings (at most {recurrence.MAX_OCCURRENCES}); or until")
    until: OneLine(10) | None = Field(None, description="Last day (ISO date, inclusive); or count")
    start_time: OneLine(8) = Field(description="Bangkok time of day", examples=["09:30"])
    end_time: OneLine(8) = Field(description="Bangkok time of day", examples=["12:00"])
    mode: Literal["onsite", "online", "hybrid"] = "onsite"
    venue: OneLine(textlimits.VENUE) | None = Field(None, description="Required for onsite and hybrid meetings")
    online_url: OneLine(textlimits.URL) | None = Field(None, description="Required for online and hybrid meetings")
    stream_url: OneLine(textlimits.URL) | None = None
    chair_id: Id | None = None
    notes: Text(textlimits.LONG_TEXT) | None = None
    notify: bool = Field(False, description="One e-mail to each member listing every date (with one calendar file), "
                                            "not one invitation per meeting")


class SeriesOut(BaseModel):
    id: int
    body_id: int
    rule: dict
    rule_text: str
    items: list[MeetingOut]
    warnings: list[str] = []


class BodyPath(BaseModel):
    id: int


@api.post("/meetings/<int:id>/next", tags=[tag], responses={201: MeetingOut, **errors(401, 403, 404, 409, 422)})
def next_meeting(path: MeetingPath, body: NextMeetingIn):
    """นัดครั้งถัดไป: the body's next meeting from this one (mode, venue, links, chair, duration and the standing
    agenda items of sections 1, 3 and 6), numbered by the body's rule; 409 for a cancelled meeting."""
    previous = access.load(Meeting, path.id, read=authz.can_view_meeting, change=authz.can_schedule_next_meeting,
                           missing=_("ไม่พบการประชุม"))
    raw = body.model_dump(exclude_unset=True, exclude={"notify"})
    result = services.schedule_next_meeting(previous, raw, notify=body.notify)
    return {**meeting_out(result.meeting, result.warnings), "days": days_out(result.meeting)}, 201


@api.post("/bodies/<int:id>/meeting-series", tags=[tag], responses={201: SeriesOut, **errors(401, 403, 404, 409, 422)})
def create_series(path: BodyPath, body: SeriesIn):
    """Schedule the body's meetings ahead by a rule ("the last Friday of every second month"), from `starts_on`,
    `count` times or until a date: all created at once, numbered in order; 422 for more than 24, for a date already
    past; 409 naming the body's meetings on the same days. No invitation per meeting (see `notify`)."""
    target = access.load(Body, path.id, read=authz.can_view_body, change=authz.can_schedule_series)
    raw = body.model_dump(exclude={"notify"})
    raw["rule"] = body.rule.model_dump()
    result = services.schedule_series(target, raw, current_user, notify=body.notify)
    series = result.series
    return SeriesOut(id=series.id, body_id=series.body_id, rule=raw["rule"], rule_text=services.rule_text(series.rule),
                     items=[meeting_out(m) for m in result.meetings], warnings=result.warnings).model_dump(), 201
