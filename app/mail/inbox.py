"""The reply mailbox over IMAP (`flask mail fetch`): read every message of the folder named by
PRACHUM_IMAP_URL, hand it to a handler, and move it out of the way, so a second run reads nothing twice.

PRACHUM_IMAP_URL is imap://user:password@host:port/folder (plain, port 143) or imaps://… (TLS, port 993);
user and password are percent-decoded (a password "p@ss/1" is written p%40ss%2F1); the folder defaults to
INBOX. A message the handler read (it held calendar answers, applied or ignored) goes to the processed folder,
one that held none to the unprocessed folder; both are created when missing. The move uses MOVE when the
server offers it, else COPY, \\Deleted and EXPUNGE. A message whose handling failed (the database was down)
stays where it is for the next run.

No Flask and no database here: the handler does the work (app/cli.py).
"""
from __future__ import annotations

import base64
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

TIMEOUT = 60  # seconds for connecting and for each command


@dataclass(frozen=True)
class ImapSettings:
    """Where the reply mailbox is."""

    host: str
    port: int
    username: str
    password: str
    folder: str = "INBOX"
    tls: bool = False

    def __repr__(self) -> str:  # never print the password
        scheme = "imaps" if self.tls else "imap"
        return f"ImapSettings({scheme}://{self.username}@{self.host}:{self.port}/{self.folder})"


@dataclass
class FetchSummary:
    """What one run did: messages read (with answers), without answers, and failed (left in place)."""

    processed: int = 0
    unprocessed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def parse_imap_url(url: str) -> ImapSettings:
    """ImapSettings from imap[s]://user:password@host[:port][/folder]; ValueError for anything else."""
    parts = urlsplit((url or "").strip())
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise ValueError("PRACHUM_IMAP_URL must start with imap:// or imaps://")
    if not parts.hostname:
        raise ValueError("PRACHUM_IMAP_URL has no host")
    if parts.username is None or parts.password is None:
        raise ValueError("PRACHUM_IMAP_URL needs user:password@ before the host")
    try:
        port = parts.port or (993 if scheme == "imaps" else 143)
    except ValueError:
        raise ValueError("PRACHUM_IMAP_URL has an invalid port") from None
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapSettings(host=parts.hostname, port=port, username=unquote(parts.username),
                        password=unquote(parts.password), folder=folder, tls=scheme == "imaps")


def fetch(settings: ImapSettings, handle: Callable[[bytes], bool], *, processed: str = "Processed",
          unprocessed: str = "Unprocessed", allow_move: bool = True) -> FetchSummary:
    """Hand every message of the folder to `handle` (True: it held answers; an exception: leave it) and move it.

    `allow_move=False` moves with COPY + \\Deleted + EXPUNGE even on a server that offers MOVE."""
    summary = FetchSummary()
    connection = _connect(settings)
    try:
        _check(connection.login(settings.username, settings.password), "LOGIN")
        for name in (processed, unprocessed):
            _ensure_folder(connection, name)
        _check(connection.select(_quote(settings.folder)), f"SELECT {settings.folder}")
        capabilities = _capabilities(connection)  # the list grows after LOGIN
        can_move = allow_move and "MOVE" in capabilities
        can_uid_expunge = "UIDPLUS" in capabilities
        typ, data = connection.uid("SEARCH", None, "UNDELETED")
        _check((typ, data), "SEARCH")
        uids = [uid.decode() for uid in (data[0] or b"").split()]
        moved: list[str] = []
        for uid in uids:
            message = _fetch_message(connection, uid)
            if message is None:
                continue
            try:
                held_answers = handle(message)
            except Exception as error:  # noqa: BLE001 — the message stays for the next run
                summary.failed += 1
                summary.errors.append(f"message {uid}: {type(error).__name__}: {error}")
                log.exception("reply message %s could not be handled; left in %s", uid, settings.folder)
                continue
            target = processed if held_answers else unprocessed
            if held_answers:
                summary.processed += 1
            else:
                summary.unprocessed += 1
            if can_move:
                _check(connection.uid("MOVE", uid, _quote(target)), f"MOVE {uid}")
            else:
                _check(connection.uid("COPY", uid, _quote(target)), f"COPY {uid}")
                _check(connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), f"STORE {uid}")
                moved.append(uid)
        if moved:
            if can_uid_expunge:
                _check(connection.uid("EXPUNGE", ",".join(moved)), "UID EXPUNGE")
            else:
                _check(connection.expunge(), "EXPUNGE")
        connection.close()
    finally:
        try:
            connection.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return summary


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    if settings.tls:
        return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=ssl.create_default_context(),
                                 timeout=TIMEOUT)
    return imaplib.IMAP4(settings.host, settings.port, timeout=TIMEOUT)


def _capabilities(connection: imaplib.IMAP4) -> set[str]:
    typ, data = connection.capability()
    if typ != "OK" or not data or not data[0]:
        return {str(c).upper() for c in connection.capabilities}
    return {c.upper() for c in data[0].decode("ascii", "replace").split()}


def _fetch_message(connection: imaplib.IMAP4, uid: str) -> bytes | None:
    """The whole message, without setting \\Seen (BODY.PEEK)."""
    typ, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
    _check((typ, data), f"FETCH {uid}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None  # expunged meanwhile


def _ensure_folder(connection: imaplib.IMAP4, name: str) -> None:
    """Create the folder unless it exists."""
    typ, data = connection.list('""', _quote(name))
    if typ == "OK" and any(item for item in data if item):
        return
    typ, data = connection.create(_quote(name))
    if typ != "OK" and b"exist" not in b" ".join(d for d in data if isinstance(d, bytes)).lower():
        raise imaplib.IMAP4.error(f"CREATE {name} failed: {data!r}")


def _check(result: tuple, what: str) -> None:
    typ, data = result
    if typ != "OK":
        raise imaplib.IMAP4.error(f"{what} failed: {data!r}")


def _quote(name: str) -> str:
    """A mailbox name as an IMAP quoted string, non-ASCII in modified UTF-7 (RFC 3501 5.1.3)."""
    encoded = _modified_utf7(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _modified_utf7(name: str) -> str:
    def shift(run: str) -> str:
        data = base64.b64encode(run.encode("utf-16-be")).decode("ascii").rstrip("=")
        return "&" + data.replace("/", ",") + "-"

    out = []
    for chunk in re.split(r"([^\x20-\x7e]+)", name):
        if not chunk:
            continue
        out.append(shift(chunk) if re.match(r"[^\x20-\x7e]", chunk) else chunk.replace("&", "&-"))
    return "".join(out)
