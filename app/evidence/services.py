"""The evidence of an online or hybrid meeting and self check-in: identity checks (a one-time code sent by e-mail and
LINE, a video check, or another attendee vouching), join and leave intervals (typed, or imported from the
participant report of Zoom, Webex or Teams), the recording or the secret session, the technical-incident log, and
check-ins by the day's QR code (on site) or from the meeting page (online, once the identity is confirmed).

Services validate, change, flush and audit; they never commit (app.transactions does). A wrong one-time code is
counted in Flask-Limiter's storage (as failed sign-ins are), so the count survives the refusal.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import participation, textlimits, thaidates
from app.audit.services import record
from app.auth.models import User
from app.dbtypes import utcnow
from app.errors import Conflict, Forbidden, Invalid
from app.evidence.models import (
    CheckIn,
    IdentityCheck,
    IdentityCode,
    MeetingRecording,
    ParticipationInterval,
    TechnicalIncident,
)
from app.extensions import db
from app.links import read_signed_token, signed_token
from app.meetings.models import Attendance, Meeting
from app.meetings.services import body_members, ensure_record_open

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
CHECK_IN_EARLY = timedelta(minutes=60)  # the QR code works from an hour before the day's start …
CHECK_IN_LATE = timedelta(minutes=0)  # … until the day's end
INCIDENT_GRACE = timedelta(minutes=30)  # attendees report problems until half an hour after the end
CHECK_IN_SALT = "meeting-check-in"
ONLINE_MODES = ("online", "hybrid")
SHA256 = re.compile(r"[0-9a-fA-F]{64}")


# --- who and when ------------------------------------------------------------------------------

def is_electronic(meeting: Meeting) -> bool:
    """Online and hybrid meetings are the ones the decree's evidence is kept for."""
    return meeting.mode in ONLINE_MODES


def _refuse_unless_open(meeting: Meeting) -> None:
    """Conflict for a cancelled meeting or one whose minutes are certified (its record is frozen)."""
    ensure_record_open(meeting)
    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))


def _refuse_unless_electronic(meeting: Meeting) -> None:
    """Conflict (not_online) for a meeting held on site only."""
    if not is_electronic(meeting):
        raise Conflict(_("การประชุมนี้ไม่ใช่การประชุมออนไลน์หรือแบบผสม"), code="not_online")


def day_windows(meeting: Meeting) -> list[tuple[date, datetime, datetime]]:
    """(Bangkok day, start, end) of each day of the meeting, in UTC (one entry for a one-day meeting)."""
    from app.meetings.days import event_days

    days = event_days(meeting)
    if days:
        return [(d.day, d.starts_at, d.ends_at) for d in days]
    return [(thaidates.bangkok_date(meeting.starts_at), meeting.starts_at, meeting.ends_at)]


def window_of(meeting: Meeting, day: date) -> tuple[datetime, datetime] | None:
    """The check-in window of one Bangkok day of the meeting (None when the meeting is not held that day)."""
    for each, starts, ends in day_windows(meeting):
        if each == day:
            return starts - CHECK_IN_EARLY, ends + CHECK_IN_LATE
    return None


def incident_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When attendees may write to the incident log: from the meeting's start to its end and a grace."""
    return meeting.starts_at, meeting.ends_at + INCIDENT_GRACE


def attendee_panel_open(meeting: Meeting) -> bool:
    """Whether the meeting page still offers attendees identity confirmation, check-in and the incident log: until
    the last of their windows closes (the incident grace after the end)."""
    return utcnow() <= meeting.ends_at + max(INCIDENT_GRACE, CHECK_IN_LATE)


def _member_of_meeting(meeting: Meeting, user: User | None) -> bool:
    """The user is one of the meeting's expected attendees (authz.is_expected_attendee)."""
    from app import authz

    return user is not None and authz.is_expected_attendee(user, meeting)


def attendance_row(meeting: Meeting, user: User, status: str) -> Attendance:
    """The user's attendance row, created with `status` when there is none; an absent member becomes `status`."""
    row = next((a for a in meeting.attendance if a.user_id == user.id), None)
    if row is None:
        membership = next((m for m in body_members(meeting.body_id) if m.user_id == user.id), None)
        row = Attendance(user_id=user.id, name=user.name, status=status,
                         position=(membership.title if membership else None) or user.position,
                         sort_order=membership.sort_order if membership else 0)
        meeting.attendance.append(row)
    elif row.status == "absent":
        row.status, row.reason = status, None
    return row


# --- identity -----------------------------------------------------------------------------------

