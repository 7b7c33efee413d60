"""CLI commands (users create, users token, mail send) and configuration choices."""
from __future__ import annotations

import pytest

from app.auth.models import User
from app.extensions import db


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_users_create_with_unit(runner, make_unit):
    make_unit("ICT")
    result = runner.invoke(args=["users", "create", "--email", "New@Example.go.th", "--name", "นางสาวใหม่ ทดสอบ",
                                 "--role", "reporter", "--unit", "ict", "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "new@example.go.th"))
    assert user.role == "reporter" and user.unit.code == "ICT" and user.check_password("long-enough-1")


def test_users_create_prompts_for_password(runner):
    result = runner.invoke(args=["users", "create", "--email", "p@example.go.th", "--name", "P", "--role", "viewer"],
                           input="secret-pass-1\nsecret-pass-1\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).where(User.email == "p@example.go.th")).check_password("secret-pass-1")


@pytest.mark.parametrize("args,needle", [
    (["--role", "boss"], "unknown role"),
    (["--role", "reporter", "--unit", "NOPE"], "unknown unit"),
    (["--role", "reporter"], "ผู้รายงานต้องสังกัดหน่วยงาน"),
    (["--role", "member", "--password", "short"], "12"),
])
def test_users_create_errors_are_one_line_and_non_zero(runner, args, needle):
    base = ["users", "create", "--email", "x@example.go.th", "--name", "X"]
    if "--password" not in args:
        args = [*args, "--password", "long-enough-1"]
    result = runner.invoke(args=base + args)
    assert result.exit_code != 0
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0], result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_users_create_duplicate_email(runner, make_user):
    make_user("member", email="dup@example.go.th")
    result = runner.invoke(args=["users", "create", "--email", "DUP@example.go.th", "--name", "X", "--role",
                                 "member", "--password", "long-enough-1"])
    assert result.exit_code != 0 and "อีเมลนี้มีผู้ใช้แล้ว" in result.output


def test_users_token_prints_a_working_token_last(runner, make_user, client):
    user = make_user("secretariat", email="sec@example.go.th")
    result = runner.invoke(args=["users", "token", "sec@example.go.th"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["id"] == user.id


def test_users_token_unknown_email(runner):
    result = runner.invoke(args=["users", "token", "ghost@example.go.th"])
    assert result.exit_code != 0 and "no user" in result.output


def test_production_requires_secret_key(monkeypatch):
    from config import config_for_environment

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config_for_environment("production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PRACHUM_PUBLIC_URL", "https://prachum.example.go.th")
    assert config_for_environment("production").SESSION_COOKIE_SECURE is True


def test_unknown_environment_is_refused():
    from config import config_for_environment

    with pytest.raises(RuntimeError, match="PRACHUM_ENV"):
        config_for_environment("staging")


def test_database_url_default_and_override(monkeypatch):
    from config import config_for_environment

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "k")
    assert config_for_environment("development").SQLALCHEMY_DATABASE_URI.endswith("instance/prachum.db")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert config_for_environment("development").SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@h/db"


def test_mail_send_retries_what_failed(app, runner, monkeypatch, outbox):
    from app.mail import services as mail

    mail.queue_mail(to_email="a@example.go.th", to_name="A", subject="ทดสอบ", body_text="สวัสดี", kind="test")
    db.session.commit()
    monkeypatch.setattr(mail, "_write_eml", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    failed = runner.invoke(args=["mail", "send"])
    assert failed.exit_code != 0 and "failed 1" in failed.output
    monkeypatch.undo()
    ok = runner.invoke(args=["mail", "send"])
    assert ok.exit_code == 0 and "sent 1" in ok.output
    assert len(list(outbox.glob("*.eml"))) == 1
