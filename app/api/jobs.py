"""Background jobs for administrators: the mail and LINE queues, and another attempt for failed deliveries."""
from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import authz, jobs
from app.api import allow, api
from app.api.schemas import errors

tag = Tag(name="jobs", description="Background jobs: mail and LINE delivery (administrators)")


class QueueOut(BaseModel):
    queued: int = Field(description="Waiting for their first attempt")
    retrying: int = Field(description="Failed at least once; attempts left, retried with back-off")
    failed: int = Field(description="Out of attempts: POST /api/v1/admin/jobs/retry gives them one more")
    sent_last_day: int


class FailureOut(BaseModel):
    channel: str = Field(description="mail | line | search (an entry of the search index; to names the object)")
    id: int
    kind: str
    to: str
    attempts: int
    last_error: str | None
    created_at: datetime


class JobsOut(BaseModel):
    broker: str = Field(description="eager (jobs run in the process that asks) or the broker's scheme (redis)")
    mail: QueueOut
    line: QueueOut
    search: QueueOut = Field(description="Agenda items and minutes waiting to be (re)indexed for search")
    failures: list[FailureOut] = Field(description="The latest unsent messages that failed at least once")


class RetryOut(BaseModel):
    retried: int


def jobs_payload() -> dict:
    states = jobs.queue_states()
    return {"broker": jobs.broker_name(), "mail": states["mail"].__dict__, "line": states["line"].__dict__,
            "search": states["search"].__dict__,
            "failures": [{**item, "created_at": item["created_at"].isoformat()} for item in jobs.undelivered()]}


@api.get("/admin/jobs", tags=[tag], responses={200: JobsOut, **errors(401, 403)})
@allow(authz.can_watch_jobs)
def list_jobs():
    """The mail and LINE queues: waiting, being retried, failed for good, sent in the last 24 hours."""
    return jobs_payload()


@api.post("/admin/jobs/retry", tags=[tag], responses={200: RetryOut, **errors(401, 403)})
@allow(authz.can_watch_jobs)
def retry_jobs():
    """One more attempt for every delivery that ran out of attempts (audited); delivery runs after the commit."""
    return {"retried": jobs.retry_failed(current_user)}
