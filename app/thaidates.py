"""Thai date helpers: Buddhist-era years, fiscal years, reporting rounds and Thai/English formatting.

Pure module: plain values in, plain values out (no Flask, no database). Dates typed in the web forms
("26/06/2563 09.30": day first, BE year, 24-hour time) are read by ``parse_typed_date`` and shown by ``typed_*``.

Naive datetime conventions (as agreed for the app):
- storage-side helpers (``to_bangkok``, ``thai_*``, ``english_*``) treat a naive datetime as UTC,
  because the database stores UTC;
- input-side helpers (``to_utc``, ``parse_local_datetime``, ``fiscal_year_of``, ``numbering_year``)
  treat a naive datetime as Bangkok local time, because that is what a user types.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

try:  # PyThaiNLP works offline for thai_strftime; keep our own tables as a fallback.
    from pythainlp.util import thai_strftime as _pythainlp_strftime
except ImportError:  # pragma: no cover - pythainlp is a declared dependency
    _pythainlp_strftime = None

__all__ = [
    "BANGKOK",
    "UTC",
    "be_year",
    "is_sane_year",
    "sane_year_range",
    "ce_year",
    "fiscal_year_of",
    "fiscal_year_bounds",
    "round_period",
    "ROUND_MONTHS",
    "numbering_year",
    "to_bangkok",
    "to_utc",
    "parse_local_datetime",
    "DateInputError",
    "parse_typed_date",
    "parse_typed_time",
    "typed_date",
    "typed_datetime",
    "typed_time",
    "thai_date",
    "thai_time",
    "thai_datetime",
    "thai_date_range",
    "thai_weekday",
    "english_date",
    "english_datetime",
]

BANGKOK = ZoneInfo("Asia/Bangkok")
UTC = timezone.utc

BE_OFFSET = 543
ROUND_MONTHS: tuple[int, ...] = (3, 6, 9, 12)
NUMBERING_BASES: tuple[str, ...] = ("calendar", "fiscal")
STYLES: tuple[str, ...] = ("short", "long")

THAI_MONTHS_LONG: tuple[str, ...] = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT: tuple[str, ...] = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
# Monday first, matching date.weekday().
THAI_WEEKDAYS: tuple[str, ...] = (
    "วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี", "วันศุกร์", "วันเสาร์", "วันอาทิตย์",
)
ENGLISH_MONTHS_SHORT: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)

# Last day of each cumulative reporting round: months -> (month, day, offset from the FY's CE end year).
_ROUND_END: dict[int, tuple[int, int, int]] = {
    3: (12, 31, -1),
    6: (3, 31, 0),
    9: (6, 30, 0),
    12: (9, 30, 0),
}


# --- years -------------------------------------------------------------------------------------


def be_year(ce_year: int) -> int:
    """Return the Buddhist-era year for a Common-era year (CE + 543)."""
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    """Return the Common-era year for a Buddhist-era year (BE - 543)."""
    return be_year - BE_OFFSET


def _local_date(d: date | datetime) -> date:
    """Calendar date in Bangkok; aware datetimes are converted, naive ones are taken as Bangkok time."""
    if isinstance(d, datetime):
        if d.tzinfo is not None and d.utcoffset() is not None:
            d = d.astimezone(BANGKOK)
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date or datetime, got {type(d).__name__}")


def bangkok_date(d: date | datetime) -> date:
    """The Bangkok calendar date of a date or datetime (aware: converted; naive: taken as Bangkok time)."""
    return _local_date(d)


def today_bangkok() -> date:
    """Today's date in Bangkok."""
    return datetime.now(BANGKOK).date()


def fiscal_year_of(d: date | datetime) -> int:
    """BE fiscal year (1 Oct-30 Sep, named by the BE year it ends in) containing d.

    Aware datetimes are converted to Bangkok time first; naive datetimes are taken as Bangkok time.
    """
    local = _local_date(d)
    return be_year(local.year + 1 if local.month >= 10 else local.year)


EARLIEST_YEAR_BE = 2500  # a date before this is a typing mistake (or a CE year read as BE)
YEARS_AHEAD = 10  # nothing is scheduled further ahead; a BE year typed where CE is expected lands ~543 years on


def sane_year_range(today: date) -> tuple[int, int]:
    """The BE years a meeting date may fall in: EARLIEST_YEAR_BE up to YEARS_AHEAD years after today."""
    return EARLIEST_YEAR_BE, be_year(today.year) + YEARS_AHEAD


