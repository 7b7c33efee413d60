"""The home page says what to do now, per role, most urgent first, with the same tasks in GET /api/v1/me/todo;
the living demo gives every demo account work on the first visit."""
from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app import thaidates
from app.auth.models import User
from app.bodies.models import Membership
from app.dbtypes import utcnow
from app.demo import data
from app.demo.living import COMMENT_DAYS_LEFT, ROUND_DUE_IN_DAYS
from app.extensions import db
from app.meetings.models import Meeting, Rsvp
from app.minutes.models import ActionItem
from tests.conftest import csrf_from

DEMO_HOMES = ("member", "reporter.ict", "secretariat", "chair", "committee.member", "viewer", "admin")
TASK_RE = re.compile(r'<section class="card[^"]*" id="todo-([a-z_]+)"')
LINK_RE = re.compile(r'<a href="(/[^"#]*)[^"]*"[^>]*class="[^"]*todo-link')


def demo_user(key: str) -> User:
    return db.session.scalar(select(User).where(User.email == data.email(key)))


def signed_in(app, login, key: str):
    return login(demo_user(key), app.config["DEMO_PASSWORD"], c=app.test_client())


def page(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def task_section(html: str, kind: str) -> str:
    """The HTML of one task's card."""
    start = html.index(f'id="todo-{kind}"')
    end = html.find('<section class="card', start)
    return html[start:end if end > 0 else len(html)]


def living_meetings() -> tuple[Meeting, Meeting]:
    """The working group's last (held) and next (scheduled) meetings of the living demo."""
    body_id = demo_user("member").memberships[0].body_id
    meetings = db.session.scalars(select(Meeting).where(Meeting.body_id == body_id)
                                  .order_by(Meeting.starts_at.desc()).limit(2)).all()
    return meetings[1], meetings[0]


def has_route(app, path: str) -> bool:
    return any(rule.rule.rstrip("/") == path.rstrip("/") for rule in app.url_map.iter_rules())


@pytest.mark.parametrize("key", DEMO_HOMES)
def test_every_demo_account_has_work_with_working_links(app, demo, login, key):
    client = signed_in(app, login, key)
    html = page(client)
    assert TASK_RE.findall(html), key
    assert "ไม่มีเรื่องที่ต้องทำในตอนนี้" not in html
    links = {html_lib.unescape(link) for link in LINK_RE.findall(html)}
    assert links
    for link in sorted(links):
        if link.startswith("/actions") and not has_route(app, "/actions"):
            continue  # the actions page is being built alongside
        assert client.get(link, follow_redirects=True).status_code == 200, (key, link)


def test_members_phone_home_shows_next_weeks_meeting_with_answer_buttons_and_minutes_to_comment(app, demo, login):
    client = signed_in(app, login, "member")
    html = page(client)
    last, upcoming = living_meetings()
    today = thaidates.today_bangkok()
    days = (thaidates.bangkok_date(upcoming.starts_at) - today).days
    assert 7 <= days <= 9  # next week, on a weekday
    # The two most urgent tasks come first in the page itself (a phone shows them first): the minutes' deadline
    # is nearer than the meeting.
    assert TASK_RE.findall(html)[:2] == ["minutes_comment", "meetings_answer"]
    minutes = task_section(html, "minutes_comment")
    assert last.title in minutes and f"/meetings/{last.id}/minutes" in minutes
    deadline = today + timedelta(days=COMMENT_DAYS_LEFT)
    assert f"ให้ความเห็นได้ถึง {thaidates.thai_date(deadline)}" in minutes
    assert f"อีก {COMMENT_DAYS_LEFT} วัน" in minutes
    answers = task_section(html, "meetings_answer")
    assert upcoming.title in answers and "ยังไม่ตอบ" in answers
    form = answers[answers.index(f'action="/meetings/{upcoming.id}/rsvp"'):]
    for value, label in (("accepted", "เข้าร่วม"), ("declined", "ไม่เข้าร่วม"), ("tentative", "ยังไม่แน่ใจ")):
        assert re.search(rf'name="rsvp-response" value="{value}"[^>]*aria-pressed="false">{label}</button>', form)
    assert f'href="/meetings/{upcoming.id}#rsvp"' in form  # a delegate's name is given on the meeting page
    assert f"/meetings/{upcoming.id}/agenda" in task_section(html, "agendas")


def test_an_answer_button_records_the_answer_through_the_meeting_rsvp(app, demo, login):
    client = signed_in(app, login, "member")
    html = page(client)
    _last, upcoming = living_meetings()
    member = demo_user("member")
    response = client.post(f"/meetings/{upcoming.id}/rsvp",
                           data={"rsvp-csrf_token": csrf_from(html), "rsvp-response": "accepted"})
    assert response.status_code == 302
    rsvp = db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == upcoming.id, Rsvp.user_id == member.id))
    assert rsvp.response == "accepted"
    answers = task_section(page(client), "meetings_answer")
    assert re.search(r'value="accepted"[^>]*aria-pressed="true"', answers)
    assert "เข้าร่วมประชุม" in answers


def test_reporters_home_has_late_returned_and_due_reports_and_the_units_overdue_action(app, demo, login):
    html = page(signed_in(app, login, "reporter.ict"))
    kinds = TASK_RE.findall(html)
    assert {"reports_returned", "reports_due", "actions_unit"} <= set(kinds)
    assert kinds.index("reports_returned") < kinds.index("reports_due")
    due = task_section(html, "reports_due")
    assert f"อีก {ROUND_DUE_IN_DAYS} วัน" in due and "/reports/new?round=" in due
    returned = task_section(html, "reports_returned")
    assert "กรุณาระบุผลการดำเนินงาน" in returned and re.search(r"/reports/\d+/edit", returned)
    assert "เลยกำหนด" in task_section(html, "actions_unit")


