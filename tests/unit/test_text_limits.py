"""Pure input rules: text limits and characters, the id range, sane meeting years, JSON nesting, and search
indexing that stays linear in the text's length."""
from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone

import pytest

from app import textlimits, thaidates
from app.ids import MAX_ID, digits_at_most, parse_id
from app.search import tokens


# --- app.textlimits.check_text -------------------------------------------------------------------------

def test_text_within_its_limit_passes():
    assert textlimits.check_text("การประชุม", textlimits.TITLE, one_line=True) is None
    assert textlimits.check_text("ก" * textlimits.TITLE, textlimits.TITLE, one_line=True) is None
    assert textlimits.check_text(None, 10) is None and textlimits.check_text("", 10) is None


def test_a_text_over_its_limit_names_the_limit_in_thai():
    assert textlimits.check_text("ก" * 501, textlimits.TITLE) == "ยาวเกิน 500 ตัวอักษร"
    assert textlimits.check_text("x" * 100_001, textlimits.LONG_TEXT) == "ยาวเกิน 100000 ตัวอักษร"


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\uffff", "\x0b", "\x0c"])
def test_control_characters_nul_and_lone_surrogates_are_refused_everywhere(bad):
    for one_line in (True, False):
        message = textlimits.check_text(f"ก{bad}ข", 100, one_line=one_line)
        assert message == textlimits.BAD_CHARACTER and "อักขระ" in message


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\u2028", "\u2029"])
def test_line_breaks_only_in_multi_line_texts(brk):
    assert textlimits.check_text(f"ก{brk}ข", 100, one_line=True) == textlimits.LINE_BREAK
    assert textlimits.check_text(f"ก{brk}ข", 100, one_line=False) is None


def test_tabs_thai_and_emoji_are_ordinary_text():
    assert textlimits.check_text("ก\tข 😀 ๑๒๓ ฯลฯ", 100, one_line=True) is None


def test_messages_go_through_the_given_gettext():
    assert textlimits.check_text("x" * 3, 2, gettext=lambda m: m.replace("ยาวเกิน", "longer than")) == \
        "longer than 2 ตัวอักษร"


def test_check_texts_reports_each_bad_field():
    problems = textlimits.check_texts({"title": ("a\nb", 10, True), "notes": ("a\nb", 10, False),
                                       "venue": ("x" * 11, 10, True)})
    assert set(problems) == {"title", "venue"}


# --- ids ---------------------------------------------------------------------------------------------------

def test_parse_id_accepts_only_row_ids():
    assert parse_id("12") == 12 and parse_id(" 7 ") == 7 and parse_id(MAX_ID) == MAX_ID
    for bad in (None, "", "0", "-1", "1.5", "abc", "๑๒", str(MAX_ID + 1), "9" * 400, "1e3", True):
        assert parse_id(bad) is None, bad


@pytest.mark.parametrize("limit", [9, 10, 99, 100, 205, 1000, 4321])
def test_the_converter_pattern_matches_exactly_zero_to_the_limit(limit):
    pattern = re.compile(digits_at_most(limit) + r"\Z")
    assert [n for n in range(limit * 3 + 20) if bool(pattern.match(str(n))) != (n <= limit)] == []


def test_the_id_pattern_stops_at_2_to_the_31_minus_1():
    pattern = re.compile(digits_at_most(MAX_ID) + r"\Z")
    assert pattern.match("2147483647") and pattern.match("1999999999") and pattern.match("999999999")
    for bad in ("2147483648", "2147483650", "2200000000", "9999999999", "99999999999", "9223372036854775808"):
        assert not pattern.match(bad), bad


# --- meeting years -----------------------------------------------------------------------------------------

