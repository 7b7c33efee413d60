"""Official documents of a meeting: the agenda and the minutes as DOCX, the papers as one PDF (readers only)."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import access, authz

from app.extensions import db
from app.agenda.documents import agenda_docx_bytes, meeting_papers_pdf
from app.agenda.routes import readable_agenda
from app.meetings import letters
from app.meetings.models import Meeting
from app.minutes.documents import minutes_docx_bytes
from app.minutes.routes import readable_minutes
from app.webactions import DOCX, PDF, document_name, download, perform, require_csrf

bp = Blueprint("exports", __name__)


@bp.route("/meetings/<int:meeting_id>/agenda.docx")
@login_required
def agenda_docx(meeting_id: int):
    """ระเบียบวาระการประชุม as DOCX."""
    meeting = readable_agenda(meeting_id)
    return download(agenda_docx_bytes(meeting, current_user), DOCX, *document_name("agenda", meeting, "docx"))


@bp.route("/meetings/<int:meeting_id>/papers.pdf")
@login_required
def papers_pdf(meeting_id: int):
    """The meeting papers in one PDF: the agenda, then every item's papers, with bookmarks and page numbers."""
    meeting = readable_agenda(meeting_id)
    return download(meeting_papers_pdf(meeting, current_user), PDF, *document_name("papers", meeting, "pdf"))


@bp.route("/meetings/<int:meeting_id>/minutes.docx")
@login_required
def minutes_docx(meeting_id: int):
    """รายงานการประชุม as DOCX, in the official layout; certified minutes as stored at certification."""
    meeting, minutes = readable_minutes(meeting_id)
    return download(minutes_docx_bytes(meeting, minutes), DOCX, *document_name("minutes", meeting, "docx"))


@bp.route("/meetings/<int:meeting_id>/invitation.docx")
@login_required
def invitation_docx(meeting_id: int):
    """หนังสือเชิญประชุม in the body's official form: one to all (default) or one per addressee (?to=each)."""
    meeting = access.load(Meeting, meeting_id, read=authz.can_view_meeting, change=authz.can_issue_invitation)
    per_addressee = request.args.get("to") == "each"
    return download(letters.invitation_letter(meeting, per_addressee=per_addressee), DOCX,
                    *document_name("invitation", meeting, "docx"))


@bp.post("/meetings/<int:meeting_id>/invitation/number")
@login_required
def issue_invitation_number(meeting_id: int):
    """Take the letter's number from the body's yearly counter and record it on the meeting."""
    require_csrf()
    meeting = access.load(Meeting, meeting_id, read=authz.can_view_meeting, change=authz.can_issue_invitation)
    perform(lambda: letters.issue_invitation_number(meeting, current_user),
            _("ออกเลขหนังสือเชิญประชุมแล้ว"))
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="invitation"))


# --- large exports, made by a background job ----------------------------------------------------------

@bp.post("/rounds/<int:round_id>/exports")
@login_required
def request_round_export(round_id: int):
    """Ask for the round's XLSX as a background job; the page that follows shows when it is ready."""
    from app.exports import services
    from app.reports.routes import load_round

    require_csrf()
    round_ = load_round(round_id)
    export = services.request_round_export(current_user, round_)
    return redirect(url_for("exports.export_page", export_id=export.id))


@bp.get("/exports/<int:export_id>")
@login_required
def export_page(export_id: int):
    """How far the export is; the download once it is done (the page reloads itself until then)."""
    from flask import render_template

    from app.exports import services
    from app.reports.models import ReportingRound

    export = services.own_export(current_user, export_id)
    round_ = db.session.get(ReportingRound, export.object_id)
    return render_template("exports/export.html", export=export, round=round_)


@bp.get("/exports/<int:export_id>/file")
@login_required
def export_download(export_id: int):
    """The finished file."""
    from app.exports import services

    export = services.own_export(current_user, export_id)
    data = services.export_file(export)
    return download(data, services.XLSX, export.filename or f"export-{export.id}.xlsx", f"export-{export.id}.xlsx")

