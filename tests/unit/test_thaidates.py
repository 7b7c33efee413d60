"""Unit tests for app.thaidates (pure functions, no app fixture)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from app import thaidates as td
from app.thaidates import (
    BANGKOK,
    UTC,
    be_year,
    ce_year,
    english_date,
    english_datetime,
    fiscal_year_bounds,
    fiscal_year_of,
    numbering_year,
    parse_local_datetime,
    round_period,
    thai_date,
    thai_date_range,
    thai_datetime,
    thai_time,
    thai_weekday,
    to_bangkok,
    to_utc,
)


def bkk(*args: int) -> datetime:
    """Aware Bangkok datetime."""
    return datetime(*args, tzinfo=BANGKOK)


def utc(*args: int) -> datetime:
    """Aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


# --- constants and years -----------------------------------------------------------------------


def test_constants():
    assert UTC is timezone.utc
    assert str(BANGKOK) == "Asia/Bangkok"
    assert bkk(2020, 6, 26).utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("ce, be", [(2020, 2563), (2019, 2562), (2023, 2566), (2000, 2543)])
def test_be_and_ce_year(ce, be):
    assert be_year(ce) == be
    assert ce_year(be) == ce
    assert ce_year(be_year(ce)) == ce


# --- fiscal year -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "d, fy",
    [
        (date(2019, 9, 30), 2562),  # last day of FY 2562
        (date(2019, 10, 1), 2563),  # first day of FY 2563
        (date(2019, 12, 31), 2563),  # calendar year boundary inside the fiscal year
        (date(2020, 1, 1), 2563),
        (date(2020, 2, 29), 2563),  # leap day
        (date(2020, 6, 26), 2563),
        (date(2020, 9, 30), 2563),
        (date(2020, 10, 1), 2564),
    ],
)
def test_fiscal_year_of_date(d, fy):
    assert fiscal_year_of(d) == fy


def test_fiscal_year_of_naive_datetime_is_bangkok_local():
    assert fiscal_year_of(datetime(2020, 9, 30, 23, 59)) == 2563
    assert fiscal_year_of(datetime(2020, 10, 1, 0, 0)) == 2564


def test_fiscal_year_of_aware_datetime_converted_to_bangkok():
    # 30 Sep 2020 17:00 UTC is 1 Oct 2020 00:00 in Bangkok -> next fiscal year.
    assert fiscal_year_of(utc(2020, 9, 30, 17, 0)) == 2564
    assert fiscal_year_of(utc(2020, 9, 30, 16, 59)) == 2563
    assert fiscal_year_of(bkk(2020, 10, 1, 0, 0)) == 2564


def test_fiscal_year_of_rejects_non_dates():
    with pytest.raises(TypeError):
        fiscal_year_of("2020-06-26")  # type: ignore[arg-type]


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2563) == (date(2019, 10, 1), date(2020, 9, 30))
    assert fiscal_year_bounds(2567) == (date(2023, 10, 1), date(2024, 9, 30))


@pytest.mark.parametrize("fy", [2562, 2563, 2564, 2567])
def test_fiscal_year_bounds_roundtrip(fy):
    start, end = fiscal_year_bounds(fy)
    assert fiscal_year_of(start) == fy
    assert fiscal_year_of(end) == fy
    assert fiscal_year_of(start - timedelta(days=1)) == fy - 1
    assert fiscal_year_of(end + timedelta(days=1)) == fy + 1


# --- reporting rounds --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "months, end",
    [
        (3, date(2019, 12, 31)),
        (6, date(2020, 3, 31)),
        (9, date(2020, 6, 30)),
        (12, date(2020, 9, 30)),
    ],
)
def test_round_period(months, end):
    assert round_period(2563, months) == (date(2019, 10, 1), end)


def test_round_period_twelve_months_is_whole_fiscal_year():
    assert round_period(2567, 12) == fiscal_year_bounds(2567)


