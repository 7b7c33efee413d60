"""Queueing and delivering mail: SMTP when configured, otherwise .eml files in PRACHUM_OUTBOX.

A change queues its messages in its own transaction, so a failing mail server never loses the change;
delivery is a job (app.jobs.deliver_mail) handed over after the commit, retried with back-off, and again every
ten minutes (beat) or by `flask mail send` until every message is sent.
"""
from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage
from email.headerregistry import Address
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, has_request_context

from app.dbtypes import utcnow
from app.extensions import db
from app.transactions import after_commit
from app.mail.models import OutgoingMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def queue_mail(*, to_email: str, to_name: str | None, subject: str, body_text: str, kind: str,
               ics: bytes | None = None, ics_method: str | None = None, meeting_id: int | None = None,
               body_html: str | None = None) -> OutgoingMail:
    """Queue one message (flushed with the caller's transaction, delivered after commit); `body_html`, when
    given, is sent as the text/html alternative of the plain text."""
    mail = OutgoingMail(to_email=to_email, to_name=to_name, subject=subject, body_text=body_text, kind=kind,
                        body_html=body_html,
                        ics=ics.decode("utf-8") if ics else None, ics_method=ics_method, meeting_id=meeting_id)
    db.session.add(mail)
    if has_request_context():
        after_commit(deliver_after_commit, key="mail")
    return mail


def split_address(value: str | None) -> tuple[str, str]:
    """("display name", "addr@host") of "addr@host" or "Display Name <addr@host>"; ValueError without an address."""
    name, address = parseaddr((value or "").strip())
    address = address.strip()
    if "@" not in address or any(c.isspace() or c in "<>\"," for c in address):
        raise ValueError(f"not an e-mail address: {value!r}")
    return name.strip(), address


def sender_address() -> Address:
    """MAIL_SENDER as a From address (a Thai display name is encoded as RFC 2047 when the message is written)."""
    name, address = split_address(current_app.config["MAIL_SENDER"])
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def reply_address() -> str:
    """The mailbox that receives calendar answers, written as ORGANIZER in invitations: PRACHUM_REPLY_ADDRESS,
    or the address of MAIL_SENDER (its display name dropped)."""
    configured = current_app.config.get("PRACHUM_REPLY_ADDRESS") or current_app.config["MAIL_SENDER"]
    return split_address(configured)[1]


def build_message(mail: OutgoingMail) -> EmailMessage:
    """The MIME message: plain text, plus an HTML alternative, a text/calendar part (with METHOD) and an .ics
    attachment when the mail has them."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender_address()
    message["To"] = formataddr((mail.to_name or "", mail.to_email))
    message["Date"] = format_datetime(mail.created_at or utcnow())
    message["Message-ID"] = make_msgid(domain="prachum")
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    if mail.ics:
        method = mail.ics_method or "PUBLISH"
        message.add_alternative(mail.ics.encode("utf-8"), maintype="text", subtype="calendar",
                                params={"method": method, "charset": "UTF-8"})
        message.add_attachment(mail.ics.encode("utf-8"), maintype="application", subtype="ics",
                               filename="invite.ics")
    return message


def _write_eml(mail: OutgoingMail, message: EmailMessage) -> Path:
    """Write the message to the outbox directory as <id>-<kind>-<recipient>.eml."""
    outbox = Path(current_app.config["PRACHUM_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.@-]", "_", mail.to_email)
    path = outbox / f"{mail.id:06d}-{mail.kind}-{safe}.eml"
    path.write_bytes(bytes(message))
    return path


def _send_smtp(message: EmailMessage) -> None:
    """Send through the configured SMTP server."""
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def deliver_pending(limit: int = 500) -> tuple[int, int]:
    """Try every unsent message once (app.delivery: never twice, even by two workers); (sent, failed)."""
    from app.delivery import deliver_each

    def send(mail: OutgoingMail) -> None:
        message = build_message(mail)
        if current_app.config.get("MAIL_SERVER"):
            _send_smtp(message)
        else:
            _write_eml(mail, message)

    return deliver_each(OutgoingMail, MAX_ATTEMPTS, send, lambda mail: f"mail {mail.id} to {mail.to_email}", limit)


def deliver_after_commit() -> None:
    """Hand the delivery job over once the request committed (run here when jobs are eager); never raises."""
    from app import jobs

    try:
        jobs.enqueue(jobs.deliver_mail)
    except Exception:  # noqa: BLE001 — the change is already committed; the periodic retry delivers it
        db.session.rollback()
        log.exception("mail delivery not handed over; the periodic retry will deliver it")
