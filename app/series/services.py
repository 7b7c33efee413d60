"""Meeting series: "นัดครั้งถัดไป" (the next meeting from a previous one) and meetings scheduled ahead by a date rule.

Every meeting is created by app.meetings.services.schedule_meeting, so it takes its own ครั้งที่ N/ปี, its customary
agenda and whatever else meeting creation does. Web forms and the API both call these functions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import ical, recurrence, thaidates
from app.agenda.services import add_item
from app.audit.services import record
from app.bodies.models import Body
from app.errors import Conflict, Invalid
from app.extensions import db
from app.mail.services import queue_mail
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.series.models import MeetingSeries

STANDING_SECTIONS = (1, 3, 6)  # items that recur from meeting to meeting; section 2 is made anew for each meeting
COPIED_FIELDS = ("mode", "venue", "online_url", "stream_url", "chair_id")  # what the next meeting keeps
ORDINAL_WORDS = {1: _l("แรก"), 2: _l("ที่สอง"), 3: _l("ที่สาม"), 4: _l("ที่สี่"), recurrence.LAST: _l("สุดท้าย")}
WEEKDAY_NAMES = (_l("วันจันทร์"), _l("วันอังคาร"), _l("วันพุธ"), _l("วันพฤหัสบดี"), _l("วันศุกร์"), _l("วันเสาร์"),
                 _l("วันอาทิตย์"))  # Monday 0 … Sunday 6, in the reader's language


@dataclass
class SeriesResult:
    """The meetings a series created, in date order, with their booking warnings."""

    series: MeetingSeries
    meetings: list[Meeting]
    warnings: list[str] = field(default_factory=list)


# --- the rule -------------------------------------------------------------------------------------

def read_rule(raw: Mapping[str, Any] | None) -> recurrence.SeriesRule:
    """A date rule from input ({"frequency", "every", "weekday", "ordinal"}); Invalid names each bad part."""
    raw = raw or {}
    errors: dict[str, str] = {}
    frequency = raw.get("frequency")
    if frequency not in recurrence.FREQUENCIES:
        errors["rule.frequency"] = _("ต้องเป็น months (ทุกเดือน) หรือ weeks (ทุกสัปดาห์)")
    every = _whole(raw.get("every", 1))
    if frequency in recurrence.MAX_EVERY and not (every and 1 <= every <= recurrence.MAX_EVERY[frequency]):
        errors["rule.every"] = _("ต้องเป็น 1 ถึง %(n)d", n=recurrence.MAX_EVERY[frequency])
    weekday = _whole(raw.get("weekday"))
    if weekday is None or not 0 <= weekday <= 6:
        errors["rule.weekday"] = _("ต้องเป็น 0 (วันจันทร์) ถึง 6 (วันอาทิตย์)")
    ordinal = _whole(raw.get("ordinal")) if raw.get("ordinal") not in (None, "") else None
    if frequency == "months" and ordinal not in recurrence.ORDINALS:
        errors["rule.ordinal"] = _("ต้องเป็น 1 ถึง 4 หรือ -1 (สุดท้ายของเดือน)")
    if frequency == "weeks":
        ordinal = None
    if errors:
        raise Invalid(_("รูปแบบการนัดประชุมไม่ถูกต้อง"), errors)
    return recurrence.SeriesRule(frequency, every, weekday, ordinal)


def _whole(value: Any) -> int | None:
    """An integer from input (int or digits), or None."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rule_text(rule: recurrence.SeriesRule) -> str:
    """The rule in the reader's language: "วันศุกร์สุดท้ายของทุก 2 เดือน", "วันจันทร์แรกของทุกเดือน", "ทุก 2 สัปดาห์
    วันพฤหัสบดี" (in English: "the last Friday of every 2 months" …)."""
    weekday = str(WEEKDAY_NAMES[rule.weekday])
    if rule.frequency == "weeks":
        if rule.every == 1:
            return _("ทุกสัปดาห์ %(weekday)s", weekday=weekday)
        return _("ทุก %(n)d สัปดาห์ %(weekday)s", n=rule.every, weekday=weekday)
    if rule.every == 1:
        return _("%(weekday)s%(ordinal)sของทุกเดือน", weekday=weekday, ordinal=str(ORDINAL_WORDS[rule.ordinal]))
    return _("%(weekday)s%(ordinal)sของทุก %(n)d เดือน", weekday=weekday, ordinal=str(ORDINAL_WORDS[rule.ordinal]),
             n=rule.every)


# --- นัดครั้งถัดไป ------------------------------------------------------------------------------------

def meeting_days_of(body_id: int, *, after: datetime | None = None) -> frozenset[date]:
    """The Bangkok days on which the body already has a meeting that is not cancelled (from `after` on)."""
    query = select(Meeting.starts_at).where(Meeting.body_id == body_id, Meeting.status != "cancelled")
    if after is not None:
        query = query.where(Meeting.starts_at > after)
    return frozenset(thaidates.bangkok_date(start) for start in db.session.scalars(query))


