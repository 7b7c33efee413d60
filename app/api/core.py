"""Core endpoints: liveness (health), readiness, the signed-in user, units (bodies are in app.api.bodies)."""
from __future__ import annotations

from typing import Literal

from flask import current_app
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field
from sqlalchemy import select, text

from app.api import api, public
from app.api.schemas import UnitOut, UnitRef, errors
from app.auth.models import User
from app.bodies.models import Unit
from app.extensions import db

core_tag = Tag(name="core", description="Health, the signed-in user and units")


class HealthOut(BaseModel):
    status: Literal["ok"] = Field(description="The process answers (liveness); /ready checks what it depends on")


class MeOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    unit: UnitRef | None
    calendar_feed_url: str | None = None


class UnitList(BaseModel):
    items: list[UnitOut]


@api.get("/health", tags=[core_tag], security=[], responses={200: HealthOut})
@public
def health():
    """Liveness: the process answers requests, whatever the database, Redis or storage do (a failing one must not
    get a live process restarted; /ready takes a node out of the load balancer instead); no authentication."""
    return {"status": "ok"}


class ReadyOut(BaseModel):
    status: str = Field(description="ok when every part below is ok")
    database: str
    redis: str = Field(description="ok, error, or not_configured (no REDIS_URL / CELERY_BROKER_URL)")
    storage: str


@api.get("/ready", tags=[core_tag], responses={200: ReadyOut, 503: ReadyOut})
@public
def ready():
    """Readiness for a load balancer: the database, Redis (when configured) and the attachment storage answer
    (503 when any fails); needs no authentication."""
    from app.attachments.services import storage_ready

    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 — any database failure is reported, not raised
        db.session.rollback()
        database = "error"
    redis_url = current_app.config.get("REDIS_URL") or current_app.config.get("CELERY_BROKER_URL")
    redis = "not_configured"
    if redis_url and redis_url.startswith(("redis://", "rediss://")):
        import redis as redis_client

        try:
            redis_client.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
            redis = "ok"
        except Exception:  # noqa: BLE001 — unreachable, refused, timed out
            redis = "error"
    storage = "ok" if storage_ready() else "error"
    healthy = database == storage == "ok" and redis != "error"
    return ({"status": "ok" if healthy else "error", "database": database, "redis": redis, "storage": storage},
            200 if healthy else 503)


def me_payload(user: User) -> dict:
    """The signed-in user as the API shows them, with their personal calendar feed URL (None when revoked)."""
    from app.calendar.feeds import feed_url_for

    return MeOut(
        id=user.id, email=user.email, name=user.name, role=user.role,
        unit=UnitRef.model_validate(user.unit) if user.unit else None,
        calendar_feed_url=feed_url_for(user, external=True),
    ).model_dump(mode="json")


@api.get("/me", tags=[core_tag], responses={200: MeOut, **errors(401)})
def me():
    """The signed-in user: id, email, name, role, unit and personal calendar feed URL."""
    payload = me_payload(current_user)
    return payload


@api.get("/units", tags=[core_tag], responses={200: UnitList, **errors(401)})
def list_units():
    """Every unit, ordered by code."""
    units = db.session.scalars(select(Unit).order_by(Unit.code))
    return {"items": [UnitOut.model_validate(u).model_dump() for u in units]}
