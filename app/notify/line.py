"""The LINE Official Account through the Messaging API (line-bot-sdk v3): push, reply, webhook parsing.

Configured by LINE_CHANNEL_ACCESS_TOKEN and LINE_CHANNEL_SECRET; LINE_API_BASE_URL (default
https://api.line.me) points the client elsewhere (a test server, a proxy). Without a token and a secret
LINE is off: the options are hidden and nothing is pushed.
"""
from __future__ import annotations

from flask import current_app
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.webhook import WebhookParser

TIMEOUT_SECONDS = 15


def configured() -> bool:
    """Whether a LINE Official Account is configured (channel access token and channel secret)."""
    config = current_app.config
    return bool(config.get("LINE_CHANNEL_ACCESS_TOKEN") and config.get("LINE_CHANNEL_SECRET"))


def _client() -> ApiClient:
    config = current_app.config
    base = (config.get("LINE_API_BASE_URL") or "https://api.line.me").rstrip("/")
    return ApiClient(Configuration(host=base, access_token=config["LINE_CHANNEL_ACCESS_TOKEN"]))


def push(to: str, text: str, retry_key: str) -> None:
    """Push one text message to a LINE user; a push LINE already accepted under `retry_key` (409) counts as sent."""
    with _client() as client:
        try:
            MessagingApi(client).push_message(PushMessageRequest(to=to, messages=[TextMessage(text=text)]),
                                              x_line_retry_key=retry_key, _request_timeout=TIMEOUT_SECONDS)
        except ApiException as error:
            if error.status != 409:
                raise


def reply(reply_token: str, text: str) -> None:
    """Answer a webhook event with one text message (the reply token is valid for a short while only)."""
    with _client() as client:
        MessagingApi(client).reply_message(
            ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text)]),
            _request_timeout=TIMEOUT_SECONDS)


def parse_webhook(body: str, signature: str) -> list:
    """The events of a webhook body; InvalidSignatureError unless X-Line-Signature is the body's
    HMAC-SHA256 (base64) with the channel secret; ValueError/KeyError for a body that is not LINE's JSON."""
    return WebhookParser(current_app.config["LINE_CHANNEL_SECRET"]).parse(body, signature)
