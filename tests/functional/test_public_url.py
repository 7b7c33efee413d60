"""Links point where the app is served: without PRACHUM_PUBLIC_URL, feed and e-mail links take the host of
the request; with it, that address; mail made outside a request uses it; production requires it."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.mail.models import OutgoingMail
from tests.conftest import PASSWORD, csrf_from
from tests.functional.test_meetings_api import group  # noqa: F401 (fixture)

ELSEWHERE = "http://example.test:8080"


@pytest.fixture
def unconfigured(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", None)


@pytest.fixture
def configured(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://prachum.example.go.th/prachum/")


def sign_in_at(client, user, base_url: str) -> None:
    page = client.get("/login", base_url=base_url)
    response = client.post("/login", base_url=base_url, data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302


def test_the_profile_shows_the_feed_at_the_host_of_the_request(client, make_user, unconfigured):
    sign_in_at(client, make_user("member"), ELSEWHERE)
    html = client.get("/profile", base_url=ELSEWHERE).get_data(as_text=True)
    feed = re.search(r'readonly value="([^"]+)"', html).group(1)
    assert feed.startswith(f"{ELSEWHERE}/calendar/") and feed.endswith(".ics"), feed
    assert 'href="webcal://example.test:8080/calendar/' in html
    assert client.get(feed.removeprefix(ELSEWHERE), base_url=ELSEWHERE).mimetype == "text/calendar"


def test_the_api_gives_the_feed_at_the_host_of_the_request(client, make_user, token_for, unconfigured):
    headers = token_for(make_user("member"))
    here = client.get("/api/v1/me", headers=headers).get_json()["calendar_feed_url"]
    there = client.get("/api/v1/me", headers=headers, base_url="https://other.example:8443").get_json()
    assert here.startswith("http://localhost/calendar/")
    assert there["calendar_feed_url"] == "https://other.example:8443" + here.removeprefix("http://localhost")


def test_a_configured_public_url_wins_over_the_request(client, make_user, token_for, configured):
    headers = token_for(make_user("member"))
    url = client.get("/api/v1/me", headers=headers, base_url=ELSEWHERE).get_json()["calendar_feed_url"]
    assert url.startswith("https://prachum.example.go.th/prachum/calendar/"), url


def test_invitations_link_to_the_host_the_secretariat_used(client, make_user, token_for, group,  # noqa: F811
                                                           unconfigured):
    staff = token_for(make_user("secretariat"))
    meeting = client.post("/api/v1/meetings", base_url=ELSEWHERE, headers=staff, json={
        "body_id": group.id, "starts_at": "2020-09-10T09:30", "ends_at": "2020-09-10T12:00", "mode": "onsite",
        "venue": "ห้องประชุมจันทรเกษม"}).get_json()
    mails = db.session.scalars(db.select(OutgoingMail).where(OutgoingMail.meeting_id == meeting["id"])).all()
    assert mails, "no invitation queued"
    for mail in mails:
        assert f"{ELSEWHERE}/meetings/{meeting['id']}" in mail.body_text
        assert f"{ELSEWHERE}/meetings/{meeting['id']}" in (mail.ics or "")
        assert "127.0.0.1:5000" not in mail.body_text


def test_outside_a_request_links_use_the_configured_url(app, configured):
    from app.links import absolute_url

    assert absolute_url("meetings.detail", meeting_id=7) == "https://prachum.example.go.th/prachum/meetings/7"


def test_outside_a_request_without_a_configured_url_links_use_the_development_server(app, unconfigured):
    from app.links import absolute_url

    assert absolute_url("calendar.personal_feed", secret="abc") == "http://127.0.0.1:5000/calendar/abc.ics"


@pytest.mark.parametrize("value", [None, "", "   ", "prachum.example.go.th"])
def test_production_refuses_to_start_without_a_public_url(monkeypatch, value):
    from config import config_for_environment

    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    if value is None:
        monkeypatch.delenv("PRACHUM_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("PRACHUM_PUBLIC_URL", value)
    with pytest.raises(RuntimeError, match="PRACHUM_PUBLIC_URL"):
        config_for_environment("production")
    monkeypatch.setenv("PRACHUM_PUBLIC_URL", "https://prachum.example.go.th")
    assert config_for_environment("production").PUBLIC_BASE_URL == "https://prachum.example.go.th"


def test_other_environments_need_no_public_url(monkeypatch):
    from config import config_for_environment

    monkeypatch.delenv("PRACHUM_PUBLIC_URL", raising=False)
    assert config_for_environment("testing").PUBLIC_BASE_URL is None
