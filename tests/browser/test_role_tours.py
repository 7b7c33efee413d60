"""Every main page of each role's tour, at phone and desktop size: it opens, axe-core finds no serious or
critical violation (contrast, names, WCAG 2.2 target size included), nothing pans sideways, the desktop
navbar stays on one line, and no console error or request to another host happens on the way."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.browser.conftest import axe_violations, horizontal_overflow

LISTS = ["/", "/meetings/", "/bodies", "/plans", "/plans/{plan}", "/assessment", "{round}", "/reports/dashboard",
         "/profile", "/search?q=%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%8A%E0%B8%B8%E0%B8%A1"]  # ?q=ประชุม
MEETING = ["{meeting}", "{agenda}", "{body}"]
# Issue 13's pages: votes, circulations, QR check-in (the body's members see them; staff run them)
DECISIONS = ["{votes}", "{open_vote}", "{closed_vote}", "{circulations}", "{circulation}", "{closed_circulation}"]
TOURS = {
    "anonymous": ["/login", "{meeting_answer}", "{circulation_answer}"],
    "member": LISTS + MEETING + ["{minutes}", "{minutes_history}", "/actions", "{action}", "{last_meeting}",
                                 "{check_in}"] + DECISIONS,
    "viewer": LISTS + MEETING + ["{certified_minutes}", "{circulations}", "{closed_circulation}"],
    "reporter": LISTS + ["/reports/mine", "{report}", "{report_edit}", "{report_history}", "{report_new}",
                         "{unit_round}", "/actions", "{reporter_export}"],
    "secretariat": LISTS + MEETING + DECISIONS + [
        "{minutes}", "{minutes_history}", "/reports/review", "{report}", "/meetings/new", "{meeting_edit}",
        "{last_meeting}", "{attendance}", "{evidence}", "{qr}", "{next_meeting}", "{series}", "{new_circulation}",
        "{export}", "/actions", "{action}", "{agenda_item_edit}", "/bodies/new", "{body_edit}", "/plans/new",
        "{plan_edit}", "{theme_new}", "{theme_edit}", "{sub_item_new}", "{sub_item_edit}", "/plans/import",
        "/assessment/new", "{score_edit}", "/assessment/bands", "{unit_round}"],
    "admin": LISTS + MEETING + ["{minutes}", "/admin/users", "/admin/units", "/admin/audit", "{user}", "/admin/jobs",
                                "/admin/users/new", "/admin/units/new", "{unit_edit}", "{evidence}"],
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
    """Paths of demo objects on the tours: the working group's latest meeting, one with minutes, a round …, and
    issue 13's objects made through the services: an open and a closed secret vote at the last meeting, its
    e-meeting evidence, a closed circulation, round exports and the one-click answer links."""
    with app.app_context():
        paths = _places()
        db.session.commit()
        return paths


def _places() -> dict:
    from app.auth.models import User
    from app.bodies.models import Membership
    from app.meetings.models import Meeting
    from app.minutes.models import ActionItem, Minutes
    from app.reports.models import AssessmentScore, Plan, ProgressReport, ReportingRound, Theme

    member = db.session.scalar(select(User).where(User.email == "member@demo.prachum.in.th"))
    body_id = db.session.scalar(select(Membership.body_id).where(Membership.user_id == member.id))
    _certify_first_minutes(body_id)
    meeting = db.session.scalar(select(Meeting.id).where(Meeting.body_id == body_id)
                                .order_by(Meeting.starts_at.desc()))
    with_minutes = db.session.scalar(select(Meeting.id).join(Minutes, Minutes.meeting_id == Meeting.id)
                                     .where(Meeting.body_id == body_id, Minutes.state != "draft")
                                     .order_by(Meeting.starts_at.desc()))
    certified = db.session.scalar(select(Meeting.id).join(Minutes, Minutes.meeting_id == Meeting.id)
                                  .where(Minutes.state == "certified").order_by(Meeting.starts_at.desc()))
    plan = db.session.scalar(select(Plan.id).order_by(Plan.id))
    round_ = db.session.scalar(select(ReportingRound).order_by(ReportingRound.due_date.desc()))
    reporter = db.session.scalar(select(User).where(User.email == "reporter.ict@demo.prachum.in.th"))
    report = db.session.scalar(select(ProgressReport.id).where(ProgressReport.unit_id == reporter.unit_id)
                               .order_by(ProgressReport.id.desc()))
    editable = db.session.scalar(select(ProgressReport.id).where(ProgressReport.unit_id == reporter.unit_id,
                                                                 ProgressReport.state.in_(("draft", "returned")))
                                 .order_by(ProgressReport.id))
    filed = set(db.session.scalars(select(ProgressReport.sub_item_id).where(
        ProgressReport.unit_id == reporter.unit_id, ProgressReport.round_id == round_.id)))
    owed = next(sub.id for theme in round_.plan.themes for sub in theme.sub_items
                if reporter.unit_id in {unit.id for unit in sub.units} and sub.id not in filed)
    theme = db.session.scalar(select(Theme).where(Theme.plan_id == plan).order_by(Theme.number))
    action = db.session.scalar(select(ActionItem.id).where(ActionItem.body_id == body_id).order_by(ActionItem.id))
    score = db.session.scalar(select(AssessmentScore.id).order_by(AssessmentScore.id))
    paths = {"meeting": f"/meetings/{meeting}", "agenda": f"/meetings/{meeting}/agenda",
             "minutes": f"/meetings/{with_minutes}/minutes", "certified_minutes": f"/meetings/{certified}/minutes",
             "minutes_history": f"/meetings/{with_minutes}/minutes/history",
             "body": f"/bodies/{body_id}", "body_edit": f"/bodies/{body_id}/edit", "plan": plan,
             "plan_edit": f"/plans/{plan}/edit", "theme_new": f"/plans/{plan}/themes/new",
             "theme_edit": f"/themes/{theme.id}/edit", "sub_item_new": f"/themes/{theme.id}/sub-items/new",
             "sub_item_edit": f"/sub-items/{theme.sub_items[0].id}/edit", "score_edit": f"/assessment/{score}/edit",
             "round": f"/rounds/{round_.id}", "report": f"/reports/{report}",
             "report_edit": f"/reports/{editable}/edit", "report_history": f"/reports/{report}/history",
             "report_new": f"/reports/new?round={round_.id}&sub_item={owed}",
             "unit_round": f"/rounds/{round_.id}/units/{reporter.unit_id}",
             "meeting_edit": f"/meetings/{meeting}/edit", "action": f"/actions/{action}",
             "user": f"/admin/users/{member.id}", "unit_edit": f"/admin/units/{reporter.unit_id}"}
    paths.update(_decisions(body_id, with_minutes, meeting, member))
    paths.update(_exports(round_, reporter))
    return paths


def _certify_first_minutes(body_id: int) -> None:
    """The demo has no certified minutes: write the body's first (seed) meeting's minutes, circulate them and
    certify them at its second meeting, through the services, so the viewer's tour reads certified minutes."""
    from app.auth.models import User
    from app.meetings.models import Meeting
    from app.minutes import services as minutes

    secretariat = db.session.scalar(select(User).where(User.email == "secretariat@demo.prachum.in.th"))
    first, second = db.session.scalars(select(Meeting).where(Meeting.body_id == body_id, Meeting.status == "held")
                                       .order_by(Meeting.starts_at).limit(2)).all()
    items = [{"agenda_item_id": item.id, "discussion": "<p>ฝ่ายเลขานุการนำเสนอที่ประชุม</p>",
              "resolution_kind": "acknowledged", "resolution": "ที่ประชุมรับทราบ"} for item in first.agenda_items]
    written = minutes.save_minutes(first, {"opened_at": "09.30", "closed_at": "12.00", "recorder": secretariat.name,
                                           "checker": secretariat.name, "items": items}, 0, secretariat)
    minutes.circulate_minutes(first, secretariat)
    minutes.certify_minutes(written, second.id, None, secretariat)


