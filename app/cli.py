"""Command-line interface: flask demo load|scale, flask users create|token|revoke-token, flask mail send|receive|fetch, flask line send, flask reminders send."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.errors import ServiceError
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")
demo_cli = AppGroup("demo", help="Demo data (development and testing only).")
mail_cli = AppGroup("mail", help="Outgoing mail, and calendar answers coming back.")
reminders_cli = AppGroup("reminders", help="Scheduled reminders: reports, assigned actions, unanswered invitations "
                                            "and circulations.")
line_cli = AppGroup("line", help="LINE Official Account pushes.")


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
@click.option("--name", "--label", "name", default="cli", show_default=True,
              help="A name to recognise the token by (on /profile, in the API, for revoke-token).")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Valid for this many days, at most 3650 (default: until revoked).")
def token_command(email: str, name: str, days: int | None) -> None:
    """Issue a new API token for a user; the token is the last line printed."""
    from app.auth import services
    from app.transactions import commit

    user = services.find_user_by_email(email)
    if user is None:
        fail(f"no user with e-mail {email!r}")
    if not user.is_active:
        fail(f"user {email!r} is inactive")
    try:
        token, secret = services.create_token(user, name, days)
    except ServiceError as error:
        fail(error.message)
    commit()
    expiry = f"until {token.expires_at.date().isoformat()}" if token.expires_at else "until revoked"
    click.echo(f"API token {token.name!r} for {user.email}, valid {expiry} "
               "(shown once; send as 'Authorization: Bearer <token>'):")
    click.echo(secret)


@users_cli.command("revoke-token")
@click.argument("email")
@click.option("--name", default=None, help="Revoke the user's tokens with this name.")
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of the user.")
def revoke_token_command(email: str, name: str | None, revoke_all: bool) -> None:
    """Revoke a user's API tokens: those named --name, or --all."""
    from app.auth import services
    from app.transactions import commit

    if (name is None) == (not revoke_all):
        fail("give exactly one of --name N or --all")
    user = services.find_user_by_email(email)
    if user is None:
        fail(f"no user with e-mail {email!r}")
    count = services.revoke_tokens(user, None if revoke_all else name)
    if name is not None and count == 0:
        fail(f"{user.email} has no active token named {name!r}")
    commit()
    click.echo(f"revoked {count} token(s) of {user.email}")


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
@click.option("--units", default=245, show_default=True, type=click.IntRange(1, 100_000),
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


EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries the pipe again later


def _apply_replies(data: bytes, tally: dict[str, int]) -> bool:
    """Apply the calendar answers of one message and commit; True when it held any (applied or ignored)."""
    from app.meetings.replies import apply_message
    from app.transactions import commit

    try:
        outcomes = apply_message(data)
        commit()
    except Exception:
        db.session.rollback()
        raise
    for outcome in outcomes:
        tally["applied" if outcome.applied else "ignored"] += 1
    return bool(outcomes)


@mail_cli.command("receive")
def mail_receive_command() -> None:
    """Apply the calendar answers (iTIP REPLY) in one e-mail message read on standard input (a mail server's
    pipe or alias); exits 75 (try again later) when the database cannot take them."""
    import logging

    data = click.get_binary_stream("stdin").read()
    tally = {"applied": 0, "ignored": 0}
    try:
        held = _apply_replies(data, tally)
    except Exception as error:  # noqa: BLE001 — the mail server retries the delivery
        logging.getLogger(__name__).exception("calendar reply not applied")
        click.echo(f"not applied, try again later: {type(error).__name__}: {error}", err=True)
        raise SystemExit(EX_TEMPFAIL) from None
    if not held:
        click.echo("no calendar answer in the message")
        return
    click.echo(f"answers applied {tally['applied']}, ignored {tally['ignored']}")


@mail_cli.command("fetch")
def mail_fetch_command() -> None:
    """Apply the calendar answers waiting in the IMAP mailbox PRACHUM_IMAP_URL; each message read is moved to
    PRACHUM_IMAP_PROCESSED, one without answers to PRACHUM_IMAP_UNPROCESSED (run from cron)."""
    import imaplib

    from app.mail import inbox

    url = current_app.config.get("PRACHUM_IMAP_URL")
    if not url:
        fail("PRACHUM_IMAP_URL is not set (imaps://user:password@host:993/INBOX)")
    try:
        settings = inbox.parse_imap_url(url)
    except ValueError as error:
        fail(str(error))
    tally = {"applied": 0, "ignored": 0}
    try:
        summary = inbox.fetch(settings, lambda data: _apply_replies(data, tally),
                              processed=current_app.config.get("PRACHUM_IMAP_PROCESSED") or "Processed",
                              unprocessed=current_app.config.get("PRACHUM_IMAP_UNPROCESSED") or "Unprocessed")
    except (imaplib.IMAP4.error, OSError) as error:
        fail(f"IMAP {settings.host}:{settings.port}: {error}")
    click.echo(f"messages with answers {summary.processed}, without {summary.unprocessed}, failed {summary.failed}; "
               f"answers applied {tally['applied']}, ignored {tally['ignored']}")
    if summary.failed:
        raise SystemExit(1)


@reminders_cli.command("send")
@click.option("--days", default=7, show_default=True, type=click.IntRange(0, 365),
              help="Remind reports due within this many days (late ones are always reminded).")
@click.option("--action-days", default=7, show_default=True, type=click.IntRange(1, 365),
              help="Remind open assigned actions due in exactly this many days (overdue ones the day after, "
                   "then weekly).")
@click.option("--invitation-days", default=3, show_default=True, type=click.IntRange(0, 365),
              help="Remind members who have not answered the invitation of a meeting this many days away.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Pretend today is this date (ISO, CE); default: today in Bangkok.")
def reminders_send_command(days: int, action_days: int, invitation_days: int, today) -> None:
    """Remind, by e-mail and/or LINE as each chose: reporters whose unit's reports are due within --days or
    late, units whose assigned actions fall due or are overdue, members who have not answered an invitation or a
    matter circulated for a resolution (circulations past their deadline are closed first).
    Once per person, kind, object and day: running it twice the same day sends nothing new."""
    from app import thaidates
    from app.jobs import run_reminders

    run = run_reminders(today.date() if today else thaidates.today_bangkok(), days, action_days, invitation_days)
    click.echo(f"reminders queued {run.queued}, already sent today {run.skipped}; mail sent {run.mail[0]}, "
               f"failed {run.mail[1]}; LINE sent {run.line[0]}, failed {run.line[1]}")


@line_cli.command("send")
def line_send_command() -> None:
    """Deliver queued LINE pushes; run from cron to retry failures (nothing to do when LINE is not configured)."""
    from app.notify.services import deliver_line_pending

    sent, failed = deliver_line_pending()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


def init_cli(app: Flask) -> None:
    """Register the command groups."""
    from app.backup import backup_cli
    from app.reports.tallies import reports_cli
    from app.search.services import search_cli
    from app.storage import storage_cli

    app.cli.add_command(backup_cli)
    app.cli.add_command(storage_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(line_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(reports_cli)
