"""The agenda as an official document: the values printed on ระเบียบวาระการประชุม, and the meeting papers
bound into one PDF after it."""
from __future__ import annotations

from flask_babel import gettext as _

from app import authz, official_docx, papers_pdf, thaidates
from sqlalchemy import select

from app.agenda.models import AgendaItem
from app.agenda.services import agenda_sections
from app.attachments.models import Attachment
from app.attachments.services import read_file
from app.errors import Unavailable
from app.extensions import db
from app.i18n import thai_document
from app.meetings.models import Meeting
from app.minutes.documents import date_text, thai_digits

SEE_ATTACHMENT = "ดูเอกสารแนบ"  # a paper that cannot be bound into the PDF (an image, an archive …)


def _papers_by_item(meeting: Meeting, reader) -> dict[int, list[Attachment]]:
    """Each agenda item's uploaded papers the reader may open, in the order they were attached (one query)."""
    papers: dict[int, list[Attachment]] = {}
    for attachment in db.session.scalars(
            select(Attachment).join(AgendaItem, AgendaItem.id == Attachment.agenda_item_id)
            .where(AgendaItem.meeting_id == meeting.id, Attachment.kind == "file").order_by(Attachment.id)):
        if authz.can_download_attachment(reader, attachment):
            papers.setdefault(attachment.agenda_item_id, []).append(attachment)
    return papers


@thai_document
def agenda_doc(meeting: Meeting, reader, papers: dict[int, tuple[str, ...]] | None = None) -> official_docx.AgendaDoc:
    """Everything the agenda prints, always in Thai, with each item's papers listed under it (`papers`: titles by
    item id, when they should read otherwise than the attachments' titles)."""
    if papers is None:
        papers = {item_id: tuple(a.title for a in files) for item_id, files in _papers_by_item(meeting, reader).items()}

    from app.actions.services import agenda_follow_ups

    follow_ups = agenda_follow_ups(meeting)  # section 3: open actions of earlier meetings
    sections = tuple(official_docx.DocSection(s.number, s.title, tuple(
        official_docx.DocItem(i.number, i.title, i.detail, papers=papers.get(i.id, ())) for i in s.items),
        follow_ups=follow_ups if s.number == 3 else ()) for s in agenda_sections(meeting))
    when = f"{date_text(meeting)} เวลา {thaidates.to_bangkok(meeting.starts_at):%H.%M} น."
    return official_docx.AgendaDoc(body_name=meeting.body.name, code=meeting.code, date_text=when,
                                   venue=meeting.venue, online_url=meeting.online_url, sections=sections,
                                   thai_digits=thai_digits(), author=meeting.body.secretariat_name)


def agenda_docx_bytes(meeting: Meeting, reader) -> bytes:
    """ระเบียบวาระการประชุม as DOCX."""
    return official_docx.agenda_docx(agenda_doc(meeting, reader))


def meeting_papers_pdf(meeting: Meeting, reader) -> bytes:
    """The agenda, then each item's papers (PDF as is, office files through LibreOffice; the rest listed on the
    agenda as "ดูเอกสารแนบ"), with bookmarks and page numbers; Unavailable when LibreOffice is not installed."""
    if papers_pdf.office_program() is None:
        raise Unavailable(_("การรวมเอกสารประกอบการประชุมเป็น PDF ต้องใช้ LibreOffice บนเครื่องแม่ข่าย "
                            "ดาวน์โหลดระเบียบวาระ (DOCX) และเอกสารแต่ละฉบับแทน"))
    items = [item for section in agenda_sections(meeting) for item in section.items]
    by_item = _papers_by_item(meeting, reader)
    files = {item.id: by_item.get(item.id, []) for item in items}
    pdfs = {a.id: papers_pdf.readable_pdf(_read(a))
            for fs in files.values() for a in fs if a.content_type == papers_pdf.PDF}
    office = [a for fs in files.values() for a in fs if papers_pdf.office_suffix(a.content_type)]
    pdfs.update(zip((a.id for a in office),
                    papers_pdf.convert_many([(_read(a), papers_pdf.office_suffix(a.content_type)) for a in office])))
    bound = [papers_pdf.PaperItem(f"วาระที่ {item.number} {item.title}",
                                  tuple(papers_pdf.Paper(a.title, pdfs.get(a.id)) for a in files[item.id]))
             for item in items]
    listed = {item.id: tuple(p.title if p.pdf is not None else f"{p.title} ({SEE_ATTACHMENT})" for p in b.papers)
              for item, b in zip(items, bound)}
    agenda_pdf = papers_pdf.convert_to_pdf(official_docx.agenda_docx(agenda_doc(meeting, reader, listed)), ".docx")
    if agenda_pdf is None:
        raise Unavailable(_("LibreOffice แปลงระเบียบวาระเป็น PDF ไม่สำเร็จ โปรดลองอีกครั้ง"))
    return papers_pdf.bind_papers(agenda_pdf, bound)


def _read(attachment) -> bytes:
    try:
        return read_file(attachment)
    except OSError:
        return b""
