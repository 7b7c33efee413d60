"""Security headers on every response: the Content-Security-Policy, framing, referrer, MIME sniffing and,
in production, HSTS.

One policy for every response: pages load script and style only from this site. Templates have no
inline <script>, no on*= handler, no style="" and no <style> block (static/js/prachum.js and
static/css/prachum.css do that work; tests/functional/test_security_headers.py scans templates/ and the
rendered pages for them). The Swagger UI page (/api/v1/swagger) needs no exception either: it is our own
template (templates/api/swagger.html) that starts Swagger UI from static/js/api-docs.js instead of the
library's inline script; Swagger UI 5.31 then sets styles through the DOM, which the policy allows
(checked in headless Chromium: loading, expanding an operation, "Try it out" and "Execute" report no
violation).
"""
from __future__ import annotations

from flask import Flask, Response, current_app

from app import ROOT

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # Bootstrap draws its icons (selects, toggler, close) as data: SVG
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{directive} {sources}" for directive, sources in POLICY.items())


def add_security_headers(response: Response) -> Response:
    """Set the security headers a response does not already set."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")  # other sites learn nothing of our URLs
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", hsts)
    return response


def init_security(app: Flask) -> None:
    """Add the headers to every response; serve the API documentation pages without inline script."""
    app.config.setdefault("SWAGGER_HTML_STRING", (ROOT / "templates" / "api" / "swagger.html").read_text("utf-8"))
    app.config.setdefault("OPENAPI_HTML_STRING", (ROOT / "templates" / "api" / "index.html").read_text("utf-8"))
    app.after_request(add_security_headers)
