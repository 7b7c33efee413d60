"""Test fixtures: one app per session with the schema built by the Alembic migrations, tables emptied
after every test, and small factories for users, units, bodies and tokens.

TEST_DATABASE_URL chooses the database (default: a SQLite file in a temporary directory);
.ci/run runs the suite again with PostgreSQL.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="prachum-tests-"))
os.environ["PRACHUM_ENV"] = "testing"
os.environ.setdefault("TEST_DATABASE_URL", f"sqlite:///{_TMP / 'test.db'}")

from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

PASSWORD = "correct-horse-9"


def _reset_schema(app) -> None:
    """Drop everything, then build the schema with `flask db upgrade` (the migrations)."""
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context (own g, own db session), as in production,
    even though the test itself holds an app context for its factories and checks."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """The application under test, with its schema built by the migrations."""
    application = create_app(
        TestingConfig(),
        PRACHUM_OUTBOX=str(_TMP / "outbox"),
        PRACHUM_UPLOADS=str(_TMP / "uploads"),
        SERVER_NAME=None,
    )
    application.test_client_class = FreshContextClient
    _reset_schema(application)
    return application


def _empty_tables() -> None:
    """Delete every row (faster than rebuilding the schema between tests)."""
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        # DELETE of a few rows is far cheaper than TRUNCATE, which makes new files for every table;
        # then every used sequence starts again at 1, as TRUNCATE … RESTART IDENTITY would.
        statements = [f"DELETE FROM {name};" for name in reversed(tables)]
        statements.append("PERFORM setval(format('%I.%I', schemaname, sequencename), 1, false) "
                          "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL;")
        db.session.execute(text("DO $$ BEGIN " + " ".join(statements) + " END $$"))
    else:
        for name in reversed(tables):
            db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture(autouse=True)
def app_context(app):
    """Each test runs in an app context on empty tables, and leaves them empty."""
    with app.app_context():
        yield
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        from app.auth.throttle import forget_failures

        forget_failures()  # failed sign-ins counted by one test do not throttle the next
    for path in (_TMP / "outbox", _TMP / "uploads"):
        if path.exists():
            for child in path.iterdir():
                child.unlink()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def shared_cache(app):
    """The app's cache turned on (SimpleCache: this process) for one test, empty before and after; the suite
    otherwise runs with the null cache."""
    from app.caching import init_cache
    from app.extensions import cache

    init_cache(app, "simple")
    cache.clear()
    yield cache
    cache.clear()
    init_cache(app, "null")


@pytest.fixture
def outbox(app) -> Path:
    """The directory where mail is written as .eml files."""
    return Path(app.config["PRACHUM_OUTBOX"])


# --- factories --------------------------------------------------------------------------------

@pytest.fixture
def make_unit():
    from app.bodies.models import Unit

    def make(code: str = "ICT", name: str | None = None) -> Unit:
        unit = Unit(code=code, name=name or f"หน่วยงาน {code}", short_name=code)
        db.session.add(unit)
        db.session.commit()
        return unit

    return make


@pytest.fixture
def make_user(make_unit):
    from app.auth.models import User
    from app.bodies.models import Unit

    counter = {"n": 0}

    def make(role: str = "member", *, email: str | None = None, unit: Unit | None = None, active: bool = True,
             name: str | None = None, password: str = PASSWORD) -> User:
        counter["n"] += 1
        if role == "reporter" and unit is None:
            unit = db.session.scalar(db.select(Unit).where(Unit.code == "ICT")) or make_unit("ICT")
        user = User(email=email or f"{role}{counter['n']}@example.go.th", name=name or f"ผู้ใช้ {role} {counter['n']}",
                    role=role, unit=unit, is_active_user=active)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_body():
    from app.bodies.models import Body

    def make(name: str = "คณะทำงานทดสอบ", kind: str = "working_group", numbering: str = "calendar",
             parent: Body | None = None) -> Body:
        body = Body(name=name, kind=kind, numbering=numbering, parent=parent)
        db.session.add(body)
        db.session.commit()
        return body

    return make


@pytest.fixture
def add_member():
    from app.bodies.models import Membership

    def add(body, user, role: str = "member") -> Membership:
        membership = Membership(body=body, user=user, role=role)
        db.session.add(membership)
        db.session.commit()
        return membership

    return add


@pytest.fixture
def token_for():
    """token_for(user) -> {"Authorization": "Bearer …"}"""
    from app.auth.services import issue_token

    def make(user) -> dict:
        secret = issue_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


@pytest.fixture
def login(client):
    """login(user) signs the test client in through the real form (with its CSRF token)."""

    def do(user, password: str = PASSWORD, c=None):
        c = c or client
        page = c.get("/login")
        response = c.post("/login", data={"email": user.email, "password": password,
                                          "csrf_token": csrf_from(page.get_data(as_text=True))})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return do


@pytest.fixture
def demo(app):
    """The demo scenario loaded."""
    from app.demo import load_demo

    load_demo()
    db.session.commit()
