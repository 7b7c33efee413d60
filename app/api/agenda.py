"""Agenda API: the six sections with their items, add / change / move / delete items, publish."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_openapi3 import FileStorage, Tag
from werkzeug.datastructures import FileStorage as WerkzeugFileStorage
from pydantic import BaseModel, Field, field_validator

from app import authz
from app.agenda import services
from app.agenda.models import AgendaItem
from app.api import allow, api
from app.agenda.routes import readable_agenda
from app.api.meetings import MeetingPath
from app.api.minutes import OpenActionOut, action_out
from app import textlimits
from app.api.schemas import ArgumentsModel, ActionBody, Id, OneLine, RequestModel, StrictInt, Text, UnitRef, errors
from app.errors import NotFound
from app.meetings.models import Meeting

tag = Tag(name="agenda", description="Agenda sections and items")


class LinkIO(RequestModel):
    title: OneLine(textlimits.ATTACHMENT_TITLE) | None = None
    url: OneLine(textlimits.URL)


class AttachmentOut(BaseModel):
    id: int
    kind: str
    title: str
    url: str
    content_type: str | None
    size: int | None


class UploadForm(ArgumentsModel):
    """A multipart upload whose `file` part must be a file (a plain text field is refused with 422)."""

    file: FileStorage

    @field_validator("file", mode="after")
    @classmethod
    def must_be_a_file(cls, value):
        if not isinstance(value, WerkzeugFileStorage) or not value.filename:
            raise ValueError(_("ต้องแนบไฟล์ (multipart/form-data ช่อง file)"))
        return value


class LinkIn(RequestModel):
    url: OneLine(textlimits.URL)
    title: OneLine(textlimits.ATTACHMENT_TITLE) | None = None


class AttachmentPath(BaseModel):
    id: int


class AgendaItemOut(BaseModel):
    id: int
    number: str
    section: int
    position: int
    title: str
    detail: str | None
    kind: str | None
    presenter: str | None
    presenter_unit: UnitRef | None
    links: list[LinkIO]
    attachments: list[AttachmentOut]
    version: int
    changed_after_publish: bool


class SectionOut(BaseModel):
    number: int
    title: str
    items: list[AgendaItemOut]
    open_actions: list[OpenActionOut] = []


class AgendaOut(BaseModel):
    meeting_id: int
    state: str
    published_at: str | None
    sections: list[SectionOut]


class AgendaItemIn(RequestModel):
    section: StrictInt = Field(description="1..6, the customary sections")
    title: OneLine(textlimits.TITLE) = Field(description="The matter (เรื่อง)")
    detail: Text(textlimits.LONG_TEXT) | None = Field(None, description="Rich text (HTML, sanitised)")
    presenter: OneLine(textlimits.NAME) | None = Field(None, description="Presenting person")
    presenter_unit_id: Id | None = None
    kind: OneLine(textlimits.KIND) | None = None
    links: list[LinkIO] = []


class AgendaItemPatch(RequestModel):
    title: OneLine(textlimits.TITLE) | None = None
    detail: Text(textlimits.LONG_TEXT) | None = None
    presenter: OneLine(textlimits.NAME) | None = None
    presenter_unit_id: Id | None = None
    links: list[LinkIO] | None = None
    section: StrictInt | None = Field(None, description="Move to this section")
    position: StrictInt | None = Field(None, description="Move to this 1-based position in the section")
    version: StrictInt | None = Field(None, description="The version read; 409 when stale")


class ItemPath(BaseModel):
    id: int


class PublishIn(ActionBody):
    notify: bool = Field(True, description="E-mail the members that the agenda is published")
    version: StrictInt | None = Field(None, description="The meeting's version read; 409 when stale")


def attachment_out(attachment) -> AttachmentOut:
    """A file (download URL) or a link."""
    url = attachment.url if attachment.kind == "link" else url_for("attachments.download", attachment_id=attachment.id)
    return AttachmentOut(id=attachment.id, kind=attachment.kind, title=attachment.title, url=url,
                         content_type=attachment.content_type, size=attachment.size)


def item_out(meeting: Meeting, item: AgendaItem) -> dict:
    """An agenda item as the API returns it."""
    return AgendaItemOut(
        id=item.id, number=item.number, section=item.section, position=item.position, title=item.title,
        detail=item.detail, kind=item.kind, presenter=item.presenter_name,
        presenter_unit=UnitRef.model_validate(item.presenter_unit) if item.presenter_unit else None,
        links=item.links or [], attachments=[attachment_out(a) for a in item.attachments], version=item.version,
        changed_after_publish=services.changed_since_publish(meeting, item),
    ).model_dump()


def open_actions_before(meeting: Meeting) -> list[dict]:
    """Open actions assigned at the body's earlier meetings, from minutes the user may read (section 3)."""
    from app.minutes.services import open_actions

    rows = [a for a in open_actions(meeting.body_id, current_user)
            if a.minutes_item.minutes.meeting.starts_at < meeting.starts_at]
    return [action_out(a) for a in rows]


