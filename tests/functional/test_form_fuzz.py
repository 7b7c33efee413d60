"""Random and tampered data posted to every web form: never a server error, and a refusal changes nothing.

The forms are found the way a browser finds them: every page of the application (each GET route with the ids
of demo objects) is opened as the secretariat, the administrator and the ICT reporter, and every
<form method="post"> is read: its action, CSRF token and field names, with the choices of its selects. Each
web POST route of the url_map is then fuzzed by a user who saw its form, with Hypothesis-made values: text
with control characters and NUL, lone surrogates (sent as the raw bytes a tampering client can send), huge
strings, repeated fields, ids beyond 2^31, unknown choices, impossible dates, unknown fields, and a missing or
wrong CSRF token. Every answer must be below 500, and every refusal (>= 400) must leave every table as it was.
Bounded: MAX_EXAMPLES per form (MIN_EXAMPLES once BUDGET_SECONDS are spent); Hypothesis' database off and
derandomized so CI runs are repeatable.
"""
from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote_plus, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from sqlalchemy import select

from app.auth.models import User
from app.demo import data
from app.extensions import db
from tests.conftest import _TMP
from tests.functional.test_route_crawl import changed_tables, fill, snapshot

# Hypothesis keeps caches (constants, Unicode tables) even without its example database: in the run's temp dir,
# not in the working tree.
set_hypothesis_home_dir(str(_TMP / "hypothesis"))

MAX_EXAMPLES = 5
MIN_EXAMPLES = 2
BUDGET_SECONDS = 40
USERS = ("secretariat", "admin", "reporter.ict")  # whose pages are read for forms, in this order of preference

# POST routes fuzzed by nobody, each with its reason.
NOT_FUZZED: dict[str, str] = {
    "/logout": "signs the fuzzing client out (the crawl in test_route_crawl.py covers it)",
}

NASTY_TEXT = ["", " ", "\x00", "a\x00b", "\r\n\t\x0b\x0c", "\x1b[31m", "\u202e\u200b", "<script>alert(1)</script>",
              "' OR 1=1 --", "${7*7}{{7*7}}", "../../etc/passwd", "ก" * 600, "x" * 70_000, "\ud800", "a\udfffb",
              "null", "true", "[]", "{}", "NaN", "-0", "1e309"]
NASTY_NUMBERS = ["0", "-1", "2147483647", "2147483648", "-2147483649", "9" * 30, "1.5", "1e3", "๑๒", "0x10", " 7 "]
NASTY_DATES = ["2020-02-30", "0000-01-01", "9999-12-31T23:59", "2563-13-01", "25:99", "2020-06-26T09:30+99:00"]