@pytest.mark.parametrize("months", [0, 1, 4, 13, -3, True])
def test_round_period_rejects_other_months(months):
    with pytest.raises(ValueError):
        round_period(2563, months)


# --- numbering year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "d, calendar, fiscal",
    [
        (date(2019, 10, 1), 2562, 2563),
        (date(2019, 9, 30), 2562, 2562),
        (date(2019, 12, 31), 2562, 2563),
        (date(2020, 1, 1), 2563, 2563),
        (date(2020, 6, 26), 2563, 2563),
    ],
)
def test_numbering_year(d, calendar, fiscal):
    assert numbering_year(d, "calendar") == calendar
    assert numbering_year(d, "fiscal") == fiscal


def test_numbering_year_aware_datetime_uses_bangkok_time():
    # 31 Dec 2019 17:30 UTC is already 1 Jan 2020 in Bangkok.
    assert numbering_year(utc(2019, 12, 31, 17, 30), "calendar") == 2563
    assert numbering_year(utc(2019, 12, 31, 16, 30), "calendar") == 2562
    # 30 Sep 2020 18:00 UTC is 1 Oct 2020 in Bangkok.
    assert numbering_year(utc(2020, 9, 30, 18, 0), "fiscal") == 2564


def test_numbering_year_naive_datetime_is_bangkok_local():
    assert numbering_year(datetime(2019, 12, 31, 23, 30), "calendar") == 2562
    assert numbering_year(datetime(2020, 1, 1, 0, 30), "calendar") == 2563


@pytest.mark.parametrize("basis", ["", "Calendar", "budget", "fiscal_year"])
def test_numbering_year_unknown_basis(basis):
    with pytest.raises(ValueError, match="basis"):
        numbering_year(date(2020, 6, 26), basis)


# --- time zones --------------------------------------------------------------------------------


def test_to_bangkok_naive_is_utc():
    result = to_bangkok(datetime(2020, 6, 26, 2, 30))
    assert result == bkk(2020, 6, 26, 9, 30)
    assert result.utcoffset() == timedelta(hours=7)
    assert (result.hour, result.minute) == (9, 30)


def test_to_bangkok_aware():
    result = to_bangkok(utc(2019, 12, 31, 20, 0))
    assert (result.year, result.month, result.day, result.hour) == (2020, 1, 1, 3)
    other = datetime(2020, 6, 26, 9, 30, tzinfo=timezone(timedelta(hours=9)))  # Tokyo
    assert to_bangkok(other).hour == 7


def test_to_utc_naive_is_bangkok():
    result = to_utc(datetime(2020, 6, 26, 9, 30))
    assert result.tzinfo is UTC
    assert (result.day, result.hour, result.minute) == (26, 2, 30)


def test_to_utc_aware_and_day_boundary():
    result = to_utc(bkk(2020, 1, 1, 3, 0))
    assert result.tzinfo is UTC
    assert (result.year, result.month, result.day, result.hour) == (2019, 12, 31, 20)


def test_to_utc_to_bangkok_roundtrip():
    local = bkk(2024, 2, 29, 6, 15)
    assert to_bangkok(to_utc(local)) == local
    assert to_bangkok(to_utc(local)).hour == 6


def test_timezone_helpers_reject_dates():
    with pytest.raises(TypeError):
        to_utc(date(2020, 6, 26))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_bangkok(date(2020, 6, 26))  # type: ignore[arg-type]


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2020-06-26T09:30",  # HTML datetime-local
        "2020-06-26 09:30",
        "2020-06-26T09:30:00",
        "  2020-06-26T09:30  ",
        "2020-06-26T09:30+07:00",
        "2020-06-26T02:30Z",
        "2020-06-26T02:30:00+00:00",
    ],
)
def test_parse_local_datetime(text):
    result = parse_local_datetime(text)
    assert result.tzinfo is UTC
    assert result == utc(2020, 6, 26, 2, 30)


def test_parse_local_datetime_crosses_day_and_year():
    assert parse_local_datetime("2020-01-01T06:59") == utc(2019, 12, 31, 23, 59)
    assert parse_local_datetime("2020-10-01T00:00") == utc(2020, 9, 30, 17, 0)


