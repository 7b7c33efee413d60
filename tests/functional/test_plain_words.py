"""Plain words: no page shows a raw code (answers, states, resolution kinds, audit actions, object types, unit
codes) in Thai or in English; "behind plan" and "submitted late" are different words in different colours; a
refusal says why and links back; the language switch returns to the same page with its query, never elsewhere."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app import labels
from app.agenda.models import ITEM_KINDS
from app.auth.models import ROLES, User
from app.bodies.models import BODY_KINDS, NUMBERING_BASES, POSITIONS, Unit
from app.demo import data
from app.extensions import db
from app.meetings.models import (
    AGENDA_STATES,
    ATTENDANCE_STATUSES,
    MEETING_MODES,
    MEETING_STATUSES,
    RSVP_RESPONSES,
    Meeting,
)
from app.minutes.models import ACTION_STATUSES, MINUTES_STATES, RESOLUTION_KINDS, Minutes
from app.reports.models import PROGRESS_STATUSES, REPORT_STATES, ROUND_STATUSES
from tests.conftest import csrf_from

ENUMS = (ROLES, BODY_KINDS, NUMBERING_BASES, POSITIONS, ITEM_KINDS, AGENDA_STATES, ATTENDANCE_STATUSES, MEETING_MODES,
         MEETING_STATUSES, RSVP_RESPONSES, ACTION_STATUSES, MINUTES_STATES, RESOLUTION_KINDS, PROGRESS_STATUSES,
         REPORT_STATES, ROUND_STATUSES)
CODES = sorted({code for table in labels.CODE_TABLES for code in table} | {code for enum in ENUMS for code in enum})
# English words are fine on English pages ("Draft", "online"); compound codes (not_started, user.login) never are.
COMPOUND_CODES = [code for code in CODES if "_" in code or "." in code]
UNIT_CODES = [*data.REPORTING_UNITS, "PSDG"]  # (OBEC is also the name of a TV channel in the demo's meetings)
# Pages where a unit's code is the thing shown and edited (the admin's list of units and its form).
UNIT_CODE_PAGES = ("/admin/units",)
ROLE_ACCOUNTS = ("member", "reporter.ict", "secretariat", "admin", "viewer")


class VisibleText(HTMLParser):
    """The text a person reads: no script, style or typed-in textarea, no attribute (tooltips included)."""

    HIDDEN = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, text):
        if not self.hidden:
            self.parts.append(text)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def code_pattern(codes: list[str]) -> re.Pattern:
    """A code as a whole token (not part of a longer word, an e-mail address or a file name)."""
    words = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.@/-])(?:{words})(?![\w@/-]|\.\w)")


THAI_PAGE_CODES = code_pattern(CODES)
ENGLISH_PAGE_CODES = code_pattern(COMPOUND_CODES)
UNIT_CODE = code_pattern(UNIT_CODES)


def demo_user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == data.email(local)))


@pytest.fixture
def sign_in(app, login):
    def do(local: str, client=None):
        return login(demo_user(local), app.config["DEMO_PASSWORD"], c=client)

    return do


@pytest.fixture
def busy_demo(demo):
    """The demo with answers of every kind and an attendance list, so those words appear on the pages."""
    from app import authz
    from app.meetings import services as meeting_services

    member = demo_user("member")
    meeting = next(m for m in db.session.scalars(select(Meeting).order_by(Meeting.starts_at.desc()))
                   if authz.can_rsvp(member, m))
    meeting_services.record_rsvp(meeting, member, "delegated", "นางสาวผู้แทน ทดสอบ")
    db.session.commit()
    return meeting


def pages() -> list[str]:
    """The main pages of every role, on demo objects: each meeting with its agenda and minutes, the 9-month round."""
    from app.reports.models import ProgressReport, ReportingRound

    round_ = db.session.scalar(select(ReportingRound).where(ReportingRound.fiscal_year_be == 2563,
                                                            ReportingRound.months == 9))
    report = db.session.scalar(select(ProgressReport.id).where(ProgressReport.round_id == round_.id,
                                                               ProgressReport.state == "submitted"))
    urls = ["/", "/meetings/", "/bodies", "/bodies/1", "/bodies/2", "/reports/mine", "/reports/review",
            "/reports/dashboard", "/plans", "/plans/1", f"/rounds/{round_.id}", f"/reports/{report}",
            f"/reports/{report}/history", "/actions", "/assessment", "/admin/audit", "/admin/users", "/profile",
            "/search?q=%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99"]
    for meeting_id in db.session.scalars(select(Meeting.id).order_by(Meeting.id)):
        urls += [f"/meetings/{meeting_id}", f"/meetings/{meeting_id}/agenda", f"/meetings/{meeting_id}/minutes"]
    minuted = db.session.scalar(select(Minutes.meeting_id).order_by(Minutes.meeting_id))
    urls += [f"/meetings/{minuted}/attendance", f"/meetings/{minuted}/minutes/history"]
    return urls


def raw_codes_on(client, urls: list[str], lang: str) -> list[tuple[str, str]]:
    """(url, code) for every raw code shown as text on the pages, in that language."""
    client.get(f"/language/{lang}?next=/")
    pattern = THAI_PAGE_CODES if lang == "th" else ENGLISH_PAGE_CODES
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text = visible_text(response.get_data(as_text=True))
        found += [(url, code) for code in sorted(set(pattern.findall(text)))]
        if not url.startswith(UNIT_CODE_PAGES):
            found += [(url, code) for code in sorted(set(UNIT_CODE.findall(text)))]
    return found


def test_no_page_shows_a_raw_code_in_thai_or_english(app, busy_demo, sign_in):
    urls = pages()
    assert len(urls) > 30
    shown = {}
    for local in ROLE_ACCOUNTS:
        client = sign_in(local, app.test_client())
        for lang in ("th", "en"):
            shown[local, lang] = raw_codes_on(client, urls, lang)
    assert {k: v for k, v in shown.items() if v} == {}


def test_the_audit_log_names_actions_and_records_in_words(app, client, busy_demo, sign_in):
    sign_in("admin")
    html = client.get("/admin/audit").get_data(as_text=True)
    text = visible_text(html)
    assert str(labels.AUDIT_ACTION_LABELS["user.login"]) in text and "user.login" not in text
    assert str(labels.AUDIT_ACTION_LABELS["meeting.rsvp"]) in text
    assert "มอบหมายผู้แทน" in text and "delegated" not in text  # the answer in the summary, in words
    assert 'title="user.login"' in html  # the code is still there, as a tooltip


def test_every_audited_action_has_words():
    """Each "area.verb" the code records has a label, so the audit log never shows a bare code."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("app").rglob("*.py"))
    recorded = set(re.findall(r'record(?:_regardless)?\(\s*"([a-z_]+(?:\.[a-z_]+)+)"', source))
    recorded |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)+)"', source))
    recorded |= set(re.findall(r'"(round\.(?:close|reopen|update))"', source))
    assert len(recorded) > 40
    assert sorted(recorded - labels.AUDIT_ACTION_LABELS.keys()) == []


