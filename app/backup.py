"""Backups a secretariat can restore: the database (pg_dump's custom format on PostgreSQL, SQLite's online backup
on SQLite) and the attachment files, side by side in one folder; and the restore into another database.

    flask backup create /srv/backups          # prachum-YYYYMMDD-HHMMSS.dump (or .sqlite) and …-uploads.tar.gz
    flask backup restore /srv/backups/prachum-….dump --database-url postgresql://…/prachum_restored

Restoring never writes into the running database unless it is named explicitly with --database-url.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

backup_cli = AppGroup("backup", help="Back up the database and the attachments, and restore them.")


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as pg_dump and pg_restore take it (no +driver)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path:
    """The file of a SQLite URL."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise click.ClickException("a SQLite database in memory cannot be backed up")
    return Path(database)


def _run(command: list[str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise click.ClickException(f"{command[0]} is not installed (Debian: postgresql-client)")
    result = subprocess.run([tool, *command[1:]], capture_output=True, text=True)
    if result.returncode != 0:
        raise click.ClickException(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def create_backup(folder: Path, url: str, uploads: Path, now: datetime | None = None) -> list[Path]:
    """Write the database and the attachments into `folder`; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")
    written = []
    if make_url(url).get_backend_name() == "postgresql":
        target = folder / f"prachum-{stamp}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), libpq_url(url)])
    else:
        target = folder / f"prachum-{stamp}.sqlite"
        with sqlite3.connect(sqlite_path(url)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    written.append(target)
    archive = folder / f"prachum-{stamp}-uploads.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        if uploads.exists():
            tar.add(uploads, arcname="uploads")
    written.append(archive)
    return written


def restore_backup(dump: Path, url: str, uploads: Path | None = None) -> None:
    """Load a database backup into the (empty or replaceable) database `url`; with `uploads`, unpack the
    attachments archive beside the dump into that folder."""
    if make_url(url).get_backend_name() == "postgresql":
        if dump.suffix != ".dump":
            raise click.ClickException("a PostgreSQL database is restored from a .dump file")
        _run(["pg_restore", "--no-owner", "--clean", "--if-exists", "--exit-on-error", "--dbname", libpq_url(url),
              str(dump)])
    else:
        if dump.suffix != ".sqlite":
            raise click.ClickException("a SQLite database is restored from a .sqlite file")
        with sqlite3.connect(dump) as source, sqlite3.connect(sqlite_path(url)) as copy:
            source.backup(copy)
    if uploads is not None:
        archive = dump.with_name(dump.stem + "-uploads.tar.gz")
        if archive.exists():
            uploads.mkdir(parents=True, exist_ok=True)
            with tarfile.open(archive) as tar:
                for member in tar.getmembers():
                    if member.isfile() and member.name.startswith("uploads/") and ".." not in member.name:
                        member.name = member.name.removeprefix("uploads/")
                        tar.extract(member, uploads, filter="data")


@backup_cli.command("create")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def create_command(folder: Path) -> None:
    """Back up the database and PRACHUM_UPLOADS into FOLDER."""
    for path in create_backup(folder, current_app.config["SQLALCHEMY_DATABASE_URI"],
                              Path(current_app.config["PRACHUM_UPLOADS"])):
        click.echo(path)


@backup_cli.command("restore")
@click.argument("dump", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", required=True, help="The database to restore into (named explicitly).")
@click.option("--uploads", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also unpack the attachments (the …-uploads.tar.gz beside DUMP) into this folder.")
def restore_command(dump: Path, database_url: str, uploads: Path | None) -> None:
    """Restore DUMP (made by `flask backup create`) into --database-url."""
    restore_backup(dump, database_url, uploads)
    click.echo(f"restored {dump.name}")
