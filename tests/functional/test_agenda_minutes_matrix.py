"""Who may open or change which agenda and minutes page: every web route of app/agenda, app/minutes and
app/exports (and the agenda's file downloads) for every role, on the demo plus five meetings in every state.

The rule: what a user may not read answers 404 (so its existence does not leak), what they may read but not
change answers 403, a change to a meeting whose minutes are certified answers 409 (its record is frozen),
and what they may do answers 200 or 302. Every request sent here changes nothing: the changes that are
allowed are sent with input that the validation refuses (422) or not sent at all (None, done by the
behaviour tests in test_agenda_web.py and test_minutes_web.py), so the database must be unchanged after
the whole matrix for every role.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from flask import g
from sqlalchemy import select

from app.agenda import services as agenda_services
from app.agenda.models import AgendaItem
from app.attachments.services import attach_file
from app.auth.models import User
from app.bodies.models import Body
from app.demo import data
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.services import schedule_meeting
from app.minutes import services as minutes_services
from tests.conftest import csrf_from
from tests.functional.test_route_crawl import changed_tables, snapshot

# admin; the secretariat; a reporter (no seat anywhere); a member of the working group; a member of another
# body (OBEC's working group); a viewer; a member of the committee above the working group.
ROLES = ("admin", "secretariat", "reporter.ict", "member", "obec.chair", "viewer", "committee.member")


@dataclass
class Scene:
    """The working group's meetings: D a new one with a draft agenda and no minutes, R (1/2563) with draft
    minutes, P (3/2563) with circulated minutes, C (2/2563) with minutes certified at 3/2563; X the OBEC
    workshop (another body, no minutes). One agenda item with a PDF in each of D, P and C."""

    ids: dict[str, int]


def demo_user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == data.email(local)))


def demo_meeting(body: Body, number: int) -> Meeting:
    return db.session.scalar(select(Meeting).where(Meeting.body_id == body.id, Meeting.number == number)
                             .order_by(Meeting.starts_at).limit(1))  # the seeds' history, not the living year


def first_item(meeting: Meeting) -> AgendaItem:
    return db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                             .order_by(AgendaItem.section, AgendaItem.position))


@pytest.fixture
def scene(app, demo) -> Scene:
    secretariat = demo_user("secretariat")
    wg = db.session.scalar(select(Body).where(Body.name == data.WORKING_GROUP_NAME))
    obec = db.session.scalar(select(Body).where(Body.name == data.OBEC_BODY_NAME))
    with app.test_request_context():
        g._login_user = secretariat  # the audit events name the secretariat, as if signed in
        draft = schedule_meeting(wg, {"starts_at": "2020-09-24T09:30", "ends_at": "2020-09-24T12:00",
                                      "mode": "onsite", "venue": data.CHANTHARAKASEM}, notify=False).meeting
        d_item = agenda_services.add_item(draft, {"section": 4, "title": "วาระที่ยังไม่เผยแพร่"})
        r, c, p = (demo_meeting(wg, n) for n in (1, 2, 3))
        p_item, c_item = first_item(p), first_item(c)
        files = {key: attach_file(io.BytesIO(b"%PDF-1.4 matrix"), f"{key}.pdf", agenda_item_id=item.id,
                                  user=secretariat).id
                 for key, item in (("d_file", d_item), ("p_file", p_item), ("c_file", c_item))}
        for meeting in (r, p, c):
            minutes_services.save_minutes(meeting, {"recorder": "นางสาวพิมพ์ชนก", "items": []}, 0, secretariat)
        minutes_services.circulate_minutes(p, secretariat)
        minutes_services.circulate_minutes(c, secretariat)
        minutes_services.certify_minutes(minutes_services.minutes_of(c), p.id, None, secretariat)
        db.session.commit()
        ids = {"D": draft.id, "R": r.id, "P": p.id, "C": c.id, "X": demo_meeting(obec, 1).id,
               "d_item": d_item.id, "p_item": p_item.id, "c_item": c_item.id, **files}
        for key in ("R", "P", "C"):
            ids[f"{key}_version"] = minutes_services.minutes_of(db.session.get(Meeting, ids[key])).version
    assert [db.session.get(Meeting, ids[k]).minutes.state for k in ("R", "P", "C")] == ["draft", "circulated",
                                                                                        "certified"]
    return Scene(ids)


ADD_ITEM = {"new-section": "4", "new-title": ""}          # no title: 422 for whoever may add
EDIT_ITEM = {"section": "4", "title": ""}                  # likewise
NO_FILE = {"url": ""}                                      # nothing to attach
BAD_MINUTES = {"opened_at": "25:99", "version": "{v}"}     # no such time of day: 422
NO_COMMENT = {"body": ""}                                  # allowed commenters get the message (302)
NOWHERE = {"at_meeting_id": "999999"}                      # certify at a meeting that does not exist
SAVE_NEW = {"opened_at": "25:99", "version": "0"}
E = None  # not sent for this role: it would change something (the behaviour tests do it)
A = (403, 409)  # readers asking to change a certified record: either refusal is right
N = (403, 404)  # the secretariat commenting on minutes that do not exist: either refusal is right

# (method, url, body, statuses for ROLES:)
#      admin  secr  rep  member obec  viewer committee
MATRIX: list[tuple[str, str, dict | None, tuple]] = [
    # --- the agenda page (and its add-item form) -----------------------------------------------------
    ("GET", "/meetings/{D}/agenda", None,                     (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{R}/agenda", None,                     (200, 200, 404, 200, 404, 200, 200)),
    ("GET", "/meetings/{C}/agenda", None,                     (200, 200, 404, 200, 404, 200, 200)),
    ("GET", "/meetings/{X}/agenda", None,                     (200, 200, 404, 404, 200, 200, 404)),
    ("GET", "/meetings/999999/agenda", None,                  (404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/2147483648/agenda", None,              (404, 404, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{D}/agenda", ADD_ITEM,                (422, 422, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{P}/agenda", ADD_ITEM,                (422, 422, 404, 403, 404, 403, 403)),
    ("POST", "/meetings/{C}/agenda", ADD_ITEM,                (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/meetings/{X}/agenda", ADD_ITEM,                (422, 422, 404, 404, 403, 403, 404)),
    ("GET", "/meetings/{D}/agenda.docx", None,                (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{P}/agenda.docx", None,                (200, 200, 404, 200, 404, 200, 200)),
    ("GET", "/meetings/{X}/agenda.docx", None,                (200, 200, 404, 404, 200, 200, 404)),
    ("POST", "/meetings/{D}/agenda/publish", {},              (E, E, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{P}/agenda/publish", {},              (E, E, 404, 403, 404, 403, 403)),
    ("POST", "/meetings/{C}/agenda/publish", {},              (409, 409, 404, 403, 404, 403, 403)),
    # --- one agenda item ------------------------------------------------------------------------------
    ("GET", "/agenda-items/{d_item}/edit", None,              (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/agenda-items/{p_item}/edit", None,              (200, 200, 404, 403, 404, 403, 403)),
    ("GET", "/agenda-items/{c_item}/edit", None,              (A, A, 404, 403, 404, 403, 403)),
    ("GET", "/agenda-items/999999/edit", None,                (404, 404, 404, 404, 404, 404, 404)),
    ("POST", "/agenda-items/{d_item}/edit", EDIT_ITEM,        (422, 422, 404, 404, 404, 404, 404)),
    ("POST", "/agenda-items/{p_item}/edit", EDIT_ITEM,        (422, 422, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/{c_item}/edit", EDIT_ITEM,        (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/{d_item}/move", {"direction": "up"}, (E, E, 404, 404, 404, 404, 404)),
    ("POST", "/agenda-items/{p_item}/move", {"direction": "up"}, (E, E, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/{c_item}/move", {"direction": "up"}, (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/{d_item}/delete", {},             (E, E, 404, 404, 404, 404, 404)),
    ("POST", "/agenda-items/{p_item}/delete", {},             (E, E, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/{c_item}/delete", {},             (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/999999/delete", {},               (404, 404, 404, 404, 404, 404, 404)),
    ("POST", "/agenda-items/{d_item}/attachments", NO_FILE,   (E, E, 404, 404, 404, 404, 404)),
    ("POST", "/agenda-items/{p_item}/attachments", NO_FILE,   (E, E, 404, 403, 404, 403, 403)),
    ("POST", "/agenda-items/{c_item}/attachments", NO_FILE,   (409, 409, 404, 403, 404, 403, 403)),
    # --- an item's files --------------------------------------------------------------------------------
    ("GET", "/attachments/{d_file}", None,                    (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/attachments/{p_file}", None,                    (200, 200, 404, 200, 404, 200, 200)),
    ("GET", "/attachments/{c_file}", None,                    (200, 200, 404, 200, 404, 200, 200)),
    ("POST", "/attachments/{d_file}/delete", {},              (E, E, 404, 404, 404, 404, 404)),
    ("POST", "/attachments/{p_file}/delete", {},              (E, E, 404, 403, 404, 403, 403)),
    ("POST", "/attachments/{c_file}/delete", {},              (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/attachments/999999/delete", {},                (404, 404, 404, 404, 404, 404, 404)),
    # --- the minutes page (and the secretariat's form) ----------------------------------------------------
    ("GET", "/meetings/{D}/minutes", None,                    (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{R}/minutes", None,                    (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{P}/minutes", None,                    (200, 200, 404, 200, 404, 404, 200)),
    ("GET", "/meetings/{C}/minutes", None,                    (200, 200, 404, 200, 404, 200, 200)),
    ("GET", "/meetings/{X}/minutes", None,                    (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/999999/minutes", None,                 (404, 404, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{D}/minutes", SAVE_NEW,               (422, 422, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{R}/minutes", BAD_MINUTES,            (422, 422, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{P}/minutes", BAD_MINUTES,            (422, 422, 404, 403, 404, 404, 403)),
    ("POST", "/meetings/{C}/minutes", BAD_MINUTES,            (409, 409, 404, 403, 404, 403, 403)),
    ("GET", "/meetings/{R}/minutes/history", None,            (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{P}/minutes/history", None,            (200, 200, 404, 200, 404, 404, 200)),
    ("GET", "/meetings/{C}/minutes/history", None,            (200, 200, 404, 200, 404, 200, 200)),
    ("GET", "/meetings/{D}/minutes/history", None,            (404, 404, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{R}/minutes.docx", None,               (200, 200, 404, 404, 404, 404, 404)),
    ("GET", "/meetings/{P}/minutes.docx", None,               (200, 200, 404, 200, 404, 404, 200)),
    ("GET", "/meetings/{C}/minutes.docx", None,               (200, 200, 404, 200, 404, 200, 200)),
    # --- circulating, certifying, commenting ---------------------------------------------------------------
    ("POST", "/meetings/{R}/minutes/circulate", {},           (E, E, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{P}/minutes/circulate", {},           (E, E, 404, 403, 404, 404, 403)),
    ("POST", "/meetings/{C}/minutes/circulate", {},           (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/meetings/{P}/minutes/certify", NOWHERE,        (E, E, 404, 403, 404, 404, 403)),
    ("POST", "/meetings/{C}/minutes/certify", NOWHERE,        (409, 409, 404, 403, 404, 403, 403)),
    ("POST", "/meetings/{R}/minutes/comments", NO_COMMENT,    (403, 403, 404, 404, 404, 404, 404)),
    ("POST", "/meetings/{P}/minutes/comments", NO_COMMENT,    (302, 302, 404, 302, 404, 404, 302)),
    ("POST", "/meetings/{C}/minutes/comments", NO_COMMENT,    (A, A, 404, A, 404, A, A)),
    ("POST", "/meetings/{D}/minutes/comments", NO_COMMENT,    (N, N, 404, 404, 404, 404, 404)),
]


def requests_for(client, ids: dict, role: str) -> list[tuple]:
    """Send every request of the matrix the role is expected to answer; the ones answered otherwise."""
    token = csrf_from(client.get("/").get_data(as_text=True))
    wrong = []
    for method, template, body, statuses in MATRIX:
        expected = statuses[ROLES.index(role)]
        if expected is None:
            continue
        url = template.format(**ids)
        if method == "GET":
            response = client.get(url)
        else:
            version = ids.get(f"{template.split('{')[-1][0]}_version", 0)  # of the meeting in the URL
            form = {key: value.format(v=version) for key, value in (body or {}).items()}
            response = client.post(url, data={"csrf_token": token, **form})
        if response.status_code not in (expected if isinstance(expected, tuple) else (expected,)):
            wrong.append((role, method, template, response.status_code, expected))
    return wrong


def test_agenda_and_minutes_routes_for_every_role(app, scene, login):
    """One scene, every role in its own signed-in client (the scene is the slow part)."""
    clients = {}
    for role in ROLES:  # signing in writes (the sign-in and its audit event): before the snapshot
        clients[role] = app.test_client()
        login(demo_user(role), app.config["DEMO_PASSWORD"], c=clients[role])
    before = snapshot()
    wrong = []
    for role in ROLES:
        wrong += requests_for(clients[role], scene.ids, role)
    assert wrong == [], "\n".join(map(str, wrong))
    changes = changed_tables(before, snapshot())
    assert changes == {}, changes


def test_a_signed_out_user_is_sent_to_login_from_every_route(client, scene):
    """The crawl (test_route_crawl.py) checks every route with id 1; here the real ids of every state."""
    wrong = []
    token = csrf_from(client.get("/login").get_data(as_text=True))
    before = snapshot()
    for method, template, body, _statuses in MATRIX:
        url = template.format(**scene.ids)
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token, **(body or {})})
        if "2147483648" in url and response.status_code == 404:  # no route takes an id beyond the integer keys
            continue
        if response.status_code != 302 or "/login" not in response.location:
            wrong.append((method, template, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    changes = changed_tables(before, snapshot())
    assert changes == {}, changes
