"""Background jobs on Celery: delivering mail and LINE pushes (never inside the request that queued them), search
indexing of long texts, the daily reminders and a periodic retry of what failed (Celery beat instead of cron
lines).

With a broker (CELERY_BROKER_URL, else REDIS_URL) the request hands the job to the broker after its commit and a
worker runs it (`celery -A app.jobs worker`, `celery -A app.jobs beat`). Without one, jobs run eagerly in the
process that asked — `python3 dev.py serve` needs nothing but Python, and the tests see the mail at once.

Every job is idempotent: delivery takes each message under a row lock that other workers skip and marks it sent
in its own commit, so a job run twice (or by two workers at once) sends nothing twice; reminders are recorded
per person, kind, object and day. A delivery that leaves failures is retried with back-off; what is queued,
retried and failed is shown to admins (/admin/jobs, GET /api/v1/admin/jobs).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from celery import Celery, Task, shared_task
from celery.schedules import crontab
from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 30  # the first retry of a delivery with failures; doubles each time, at most an hour
RETRY_LIMIT = 8  # as many as a message's own attempts (mail.services.MAX_ATTEMPTS)


def init_jobs(app: Flask) -> Celery:
    """The application's Celery, each task run inside an app context; eager without a broker."""
    broker = app.config.get("CELERY_BROKER_URL")

    class AppTask(Task):
        def __call__(self, *args, **kwargs):
            if has_app_context():  # run eagerly by the app that asked
                return self.run(*args, **kwargs)
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=AppTask)
    celery.conf.update(
        broker_url=broker or "memory://",
        task_always_eager=not broker,
        task_ignore_result=True,
        task_acks_late=True,  # a worker that dies mid-job leaves it to another (jobs are idempotent)
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="Asia/Bangkok",
        beat_schedule={
            "reminders-every-morning": {"task": "app.jobs.send_reminders", "schedule": crontab(hour=8, minute=0)},
            "retry-deliveries": {"task": "app.jobs.retry_deliveries", "schedule": 600.0},
        },
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def enqueue(job, *args) -> None:
    """Hand a job over to this app's Celery (after the commit, through app.transactions.after_commit); it runs
    here and now when jobs are eager."""
    current_app.extensions["celery"].tasks[job.name].delay(*args)


def _backoff(retries: int) -> int:
    return min(3600, RETRY_BASE_SECONDS * 2 ** retries)


@shared_task(bind=True, name="app.jobs.deliver_mail", max_retries=RETRY_LIMIT)
def deliver_mail(self) -> tuple[int, int]:
    """Send the queued mail; retried with back-off while some of it fails."""
    from app.mail.services import deliver_pending

    sent, failed = deliver_pending()
    if failed and not self.request.is_eager:
        raise self.retry(countdown=_backoff(self.request.retries))
    return sent, failed


@shared_task(bind=True, name="app.jobs.deliver_line", max_retries=RETRY_LIMIT)
def deliver_line(self) -> tuple[int, int]:
    """Push the queued LINE messages; retried with back-off while some of them fail."""
    from app.notify.services import deliver_line_pending

    sent, failed = deliver_line_pending()
    if failed and not self.request.is_eager:
        raise self.retry(countdown=_backoff(self.request.retries))
    return sent, failed


@shared_task(name="app.jobs.build_export", max_retries=0)
def build_export(export_id: int) -> None:
    """A large export (the round XLSX): written here, kept in the attachment storage until downloaded."""
    from app.exports.services import build_export as build

    build(export_id)


@shared_task(bind=True, name="app.jobs.index_search", max_retries=RETRY_LIMIT)
def index_search(self, kind_ids: dict[str, list[int]] | None = None) -> tuple[int, int]:
    """(Re)write the search entries of these objects ({"agenda_item": [ids], "minutes": [ids]}, default: what
    waits in the queue) from their current rows: the Thai word segmentation of long texts, out of the request.
    Run twice, the index is the same; retried with back-off while it fails."""
    from app.search.services import index_queued

    indexed, failed = index_queued(kind_ids)
    if failed and not self.request.is_eager:
        raise self.retry(countdown=_backoff(self.request.retries))
    return indexed, failed


@shared_task(name="app.jobs.retry_deliveries")
def retry_deliveries() -> None:
    """Every ten minutes (beat): whatever is still waiting, e.g. queued while the broker was away (mail, LINE,
    search entries)."""
    from app.mail.services import deliver_pending
    from app.notify.services import deliver_line_pending
    from app.search.services import index_queued

    deliver_pending()
    deliver_line_pending()
    index_queued()


@dataclass(frozen=True)
class ReminderRun:
    """What one run of the reminders did."""

    queued: int
    skipped: int  # already sent today
    mail: tuple[int, int]  # sent, failed
    line: tuple[int, int]


def run_reminders(day: date, days: int = 7, action_days: int = 7, invitation_days: int = 3) -> ReminderRun:
    """Queue the day's reminders (reports due or late, assigned actions due or overdue, unanswered invitations and
    circulations — those past their deadline closed first),
    commit, then deliver: once per person, kind, object and day, so a second run sends nothing new."""
    from app.circulations.services import send_circulation_reminders
    from app.extensions import db
    from app.mail.services import deliver_pending
    from app.notify.notices import send_action_notices, send_invitation_reminders
    from app.notify.services import deliver_line_pending
    from app.reports.services import send_reminders as send_report_reminders

    queued, skipped = send_report_reminders(day, days)
    for more in (send_action_notices(day, action_days), send_invitation_reminders(day, invitation_days),
                 send_circulation_reminders(day)):
        queued, skipped = queued + more[0], skipped + more[1]
    db.session.commit()
    return ReminderRun(queued, skipped, deliver_pending(), deliver_line_pending())


@shared_task(name="app.jobs.send_reminders")
def send_reminders() -> None:
    """Every morning at 08:00 Bangkok time (beat): today's reminders."""
    from app import thaidates

    run = run_reminders(thaidates.today_bangkok())
    log.info("reminders queued %s, already sent %s; mail %s; LINE %s", run.queued, run.skipped, run.mail, run.line)


def celery_app() -> Celery:
    """The Celery of the current app (for the worker: `celery -A app.jobs worker`)."""
    return current_app.extensions["celery"]


def __getattr__(name: str):
    """`celery -A app.jobs` looks for `app.jobs.celery`: an application made on first use."""
    if name == "celery":
        from app import create_app

        return create_app().extensions["celery"]
    raise AttributeError(name)


# --- what admins see -------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueState:
    """One delivery queue (mail or LINE) as admins see it."""

    queued: int  # waiting for their first attempt
    retrying: int  # failed at least once, attempts left
    failed: int  # out of attempts: an admin retries them
    sent_last_day: int


def queue_states(now=None) -> dict[str, QueueState]:
    """The mail, LINE and search-index queues: how many wait, are being retried, have failed for good, were sent
    (indexed) in 24 hours."""
    from datetime import timedelta

    from sqlalchemy import case, func, select

    from app.dbtypes import utcnow
    from app.extensions import db
    from app.mail.models import OutgoingMail
    from app.mail.services import MAX_ATTEMPTS as MAIL_ATTEMPTS
    from app.notify.models import OutgoingLine
    from app.notify.services import MAX_ATTEMPTS as LINE_ATTEMPTS
    from app.search.models import SearchQueueItem
    from app.search.services import MAX_ATTEMPTS as SEARCH_ATTEMPTS

    since = (now or utcnow()) - timedelta(days=1)
    states = {}
    for name, model, done, limit in (("mail", OutgoingMail, OutgoingMail.sent_at, MAIL_ATTEMPTS),
                                     ("line", OutgoingLine, OutgoingLine.sent_at, LINE_ATTEMPTS),
                                     ("search", SearchQueueItem, SearchQueueItem.indexed_at, SEARCH_ATTEMPTS)):
        unsent = done.is_(None)
        row = db.session.execute(select(
            func.count(case((unsent & (model.attempts == 0), 1))),
            func.count(case((unsent & (model.attempts > 0) & (model.attempts < limit), 1))),
            func.count(case((unsent & (model.attempts >= limit), 1))),
            func.count(case((done >= since, 1))),
        )).one()
        states[name] = QueueState(*row)
    return states


def undelivered(limit: int = 50) -> list[dict]:
    """The latest messages that failed at least once and are still unsent, newest first (mail and LINE), and the
    search entries whose indexing failed ("to" names the object: agenda_item 12)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.mail.models import OutgoingMail
    from app.notify.models import OutgoingLine
    from app.search.models import SearchQueueItem as queue

    rows = []
    for channel, model, to in (("mail", OutgoingMail, OutgoingMail.to_email), ("line", OutgoingLine,
                                                                              OutgoingLine.to_line_id)):
        for item_id, kind, recipient, attempts, error, created in db.session.execute(
                select(model.id, model.kind, to, model.attempts, model.last_error, model.created_at)
                .where(model.sent_at.is_(None), model.attempts > 0).order_by(model.id.desc()).limit(limit)):
            rows.append({"channel": channel, "id": item_id, "kind": kind, "to": recipient, "attempts": attempts,
                         "last_error": error, "created_at": created})
    for item_id, kind, object_id, attempts, error, created in db.session.execute(
            select(queue.id, queue.kind, queue.object_id, queue.attempts, queue.last_error, queue.queued_at)
            .where(queue.indexed_at.is_(None), queue.attempts > 0).order_by(queue.id.desc()).limit(limit)):
        rows.append({"channel": "search", "id": item_id, "kind": kind, "to": f"{kind} {object_id}",
                     "attempts": attempts, "last_error": error, "created_at": created})
    return sorted(rows, key=lambda row: row["created_at"], reverse=True)[:limit]


def retry_failed(user) -> int:
    """Give the messages and search entries that ran out of attempts one more (audited), then hand delivery and
    indexing over after the commit."""
    from sqlalchemy import update

    from app.audit.services import record
    from app.extensions import db
    from app.mail.models import OutgoingMail
    from app.mail.services import MAX_ATTEMPTS as MAIL_ATTEMPTS
    from app.mail.services import deliver_after_commit
    from app.notify.models import OutgoingLine
    from app.notify.services import MAX_ATTEMPTS as LINE_ATTEMPTS
    from app.notify.services import deliver_line_after_commit
    from app.search.models import SearchQueueItem
    from app.search.services import MAX_ATTEMPTS as SEARCH_ATTEMPTS
    from app.transactions import after_commit

    count = 0
    for model, done, limit in ((OutgoingMail, OutgoingMail.sent_at, MAIL_ATTEMPTS),
                               (OutgoingLine, OutgoingLine.sent_at, LINE_ATTEMPTS),
                               (SearchQueueItem, SearchQueueItem.indexed_at, SEARCH_ATTEMPTS)):
        count += db.session.execute(update(model).where(done.is_(None), model.attempts >= limit)
                                    .values(attempts=limit - 1)).rowcount or 0
    if count:
        record("jobs.retry", None, f"{count}", user=user)
        after_commit(deliver_after_commit, key="mail")
        after_commit(deliver_line_after_commit, key="line")
        after_commit(lambda: enqueue(index_search), key="search")
    return count


def broker_name() -> str:
    """Where jobs run: "eager" (in the process that asks) or the broker's scheme (redis …)."""
    celery = current_app.extensions["celery"]
    return "eager" if celery.conf.task_always_eager else str(celery.conf.broker_url).split(":", 1)[0]
