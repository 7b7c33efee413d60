"""Date and time fields as Thai offices type them ("26/06/2563 09.30": day first, BE year, 24-hour time).

Every web form's date takes text, parsed on the server by app.thaidates (so a browser without JavaScript
works); static/js/thaidates.js adds a calendar that shows BE years. The JSON API keeps ISO 8601.
"""
from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from app import thaidates

DATE_PLACEHOLDER = _l("วว/ดด/ปปปป")
DATETIME_PLACEHOLDER = _l("วว/ดด/ปปปป ชช.นน")
TIME_PLACEHOLDER = _l("ชช.นน")


def date_problem(error: thaidates.DateInputError, *, with_time: bool = False) -> str:
    """The message shown by a field for a refused date or time (both readings of a Western-looking year)."""
    example = "26/06/2563 09.30" if with_time else "26/06/2563"
    if error.kind == "western_year":
        return _("ปี %(year)d ดูเหมือนปี ค.ศ. หมายถึง พ.ศ. %(be)d ใช่หรือไม่ กรุณากรอกปีเป็น พ.ศ. เช่น %(example)s",
                 year=error.year, be=error.be_reading,
                 example=error.text.replace(str(error.year), str(error.be_reading), 1))
    if error.kind == "out_of_range":
        return _("ปี พ.ศ. %(year)d อยู่นอกช่วงที่รับได้ (พ.ศ. %(low)d–%(high)d)",
                 year=error.year, low=error.low, high=error.high)
    if error.kind == "no_such_date":
        return _("ไม่มีวันที่นี้ในปฏิทิน (%(text)s)", text=error.text)
    if error.kind == "missing_time":
        return _("กรุณาระบุเวลาด้วย เช่น %(example)s", example=example)
    if error.kind == "no_such_time":
        return _("เวลาไม่ถูกต้อง ใช้แบบ 24 ชั่วโมง 00.00–23.59")
    if error.kind == "empty":
        return _("กรุณาระบุวันที่")
    return _("อ่านวันที่ไม่ได้ กรุณากรอกแบบ วว/ดด/ปปปป (ปี พ.ศ.) เช่น %(example)s", example=example)


def read_typed_date(text: str | None, *, with_time: bool = False) -> tuple[date | datetime | None, str | None]:
    """For hand-written forms: (value, None), (None, None) when blank, or (None, the message why not)."""
    if text is None or not str(text).strip():
        return None, None
    try:
        return thaidates.parse_typed_date(text, thaidates.today_bangkok(), with_time=with_time), None
    except thaidates.DateInputError as error:
        return None, date_problem(error, with_time=with_time)


def read_typed_time(text: str | None) -> tuple[time | None, str | None]:
    """A time of day from a hand-written form: (time, None), (None, None) when blank, or (None, why not)."""
    if text is None or not str(text).strip():
        return None, None
    try:
        return thaidates.parse_typed_time(text), None
    except thaidates.DateInputError as error:
        return None, date_problem(error) if error.kind != "unparseable" else _("ระบุเวลาเป็น ชช.นน เช่น 09.30")


class ThaiDateField(Field):
    """A date typed as "26/06/2563" (BE year); `data` is a date. Keeps what was typed when refused."""

    widget = TextInput()
    with_time = False
    placeholder = DATE_PLACEHOLDER
    inputmode = "decimal"

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": self.placeholder, "inputmode": self.inputmode, "autocomplete": "off",
                     "data-thai-date": "datetime" if self.with_time else "date",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return self.format(self.data)

    def format(self, value) -> str:
        """The value as the field shows it."""
        return thaidates.typed_date(value)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            self.data = thaidates.parse_typed_date(valuelist[0], thaidates.today_bangkok(), with_time=self.with_time)
        except thaidates.DateInputError as error:
            raise ValueError(date_problem(error, with_time=self.with_time)) from None

    def pre_validate(self, form) -> None:
        """A text that could not be read stops here, so "required" does not hide the reason."""
        if self.process_errors:
            raise StopValidation()


class ThaiDateTimeField(ThaiDateField):
    """A date and time typed as "26/06/2563 09.30" (BE year, Bangkok time); `data` is an aware datetime."""

    with_time = True
    placeholder = DATETIME_PLACEHOLDER
    inputmode = "text"

    def format(self, value) -> str:
        return thaidates.typed_datetime(value) if isinstance(value, datetime) else thaidates.typed_date(value)


def shown_date(value: date | str | None) -> str:
    """A date (or ISO text, as hand-written forms keep it) shown as typed: "26/06/2563"; other text unchanged."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return thaidates.typed_date(value) if value else ""


def shown_time(value: time | str | None) -> str:
    """A time of day (or "HH:MM" text) shown as typed: "09.30"; other text unchanged."""
    if isinstance(value, str):
        try:
            value = time.fromisoformat(value)
        except ValueError:
            return value
    return thaidates.typed_time(value) if value else ""


def iso_or_typed(text: str | None, *, clock: bool = False) -> str | None:
    """A hand-written form's BE date ("26/06/2563") or time ("09.30") as the ISO text the services take; text that
    cannot be read is passed on as it is, for the service to refuse."""
    value, problem = read_typed_time(text) if clock else read_typed_date(text)
    if value is None:
        return text if problem else None
    return value.strftime("%H:%M") if clock else value.isoformat()
