"""Kept responses: a worker answers a repeated read from the copy it kept, without signing in again or reading the
database, as long as nothing has been written anywhere since.

**The data's generation** is one Redis counter shared by every node and worker. It is raised after every
transaction that wrote: each statement that is not a read marks its database connection, and the connection raises
the counter when it goes back to the pool, after its COMMIT (or ROLLBACK: raising it too often costs only speed).
The request layer commits before the response goes out, so a client that saw its change acknowledged by one node
finds the counter raised on every node. Raising it never happens before a commit: a reader that takes the old
generation keeps, at worst, data newer than that generation, never older than the next.

**A kept response** is the whole answer (status 200, body as sent, compressed or not, and its content headers; or,
for a 304, its ETag alone) of a view marked with `kept_response`, kept in the worker's memory under the generation
read when its request began and a key holding everything else it was made from: the endpoint, path and query, the credential that signed the
request in (a bearer token's digest, or the sign-in key, CSRF secret and language of the session), the
Accept-Language and Accept-Encoding it was asked with, and the day (or minute) in Bangkok. A later request with
the same key is answered from it when the generation is unchanged: a 304 when it sends the kept ETag. A sign-out,
a revoked token, a deactivated user or a changed role is a write, so it takes effect on the next request as before;
an expiring credential is judged by the expiry kept with the copy.

A calendar feed is signed by the secret in its URL, which the key holds: its copy answers whoever asks that URL
(subscribers' If-None-Match or If-Modified-Since get their 304 from it), until a write (a revoked or regenerated
secret is one) raises the generation.

Nothing is kept or answered: without Redis (PRACHUM_KEPT_RESPONSES is then off), for anonymous requests, for a
session holding a message to show (flash) or being changed, for a response that sets a cookie, for a body over
PRACHUM_KEPT_RESPONSE_MAX_BYTES. Each worker keeps at most PRACHUM_KEPT_RESPONSES_MAX_BYTES in all (least
recently used go first) and none longer than PRACHUM_KEPT_RESPONSE_SECONDS. Writes that bypass the database
driver's cursor (a restore from backup by pg_restore) need the nodes restarted, as a restore does anyway.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Flask, Response, current_app, g, request, session

from app.responses import client_copy_is_current
from app.thaidates import BANGKOK

log = logging.getLogger(__name__)

GENERATION_KEY = "prachum:generation"
READS = ("SELECT", "SHOW", "PRAGMA", "EXPLAIN", "SAVEPOINT", "RELEASE", "ROLLBACK")
KEPT_HEADERS = {"content-type", "content-encoding", "content-language", "etag", "cache-control", "vary",
                "last-modified"}
CLOCKS = ("day", "minute")
# Execution options of a write that no kept answer shows (when an API token was last used): it does not raise the
# generation. Only for columns that no view marked with kept_response reads.
BOOKKEEPING = {"prachum_bookkeeping": True}


@dataclass(frozen=True)
class Mark:
    """How a view's answer may be kept: `clock` is what the clock changes in it, the day (late reports, deadlines,
    a feed's twelve months) or the minute (a meeting starting, ending); `secret_in_path`: the URL itself is the
    credential (a calendar feed's secret), so the answer is the same for whoever asks it."""

    clock: str = "day"
    secret_in_path: bool = False


def kept_response(clock: str = "day", *, secret_in_path: bool = False) -> Callable:
    """Mark a GET view whose answer may be kept (see the module and Mark)."""
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {CLOCKS}")

    def mark(view: Callable) -> Callable:
        view._kept = Mark(clock, secret_in_path)
        return view

    return mark


# --- the data's generation ------------------------------------------------------------------------

class Generation:
    """The shared counter in Redis. A counter that is missing (a new, restarted or emptied Redis) starts again at a
    random value, whether a read or a write finds it missing, so a copy kept under an earlier life of the counter
    never matches again."""

    START = "if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end "
    READ = START + "return redis.call('GET', KEYS[1])"
    RAISE = START + "return redis.call('INCR', KEYS[1])"
    RETRY_SECONDS = 5

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.down_until = 0.0
        self.read = self.client.register_script(self.READ)
        self.raise_ = self.client.register_script(self.RAISE)

    def current(self) -> int | None:
        """The generation now; None when Redis cannot be reached (then nothing is answered from a copy, and for
        RETRY_SECONDS Redis is not asked again, so a Redis that hangs does not slow every request)."""
        if time.monotonic() < self.down_until:
            return None
        try:
            value = self.client.get(GENERATION_KEY)
            if value is None:
                value = self.read(keys=[GENERATION_KEY], args=[secrets.randbits(62)])
            return int(value)
        except Exception:  # noqa: BLE001
            self.down_until = time.monotonic() + self.RETRY_SECONDS
            log.warning("Redis unreachable: the data's generation was not read", exc_info=True)
            return None

    def advance(self) -> None:
        """Raise the generation (after a commit that wrote); a failure is logged: copies then live out their
        PRACHUM_KEPT_RESPONSE_SECONDS."""
        try:
            self.raise_(keys=[GENERATION_KEY], args=[secrets.randbits(62)])
        except Exception:  # noqa: BLE001
            log.error("Redis unreachable: the data's generation was not raised after a write", exc_info=True)


def is_write(statement: str) -> bool:
    """Whether an SQL statement may change data (anything but a read or a savepoint's bookkeeping)."""
    return not statement.lstrip()[:9].upper().startswith(READS)


def watch_writes(app: Flask, engine) -> None:
    """Raise the app's generation (while kept responses are on) whenever a connection of this engine that wrote
    goes back to the pool."""
    from sqlalchemy import event

    def note_write(conn, cursor, statement, parameters, context, executemany) -> None:
        if is_write(statement) and not (context is not None and context.execution_options.get("prachum_bookkeeping")):
            conn.info["prachum_wrote"] = True

    def on_checkin(dbapi_connection, record) -> None:
        if record is not None and record.info.pop("prachum_wrote", False):
            kept = app.extensions.get("prachum_kept")
            if kept is not None:
                kept["generation"].advance()

    event.listen(engine, "before_cursor_execute", note_write)
    event.listen(engine, "checkin", on_checkin)


# --- the copies -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Copy:
    """One kept answer."""

    generation: int
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: tuple[str, bool] | None  # (tag, weak)
    modified: datetime | None  # its Last-Modified
    until: float  # time.time() after which it is not used (its age limit or the credential's expiry)
    user_id: int | None


COPY_OVERHEAD = 1024  # bytes counted for a copy besides its body (key, headers, the record itself)


def weight(copy: Copy) -> int:
    """The bytes a copy is counted as."""
    return len(copy.body) + COPY_OVERHEAD


class Copies:
    """The worker's kept answers, least recently used first out when over `max_bytes` (each counted as its body
    and COPY_OVERHEAD bytes)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[str, Copy] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Copy | None:
        with self.lock:
            copy = self.items.get(key)
            if copy is not None:
                self.items.move_to_end(key)
            return copy

    def put(self, key: str, copy: Copy) -> None:
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= weight(old)
            self.items[key] = copy
            self.size += weight(copy)
            while self.size > self.max_bytes and self.items:
                _key, dropped = self.items.popitem(last=False)
                self.size -= weight(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


# --- the request ----------------------------------------------------------------------------------

def mark_of(endpoint: str | None) -> Mark | None:
    """The Mark of a view marked with kept_response (None: not marked), looked up once per endpoint."""
    marks = current_app.extensions["prachum_kept"]["marks"]
    if endpoint not in marks:
        view = current_app.view_functions.get(endpoint) if endpoint else None
        found = None
        while view is not None and found is None:
            found = getattr(view, "_kept", None)
            view = getattr(view, "__wrapped__", None)
        marks[endpoint] = found
    return marks[endpoint]


def credential(mark: Mark) -> tuple | None:
    """What signs this request in, as the key holds it: a bearer token's digest, or the session's sign-in key with
    its CSRF secret and language; None for an anonymous request or a session that this request would change (a
    message to show, a remember-me cookie to set, a changed client: Flask-Login's session protection). A view
    whose path holds the secret is signed by its path (part of the key already)."""
    from app.auth.loading import bearer_token

    if mark.secret_in_path:
        return ("path",)

    token = bearer_token(request)
    if token is not None:
        return ("token", hashlib.sha256(token.encode()).hexdigest())
    login_key = session.get("_user_id")
    if not login_key or "_flashes" in session or "_remember" in session:
        return None
    from app.extensions import login_manager

    if session.get("_id") != login_manager._session_identifier_generator():
        return None
    return ("session", hashlib.sha256(str(login_key).encode()).hexdigest(), session.get("csrf_token"),
            session.get("lang"))


def request_key(mark: Mark) -> str | None:
    """The key of this request's answer (see the module), or None when it is not to be kept."""
    signed_in = credential(mark)
    if signed_in is None:
        return None
    moment = datetime.now(BANGKOK).strftime("%Y-%m-%d" if mark.clock == "day" else "%Y-%m-%dT%H:%M")
    parts = (request.endpoint, request.full_path, signed_in, request.headers.get("Accept-Language", ""),
             "gzip" in request.headers.get("Accept-Encoding", "").lower(), request.root_url, moment)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def answer_from_copy() -> Response | None:
    """before_request (the first): the kept answer when this request's key has one of the current generation."""
    kept = current_app.extensions.get("prachum_kept")
    if kept is None or not kept["answering"] or request.method != "GET":
        return None
    mark = mark_of(request.endpoint)
    if mark is None:
        return None
    key = request_key(mark)
    if key is None:
        return None
    generation = kept["generation"].current()
    if generation is None:
        return None
    g.kept_request = (key, generation, mark)
    copy = kept["copies"].get(key)
    if copy is None or copy.generation != generation or copy.until <= time.time():
        return None
    g.kept_answer = copy
    if client_copy_is_current(copy.etag[0] if copy.etag else None, copy.modified):
        headers = [(k, v) for k, v in copy.headers if k.lower() in ("etag", "last-modified", "cache-control", "vary")]
        return Response(status=304, headers=headers)
    if copy.status != 200:  # only a revalidation was kept
        g.pop("kept_answer")
        return None
    return Response(copy.body, status=copy.status, headers=list(copy.headers))


def keep(response: Response) -> None:
    """After the response is complete (Prachum.process_response): keep it when this request may be kept (a failure
    is logged: the answer goes out as it is)."""
    try:
        keep_copy(response)
    except Exception:  # noqa: BLE001
        log.exception("the answer was not kept")


def keep_copy(response: Response) -> None:
    asked = g.pop("kept_request", None)
    if asked is None or g.get("kept_answer") is not None:
        return
    if response.status_code not in (200, 304) or response.is_streamed or response.direct_passthrough:
        return
    if "Set-Cookie" in response.headers:
        return
    key, generation, mark = asked
    user, until = (None, float("inf")) if mark.secret_in_path else signed_in_as_asked()
    if user is None and not mark.secret_in_path:
        return
    kept = current_app.extensions["prachum_kept"]
    body = response.get_data()
    if len(body) > kept["max_response_bytes"]:
        return
    etag = response.get_etag()
    if response.status_code == 304:  # the client's copy was current: keep the tag, for its next revalidation
        known = kept["copies"].get(key)
        if not etag[0] or (known is not None and known.generation == generation and known.status == 200):
            return
    until = min(until, time.time() + kept["seconds"])
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() in KEPT_HEADERS)
    kept["copies"].put(key, Copy(generation, response.status_code, headers, body, etag if etag[0] else None,
                                 response.last_modified, until, user))


def signed_in_as_asked() -> tuple[int | None, float]:
    """(user id, until when the credential holds as time.time()) when the view ran for a user signed in by this
    request's credential, else (None, 0). Reads only what Flask-Login loaded (no column is read again)."""
    from app.auth.loading import bearer_token, signed_in_by_token
    from app.operations import signed_in_user_id

    user_id = signed_in_user_id()
    if user_id is None:
        return None, 0
    user = g.get("_login_user")
    if bearer_token(request) is not None:
        if not signed_in_by_token():
            return None, 0
    elif user.__dict__.get("login_key") != session.get("_user_id"):
        return None, 0
    expires = user.__dict__.get("credential_expires_at")
    until = expires.replace(tzinfo=expires.tzinfo or timezone.utc).timestamp() if expires else float("inf")
    return user_id, until


@contextmanager
def paused(app: Flask):
    """Inside the block the app's requests are computed, neither answered from a copy nor kept (writes still raise
    the generation): to count what a request costs when computed (bench/scale.py)."""
    kept = app.extensions.get("prachum_kept")
    if kept is None:
        yield
        return
    kept["answering"] = False
    try:
        yield
    finally:
        kept["answering"] = True


def kept_user_id() -> int | None:
    """The user a kept answer was made for (the request log's user_id when the answer came from a copy)."""
    copy = g.get("kept_answer")
    return copy.user_id if copy is not None else None


def init_kept_responses(app: Flask) -> None:
    """Turn kept responses on when PRACHUM_KEPT_RESPONSES (default: on when REDIS_URL is set) asks for them."""
    wanted = app.config.get("PRACHUM_KEPT_RESPONSES")
    url = app.config.get("PRACHUM_GENERATION_REDIS_URL") or app.config.get("REDIS_URL")
    if not wanted or not url:
        app.extensions.pop("prachum_kept", None)
        return
    from app.extensions import db

    generation = Generation(url)
    app.extensions["prachum_kept"] = {
        "generation": generation, "marks": {}, "answering": True,
        "copies": Copies(app.config["PRACHUM_KEPT_RESPONSES_MAX_BYTES"]),
        "max_response_bytes": app.config["PRACHUM_KEPT_RESPONSE_MAX_BYTES"],
        "seconds": app.config["PRACHUM_KEPT_RESPONSE_SECONDS"],
    }
    if not app.extensions.get("prachum_kept_watching"):
        with app.app_context():
            watch_writes(app, db.engine)
        app.extensions["prachum_kept_watching"] = True
        from app.operations import start_request

        funcs = app.before_request_funcs.setdefault(None, [])
        funcs.insert(funcs.index(start_request) + 1 if start_request in funcs else 0, answer_from_copy)
