"""Bodies API: committees and working groups (create, read, change) and their members (seat, change
the position, remove), through the same services as the web pages (app.bodies.services)."""
from __future__ import annotations

from typing import Literal

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field
from sqlalchemy import select

from app import access, authz, textlimits
from app.api import allow, api
from app.api.schemas import Id, OneLine, ORMModel, RequestModel, StrictFloat, StrictInt, Text, errors
from app.auth.models import User
from app.bodies import services
from app.bodies.models import BODY_KINDS, LETTER_FORMS, NUMBERING_BASES, POSITIONS, Body, Membership
from app.extensions import db
from app.quorum import QUORUM_KINDS

tag = Tag(name="bodies", description="Committees and working groups, and their members")

BodyKind = Literal[BODY_KINDS]  # type: ignore[valid-type]
Numbering = Literal[NUMBERING_BASES]  # type: ignore[valid-type]
LetterForm = Literal[LETTER_FORMS]  # type: ignore[valid-type]
Position = Literal[POSITIONS]  # type: ignore[valid-type]


class QuorumIO(RequestModel):
    """A body's quorum rule (app.quorum)."""

    kind: Literal[QUORUM_KINDS] = Field(  # type: ignore[valid-type]
        description="majority: more than half of the members; count: at least `value` members; "
                    "fraction: at least `value` (e.g. \"2/3\") of the members, rounded up")
    value: StrictInt | OneLine(10) | StrictFloat | None = Field(None, description="count: an integer; "
                                                                                    "fraction: \"2/3\" or 0.5")


class BodyOut(ORMModel):
    id: int
    name: str
    short_name: str | None = None
    kind: BodyKind
    parent_id: int | None
    numbering: Numbering = Field(description="Year basis of ครั้งที่ N/ปี: calendar or fiscal year")
    description: str | None = None
    letter_form: LetterForm = Field("external", description="The invitation letter's form: external (หนังสือภายนอก) "
                                                            "or memo (บันทึกข้อความ)")
    document_prefix: str | None = Field(None, description="รหัสหนังสือ before the number, e.g. ศธ 0201.4")
    letter_office: str | None = None
    letter_address: str | None = None
    letter_phone: str | None = None
    letter_signer_name: str | None = None
    letter_signer_position: str | None = None
    quorum: QuorumIO = Field(description="The quorum rule: majority (more than half), count, or fraction of members")
    delegates_count: bool = Field(True, description="Whether members represented by a delegate count and vote")
    procurement: bool = Field(False, description="A procurement committee: the e-meeting decree does not apply")


class BodyList(BaseModel):
    items: list[BodyOut]


class MemberOut(BaseModel):
    id: int
    body_id: int
    user_id: int
    name: str
    role: Position
    title: str | None = Field(None, description="Position as printed in minutes, if not the user's")


class BodyDetail(BodyOut):
    members: list[MemberOut] = Field(description="In the order of the minutes: chair first")
    calendar_feed_url: str | None = Field(None, description="The body's calendar feed for the signed-in user "
                                                            "(null when their feed is turned off)")


class BodyPath(BaseModel):
    id: int


class MemberPath(BaseModel):
    id: int
    user_id: int


class LetterSettingsIn(RequestModel):
    """What the invitation letter prints of its sender (GET /meetings/<id>/invitation.docx)."""

    letter_form: LetterForm | None = None
    document_prefix: OneLine(textlimits.DOCUMENT_PREFIX) | None = Field(None, description="e.g. ศธ 0201.4")
    letter_office: OneLine(textlimits.UNIT_NAME) | None = Field(None, description="ส่วนราชการเจ้าของเรื่อง")
    letter_address: Text(textlimits.ADDRESS) | None = None
    letter_phone: OneLine(textlimits.PHONE) | None = None
    letter_signer_name: OneLine(textlimits.NAME) | None = None
    letter_signer_position: OneLine(textlimits.POSITION) | None = None


class BodyIn(LetterSettingsIn):
    name: OneLine(textlimits.TITLE, min_length=1) = Field(description="Full name as in the appointing order")
    short_name: OneLine(textlimits.NAME) | None = None
    kind: BodyKind = "committee"
    parent_id: Id | None = Field(None, description="The body a working group reports to")
    numbering: Numbering = Field("calendar", description="calendar (1 Jan) or fiscal (1 Oct) year numbering")
    description: Text(textlimits.LONG_TEXT) | None = None
    procurement: bool = Field(False, description="A procurement committee: the e-meeting decree does not apply")


