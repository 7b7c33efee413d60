"""Large exports as background jobs: ask, follow, download."""
from __future__ import annotations

from datetime import datetime

from flask import Response, url_for
from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field

from app import access, authz
from app.api import api
from app.api.schemas import errors
from app.exports import services
from app.exports.models import Export
from app.reports.models import ReportingRound
from app.webactions import download

tag = Tag(name="exports", description="Large files made by a background job (the round XLSX)")


class IdPath(BaseModel):
    id: int = Field(ge=1, le=2**31 - 1)


class ExportOut(BaseModel):
    id: int
    kind: str = Field(description="round_xlsx")
    object_id: int = Field(description="The round")
    state: str = Field(description="queued | running | done | failed")
    filename: str | None
    size: int | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    url: str = Field(description="This export (GET)")
    file_url: str | None = Field(description="The file, once state is done")


def export_out(export: Export) -> dict:
    return {"id": export.id, "kind": export.kind, "object_id": export.object_id, "state": export.state,
            "filename": export.filename, "size": export.size, "error": export.error,
            "created_at": export.created_at.isoformat(),
            "finished_at": export.finished_at.isoformat() if export.finished_at else None,
            "url": url_for("api.get_export", id=export.id),
            "file_url": url_for("api.get_export_file", id=export.id) if export.state == "done" else None}


@api.post("/rounds/<int:id>/exports", tags=[tag], responses={200: ExportOut, 202: ExportOut, **errors(401, 404)})
def request_round_export(path: IdPath):
    """Ask for the round's XLSX: 202 with the export to follow (GET its url until state is done), or 200 with a
    closed round's finished file made earlier for the same view."""
    round_ = access.load(ReportingRound, path.id, read=authz.can_view_round)
    export = services.request_round_export(current_user, round_)
    return export_out(export), 200 if export.state == "done" and export.user_id != current_user.id else 202


@api.get("/exports/<int:id>", tags=[tag], responses={200: ExportOut, **errors(401, 404)})
def get_export(path: IdPath):
    """How far the export is."""
    return export_out(services.own_export(current_user, path.id))


@api.get("/exports/<int:id>/file", tags=[tag], responses={**errors(401, 404, 409)})
def get_export_file(path: IdPath) -> Response:
    """The finished file (409 while the job runs)."""
    export = services.own_export(current_user, path.id)
    return download(services.export_file(export), services.XLSX, export.filename or f"export-{export.id}.xlsx",
                    f"export-{export.id}.xlsx")
