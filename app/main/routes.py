"""The home page: what the signed-in person should do now, most urgent first."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app import thaidates
from app.kept_responses import kept_response
from app.main import todo
from app.meetings.forms import RsvpForm

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
@kept_response("minute")
def home():
    """Each task of the user's role with its count, one link to all of it and its first entries."""
    today = thaidates.today_bangkok()
    return render_template("main/home.html", tasks=todo.tasks_for(current_user, today), today=today,
                           rsvp_form=RsvpForm(prefix="rsvp"))
