"""Resolutions by circulation (เวียนขอมติ): circulating a matter to a body's members, their answers, reminders,
closing with the result, and reporting it to the body's next meeting (section 4, เรื่องเพื่อทราบ).

Web pages, the one-click answer page, the API and `flask reminders send` call these functions; they flush,
never commit. A circulation closes at its deadline (lazily, when it is next read, and by the reminders command),
when every member asked has answered, or when the secretariat closes it. The outcome: เห็นชอบ when more than half
of the members asked approve, ไม่เห็นชอบ when more than half reject, otherwise ไม่ได้มติ (no resolution).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import textlimits, thaidates
from app.audit.services import record
from app.auth.models import User
from app.bodies.models import Body, Membership
from app.circulations.models import CIRCULATION_ANSWERS, Circulation, CirculationAnswer
from app.dbtypes import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.richtext import plain_text, sanitize_html

ANSWER_WORDS = {"approve": "เห็นชอบ", "reject": "ไม่เห็นชอบ", "comment": "มีความเห็นเพิ่มเติม"}  # official, Thai
OUTCOME_WORDS = {"approved": "เห็นชอบ", "rejected": "ไม่เห็นชอบ", "no_decision": "ไม่ได้มติ"}
CLOSE_WORDS = {"deadline": "ครบกำหนดตอบ", "all_answered": "กรรมการตอบครบทุกคน", "closed": "ฝ่ายเลขานุการปิด"}


def get_circulation(circulation_id: int) -> Circulation:
    """The circulation, or NotFound."""
    circulation = db.session.get(Circulation, circulation_id)
    if circulation is None:
        raise NotFound(_("ไม่พบเรื่องที่เวียนขอมติ"))
    return circulation


def is_past_deadline(circulation: Circulation, now: datetime | None = None) -> bool:
    """Whether the deadline has passed."""
    return (now or utcnow()) >= circulation.deadline


def ensure_open(circulation: Circulation, now: datetime | None = None) -> None:
    """Conflict when the circulation is closed or its deadline has passed (answers and papers no longer change)."""
    if circulation.state != "open" or is_past_deadline(circulation, now):
        raise Conflict(_("การขอมติเวียนนี้ปิดแล้วหรือเลยกำหนดตอบแล้ว"), code="circulation_closed")


def body_members(body: Body) -> list[User]:
    """The body's active members in seating order: those a matter is circulated to."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.body_id == body.id, User.is_active_user.is_(True))
        .order_by(Membership.sort_order, Membership.id)))


def pending_answers(circulation: Circulation) -> list[CirculationAnswer]:
    """The members asked who have not answered yet."""
    return [row for row in circulation.answers if row.answer is None]


def answer_of(circulation: Circulation, user) -> CirculationAnswer | None:
    """The user's row (asked or not: None when the user was not asked)."""
    return next((row for row in circulation.answers if row.user_id == getattr(user, "id", None)), None)


def list_circulations(body: Body) -> list[Circulation]:
    """The body's circulations, the latest first (each closed first when its deadline has passed)."""
    circulations = list(db.session.scalars(
        select(Circulation).where(Circulation.body_id == body.id).order_by(Circulation.created_at.desc(),
                                                                           Circulation.id.desc())))
    return [close_if_due(c) for c in circulations]


# --- circulating -------------------------------------------------------------------------------------

