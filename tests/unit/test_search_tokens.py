"""Thai-aware tokens and snippets of the search index (pure functions, no app)."""
from __future__ import annotations

import pytest

from app.search.tokens import (
    has_match,
    index_tokens,
    normalise,
    plain_text,
    snippet,
    token_string,
    tokens,
)

TITLE = "การพัฒนาฐานข้อมูลBigDataของกระทรวง"


def found(query: str, text: str) -> bool:
    """What the search does: every word of the query is among the text's index tokens."""
    indexed = token_string(index_tokens(text))
    words = tokens(query)
    return bool(words) and all(f" {w} " in indexed for w in words)


def test_normalise_strips_html_lowercases_latin_and_composes():
    assert normalise("<p>Big<b>Data</b> &amp; ICT</p>") == "bigdata & ict"
    assert normalise("ครั้งที่ ๑/๒๕๖๓") == "ครั้งที่ 1/2563"
    assert normalise("e\u0301") == "\u00e9"  # NFC
    assert plain_text("<p>หนึ่ง</p><p>สอง</p>") == "หนึ่ง สอง"


def test_thai_words_come_from_newmm():
    assert tokens(TITLE) == ["การพัฒนา", "ฐานข้อมูล", "bigdata", "ของ", "กระทรวง"]


def test_punctuation_and_single_thai_characters_are_dropped():
    assert tokens("ต่าง ๆ ฯลฯ, (ทดสอบ) !!") == ["ต่าง", "ทดสอบ"]
    assert tokens("   ") == [] and tokens(None) == []


def test_index_holds_words_pairs_and_parts():
    indexed = index_tokens(TITLE)
    assert {"ฐานข้อมูล", "ฐาน", "ข้อมูล", "bigdata", "big", "data", "การพัฒนาฐานข้อมูล"} <= set(indexed)
    assert len(indexed) == len(set(indexed))
    assert token_string(["ฐาน", "ข้อมูล", "ฐาน"]) == " ฐาน ข้อมูล "


@pytest.mark.parametrize("query", ["ฐานข้อมูล", "ข้อมูล", "bigdata", "BigData", "big data", "BIG", "กระทรวง",
                                   "ฐานข้อมูล bigdata", "การพัฒนา"])
def test_the_contract_example_is_found(query):
    assert found(query, TITLE)


@pytest.mark.parametrize("query", ["ข้อมูลส่วนบุคคล", "smalldata", "ฐานทัพ"])
def test_other_words_are_not_found(query):
    assert not found(query, TITLE)


def test_a_compound_is_found_however_the_text_was_segmented():
    assert found("ฐานข้อมูล", "ฐาน ข้อมูล")  # split in the text: the joined pair is indexed
    assert found("ประชุม", "รายงานการประชุม")  # kept whole in the text: its dictionary parts are indexed
    assert found("ดำเนินงาน", "ผลการดำเนินงาน")


def test_latin_is_case_insensitive_and_digits_match_thai_digits():
    assert found("covid-19", "มาตรการ COVID-19") and found("Covid19", "มาตรการ COVID-19")
    assert found("2563", "ครั้งที่ ๑/๒๕๖๓")


def test_snippet_marks_matches_and_escapes_html():
    result = snippet("&lt;script&gt;alert(1)&lt;/script&gt; " + TITLE, tokens("ฐานข้อมูล"))
    assert "<script>" not in result and "&lt;script&gt;" in result
    assert "การพัฒนา<mark>ฐานข้อมูล</mark>BigData" in result


def test_snippet_marks_latin_regardless_of_case_and_joins_adjacent_marks():
    assert "<mark>BigData</mark>" in snippet(TITLE, tokens("big data"))
    assert "<mark>BigData</mark>" in snippet(TITLE, tokens("bigdata"))


def test_snippet_is_cut_around_the_first_match():
    text = "ก่อน " * 100 + TITLE + " หลัง" * 100
    result = snippet(text, tokens("ฐานข้อมูล"), width=80)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>ฐานข้อมูล</mark>" in result
    assert len(result.replace("<mark>", "").replace("</mark>", "")) <= 82


def test_snippet_without_a_match_is_the_start_of_the_text():
    assert snippet("หนึ่ง & สอง", tokens("สาม")) == "หนึ่ง &amp; สอง"
    assert not has_match("หนึ่ง สอง", tokens("สาม")) and has_match(TITLE, tokens("big"))