def is_sane_year(d: date | datetime, today: date) -> bool:
    """Whether d's (Bangkok) year is within sane_year_range(today): catches 2563-06-26 typed as CE."""
    low, high = sane_year_range(today)
    return low <= be_year(_local_date(d).year) <= high


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of BE fiscal year fy_be, e.g. 2563 -> (1 Oct 2019, 30 Sep 2020)."""
    end_ce = ce_year(fy_be)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def round_period(fy_be: int, months: int) -> tuple[date, date]:
    """Cumulative reporting round of fiscal year fy_be: from 1 Oct to the end of month 3, 6, 9 or 12.

    Raises ValueError for any other number of months.
    """
    if months not in _ROUND_END:
        raise ValueError(f"reporting round must be one of {ROUND_MONTHS} months, got {months!r}")
    start, _ = fiscal_year_bounds(fy_be)
    month, day, offset = _ROUND_END[months]
    return start, date(ce_year(fy_be) + offset, month, day)


def numbering_year(d: date | datetime, basis: str) -> int:
    """BE year used to number meetings: calendar year (basis "calendar") or fiscal year ("fiscal").

    Aware datetimes are converted to Bangkok time; raises ValueError for an unknown basis.
    """
    if basis == "calendar":
        return be_year(_local_date(d).year)
    if basis == "fiscal":
        return fiscal_year_of(d)
    raise ValueError(f"unknown numbering basis {basis!r}; expected one of {NUMBERING_BASES}")


# --- time zones --------------------------------------------------------------------------------


def _is_aware(dt: datetime) -> bool:
    """True if dt carries a usable UTC offset."""
    return dt.tzinfo is not None and dt.utcoffset() is not None


def to_bangkok(dt: datetime) -> datetime:
    """Return dt as an aware Bangkok datetime; a naive dt is assumed to be UTC."""
    if not isinstance(dt, datetime):
        raise TypeError(f"expected a datetime, got {type(dt).__name__}")
    if not _is_aware(dt):
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(BANGKOK)


def to_utc(dt: datetime) -> datetime:
    """Return dt as an aware UTC datetime; a naive dt is assumed to be Bangkok local time."""
    if not isinstance(dt, datetime):
        raise TypeError(f"expected a datetime, got {type(dt).__name__}")
    if not _is_aware(dt):
        dt = dt.replace(tzinfo=BANGKOK)
    return dt.astimezone(UTC)


def parse_local_datetime(text: str) -> datetime:
    """Parse an ISO 8601 date-time (offset optional; none means Bangkok time) into an aware UTC datetime.

    Accepts e.g. "2020-06-26T09:30" (HTML datetime-local), "2020-06-26 09:30", "...+07:00", "...Z".
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a date-time string, got {type(text).__name__}")
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("empty date-time; expected e.g. 2020-06-26T09:30")
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"invalid date-time {text!r}; expected ISO 8601 such as 2020-06-26T09:30 "
            "or 2020-06-26 09:30 (Bangkok time unless an offset is given)"
        ) from None
    try:
        return to_utc(parsed)
    except OverflowError:  # 0001-01-01 in Bangkok is before the first UTC datetime
        raise ValueError(f"date-time {text!r} is out of range") from None


# --- dates as Thai offices type them -----------------------------------------------------------

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_DATE_DMY = r"(?P<day>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{2}|\d{4})"
_DATE_YMD = r"(?P<iyear>\d{4})-(?P<imonth>\d{1,2})-(?P<iday>\d{1,2})"
_CLOCK = r"(?P<hour>\d{1,2})\s*[.:]\s*(?P<minute>\d{2})(?:\s*น\.?)?"
_TYPED = re.compile(
    rf"^(?:{_DATE_DMY}|{_DATE_YMD})(?:(?:\s*(?:T|,|เวลา)\s*|\s+){_CLOCK})?$", re.IGNORECASE)
_TYPED_CLOCK = re.compile(rf"^(?:เวลา\s*)?{_CLOCK}$")
DATE_ERROR_KINDS: tuple[str, ...] = (
    "empty", "unparseable", "no_such_date", "missing_time", "no_such_time", "western_year", "out_of_range")


class DateInputError(ValueError):
    """Why a typed date or time was refused: `kind` (one of DATE_ERROR_KINDS) and the figures a message needs.

    For "western_year", `year` is the year as typed and `be_reading` the BE year it would be as CE;
    for "out_of_range", `year` is the BE year and `low`/`high` the sane range.
    """

    def __init__(self, kind: str, text: str, *, year: int | None = None, be_reading: int | None = None,
                 low: int | None = None, high: int | None = None):
        super().__init__(f"{kind}: {text!r}")
        self.kind, self.text, self.year, self.be_reading, self.low, self.high = kind, text, year, be_reading, low, high