def _check_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validated title, detail (rich text), question and deadline (an aware datetime in the future)."""
    errors: dict[str, str] = {}
    title = (raw.get("title") or "").strip()
    question = (raw.get("question") or "").strip()
    if not title:
        errors["title"] = _("กรุณาระบุเรื่อง")
    elif problem := textlimits.check_text(title, textlimits.TITLE, one_line=True, gettext=_):
        errors["title"] = problem
    if not question:
        errors["question"] = _("กรุณาระบุประเด็นที่ขอมติ")
    elif problem := textlimits.check_text(question, textlimits.NOTE, gettext=_):
        errors["question"] = problem
    detail = raw.get("detail")
    if problem := textlimits.check_text(detail, textlimits.LONG_TEXT, gettext=_):
        errors["detail"] = problem
    deadline = raw.get("deadline")
    if not isinstance(deadline, datetime) or deadline.tzinfo is None:
        errors["deadline"] = _("กรุณาระบุวันเวลาที่ต้องตอบภายใน")
    elif deadline <= utcnow():
        errors["deadline"] = _("กำหนดตอบต้องเป็นเวลาในอนาคต")
    if errors:
        raise Invalid(_("ข้อมูลการขอมติเวียนไม่ถูกต้อง"), errors)
    return {"title": title, "question": question, "detail": sanitize_html(detail), "deadline": deadline}


def circulate(body: Body, raw: Mapping[str, Any], user) -> Circulation:
    """Circulate a matter to the body's active members (fixed now, one answer row each) and send each their
    notice with one-click answer links (after the commit). Invalid when the body has no active member."""
    values = _check_fields(raw)
    members = body_members(body)
    if not members:
        raise Invalid(_("คณะนี้ยังไม่มีกรรมการ จึงเวียนขอมติไม่ได้"), {"body": _("ไม่มีกรรมการ")})
    circulation = Circulation(body=body, created_by_id=getattr(user, "id", None), state="open", **values)
    circulation.answers = [CirculationAnswer(user_id=member.id) for member in members]
    db.session.add(circulation)
    db.session.flush()
    record("circulation.create", circulation, f"{body.name}: {circulation.title}", user=user)
    from app.circulations.notices import circulation_requested

    circulation_requested(circulation)
    return circulation


def add_paper(circulation: Circulation, stream: IO[bytes], filename: str | None, user):
    """Attach a paper (a file, checked by content) to an open circulation."""
    from app.attachments.services import attach_file

    return attach_file(stream, filename, circulation_id=circulation.id, user=user)


# --- answers ----------------------------------------------------------------------------------------

def record_answer(circulation: Circulation, user, answer: str, comment: str | None = None, *,
                  action: str = "circulation.answer") -> CirculationAnswer:
    """A member asked answers (approve / reject / comment, a comment required with "comment"); a later answer
    before the deadline replaces the earlier one, and the change is audited. Forbidden for someone not asked,
    Conflict once closed or past the deadline. When everyone has answered, the circulation closes."""
    close_if_due(circulation)
    row = answer_of(circulation, user)
    if row is None:
        raise Forbidden(_("ท่านไม่ได้อยู่ในรายชื่อผู้ที่ได้รับการขอมติเรื่องนี้"))
    ensure_open(circulation)
    comment = (comment or "").strip() or None
    errors: dict[str, str] = {}
    if answer not in CIRCULATION_ANSWERS:
        errors["answer"] = _("กรุณาเลือก เห็นชอบ ไม่เห็นชอบ หรือมีความเห็นเพิ่มเติม")
    elif answer == "comment" and not comment:
        errors["comment"] = _("กรุณาระบุความเห็นเพิ่มเติม")
    if comment and (problem := textlimits.check_text(comment, textlimits.LONG_TEXT, gettext=_)):
        errors["comment"] = problem
    if errors:
        raise Invalid(_("คำตอบไม่ถูกต้อง"), errors)
    changes = {name: [old, new] for name, old, new in
               (("answer", row.answer, answer), ("comment", row.comment, comment)) if old != new}
    if row.answer is not None and not changes:
        return row  # the same answer again: nothing changes
    replaced = row.answer is not None
    row.answer, row.comment, row.answered_at = answer, comment, utcnow()
    db.session.flush()
    summary = _("%(name)s ตอบ %(answer)s", name=user.name, answer=ANSWER_WORDS[answer])
    if replaced:
        summary = _("%(name)s เปลี่ยนคำตอบเป็น %(answer)s", name=user.name, answer=ANSWER_WORDS[answer])
    record(action, circulation, summary, changes, user=user)
    if not pending_answers(circulation):
        close_circulation(circulation, reason="all_answered")
    return row


# --- closing and the result ------------------------------------------------------------------------------

def tally(circulation: Circulation) -> dict[str, Any]:
    """The counts (approve, reject, comment, none), the outcome and the names with each answer."""
    counts = {answer: 0 for answer in CIRCULATION_ANSWERS}
    counts["none"] = 0
    names = []
    for row in circulation.answers:
        counts[row.answer or "none"] += 1
        names.append({"user_id": row.user_id, "name": row.user.name, "answer": row.answer, "comment": row.comment})
    members = len(circulation.answers)
    outcome = ("approved" if counts["approve"] * 2 > members else
               "rejected" if counts["reject"] * 2 > members else "no_decision")
    return {"counts": counts, "members": members, "outcome": outcome, "answers": names}


def resolution_text(result: Mapping[str, Any]) -> str:
    """The result in one Thai sentence, as the agenda item and the documents print it."""
    counts = result["counts"]
    return (f"มติ{OUTCOME_WORDS[result['outcome']]} โดยกรรมการ {result['members']} คน "
            f"เห็นชอบ {counts['approve']} คน ไม่เห็นชอบ {counts['reject']} คน "
            f"มีความเห็นเพิ่มเติม {counts['comment']} คน ไม่ได้ตอบ {counts['none']} คน")


def close_circulation(circulation: Circulation, user=None, *, reason: str = "closed") -> Circulation:
    """Record the result (tally, outcome, names), tell the members, and report it to the body's next meeting.
    Conflict when already closed."""
    if circulation.state != "open":
        raise Conflict(_("การขอมติเวียนนี้ปิดแล้ว"), code="circulation_closed")
    result = tally(circulation)
    result["resolution"] = resolution_text(result)
    circulation.state, circulation.result = "closed", result
    circulation.closed_at, circulation.close_reason = utcnow(), reason
    db.session.flush()
    record("circulation.close", circulation, f"{circulation.title} ({CLOSE_WORDS[reason]}): {result['resolution']}",
           user=user)
    from app.circulations.notices import circulation_result

    circulation_result(circulation)
    report_to_next_meeting(circulation)
    return circulation


def close_if_due(circulation: Circulation, now: datetime | None = None) -> Circulation:
    """Close an open circulation whose deadline has passed (the lazy close when it is read)."""
    if circulation.state == "open" and is_past_deadline(circulation, now):
        close_circulation(circulation, reason="deadline", user=None)
    return circulation


def close_due_circulations(now: datetime | None = None) -> int:
    """Close every open circulation past its deadline; how many."""
    due = db.session.scalars(select(Circulation).where(Circulation.state == "open",
                                                       Circulation.deadline <= (now or utcnow()))).all()
    for circulation in due:
        close_circulation(circulation, reason="deadline", user=None)
    return len(due)


# --- reporting to the next meeting -------------------------------------------------------------------------

def next_meeting(body_id: int, now: datetime | None = None):
    """The body's next meeting that has not started (scheduled or postponed) and whose record is open."""
    from app.meetings.models import Meeting

    return db.session.scalar(
        select(Meeting).where(Meeting.body_id == body_id, Meeting.status.in_(("scheduled", "postponed")),
                              Meeting.starts_at > (now or utcnow()))
        .order_by(Meeting.starts_at, Meeting.id).limit(1))


