"""Row ids from the outside world: paths, query strings, JSON. One range rule for all of them.

Every primary key is an INTEGER (32-bit on PostgreSQL), so an id above 2^31-1 can name no row: such
paths do not match (404), such query-string values are ignored, such JSON ids are refused (422).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL


def parse_id(value) -> int | None:
    """The id written in `value` ("12"), or None when it is not a whole number in 1 … MAX_ID."""
    if value is None:
        return None
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def digits_at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0 … limit (no sign; leading zeros count as digits)."""
    digits = str(limit)
    alternatives = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        low = 1 if position == 0 and len(digits) > 1 else 0
        if int(digit) - 1 >= low:
            rest = len(digits) - position - 1
            alternatives.append(f"{digits[:position]}[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    alternatives.append(digits)
    return f"(?:{'|'.join(alternatives)})"


class IdConverter(IntegerConverter):
    """Werkzeug's "int" converter limited to 0 … MAX_ID: <int:id> routes do not match larger numbers.

    The limit is in the regular expression (not only in to_python), so a larger number matches no rule
    at all: 404 for every method, where a refusal in to_python would answer 405 for some."""

    regex = digits_at_most(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max,
                         signed=signed)


def query_id(name: str) -> int | None:
    """The id in the query string's `name` (?body=12), or None when absent or not a valid id."""
    from flask import request

    return parse_id(request.args.get(name))