def agenda_out(meeting: Meeting) -> dict:
    """The agenda of a meeting: state and six sections (section 3 with the open actions)."""
    sections = []
    for section in services.agenda_sections(meeting):
        sections.append({"number": section.number, "title": section.title,
                         "items": [item_out(meeting, i) for i in section.items],
                         "open_actions": open_actions_before(meeting) if section.number == 3 else []})
    published = meeting.agenda_published_at.isoformat() if meeting.agenda_published_at else None
    return AgendaOut(meeting_id=meeting.id, state=meeting.agenda_state, published_at=published,
                     sections=sections).model_dump()


@api.get("/meetings/<int:id>/agenda", tags=[tag], responses={200: AgendaOut, **errors(401, 403, 404)})
def get_agenda(path: MeetingPath):
    """The six sections with their items numbered 1.1, 4.2 …; drafts only for the secretariat."""
    return agenda_out(readable_agenda(path.id))


@api.post("/meetings/<int:id>/agenda-items", tags=[tag],
          responses={201: AgendaItemOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def add_agenda_item(path: MeetingPath, body: AgendaItemIn):
    """Add an item at the end of a section; answers its number."""
    from app.meetings.services import get_meeting

    meeting = get_meeting(path.id)
    item = services.add_item(meeting, body.model_dump())
    return item_out(meeting, item), 201


def manageable_item(item_id: int) -> AgendaItem:
    item = services.get_item(item_id)
    if not authz.can_edit_agenda(current_user, item.meeting):
        raise NotFound(_("ไม่พบระเบียบวาระ"))
    return item


@api.patch("/agenda-items/<int:id>", tags=[tag], responses={200: AgendaItemOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def patch_agenda_item(path: ItemPath, body: AgendaItemPatch):
    """Change an item, or move it (section / position); numbering stays contiguous."""
    item = manageable_item(path.id)
    services.update_item(item, body.model_dump(exclude_unset=True, exclude={"version"}), version=body.version)
    return item_out(item.meeting, item)


@api.delete("/agenda-items/<int:id>", tags=[tag], responses={204: None, **errors(401, 403, 404, 409)})
@allow(authz.is_staff)
def delete_agenda_item(path: ItemPath):
    """Delete an item; the items after it are renumbered."""
    services.delete_item(manageable_item(path.id))
    return "", 204


@api.post("/meetings/<int:id>/agenda/publish", tags=[tag], responses={200: AgendaOut, **errors(401, 403, 404, 409)})
@allow(authz.is_staff)
def publish_agenda(path: MeetingPath, body: PublishIn):
    """Publish the agenda: members can read it and are notified by e-mail."""
    from app.meetings.services import get_meeting

    meeting = services.publish_agenda(get_meeting(path.id), notify=body.notify, version=body.version)
    return agenda_out(meeting)


@api.post("/agenda-items/<int:id>/attachments", tags=[tag],
          responses={201: AttachmentOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def upload_attachment(path: ItemPath, form: UploadForm):
    """Attach a file (PDF, DOCX, XLSX, PPTX, image; type checked by content; size limit in config)."""
    from app.attachments.services import attach_file

    item = manageable_item(path.id)
    attachment = attach_file(form.file.stream, form.file.filename, agenda_item_id=item.id, user=current_user)
    return attachment_out(attachment).model_dump(), 201


@api.post("/agenda-items/<int:id>/links", tags=[tag],
          responses={201: AttachmentOut, **errors(401, 403, 404, 409, 422)})
@allow(authz.is_staff)
def add_link(path: ItemPath, body: LinkIn):
    """Attach an https:// link to an item."""
    from app.attachments.services import attach_link

    item = manageable_item(path.id)
    attachment = attach_link(body.url, body.title, agenda_item_id=item.id, user=current_user)
    return attachment_out(attachment).model_dump(), 201


@api.delete("/attachments/<int:id>", tags=[tag], responses={204: None, **errors(401, 403, 404, 409)})
@allow(authz.is_staff)
def delete_attachment(path: AttachmentPath):
    """Remove an attachment; 409 once its meeting's minutes are certified, or its report accepted or its round closed."""
    from app import access
    from app.attachments.models import Attachment
    from app.attachments.services import remove_attachment

    remove_attachment(access.load(Attachment, path.id, read=authz.can_download_attachment,
                                  missing=_("ไม่พบไฟล์แนบ")))
    return "", 204
