"""Every main page of each role's tour, at phone and desktop size: it opens, axe-core finds no serious or
critical violation (contrast, names, WCAG 2.2 target size included), nothing pans sideways, the desktop
navbar stays on one line, and no console error or request to another host happens on the way."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.browser.conftest import axe_violations, horizontal_overflow

LISTS = ["/", "/meetings/", "/bodies", "/plans", "/plans/{plan}", "/assessment", "{round}", "/reports/dashboard",
         "/profile", "/search?q=%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%8A%E0%B8%B8%E0%B8%A1"]  # ?q=ประชุม
MEETING = ["{meeting}", "{agenda}", "{body}"]
TOURS = {
    "anonymous": ["/login"],
    "member": LISTS + MEETING + ["{minutes}"],
    "viewer": LISTS + MEETING + ["{certified_minutes}"],
    "reporter": LISTS + ["/reports/mine", "{report}"],
    "secretariat": LISTS + MEETING + ["{minutes}", "/reports/review", "{report}", "/meetings/new", "{meeting_edit}"],
    "admin": LISTS + MEETING + ["{minutes}", "/admin/users", "/admin/units", "/admin/audit", "{user}"],
}

NAVBAR_ONE_LINE = """() => {
  const nav = document.querySelector('nav.navbar');
  const items = [...nav.querySelectorAll('.navbar-brand, .navbar-nav > .nav-item')]
    .filter(e => e.getClientRects().length);
  const tops = items.map(e => Math.round(e.getBoundingClientRect().top));
  const tall = [...nav.querySelectorAll('.nav-link, .navbar-brand')].filter(e => e.getClientRects().length)
    .filter(e => e.getBoundingClientRect().height > 48).map(e => e.textContent.trim());
  return {rows: new Set(tops.map(t => Math.round(t / 24))).size, tall: tall};
}"""


@pytest.fixture(scope="module")
def places(app, site):
    """Paths of demo objects on the tours: the working group's latest meeting, one with minutes, a round …"""
    with app.app_context():
        return _places()


def _places() -> dict:
    from app.auth.models import User
    from app.bodies.models import Membership
    from app.meetings.models import Meeting
    from app.minutes.models import Minutes
    from app.reports.models import Plan, ProgressReport, ReportingRound

    member = db.session.scalar(select(User).where(User.email == "member@demo.prachum.in.th"))
    body_id = db.session.scalar(select(Membership.body_id).where(Membership.user_id == member.id))
    meeting = db.session.scalar(select(Meeting.id).where(Meeting.body_id == body_id)
                                .order_by(Meeting.starts_at.desc()))
    with_minutes = db.session.scalar(select(Meeting.id).join(Minutes, Minutes.meeting_id == Meeting.id)
                                     .where(Meeting.body_id == body_id, Minutes.state != "draft")
                                     .order_by(Meeting.starts_at.desc()))
    certified = db.session.scalar(select(Meeting.id).join(Minutes, Minutes.meeting_id == Meeting.id)
                                  .where(Minutes.state == "certified").order_by(Meeting.starts_at.desc()))
    plan = db.session.scalar(select(Plan.id).order_by(Plan.id))
    round_ = db.session.scalar(select(ReportingRound.id).order_by(ReportingRound.due_date.desc()))
    reporter = db.session.scalar(select(User).where(User.email == "reporter.ict@demo.prachum.in.th"))
    report = db.session.scalar(select(ProgressReport.id).where(ProgressReport.unit_id == reporter.unit_id)
                               .order_by(ProgressReport.id.desc()))
    return {"meeting": f"/meetings/{meeting}", "agenda": f"/meetings/{meeting}/agenda",
            "minutes": f"/meetings/{with_minutes}/minutes", "certified_minutes": f"/meetings/{certified}/minutes",
            "body": f"/bodies/{body_id}", "plan": plan,
            "round": f"/rounds/{round_}", "report": f"/reports/{report}", "meeting_edit": f"/meetings/{meeting}/edit",
            "user": f"/admin/users/{member.id}"}


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("role", list(TOURS))
def test_role_tour(open_context, places, role, size):
    context, watch = open_context(size, None if role == "anonymous" else role)
    page = context.new_page()
    problems = []
    for pattern in TOURS[role]:
        path = pattern.format(**places)
        if "None" in path:
            continue  # the demo has no such object (e.g. no minutes yet)
        response = page.goto(path)
        if response is None or response.status != 200:
            problems.append(f"{path}: HTTP {response and response.status}")
            watch.take()
            continue
        overflow = horizontal_overflow(page)
        if size == "phone" and overflow > 0:
            problems.append(f"{path}: pans {overflow}px sideways at 390px")
        if size == "desktop" and role != "anonymous":
            navbar = page.evaluate(NAVBAR_ONE_LINE)
            if navbar["rows"] > 1 or navbar["tall"]:
                problems.append(f"{path}: the navbar wraps at 1366px: {navbar}")
        for violation in axe_violations(page):
            nodes = "; ".join(violation["nodes"][:4])
            problems.append(f"{path}: axe {violation['impact']} {violation['id']} ×{len(violation['nodes'])}: {nodes}")
        problems += [f"{path}: {problem}" for problem in watch.take()]
    assert not problems, f"{role} at {size}:\n" + "\n".join(problems)


SARABUN_LOADED = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter(face => face.family.replace(/"/g, '') === 'Sarabun' && face.status === 'loaded')
    .map(face => face.weight);
}"""


def test_pages_are_set_in_sarabun_served_by_the_app(open_context):
    context, _ = open_context("phone")
    page = context.new_page()
    fonts = []
    page.on("request", lambda request: fonts.append(request.url) if request.resource_type == "font" else None)
    page.goto("/login")
    assert "400" in page.evaluate(SARABUN_LOADED)
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('Sarabun')
    assert fonts and all("/static/vendor/sarabun/" in url for url in fonts), fonts


@pytest.mark.parametrize("role", ["admin", "secretariat", "reporter"])
def test_the_navbar_stays_on_one_line_in_english_too(open_context, role):
    context, _ = open_context("desktop", role)
    page = context.new_page()
    page.goto("/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    navbar = page.evaluate(NAVBAR_ONE_LINE)
    assert navbar["rows"] == 1 and not navbar["tall"], navbar
