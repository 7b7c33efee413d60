"""Shared API schemas: the error shape and small reusable pieces."""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, model_validator

from app import textlimits
from app.ids import MAX_ID


class ArgumentsModel(BaseModel):
    """Base of the models of a query string or a form: flask-openapi3 reads the model's JSON schema on every request
    to know how to take the arguments; a class's schema never changes, so it is worked out once (asked with options,
    as the OpenAPI document does, it is worked out as pydantic does)."""

    @classmethod
    def model_json_schema(cls, *args, **kwargs) -> dict[str, Any]:
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        known = _PLAIN_SCHEMAS.get(cls)
        if known is None:
            known = _PLAIN_SCHEMAS[cls] = super().model_json_schema()
        return known


_PLAIN_SCHEMAS: dict[type, dict[str, Any]] = {}


class RequestModel(BaseModel):
    """Base of every request body and query model (*In): unknown fields are refused (422 naming each)."""

    model_config = ConfigDict(extra="forbid")


def _text_rule(limit: int, one_line: bool):
    def check(value: str) -> str:
        from flask_babel import gettext

        problem = textlimits.check_text(value, limit, one_line=one_line, gettext=gettext)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def OneLine(limit: int = textlimits.TITLE, **field):  # noqa: N802  (a type, used like one)
    """A one-line text of at most `limit` characters (app.textlimits): no CR/LF, no control characters.

    Extra keyword arguments go to pydantic's Field (min_length=1, description=…).
    """
    return Annotated[str, Field(max_length=limit, **field), _text_rule(limit, True)]


def Text(limit: int = textlimits.LONG_TEXT, **field):  # noqa: N802
    """A multi-line text of at most `limit` characters: CR/LF and TAB allowed, other control characters not."""
    return Annotated[str, Field(max_length=limit, **field), _text_rule(limit, False)]


Title = OneLine(textlimits.TITLE)
Name = OneLine(textlimits.NAME)
LongText = Text(textlimits.LONG_TEXT)  # notes, details, discussions, report texts: 100,000 characters
StrictInt = Annotated[int, Strict()]  # a JSON integer; true/false and "12" are refused
StrictFloat = Annotated[float, Strict()]  # a JSON number (integers too); true/false and strings are refused
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]  # a row id in JSON: 1 … 2^31-1
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]  # a row id in a query string (?round=12): 1 … 2^31-1



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


class ActionBody(RequestModel):
    """Base of an action's body (publish, circulate, submit, accept): every field is optional, so the body
    may be left out altogether (no body, no Content-Type), which means {}."""

    @model_validator(mode="before")
    @classmethod
    def no_body_means_empty(cls, data: Any) -> Any:
        return {} if data is None else data
