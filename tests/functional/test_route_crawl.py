"""A crawl of the application's url_map: every route demands sign-in, except a short, named public list.

Each rule is requested without signing in, with its path parameters filled by ids of demo objects (1 is
an id of every demo table) and every method it accepts. A route demands sign-in when a web page answers
with a redirect to /login and an API endpoint with 401 and a JSON error. Writes are sent twice: with this
session's valid CSRF token (so only the sign-in check can refuse them) and without one; either way the
database must be unchanged. A new route that forgets @login_required (or an API endpoint marked public)
changes the set of public routes and fails the first test.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import csrf_from

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# (method, rule) that answer without sign-in, each with the reason it may.
PUBLIC: dict[tuple[str, str], str] = {
    ("GET", "/login"): "the sign-in form",
    ("POST", "/login"): "signing in",
    ("GET", "/static/<path:filename>"): "CSS, JS and fonts",
    ("GET", "/bootstrap/static/<path:filename>"): "Bootstrap's CSS and JS",
    ("GET", "/api/v1/health"): "liveness: the process answers (touches neither database nor storage)",
    ("GET", "/api/v1/ready"): "the load balancer's readiness check (database, Redis, storage)",
    ("GET", "/metrics"): "Prometheus: answers only admins and PRACHUM_METRICS_NETWORKS (404 to anyone else)",
    ("GET", "/api/v1/openapi.json"): "the API description",
    ("GET", "/api/v1/"): "the API description (flask-openapi3's index)",
    ("GET", "/api/v1/docs"): "API documentation (redirect to Swagger UI)",
    ("GET", "/api/v1/swagger"): "Swagger UI",
    ("GET", "/api/v1/swagger/<path:filename>"): "Swagger UI's files",
    ("GET", "/api/v1/static/<path:filename>"): "flask-openapi3's files",
    ("GET", "/api/v1/oauth2-redirect.html"): "Swagger UI's OAuth page",
    ("GET", "/calendar/<secret>.ics"): "personal calendar feed: the secret in the URL is the credential",
    ("GET", "/calendar/<secret>/bodies/<int:body_id>.ics"): "body calendar feed: the secret in the URL is the credential",
    ("GET", "/answer/<token>"): "one-click answer page: the signed token is the credential",
    ("POST", "/answer/<token>"): "one-click answer: the signed token is the credential (CSRF-protected form)",
    ("GET", "/circulations/answer/<token>"): "one-click answer to a circulation: the signed token is the credential",
    ("POST", "/circulations/answer/<token>"): "one-click circulation answer: the signed token is the credential "
                                             "(CSRF-protected form)",
    ("GET", "/language/<lang>"): "the language switch (also on the sign-in page): sets the session's language only",
    ("POST", "/line/webhook"): "LINE's webhook: the X-Line-Signature HMAC is the credential (404 when LINE is off)",
}

PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill(rule: str) -> str:
    """The rule with its parameters filled: ids 1 (a demo object of every table), a wrong secret, a file name."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "default", match.group(2)
        if converter == "int":
            return "1"
        if converter == "path":
            return "nothing-here.css"
        return "not-a-real-secret" if name == "secret" else "x"

    return PARAMETER.sub(value, rule)


