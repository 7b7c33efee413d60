"""How responses travel: static files fingerprinted and cached for a year, bodies of a few KB compressed.

- Every `url_for('static', …)` (and a blueprint's static files: Bootstrap, Swagger UI) carries `?v=<hash of the
  file's content>`; a request whose `v` is the file's current hash is answered `Cache-Control: public,
  max-age=31536000, immutable`, any other request for a static file a short cache (STATIC_SHORT_MAX_AGE).
  A changed file gets a new URL in the next page, so a browser never keeps an old stylesheet.
- Responses of a compressible type (HTML, JSON, CSS, JS, SVG …) over COMPRESS_MIN_SIZE are compressed
  (Brotli or gzip, as the client accepts) by Flask-Compress; documents, spreadsheets, PDFs and images are
  already compressed and go as they are, as do 304s. A compressed body's ETag becomes weak (W/"…"): the
  same validator stands for the compressed and the plain bytes, and If-None-Match compares weakly.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

YEAR_SECONDS = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR_SECONDS}, immutable"
FINGERPRINT_PARAMETER = "v"
FINGERPRINT_LENGTH = 12


@dataclass(frozen=True)
class Fingerprint:
    """A file's content hash, kept with the size and modification time it was computed for."""

    size: int
    mtime_ns: int
    digest: str


_fingerprints: dict[str, Fingerprint] = {}


def content_fingerprint(path: str) -> str | None:
    """The short content hash of a file (recomputed only when its size or modification time changed), or None
    when there is no such file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    known = _fingerprints.get(path)
    if known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return known.digest
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    known = Fingerprint(stat.st_size, stat.st_mtime_ns, digest.hexdigest()[:FINGERPRINT_LENGTH])
    _fingerprints[path] = known
    return known.digest


def is_static_endpoint(endpoint: str | None) -> bool:
    """The app's own static route or a blueprint's (bootstrap.static, swagger.static …)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def static_folder_of(app: Flask, endpoint: str) -> str | None:
    """The folder a static endpoint serves."""
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def static_file_fingerprint(app: Flask, endpoint: str, filename: str) -> str | None:
    """The fingerprint of one file served by a static endpoint, None when it serves no such file."""
    folder = static_folder_of(app, endpoint)
    path = safe_join(folder, filename) if folder else None
    return content_fingerprint(path) if path else None


def add_fingerprint(endpoint: str, values: dict) -> None:
    """url_defaults: a static file's URL gets ?v=<content hash> (unless one was given)."""
    if not is_static_endpoint(endpoint) or FINGERPRINT_PARAMETER in values or "filename" not in values:
        return
    fingerprint = static_file_fingerprint(current_app, endpoint, values["filename"])
    if fingerprint:
        values[FINGERPRINT_PARAMETER] = fingerprint


def static_cache_control(response: Response) -> Response:
    """after_request: a year for a static file asked by its current fingerprint, a short cache otherwise."""
    if not is_static_endpoint(request.endpoint) or response.status_code not in (200, 206, 304):
        return response
    asked = request.args.get(FINGERPRINT_PARAMETER)
    filename = (request.view_args or {}).get("filename", "")
    if asked and asked == static_file_fingerprint(current_app, request.endpoint, filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = f"public, max-age={current_app.config['STATIC_SHORT_MAX_AGE']}"
    response.expires = None
    return response


def compress_response(response: Response) -> Response:
    """after_request: compress through Flask-Compress, then make the ETag of a compressed body weak."""
    from app.extensions import compress

    etag, weak = response.get_etag()
    response = compress.after_request(response)
    if etag and not weak and "Content-Encoding" in response.headers:  # compressed here or kept so (kept_json)
        response.set_etag(etag, weak=True)
    return response


def client_copy_is_current(etag: str | None, modified: datetime | None) -> bool:
    """Whether the client's copy is the one with this entity tag (unquoted) and Last-Modified: If-None-Match decides
    when sent (RFC 9110 13.2.2, weak comparison), otherwise If-Modified-Since (to the second, as HTTP dates go)."""
    if request.if_none_match:
        return etag is not None and request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and modified is not None and modified.replace(microsecond=0) <= since


def kept_json(namespace: str, parts: tuple, compute: Callable[[], Any],
              worth_keeping: Callable[[Any], bool] | None = None) -> Response:
    """A JSON answer whose bytes, and their gzip when worth compressing, are kept in the shared cache (app.caching)
    under (namespace, parts): a reader of a kept answer costs neither serialising nor compressing it again (a
    roll-up of every unit is a megabyte of JSON). compute() gives the body (kept when worth_keeping(body) says
    so); the bytes are Flask's own JSON answer. A client that accepts gzip gets the kept gzip (Content-Encoding
    set, so compress_response only makes its ETag weak)."""
    from app import caching

    kept = caching.recall(namespace, parts)
    if kept is None:
        body = compute()
        data = current_app.json.response(body).get_data()
        packed = (gzip.compress(data, compresslevel=current_app.config["COMPRESS_LEVEL"], mtime=0)
                  if len(data) >= current_app.config["COMPRESS_MIN_SIZE"] else None)
        kept = (data, packed)
        if worth_keeping is None or worth_keeping(body):
            caching.keep(namespace, parts, kept)
    data, packed = kept
    response = current_app.response_class(data, mimetype=current_app.json.mimetype)
    if packed is not None and request.accept_encodings.quality("gzip") > 0:
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
    return response


def init_responses(app: Flask) -> None:
    """Fingerprint static URLs, set their caching, and compress what is worth compressing (registered first,
    so that compression runs after every other after_request function)."""
    from app.extensions import compress

    app.config.setdefault("STATIC_SHORT_MAX_AGE", 300)
    app.config.setdefault("COMPRESS_REGISTER", False)  # compress_response below wraps it
    app.config.setdefault("COMPRESS_MIN_SIZE", 2048)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)  # views and send_file answer 304 first
    compress.init_app(app)
    app.url_defaults(add_fingerprint)
    app.after_request(compress_response)
    app.after_request(static_cache_control)