class FormReader(HTMLParser):
    """Every <form method="post"> of a page: action, enctype, fields (name, kind, value, choices)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self.current: dict | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "enctype": attrs.get("enctype") or "", "fields": []}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            entry = {"name": attrs["name"], "kind": attrs.get("type") or tag, "value": attrs.get("value") or "",
                     "choices": []}
            self.current["fields"].append(entry)
            if tag == "select":
                self.select = entry
        elif tag == "option" and self.select is not None:
            self.select["choices"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


@dataclass
class Form:
    """A form to fuzz: where it posts, who saw it, its fields."""

    rule: str
    url: str
    user: str
    multipart: bool
    csrf: str
    fields: list[dict] = field(default_factory=list)


def sign_in(app, login, local: str | None):
    client = app.test_client()
    if local is not None:
        user = db.session.scalar(select(User).where(User.email == data.email(local)))
        login(user, app.config["DEMO_PASSWORD"], c=client)
    return client


def page_urls(app) -> list[str]:
    """Every web page of the application with demo ids (downloads, feeds, files and sign-out left out)."""
    urls = []
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if "GET" not in rule.methods or path.startswith(("/api/", "/static", "/bootstrap", "/calendar")):
            continue
        if path.endswith((".docx", ".xlsx", ".ics")) or path in ("/logout",) or path.startswith("/attachments/"):
            continue
        urls.append(fill(path))
    return sorted(set(urls))


def find_forms(app, clients: dict[str, object]) -> dict[str, Form]:
    """The first form seen for every POST rule, by the users in order of preference: on every page, then on
    the pages linked from them that post to a rule still without a form (e.g. /reports/new?round=…)."""
    adapter = app.url_map.bind("localhost")
    forms: dict[str, Form] = {}

    def post_rule(path: str) -> str | None:
        try:
            return adapter.match(path, method="POST", return_rule=True)[0].rule
        except Exception:  # noqa: BLE001 — not a POST route of this app
            return None

    def read(local, client, url: str) -> list[str]:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.content_type:
            return []
        reader = FormReader()
        reader.feed(response.get_data(as_text=True))
        for found in reader.forms:
            rule = post_rule(urlsplit(found["action"]).path or urlsplit(url).path)
            if rule is None or rule in forms or rule in NOT_FUZZED:
                continue
            csrf = next((f["value"] for f in found["fields"] if f["name"] == "csrf_token"), "")
            fields = [f for f in found["fields"] if f["name"] != "csrf_token"]
            forms[rule] = Form(rule, found["action"] or url, local, "multipart" in found["enctype"], csrf, fields)
        return reader.links

    for local, client in clients.items():
        links: set[str] = set()
        for url in ["/login"] if local is None else page_urls(app):
            links.update(read(local, client, url))
        followed = 0
        for link in sorted(links):
            rule = post_rule(urlsplit(link).path)
            if rule is not None and rule not in forms and rule not in NOT_FUZZED and followed < 40:
                followed += 1
                read(local, client, link)
    return forms


def csrf_of(client) -> str:
    """The CSRF token of a signed-in client's session (in the sign-out form of every page)."""
    from tests.conftest import csrf_from

    return csrf_from(client.get("/").get_data(as_text=True))


def value_for(entry: dict) -> st.SearchStrategy[str]:
    """Values for one field: what the form offers, or something a tampering client sends instead."""
    honest = [entry["value"], *entry["choices"]]
    return st.one_of(
        st.sampled_from(honest),
        st.sampled_from(NASTY_TEXT + NASTY_NUMBERS + NASTY_DATES),
        st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "Cc"]), max_size=40),
        st.text(max_size=10),  # any code point, lone surrogates included
    )


@st.composite
def submissions(draw, form: Form):
    """(pairs of name and value, CSRF token): each field once, twice or left out, plus an unknown field."""
    pairs = []
    for entry in form.fields:
        times = draw(st.sampled_from([1, 1, 1, 0, 2]))
        pairs += [(entry["name"], draw(value_for(entry))) for _ in range(times)]
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from(["id", "user_id", "role", "state", "version", "x" * 300])),
                      draw(st.sampled_from(NASTY_NUMBERS + NASTY_TEXT[:6]))))
    csrf = draw(st.sampled_from([form.csrf] * 8 + ["", form.csrf[::-1]]))
    return pairs, csrf


def encode(pairs: list[tuple[str, str]]) -> bytes:
    """application/x-www-form-urlencoded, lone surrogates sent as the bytes of their code point (WTF-8)."""
    return "&".join(f"{quote_plus(k.encode('utf-8', 'surrogatepass'))}={quote_plus(v.encode('utf-8', 'surrogatepass'))}"
                    for k, v in pairs).encode("ascii")


def post(client, form: Form, pairs: list[tuple[str, str]], csrf: str):
    pairs = [("csrf_token", csrf), *pairs] if csrf else pairs
    if form.multipart:  # multipart bodies carry text as UTF-8: no lone surrogates there
        body: dict[str, list[str]] = {}
        for name, value in pairs:
            body.setdefault(name.encode("utf-8", "replace").decode(), []).append(
                value.encode("utf-8", "replace").decode())
        return client.post(form.url, data=body, content_type="multipart/form-data")
    return client.post(form.url, data=encode(pairs), content_type="application/x-www-form-urlencoded")