def test_secretariat_home_counts_answers_reviews_minutes_actions_and_rounds(app, demo, login):
    html = page(signed_in(app, login, "secretariat"))
    kinds = TASK_RE.findall(html)
    assert {"answers_pending", "reports_review", "minutes_certify", "actions_overdue", "rounds_closing",
            "plans"} <= set(kinds)
    _last, upcoming = living_meetings()
    invited = db.session.scalar(select(func.count()).select_from(Membership)
                                .where(Membership.body_id == upcoming.body_id))
    answered = db.session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.meeting_id == upcoming.id))
    assert 0 < answered < invited
    assert f"ยังไม่ตอบ {invited - answered} จาก {invited} คน" in task_section(html, "answers_pending")
    overdue = db.session.scalars(select(ActionItem).where(ActionItem.due_date < thaidates.today_bangkok())).all()
    assert overdue and overdue[0].description in task_section(html, "actions_overdue")
    assert kinds[-1] == "plans"  # no date: after everything that has one


def test_api_todo_returns_the_homes_tasks_in_the_same_order(app, demo, login, token_for):
    member = demo_user("member")
    html = page(signed_in(app, login, "member"))
    response = app.test_client().get("/api/v1/me/todo", headers=token_for(member))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [t["kind"] for t in items] == TASK_RE.findall(html)
    minutes = items[0]
    assert minutes["kind"] == "minutes_comment" and minutes["days_left"] == COMMENT_DAYS_LEFT
    _last, upcoming = living_meetings()
    meeting = next(t for t in items if t["kind"] == "meetings_answer")["entries"][0]
    assert meeting["meeting_id"] == upcoming.id and meeting["can_answer"] and meeting["state"] is None
    assert meeting["url"] == f"/meetings/{upcoming.id}"


@pytest.mark.parametrize("role", ["member", "reporter", "secretariat", "admin", "viewer"])
def test_api_todo_for_every_role(app, make_user, token_for, role):
    user = make_user(role)
    response = app.test_client().get("/api/v1/me/todo", headers=token_for(user))
    assert response.status_code == 200
    assert response.get_json() == {"items": []}


def test_api_todo_needs_sign_in(client):
    response = client.get("/api/v1/me/todo")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_home_with_nothing_to_do_says_so(make_user, login):
    html = page(login(make_user("member")))
    assert "ไม่มีเรื่องที่ต้องทำในตอนนี้" in html


def count_queries(client, url: str) -> int:
    statements = []
    engine = db.engine

    def seen(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        page(client, url)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return len(statements)


@pytest.mark.parametrize("key", ["member", "secretariat", "reporter.ict"])
def test_home_queries_do_not_grow_with_the_data(app, demo, login, key):
    client = signed_in(app, login, key)
    page(client)
    before = count_queries(client, "/")
    _last, upcoming = living_meetings()
    for n in range(1, 6):  # five more upcoming meetings, each with answers
        extra = Meeting(body_id=upcoming.body_id, year_be=upcoming.year_be + 1, number=n, title=f"เพิ่ม {n}",
                        starts_at=upcoming.starts_at + timedelta(days=n), ends_at=upcoming.ends_at + timedelta(days=n),
                        uid=f"extra-{n}@test", agenda_state="published", chair_id=upcoming.chair_id)
        db.session.add(extra)
        db.session.flush()
        for rsvp in upcoming.rsvps:
            db.session.add(Rsvp(meeting_id=extra.id, user_id=rsvp.user_id, response="accepted"))
    db.session.commit()
    assert count_queries(client, "/") == before


def test_the_secretariats_tasks_are_kept_until_the_record_changes_or_the_minute_passes(app, demo, login,
                                                                                       shared_cache, monkeypatch):
    from app.main import todo
    from app.meetings import services as meetings

    computed: list[str] = []
    answers_pending = todo.answers_pending
    monkeypatch.setattr(todo, "answers_pending", lambda *a: computed.append("answers") or answers_pending(*a))
    client = signed_in(app, login, "secretariat")
    _last, upcoming = living_meetings()
    pending = f"ยังไม่ตอบ {len(upcoming.body.memberships) - len(upcoming.rsvps)} จาก"
    assert pending in task_section(page(client), "answers_pending")
    page(client)
    assert computed == ["answers"]  # the second visit within the minute read the kept tasks
    answered = {r.user_id for r in upcoming.rsvps}
    member = next(m.user for m in upcoming.body.memberships if m.user_id not in answered)
    meetings.record_rsvp(upcoming, member, "accepted")  # audited: a new version of the record
    db.session.commit()
    after = page(client)
    assert computed == ["answers", "answers"]
    fewer = f"ยังไม่ตอบ {len(upcoming.body.memberships) - len(answered) - 1} จาก"
    assert fewer in task_section(after, "answers_pending")
    secretariat = demo_user("secretariat")
    with app.test_request_context("/"):
        later = utcnow().replace(second=30) + timedelta(minutes=1)
        todo.tasks_for(secretariat, now=later)
        todo.tasks_for(secretariat, now=later.replace(second=59))
        assert len(computed) == 3  # the next minute: computed again (meetings ending, days passing), once
        todo.tasks_for(secretariat, now=later + timedelta(minutes=1))
        assert len(computed) == 4
