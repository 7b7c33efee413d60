"""Meetings API: list, schedule, read, change, postpone, cancel, RSVP and attendance."""
from __future__ import annotations

from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, textlimits, thaidates
from app.api import allow, api
from app.api.schemas import ArgumentsModel, ActionBody, Id, OneLine, RequestModel, StrictInt, Text, errors
from app.bodies.services import get_body
from flask_babel import gettext as _

from app.errors import Forbidden, NotFound
from app.ids import MAX_ID
from app.meetings import services
from app.meetings.days import days_out
from app.meetings.services import MAX_NUMBER
from app.meetings.models import Meeting

tag = Tag(name="meetings", description="Scheduling, invitations, RSVP and attendance")


class MeetingQuery(ArgumentsModel):
    body: int | None = Field(None, ge=1, le=MAX_ID, description="Body id")
    year: int | None = Field(None, ge=1, le=9999, description="BE year of the numbering, e.g. 2563")
    status: Literal["scheduled", "postponed", "cancelled", "held"] | None = None


class MeetingPath(BaseModel):
    id: int


class MeetingIn(RequestModel):
    body_id: Id
    title: OneLine(textlimits.TITLE) | None = Field(None, description="Default: built from the body's name and the number")
    starts_at: OneLine(40) = Field(description="ISO 8601; without an offset it means Bangkok time",
                                   examples=["2020-09-10T09:30"])
    ends_at: OneLine(40) = Field(description="ISO 8601; without an offset it means Bangkok time")
    mode: Literal["onsite", "online", "hybrid"] = "onsite"
    venue: OneLine(textlimits.VENUE) | None = Field(None, description="Required for onsite and hybrid meetings")
    online_url: OneLine(textlimits.URL) | None = Field(
        None, description="https:// link; required for online and hybrid meetings")
    stream_url: OneLine(textlimits.URL) | None = Field(None, description="https:// livestream link")
    chair_id: Id | None = None
    notes: Text(textlimits.LONG_TEXT) | None = None
    number: StrictInt | None = Field(None, ge=1, le=MAX_NUMBER,
                                     description="Explicit N of ครั้งที่ N/ปี; 409 when already used")
    notify: bool = Field(True, description="E-mail invitations to the body's members")


class MeetingDayIn(RequestModel):
    date: OneLine(10) = Field(description="A day within the meeting, e.g. 2023-03-29")
    starts_at: OneLine(8) = Field(description="That day's start, Bangkok time of day, e.g. 09:00")
    ends_at: OneLine(8) = Field(description="That day's end, e.g. 16:30")
    venue: OneLine(textlimits.VENUE) | None = Field(None, description="null: the meeting's venue")
    online_url: OneLine(textlimits.URL) | None = Field(None, description="null: the meeting's link")


class MeetingDayOut(BaseModel):
    date: str
    starts_at: str
    ends_at: str
    venue: str | None = None
    online_url: str | None = None


class MeetingPatch(RequestModel):
    title: OneLine(textlimits.TITLE) | None = None
    starts_at: OneLine(40) | None = None
    ends_at: OneLine(40) | None = None
    mode: Literal["onsite", "online", "hybrid"] | None = None
    venue: OneLine(textlimits.VENUE) | None = None
    online_url: OneLine(textlimits.URL) | None = None
    stream_url: OneLine(textlimits.URL) | None = None
    chair_id: Id | None = None
    notes: Text(textlimits.LONG_TEXT) | None = None
    version: StrictInt | None = Field(None, description="The version read; 409 when stale")
    notify: bool = True
    days: list[MeetingDayIn] | None = Field(
        None, max_length=31, description="A meeting over several days: each day's hours, venue and link (one "
                                         "calendar event per day); [] returns to the meeting's hours every day")


class PostponeIn(RequestModel):
    starts_at: OneLine(40)
    ends_at: OneLine(40)
    reason: Text(textlimits.NOTE) | None = None
    version: StrictInt | None = None
    notify: bool = True


class CancelIn(RequestModel):
    reason: Text(textlimits.NOTE, min_length=1)
    notify: bool = True


class MeetingOut(BaseModel):
    id: int
    body_id: int
    number: int
    year_be: int
    code: str
    title: str
    starts_at: str
    ends_at: str
    mode: str
    venue: str | None
    online_url: str | None
    stream_url: str | None
    chair_id: int | None
    notes: str | None
    status: str
    cancel_reason: str | None
    sequence: int
    version: int
    agenda_state: str
    invitation_number: str | None = Field(None, description="ที่ of the invitation letter once issued, e.g. ศธ 0201.4/ว 12")
    invitation_issued_on: str | None = Field(None, description="วันที่ of the invitation letter (ISO date)")
    warnings: list[str] = []
    days: list[MeetingDayOut] | None = Field(None, description="One meeting: its days (one calendar event each; "
                                                              "empty for a one-day meeting)")


class MeetingList(BaseModel):
    items: list[MeetingOut]


