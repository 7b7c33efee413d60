"""Browser tests: the app served on a loopback port with the demo loaded, driven by Debian's Chromium
(/usr/bin/chromium, headless) through Playwright for Python, at phone (390×844) and desktop (1366×900) size;
axe-core (npm, frontend.json) is handed to the pages by the test, not served by the app.

No browser is ever downloaded. Without /usr/bin/chromium the tests are skipped, unless
PRACHUM_REQUIRE_BROWSER is set (.ci/run sets it), then they fail. Every page is watched: a console error,
an uncaught exception or a request to another host fails the test.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import _TMP, _empty_tables

try:
    import playwright  # noqa: F401 — the test extra; without it these tests are not even collected
except ImportError:
    if os.environ.get("PRACHUM_REQUIRE_BROWSER"):
        raise
    collect_ignore_glob = ["test_*.py"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "prachum-demo"
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
ROLES = {
    "member": "member@demo.prachum.in.th",
    "reporter": "reporter.ict@demo.prachum.in.th",
    "secretariat": "secretariat@demo.prachum.in.th",
    "viewer": "viewer@demo.prachum.in.th",
    "admin": "admin@demo.prachum.in.th",
}


def _unavailable(reason: str):
    """Skip, or fail when CI requires the browser tests to run."""
    if os.environ.get("PRACHUM_REQUIRE_BROWSER"):
        pytest.fail(f"browser tests required (PRACHUM_REQUIRE_BROWSER) but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def app_context(app):
    """Replaces the suite's per-test emptying: the server reads the demo loaded once per module."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture(scope="module")
def site(app):
    """The demo loaded and the app served on a free loopback port; the tables emptied afterwards."""
    from app.auth.throttle import forget_failures
    from app.demo import load_demo

    with app.app_context():
        _empty_tables()
        load_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        forget_failures()
    for path in (_TMP / "outbox", _TMP / "uploads"):
        if path.exists():
            for child in path.iterdir():
                child.unlink()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


class Watch:
    """What went wrong in a browser context: console errors, page errors, requests to another host."""

    def __init__(self, base: str):
        self.host = urlsplit(base).netloc
        self.problems: list[str] = []

    def console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def page_error(self, error) -> None:
        self.problems.append(f"uncaught exception: {error}")

    def request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != self.host:
            self.problems.append(f"request to another host: {request.url}")

    def take(self) -> list[str]:
        """The problems seen since the last call."""
        problems, self.problems = self.problems, []
        return problems


def watch_page(page, watch: Watch) -> None:
    """Report the page's console errors, exceptions and requests to `watch`."""
    page.on("console", watch.console)
    page.on("pageerror", watch.page_error)


@pytest.fixture(scope="module")
def sign_ins(browser, site):
    """Each demo role signed in once (through the login form); contexts reuse the cookies."""
    states = {}

    def state_of(role: str) -> dict:
        if role not in states:
            context = browser.new_context(base_url=site, locale="th-TH")
            context.set_default_timeout(15_000)
            page = context.new_page()
            sign_in(page, ROLES[role])
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return state_of


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, by its labels, as a person does."""
    page.goto("/login")
    page.get_by_label("อีเมล", exact=True).fill(email)
    page.get_by_label("รหัสผ่าน", exact=True).fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def open_context(browser, site, sign_ins):
    """open_context(size, role=None) -> (context, watch): a fresh browser context at that size, signed in as
    the role; every page opened in it is watched, and the test fails on anything the watch saw."""
    opened = []

    def open_(size: str, role: str | None = None):
        options = dict(SIZES[size], base_url=site, locale="th-TH", timezone_id="Asia/Bangkok")
        if role:
            options["storage_state"] = sign_ins(role)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        watch = Watch(site)
        context.on("request", watch.request)
        context.on("page", lambda page: watch_page(page, watch))
        opened.append((context, watch))
        return context, watch

    yield open_
    problems = []
    for context, watch in opened:
        problems += watch.take()
        context.close()
    assert not problems, "\n".join(problems)


@functools.cache
def axe_source() -> str:
    """axe-core's script (npm axe-core, fetched by tools/frontend.py from frontend.json)."""
    if not AXE.exists():
        subprocess.run([sys.executable, str(ROOT / "tools" / "frontend.py")], check=True)
    return AXE.read_text("utf-8")


AXE_RUN = """async () => {
  const result = await axe.run(document, {rules: {'target-size': {enabled: true}}, resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (WCAG 2.2 AA target size included). The test
    hands axe to the page through the DevTools protocol: the app does not serve it, the page's CSP stays on."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport it was opened at (a phone browser would
    zoom out or pan sideways; 0 when it fits)."""
    return max(0, page.evaluate("() => document.scrollingElement.scrollWidth") - page.viewport_size["width"])
