"""Ask before a step that sends mail or locks a record (publish an agenda, accept a report, cancel or postpone
a meeting, circulate or certify minutes), naming who will be e-mailed.

The web form posts as before. Without `confirmed=1` the view rehearses the step (the same service call, then
everything undone: no change, no mail), and answers with a page that lists the e-mails the step queued and posts
the same fields again with `confirmed=1` and a fresh CSRF token. No JavaScript is needed. A step the service
refuses is not rehearsed further: the view runs it and shows the refusal as usual. The API acts at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import render_template, request
from sqlalchemy import func, select

from app.errors import ServiceError, resubmittable_fields
from app.extensions import db
from app.transactions import discard


@dataclass(frozen=True)
class Recipient:
    """Someone an e-mail will go to."""

    name: str
    email: str


def confirmed() -> bool:
    """True when the POST comes from the confirmation page."""
    return request.form.get("confirmed") == "1"


def rehearse(step: Callable[[], Any]) -> list[Recipient]:
    """Run the step, note the e-mails it queued, and undo everything; a refusal (ServiceError) is raised."""
    from app.mail.models import OutgoingMail

    last = db.session.scalar(select(func.max(OutgoingMail.id))) or 0
    try:
        step()
        db.session.flush()
        queued = db.session.execute(select(OutgoingMail.to_name, OutgoingMail.to_email)
                                    .where(OutgoingMail.id > last)).all()
    finally:
        discard()
    people = {email: Recipient(name or email, email) for name, email in queued}
    return sorted(people.values(), key=lambda r: r.name)


def ask_first(step: Callable[[], Any], title: str, question: str, action_label: str, back: str, *,
              danger: bool = False):
    """None once confirmed, or when the step would be refused; otherwise the confirmation page (200)."""
    if confirmed():
        return None
    try:
        recipients = rehearse(step)
    except ServiceError as error:
        if error.status >= 500:
            raise
        return None  # the view runs the step and shows why it is refused
    return confirmation_page(title, question, action_label, back, recipients=recipients, danger=danger)


def confirmation_page(title: str, question: str, action_label: str, back: str, *,
                      recipients: list[Recipient] | None = None, danger: bool = False):
    """The page (200) that asks the question and posts the same fields again with `confirmed=1`."""
    token_fields = [name for name in request.form if name.endswith("csrf_token")] or ["csrf_token"]
    return render_template("confirm.html", title=title, question=question, recipients=recipients or [],
                           action_label=action_label, back=back, danger=danger, fields=resubmittable_fields(),
                           token_fields=token_fields, action=request.full_path.rstrip("?"))