def test_every_code_of_every_enumeration_has_words():
    tables = [
        ("RSVP", labels.RSVP_LABELS, RSVP_RESPONSES), ("MEETING_STATUS", labels.MEETING_STATUS_LABELS, MEETING_STATUSES),
        ("AGENDA_STATE", labels.AGENDA_STATE_LABELS, AGENDA_STATES),
        ("ATTENDANCE", labels.ATTENDANCE_LABELS, ATTENDANCE_STATUSES),
        ("MINUTES_STATE", labels.MINUTES_STATE_LABELS, MINUTES_STATES),
        ("RESOLUTION_KIND", labels.RESOLUTION_KIND_LABELS, RESOLUTION_KINDS),
        ("ACTION_STATUS", labels.ACTION_STATUS_LABELS, ACTION_STATUSES),
        ("PROGRESS_STATUS", labels.PROGRESS_STATUS_LABELS, PROGRESS_STATUSES),
        ("REPORT_STATE", labels.REPORT_STATE_LABELS, REPORT_STATES),
        ("ROUND_STATUS", labels.ROUND_STATUS_LABELS, ROUND_STATUSES),
        ("AGENDA_SECTION", labels.AGENDA_SECTION_LABELS, ITEM_KINDS), ("ROLE", labels.ROLE_LABELS, ROLES),
        ("POSITION", labels.POSITION_LABELS, POSITIONS), ("MODE", labels.MODE_LABELS, MEETING_MODES),
    ]
    assert {name: sorted(set(codes) - table.keys()) for name, table, codes in tables} == \
        {name: [] for name, _table, _codes in tables}


# --- behind plan is not submitted late ------------------------------------------------------------------------

def test_behind_plan_and_submitted_late_are_different_words_and_colours(app):
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("th"):
        assert str(labels.PROGRESS_STATUS_LABELS["delayed"]) == "ล่าช้ากว่าแผน"
        assert str(labels.LATE_LABEL) == "ส่งช้า"
    with app.test_request_context("/"), force_locale("en"):
        assert str(labels.PROGRESS_STATUS_LABELS["delayed"]) == "Behind plan"
        assert str(labels.LATE_LABEL) == "Submitted late"
    assert labels.LATE_COLOUR != labels.STATUS_COLOURS["delayed"]
    assert labels.LATE_COLOUR not in labels.STATUS_COLOURS.values()


def test_the_round_page_marks_late_reports_apart_from_delayed_ones(app, client, demo, sign_in):
    from app.reports.models import ReportingRound

    sign_in("secretariat")
    round_ = db.session.scalar(select(ReportingRound).where(ReportingRound.fiscal_year_be == 2563,
                                                            ReportingRound.months == 9))
    html = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    late_badge = f'<span class="badge bg-{labels.LATE_COLOUR}">ส่งช้า</span>'
    delayed_badge = '<span class="badge bg-danger">ล่าช้ากว่าแผน</span>'
    assert late_badge in html and delayed_badge in html
    assert re.search(r"ล่าช้า(?!กว่าแผน)", visible_text(html)) is None  # the bare word is gone