def test_parse_local_datetime_leap_day():
    assert parse_local_datetime("2024-02-29T10:00") == utc(2024, 2, 29, 3, 0)
    with pytest.raises(ValueError):
        parse_local_datetime("2023-02-29T10:00")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "tomorrow", "26/06/2563 09:30", "2020-13-01T09:30", "2020-06-26T25:00", "2020-06-26T09:30+99:00"],
)
def test_parse_local_datetime_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_local_datetime(text)


def test_parse_local_datetime_error_message_is_clear():
    with pytest.raises(ValueError, match="invalid date-time 'tomorrow'.*2020-06-26T09:30"):
        parse_local_datetime("tomorrow")


def test_parse_local_datetime_rejects_non_string():
    with pytest.raises(ValueError):
        parse_local_datetime(None)  # type: ignore[arg-type]


# --- Thai formatting ---------------------------------------------------------------------------


def test_thai_date_short_and_long():
    assert thai_date(date(2020, 6, 26)) == "26 มิ.ย. 2563"
    assert thai_date(date(2020, 6, 26), style="short") == "26 มิ.ย. 2563"
    assert thai_date(date(2020, 6, 26), style="long") == "26 มิถุนายน 2563"


def test_thai_date_day_without_leading_zero():
    assert thai_date(date(2020, 6, 5)) == "5 มิ.ย. 2563"
    assert thai_date(date(2023, 4, 2), "long") == "2 เมษายน 2566"


def test_thai_date_leap_day_and_year_ends():
    assert thai_date(date(2024, 2, 29), "long") == "29 กุมภาพันธ์ 2567"
    assert thai_date(date(2024, 2, 29)) == "29 ก.พ. 2567"
    assert thai_date(date(2019, 12, 31), "long") == "31 ธันวาคม 2562"
    assert thai_date(date(2020, 1, 1), "long") == "1 มกราคม 2563"
    assert thai_date(date(2020, 9, 30)) == "30 ก.ย. 2563"
    assert thai_date(date(2020, 10, 1)) == "1 ต.ค. 2563"


def test_thai_date_naive_datetime_is_utc():
    # 31 Dec 2019 18:00 UTC is 1 Jan 2020 01:00 in Bangkok.
    assert thai_date(datetime(2019, 12, 31, 18, 0), "long") == "1 มกราคม 2563"
    assert thai_date(datetime(2019, 12, 31, 16, 0), "long") == "31 ธันวาคม 2562"


def test_thai_date_aware_datetime_converted():
    assert thai_date(bkk(2020, 1, 1, 1, 0), "long") == "1 มกราคม 2563"
    assert thai_date(utc(2020, 2, 28, 17, 0)) == "29 ก.พ. 2563"


def test_thai_date_unknown_style():
    with pytest.raises(ValueError, match="style"):
        thai_date(date(2020, 6, 26), style="medium")


ALL_MONTHS_SHORT = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
ALL_MONTHS_LONG = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_thai_date_every_month(month):
    d = date(2021, month, 9)
    assert thai_date(d, "short") == f"9 {ALL_MONTHS_SHORT[month - 1]} 2564"
    assert thai_date(d, "long") == f"9 {ALL_MONTHS_LONG[month - 1]} 2564"


@pytest.mark.parametrize("month", range(1, 13))
def test_pythainlp_thai_strftime_agrees_with_tables(month):
    """Canary: if PyThaiNLP changes its output, we notice (the module falls back to its tables)."""
    from pythainlp.util import thai_strftime

    dt = datetime(2021, month, 9)
    assert thai_strftime(dt, "%-d %b %Y") == f"9 {ALL_MONTHS_SHORT[month - 1]} 2564"
    assert thai_strftime(dt, "%-d %B %Y") == f"9 {ALL_MONTHS_LONG[month - 1]} 2564"


