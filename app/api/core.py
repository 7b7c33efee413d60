"""Core endpoints: health, me, units, bodies and their members."""
from __future__ import annotations

from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field
from sqlalchemy import select, text

from app import authz
from app.api import allow, api, public
from app.api.schemas import ORMModel, UnitOut, UnitRef, errors
from app.auth.models import User
from app.bodies import services as bodies
from app.bodies.models import BODY_KINDS, POSITIONS, Body, Unit
from app.extensions import db

core_tag = Tag(name="core", description="Health, the signed-in user, units and bodies")


class HealthOut(BaseModel):
    status: Literal["ok", "error"]
    database: Literal["ok", "error"]


class MeOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    unit: UnitRef | None
    calendar_feed_url: str | None = None


class UnitList(BaseModel):
    items: list[UnitOut]


class BodyOut(ORMModel):
    id: int
    name: str
    short_name: str | None = None
    kind: Literal[BODY_KINDS]  # type: ignore[valid-type]
    parent_id: int | None
    numbering: Literal["calendar", "fiscal"]


class BodyList(BaseModel):
    items: list[BodyOut]


class BodyPath(BaseModel):
    id: int


class MemberIn(BaseModel):
    user_id: int = Field(description="The user to seat in the body")
    role: Literal[POSITIONS] = Field("member", description="Position in the body")  # type: ignore[valid-type]
    title: str | None = Field(None, max_length=300, description="Position as printed in minutes, if not the user's")


class MemberOut(BaseModel):
    id: int
    body_id: int
    user_id: int
    name: str
    role: str


@api.get("/health", tags=[core_tag], security=[], responses={200: HealthOut, 503: HealthOut})
@public
def health():
    """Liveness and database check; needs no authentication."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any database failure is reported, not raised
        db.session.rollback()
        return {"status": "error", "database": "error"}, 503
    return {"status": "ok", "database": "ok"}


def me_payload(user: User) -> dict:
    """The signed-in user as the API shows them (the calendar feed is created on first request)."""
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
    db.session.commit()
    return payload


@api.get("/units", tags=[core_tag], responses={200: UnitList, **errors(401)})
def list_units():
    """Every unit, ordered by code."""
    units = db.session.scalars(select(Unit).order_by(Unit.code))
    return {"items": [UnitOut.model_validate(u).model_dump() for u in units]}


@api.get("/bodies", tags=[core_tag], responses={200: BodyList, **errors(401)})
def list_bodies():
    """The committees and working groups the user may read."""
    query = select(Body).order_by(Body.id)
    condition = authz.visible_body_filter(current_user, Body.id)
    if condition is not None:
        query = query.where(condition)
    return {"items": [BodyOut.model_validate(b).model_dump() for b in db.session.scalars(query)]}


@api.post("/bodies/<int:id>/members", tags=[core_tag], responses={201: MemberOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_manage_bodies)
def add_body_member(path: BodyPath, body: MemberIn):
    """Seat a user in a body with a position (chair, vice_chair, member, secretary, assistant_secretary)."""
    target = bodies.get_body(path.id)
    user = db.session.get(User, body.user_id)
    membership = bodies.add_member(target, user, body.role, body.title)
    db.session.commit()
    return MemberOut(id=membership.id, body_id=target.id, user_id=membership.user_id, name=membership.user.name,
                     role=membership.role).model_dump(), 201
