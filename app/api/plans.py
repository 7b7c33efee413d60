"""Plans API: create, change and remove plans, their themes (ประเด็นหลัก) and sub-items (ประเด็นย่อย) with
their responsible units, and attach a round's compiled report to the committee's agenda, through the same
services as the web pages (app.reports.services, app.reports.documents).

Reading a plan is GET /api/v1/plans/<id> (app.api.reports). PATCH changes only the fields sent.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field, model_validator

from app import access, authz, textlimits
from app.api import allow, api
from app.api.agenda import AgendaItemOut, item_out
from app.api.reports import PlanOut, SubItemOut, ThemeOut, plan_out, sub_item_out, theme_out
from app.api.schemas import Id, OneLine, RequestModel, StrictFloat, StrictInt, Text, errors
from app.errors import Invalid
from app.reports import documents, services
from app.reports.models import Plan, ReportingRound, SubItem, Theme

tag = Tag(name="plans", description="Plans, themes and sub-items with their responsible units")

UnitCode = OneLine(textlimits.UNIT_CODE, min_length=1)


class IdPath(BaseModel):
    id: int


class PlanIn(RequestModel):
    title: OneLine(textlimits.TITLE, min_length=1)
    owner_body_id: Id = Field(description="The body responsible for the plan")
    start_year_be: StrictInt = Field(description="First fiscal year, Buddhist era, e.g. 2563")
    end_year_be: StrictInt = Field(description="Last fiscal year, Buddhist era")
    description: Text(textlimits.LONG_TEXT) | None = None


class PlanPatch(RequestModel):
    title: OneLine(textlimits.TITLE, min_length=1) | None = None
    owner_body_id: Id | None = None
    start_year_be: StrictInt | None = None
    end_year_be: StrictInt | None = None
    description: Text(textlimits.LONG_TEXT) | None = None


class ThemeIn(RequestModel):
    number: StrictInt | None = Field(None, description="1–999; left out: after the last theme")
    title: OneLine(textlimits.TITLE, min_length=1)
    weight: StrictFloat | None = Field(None, description="> 0; left out: 1")


class ThemePatch(RequestModel):
    number: StrictInt | None = None
    title: OneLine(textlimits.TITLE, min_length=1) | None = None
    weight: StrictFloat | None = None


class SubItemIn(RequestModel):
    number: StrictInt | None = Field(None, description="1–999 within the theme; left out: after the last one")
    title: OneLine(textlimits.TITLE, min_length=1)
    outputs: Text(textlimits.LONG_TEXT) | None = Field(None, description="ผลผลิต")
    target: Text(textlimits.LONG_TEXT) | None = Field(None, description="เป้าหมาย, in words")
    target_value: StrictFloat | None = Field(None, description="The target as a number")
    target_unit: OneLine(textlimits.TARGET_UNIT) | None = Field(None, description="ร้อยละ, ระบบ, แห่ง …")
    weight: StrictFloat | None = Field(None, description="> 0; left out: 1")
    unit_ids: list[Id] | None = Field(None, description="Responsible units by id (or give unit_codes)")
    unit_codes: list[UnitCode] | None = Field(None, description="Responsible units by code, e.g. [\"BPS\", \"ICT\"]")


class SubItemPatch(RequestModel):
    number: StrictInt | None = None
    title: OneLine(textlimits.TITLE, min_length=1) | None = None
    outputs: Text(textlimits.LONG_TEXT) | None = None
    target: Text(textlimits.LONG_TEXT) | None = None
    target_value: StrictFloat | None = None
    target_unit: OneLine(textlimits.TARGET_UNIT) | None = None
    weight: StrictFloat | None = None
    unit_ids: list[Id] | None = Field(None, description="Replaces the responsible units")
    unit_codes: list[UnitCode] | None = Field(None, description="Replaces the responsible units (by code)")


def managed_plan(plan_id: int) -> Plan:
    """The plan to change: 404 when missing, 403 when not the user's to change."""
    return access.load(Plan, plan_id, read=authz.can_view_plan, change=authz.can_manage_plan)


def managed_theme(theme_id: int) -> Theme:
    """The theme to change: 404 when missing, 403 when not the user's to change."""
    return access.load(Theme, theme_id, read=authz.can_view_theme, change=authz.can_manage_theme)


def managed_sub_item(sub_item_id: int) -> SubItem:
    """The sub-item to change: 404 when missing, 403 when not the user's to change."""
    return access.load(SubItem, sub_item_id, read=authz.can_view_sub_item, change=authz.can_manage_sub_item)


def merged(current: dict, changes: dict) -> dict:
    """The current values with the fields sent replacing them (what PATCH hands to a save service)."""
    return {**current, **changes}


# --- plans ----------------------------------------------------------------------------------------

@api.post("/plans", tags=[tag], responses={201: PlanOut, **errors(401, 403, 422)})
@allow(authz.can_manage_plans)
def create_plan(body: PlanIn):
    """Create a plan: title, owner body, first and last fiscal year (BE), description."""
    plan = services.save_plan(None, body.model_dump(), current_user)
    return plan_out(services.get_plan(plan.id)), 201