# --- refusals explain themselves -------------------------------------------------------------------------------

def test_a_member_opening_draft_minutes_reads_why_with_a_link_back(app, client, demo, sign_in):
    member = demo_user("member")
    bodies = {m.body_id for m in member.memberships}
    meeting = db.session.scalars(select(Meeting).where(Meeting.body_id.in_(bodies)).order_by(Meeting.id)).first()
    minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, state="draft")
        db.session.add(minutes)
    minutes.state = "draft"
    db.session.commit()
    sign_in("member")
    response = client.get(f"/meetings/{meeting.id}/minutes")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert re.search(r'id="error-reason">\s*ร่างรายงานการประชุมยังไม่ได้เวียนให้กรรมการ\s*<', html)
    assert re.search(rf'id="error-back" href="/meetings/{meeting.id}">กลับไปหน้าการประชุม<', html)
    assert "คุณไม่มีสิทธิ์เข้าถึงส่วนนี้" not in html


def test_a_bare_refusal_names_the_role_that_may_not(app, client, demo, sign_in):
    sign_in("member")
    response = client.get("/admin/audit")
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 403
    assert "กรรมการ/คณะทำงาน" in text and "ไม่มีสิทธิ์" in text


# --- the language switch keeps the page -----------------------------------------------------------------------

def test_the_language_switch_returns_to_the_same_page_and_query(app, client, demo, sign_in):
    sign_in("reporter.ict")
    target = "/reports/mine?round=3&sub_item=5"
    html = client.get(target).get_data(as_text=True)
    link = re.search(r'href="(/language/en\?next=[^"]+)"[^>]*data-keep-form', html)
    assert link, "the navbar's switch links through /language/en with this page as next"
    switch = link.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(switch).query)["next"] == [target]
    response = client.get(switch)
    assert response.status_code == 303 and response.location == target
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert client.get("/").get_data(as_text=True).count('<html lang="en">') == 1  # remembered in the session


def test_the_switch_drops_an_old_lang_parameter(client):
    response = client.get("/language/th?next=/login%3Flang%3Den%26next%3D%252Freports%252Fmine")
    assert response.status_code == 303
    assert response.location == "/login?next=%2Freports%2Fmine"
    assert '<html lang="th">' in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize("next_", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "http:/evil.example", "\t//evil.example",
    "/\t/evil.example", "javascript:alert(1)", "",
])
def test_the_switch_never_leaves_the_site(client, next_):
    response = client.get("/language/en", query_string={"next": next_})
    assert response.status_code == 303
    target = urlsplit(response.location)
    assert not target.scheme and not target.netloc and response.location == "/"


def test_an_unknown_language_is_not_found_and_changes_nothing(client):
    assert client.get("/language/fr?next=/login").status_code == 404
    assert '<html lang="th">' in client.get("/login").get_data(as_text=True)


def test_the_switch_works_before_signing_in(client):
    login_page = client.get("/login?next=%2Fmeetings%2F").get_data(as_text=True)
    switch = re.search(r'href="(/language/en\?next=[^"]+)"', login_page).group(1).replace("&amp;", "&")
    response = client.get(switch)
    assert response.location == "/login?next=%2Fmeetings%2F"
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    assert csrf_from(page)


def test_no_form_value_is_kept_for_passwords_or_tokens():
    """keep-form.js (the typed text across the switch) never stores passwords, files or hidden fields."""
    script = Path("static/js/keep-form.js").read_text(encoding="utf-8")
    skipped = re.search(r"SKIPPED = \{([^}]*)\}", script).group(1)
    assert all(kind in skipped for kind in ("password", "file", "hidden"))
    assert "sessionStorage" in script and "localStorage" not in script


# --- the English UI -------------------------------------------------------------------------------------------

def test_the_english_ui_names_sections_resolutions_actions_and_units(app, client, demo, sign_in):
    from app import authz

    sign_in("secretariat")
    client.get("/language/en?next=/")
    meeting = next(m for m in db.session.scalars(select(Meeting).order_by(Meeting.starts_at.desc()))
                   if m.status != "cancelled" and not authz.meeting_record_frozen(m))
    agenda = visible_text(client.get(f"/meetings/{meeting.id}/agenda").get_data(as_text=True))
    for section in ("Matters announced by the Chair", "Certification of the minutes",
                    "Matters arising from the previous meeting", "Matters for information",
                    "Matters for consideration", "Other matters"):
        assert section in agenda
    minutes = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    for kind in ("Acknowledged", "Approved", "Rejected", "Approved with changes", "Assigned"):
        assert f">{kind}</option>" in minutes
    detail = visible_text(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))
    assert "Postpone" in detail and "Postponed" not in detail
    admin = sign_in("admin", app.test_client())
    admin.get("/language/en?next=/")
    assert ">Units</a>" in admin.get("/admin/units").get_data(as_text=True)
