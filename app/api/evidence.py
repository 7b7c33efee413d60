"""E-meeting evidence and check-in API (app.evidence.services, the same services as the web pages).

Identity by one-time code is two steps: the secretariat sends the code with `POST /meetings/<id>/identity-checks`
`{"user_id", "method": "otp"}` (202, `state: code_sent`; an attendee may also ask for their own code with their own
user_id), and the attendee confirms with `POST /meetings/<id>/identity-checks/otp` `{"code"}` (200, confirmed;
a wrong code 422 `wrong_code`; expired 409 `code_expired`; after 5 wrong codes 409 `too_many_attempts`). The code
goes by e-mail, and by LINE when the account is linked; it expires in 10 minutes. `video` and `vouched` (with
`vouched_by`, another attendee) are recorded by the secretariat at once (201). Every confirmation sets the
attendance row's identity_confirmed (an `online` row is created when there is none).

Every time is given in Bangkok time (`…_at`, +07:00) and in UTC (`…_at_utc`)."""
from __future__ import annotations

from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz, textlimits
from app.api import api
from app.api.agenda import UploadForm
from app.api.meetings import MeetingPath, iso_bangkok, visible_meeting
from app.api.schemas import Id, OneLine, RequestModel, Text, errors
from app.evidence import services
from app.evidence.models import IdentityCheck, IdentityCode
from app.participation import SOURCES

tag = Tag(name="evidence", description="E-meeting evidence (identity, join/leave times, recording, incidents) "
                                       "and self check-in")


class IdentityCheckIn(RequestModel):
    user_id: Id
    method: Literal["otp", "video", "vouched"]
    vouched_by: Id | None = Field(None, description="vouched: the user id of the attendee who vouches")


class CodeIn(RequestModel):
    code: OneLine(20, min_length=1)


class IdentityCheckOut(BaseModel):
    state: Literal["confirmed", "code_sent"]
    user_id: int
    method: str
    vouched_by: int | None = None
    vouched_by_name: str | None = None
    recorded_by_name: str | None = None
    confirmed_at: str | None = None
    confirmed_at_utc: str | None = None
    code_expires_at: str | None = None


class ParticipationForm(UploadForm):
    source: Literal[SOURCES]  # type: ignore[valid-type]


class StayOut(BaseModel):
    name: str
    email: str | None
    user_id: int | None
    guest_id: int | None
    joined_at: str
    left_at: str
    joined_at_utc: str
    left_at_utc: str
    source: str


class ImportOut(BaseModel):
    matched: list[StayOut]
    unmatched: list[StayOut]


class RecordingIn(RequestModel):
    url: OneLine(textlimits.URL) | None = Field(None, description="Where the recording is kept")
    sha256: OneLine(64) | None = Field(None, description="SHA-256 of the file, 64 hex digits")
    secret: bool = Field(False, description="A secret session: not recorded (url and sha256 may be left out)")


class RecordingOut(BaseModel):
    url: str | None
    sha256: str | None
    secret: bool
    updated_at: str
    updated_at_utc: str


class IncidentIn(RequestModel):
    text: Text(textlimits.NOTE, min_length=1)


class IncidentOut(BaseModel):
    id: int
    reporter_name: str
    text: str
    reported_at: str
    reported_at_utc: str


class CheckInIn(RequestModel):
    token: OneLine(500) | None = Field(None, description="The token of the day's QR code (on site); leave out to "
                                                         "check in online once the identity is confirmed")


class CheckInOut(BaseModel):
    user_id: int
    day: str
    place: Literal["onsite", "online"]
    checked_in_at: str
    checked_in_at_utc: str


class EvidenceOut(BaseModel):
    meeting_id: int
    mode: str
    procurement: bool = Field(description="The body is a procurement committee: the decree does not apply")
    identity_checks: list[IdentityCheckOut]
    stays: list[StayOut]
    recording: RecordingOut | None
    incidents: list[IncidentOut]
    check_ins: list[CheckInOut]


def utc(value) -> str:
    """An aware datetime as ISO 8601 in UTC."""
    from app.thaidates import to_utc

    return to_utc(value).isoformat()


def check_out(check: IdentityCheck | IdentityCode) -> dict:
    """A confirmed check, or a code sent."""
    if isinstance(check, IdentityCode):
        return IdentityCheckOut(state="code_sent", user_id=check.user_id, method="otp",
                                code_expires_at=iso_bangkok(check.expires_at)).model_dump()
    return IdentityCheckOut(state="confirmed", user_id=check.user_id, method=check.method,
                            vouched_by=check.vouched_by_id, vouched_by_name=check.vouched_by_name,
                            recorded_by_name=check.recorded_by_name, confirmed_at=iso_bangkok(check.confirmed_at),
                            confirmed_at_utc=utc(check.confirmed_at)).model_dump()


def stay_out(stay) -> dict:
    """One stay (join to leave), in Bangkok time and UTC."""
    return StayOut(name=stay.name, email=stay.email, user_id=stay.user_id, guest_id=stay.guest_id,
                   joined_at=iso_bangkok(stay.joined_at), left_at=iso_bangkok(stay.left_at),
                   joined_at_utc=utc(stay.joined_at), left_at_utc=utc(stay.left_at), source=stay.source).model_dump()


def recording_out(row) -> dict:
    """The recording's location and digest, or the secret session."""
    return RecordingOut(url=row.url, sha256=row.sha256, secret=row.secret, updated_at=iso_bangkok(row.updated_at),
                        updated_at_utc=utc(row.updated_at)).model_dump()


def incident_out(row) -> dict:
    """One entry of the incident log."""
    return IncidentOut(id=row.id, reporter_name=row.reporter_name, text=row.text,
                       reported_at=iso_bangkok(row.reported_at), reported_at_utc=utc(row.reported_at)).model_dump()