def new_code() -> str:
    """A fresh one-time code of six digits (typed on a phone)."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def _attendee(meeting: Meeting, user_id) -> User:
    """The active expected attendee with this id; Invalid (user_id) otherwise."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) and not isinstance(user_id, bool) else None
    if user is None or not user.is_active or not _member_of_meeting(meeting, user):
        message = _("ไม่ใช่กรรมการหรือประธานของการประชุมนี้")
        raise Invalid(message, {"user_id": message})
    return user


def send_identity_code(meeting: Meeting, user: User, sent_by: User) -> IdentityCode:
    """Send the attendee a new one-time code (replacing an earlier one) by e-mail, and by LINE when linked;
    only its hash is kept and it expires in 10 minutes."""
    from app.evidence.notices import identity_code_notice
    from app.notify.services import code_hash

    _refuse_unless_open(meeting)
    _refuse_unless_electronic(meeting)
    _attendee(meeting, user.id)
    db.session.execute(db.delete(IdentityCode).where(IdentityCode.meeting_id == meeting.id,
                                                     IdentityCode.user_id == user.id))
    code = new_code()
    row = IdentityCode(meeting_id=meeting.id, user_id=user.id, code_hash=code_hash(code),
                       expires_at=utcnow() + CODE_LIFETIME, sent_at=utcnow(), sent_by_id=sent_by.id)
    db.session.add(row)
    db.session.flush()
    identity_code_notice(meeting, user, code)
    record("meeting.identity_code", meeting, _("ส่งรหัสยืนยันตัวตนให้ %(name)s", name=user.name), user=sent_by)
    return row


def _wrong_code_limit():
    """MAX_CODE_ATTEMPTS wrong codes within a code's lifetime, and the keys of this code's count."""
    from limits import parse

    return parse(f"{MAX_CODE_ATTEMPTS} per {int(CODE_LIFETIME.total_seconds() // 60)} minutes")


def _code_keys(row: IdentityCode) -> tuple[str, ...]:
    """The count's keys: the meeting, the attendee and the code (a new code starts a new count)."""
    return ("identity-code", str(row.meeting_id), str(row.user_id), row.code_hash[:16])  # a new code, a new count


def _tries_left(row: IdentityCode) -> int:
    """How many more wrong codes this code allows (counted in Flask-Limiter's storage, as failed sign-ins are,
    so a count survives the refusal that rolls the request back)."""
    from app.extensions import limiter

    return limiter.limiter.get_window_stats(_wrong_code_limit(), *_code_keys(row)).remaining


def _count_wrong_code(row: IdentityCode) -> int:
    """Count one wrong code; how many more it allows."""
    from app.extensions import limiter

    limiter.limiter.hit(_wrong_code_limit(), *_code_keys(row))
    return _tries_left(row)


def confirm_identity_by_code(meeting: Meeting, user: User, code: str) -> IdentityCheck:
    """The attendee enters the code sent to them: right → identity confirmed (the code is used up); wrong → 422
    (counted); expired, used up or tried too often → 409."""
    from app.notify.services import code_hash

    _refuse_unless_open(meeting)
    row = db.session.scalar(select(IdentityCode).where(IdentityCode.meeting_id == meeting.id,
                                                       IdentityCode.user_id == user.id))
    if row is None:
        raise Conflict(_("ยังไม่มีรหัสยืนยันตัวตนที่ส่งให้ท่าน กรุณาขอรหัสใหม่"), code="no_code")
    if _tries_left(row) <= 0:
        raise Conflict(_("ใส่รหัสผิดเกิน %(n)d ครั้ง กรุณาขอรหัสใหม่", n=MAX_CODE_ATTEMPTS), code="too_many_attempts")
    if row.expires_at <= utcnow():
        raise Conflict(_("รหัสยืนยันตัวตนหมดอายุแล้ว กรุณาขอรหัสใหม่"), code="code_expired")
    if not secrets.compare_digest(row.code_hash, code_hash((code or "").strip())):
        message = _("รหัสไม่ถูกต้อง (ใส่ได้อีก %(n)d ครั้ง)", n=_count_wrong_code(row))
        raise Invalid(message, {"code": message}, code="wrong_code")
    db.session.delete(row)
    return _confirm(meeting, user, "otp", recorded_by=user)


