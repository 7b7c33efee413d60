"""Large exports as background jobs: asking answers at once with an Export row; the job writes the file into the
attachment storage; the owner downloads it when it is done. A closed round's file is made once per view (the
overview, or one reporter's own unit) and handed out again."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from app import authz
from app.audit.services import record
from app.dbtypes import utcnow
from app.errors import Conflict, NotFound
from app.exports.models import Export
from app.extensions import db
from app.reports.models import ReportingRound
from app.storage import StorageError, storage
from app.transactions import after_commit, in_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def view_of(user) -> str:
    """Whose view a round workbook holds: everything (staff, viewers) or the user's own."""
    return "overview" if authz.sees_round_overview(user) else f"user:{user.id}"


def data_version(round_id: int) -> str:
    """What the round's file is written from, in one aggregate: how many reports and their latest change."""
    from sqlalchemy import func

    from app.reports.models import ProgressReport

    count, latest = db.session.execute(select(func.count(ProgressReport.id), func.max(ProgressReport.updated_at))
                                       .where(ProgressReport.round_id == round_id)).one()
    return f"{count}:{latest}"


def round_closed(round_id: int) -> bool:
    """Whether the round is closed (its exports no longer change)."""
    return db.session.scalar(select(ReportingRound.status).where(ReportingRound.id == round_id)) == "closed"


def request_round_export(user, round_: ReportingRound) -> Export:
    """The round's XLSX for this user: the finished file of a closed round when one exists for the same view,
    otherwise a new export handed to the job after the commit."""
    scope, version = view_of(user), data_version(round_.id)
    if round_.status == "closed":
        done = db.session.scalar(select(Export).where(
            Export.kind == "round_xlsx", Export.object_id == round_.id, Export.scope == scope,
            Export.version == version, Export.state == "done").order_by(Export.id.desc()).limit(1))
        if done is not None:
            return done
    export = Export(user_id=user.id, kind="round_xlsx", object_id=round_.id, scope=scope, version=version,
                    state="queued")
    db.session.add(export)
    db.session.flush()
    record("export.request", export, f"round_xlsx {round_.id}", user=user)
    if in_request():
        after_commit(lambda: _enqueue(export.id), key=f"export:{export.id}")
    return export


def _enqueue(export_id: int) -> None:
    from app import jobs

    jobs.enqueue(jobs.build_export, export_id)


def build_export(export_id: int) -> None:
    """The job: write the file (as the user who asked would see it), keep it in the storage, mark it done — or
    failed, with the reason; an export already done is left as it is (the job may run twice)."""
    from app.auth.models import User
    from app.reports import documents

    export = db.session.get(Export, export_id, with_for_update=True)
    if export is None or export.state == "done":
        return
    export.state = "running"
    db.session.commit()
    try:
        round_ = db.session.get(ReportingRound, export.object_id)
        user = db.session.get(User, export.user_id)
        data = documents.round_workbook(round_, user)
        key = f"export-{export.id}-{uuid.uuid4().hex}.xlsx"
        storage().put(key, data)
    except Exception as error:  # noqa: BLE001 — the reason is kept for the user and admins
        db.session.rollback()
        export = db.session.get(Export, export_id)
        export.state, export.error, export.finished_at = "failed", f"{type(error).__name__}: {error}"[:2000], utcnow()
        db.session.commit()
        return
    export = db.session.get(Export, export_id)
    export.state, export.storage_key, export.size = "done", key, len(data)
    export.filename, export.finished_at = documents.round_workbook_filename(round_), utcnow()
    db.session.commit()


def own_export(user, export_id: int) -> Export:
    """The user's own export (also one shared with them from a closed round's cache), or NotFound."""
    export = db.session.get(Export, export_id)
    if export is None or not authz.can_download_export(user, export):
        raise NotFound(_("ไม่พบไฟล์ส่งออก"))
    return export


def export_file(export: Export) -> bytes:
    """The finished file; Conflict while the job has not finished."""
    if export.state != "done":
        raise Conflict(_("ไฟล์ยังไม่พร้อม กรุณารอสักครู่"), code="not_ready")
    try:
        return storage().read(export.storage_key)
    except StorageError:
        raise NotFound(_("ไม่พบไฟล์ส่งออก")) from None