class RsvpIn(RequestModel):
    response: Literal["accepted", "declined", "tentative", "delegated"]
    delegate_name: OneLine(textlimits.NAME) | None = None
    note: Text(textlimits.NOTE) | None = None


class RsvpOut(BaseModel):
    meeting_id: int
    user_id: int
    response: str
    delegate_name: str | None
    note: str | None
    counts: dict[str, int]


class AttendanceMember(RequestModel):
    user_id: Id
    status: Literal["present", "online", "absent", "delegate"]
    reason: OneLine(textlimits.REASON) | None = None
    delegate_name: OneLine(textlimits.NAME) | None = None
    delegate_position: OneLine(textlimits.POSITION) | None = Field(None, description="The delegate's own position")
    identity_confirmed: bool = False


class AttendanceGuest(RequestModel):
    guest_id: Id | None = Field(None, description="An invited guest (GET /meetings/<id>/guests) who attended; "
                                                  "name and position then come from the invitation")
    name: OneLine(textlimits.NAME, min_length=1) | None = Field(None, description="Required without guest_id")
    position: OneLine(textlimits.POSITION) | None = None


class AttendanceIn(RequestModel):
    members: list[AttendanceMember] = []
    guests: list[AttendanceGuest] = []


class AttendanceRow(BaseModel):
    user_id: int | None
    guest_id: int | None = None  # the invited guest this row records
    name: str
    position: str | None
    status: str
    reason: str | None
    delegate_name: str | None
    delegate_position: str | None = None


class AttendanceOut(BaseModel):
    meeting_id: int
    members: list[AttendanceRow]
    guests: list[AttendanceRow]
    rsvp_counts: dict[str, int]


def iso_bangkok(value) -> str:
    """An aware datetime as ISO 8601 in Bangkok time (+07:00)."""
    return thaidates.to_bangkok(value).isoformat()


def meeting_out(meeting: Meeting, warnings: list[str] | None = None) -> dict:
    """A meeting as the API returns it."""
    return MeetingOut(
        id=meeting.id, body_id=meeting.body_id, number=meeting.number, year_be=meeting.year_be, code=meeting.code,
        title=meeting.title, starts_at=iso_bangkok(meeting.starts_at), ends_at=iso_bangkok(meeting.ends_at),
        mode=meeting.mode, venue=meeting.venue, online_url=meeting.online_url, stream_url=meeting.stream_url,
        chair_id=meeting.chair_id, notes=meeting.notes, status=meeting.status, cancel_reason=meeting.cancel_reason,
        sequence=meeting.sequence, version=meeting.version, agenda_state=meeting.agenda_state,
        invitation_number=meeting.invitation_number,
        invitation_issued_on=meeting.invitation_issued_on.isoformat() if meeting.invitation_issued_on else None,
        warnings=warnings or [],
    ).model_dump()


def visible_meeting(meeting_id: int) -> Meeting:
    """The meeting if the user may see it; 404 otherwise (its existence is not revealed)."""
    from app.meetings.routes import load_meeting

    return load_meeting(meeting_id)


@api.get("/meetings", tags=[tag], responses={200: MeetingList, **errors(401, 422)})
def list_meetings(query: MeetingQuery):
    """Meetings of the bodies the user may read; filter by body, BE year of the numbering, status."""
    meetings = services.list_meetings(current_user, body_id=query.body, year_be=query.year, status=query.status)
    return {"items": [meeting_out(m) for m in meetings]}