class ServerErrors(logging.Handler):
    """The tracebacks app.errors logs for unexpected exceptions (the last lines of each)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record):
        if record.exc_info:
            lines = "".join(traceback.format_exception(*record.exc_info)).strip().splitlines()
            self.tracebacks.append("\n".join(lines[-8:]))


@pytest.fixture
def server_errors_as_responses(app):
    """Unexpected exceptions become the 500 page (as in production) so they are answers to count; their
    tracebacks are collected for the report."""
    saved = app.config.get("PROPAGATE_TEST_ERRORS")
    app.config["PROPAGATE_TEST_ERRORS"] = False
    handler = ServerErrors()
    logger = logging.getLogger("app.errors")
    was_disabled = logger.disabled  # Alembic's fileConfig (the migrations of the session) disables it
    logger.disabled = False
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.disabled = was_disabled
    if saved is None:
        app.config.pop("PROPAGATE_TEST_ERRORS", None)
    else:
        app.config["PROPAGATE_TEST_ERRORS"] = saved


def test_every_web_form_survives_random_and_tampered_input(app, demo, login, server_errors_as_responses):
    clients = {local: sign_in(app, login, local) for local in USERS}
    clients[None] = sign_in(app, login, None)  # the sign-in form
    forms = find_forms(app, clients)
    post_rules = {r.rule for r in app.url_map.iter_rules() if "POST" in r.methods and not r.rule.startswith("/api/")}
    without_form = sorted(post_rules - forms.keys() - NOT_FUZZED.keys())
    staff_token = csrf_of(clients["secretariat"])
    for rule in without_form:  # no page shows a form for these: posted to with random fields only
        forms[rule] = Form(rule, fill(rule), "secretariat", False, staff_token, [])
    problems: list[str] = []
    answers: dict[str, dict[int, int]] = {}
    known: dict[str, dict | None] = {"state": None}  # the database as last seen, while nothing changed it
    deadline = time.monotonic() + BUDGET_SECONDS
    for rule in sorted(forms, key=lambda r: (r.endswith(("/delete", "/remove", "/revoke")), r)):  # deletions last
        form = forms[rule]
        client = clients[form.user]

        @settings(max_examples=MAX_EXAMPLES if time.monotonic() < deadline else MIN_EXAMPLES, database=None,
                  derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(submission=submissions(form))
        def fuzz(submission):
            pairs, csrf = submission
            before = known["state"] or snapshot()
            known["state"] = None
            response = post(client, form, pairs, csrf)
            counts = answers.setdefault(rule, {})
            counts[response.status_code] = counts.get(response.status_code, 0) + 1
            assert response.status_code < 500, (f"{response.status_code} for {form.url} {pairs!r:.600}\n"
                                                f"{server_errors_as_responses.tracebacks[-1:]}")
            if response.status_code >= 400:
                after = snapshot()
                changes = changed_tables(before, after)
                assert changes == {}, f"refused with {response.status_code} but changed {changes!r:.600}: {pairs!r:.600}"
                known["state"] = after  # unchanged: the next example starts from it

        try:
            fuzz()
        except AssertionError as error:
            problems.append(f"POST {rule} as {form.user}: {str(error)[:1500]}")
    for rule, counts in sorted(answers.items()):
        print(f"{rule} ({forms[rule].user}, {len(forms[rule].fields)} fields): {dict(sorted(counts.items()))}")
    print("POST routes whose form no page shows (fuzzed with unknown fields only):", without_form)
    assert problems == [], "\n\n".join(problems)


def test_deleting_an_agenda_item_that_the_minutes_record_is_no_server_error(app, demo, login,
                                                                            server_errors_as_responses):
    """The case the fuzz found: minutes written on item 1 of meeting 1, then the item deleted. Whether the
    deletion is refused (the minutes record it) or done, it is an answer below 500, and a refusal keeps
    every row (the minutes included)."""
    from tests.conftest import csrf_from

    client = sign_in(app, login, "secretariat")
    token = csrf_from(client.get("/meetings/1/minutes").get_data(as_text=True))
    saved = client.post("/meetings/1/minutes", data={"csrf_token": token, "version": "0",
                                                      "item-1-discussion": "ที่ประชุมอภิปราย",
                                                      "item-1-resolution": "ที่ประชุมรับทราบ"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    before = snapshot()
    response = client.post("/agenda-items/1/delete", data={"csrf_token": token})
    assert response.status_code < 500, server_errors_as_responses.tracebacks[-1:]
    after = snapshot()
    if response.status_code >= 400 or after["agenda_items"] == before["agenda_items"]:
        assert changed_tables(before, after) == {}