class BodyPatch(LetterSettingsIn):
    quorum: QuorumIO | None = None
    procurement: bool | None = Field(None, description="A procurement committee: the e-meeting decree does not apply")
    delegates_count: bool | None = None
    name: OneLine(textlimits.TITLE, min_length=1) | None = None
    short_name: OneLine(textlimits.NAME) | None = None
    kind: BodyKind | None = None
    parent_id: Id | None = Field(None, description="null: a top-level body")
    numbering: Numbering | None = None
    description: Text(textlimits.LONG_TEXT) | None = None


class MemberIn(RequestModel):
    user_id: Id = Field(description="The user to seat in the body")
    role: Position = Field("member", description="Position in the body")
    title: OneLine(textlimits.POSITION) | None = Field(
        None, description="Position as printed in minutes, if not the user's")


class MemberPatch(RequestModel):
    role: Position = Field(description="The new position in the body")


def member_out(membership: Membership) -> dict:
    """A seat as the API returns it."""
    return MemberOut(id=membership.id, body_id=membership.body_id, user_id=membership.user_id,
                     name=membership.user.name, role=membership.role, title=membership.title).model_dump()


def body_out(body: Body) -> dict:
    """A body with its members and the signed-in user's feed of its meetings."""
    from app.calendar.feeds import body_feed_url_for

    return {**BodyOut.model_validate(body).model_dump(), "members": [member_out(m) for m in services.members_of(body)],
            "calendar_feed_url": body_feed_url_for(current_user, body, external=True)}


def managed_body(body_id: int) -> Body:
    """The body to change: 404 when unreadable, 403 when readable but not the user's to change."""
    return access.load(Body, body_id, read=authz.can_view_body, change=authz.can_manage_body)


@api.get("/bodies", tags=[tag], responses={200: BodyList, **errors(401)})
def list_bodies():
    """The committees and working groups the user may read."""
    query = select(Body).order_by(Body.id)
    condition = authz.visible_body_filter(current_user, Body.id)
    if condition is not None:
        query = query.where(condition)
    return {"items": [BodyOut.model_validate(b).model_dump() for b in db.session.scalars(query)]}


@api.post("/bodies", tags=[tag], responses={201: BodyDetail, **errors(401, 403, 409, 422)})
@allow(authz.can_manage_bodies)
def create_body(body: BodyIn):
    """Create a committee or working group (the secretariat)."""
    return body_out(services.save_body(None, **body.model_dump())), 201


@api.get("/bodies/<int:id>", tags=[tag], responses={200: BodyDetail, **errors(401, 404)})
def get_body(path: BodyPath):
    """One body with its members, if the user may read it."""
    return body_out(access.load(Body, path.id, read=authz.can_view_body))


@api.patch("/bodies/<int:id>", tags=[tag], responses={200: BodyDetail, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_manage_bodies)
def patch_body(path: BodyPath, body: BodyPatch):
    """Change a body's name, short name, kind, parent, numbering basis, description or letter settings (fields sent only)."""
    target = managed_body(path.id)
    fields = {"name": target.name, "short_name": target.short_name, "kind": target.kind,
              "parent_id": target.parent_id, "numbering": target.numbering, "description": target.description}
    quorum_rule = body.quorum.model_dump() if body.quorum is not None else None
    fields.update(body.model_dump(exclude_unset=True, exclude={"quorum", "delegates_count"}))
    if fields.get("letter_form", "") is None:
        del fields["letter_form"]  # null: keep the form
    saved = services.save_body(target, **fields)
    if quorum_rule is not None or body.delegates_count is not None:
        from app.votes.services import set_quorum_rule

        rule = quorum_rule or saved.quorum
        set_quorum_rule(saved, rule["kind"], rule["value"], body.delegates_count)
    return body_out(saved)


@api.post("/bodies/<int:id>/members", tags=[tag], responses={201: MemberOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_manage_bodies)
def add_body_member(path: BodyPath, body: MemberIn):
    """Seat a user in a body with a position (chair, vice_chair, member, secretary, assistant_secretary)."""
    target = managed_body(path.id)
    membership = services.add_member(target, db.session.get(User, body.user_id), body.role, body.title)
    return member_out(membership), 201


@api.patch("/bodies/<int:id>/members/<int:user_id>", tags=[tag],
           responses={200: MemberOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_bodies)
def change_body_member(path: MemberPath, body: MemberPatch):
    """Change the position a member holds in the body."""
    membership = services.membership_of(managed_body(path.id), path.user_id)
    return member_out(services.change_member_role(membership, body.role))


@api.delete("/bodies/<int:id>/members/<int:user_id>", tags=[tag], responses={204: None, **errors(401, 403, 404)})
@allow(authz.can_manage_bodies)
def remove_body_member(path: MemberPath):
    """Take a user's seat away from the body."""
    services.remove_member(services.membership_of(managed_body(path.id), path.user_id))
    return "", 204