@api.post("/meetings", tags=[tag], responses={201: MeetingOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def create_meeting(body: MeetingIn):
    """Schedule a meeting: next number of its body and year unless `number` is given (and free)."""
    data = body.model_dump(exclude={"body_id", "notify"})
    try:
        target = get_body(body.body_id)
    except NotFound as error:
        error.status, error.code, error.fields = 422, "validation_error", {"body_id": error.message}
        raise
    result = services.schedule_meeting(target, data, notify=body.notify)
    return meeting_out(result.meeting, result.warnings), 201


@api.get("/meetings/<int:id>", tags=[tag], responses={200: MeetingOut, **errors(401, 404)})
def get_meeting(path: MeetingPath):
    """One meeting."""
    meeting = visible_meeting(path.id)
    return {**meeting_out(meeting), "days": days_out(meeting)}


@api.patch("/meetings/<int:id>", tags=[tag], responses={200: MeetingOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def patch_meeting(path: MeetingPath, body: MeetingPatch):
    """Change a meeting; a new time or place raises SEQUENCE and e-mails an update."""
    meeting = services.get_meeting(path.id)
    changes = body.model_dump(exclude_unset=True, exclude={"version", "notify", "days"})
    if "days" in body.model_fields_set:  # a change of a day's time or place is a change of the meeting's
        changes["days"] = [day.model_dump() for day in body.days or []]
    result = services.update_meeting(meeting, changes, notify=body.notify, version=body.version)
    return {**meeting_out(result.meeting, result.warnings), "days": days_out(result.meeting)}


@api.post("/meetings/<int:id>/postpone", tags=[tag], responses={200: MeetingOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def postpone_meeting(path: MeetingPath, body: PostponeIn):
    """Move a meeting to a new time (status postponed); members get an update."""
    meeting = services.get_meeting(path.id)
    result = services.postpone_meeting(meeting, {"starts_at": body.starts_at, "ends_at": body.ends_at}, body.reason,
                                       notify=body.notify, version=body.version)
    return meeting_out(result.meeting, result.warnings)


@api.post("/meetings/<int:id>/cancel", tags=[tag], responses={200: MeetingOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def cancel_meeting(path: MeetingPath, body: CancelIn):
    """Cancel with a reason; the number is never reused; calendars show it cancelled."""
    meeting = services.cancel_meeting(services.get_meeting(path.id), body.reason, notify=body.notify)
    return meeting_out(meeting)


@api.post("/meetings/<int:id>/invitation-number", tags=[tag],
          responses={200: MeetingOut, **errors(401, 403, 404, 409, 422)})
def issue_invitation_number(path: MeetingPath, body: ActionBody):
    """Take the invitation letter's number from the body's yearly counter (409 when already issued; 422 when the
    body has no document_prefix). The letter itself: GET /meetings/<id>/invitation.docx (?to=each)."""
    from app.meetings.letters import issue_invitation_number as issue

    meeting = access.load(Meeting, path.id, read=authz.can_view_meeting, change=authz.can_issue_invitation)
    issue(meeting, current_user)
    return meeting_out(meeting)


@api.post("/meetings/<int:id>/rsvp", tags=[tag], responses={200: RsvpOut, **errors(401, 403, 404, 409, 422)})
def rsvp(path: MeetingPath, body: RsvpIn):
    """A member of the body, or the meeting's chair (member or not), answers the invitation."""
    meeting = visible_meeting(path.id)
    answer = services.record_rsvp(meeting, current_user, body.response, body.delegate_name, body.note)
    return RsvpOut(meeting_id=meeting.id, user_id=answer.user_id, response=answer.response,
                   delegate_name=answer.delegate_name, note=answer.note,
                   counts=services.rsvp_counts(meeting.id)).model_dump()


class AnswerRow(BaseModel):
    user_id: int | None = None
    guest_id: int | None = None
    name: str
    response: Literal["accepted", "declined", "tentative", "delegated", "pending"]
    answered_at: str | None = Field(None, description="ISO 8601 (Bangkok time); null while pending")
    delegate_name: str | None = None
    note: str | None = None


class AnswerList(BaseModel):
    items: list[AnswerRow]


@api.get("/meetings/<int:id>/rsvps", tags=[tag], responses={200: AnswerList, **errors(401, 403, 404)})
def list_rsvps(path: MeetingPath):
    """Everyone invited (members, the chair, guests) with their answer; "pending" for those who have not answered.
    The secretariat's list: others who may see the meeting get 403."""
    meeting = access.load(Meeting, path.id, read=authz.can_view_meeting, missing=_("ไม่พบการประชุม"))
    if not authz.can_view_answers(current_user, meeting):
        raise Forbidden(_("เฉพาะฝ่ายเลขานุการดูรายชื่อการตอบรับได้"))
    items = []
    for person in services.invitees(meeting):
        row = AnswerRow(name=person.name, response=person.response or "pending",
                        answered_at=iso_bangkok(person.answered_at) if person.answered_at and person.response else None,
                        delegate_name=person.delegate_name, note=person.note)
        if person.guest_id is not None:
            row.guest_id = person.guest_id
        else:
            row.user_id = person.user_id
        items.append(row.model_dump(exclude_none=False, exclude={"guest_id"} if person.guest_id is None
                                    else {"user_id"}))
    return {"items": items}


def attendance_out(meeting: Meeting) -> dict:
    rows = [AttendanceRow(user_id=a.user_id, guest_id=a.guest_id, name=a.name, position=a.position, status=a.status, reason=a.reason,
                          delegate_name=a.delegate_name, delegate_position=a.delegate_position)
            for a in meeting.attendance]
    return AttendanceOut(meeting_id=meeting.id, members=[r for r in rows if r.status != "guest"],
                         guests=[r for r in rows if r.status == "guest"],
                         rsvp_counts=services.rsvp_counts(meeting.id)).model_dump()


@api.get("/meetings/<int:id>/attendance", tags=[tag], responses={200: AttendanceOut, **errors(401, 404)})
def get_attendance(path: MeetingPath):
    """Who came (and RSVP counts)."""
    return attendance_out(visible_meeting(path.id))


@api.put("/meetings/<int:id>/attendance", tags=[tag], responses={200: AttendanceOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_schedule_meetings)
def put_attendance(path: MeetingPath, body: AttendanceIn):
    """Record attendance: each member present / online / absent (reason) / delegate (name), plus guests."""
    meeting = services.get_meeting(path.id)
    services.record_attendance(meeting, [m.model_dump() for m in body.members], [g.model_dump() for g in body.guests])
    return attendance_out(services.get_meeting(path.id))