def test_thai_date_falls_back_without_pythainlp(monkeypatch):
    monkeypatch.setattr(td, "_pythainlp_strftime", None)
    assert thai_date(date(2020, 6, 5)) == "5 มิ.ย. 2563"
    assert thai_date(date(2024, 2, 29), "long") == "29 กุมภาพันธ์ 2567"


def test_thai_date_falls_back_on_unexpected_pythainlp_output(monkeypatch):
    monkeypatch.setattr(td, "_pythainlp_strftime", lambda dt, fmt: "05 Jun 2020")
    assert thai_date(date(2020, 6, 5)) == "5 มิ.ย. 2563"
    assert thai_datetime(utc(2020, 6, 5, 2, 30), "long") == "5 มิถุนายน 2563 เวลา 09.30 น."


def test_thai_date_uses_pythainlp_when_it_agrees(monkeypatch):
    calls = []

    def spy(dt, fmt):
        calls.append((dt, fmt))
        return f"{dt.day} มิ.ย. {dt.year + 543}"

    monkeypatch.setattr(td, "_pythainlp_strftime", spy)
    assert thai_date(bkk(2020, 6, 26, 23, 0)) == "26 มิ.ย. 2563"
    assert calls and calls[0][1] == "%-d %b %Y"
    assert calls[0][0].tzinfo is None  # passed a naive local datetime


def test_thai_time():
    assert thai_time(bkk(2020, 6, 26, 9, 30)) == "09.30 น."
    assert thai_time(utc(2020, 6, 26, 2, 30)) == "09.30 น."
    assert thai_time(datetime(2020, 6, 26, 2, 30)) == "09.30 น."  # naive = UTC
    assert thai_time(utc(2020, 6, 26, 6, 5)) == "13.05 น."
    assert thai_time(utc(2020, 6, 26, 17, 0)) == "00.00 น."


def test_thai_datetime_short_and_long():
    dt = utc(2020, 6, 26, 2, 30)
    assert thai_datetime(dt) == "26 มิ.ย. 2563 09.30 น."
    assert thai_datetime(dt, style="long") == "26 มิถุนายน 2563 เวลา 09.30 น."


def test_thai_datetime_crosses_year_in_bangkok():
    # Naive = UTC: 31 Dec 2019 17:15 UTC is 1 Jan 2020 00.15 in Bangkok.
    assert thai_datetime(datetime(2019, 12, 31, 17, 15), "long") == "1 มกราคม 2563 เวลา 00.15 น."
    assert thai_datetime(bkk(2019, 12, 31, 23, 59)) == "31 ธ.ค. 2562 23.59 น."


def test_thai_datetime_unknown_style():
    with pytest.raises(ValueError):
        thai_datetime(utc(2020, 6, 26, 2, 30), style="full")


def test_thai_date_range_same_day():
    start, end = bkk(2020, 6, 26, 9, 30), bkk(2020, 6, 26, 12, 0)
    assert thai_date_range(start, end) == "26 มิถุนายน 2563 เวลา 09.30–12.00 น."
    assert thai_date_range(start, end, style="short") == "26 มิ.ย. 2563 09.30–12.00 น."


def test_thai_date_range_same_day_utc_input():
    start, end = utc(2020, 6, 26, 2, 30), datetime(2020, 6, 26, 5, 0)  # naive = UTC
    assert thai_date_range(start, end) == "26 มิถุนายน 2563 เวลา 09.30–12.00 น."


def test_thai_date_range_same_instant():
    dt = bkk(2020, 6, 26, 9, 30)
    assert thai_date_range(dt, dt) == "26 มิถุนายน 2563 เวลา 09.30 น."


def test_thai_date_range_same_month():
    assert thai_date_range(bkk(2023, 3, 29, 9, 0), bkk(2023, 3, 31, 16, 30)) == "29–31 มีนาคม 2566"
    assert thai_date_range(bkk(2023, 3, 29, 9, 0), bkk(2023, 3, 31, 16, 30), "short") == "29–31 มี.ค. 2566"


