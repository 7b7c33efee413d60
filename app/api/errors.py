"""The API's single error shape: {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from pydantic import ValidationError

from app.textlimits import BAD_CHARACTER, TOO_LONG

def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


FIELD_MESSAGES = {
    "missing": N_("จำเป็นต้องระบุ"),
    "string_too_long": N_("ยาวเกินกำหนด"),
    "string_too_short": N_("ต้องไม่เว้นว่าง"),
    "int_parsing": N_("ต้องเป็นจำนวนเต็ม"),
    "int_type": N_("ต้องเป็นจำนวนเต็ม"),
    "bool_parsing": N_("ต้องเป็น true หรือ false"),
    "literal_error": N_("ไม่ใช่ค่าที่รองรับ"),
    "enum": N_("ไม่ใช่ค่าที่รองรับ"),
    "datetime_from_date_parsing": N_("วันเวลาไม่ถูกต้อง"),
    "datetime_parsing": N_("วันเวลาไม่ถูกต้อง"),
    "date_parsing": N_("วันที่ไม่ถูกต้อง"),
    "date_from_datetime_parsing": N_("วันที่ไม่ถูกต้อง"),
    "value_error": None,  # our own validators' messages are already readable
    "extra_forbidden": N_("ไม่รู้จักช่องข้อมูลนี้"),
    "string_type": N_("ต้องเป็นข้อความ"),
    "bool_type": N_("ต้องเป็น true หรือ false"),
    "int_from_float": N_("ต้องเป็นจำนวนเต็ม"),
    "float_type": N_("ต้องเป็นตัวเลข"),
    "float_parsing": N_("ต้องเป็นตัวเลข"),
    "decimal_type": N_("ต้องเป็นตัวเลข"),
    "decimal_parsing": N_("ต้องเป็นตัวเลข"),
    "finite_number": N_("ต้องเป็นตัวเลข"),
    "list_type": N_("ต้องเป็นรายการ (JSON array)"),
    "string_unicode": BAD_CHARACTER,  # a lone surrogate ("\ud800"): pydantic refuses it before our validators
    "greater_than_equal": N_("ค่าน้อยเกินไป"),
    "less_than_equal": N_("ค่ามากเกินไป"),
    "model_type": N_("ต้องเป็นออบเจกต์ JSON"),
    "dict_type": N_("ต้องเป็นออบเจกต์ JSON"),
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """The JSON body of every API error."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def fields_of(error: ValidationError) -> dict[str, str]:
    """Pydantic errors as {field.path: readable message}; errors about the whole body use the key "body"."""
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"]) or "body"
        if item["type"] == "string_too_long":  # the limit, as the forms and services say it (app.textlimits)
            fields.setdefault(path, _(TOO_LONG, n=item["ctx"]["max_length"]))
            continue
        message = FIELD_MESSAGES.get(item["type"]) or item["msg"].removeprefix("Value error, ")
        fields.setdefault(path, _(message))
    return fields


def validation_error_response(error: ValidationError):
    """flask-openapi3's callback: a 422 in our error shape."""
    response = jsonify(error_body("validation_error", _("ข้อมูลไม่ถูกต้อง"), fields_of(error)))
    response.status_code = 422
    return response
