"""The signed-in user's API tokens: list, create (the token shown once), revoke."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from flask_login import current_user
from flask_openapi3 import Tag
from pydantic import BaseModel, Field, Strict

from app import access, authz, textlimits, thaidates
from app.api import api
from app.api.schemas import OneLine, RequestModel, errors
from app.auth import services
from app.auth.models import ApiToken

tag = Tag(name="tokens", description="The signed-in user's API tokens")


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: str = Field(description="ISO 8601, Bangkok time")
    expires_at: str | None = Field(description="ISO 8601, Bangkok time; null: valid until revoked")
    last_used_at: str | None = Field(description="ISO 8601, Bangkok time; updated at most once a minute")


class TokenList(BaseModel):
    items: list[TokenOut]


class NewTokenOut(TokenOut):
    token: str = Field(description="The token itself (send as Authorization: Bearer <token>); shown only this once")


TokenName = OneLine(textlimits.SHORT_NAME, min_length=1, description="What the token is for")
TokenDays = Annotated[int, Strict(), Field(ge=1, le=services.TOKEN_MAX_DAYS)]


class TokenIn(RequestModel):
    name: TokenName  # type: ignore[valid-type]
    days: TokenDays | None = Field(None, description="Valid for this many days; omitted or null: until revoked")


class TokenPath(BaseModel):
    id: int


def _iso(value: datetime | None) -> str | None:
    return thaidates.to_bangkok(value).isoformat() if value else None


def token_out(token: ApiToken) -> dict:
    """A token as the API shows it (never the secret)."""
    return TokenOut(id=token.id, name=token.name, created_at=_iso(token.created_at), expires_at=_iso(token.expires_at),
                    last_used_at=_iso(token.last_used_at)).model_dump()


@api.get("/me/tokens", tags=[tag], responses={200: TokenList, **errors(401)})
def list_my_tokens():
    """The signed-in user's tokens that were not revoked (expired ones included), newest first."""
    return {"items": [token_out(t) for t in services.tokens_of(current_user)]}


@api.post("/me/tokens", tags=[tag], responses={201: NewTokenOut, **errors(401, 422)})
def create_my_token(body: TokenIn):
    """Create a token for the signed-in user; the answer carries the token itself, this once only."""
    token, secret = services.create_token(current_user, body.name, body.days)
    return {**token_out(token), "token": secret}, 201


@api.delete("/me/tokens/<int:id>", tags=[tag], responses={204: None, **errors(401, 404)})
def revoke_my_token(path: TokenPath):
    """Revoke one of the signed-in user's tokens (a token of another user: 404)."""
    services.revoke_token(access.load(ApiToken, path.id, read=authz.is_token_owner))
    return "", 204