def agenda_item_text(circulation: Circulation) -> dict[str, str]:
    """The section-4 item: its title and its text stating the matter, the question, the tally and the outcome."""
    result = circulation.result
    lines = [f"ฝ่ายเลขานุการได้เวียนขอมติ{circulation.body.name} เรื่อง {circulation.title} "
             f"เมื่อวันที่ {thaidates.thai_date(circulation.created_at, 'long')} "
             f"กำหนดตอบภายในวันที่ {thaidates.thai_datetime(circulation.deadline, 'long')}",
             f"ประเด็นที่ขอมติ: {circulation.question}",
             f"ผลการขอมติเวียน: {result['resolution']}"]
    for answer in CIRCULATION_ANSWERS:
        names = [a["name"] for a in result["answers"] if a["answer"] == answer]
        if names:
            lines.append(f"ผู้ตอบ{ANSWER_WORDS[answer]}: " + ", ".join(names))
    comments = [f"{a['name']}: {a['comment']}" for a in result["answers"] if a["comment"]]
    if comments:
        lines.append("ความเห็นเพิ่มเติม: " + "; ".join(comments))
    outcome = f" ({result['resolution']})"  # the title carries the outcome and the tally into the minutes' text
    return {"title": f"ผลการขอมติเวียน เรื่อง {circulation.title}"[:textlimits.TITLE - len(outcome)] + outcome,
            "detail": "\n\n".join(lines)}


