"""The finishing touches of /api/v1/openapi.json, so the document says what the API really does.

flask-openapi3 declares its own 422 (a list of ValidationErrorModel) on every operation; the API sends
{"error": {"code", "message", "fields"}} for every 400 and 422 (app.api.errors), so those are replaced.
Writes also document the 400 of a malformed body and the Idempotency-Key header of POSTs, and an
action's body (app.api.schemas.ActionBody) is marked optional.
"""
from __future__ import annotations

from app.api.idempotency import KEY_HEADER, KEY_MAX, LIFETIME_HOURS
from app.api.schemas import ActionBody, ErrorDetail, ErrorResponse

SCHEMAS = "#/components/schemas/"
ERROR_DESCRIPTIONS = {"400": "Bad Request", "409": "Conflict", "422": "Unprocessable Entity"}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _subclasses(model: type) -> set[str]:
    """Names of every model deriving from `model`."""
    names = set()
    for child in model.__subclasses__():
        names.add(child.__name__)
        names |= _subclasses(child)
    return names


def error_response(status: str) -> dict:
    """An OpenAPI response whose body is ErrorResponse."""
    return {"description": ERROR_DESCRIPTIONS.get(status, status),
            "content": {"application/json": {"schema": {"$ref": SCHEMAS + ErrorResponse.__name__}}}}


def idempotency_parameter() -> dict:
    """The optional Idempotency-Key header of every POST."""
    return {
        "name": KEY_HEADER, "in": "header", "required": False,
        "description": (f"Any unique string (e.g. a UUID). A retry with the same key by the same user answers the "
                        f"first result (status and body) instead of doing it again; the same key with another "
                        f"body or path is refused (422). Keys are kept {LIFETIME_HOURS} hours."),
        "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
    }


def complete_document(document: dict) -> dict:
    """Declare every 400 and 422 as ErrorResponse, a 400 for every body, the Idempotency-Key of POSTs (with
    its 400 and 409), and optional action bodies; drop flask-openapi3's unused ValidationErrorModel."""
    optional_bodies = {SCHEMAS + name for name in _subclasses(ActionBody)}
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            body = operation.get("requestBody")
            if body is not None:
                responses.setdefault("400", {})
                schema = body.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref") in optional_bodies:
                    body["required"] = False
            responses["422"] = {}
            if method == "post":  # a malformed Idempotency-Key (400), the same key still running (409)
                responses.setdefault("400", {})
                responses.setdefault("409", error_response("409"))
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == KEY_HEADER and p.get("in") == "header" for p in parameters):
                    parameters.append(idempotency_parameter())
            for status in ("400", "422"):
                if status in responses:
                    responses[status] = error_response(status)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("ValidationErrorModel", None)
    for model in (ErrorResponse, ErrorDetail):
        if model.__name__ not in schemas:
            schemas[model.__name__] = _component(model)
    return document


def _component(model) -> dict:
    """A model's JSON schema with references into components (as flask-openapi3 writes them)."""
    schema = model.model_json_schema(ref_template=SCHEMAS + "{model}")
    schema.pop("$defs", None)
    return schema