def check_in_out(row) -> dict:
    """One check-in."""
    return CheckInOut(user_id=row.user_id, day=row.day.isoformat(), place=row.place,
                      checked_in_at=iso_bangkok(row.checked_in_at), checked_in_at_utc=utc(row.checked_in_at)).model_dump()


def meeting_for(meeting_id: int, rule):
    """The meeting: 404 unless the user may see it, 403 unless `rule` lets them do this."""
    return access.authorize(visible_meeting(meeting_id), read=authz.can_view_meeting, change=rule)


@api.get("/meetings/<int:id>/evidence", tags=[tag], responses={200: EvidenceOut, **errors(401, 403, 404)})
def get_evidence(path: MeetingPath):
    """Everything kept as the meeting's e-meeting evidence (the secretariat)."""
    meeting = meeting_for(path.id, authz.can_keep_evidence)
    recording = services.recording_of(meeting)
    return EvidenceOut(
        meeting_id=meeting.id, mode=meeting.mode, procurement=meeting.body.procurement,
        identity_checks=[check_out(c) for c in services.identity_checks(meeting)],
        stays=[stay_out(s) for s in services.intervals(meeting)],
        recording=recording_out(recording) if recording else None,
        incidents=[incident_out(i) for i in services.incidents(meeting)],
        check_ins=[check_in_out(c) for c in services.check_ins(meeting)]).model_dump()


@api.post("/meetings/<int:id>/identity-checks", tags=[tag],
          responses={201: IdentityCheckOut, 202: IdentityCheckOut, **errors(401, 403, 404, 409, 422)})
def post_identity_check(path: MeetingPath, body: IdentityCheckIn):
    """Confirm an online attendee's identity (the secretariat).

    `video` (the secretariat saw them) and `vouched` (with `vouched_by`: another attendee of the meeting) are
    recorded at once: 201 `state: confirmed`. `otp` is two steps: this call e-mails the attendee a one-time code of
    six digits (and pushes it by LINE when their account is linked), valid 10 minutes, only its hash kept: 202
    `state: code_sent`; the attendee then sends it with POST /meetings/{id}/identity-checks/otp. An attendee may
    ask for their own code here (their own user_id, method otp). Every confirmation sets the attendance row's
    identity_confirmed, creating an `online` row when there is none."""
    own_code = body.method == "otp" and body.user_id == current_user.id
    meeting = meeting_for(path.id, authz.can_confirm_own_identity if own_code and not authz.is_staff(current_user)
                          else authz.can_keep_evidence)
    result = services.check_identity(meeting, body.user_id, body.method, current_user, body.vouched_by)
    return check_out(result), 202 if isinstance(result, IdentityCode) else 201


@api.post("/meetings/<int:id>/identity-checks/otp", tags=[tag],
          responses={200: IdentityCheckOut, **errors(401, 403, 404, 409, 422)})
def post_identity_code(path: MeetingPath, body: CodeIn):
    """The attendee enters the one-time code sent to them: 200 confirmed; a wrong code 422 `wrong_code` (with the
    tries left); an expired code 409 `code_expired`; after 5 wrong codes 409 `too_many_attempts` (ask for a new
    one); no code sent (or already used) 409 `no_code`."""
    meeting = meeting_for(path.id, authz.can_confirm_own_identity)
    return check_out(services.confirm_identity_by_code(meeting, current_user, body.code))


@api.post("/meetings/<int:id>/participation", tags=[tag], responses={200: ImportOut, **errors(401, 403, 404, 409, 422)})
def post_participation(path: MeetingPath, form: ParticipationForm):
    """Import the participant report (multipart `file`, `source`: zoom | webex | teams): each stay is matched to a
    member or guest by e-mail or name; the unmatched are listed (and kept). Replaces an earlier import of the
    same source. Times without a zone are read as Bangkok time."""
    meeting = meeting_for(path.id, authz.can_keep_evidence)
    result = services.import_participation(meeting, form.file.read(), form.source)
    return ImportOut(matched=[stay_out(s) for s in result.matched],
                     unmatched=[stay_out(s) for s in result.unmatched]).model_dump()


@api.put("/meetings/<int:id>/recording", tags=[tag], responses={200: RecordingOut, **errors(401, 403, 404, 409, 422)})
def put_recording(path: MeetingPath, body: RecordingIn):
    """Where the recording is kept and its SHA-256, or `secret: true` for a secret session (not recorded)."""
    meeting = meeting_for(path.id, authz.can_keep_evidence)
    return recording_out(services.set_recording(meeting, current_user, url=body.url, sha256=body.sha256,
                                                secret=body.secret))


@api.post("/meetings/<int:id>/incidents", tags=[tag], responses={201: IncidentOut, **errors(401, 403, 404, 409, 422)})
def post_incident(path: MeetingPath, body: IncidentIn):
    """Report a technical problem: attendees during the meeting (to 30 minutes after its end; else 409
    outside_meeting), the secretariat at any time."""
    meeting = meeting_for(path.id, authz.can_report_incident)
    return incident_out(services.report_incident(meeting, current_user, body.text)), 201


@api.post("/meetings/<int:id>/check-in", tags=[tag], responses={201: CheckInOut, **errors(401, 403, 404, 409, 422)})
def post_check_in(path: MeetingPath, body: CheckInIn):
    """The caller marks themselves present: on site with the token of the day's QR code, or online (no token)
    once their identity is confirmed; only on that day within the meeting's hours (409 other_day, outside_hours;
    422 bad_token, other_meeting)."""
    meeting = meeting_for(path.id, authz.can_check_in)
    return check_in_out(services.check_in(meeting, current_user, body.token)), 201