@api.patch("/plans/<int:id>", tags=[tag], responses={200: PlanOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_plans)
def patch_plan(path: IdPath, body: PlanPatch):
    """Change a plan's title, owner body, years or description."""
    plan = managed_plan(path.id)
    current = {"title": plan.title, "owner_body_id": plan.owner_body_id, "start_year_be": plan.start_year_be,
               "end_year_be": plan.end_year_be, "description": plan.description}
    services.save_plan(plan, merged(current, body.model_dump(exclude_unset=True)), current_user)
    return plan_out(services.get_plan(plan.id))


@api.delete("/plans/<int:id>", tags=[tag], responses={204: None, **errors(401, 403, 404, 409)})
@allow(authz.can_manage_plans)
def delete_plan(path: IdPath):
    """Remove a plan that has no rounds yet (409 otherwise)."""
    services.delete_plan(managed_plan(path.id), current_user)
    return "", 204


# --- themes ---------------------------------------------------------------------------------------

@api.post("/plans/<int:id>/themes", tags=[tag], responses={201: ThemeOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_plans)
def create_theme(path: IdPath, body: ThemeIn):
    """Add a theme (ประเด็นหลัก) to the plan; its number defaults to the next one."""
    theme = services.save_theme(managed_plan(path.id), None, body.model_dump(), current_user)
    return theme_out(theme).model_dump(), 201


@api.patch("/themes/<int:id>", tags=[tag], responses={200: ThemeOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_plans)
def patch_theme(path: IdPath, body: ThemePatch):
    """Change a theme's number, title or weight."""
    theme = managed_theme(path.id)
    current = {"number": theme.number, "title": theme.title, "weight": theme.weight}
    services.save_theme(theme.plan, theme, merged(current, body.model_dump(exclude_unset=True)), current_user)
    return theme_out(theme).model_dump()


@api.delete("/themes/<int:id>", tags=[tag], responses={204: None, **errors(401, 403, 404, 409)})
@allow(authz.can_manage_plans)
def delete_theme(path: IdPath):
    """Remove a theme and its sub-items, unless reports were filed on them (409)."""
    services.delete_theme(managed_theme(path.id), current_user)
    return "", 204


# --- sub-items ------------------------------------------------------------------------------------

@api.post("/themes/<int:id>/sub-items", tags=[tag], responses={201: SubItemOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_plans)
def create_sub_item(path: IdPath, body: SubItemIn):
    """Add a sub-item (ประเด็นย่อย) to a theme, with its responsible units (unit_ids or unit_codes)."""
    theme = managed_theme(path.id)
    sub_item = services.save_sub_item(theme, None, body.model_dump(), current_user)
    return sub_item_out(theme, sub_item).model_dump(), 201


@api.patch("/sub-items/<int:id>", tags=[tag], responses={200: SubItemOut, **errors(401, 403, 404, 422)})
@allow(authz.can_manage_plans)
def patch_sub_item(path: IdPath, body: SubItemPatch):
    """Change a sub-item: number, title, outputs, targets, weight, responsible units."""
    sub_item = managed_sub_item(path.id)
    current = {"number": sub_item.number, "title": sub_item.title, "outputs": sub_item.outputs,
               "target": sub_item.target, "target_value": sub_item.target_value,
               "target_unit": sub_item.target_unit, "weight": sub_item.weight,
               "unit_ids": [unit.id for unit in sub_item.units]}
    changes = body.model_dump(exclude_unset=True)
    if "unit_codes" in changes and "unit_ids" not in changes:
        current.pop("unit_ids")
    services.save_sub_item(sub_item.theme, sub_item, merged(current, changes), current_user)
    return sub_item_out(sub_item.theme, sub_item).model_dump()


@api.delete("/sub-items/<int:id>", tags=[tag], responses={204: None, **errors(401, 403, 404, 409)})
@allow(authz.can_manage_plans)
def delete_sub_item(path: IdPath):
    """Remove a sub-item, unless reports were filed on it (409)."""
    services.delete_sub_item(managed_sub_item(path.id), current_user)
    return "", 204


# --- the round report to the committee ----------------------------------------------------------

class AttachIn(RequestModel):
    meeting_id: Id | None = Field(None, description="A committee meeting: a new item in section 4 receives the report")
    agenda_item_id: Id | None = Field(None, description="An existing section-4 item of a committee meeting instead")
    replace: bool = Field(False, description="When the meeting's agenda already holds this round's report: replace "
                                             "the earlier copy (else 409 round_report_attached)")

    @model_validator(mode="after")
    def one_target(self) -> AttachIn:
        if (self.meeting_id is None) == (self.agenda_item_id is None):
            raise ValueError(gettext("ระบุ meeting_id หรือ agenda_item_id อย่างใดอย่างหนึ่ง"))
        return self


@api.post("/rounds/<int:id>/attach", tags=[tag], responses={201: AgendaItemOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.can_manage_plans)
def attach_round_report(path: IdPath, body: AttachIn):
    """Compile the round report (DOCX) and attach it to a committee meeting's agenda, section 4: to a new item
    of the meeting, or to one of its existing section-4 items. Answers the agenda item. The same round attached to
    the same meeting's agenda again answers 409 `round_report_attached` unless `replace` is true, which replaces the
    earlier copy."""
    round_ = access.load(ReportingRound, path.id, read=authz.can_view_round, change=authz.can_manage_round)
    if body.meeting_id is not None:
        field, target = "meeting_id", f"{documents.NEW_ITEM}:{body.meeting_id}"
    else:
        field, target = "agenda_item_id", f"{documents.EXISTING_ITEM}:{body.agenda_item_id}"
    try:
        item = documents.attach_round_report(round_, target, current_user, replace=body.replace)
    except Invalid as error:
        error.fields = {field: message for message in error.fields.values()}
        raise
    return item_out(item.meeting, item), 201
