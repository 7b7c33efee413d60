"""Command-line interface: flask demo load|scale, flask users create|token, flask mail send, flask reminders send."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.errors import ServiceError
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data (development and testing only).")
mail_cli = AppGroup("mail", help="Outgoing mail.")
reminders_cli = AppGroup("reminders", help="Deadline reminders for progress reports.")


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


@demo_cli.command("scale")
@click.option("--units", default=245, show_default=True, type=click.IntRange(1, 999),
              help="Educational service area offices (ESA001 …).")
@click.option("--sub-items", default=20, show_default=True, type=click.IntRange(1, 500),
              help="Indicators, spread over four themes.")
@click.option("--years", default=4, show_default=True, type=click.IntRange(1, 20),
              help="Fiscal years ending with the demo's FY 2563, four rounds each.")
@click.option("--seed", default=2563, show_default=True, help="Seed of the deterministic random mix.")
def demo_scale_command(units: int, sub_items: int, years: int, seed: int) -> None:
    """Fill a large plan (every office reports on every indicator in every round); replaces the previous one."""
    if current_app.config.get("ENV_NAME") == "production":
        fail("demo data is refused under PRACHUM_ENV=production")
    import dataclasses
    import time

    from app.demo.scale import load_scale

    started = time.perf_counter()
    summary = load_scale(units, sub_items, years, seed=seed)
    db.session.commit()
    click.echo(dataclasses.replace(summary, seconds=time.perf_counter() - started).line())


@mail_cli.command("send")
def mail_send_command() -> None:
    """Deliver queued mail (SMTP, or .eml files in PRACHUM_OUTBOX); run from cron to retry failures."""
    from app.mail.services import deliver_pending

    sent, failed = deliver_pending()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


@reminders_cli.command("send")
@click.option("--days", default=7, show_default=True, type=click.IntRange(0, 365),
              help="Remind reports due within this many days (late ones are always reminded).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend today is this date (ISO, CE); default: today in Bangkok.")
def reminders_send_command(days: int, today) -> None:
    """E-mail each reporter whose unit's reports are due within --days or late; once per reporter, round and day."""
    from app import thaidates
    from app.mail.services import deliver_pending
    from app.reports.services import send_reminders

    day = today.date() if today else thaidates.today_bangkok()
    queued, skipped = send_reminders(day, days)
    db.session.commit()
    sent, failed = deliver_pending()
    click.echo(f"reminders queued {queued}, already sent today {skipped}; mail sent {sent}, failed {failed}")


def init_cli(app: Flask) -> None:
    """Register the command groups."""
    from app.search.services import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(search_cli)
