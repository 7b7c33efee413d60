"""app.richtext without the app: plain text keeps its paragraphs, rich text is cleaned, and both become the same
paragraphs for the screen, the DOCX writers and plain-text exports."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.shared import Cm

from app import official_docx, richtext

THREE_NUMBERED = "<ol><li>ข้อแรก</li><li>ข้อที่สอง <strong>สำคัญ</strong></li><li><em>ข้อที่สาม</em></li></ol>"


@pytest.mark.parametrize(("text", "html"), [
    ("บรรทัดหนึ่ง\nบรรทัดสอง", "<p>บรรทัดหนึ่ง<br>บรรทัดสอง</p>"),
    ("ย่อหน้าหนึ่ง\r\n\r\nย่อหน้าสอง", "<p>ย่อหน้าหนึ่ง</p><p>ย่อหน้าสอง</p>"),
    ("1. ก\n2. ข\n๓) ค\n- ง", "<p>1. ก</p><p>2. ข</p><p>๓) ค</p><p>- ง</p>"),
    ("a < b & c", "<p>a &lt; b &amp; c</p>"),
    ("a &lt; b", "<p>a &lt; b</p>"),  # escaped by an earlier sanitiser: not escaped twice
    ("x<y", "<p>x&lt;y</p>"),
])
def test_plain_text_keeps_paragraphs_and_line_breaks(text, html):
    assert richtext.to_html(text) == html


def test_rich_text_is_cleaned_by_the_nh3_rules():
    html = richtext.to_html('<p onclick="x()" style="color:red">ก<script>alert(1)</script></p>'
                            '<a href="javascript:alert(1)">ลิงก์</a><img src=x>')
    assert "script" not in html and "onclick" not in html and "style" not in html and "javascript" not in html
    assert html.startswith("<p>ก</p>")


@pytest.mark.parametrize("value", [None, "", "   ", "<p><br></p>", "<p>&nbsp;</p>", "<ol><li></li></ol>"])
def test_nothing_visible_is_stored_as_none(value):
    assert richtext.sanitize_html(value) is None


def test_blocks_keep_numbers_bold_italic_and_breaks():
    blocks = richtext.blocks(THREE_NUMBERED + "<p>ท้าย<br>บรรทัดใหม่</p>")
    assert [b.marker for b in blocks] == ["1.", "2.", "3.", ""]
    assert [r.text for r in blocks[1].runs if r.bold] == [" สำคัญ"]
    assert blocks[2].runs[0].italic
    assert blocks[3].lines == ["ท้าย", "บรรทัดใหม่"]


def test_plain_text_round_trips_through_the_textarea():
    text = richtext.plain_text("<p>ก</p><p>ข<br>ค</p>" + THREE_NUMBERED)
    assert text == "ก\n\nข\nค\n1. ข้อแรก\n2. ข้อที่สอง สำคัญ\n3. ข้อที่สาม"
    assert richtext.text_lines(richtext.to_html(text)) == richtext.text_lines("<p>ก</p><p>ข<br>ค</p>" + THREE_NUMBERED)


def _written(value: str | None, **kwargs):
    document = Document()
    official_docx.write_rich_text(document, value, left=None, **kwargs)
    buffer = io.BytesIO()
    document.save(buffer)
    return Document(io.BytesIO(buffer.getvalue())).paragraphs


def test_docx_writer_makes_one_numbered_paragraph_per_item_with_bold_and_italic_runs():
    paragraphs = [p for p in _written(THREE_NUMBERED) if p.text]
    assert [p.text for p in paragraphs] == ["1.\tข้อแรก", "2.\tข้อที่สอง สำคัญ", "3.\tข้อที่สาม"]
    assert any(run.bold for run in paragraphs[1].runs if "สำคัญ" in run.text)
    assert any(run.italic for run in paragraphs[2].runs if "ข้อที่สาม" in run.text)
    assert paragraphs[0].paragraph_format.first_line_indent < 0  # the number hangs


def test_docx_writer_keeps_plain_paragraphs_and_line_breaks():
    paragraphs = [p for p in _written("ย่อหน้าแรก\nบรรทัดต่อมา\n\nย่อหน้าที่สอง") if p.text]
    assert [p.text for p in paragraphs] == ["ย่อหน้าแรก\nบรรทัดต่อมา", "ย่อหน้าที่สอง"]
    assert abs(paragraphs[0].paragraph_format.first_line_indent - Cm(2.5)) < Cm(0.01)


def test_docx_writer_puts_a_label_before_the_first_paragraph_or_above_a_list():
    inline = [p.text for p in _written("ข้อความ", lead=(richtext.Run("ผล: ", bold=True),)) if p.text]
    above = [p.text for p in _written(THREE_NUMBERED, lead=(richtext.Run("ผล: ", bold=True),)) if p.text]
    assert inline == ["ผล: ข้อความ"]
    assert above[:2] == ["ผล:", "1.\tข้อแรก"]


# --- plain_text's short way for plain text -----------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# pieces that matter to paragraphs and spaces, and any character (not surrogates: no database stores them)
_PIECES = st.sampled_from(["\n", "\n\n", " ", "  ", "\u00a0", "\u3000", "1. ", "๒) ", "- ", "• ", "* ", "ก", "ผลงาน",
                           "a", ">", '"', "'", "\t", "\r\n", "&", "&lt;", "<b>", "x<y", "\x0c", "\x00"])
_TEXTS = st.lists(st.one_of(_PIECES, st.text(st.characters(exclude_categories=("Cs",)), max_size=3)),
                  max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_plain_text_of_plain_text_is_what_the_parser_gives(text):
    """The short way (no sanitiser, no parser) answers exactly as the long way, for any text."""
    assert richtext.plain_text(text) == richtext._parsed_plain_text(text)


@pytest.mark.parametrize("text", [
    "  ย่อหน้าหนึ่ง   มีช่องว่าง \n บรรทัดสอง  \n\n\n1. ข้อแรก\n- ข้อสอง\n  \nท้าย  ",
    "\n\n  \nบรรทัดเดียว\n \u00a0\n", "a > b \"c\" 'd'", "   ", "",
])
def test_plain_text_takes_the_short_way_with_the_same_answer(text):
    assert not richtext._NOT_SIMPLY_PLAIN.search(text)
    assert richtext.plain_text(text) == richtext._parsed_plain_text(text)