def _decisions(body_id: int, last_id: int, next_id: int, member) -> dict:
    """Issue 13's objects, made through the services: at the last (held, hybrid) meeting an open vote and a closed
    secret one with ballots, identity checks, a stay, the recording and an incident; a circulation answered by
    everyone (its result goes to the next meeting's section 4); the one-click answer links of the demo member."""
    from app.auth.models import User
    from app.circulations import services as circulations
    from app.circulations.links import circulation_token
    from app.circulations.models import Circulation
    from app.evidence import services as evidence
    from app.meetings.answer_links import answer_token
    from app.meetings.models import Meeting
    from app.thaidates import to_utc, today_bangkok
    from app.votes import services as votes

    secretariat = db.session.scalar(select(User).where(User.email == "secretariat@demo.prachum.in.th"))
    last, following = db.session.get(Meeting, last_id), db.session.get(Meeting, next_id)
    items = {item.number: item for item in last.agenda_items}
    open_vote = votes.open_vote(items["5.2"], secretariat, question="เห็นชอบแผนการขยายผลระบบ e-Saraban หรือไม่")
    secret = votes.open_vote(items["5.1"], secretariat, question="เห็นชอบปฏิทินการรายงานผลหรือไม่", secret=True)
    voters = sorted(votes.voter_rows(secret))
    for user_id, choice in zip(voters, ["เห็นชอบ", "เห็นชอบ", "ไม่เห็นชอบ", "งดออกเสียง"]):
        votes.cast_ballot(secret, secretariat, choice, for_user_id=user_id)
    votes.close_vote(secret, secretariat)
    online = [row for row in last.attendance if row.status == "online"]
    present = [row for row in last.attendance if row.status == "present"]
    evidence.check_identity(last, online[0].user_id, "video", secretariat)
    evidence.check_identity(last, present[0].user_id, "vouched", secretariat, vouched_by_id=present[1].user_id)
    evidence.add_interval(last, online[0].user_id, last.starts_at, last.ends_at)
    evidence.set_recording(last, secretariat, url="https://drive.example.go.th/recordings/wg-1.mp4", sha256="a" * 64)
    evidence.report_incident(last, secretariat, "สัญญาณภาพของผู้เข้าประชุมออนไลน์ขาดหายประมาณ 2 นาที")

    body = last.body
    circulated = circulations.circulate(body, {"title": "ขอความเห็นชอบรายชื่อผู้ประสานงานของหน่วยงาน",
                                               "question": "เห็นชอบรายชื่อผู้ประสานงานตามที่เสนอหรือไม่",
                                               "deadline": to_utc(datetime.combine(today_bangkok() + timedelta(days=5),
                                                                                   time(16, 30)))}, secretariat)
    for index, row in enumerate(list(circulated.answers)):
        answer = ("approve", None) if index % 3 else ("comment", "เห็นชอบ และขอให้แจ้งเบอร์โทรศัพท์ด้วย")
        circulations.record_answer(circulated, row.user, *answer)
    open_circulation = db.session.scalar(select(Circulation).where(Circulation.body_id == body_id,
                                                                   Circulation.state == "open"))
    return {"last_meeting": f"/meetings/{last_id}", "attendance": f"/meetings/{last_id}/attendance",
            "votes": f"/meetings/{last_id}/votes", "open_vote": f"/votes/{open_vote.id}",
            "closed_vote": f"/votes/{secret.id}", "evidence": f"/meetings/{last_id}/evidence",
            "qr": f"/meetings/{last_id}/check-in/qr", "next_meeting": f"/meetings/{last_id}/next",
            "check_in": f"/meetings/{next_id}/check-in?t="
                        + evidence.check_in_token(following, evidence.day_windows(following)[0][0]),
            "series": f"/bodies/{body_id}/meeting-series", "circulations": f"/bodies/{body_id}/circulations",
            "new_circulation": f"/bodies/{body_id}/circulations/new",
            "circulation": f"/circulations/{open_circulation.id}",
            "closed_circulation": f"/circulations/{circulated.id}",
            "agenda_item_edit": f"/agenda-items/{following.agenda_items[0].id}/edit",
            "meeting_answer": "/answer/" + answer_token(following, user=member, response="accepted"),
            "circulation_answer": "/circulations/answer/" + circulation_token(open_circulation, member, "approve")}


def _exports(round_, reporter) -> dict:
    """A finished round workbook for the secretariat and one for the reporter (the job run here, not queued)."""
    from app.auth.models import User
    from app.exports import services as exports

    secretariat = db.session.scalar(select(User).where(User.email == "secretariat@demo.prachum.in.th"))
    made = {}
    for key, user in (("export", secretariat), ("reporter_export", reporter)):
        export = exports.request_round_export(user, round_)
        db.session.commit()
        exports.build_export(export.id)
        made[key] = f"/exports/{export.id}"
    return made


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("role", list(TOURS))
def test_role_tour(open_context, places, role, size):
    context, watch = open_context(size, None if role == "anonymous" else role)
    page = context.new_page()
    problems = []
    for pattern in TOURS[role]:
        path = pattern.format(**places)
        if "None" in path:
            problems.append(f"{pattern}: the places fixture found no such object")
            continue
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