def _normalise_typed(text: str) -> str:
    """Thai digits to Arabic, runs of spaces to one, no surrounding space."""
    return " ".join(str(text).translate(THAI_DIGITS).split())


def _typed_year(year_text: str, text: str, today: date, *, iso: bool = False) -> int:
    """The CE year of a typed BE year ("2563", or "63" for 2563), refusing Western-looking and insane years.

    Year-first text (iso) may also be ISO 8601 with its CE year ("2020-06-26"): no one writes a BE date that way.
    """
    year = int(year_text)
    if len(year_text) == 2:
        year += 2500
    low, high = sane_year_range(today)
    if low <= year <= high:
        return ce_year(year)
    if low <= be_year(year) <= high:
        if iso:
            return year
        raise DateInputError("western_year", text, year=year, be_reading=be_year(year), low=low, high=high)
    raise DateInputError("out_of_range", text, year=year, low=low, high=high)


def _clock(hour: str, minute: str, text: str) -> time:
    """A 24-hour time of day from typed hours and minutes."""
    if int(hour) > 23 or int(minute) > 59:
        raise DateInputError("no_such_time", text)
    return time(int(hour), int(minute))


def parse_typed_date(text: str, today: date, *, with_time: bool = False) -> date | datetime:
    """A date (or, with_time, a Bangkok datetime) typed the Thai way: "26/06/2563 09.30", "26/6/2563 9:30",
    "๒๖/๐๖/๒๕๖๓", "2563-06-26"; the year is BE (year-first text may be ISO 8601 with a CE year, "2020-06-26T09:30").
    Raises DateInputError saying why the text was refused.

    A date-only field ignores nothing: a time typed into it is refused as unparseable.
    """
    cleaned = _normalise_typed(text or "")
    if not cleaned:
        raise DateInputError("empty", "")
    match = _TYPED.match(cleaned)
    if not match:
        raise DateInputError("unparseable", cleaned)
    parts = match.groupdict()
    day, month, year_text = ((parts["day"], parts["month"], parts["year"]) if parts["day"] is not None
                             else (parts["iday"], parts["imonth"], parts["iyear"]))
    year = _typed_year(year_text, cleaned, today, iso=parts["day"] is None)
    try:
        day_value = date(year, int(month), int(day))
    except ValueError:
        raise DateInputError("no_such_date", cleaned) from None
    if not with_time:
        if parts["hour"] is not None:
            raise DateInputError("unparseable", cleaned)
        return day_value
    if parts["hour"] is None:
        raise DateInputError("missing_time", cleaned)
    return datetime.combine(day_value, _clock(parts["hour"], parts["minute"], cleaned), tzinfo=BANGKOK)


def parse_typed_time(text: str) -> time:
    """A 24-hour time of day typed the Thai way: "09.30", "9:30", "09.30 น."; raises DateInputError."""
    cleaned = _normalise_typed(text or "")
    if not cleaned:
        raise DateInputError("empty", "")
    match = _TYPED_CLOCK.match(cleaned)
    if not match:
        raise DateInputError("unparseable", cleaned)
    return _clock(match["hour"], match["minute"], cleaned)


def typed_date(d: date | datetime) -> str:
    """A date as Thai offices type it: "26/06/2563" (aware datetimes in Bangkok time, naive ones as they are)."""
    local = _local_date(d)
    return f"{local.day:02d}/{local.month:02d}/{be_year(local.year)}"


def typed_datetime(dt: datetime) -> str:
    """A date and time as Thai offices type them: "26/06/2563 09.30" (aware: in Bangkok time; naive: as is)."""
    if _is_aware(dt):
        dt = dt.astimezone(BANGKOK)
    return f"{typed_date(dt)} {_hhmm(dt)}"


def typed_time(t: time | datetime) -> str:
    """A time of day as Thai offices type it: "09.30" (an aware datetime in Bangkok time)."""
    if isinstance(t, datetime) and _is_aware(t):
        t = t.astimezone(BANGKOK)
    return f"{t.hour:02d}.{t.minute:02d}"


# --- Thai formatting ---------------------------------------------------------------------------


def _display_date(d: date | datetime) -> date:
    """Calendar date to display: datetimes go to Bangkok time first (naive = UTC)."""
    if isinstance(d, datetime):
        return to_bangkok(d).date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date or datetime, got {type(d).__name__}")