def check_identity(meeting: Meeting, user_id, method: str, recorded_by: User, vouched_by_id=None
                   ) -> IdentityCheck | IdentityCode:
    """The secretariat's identity check of an online attendee: `otp` sends the code (IdentityCode returned; the
    attendee confirms it), `video` records the secretariat's check, `vouched` another attendee's word (named)."""
    user = _attendee(meeting, user_id)
    if method == "otp":
        return send_identity_code(meeting, user, recorded_by)
    _refuse_unless_open(meeting)
    _refuse_unless_electronic(meeting)
    if method == "video":
        return _confirm(meeting, user, "video", recorded_by=recorded_by)
    if method != "vouched":
        message = _("ต้องเป็น otp, video หรือ vouched")
        raise Invalid(message, {"method": message})
    voucher = db.session.get(User, vouched_by_id) if isinstance(vouched_by_id, int) else None
    if voucher is None or voucher.id == user.id or not _member_of_meeting(meeting, voucher):
        message = _("ผู้รับรองต้องเป็นผู้เข้าประชุมคนอื่นของการประชุมนี้")
        raise Invalid(message, {"vouched_by": message})
    return _confirm(meeting, user, "vouched", recorded_by=recorded_by, voucher=voucher)


def _confirm(meeting: Meeting, user: User, method: str, *, recorded_by: User, voucher: User | None = None
             ) -> IdentityCheck:
    """Record the check and mark the attendance row's identity confirmed (an online row when there was none)."""
    check = IdentityCheck(meeting_id=meeting.id, user_id=user.id, method=method, confirmed_at=utcnow(),
                          recorded_by_id=recorded_by.id, recorded_by_name=recorded_by.name,
                          vouched_by_id=voucher.id if voucher else None,
                          vouched_by_name=voucher.name if voucher else None)
    db.session.add(check)
    attendance_row(meeting, user, "online").identity_confirmed = True
    db.session.flush()
    record("meeting.identity_check", meeting, _("ยืนยันตัวตน %(name)s (%(method)s)", name=user.name, method=method),
           user=recorded_by)
    return check


def identity_checks(meeting: Meeting) -> list[IdentityCheck]:
    """The meeting's identity checks, oldest first."""
    return list(db.session.scalars(select(IdentityCheck).where(IdentityCheck.meeting_id == meeting.id)
                                   .order_by(IdentityCheck.confirmed_at, IdentityCheck.id)))


def identity_confirmed(meeting: Meeting, user: User) -> bool:
    """Whether the user's identity is confirmed for this meeting."""
    row = next((a for a in meeting.attendance if a.user_id == user.id), None)
    return bool(row and row.identity_confirmed)


# --- join and leave times -------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportResult:
    """What an import matched (with whom) and what it could not."""

    matched: list[ParticipationInterval]
    unmatched: list[ParticipationInterval]


def _as_utc(value: datetime) -> datetime:
    """A report's time: naive means Bangkok time."""
    return thaidates.to_utc(value if value.tzinfo else value.replace(tzinfo=thaidates.BANGKOK))


def expected_people(meeting: Meeting) -> list[participation.Person]:
    """The members, the meeting's chair and the invited guests, as the report matcher reads them."""
    people = [participation.Person(("user", m.user_id), m.user.name, m.user.email) for m in body_members(meeting.body_id)]
    if meeting.chair is not None and all(p.key != ("user", meeting.chair_id) for p in people):
        people.append(participation.Person(("user", meeting.chair_id), meeting.chair.name, meeting.chair.email))
    people += [participation.Person(("guest", g.id), g.name, g.email) for g in meeting.guests]
    return people


def import_participation(meeting: Meeting, data: bytes, source: str) -> ImportResult:
    """Read a participant report of `source` (zoom, webex, teams) and keep every stay, matched to a member or guest
    or unmatched; an earlier import of the same source is replaced. 422 when the file cannot be read."""
    _refuse_unless_open(meeting)
    if source not in participation.SOURCES:
        message = _("ต้องเป็น zoom, webex หรือ teams")
        raise Invalid(message, {"source": message})
    try:
        rows = participation.parse_participant_report(data, source)
    except participation.ReportError as error:
        message = _("อ่านรายงานผู้เข้าร่วมไม่ได้: %(reason)s", reason=str(error))
        raise Invalid(message, {"file": message}) from None
    matched_pairs, unmatched_rows = participation.match_participants(rows, expected_people(meeting))
    db.session.execute(db.delete(ParticipationInterval).where(ParticipationInterval.meeting_id == meeting.id,
                                                              ParticipationInterval.source == source))

    def interval(row: participation.ParticipantRow, key=None) -> ParticipationInterval:
        """Keep one stay, with the member or guest it matched."""
        kind, ident = key or (None, None)
        stay = ParticipationInterval(
            meeting_id=meeting.id, user_id=ident if kind == "user" else None,
            guest_id=ident if kind == "guest" else None, name=row.name[:textlimits.NAME],
            email=(row.email or "")[:textlimits.EMAIL] or None, joined_at=_as_utc(row.joined_at),
            left_at=_as_utc(row.left_at), source=source)
        db.session.add(stay)
        return stay

    result = ImportResult(matched=[interval(row, person.key) for row, person in matched_pairs],
                          unmatched=[interval(row) for row in unmatched_rows])
    db.session.flush()
    record("meeting.participation_import", meeting,
           _("นำเข้ารายงานผู้เข้าร่วมจาก %(source)s: ตรง %(m)d ไม่พบ %(u)d", source=source, m=len(result.matched),
             u=len(result.unmatched)))
    return result


