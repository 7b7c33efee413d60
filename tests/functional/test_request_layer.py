"""The request layer: one commit per successful request, a rollback on any error, mail only after the commit,
and one load-and-authorize rule (404 for what the user may not read, 403 for what they may read but not change)."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import abort, jsonify
from sqlalchemy import func, select

from app import access, authz, create_app
from app.bodies.models import Body, Unit
from app.errors import Invalid
from app.extensions import db
from app.mail.models import OutgoingMail
from app.mail.services import queue_mail
from app.transactions import discard
import config


@pytest.fixture
def probe_app(app, tmp_path):
    """A second app on the same database with a few probe views (the shared app takes no new routes)."""
    probe = create_app(config.TestingConfig(), PRACHUM_OUTBOX=str(tmp_path / "outbox"), SERVER_NAME=None)
    probe.config["PROPAGATE_TEST_ERRORS"] = False

    def add_unit(code: str) -> Unit:
        unit = Unit(code=code, name=f"หน่วย {code}", short_name=code)
        db.session.add(unit)
        db.session.flush()
        return unit

    @probe.get("/probe/ok")
    def ok():
        add_unit("OK1")
        queue_mail(to_email="a@example.go.th", to_name=None, subject="s", body_text="b", kind="test")
        return jsonify(done=True)

    @probe.get("/probe/refused")
    def refused():
        add_unit("REF")
        queue_mail(to_email="b@example.go.th", to_name=None, subject="s", body_text="b", kind="test")
        raise Invalid("ไม่ได้", {"code": "ไม่ได้"})

    @probe.get("/probe/aborted")
    def aborted():
        add_unit("ABT")
        abort(404)

    @probe.get("/probe/crash")
    def crash():
        add_unit("CRS")
        raise RuntimeError("boom")

    @probe.get("/probe/discarded")
    def discarded():
        add_unit("DIS")
        discard()  # a view that showed the refusal on its form and answers 200
        return "shown again", 200

    @probe.get("/probe/duplicate")
    def duplicate():
        add_unit("DUP")
        db.session.add(Unit(code="DUP", name="ซ้ำ", short_name="DUP"))  # the unique key fails at commit
        return jsonify(done=True)

    probe.test_client_class = app.test_client_class
    return probe


def unit_codes() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Unit.code)))


def outbox_files(probe) -> list[Path]:
    outbox = Path(probe.config["PRACHUM_OUTBOX"])
    return sorted(outbox.glob("*.eml")) if outbox.exists() else []


def test_a_successful_request_commits_once_and_mails_after(probe_app):
    response = probe_app.test_client().get("/probe/ok")
    assert response.status_code == 200
    assert "OK1" in unit_codes()
    assert len(outbox_files(probe_app)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.sent_at.is_not(None))) == 1


@pytest.mark.parametrize("url, status", [
    ("/probe/refused", 422), ("/probe/aborted", 404), ("/probe/crash", 500), ("/probe/discarded", 200),
])
def test_a_refused_or_failed_request_keeps_nothing_and_sends_nothing(probe_app, url, status):
    response = probe_app.test_client().get(url)
    assert response.status_code == status
    assert unit_codes() == set()
    assert outbox_files(probe_app) == []
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0


def test_a_conflict_at_commit_is_a_409_in_the_api_shape(probe_app):
    response = probe_app.test_client().get("/probe/duplicate", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert unit_codes() == set()


def test_views_never_commit_themselves():
    """Services flush and the request layer commits: no route or API module calls commit()."""
    root = Path(__file__).resolve().parents[2] / "app"
    offenders = [str(path.relative_to(root)) for path in [*root.glob("*/routes.py"), *root.glob("api/*.py")]
                 if "session.commit()" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_load_answers_404_for_unreadable_and_403_for_unchangeable(app, make_user, make_body, add_member):
    from app.errors import Forbidden, NotFound

    body = make_body()
    outsider, member, staff = make_user("member"), make_user("member"), make_user("secretariat")
    add_member(body, member)
    with pytest.raises(NotFound):
        access.load(Body, body.id, read=authz.can_view_body, user=outsider)
    with pytest.raises(NotFound):
        access.load(Body, 2**31, read=authz.can_view_body, user=staff)  # beyond any integer key
    with pytest.raises(NotFound):
        access.load(Body, True, read=authz.can_view_body, user=staff)  # a boolean is not an id
    with pytest.raises(Forbidden):
        access.load(Body, body.id, read=authz.can_view_body, change=authz.can_manage_body, user=member)
    assert access.load(Body, body.id, read=authz.can_view_body, change=authz.can_manage_body, user=staff) is body


@pytest.mark.parametrize("url", ["/bodies/{body}", "/bodies/{body}/edit", "/meetings/{meeting}",
                                 "/meetings/{meeting}/edit", "/api/v1/meetings/{meeting}"])
def test_hidden_objects_answer_404_like_missing_ones(client, login, make_user, make_body, url):
    from datetime import datetime, timezone

    from app.meetings.models import Meeting

    body = make_body()
    meeting = Meeting(body=body, number=1, year_be=2563, title="ประชุม", mode="onsite", venue="ห้อง 1", uid="probe-1",
                      starts_at=datetime(2020, 6, 26, 2, 30, tzinfo=timezone.utc),
                      ends_at=datetime(2020, 6, 26, 5, 0, tzinfo=timezone.utc))
    db.session.add(meeting)
    db.session.commit()
    login(make_user("member"))
    hidden = client.get(url.format(body=body.id, meeting=meeting.id))
    missing = client.get(url.format(body=body.id + 1000, meeting=meeting.id + 1000))
    assert hidden.status_code == missing.status_code == 404
