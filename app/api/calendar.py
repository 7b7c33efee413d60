"""Calendar feeds: the bodies the signed-in user follows in their personal feed, and the feed's reminder."""
from __future__ import annotations

from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app.api import api
from app.api.schemas import Id, RequestModel, errors
from app.calendar import selection

tag = Tag(name="calendar", description="The personal calendar feed: followed bodies and reminders")


class FollowedBodies(BaseModel):
    body_ids: list[int] = Field(description="Bodies whose meetings the personal feed carries besides invitations")


class FollowedBodiesIn(RequestModel):
    body_ids: list[Id] = Field(max_length=1000, description="Replaces the list; an unknown or unreadable id "
                                                             "is refused (422, naming it)")


class CalendarSettings(BaseModel):
    reminder_minutes: Literal[15, 60, 1440] | None = Field(
        description="VALARM this many minutes before each meeting in the feeds; null: no reminder")


class CalendarSettingsIn(RequestModel):
    reminder_minutes: Literal[15, 60, 1440] | None


@api.get("/me/followed-bodies", tags=[tag], responses={200: FollowedBodies, **errors(401)})
def my_followed_bodies():
    """The bodies the signed-in user follows (and may still read)."""
    return {"body_ids": selection.followed_body_ids(current_user)}


@api.put("/me/followed-bodies", tags=[tag], responses={200: FollowedBodies, **errors(401, 422)})
def set_my_followed_bodies(body: FollowedBodiesIn):
    """Follow exactly these bodies in the personal feed."""
    return {"body_ids": selection.set_followed_bodies(current_user, body.body_ids)}


@api.get("/me/calendar", tags=[tag], responses={200: CalendarSettings, **errors(401)})
def my_calendar():
    """The reminder the signed-in user's feeds carry."""
    return {"reminder_minutes": current_user.calendar_reminder_minutes}


@api.put("/me/calendar", tags=[tag], responses={200: CalendarSettings, **errors(401, 422)})
def set_my_calendar(body: CalendarSettingsIn):
    """Choose the feeds' reminder: none, 15 minutes, 1 hour or 1 day before."""
    return {"reminder_minutes": selection.set_reminder(current_user, body.reminder_minutes)}