def add_interval(meeting: Meeting, user_id, joined_at: datetime | None, left_at: datetime | None
                 ) -> ParticipationInterval:
    """The secretariat types one stay of a member (join and leave, Bangkok time on the page)."""
    _refuse_unless_open(meeting)
    user = _attendee(meeting, user_id)
    errors = {}
    if joined_at is None:
        errors["joined_at"] = _("กรุณาระบุเวลาเข้าร่วม")
    if left_at is None:
        errors["left_at"] = _("กรุณาระบุเวลาออก")
    elif joined_at is not None and left_at < joined_at:
        errors["left_at"] = _("เวลาออกต้องไม่ก่อนเวลาเข้าร่วม")
    if errors:
        raise Invalid(_("เวลาเข้าร่วมไม่ถูกต้อง"), errors)
    stay = ParticipationInterval(meeting_id=meeting.id, user_id=user.id, name=user.name, email=user.email,
                                 joined_at=joined_at, left_at=left_at, source="manual")
    db.session.add(stay)
    db.session.flush()
    record("meeting.participation_add", meeting, _("บันทึกเวลาเข้าร่วมของ %(name)s", name=user.name))
    return stay


def remove_interval(meeting: Meeting, stay: ParticipationInterval) -> None:
    """Take one stay off the record."""
    _refuse_unless_open(meeting)
    db.session.delete(stay)
    db.session.flush()
    record("meeting.participation_remove", meeting, _("ลบเวลาเข้าร่วมของ %(name)s", name=stay.name))


def intervals(meeting: Meeting) -> list[ParticipationInterval]:
    """Every stay, by name then join time."""
    return list(db.session.scalars(select(ParticipationInterval).where(ParticipationInterval.meeting_id == meeting.id)
                                   .order_by(ParticipationInterval.name, ParticipationInterval.joined_at)))


# --- recording --------------------------------------------------------------------------------------

def set_recording(meeting: Meeting, user: User, *, url: str | None, sha256: str | None, secret: bool = False
                  ) -> MeetingRecording:
    """Where the recording is kept and its SHA-256, or that the session was secret (not recorded)."""
    _refuse_unless_open(meeting)
    url, sha256 = (url or "").strip() or None, (sha256 or "").strip().lower() or None
    errors = {}
    if not secret:
        if not url:
            errors["url"] = _("กรุณาระบุที่เก็บไฟล์บันทึกการประชุม")
        if not sha256:
            errors["sha256"] = _("กรุณาระบุค่า SHA-256 ของไฟล์")
    if url and (problem := textlimits.check_text(url, textlimits.URL, one_line=True, gettext=_)):
        errors["url"] = problem
    if sha256 and not SHA256.fullmatch(sha256):
        errors["sha256"] = _("ค่า SHA-256 ต้องเป็นเลขฐานสิบหก 64 ตัว")
    if errors:
        raise Invalid(_("ข้อมูลการบันทึกการประชุมไม่ถูกต้อง"), errors)
    row = recording_of(meeting) or MeetingRecording(meeting_id=meeting.id)
    row.url, row.sha256, row.secret, row.recorded_by_id = url, sha256, bool(secret), user.id
    db.session.add(row)
    db.session.flush()
    record("meeting.recording", meeting, _("การประชุมลับ ไม่บันทึกภาพและเสียง") if secret else url)
    return row


def recording_of(meeting: Meeting) -> MeetingRecording | None:
    """The meeting's recording record, if any."""
    return db.session.scalar(select(MeetingRecording).where(MeetingRecording.meeting_id == meeting.id))


# --- incidents ---------------------------------------------------------------------------------------