def suggested_next_time(previous: Meeting) -> tuple[datetime, datetime]:
    """When the meeting after `previous` could be (UTC): its series' next date, else about a month later on the
    same weekday, skipping days the body already meets and days already past; at the same time of day and for the
    same duration."""
    day = thaidates.bangkok_date(previous.starts_at)
    taken = meeting_days_of(previous.body_id, after=previous.starts_at)
    series = db.session.get(MeetingSeries, previous.series_id) if previous.series_id else None
    today = thaidates.today_bangkok()
    while day <= thaidates.bangkok_date(previous.starts_at) or day < today:
        if series is not None:
            day = recurrence.next_occurrence(series.rule, series.starts_on, day, taken)
        else:
            day = recurrence.month_later_same_weekday(day, taken)
    start = datetime.combine(day, thaidates.to_bangkok(previous.starts_at).time(), thaidates.BANGKOK)
    return thaidates.to_utc(start), thaidates.to_utc(start + (previous.ends_at - previous.starts_at))


def next_meeting_values(previous: Meeting) -> dict[str, Any]:
    """The next meeting's fields taken from `previous` (body's mode, venue, links, chair) at the suggested time."""
    starts_at, ends_at = suggested_next_time(previous)
    return {"starts_at": starts_at, "ends_at": ends_at, **{name: getattr(previous, name) for name in COPIED_FIELDS}}


def schedule_next_meeting(previous: Meeting, raw: Mapping[str, Any] | None = None, *, notify: bool = True
                          ) -> meetings.ScheduleResult:
    """นัดครั้งถัดไป: a new meeting of the same body and series with the previous one's mode, venue, links and chair
    (each overridable in `raw`), at `raw`'s time or the suggested one, numbered by the body's rule; its agenda
    certifies the minutes of the meeting before it and repeats the previous meeting's standing items."""
    if previous.status == "cancelled":
        raise Conflict(_("การประชุมนี้ถูกยกเลิกแล้ว นัดครั้งถัดไปจากการประชุมอื่น"))
    raw = raw or {}
    values = {**next_meeting_values(previous), **{k: v for k, v in raw.items() if k != "number"}}
    if raw.get("starts_at") not in (None, "") and raw.get("ends_at") in (None, ""):
        values["ends_at"] = _same_duration(previous, raw["starts_at"])
    fields = meetings.validate_meeting_fields(values)  # refuses here, before a number is taken
    if fields.values["starts_at"] <= previous.starts_at:
        raise Invalid(_("การประชุมครั้งถัดไปต้องเริ่มหลังการประชุมครั้งที่ %(code)s", code=previous.code),
                      {"starts_at": _("ต้องหลัง %(when)s", when=thaidates.thai_datetime(previous.starts_at))})
    result = meetings.schedule_meeting(previous.body, {**values, "number": raw.get("number")}, notify=notify)
    meeting = result.meeting
    meeting.series_id = previous.series_id
    repeat_standing_items(previous, meeting)
    record("meeting.next", meeting, _("นัดครั้งที่ %(code)s ต่อจากครั้งที่ %(previous)s", code=meeting.code,
                                      previous=previous.code))
    return result


def _same_duration(previous: Meeting, starts_at: Any) -> datetime | None:
    """The end of a meeting starting at `starts_at` (datetime or ISO text) that lasts as long as `previous`; None when
    the start cannot be read (the meeting's validation then names it)."""
    try:
        start = thaidates.to_utc(starts_at) if isinstance(starts_at, datetime) else \
            thaidates.parse_local_datetime(str(starts_at))
    except ValueError:
        return None
    return start + (previous.ends_at - previous.starts_at)


def repeat_standing_items(previous: Meeting, meeting: Meeting) -> None:
    """Repeat the items of sections 1, 3 and 6 of `previous` on `meeting` (title, kind, presenter; not the papers)."""
    for item in previous.agenda_items:
        if item.section in STANDING_SECTIONS:
            add_item(meeting, {"section": item.section, "title": item.title, "kind": item.kind,
                               "presenter_unit_id": item.presenter_unit_id, "presenter": item.presenter_name})


# --- scheduling ahead -----------------------------------------------------------------------------

def _read_date(value: Any, name: str, errors: dict[str, str]) -> date | None:
    """A date from a date or ISO text ("2020-10-30")."""
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = _("วันที่ไม่ถูกต้อง (รูปแบบ ISO 8601 เช่น 2020-10-30)")
        return None


