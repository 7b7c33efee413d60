"""Security headers and CSRF: a Content-Security-Policy with no inline script or style on every page,
framing refused, no MIME sniffing, a referrer policy, HSTS only in production; templates that need no
inline code; and the API's CSRF check skipped only for requests a valid bearer token signed in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import csrf_from
from tests.functional.test_api_core import assert_error

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SCRIPT = (ROOT / "static" / "js" / "prachum.js").read_text("utf-8")
DEMO_PASSWORD = "prachum-demo"


def policy(response) -> dict[str, set[str]]:
    """The response's Content-Security-Policy as {directive: {sources}}."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request.path}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_protected(response) -> None:
    """Every security header, and a policy that runs script only from this site."""
    csp = policy(response)
    assert csp["script-src"] == {"'self'"}, csp["script-src"]
    assert csp["default-src"] == {"'self'"} and csp["object-src"] == {"'none'"} and csp["base-uri"] == {"'self'"}
    assert csp["frame-ancestors"] == {"'none'"} and csp["form-action"] == {"'self'"}
    assert csp["style-src"] == {"'self'"}, csp["style-src"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert "Strict-Transport-Security" not in response.headers  # only in production


# What the policy would block in a page: <script> with code, <style> blocks, style="" and on…="" handlers.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""[\s"'/]style\s*=""", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"""[\s"'/]on[a-z]+\s*=""", re.IGNORECASE)
INLINE = {"inline <script>": INLINE_SCRIPT, "<style> block": STYLE_BLOCK, "style= attribute": STYLE_ATTRIBUTE,
          "on…= handler": HANDLER_ATTRIBUTE}


def inline_code(html: str) -> list[str]:
    """Every piece of the page that a policy without 'unsafe-inline' would refuse."""
    return [f"{what}: {match.group()!r} at {html[max(0, match.start() - 60):match.end() + 20]!r}"
            for what, pattern in INLINE.items() for match in pattern.finditer(html)]


@pytest.mark.parametrize("html,found", [
    ('<script>alert(1)</script>', "inline <script>"),
    ('<SCRIPT type="module">import x</SCRIPT>', "inline <script>"),
    ('<style>.a{}</style>', "<style> block"),
    ('<div class="x" style="width: 5%">', "style= attribute"),
    ("<td style='color:red'>", "style= attribute"),
    ('<a href="#" onclick="go()">', "on…= handler"),
    ('<form method="post" onsubmit="return confirm(1)">', "on…= handler"),
    ('<select name="round" onChange="this.form.submit()">', "on…= handler"),
    ('<script src="/static/js/prachum.js"></script>', None),
    ('<a data-confirm="ลบ?" class="button_style">สไตล์ style, onclick ในข้อความ</a>', None),
    ("{{ render_field(form.submit, button_style='primary') }}", None),
])
def test_the_scanner_finds_what_the_policy_blocks(html, found):
    problems = inline_code(html)
    assert [p.split(":")[0] for p in problems] == ([found] if found else [])


def test_no_template_has_inline_script_or_style():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 30 and TEMPLATES / "base.html" in templates
    problems = [f"{path.relative_to(ROOT)}: {problem}"
                for path in templates for problem in inline_code(path.read_text("utf-8"))]
    assert not problems, "\n".join(problems)


def test_every_behaviour_the_templates_ask_for_is_in_the_static_script():
    used = {name for path in TEMPLATES.rglob("*.html")
            for name in re.findall(r"\b(data-(?:confirm|print|autosubmit))\b", path.read_text("utf-8"))}
    assert used == {"data-confirm", "data-print", "data-autosubmit"}  # the three that replaced on…= handlers
    for name in used:
        assert re.search(rf'["\[]{name}["\]]', SCRIPT), f"static/js/prachum.js does not handle {name}"


def test_the_page_assets_are_served_by_the_app(client):
    html = client.get("/login").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/(?:static|bootstrap)/[^"?]+)(?:\?v=[0-9a-f]+)?"', html)  # without ?v=
    assert "/static/css/prachum.css" in links and "/static/js/prachum.js" in links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert_protected(response)
    css = client.get("/static/css/prachum.css").get_data(as_text=True)
    assert ".pre-line" in css and ".pct-0 " in css and ".pct-100 " in css and ".scroll-box" in css


@pytest.fixture
def demo_pages(demo, login, client):
    """The secretariat signed in on the demo scenario, and a page of each kind it has."""
    from app.auth.models import User
    from app.meetings.models import Meeting
    from app.reports.models import Plan, ProgressReport, ReportingRound

    login(db.session.scalar(select(User).where(User.email == "secretariat@demo.prachum.in.th")), DEMO_PASSWORD)
    meeting = db.session.scalar(select(Meeting).order_by(Meeting.id))
    plan = db.session.scalar(select(Plan).order_by(Plan.id))
    round_ = db.session.scalar(select(ReportingRound).order_by(ReportingRound.id))
    report = db.session.scalar(select(ProgressReport).order_by(ProgressReport.id))
    return ["/", "/profile", "/meetings/", "/meetings/new", f"/meetings/{meeting.id}",
            f"/meetings/{meeting.id}/agenda", f"/meetings/{meeting.id}/minutes", "/bodies", "/plans",
            f"/plans/{plan.id}", "/plans/import", "/assessment", "/reports/review", "/reports/dashboard",
            f"/reports/dashboard?plan={plan.id}&round={round_.id}", f"/rounds/{round_.id}",
            f"/reports/{report.id}", f"/reports/{report.id}/history", "/search?q=ประชุม", "/no-such-page"]


def test_every_page_carries_the_policy_and_has_no_inline_code(client, demo_pages):
    seen = 0
    for url in demo_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert response.mimetype == "text/html", url
        assert_protected(response)
        html = response.get_data(as_text=True)
        assert not inline_code(html), (url, inline_code(html))
        seen += bool(re.search(r'class="progress-bar [^"]*\bpct-\d+"', html))
    assert seen, "no page showed a progress bar"


def test_error_pages_and_json_carry_the_headers_too(client, make_user, token_for):
    assert_protected(client.get("/meetings/999999"))  # anonymous: redirected to the login page
    assert_protected(client.get("/api/v1/me"))  # 401 JSON
    assert_protected(client.get("/api/v1/me", headers=token_for(make_user("member"))))


def test_the_api_documentation_runs_no_inline_script(client):
    response = client.get("/api/v1/docs", follow_redirects=True)
    assert response.status_code == 200
    assert_protected(response)  # the same policy: Swagger UI is started by our own file
    html = response.get_data(as_text=True)
    assert not INLINE_SCRIPT.search(html) and not HANDLER_ATTRIBUTE.search(html)
    scripts = re.findall(r'<script src="([^"?]+)', html)  # without the fingerprint (?v=…)
    assert "/static/js/api-docs.js" in scripts and len(scripts) == 3
    for src in scripts:
        assert client.get(src).status_code == 200, src
    spec_url = re.search(r'data-spec-url="([^"]+)"', html).group(1)
    assert client.get(spec_url).get_json()["openapi"].startswith("3.")
    index = client.get("/api/v1/")
    assert_protected(index)
    assert not inline_code(index.get_data(as_text=True))


def test_hsts_only_in_production(monkeypatch, tmp_path, client):
    from app import create_app
    from config import config_for_environment

    assert "Strict-Transport-Security" not in client.get("/login").headers
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PRACHUM_PUBLIC_URL", "https://prachum.example.go.th")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.db'}")
    production = create_app(config_for_environment("production"))
    response = production.test_client().get("/static/css/prachum.css", base_url="https://prachum.example.go.th")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY"


# --- CSRF on the API ------------------------------------------------------------------------------

@pytest.fixture
def seat(make_body, make_user):
    """A body, a person to seat in it, and the request that seats them."""
    body, person = make_body(), make_user("member")
    return f"/api/v1/bodies/{body.id}/members", {"user_id": person.id, "role": "member"}


def members_of_body() -> int:
    from app.bodies.models import Membership

    db.session.expire_all()
    return len(db.session.scalars(select(Membership)).all())


@pytest.mark.parametrize("authorization", ["Bearer junk-not-a-token", "Bearer ", "Basic c2VjOnJldA==", "pch_x"])
def test_a_session_with_a_junk_authorization_header_and_no_csrf_is_refused(client, login, make_user, seat,
                                                                          authorization):
    url, data = seat
    login(make_user("secretariat"))
    response = client.post(url, json=data, headers={"Authorization": authorization})
    assert response.status_code in (400, 401), response.get_data(as_text=True)  # CSRF, or the bad token itself
    assert response.get_json()["error"]["code"] in ("csrf_failed", "unauthorized")
    assert members_of_body() == 0


@pytest.mark.parametrize("authorization", ["Basic c2VjOnJldA==", "pch_x", "Token abc"])
def test_a_session_with_another_authorization_scheme_needs_csrf(client, login, make_user, seat, authorization):
    """The header is not a bearer token, so the session signed the request in and must prove it is our page."""
    url, data = seat
    login(make_user("secretariat"))
    assert_error(client.post(url, json=data, headers={"Authorization": authorization}), 400, "csrf_failed")
    assert members_of_body() == 0
    token = csrf_from(client.get("/profile").get_data(as_text=True))
    accepted = client.post(url, json=data, headers={"Authorization": authorization, "X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    assert members_of_body() == 1


def test_a_valid_bearer_token_needs_no_csrf(client, make_user, token_for, seat):
    url, data = seat
    response = client.post(url, json=data, headers=token_for(make_user("secretariat")))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert members_of_body() == 1