def report_incident(meeting: Meeting, user: User, text: str) -> TechnicalIncident:
    """An attendee writes a technical problem to the log during the meeting (until half an hour after its end);
    the secretariat at any time."""
    from app import authz

    if meeting.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว"))
    text = (text or "").strip()
    if not text:
        message = _("กรุณาระบุปัญหาที่พบ")
        raise Invalid(message, {"text": message})
    if problem := textlimits.check_text(text, textlimits.NOTE, gettext=_):
        raise Invalid(problem, {"text": problem})
    if not authz.is_staff(user):
        opens, closes = incident_window(meeting)
        if not opens <= utcnow() <= closes:
            raise Conflict(_("แจ้งปัญหาทางเทคนิคได้เฉพาะระหว่างการประชุม (%(start)s ถึง %(end)s)",
                             start=thaidates.thai_datetime(opens), end=thaidates.thai_datetime(closes)),
                           code="outside_meeting")
    incident = TechnicalIncident(meeting_id=meeting.id, user_id=user.id, reporter_name=user.name, text=text,
                                 reported_at=utcnow())
    db.session.add(incident)
    db.session.flush()
    record("meeting.incident", meeting, text[:200])
    return incident


def incidents(meeting: Meeting) -> list[TechnicalIncident]:
    """The incident log, oldest first."""
    return list(db.session.scalars(select(TechnicalIncident).where(TechnicalIncident.meeting_id == meeting.id)
                                   .order_by(TechnicalIncident.reported_at, TechnicalIncident.id)))


# --- check-in ----------------------------------------------------------------------------------------

def check_in_token(meeting: Meeting, day: date) -> str:
    """The signed token of the QR code of one meeting day (nothing stored)."""
    return signed_token(CHECK_IN_SALT, {"m": meeting.id, "d": day.isoformat()})


def _token_day(meeting: Meeting, token: str | None) -> date:
    """The day a check-in token names; 422 when forged or of another meeting."""
    payload = read_signed_token(CHECK_IN_SALT, token or "") if token else None
    try:
        day = date.fromisoformat(payload["d"]) if payload else None
    except (KeyError, TypeError, ValueError):
        day = None
    if day is None:
        message = _("รหัส QR ไม่ถูกต้อง")
        raise Invalid(message, {"token": message}, code="bad_token")
    if payload.get("m") != meeting.id:
        message = _("รหัส QR นี้เป็นของการประชุมอื่น")
        raise Invalid(message, {"token": message}, code="other_meeting")
    return day


def check_in(meeting: Meeting, user: User, token: str | None = None) -> CheckIn:
    """The attendee marks themselves present today: on site with the day's QR token, or online (without a token)
    once their identity is confirmed; only within the day's hours. Checking in twice a day keeps the first."""
    _refuse_unless_open(meeting)
    if not _member_of_meeting(meeting, user):
        raise Forbidden(_("เช็กอินได้เฉพาะกรรมการและประธานของการประชุมนี้"))
    today, now = thaidates.today_bangkok(), utcnow()
    if token is not None:
        day, place = _token_day(meeting, token), "onsite"
        if day != today:
            raise Conflict(_("รหัส QR นี้ใช้ได้เฉพาะวันที่ %(day)s", day=thaidates.thai_date(day)), code="other_day")
    else:
        _refuse_unless_electronic(meeting)
        if not identity_confirmed(meeting, user):
            raise Conflict(_("กรุณายืนยันตัวตนก่อนเช็กอินออนไลน์"), code="identity_unconfirmed")
        day, place = today, "online"
    window = window_of(meeting, day)
    if window is None or not window[0] <= now <= window[1]:
        raise Conflict(_("เช็กอินได้เฉพาะช่วงเวลาประชุมของวันนี้"), code="outside_hours")
    existing = db.session.scalar(select(CheckIn).where(CheckIn.meeting_id == meeting.id, CheckIn.user_id == user.id,
                                                       CheckIn.day == day))
    if existing is not None:
        return existing
    row = CheckIn(meeting_id=meeting.id, user_id=user.id, day=day, place=place, checked_in_at=now)
    db.session.add(row)
    attendance = attendance_row(meeting, user, "present" if place == "onsite" else "online")
    if place == "onsite" and attendance.status == "online":
        attendance.status = "present"
    db.session.flush()
    record("meeting.check_in", meeting, _("%(name)s เช็กอิน (%(place)s)", name=user.name, place=place))
    return row


def check_ins(meeting: Meeting) -> list[CheckIn]:
    """Every check-in, by day and time."""
    return list(db.session.scalars(select(CheckIn).where(CheckIn.meeting_id == meeting.id)
                                   .order_by(CheckIn.day, CheckIn.checked_in_at)))