def routes(app) -> list[tuple[str, str]]:
    """Every (method, rule) of the application, sorted."""
    return sorted({(method, rule.rule) for rule in app.url_map.iter_rules() for method in rule.methods
                   if method in METHODS})


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key: two equal snapshots mean nothing was changed."""
    db.session.rollback()
    db.session.expire_all()
    tables = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        tables[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
    db.session.rollback()
    return tables


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, dict]:
    """The tables whose rows differ between two snapshots, each with (a few of) its rows gone and new."""
    changes = {}
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            changes[name] = {"gone": [r for r in old if r not in new][:3], "new": [r for r in new if r not in old][:3]}
    return changes


def demands_sign_in(rule: str, response) -> bool:
    """Web: a redirect to /login; API: 401 with the JSON error "unauthorized"."""
    if rule.startswith("/api/"):
        body = response.get_json(silent=True) or {}
        return response.status_code == 401 and (body.get("error") or {}).get("code") == "unauthorized"
    return response.status_code == 302 and urlsplit(response.location).path == "/login"


def anonymous_request(client, method: str, rule: str, with_csrf: bool = True):
    """The request without sign-in; a web write carries a valid CSRF token of the session (fetched anew:
    /logout clears the session) unless `with_csrf` is false."""
    url = fill(rule)
    if method == "GET":
        return client.get(url)
    if rule.startswith("/api/"):
        return client.open(url, method=method, json={})
    data = {"csrf_token": csrf_from(client.get("/login").get_data(as_text=True))} if with_csrf else {}
    return client.open(url, method=method, data=data)


@pytest.fixture
def anonymous(client, demo):
    """A client that signed in nobody, on the demo."""
    return client


def test_the_public_routes_are_exactly_the_named_list(app, anonymous):
    client = anonymous
    public = {}
    for method, rule in routes(app):
        response = anonymous_request(client, method, rule)
        if not demands_sign_in(rule, response):
            public[(method, rule)] = response.status_code
    # /logout answers with the redirect to /login whether or not someone was signed in: harmless, and
    # indistinguishable from a protected route here, so it is not listed.
    assert sorted((*key, status) for key, status in public.items() if key not in PUBLIC) == [], \
        "routes that answer without sign-in"
    assert sorted(PUBLIC.keys() - public.keys()) == [], "listed as public but demanding sign-in (update the list)"


def test_every_protected_page_sends_to_login_and_back(app, anonymous):
    client = anonymous
    wrong = []
    for method, rule in routes(app):
        if method != "GET" or (method, rule) in PUBLIC or rule.startswith("/api/") or rule == "/logout":
            continue
        url = fill(rule)
        response = client.get(url)
        target = urlsplit(response.location or "")
        if response.status_code != 302 or target.path != "/login" or parse_qs(target.query).get("next") != [url]:
            wrong.append((rule, response.status_code, response.location))
    assert wrong == []


def test_every_protected_api_endpoint_answers_401_json(app, anonymous):
    client = anonymous
    wrong = []
    for method, rule in routes(app):
        if not rule.startswith("/api/") or (method, rule) in PUBLIC:
            continue
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = anonymous_request_with(client, method, rule, headers)
            body = response.get_json(silent=True) or {}
            if response.status_code != 401 or set(body.get("error") or {}) < {"code", "message"}:
                wrong.append((method, rule, headers, response.status_code, response.get_data(as_text=True)[:120]))
    assert wrong == []


def anonymous_request_with(client, method: str, rule: str, headers: dict):
    url = fill(rule)
    if method == "GET":
        return client.get(url, headers=headers)
    return client.open(url, method=method, json={}, headers=headers)


def test_writes_without_sign_in_are_refused_and_change_nothing(app, anonymous):
    client = anonymous
    before = snapshot()
    wrong = []
    for method, rule in routes(app):
        if method == "GET" or (method, rule) in PUBLIC:
            continue
        for with_csrf in (True, False):
            response = anonymous_request(client, method, rule, with_csrf)
            refused = response.status_code in (302, 400, 401) and (
                response.status_code != 302 or urlsplit(response.location).path == "/login")
            if not refused:
                wrong.append((method, rule, "with CSRF" if with_csrf else "without CSRF", response.status_code))
    assert wrong == []
    changes = changed_tables(before, snapshot())
    assert changes == {}, changes


@pytest.mark.parametrize("local", ["secretariat", "member"])
def test_reading_every_page_changes_nothing(app, client, demo, login, local):
    """GET is safe: opening every web page (ids of demo objects) as a signed-in user writes no row."""
    from app.auth.models import User
    from app.demo import data

    login(db.session.scalar(select(User).where(User.email == data.email(local))), app.config["DEMO_PASSWORD"])
    pages = sorted({fill(rule.rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods
                    and not rule.rule.startswith(("/api/", "/static", "/bootstrap", "/logout"))})
    writers = []
    for url in pages:
        before = snapshot()
        client.get(url)
        changes = changed_tables(before, snapshot())
        if changes:
            writers.append((url, sorted(changes)))
    assert writers == []