def _read_time(value: Any, name: str, errors: dict[str, str]) -> time | None:
    """A time of day from a time or text ("09:30", "09.30")."""
    if isinstance(value, time):
        return value
    if value in (None, ""):
        errors[name] = _("กรุณาระบุเวลา")
        return None
    try:
        return thaidates.parse_typed_time(str(value))
    except thaidates.DateInputError:
        errors[name] = _("ระบุเวลาเป็น ชช.นน เช่น 09.30")
        return None


@dataclass
class SeriesPlan:
    """A checked request to schedule ahead: the rule, its days and the meetings' times (Bangkok)."""

    rule: recurrence.SeriesRule
    starts_on: date
    start_time: time
    end_time: time
    days: list[date]

    def times(self, day: date) -> tuple[datetime, datetime]:
        """A day's meeting start and end, aware Bangkok datetimes."""
        return (datetime.combine(day, self.start_time, thaidates.BANGKOK),
                datetime.combine(day, self.end_time, thaidates.BANGKOK))


def plan_series(body: Body, raw: Mapping[str, Any]) -> SeriesPlan:
    """Check a request to schedule ahead and list its days: the rule, a start date, `count` or `until`, a start and
    end time; refuses more than MAX_OCCURRENCES meetings (422), days already past (422) and days the body already
    meets (409), naming them."""
    errors: dict[str, str] = {}
    try:
        rule = read_rule(raw.get("rule"))
    except Invalid as error:
        errors.update(error.fields)
        rule = None
    starts_on = _read_date(raw.get("starts_on"), "starts_on", errors)
    if starts_on is None and "starts_on" not in errors:
        errors["starts_on"] = _("กรุณาระบุวันเริ่มต้น")
    until = _read_date(raw.get("until"), "until", errors)
    count = _whole(raw.get("count")) if raw.get("count") not in (None, "") else None
    if raw.get("count") not in (None, "") and (until is not None or "until" in errors):
        errors["count"] = _("ระบุจำนวนครั้ง หรือวันสุดท้าย อย่างใดอย่างหนึ่ง")
    elif raw.get("count") not in (None, "") and (count is None or not 1 <= count <= recurrence.MAX_OCCURRENCES):
        errors["count"] = _("ต้องเป็น 1 ถึง %(n)d ครั้ง", n=recurrence.MAX_OCCURRENCES)
    elif count is None and until is None and "until" not in errors:
        errors["count"] = _("กรุณาระบุจำนวนครั้ง หรือวันสุดท้าย")
    start_time = _read_time(raw.get("start_time"), "start_time", errors)
    end_time = _read_time(raw.get("end_time"), "end_time", errors)
    if start_time and end_time and end_time <= start_time:
        errors["end_time"] = _("เวลาสิ้นสุดต้องหลังเวลาเริ่ม")
    if until is not None and starts_on is not None and until < starts_on:
        errors["until"] = _("วันสุดท้ายต้องไม่ก่อนวันเริ่มต้น")
    if errors:
        raise Invalid(_("ข้อมูลการนัดประชุมล่วงหน้าไม่ถูกต้อง"), errors)
    try:
        days = recurrence.occurrences(rule, starts_on, count=count, until=until)
    except recurrence.TooManyOccurrences:
        raise Invalid(_("นัดล่วงหน้าได้ไม่เกิน %(n)d ครั้งในคราวเดียว", n=recurrence.MAX_OCCURRENCES),
                      {"until": _("ช่วงนี้มีการประชุมเกิน %(n)d ครั้ง", n=recurrence.MAX_OCCURRENCES)}) from None
    if not days:
        raise Invalid(_("ไม่มีวันประชุมตามรูปแบบนี้ในช่วงที่ระบุ"), {"until": _("ไม่มีวันประชุมในช่วงนี้")})
    plan = SeriesPlan(rule, starts_on, start_time, end_time, days)
    now = datetime.now(thaidates.BANGKOK)
    if past := [day for day in days if plan.times(day)[0] <= now]:
        raise Invalid(_("วันประชุมต่อไปนี้ผ่านมาแล้ว: %(days)s", days=", ".join(thaidates.thai_date(d) for d in past)),
                      {"starts_on": _("ต้องเป็นวันที่ยังไม่ถึง")})
    if clashes := clashing_meetings(body, days):
        listed = ", ".join(f"{m.code} ({thaidates.thai_date(m.starts_at)})" for m in clashes)
        raise Conflict(_("คณะนี้มีการประชุมในวันเดียวกันอยู่แล้ว: %(meetings)s", meetings=listed),
                       {"starts_on": listed}, code="clash")
    if not thaidates.is_sane_year(days[-1], thaidates.today_bangkok()):
        raise Invalid(_("นัดล่วงหน้าไกลเกินไป"), {"until": _("ไกลเกินไป")})
    return plan


