"""Idempotency-Key for API POSTs: a retried request answers its first result instead of doing it again.

A client that sends `Idempotency-Key: <any unique string>` with a POST (say, scheduling a meeting) and
retries after a lost answer gets the first answer (same status, same body) and no second meeting. The
answer is stored in the same transaction as the change it describes (the request layer commits both at
once, app.transactions), so one never exists without the other. A key belongs to one user and one
request: reused with another body or another path it is refused (422). Keys are kept 24 hours.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps
from typing import Callable

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.api.models import IdempotencyKey
from app.dbtypes import utcnow
from app.errors import Conflict, Invalid, ServiceError
from app.extensions import db

KEY_HEADER = "Idempotency-Key"
KEY_MAX = 255
LIFETIME_HOURS = 24
LIFETIME = timedelta(hours=LIFETIME_HOURS)
REPLAYED_HEADER = "Idempotent-Replayed"


def request_key() -> str | None:
    """The request's Idempotency-Key (None without one); 400 when empty, too long or not printable ASCII."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return None
    if not 0 < len(key) <= KEY_MAX or not all(" " <= ch <= "~" for ch in key):
        raise ServiceError(_("Idempotency-Key ต้องเป็นข้อความ ASCII ที่พิมพ์ได้ 1–%(n)d ตัวอักษร", n=KEY_MAX),
                           {KEY_HEADER: _("ค่าไม่ถูกต้อง")}, code="invalid_idempotency_key")
    return key


def body_fingerprint() -> str:
    """SHA-256 of what the request asks: its JSON body, or its form fields and file contents."""
    digest = hashlib.sha256()
    if request.mimetype == "multipart/form-data":  # the boundary changes on every retry; the content does not
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda pair: pair[0]):
            digest.update(f"{name}:{upload.filename}\n".encode())
            digest.update(upload.stream.read())
            upload.stream.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def first_answer(user_id: int, key: str) -> IdempotencyKey | None:
    """The stored answer of this user's key, unless it has expired."""
    return db.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
        IdempotencyKey.created_at >= utcnow() - LIFETIME))


def replay(stored: IdempotencyKey) -> Response:
    """The first answer again, marked as a replay."""
    response = Response(stored.response_body or None, status=stored.status, mimetype="application/json")
    response.headers[REPLAYED_HEADER] = "true"
    return response


def keep_answer(user_id: int, key: str, target: str, fingerprint: str, response: Response) -> None:
    """Store the answer beside the change (same transaction); expired keys are dropped on the way."""
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - LIFETIME))
    db.session.add(IdempotencyKey(user_id=user_id, key=key, request=target, body_hash=fingerprint,
                                  status=response.status_code, response_body=response.get_data(as_text=True)))
    try:
        db.session.flush()
    except IntegrityError:  # the same key, sent again while the first request was still running
        raise Conflict(_("คำขอที่ใช้ Idempotency-Key นี้กำลังดำเนินการอยู่ กรุณาลองอีกครั้งในภายหลัง"),
                       {KEY_HEADER: _("กำลังดำเนินการ")}, code="idempotency_key_in_use") from None


def idempotent(view: Callable) -> Callable:
    """Wrap an API POST view: with an Idempotency-Key, answer a retry with the first answer."""

    @wraps(view)
    def answer(*args, **kwargs):
        key = request_key()
        if key is None or not current_user.is_authenticated:
            return view(*args, **kwargs)
        target = f"{request.method} {request.path}"[:600]
        fingerprint = body_fingerprint()
        stored = first_answer(current_user.id, key)
        if stored is not None:
            if stored.request != target or stored.body_hash != fingerprint:
                raise Invalid(_("Idempotency-Key นี้ใช้กับคำขออื่นไปแล้ว (เนื้อหาหรือที่อยู่ต่างกัน) "
                                "กรุณาใช้ key ใหม่สำหรับคำขอใหม่"),
                              {KEY_HEADER: _("ใช้กับคำขออื่นไปแล้ว")}, code="idempotency_key_reused")
            return replay(stored)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code < 400:
            keep_answer(current_user.id, key, target, fingerprint, response)
        return response

    return answer


def not_idempotent(view: Callable) -> Callable:
    """Mark a POST whose body must not be kept beside its user (a ballot: its hash would reveal a secret choice);
    a retry of such a POST is answered by the operation's own rule (a second ballot is 409)."""
    view._not_idempotent = True
    return view


def make_posts_idempotent(app, blueprint_name: str) -> None:
    """Wrap every POST endpoint of the blueprint (once, after it is registered), except those marked not_idempotent."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith(f"{blueprint_name}.") and "POST" in (rule.methods or ())}
    for endpoint in endpoints:
        if not getattr(app.view_functions[endpoint], "_not_idempotent", False):
            app.view_functions[endpoint] = idempotent(app.view_functions[endpoint])
