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
    due = services.reports_due_for_unit(current_user.unit_id) if current_user.role == "reporter" else []
    rounds = services.open_rounds_summary() if authz.is_staff(current_user) or current_user.role == "viewer" else []
    return render_template(
        "main/home.html", meetings=services.upcoming_meetings(current_user), due_reports=due, open_rounds=rounds
    )
