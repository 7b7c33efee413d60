"""Guests API: the people without an account invited to a meeting (secretariat only: their e-mail addresses
are personal data). Add one, import a list (.xlsx/.csv), remove one."""
from __future__ import annotations

from datetime import datetime

from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, textlimits
from app.api import allow, api
from app.api.agenda import UploadForm
from app.api.meetings import iso_bangkok
from app.api.schemas import OneLine, RequestModel, errors
from app.meetings import guests as guest_services
from app.meetings.models import MeetingGuest
from app.meetings.routes import load_meeting

tag = Tag(name="guests", description="People without an account invited to a meeting")


class MeetingPath(BaseModel):
    id: int


class GuestPath(BaseModel):
    id: int
    gid: int


class GuestIn(RequestModel):
    name: OneLine(textlimits.NAME, min_length=1)
    email: OneLine(textlimits.EMAIL, min_length=1)
    organisation: OneLine(textlimits.UNIT_NAME) | None = None
    position: OneLine(textlimits.POSITION) | None = None
    notify: bool = Field(True, description="E-mail the invitation (with its .ics and one-click answer links)")


class GuestOut(BaseModel):
    id: int
    meeting_id: int
    name: str
    organisation: str | None
    email: str
    position: str | None
    response: str = Field(description='"pending" until the guest answers')
    answered_at: str | None
    delegate_name: str | None
    note: str | None


class GuestList(BaseModel):
    items: list[GuestOut]


class ImportOut(BaseModel):
    added: int


def guest_out(guest: MeetingGuest) -> dict:
    return GuestOut(id=guest.id, meeting_id=guest.meeting_id, name=guest.name, organisation=guest.organisation,
                    email=guest.email, position=guest.position, response=guest.response or "pending",
                    answered_at=iso_bangkok(guest.answered_at) if isinstance(guest.answered_at, datetime) else None,
                    delegate_name=guest.delegate_name, note=guest.note).model_dump()


def manageable_meeting(meeting_id: int):
    return load_meeting(meeting_id, manage=True)


@api.get("/meetings/<int:id>/guests", tags=[tag], responses={200: GuestList, **errors(401, 403, 404)})
@allow(authz.can_schedule_meetings)
def list_guests(path: MeetingPath):
    """The meeting's guests with their answers."""
    meeting = load_meeting(path.id)
    access.authorize(meeting, read=authz.can_view_meeting, change=authz.can_manage_meeting)
    return {"items": [guest_out(g) for g in meeting.guests]}


@api.post("/meetings/<int:id>/guests", tags=[tag], responses={201: GuestOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def add_guest(path: MeetingPath, body: GuestIn):
    """Invite a person without an account; 409 when the e-mail is already a guest's of this meeting."""
    meeting = manageable_meeting(path.id)
    guest = guest_services.add_guest(meeting, body.name, body.email, body.organisation, body.position,
                                     notify=body.notify)
    return guest_out(guest), 201


@api.post("/meetings/<int:id>/guests/import", tags=[tag], responses={201: ImportOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def import_guests(path: MeetingPath, form: UploadForm):
    """Invite every guest of an .xlsx or .csv list whose first row is ชื่อ / หน่วยงาน / อีเมล (or name /
    organisation / email); all or nothing: 422 names every problem by its row (field `file`)."""
    meeting = manageable_meeting(path.id)
    added = guest_services.import_guests(meeting, form.file.read())
    return ImportOut(added=len(added)).model_dump(), 201


@api.delete("/meetings/<int:id>/guests/<int:gid>", tags=[tag], responses={204: None, **errors(401, 403, 404, 409)})
@allow(authz.can_schedule_meetings)
def remove_guest(path: GuestPath):
    """Take a guest off the meeting; they are e-mailed a cancellation."""
    meeting = manageable_meeting(path.id)
    guest = access.fetch(MeetingGuest, path.gid)
    if guest is None or guest.meeting_id != meeting.id:
        access.authorize(None, read=authz.can_view_meeting)
    guest_services.remove_guest(guest)
    return "", 204
