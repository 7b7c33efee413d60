"""The one way to reach people: `notify` sends a notice to each recipient by e-mail and/or LINE, as each
chose per kind; preferences; linking a LINE account with a one-time code; the LINE push queue.

Like mail, a LINE push is queued in the caller's transaction (outgoing_line) and delivered by a job handed over
after the commit (app.jobs.deliver_line); the periodic retry, `flask line send` and `flask reminders send` retry
what failed.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from flask import current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.services import record
from app.auth.models import User
from app.dbtypes import utcnow
from app.errors import Invalid
from app.extensions import db
from app.notify import line
from app.notify.kinds import KINDS
from app.notify.models import LineLinkCode, NoticeSent, NotificationPreference, OutgoingLine
from app.notify.texts import Notice, addressed, as_html_document, line_text
from app.transactions import after_commit

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a screen, typed on a phone
CODE_LENGTH = 6
CODE_LIFETIME = timedelta(minutes=15)


# --- preferences -----------------------------------------------------------------------------------

def default_channels(user: User) -> dict[str, bool]:
    """Without a choice: e-mail on, LINE on when the account is linked."""
    return {"email": True, "line": bool(user.line_user_id)}


def preferences_of(user: User) -> dict[str, dict[str, bool]]:
    """Every kind with the user's channels: {"agenda.published": {"email": True, "line": False}, …}."""
    stored = {p.kind: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    result = {}
    for kind in KINDS:
        pref = stored.get(kind)
        result[kind] = {"email": pref.email, "line": pref.line} if pref else default_channels(user)
    return result


def set_preferences(user: User, kinds: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, bool]]:
    """Change the channels of the kinds given (a missing channel keeps its value); unknown kinds → 422."""
    errors: dict[str, str] = {}
    if not isinstance(kinds, Mapping):
        raise Invalid(_("ข้อมูลการแจ้งเตือนไม่ถูกต้อง"), {"kinds": _("ต้องเป็นรายการประเภทการแจ้งเตือน")})
    for kind, channels in kinds.items():
        if kind not in KINDS:
            errors[f"kinds.{kind}"] = _("ไม่มีประเภทการแจ้งเตือนนี้")
        elif not isinstance(channels, Mapping) or set(channels) - {"email", "line"}:
            errors[f"kinds.{kind}"] = _("ระบุได้เฉพาะ email และ line")
        elif any(not isinstance(v, bool) for v in channels.values()):
            errors[f"kinds.{kind}"] = _("ค่าต้องเป็น true หรือ false")
    if errors:
        raise Invalid(_("ข้อมูลการแจ้งเตือนไม่ถูกต้อง"), errors)
    current = preferences_of(user)
    stored = {p.kind: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    changes = {}
    for kind, channels in kinds.items():
        wanted = {**current[kind], **channels}
        if wanted != current[kind]:
            changes[kind] = [current[kind], wanted]
        pref = stored.get(kind) or NotificationPreference(user_id=user.id, kind=kind)
        pref.email, pref.line = wanted["email"], wanted["line"]
        db.session.add(pref)
    db.session.flush()
    if changes:
        record("notifications.update", user, _("ตั้งค่าการแจ้งเตือน"), changes, user=user)
    return preferences_of(user)


# --- sending -----------------------------------------------------------------------------------------

def notify(recipients: Iterable[User], kind: str, notice: Notice, *, meeting_id: int | None = None) -> int:
    """Queue the notice for each active recipient (once each): an e-mail (plain text and HTML, greeting by
    name) and/or a LINE push, as they chose for this kind. Returns how many were reached by either."""
    from app.mail.services import queue_mail

    assert kind in KINDS, kind
    people = list({u.id: u for u in recipients if u is not None and u.is_active}.values())
    if not people:
        return 0
    stored = {p.user_id: p for p in db.session.scalars(select(NotificationPreference).where(
        NotificationPreference.kind == kind, NotificationPreference.user_id.in_([u.id for u in people])))}
    line_on = line.configured()
    reached = 0
    for user in people:
        pref = stored.get(user.id)
        channels = {"email": pref.email, "line": pref.line} if pref else default_channels(user)
        pushed = line_on and channels["line"] and bool(user.line_user_id)
        if channels["email"]:
            mail = addressed(notice, user.name)
            queue_mail(to_email=user.email, to_name=user.name, subject=mail.subject, body_text=mail.text,
                       body_html=as_html_document(mail), kind=kind, meeting_id=meeting_id)
        if pushed:
            queue_line(user.line_user_id, line_text(notice), kind, user=user)
        reached += channels["email"] or pushed
    return reached


def notify_once(recipients: Iterable[User], kind: str, notice: Notice, obj_type: str, obj_id: int, day: date,
                *, meeting_id: int | None = None) -> tuple[int, int]:
    """`notify` those not yet sent this kind of notice about this object on `day`; returns (sent, skipped)."""
    people = list({u.id: u for u in recipients if u is not None and u.is_active}.values())
    already = set(db.session.scalars(select(NoticeSent.user_id).where(
        NoticeSent.kind == kind, NoticeSent.object_type == obj_type, NoticeSent.object_id == obj_id,
        NoticeSent.sent_on == day)))
    fresh = [u for u in people if u.id not in already]
    for user in fresh:
        db.session.add(NoticeSent(user_id=user.id, kind=kind, object_type=obj_type, object_id=obj_id, sent_on=day))
    notify(fresh, kind, notice, meeting_id=meeting_id)
    db.session.flush()
    return len(fresh), len(people) - len(fresh)


def queue_line(to_line_id: str, text: str, kind: str, *, user: User | None = None) -> OutgoingLine | None:
    """Queue one LINE push (flushed with the caller's transaction, delivered after commit); None when LINE is off."""
    if not line.configured():
        return None
    push = OutgoingLine(user_id=getattr(user, "id", None), to_line_id=to_line_id, text=text, kind=kind,
                        retry_key=str(uuid.uuid4()))
    db.session.add(push)
    if has_request_context():
        after_commit(deliver_line_after_commit, key="line")
    return push


def deliver_line_pending(limit: int = 500) -> tuple[int, int]:
    """Try every unsent push once (app.delivery: never twice; LINE's retry key makes a repeated push arrive
    once); (sent, failed)."""
    from app.delivery import deliver_each

    if not line.configured():
        return 0, 0
    return deliver_each(OutgoingLine, MAX_ATTEMPTS, lambda push: line.push(push.to_line_id, push.text, push.retry_key),
                        lambda push: f"LINE push {push.id}", limit)


def deliver_line_after_commit() -> None:
    """Hand the delivery job over once the request committed (run here when jobs are eager); never raises."""
    from app import jobs

    try:
        jobs.enqueue(jobs.deliver_line)
    except Exception:  # noqa: BLE001 — the change is committed; the periodic retry delivers it
        db.session.rollback()
        log.exception("LINE delivery not handed over; the periodic retry will deliver it")


# --- linking a LINE account ------------------------------------------------------------------------

def normalize_code(text: str) -> str:
    """What the user typed, as a code: upper case, without spaces and dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t\r\n")


def code_hash(code: str) -> str:
    """HMAC-SHA256 of a link code with SECRET_KEY (a short code cannot be looked up from a stolen table)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def issue_link_code(user: User) -> tuple[str, LineLinkCode]:
    """A new one-time code for the user (replacing any earlier one), valid 15 minutes; only its hash is kept."""
    db.session.execute(db.delete(LineLinkCode).where(LineLinkCode.user_id == user.id))
    db.session.execute(db.delete(LineLinkCode).where(LineLinkCode.expires_at <= utcnow()))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    row = LineLinkCode(user_id=user.id, code_hash=code_hash(code), expires_at=utcnow() + CODE_LIFETIME)
    db.session.add(row)
    db.session.flush()
    return code, row


def link_by_code(line_user_id: str, text: str) -> User | None:
    """Link the LINE user to the account whose valid code `text` is; the code is used up. None if no such code."""
    code = normalize_code(text)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    row = db.session.scalar(select(LineLinkCode).where(LineLinkCode.code_hash == code_hash(code),
                                                       LineLinkCode.expires_at > utcnow()))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    db.session.delete(row)
    if user is None or not user.is_active:
        return None
    for other in db.session.scalars(select(User).where(User.line_user_id == line_user_id, User.id != user.id)):
        other.line_user_id, other.line_linked_at = None, None  # one LINE account reaches one user
        record("line.unlink", other, _("ยกเลิกการเชื่อมบัญชี LINE (เชื่อมกับบัญชีอื่นแทน)"), user=other)
    db.session.flush()
    user.line_user_id, user.line_linked_at = line_user_id, utcnow()
    db.session.flush()
    record("line.link", user, _("เชื่อมบัญชี LINE"), user=user)
    return user


def unlink_line(user: User) -> None:
    """Forget the user's LINE account: nothing more is pushed to it."""
    if not user.line_user_id:
        return
    user.line_user_id, user.line_linked_at = None, None
    db.session.execute(db.delete(LineLinkCode).where(LineLinkCode.user_id == user.id))
    db.session.flush()
    record("line.unlink", user, _("ยกเลิกการเชื่อมบัญชี LINE"), user=user)


def handle_line_events(events: Iterable[Any]) -> int:
    """The webhook's events: a text message carrying a valid code links its sender (confirmed by a push);
    any other text from a user is answered with how to link. Returns how many accounts were linked."""
    from linebot.v3.webhooks import MessageEvent, TextMessageContent, UserSource

    linked = 0
    for event in events:
        if not (isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)
                and isinstance(event.source, UserSource) and event.source.user_id):
            continue
        user = link_by_code(event.source.user_id, event.message.text)
        if user is not None:
            linked += 1
            queue_line(event.source.user_id, _("เชื่อมบัญชี LINE กับระบบประชุมของ %(name)s แล้ว "
                                               "ท่านจะได้รับการแจ้งเตือนทาง LINE ตามที่ตั้งค่าไว้", name=user.name),
                       "line.linked", user=user)
        elif event.reply_token:
            answer = _("รหัสไม่ถูกต้องหรือหมดอายุ กรุณาขอรหัสใหม่ที่หน้าข้อมูลส่วนตัวในระบบประชุม "
                       "แล้วส่งรหัส 6 ตัวมาที่นี่ภายใน 15 นาที")
            after_commit(lambda token=event.reply_token, text=answer: line.reply(token, text))
    return linked
