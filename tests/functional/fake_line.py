"""A stand-in for LINE's Messaging API on loopback: it speaks the documented push and reply endpoints
(POST /v2/bot/message/push and /v2/bot/message/reply, JSON, Authorization: Bearer <channel access token>)
and records every request, so tests see exactly what the app sent. Also signs webhook bodies as LINE does.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "test-channel-access-token"
SECRET = "test-channel-secret"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: dict


@dataclass
class FakeLine:
    """What the fake server received; `fail_next` makes the next N pushes answer 500."""

    requests: list[Recorded] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pushes(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v2/bot/message/push"]

    def replies(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v2/bot/message/reply"]

    def texts_to(self, line_user_id: str) -> list[str]:
        return [m["text"] for r in self.pushes() if r.body["to"] == line_user_id for m in r.body["messages"]]


def _handler(state: FakeLine):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            body = json.loads(raw or b"{}")
            with state.lock:
                state.requests.append(Recorded("POST", self.path, dict(self.headers), body))
                failing = self.path == "/v2/bot/message/push" and state.fail_next > 0
                if failing:
                    state.fail_next -= 1
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._answer(401, {"message": "Authentication failed"})
            if failing:
                return self._answer(500, {"message": "Internal error"})
            if self.path == "/v2/bot/message/push":
                return self._answer(200, {"sentMessages": [{"id": str(len(state.requests)), "quoteToken": "q"}]})
            if self.path == "/v2/bot/message/reply":
                return self._answer(200, {"sentMessages": [{"id": str(len(state.requests)), "quoteToken": "q"}]})
            return self._answer(404, {"message": "Not found"})

        def _answer(self, status: int, payload: dict):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def line_api(app, monkeypatch):
    """LINE configured, its API served by a fake on a free loopback port; yields what the fake received."""
    state = FakeLine()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setitem(app.config, "LINE_CHANNEL_SECRET", SECRET)
    monkeypatch.setitem(app.config, "LINE_API_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def signature(body: bytes, secret: str = SECRET) -> str:
    """X-Line-Signature: base64 of the HMAC-SHA256 of the body with the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def text_message_webhook(user_id: str, text: str, *, reply_token: str = "reply-token-1") -> bytes:
    """A webhook body in LINE's documented format: one text message from a user."""
    return json.dumps({
        "destination": "Uffffffffffffffffffffffffffffffff",
        "events": [{
            "type": "message",
            "message": {"type": "text", "id": "468789577898262530", "quoteToken": "q3Plxr4AgKd", "text": text},
            "webhookEventId": "01H810YECXQQZ37VAXPF6H9E6T",
            "deliveryContext": {"isRedelivery": False},
            "timestamp": 1692251666727,
            "source": {"type": "user", "userId": user_id},
            "replyToken": reply_token,
            "mode": "active",
        }],
    }, ensure_ascii=False).encode()
