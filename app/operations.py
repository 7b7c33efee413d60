"""Running Prachum as a service: a request id on every request and in every log line, structured JSON logs,
Prometheus metrics at /metrics, and the proxy headers of the reverse proxy in front.

- Request id: the proxy's X-Request-ID when it is a sane token, else a new one; returned in the response's
  X-Request-ID and written in every log record of the request (field `request_id`).
- Logs: PRACHUM_LOG_FORMAT=json (the default in production) writes one JSON object per line to standard error
  (time, level, logger, message, request_id, and for each request: method, path, status, duration_ms, user_id).
- /metrics: request latency by endpoint and method, requests by status class, the job queues' depth; for
  administrators, or without sign-in from PRACHUM_METRICS_NETWORKS (e.g. "127.0.0.1/32,10.0.0.0/8"). Under
  gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py clears it at start) so that
  /metrics adds up every worker.
- PRACHUM_PROXY_HOPS=1 (behind nginx): client address, scheme and host come from X-Forwarded-* (ProxyFix).
"""
from __future__ import annotations

import ipaddress
import logging
import os
import re
import sys
import time
import uuid

import sqlalchemy
from flask import Flask, Response, abort, g, has_request_context, request
from flask_login import current_user
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from werkzeug.middleware.proxy_fix import ProxyFix

from app import authz
from app.kept_responses import kept_user_id

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LATENCY = Histogram("prachum_request_seconds", "Time to answer a request, by endpoint and method",
                    ("endpoint", "method"), buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
RESPONSES = Counter("prachum_responses_total", "Responses by endpoint and status class (2xx, 3xx, 4xx, 5xx)",
                    ("endpoint", "status"))
QUEUE = Gauge("prachum_job_queue", "Deliveries waiting, being retried or failed, by channel",
              ("channel", "state"), multiprocess_mode="livemax")


def request_id() -> str | None:
    """This request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def configure_logging(app: Flask) -> None:
    """JSON lines (PRACHUM_LOG_FORMAT=json, the production default) or plain text, with the request id."""
    wanted = app.config.get("PRACHUM_LOG_FORMAT") or ("json" if app.config.get("ENV_NAME") == "production" else "text")
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if wanted == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                           rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                                           json_ensure_ascii=False))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    handler.set_name("prachum")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "prachum"]:
        root.removeHandler(old)
    if not app.testing:  # pytest keeps its own capture handlers
        root.addHandler(handler)
        root.setLevel(app.config.get("PRACHUM_LOG_LEVEL") or "INFO")
    app.extensions["prachum_log_handler"] = handler


def start_request() -> None:
    """before_request (the first): the request id and the clock of the request's duration."""
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    started = g.get("started")
    response.headers.setdefault("X-Request-ID", g.get("request_id") or "")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    endpoint = request.endpoint or "unknown"
    LATENCY.labels(endpoint, request.method).observe(seconds)
    RESPONSES.labels(endpoint, f"{response.status_code // 100}xx").inc()
    user = signed_in_user_id() or kept_user_id()
    logging.getLogger("prachum.request").info(
        "%s %s %s", request.method, request.path, response.status_code,
        extra={"method": request.method, "path": request.path, "status": response.status_code,
               "duration_ms": round(seconds * 1000, 1), "user_id": user})
    return response


def signed_in_user_id() -> int | None:
    """The id of the user this request signed in, as Flask-Login loaded them (None: anonymous), read from the row's
    identity: after the request's commit every row is expired, and asking it for `id` would read it again."""
    state = sqlalchemy.inspect(g.get("_login_user"), raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def from_metrics_network(address: str | None, networks: str | None) -> bool:
    """Whether a client address lies in one of the comma-separated networks (CIDR)."""
    if not address or not networks:
        return False
    try:
        client = ipaddress.ip_address(address)
        return any(client in ipaddress.ip_network(net.strip(), strict=False) for net in networks.split(",")
                   if net.strip())
    except ValueError:
        return False


def metrics() -> Response:
    """Prometheus metrics (text format) for administrators or the configured networks."""
    from flask import current_app

    allowed = authz.can_watch_jobs(current_user) or from_metrics_network(
        request.remote_addr, current_app.config.get("PRACHUM_METRICS_NETWORKS"))
    if not allowed:
        abort(404 if not getattr(current_user, "is_authenticated", False) else 403)
    from app import jobs

    for channel, state in jobs.queue_states().items():
        for name in ("queued", "retrying", "failed"):
            QUEUE.labels(channel, name).set(getattr(state, name))
    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    data = generate_latest(registry) if registry is not None else generate_latest()
    return Response(data, mimetype=CONTENT_TYPE_LATEST.split(";")[0], headers={"Cache-Control": "no-store"})


def init_operations(app: Flask) -> None:
    """Request ids, logs, /metrics and the proxy headers."""
    configure_logging(app)
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request(_finish)
    app.add_url_rule("/metrics", "metrics", metrics)
    hops = int(app.config.get("PRACHUM_PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
