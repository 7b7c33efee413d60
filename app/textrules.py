"""app.textlimits for the web layer and services: messages in the user's language and a WTForms validator.

The pydantic (API) types built from the same limits are in app.api.schemas (OneLine, Text, LongText).
"""
from __future__ import annotations

from flask_babel import gettext
from wtforms.validators import ValidationError

from app.textlimits import check_text


def text_problem(value: str | None, limit: int, *, one_line: bool = False) -> str | None:
    """check_text with the message in the user's language."""
    return check_text(value, limit, one_line=one_line, gettext=gettext)


class TextRule:
    """WTForms validator: at most `limit` characters, no control characters, one line when `one_line`.

    Also sets maxlength on the rendered input, like wtforms' Length.
    """

    def __init__(self, limit: int, *, one_line: bool = True):
        self.limit = limit
        self.one_line = one_line
        self.field_flags = {"maxlength": limit}

    def __call__(self, form, field) -> None:
        problem = text_problem(field.data if isinstance(field.data, str) else None, self.limit,
                               one_line=self.one_line)
        if problem:
            raise ValidationError(problem)