def _check_style(style: str) -> None:
    """Raise ValueError unless style is "short" or "long"."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")


def _thai_month(month: int, style: str) -> str:
    """Thai month name (long) or abbreviation (short) from our own tables."""
    return (THAI_MONTHS_LONG if style == "long" else THAI_MONTHS_SHORT)[month - 1]


def _fallback_thai_date(d: date, style: str) -> str:
    """Thai date from our own month tables, e.g. "26 มิ.ย. 2563"."""
    return f"{d.day} {_thai_month(d.month, style)} {be_year(d.year)}"


def _thai_date_plain(d: date, style: str) -> str:
    """Thai date for a calendar date via PyThaiNLP's thai_strftime, checked against our tables."""
    expected = _fallback_thai_date(d, style)
    if _pythainlp_strftime is None:
        return expected
    # Pass a naive midnight datetime: thai_strftime ignores tzinfo and is typed for datetimes.
    fmt = "%-d %B %Y" if style == "long" else "%-d %b %Y"
    try:
        text = _pythainlp_strftime(datetime.combine(d, time()), fmt)
    except Exception:  # pragma: no cover - defensive; fall back to our tables
        return expected
    # Guard against library changes (e.g. zero-padded days or years, other abbreviations).
    return text if text == expected else expected


def thai_date(d: date | datetime, style: str = "short") -> str:
    """Thai date with BE year: "26 มิ.ย. 2563" (short) or "26 มิถุนายน 2563" (long).

    Datetimes are converted to Bangkok time first (naive = UTC).
    """
    _check_style(style)
    return _thai_date_plain(_display_date(d), style)


def _hhmm(dt: datetime) -> str:
    """Bangkok "HH.MM" of an aware datetime already in Bangkok time."""
    return f"{dt.hour:02d}.{dt.minute:02d}"


def thai_time(dt: datetime) -> str:
    """Thai clock time in Bangkok, 24-hour with a dot: "09.30 น." (naive = UTC)."""
    return f"{_hhmm(to_bangkok(dt))} น."


def thai_datetime(dt: datetime, style: str = "short") -> str:
    """Thai date and time: "26 มิ.ย. 2563 09.30 น." (short) or "26 มิถุนายน 2563 เวลา 09.30 น." (long)."""
    _check_style(style)
    local = to_bangkok(dt)
    joiner = " เวลา " if style == "long" else " "
    return f"{_thai_date_plain(local.date(), style)}{joiner}{_hhmm(local)} น."


def thai_date_range(start: date | datetime, end: date | datetime, style: str = "long") -> str:
    """Thai date range in Bangkok time (naive datetimes = UTC).

    Same day: "26 มิถุนายน 2563 เวลา 09.30–12.00 น."; same month: "29–31 มีนาคม 2566";
    across months: "30 มีนาคม – 2 เมษายน 2566"; across years both sides carry the year.
    """
    _check_style(style)
    has_time = isinstance(start, datetime) and isinstance(end, datetime)
    if has_time:
        s_local, e_local = to_bangkok(start), to_bangkok(end)  # type: ignore[arg-type]
        s_day, e_day = s_local.date(), e_local.date()
        if e_local < s_local:
            raise ValueError("end must not be before start")
    else:
        s_day, e_day = _display_date(start), _display_date(end)
        if e_day < s_day:
            raise ValueError("end must not be before start")

    if s_day == e_day:
        day_text = _thai_date_plain(s_day, style)
        if not has_time:
            return day_text
        times = _hhmm(s_local)
        if e_local != s_local:
            times = f"{times}–{_hhmm(e_local)}"
        joiner = " เวลา " if style == "long" else " "
        return f"{day_text}{joiner}{times} น."

    if s_day.year != e_day.year:
        return f"{_thai_date_plain(s_day, style)} – {_thai_date_plain(e_day, style)}"
    year = be_year(e_day.year)
    if s_day.month != e_day.month:
        return (
            f"{s_day.day} {_thai_month(s_day.month, style)} – "
            f"{e_day.day} {_thai_month(e_day.month, style)} {year}"
        )
    return f"{s_day.day}–{e_day.day} {_thai_month(e_day.month, style)} {year}"


def thai_weekday(d: date | datetime) -> str:
    """Thai weekday name, e.g. "วันศุกร์"; datetimes are converted to Bangkok time (naive = UTC)."""
    return THAI_WEEKDAYS[_display_date(d).weekday()]


# --- English formatting ------------------------------------------------------------------------


def english_date(d: date | datetime) -> str:
    """English CE date for the English UI: "26 Jun 2020" (datetimes in Bangkok time, naive = UTC)."""
    local = _display_date(d)
    return f"{local.day} {ENGLISH_MONTHS_SHORT[local.month - 1]} {local.year}"


def english_datetime(dt: datetime) -> str:
    """English CE date and 24-hour time in Bangkok: "26 Jun 2020 09:30" (naive = UTC)."""
    local = to_bangkok(dt)
    return f"{english_date(local)} {local.hour:02d}:{local.minute:02d}"