def test_thai_date_range_across_months():
    assert thai_date_range(bkk(2023, 3, 30, 9, 0), bkk(2023, 4, 2, 12, 0)) == "30 มีนาคม – 2 เมษายน 2566"


def test_thai_date_range_across_leap_day():
    assert thai_date_range(bkk(2024, 2, 28, 9, 0), bkk(2024, 3, 1, 12, 0)) == "28 กุมภาพันธ์ – 1 มีนาคม 2567"


def test_thai_date_range_across_years():
    assert (
        thai_date_range(bkk(2022, 12, 30, 9, 0), bkk(2023, 1, 2, 12, 0))
        == "30 ธันวาคม 2565 – 2 มกราคม 2566"
    )


def test_thai_date_range_across_fiscal_year_boundary():
    assert thai_date_range(bkk(2020, 9, 30, 9, 0), bkk(2020, 10, 1, 12, 0)) == "30 กันยายน – 1 ตุลาคม 2563"


def test_thai_date_range_days_are_bangkok_days():
    # 26 Jun 02:30 UTC to 26 Jun 18:00 UTC: the end is already 27 Jun 01.00 in Bangkok.
    assert thai_date_range(utc(2020, 6, 26, 2, 30), utc(2020, 6, 26, 18, 0)) == "26–27 มิถุนายน 2563"


def test_thai_date_range_plain_dates():
    assert thai_date_range(date(2023, 3, 29), date(2023, 3, 31)) == "29–31 มีนาคม 2566"
    assert thai_date_range(date(2023, 3, 29), date(2023, 3, 29)) == "29 มีนาคม 2566"


def test_thai_date_range_rejects_end_before_start():
    with pytest.raises(ValueError):
        thai_date_range(bkk(2020, 6, 26, 12, 0), bkk(2020, 6, 26, 9, 30))
    with pytest.raises(ValueError):
        thai_date_range(date(2020, 6, 27), date(2020, 6, 26))


@pytest.mark.parametrize(
    "d, name",
    [
        (date(2020, 6, 26), "วันศุกร์"),
        (date(2020, 6, 27), "วันเสาร์"),
        (date(2020, 6, 28), "วันอาทิตย์"),
        (date(2020, 6, 29), "วันจันทร์"),
        (date(2020, 6, 30), "วันอังคาร"),
        (date(2020, 7, 1), "วันพุธ"),
        (date(2024, 2, 29), "วันพฤหัสบดี"),
    ],
)
def test_thai_weekday(d, name):
    assert thai_weekday(d) == name


def test_thai_weekday_datetime_in_bangkok():
    # Thursday 25 Jun 2020 18:00 UTC is Friday 26 Jun 01:00 in Bangkok.
    assert thai_weekday(utc(2020, 6, 25, 18, 0)) == "วันศุกร์"
    assert thai_weekday(datetime(2020, 6, 25, 18, 0)) == "วันศุกร์"  # naive = UTC
    assert thai_weekday(bkk(2020, 6, 25, 23, 0)) == "วันพฤหัสบดี"


# --- English formatting ------------------------------------------------------------------------


def test_english_date():
    assert english_date(date(2020, 6, 26)) == "26 Jun 2020"
    assert english_date(date(2020, 6, 5)) == "5 Jun 2020"
    assert english_date(date(2024, 2, 29)) == "29 Feb 2024"


def test_english_date_datetime_in_bangkok():
    assert english_date(utc(2019, 12, 31, 17, 0)) == "1 Jan 2020"
    assert english_date(datetime(2019, 12, 31, 16, 59)) == "31 Dec 2019"  # naive = UTC


def test_english_datetime():
    assert english_datetime(utc(2020, 6, 26, 2, 30)) == "26 Jun 2020 09:30"
    assert english_datetime(bkk(2020, 6, 26, 9, 30)) == "26 Jun 2020 09:30"
    assert english_datetime(datetime(2020, 9, 30, 17, 5)) == "1 Oct 2020 00:05"  # naive = UTC
