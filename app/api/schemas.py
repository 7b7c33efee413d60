"""Shared API schemas: the error shape and small reusable pieces."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] = {}


class ErrorResponse(BaseModel):
    """Every error: {"error": {"code", "message", "fields"}}."""

    error: ErrorDetail


class ORMModel(BaseModel):
    """A response model read from ORM attributes."""

    model_config = ConfigDict(from_attributes=True)


class UnitOut(ORMModel):
    id: int
    code: str
    name: str
    short_name: str | None = None


class UnitRef(ORMModel):
    id: int
    code: str
    name: str


ERROR_RESPONSES = {400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
                   409: ErrorResponse, 422: ErrorResponse}


def errors(*codes: int) -> dict:
    """OpenAPI responses for the given error codes (all share ErrorResponse)."""
    return {code: ErrorResponse for code in codes}
