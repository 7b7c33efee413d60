"""The search page: a box and the ranked hits the user may read."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.errors import Invalid
from app.search import services

bp = Blueprint("search", __name__)


@bp.record_once
def keep_index_up_to_date(state) -> None:
    """Index every change from the moment the search area is registered."""
    services.keep_index_up_to_date()


@bp.route("/search")
@login_required
def search():
    """/search?q=: hits in meetings, agenda items and minutes, with highlighted snippets."""
    q = request.args.get("q", "")
    results: list[services.SearchResult] = []
    error = None
    if q.strip():
        try:
            results = services.search(current_user, q)
        except Invalid as refused:
            error = refused.fields.get("q") or refused.message
    return render_template("search/results.html", q=q, results=results, error=error,
                           query_max=services.QUERY_MAX), 422 if error else 200