def report_to_next_meeting(circulation: Circulation, meeting=None) -> None:
    """Add the closed circulation's result as an item of section 4 (เรื่องเพื่อทราบ) of the body's next meeting
    (or of `meeting`); when the body has no such meeting yet, it is added when the next one is scheduled."""
    if circulation.state != "closed" or circulation.agenda_item_id is not None:
        return
    meeting = meeting or next_meeting(circulation.body_id)
    if meeting is None:
        return
    from app import authz
    from app.agenda.services import add_item

    if authz.meeting_record_frozen(meeting) or meeting.status == "cancelled":
        return
    item = add_item(meeting, {"section": 4, "kind": "information", **agenda_item_text(circulation)})
    circulation.agenda_item_id = item.id
    db.session.flush()


def report_results_to(meeting) -> None:
    """A newly scheduled meeting that has not started takes the body's closed circulations not yet reported."""
    if meeting.starts_at <= utcnow():
        return
    waiting = db.session.scalars(select(Circulation).options(joinedload(Circulation.body)).where(
        Circulation.body_id == meeting.body_id, Circulation.state == "closed",
        Circulation.agenda_item_id.is_(None)).order_by(Circulation.closed_at, Circulation.id)).all()
    for circulation in waiting:
        report_to_next_meeting(circulation, meeting)


# --- reminders ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminded:
    """How many members a reminder run reached, and how many had already been reminded that day."""

    sent: int
    skipped: int


def remind_pending(circulation: Circulation, day: date, user=None) -> Reminded:
    """Remind the members who have not answered, each at most once a day; Conflict when closed or past due."""
    close_if_due(circulation)
    ensure_open(circulation)
    from app.circulations.notices import circulation_reminder

    sent = skipped = 0
    for row in pending_answers(circulation):
        s, k = circulation_reminder(circulation, row.user, day)
        sent, skipped = sent + s, skipped + k
    if user is not None:
        record("circulation.remind", circulation,
               _("เตือนผู้ที่ยังไม่ตอบขอมติเวียน (%(n)d คน)", n=sent), user=user)
    return Reminded(sent, skipped)


def send_circulation_reminders(day: date, now: datetime | None = None) -> tuple[int, int]:
    """The scheduled run: close what is past its deadline, then remind those who have not answered the open
    circulations sent out by the end of `day` and not due before it starts (once a day each); (sent, skipped)."""
    close_due_circulations(now)
    sent = skipped = 0
    day_starts = datetime.combine(day, time.min, tzinfo=thaidates.BANGKOK)
    for circulation in db.session.scalars(select(Circulation).where(
            Circulation.state == "open", Circulation.created_at < day_starts + timedelta(days=1),
            Circulation.deadline >= day_starts).order_by(Circulation.deadline, Circulation.id)).all():
        done = remind_pending(circulation, day)
        sent, skipped = sent + done.sent, skipped + done.skipped
    return sent, skipped


def detail_text(circulation: Circulation) -> str:
    """The matter's text as plain text (notices, documents)."""
    return plain_text(circulation.detail)