def series_preview(body: Body, raw: Mapping[str, Any]) -> str:
    """What scheduling ahead would create, to confirm first: each meeting's ครั้งที่ N/ปี and date (plan_series's
    refusals are raised as they are)."""
    plan = plan_series(body, raw)
    years = {thaidates.numbering_year(day, body.numbering) for day in plan.days}
    highest = {year: meetings.next_meeting_number(body.id, year) - 1 for year in years}
    numbers = recurrence.planned_numbers(plan.days, body.numbering, highest)
    listed = ", ".join(f"ครั้งที่ {number}/{year} {thaidates.thai_weekday(day)} {thaidates.thai_date(day)}"
                       for (number, year), day in zip(numbers, plan.days))
    return _("จะสร้างการประชุม %(n)d ครั้ง (%(rule)s เวลา %(start)s–%(end)s น.): %(meetings)s", n=len(plan.days),
             rule=rule_text(plan.rule), start=thaidates.typed_time(plan.start_time),
             end=thaidates.typed_time(plan.end_time), meetings=listed)


def clashing_meetings(body: Body, days: list[date]) -> list[Meeting]:
    """The body's meetings, not cancelled, held on one of `days` (Bangkok dates)."""
    first = thaidates.to_utc(datetime.combine(days[0], time(0), thaidates.BANGKOK))
    last = thaidates.to_utc(datetime.combine(days[-1] + timedelta(days=1), time(0), thaidates.BANGKOK))
    wanted = set(days)
    candidates = db.session.scalars(
        select(Meeting).where(Meeting.body_id == body.id, Meeting.status != "cancelled",
                              Meeting.starts_at < last, Meeting.ends_at >= first).order_by(Meeting.starts_at))
    return [m for m in candidates if thaidates.bangkok_date(m.starts_at) in wanted
            or thaidates.bangkok_date(m.ends_at) in wanted]


def schedule_series(body: Body, raw: Mapping[str, Any], user: Any = None, *, notify: bool = False) -> SeriesResult:
    """Schedule the body's meetings ahead by a rule (see plan_series), all in one go and numbered in date order,
    each with the same mode, venue, links and chair (raw's). Invitations are not sent meeting by meeting: with
    `notify`, each invitee gets one e-mail listing the dates, with one calendar file holding them all."""
    plan = plan_series(body, raw)
    series = MeetingSeries(body=body, frequency=plan.rule.frequency, every=plan.rule.every,
                           weekday=plan.rule.weekday, ordinal=plan.rule.ordinal, starts_on=plan.starts_on,
                           start_time=plan.start_time, end_time=plan.end_time, created_by_id=getattr(user, "id", None))
    db.session.add(series)
    db.session.flush()
    common = {name: raw.get(name) for name in (*COPIED_FIELDS, "notes") if name in raw}
    result = SeriesResult(series, [])
    for day in plan.days:
        starts_at, ends_at = plan.times(day)
        scheduled = meetings.schedule_meeting(body, {**common, "starts_at": starts_at, "ends_at": ends_at},
                                              notify=False)
        scheduled.meeting.series_id = series.id
        result.meetings.append(scheduled.meeting)
        result.warnings += scheduled.warnings
    db.session.flush()
    record("meeting.series", series, _("นัดประชุม %(body)s ล่วงหน้า %(n)d ครั้ง (%(rule)s): %(codes)s", body=body.name,
                                       n=len(result.meetings), rule=rule_text(plan.rule),
                                       codes=", ".join(m.code for m in result.meetings)), user=user)
    if notify:
        notify_series(result.meetings)
    return result


def notify_series(scheduled: list[Meeting]) -> int:
    """One e-mail to each invitee of the first meeting, listing every date of the series, with one calendar file
    (PUBLISH) holding them all; each meeting's own invitation, with its answer links, can follow later."""
    first = scheduled[0]
    calendar = ical.build_calendar([meetings.meeting_event(m) for m in scheduled], method="PUBLISH")
    subject = f"กำหนดการประชุม{first.body.name} ล่วงหน้า {len(scheduled)} ครั้ง"[:500]
    lines = [f"ครั้งที่ {m.code} {thaidates.thai_date_range(m.starts_at, m.ends_at)}" for m in scheduled]
    place = f"ณ {first.venue}" if first.venue else ""
    people = [person for person in meetings.invitees(first) if person.email and person.guest is None]
    for person in people:
        text = "\n".join([f"เรียน {person.name}", "", f"ขอแจ้งกำหนดการประชุม{first.body.name} ดังนี้", *lines,
                          place, "", "หนังสือเชิญประชุมแต่ละครั้งจะแจ้งให้ทราบอีกครั้ง", "", "ฝ่ายเลขานุการ",
                          first.body.name])
        queue_mail(to_email=person.email, to_name=person.name, subject=subject, body_text=text, kind="meeting.series",
                   ics=calendar, ics_method="PUBLISH", meeting_id=first.id)
    return len(people)