def test_sane_years_run_from_2500_be_to_ten_years_ahead():
    today = date(2026, 12, 3)
    assert thaidates.sane_year_range(today) == (2500, 2579)
    assert thaidates.is_sane_year(date(2020, 9, 10), today)
    assert thaidates.is_sane_year(date(1957, 1, 1), today)  # 2500 BE
    assert not thaidates.is_sane_year(date(1956, 12, 31), today)
    assert not thaidates.is_sane_year(date(2563, 9, 10), today)  # a BE year typed as CE
    assert thaidates.is_sane_year(date(2036, 12, 31), today) and not thaidates.is_sane_year(date(2037, 1, 1), today)


def test_the_year_is_the_bangkok_year():
    today = date(2026, 12, 3)
    # 31 Dec 1956 18:00 UTC is already 1 Jan 1957 (2500 BE) in Bangkok
    assert thaidates.is_sane_year(datetime(1956, 12, 31, 18, 0, tzinfo=timezone.utc), today)


def test_dates_at_the_edge_of_the_calendar_do_not_overflow():
    with pytest.raises(ValueError):
        thaidates.parse_local_datetime("0001-01-01T00:00")


# --- JSON nesting ------------------------------------------------------------------------------------------

def test_json_nesting_is_measured_outside_strings():
    from app.api import MAX_JSON_DEPTH, json_too_deep

    assert json_too_deep(b"[" * 10_000)
    assert json_too_deep(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert not json_too_deep(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert not json_too_deep(b'{"a": "' + b"[" * 1000 + b'", "b": "\\"[[[[" }')
    assert not json_too_deep(b'[{"a": [1, 2]}, {"b": {}}]' * 1000)  # wide is fine, deep is not


# --- search indexing stays linear --------------------------------------------------------------------------

THAI = "การประชุมคณะกรรมการบริหารสำนักงานปลัดกระทรวงศึกษาธิการ ครั้งที่ 1/2563 ณ ห้องประชุม "


def test_pieces_cut_at_spaces_and_keep_every_character():
    text = " ".join(f"คำ{n}" for n in range(500))
    pieces = list(tokens._pieces(text))
    assert all(len(p) <= tokens.PIECE_MAX for p in pieces) and len(pieces) > 1
    assert " ".join(pieces) == text
    long_run = "ก" * (tokens.PIECE_MAX * 3)
    assert list(tokens._pieces(f"สั้น {long_run} ท้าย")) == ["สั้น", long_run, "ท้าย"]


def test_segmenting_in_pieces_finds_the_same_words_as_the_whole_text():
    from pythainlp.tokenize import word_tokenize

    text = tokens.plain_text(THAI * 40)
    whole = word_tokenize(text, engine=tokens.ENGINE, keep_whitespace=False, join_broken_num=False)
    assert list(tokens._segment(text)) == whole


def test_a_long_run_without_spaces_is_segmented_through_a_window():
    run = THAI.replace(" ", "") * 30
    words = list(tokens._segment(run))
    assert "".join(words) == run  # nothing lost or repeated
    assert {"คณะกรรมการ", "ห้องประชุม"} <= set(tokens.tokens(run))


@pytest.mark.parametrize("text", [
    (THAI * 1200)[:100_000],  # Thai prose
    "1" * 100_000,  # one run of digits (PyThaiNLP rejoins numbers in quadratic time)
    "<p" * 50_000,  # tags that never close
    "<" * 100_000,
    "ก" * 100_000,  # one Thai run without a break
])
def test_indexing_a_100000_character_text_takes_well_under_the_bound(text):
    tokens.index_tokens("อุ่นเครื่อง")  # the dictionary is loaded once
    started = time.perf_counter()
    tokens.index_tokens(text)
    assert time.perf_counter() - started < 5


def test_html_is_stripped_in_linear_time_even_without_closing_brackets():
    assert tokens.plain_text("<p>ก</p>< b <i>ข") == "ก < b ข"
    started = time.perf_counter()
    tokens.plain_text("<p" * 200_000)
    tokens.plain_text("<" * 400_000)
    assert time.perf_counter() - started < 2
