"""Command-line interface: flask demo load, flask users create, flask users token."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.errors import ServiceError
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data (development and testing only).")
mail_cli = AppGroup("mail", help="Outgoing mail.")


def fail(message: str) -> None:
    """A one-line error and a non-zero exit, no traceback."""
    db.session.rollback()
    raise click.ClickException(message)


@users_cli.command("create")
@click.option("--email", required=True, help="Sign-in e-mail address.")
@click.option("--name", required=True, help="Full name as printed in minutes.")
@click.option("--role", required=True, help="admin | secretariat | reporter | member | viewer")
@click.option("--unit", "unit_code", default=None, help="Unit code (required for reporters), e.g. ICT.")
@click.option("--position", default=None, help="Position (ตำแหน่ง) as printed in minutes.")
@click.option("--password", default=None, help="Password; prompted for when omitted.")
def create_user_command(email: str, name: str, role: str, unit_code: str | None, position: str | None,
                        password: str | None) -> None:
    """Create a user account."""
    from app.auth import services
    from app.auth.models import ROLES

    if role not in ROLES:
        fail(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    try:
        unit = services.unit_by_code(unit_code)
    except ServiceError:
        fail(f"unknown unit {unit_code!r}")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, name, role, password, unit=unit, position=position)
    except ServiceError as error:
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        fail(f"{error.message}" + (f" ({details})" if details else ""))
    db.session.commit()
    click.echo(f"created user {user.id} {user.email} ({user.role})")


@users_cli.command("token")
@click.argument("email")
@click.option("--label", default="cli", help="A label to recognise the token by.")
def token_command(email: str, label: str) -> None:
    """Issue a new API token for a user; the token is the last line printed."""
    from app.auth import services

    user = services.find_user_by_email(email)
    if user is None:
        fail(f"no user with e-mail {email!r}")
    if not user.is_active:
        fail(f"user {email!r} is inactive")
    secret = services.issue_token(user, label)
    db.session.commit()
    click.echo(f"API token for {user.email} (shown once; send as 'Authorization: Bearer <token>'):")
    click.echo(secret)


@demo_cli.command("load")
def demo_load_command() -> None:
    """Load the demo scenario of DOMAIN.md (idempotent; refused in production)."""
    if current_app.config.get("ENV_NAME") == "production":
        fail("demo data is refused under PRACHUM_ENV=production")
    from app.demo import load_demo

    summary = load_demo()
    db.session.commit()
    click.echo(summary)


@mail_cli.command("send")
def mail_send_command() -> None:
    """Deliver queued mail (SMTP, or .eml files in PRACHUM_OUTBOX); run from cron to retry failures."""
    from app.mail.services import deliver_pending

    sent, failed = deliver_pending()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


def init_cli(app: Flask) -> None:
    """Register the command groups."""
    from app.search.services import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(search_cli)
