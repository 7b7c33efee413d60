"""The home page: what concerns each role today."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app import authz
from app.main import services

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Upcoming meetings for everyone; reports due for reporters; open rounds for the secretariat."""
    due = services.reports_due_for_unit(current_user.unit_id) if authz.files_reports(current_user) else []
    rounds = services.open_rounds_summary() if authz.sees_round_overview(current_user) else []
    return render_template(
        "main/home.html", meetings=services.upcoming_meetings(current_user), due_reports=due, open_rounds=rounds
    )
