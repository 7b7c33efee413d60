"""Rich text kept safe and kept in shape: the one sanitiser (nh3) for agenda details, minutes discussions and
report texts, the one reading of plain text (paragraphs and line breaks), and the one parser that turns the
result into paragraphs for the screen, the DOCX writers and plain-text exports.

Pure module: no Flask, no database.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}

# Text is read as HTML only when it holds a tag of rich text; "a < b" or "x<y" typed as plain text stays text.
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|strong|b|em|i|u|s|strike|del|ul|ol|li|a|blockquote|pre|h[1-6]|table|"
                       r"thead|tbody|tfoot|tr|th|td)\b[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0]*\n\s*")
_MARKED_LINE = re.compile(r"\n(?=[ \t]*(?:[0-9\u0e50-\u0e59]{1,3}[.)]|[-•*])\s)")  # "1. ", "๒) ", "- ", "• " start a paragraph


def looks_like_html(text: str) -> bool:
    """True when the text holds rich-text tags; False for plain text (typed without the editor, older rows)."""
    return bool(_HTML_TAG.search(text))


def plain_to_html(text: str) -> str:
    """Plain text as HTML: a blank line, or a line that starts with "1." or "-", starts a paragraph; any other
    line break stays a <br>.

    Character references are read first, so text that an earlier sanitiser escaped (&lt;) is not escaped twice."""
    text = html_lib.unescape(text.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    paragraphs = [p.strip("\n") for chunk in _BLANK_LINES.split(text) for p in _MARKED_LINE.split(chunk) if p.strip()]
    return "".join("<p>" + "<br>".join(str(escape(line)) for line in p.split("\n")) + "</p>" for p in paragraphs)


def to_html(value: str | None) -> str:
    """Safe HTML of stored or submitted text, plain or rich: what the screen shows and the DOCX prints ("" if blank)."""
    if not value or not value.strip():  # None, "" (or a template's undefined value)
        return ""
    source = value if looks_like_html(value) else plain_to_html(value)
    return nh3.clean(source, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                     link_rel="noopener noreferrer").strip()


def sanitize_html(value: str | None) -> str | None:
    """Text to store: rich text as safe HTML (scripts, handlers, styles and javascript: links stripped), plain text
    as typed (to_html shows it safely); None when nothing shows."""
    if not blocks(value):
        return None
    return to_html(value) if looks_like_html(value) else value.strip()


def as_markup(value: str | None) -> Markup:
    """The text as safe HTML for a template (the `richtext` filter)."""
    return Markup(to_html(value))


# --- paragraphs ---------------------------------------------------------------------------------

BREAK = "\n"  # a Run with this text is a line break inside its paragraph


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting; text BREAK is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False


@dataclass(frozen=True)
class Block:
    """One paragraph: its runs, and for a list item its marker ("1.", "-") and nesting level (1 = outer list)."""

    runs: tuple[Run, ...]
    marker: str = ""
    level: int = 0
    heading: bool = False

    @property
    def lines(self) -> list[str]:
        """The paragraph's text, line by line (line breaks split it)."""
        return "".join(run.text for run in self.runs).split(BREAK)


def blocks(value: str | None) -> list[Block]:
    """The paragraphs of stored or submitted text (plain or rich), empty ones dropped."""
    source = to_html(value)
    if not source:
        return []
    parser = _Blocks()
    parser.feed(source)
    parser.close()
    return parser.blocks


def text_lines(value: str | None) -> list[str]:
    """The text as plain lines: a list item starts with "1. " or "- " (indented two spaces per nesting level)."""
    return [line for block in blocks(value) for line in _block_lines(block)]


def plain_text(value: str | None) -> str:
    """The text as plain text that plain_to_html reads back the same: a blank line between paragraphs, none
    before a list item (for the editor's textarea without JavaScript, spreadsheets and e-mail)."""
    if value and not _NOT_SIMPLY_PLAIN.search(value):
        return _simple_plain_text(value)
    return _parsed_plain_text(value)


def _parsed_plain_text(value: str | None) -> str:
    """plain_text by the long way: sanitised, parsed into paragraphs and written out."""
    text = ""
    for block in blocks(value):
        if text:
            text += "\n" if block.marker else "\n\n"
        text += "\n".join(_block_lines(block))
    return text


# Plain text without markup, character references, tabs or control characters: what plain_to_html, the sanitiser
# and the parser make of it is known without running them (the same paragraphs, spaces collapsed, lines trimmed).
_NOT_SIMPLY_PLAIN = re.compile(r"[<&\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _simple_plain_text(text: str) -> str:
    """plain_text of text that _NOT_SIMPLY_PLAIN does not match, some 20 times faster (a spreadsheet of 5,000
    reports reads 15,000 texts)."""
    paragraphs = []
    for chunk in _BLANK_LINES.split(text.strip("\n")):
        for paragraph in _MARKED_LINE.split(chunk):
            lines = [_SPACE.sub(" ", line).strip(" ") for line in paragraph.strip("\n").split("\n")]
            while lines and not lines[0]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            if any(line.strip() for line in lines):
                paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _block_lines(block: Block) -> list[str]:
    first, *rest = block.lines
    indent = "  " * max(0, block.level - 1)
    return [f"{indent}{block.marker} {first}" if block.marker else first, *rest]


_BLOCK_TAGS = frozenset({"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
_FORMATS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline", "s": "strike",
            "strike": "strike", "del": "strike"}
_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # ASCII only: U+00A0 and Thai text are kept as given
_CELL_BREAK = "\t"


class _Blocks(HTMLParser):
    """Collects sanitised HTML as paragraphs of formatted runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._runs: list[Run] = []
        self._formats = {"bold": 0, "italic": 0, "underline": 0, "strike": 0}
        self._lists: list[list] = []  # per open list: [kind, counter]
        self._marker = ""  # the open list item's marker, until its first paragraph is written
        self._in_item = False
        self._heading = False
        self._links: list[tuple[str | None, int]] = []  # href, index of the link's first run
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a paragraph, a list, an item, a cell, a link or a format."""
        if tag in _FORMATS:
            self._formats[_FORMATS[tag]] += 1
        elif tag == "br":
            self._runs.append(Run(BREAK))
        elif tag == "a":
            self._links.append((dict(attrs).get("href"), len(self._runs)))
        elif tag in ("td", "th"):
            if self._cells:
                self._runs.append(self._run(_CELL_BREAK))
            self._cells += 1
        elif tag == "tr":
            self._flush()
            self._cells = 0
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            self._in_item = True
            if self._lists:
                self._lists[-1][1] += 1
                kind, number = self._lists[-1]
                self._marker = f"{number}." if kind == "ol" else "-"
            else:
                self._marker = "-"
        elif tag in _BLOCK_TAGS:
            if not (self._in_item and not self._has_text()):  # <li><p>…</p></li> is one paragraph
                self._flush()
            self._heading = tag.startswith("h")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Treat <br/> like <br>."""
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Close what handle_starttag opened."""
        if tag in _FORMATS:
            self._formats[_FORMATS[tag]] = max(0, self._formats[_FORMATS[tag]] - 1)
        elif tag == "a":
            self._close_link()
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
            self._in_item = bool(self._lists)
        elif tag == "li":
            self._flush()
            self._marker = ""
            self._in_item = False
        elif tag in _BLOCK_TAGS or tag in ("tr", "table"):
            self._flush()
            self._heading = False

    def handle_data(self, data: str) -> None:
        """Keep text in the current formatting."""
        self._runs.append(self._run(data))

    def close(self) -> None:
        """Write the last paragraph."""
        super().close()
        self._flush()

    def _run(self, text: str) -> Run:
        f = self._formats
        return Run(text, bold=f["bold"] > 0, italic=f["italic"] > 0, underline=f["underline"] > 0,
                   strike=f["strike"] > 0)

    def _has_text(self) -> bool:
        return any(run.text.strip() for run in self._runs)

    def _close_link(self) -> None:
        """Add a link's address in brackets after its text when the text is not the address itself."""
        if not self._links:
            return
        href, start = self._links.pop()
        label = _SPACE.sub(" ", "".join(run.text for run in self._runs[start:])).strip()
        if href and href.strip() != label:
            self._runs.append(self._run(f" ({href.strip()})" if label else href.strip()))

    def _flush(self) -> None:
        """End the current paragraph: collapse spaces, trim each line, drop it when nothing shows."""
        runs, self._runs = self._runs, []
        tidy = _tidy(runs)
        if not any(run.text.strip() for run in tidy if run.text != BREAK):
            return
        level = len(self._lists) if self._in_item else 0
        self.blocks.append(Block(tuple(tidy), marker=self._marker, level=level, heading=self._heading))
        self._marker = ""


def _tidy(runs: list[Run]) -> list[Run]:
    """Collapse ASCII spaces across runs and trim them at the start and end of every line."""
    out: list[Run] = []
    space_pending = False
    line_start = True
    for run in runs:
        if run.text == BREAK:
            out.append(run)
            space_pending, line_start = False, True
            continue
        parts = run.text.split(_CELL_BREAK)
        for index, part in enumerate(parts):
            if index:
                out.append(replace(run, text=_CELL_BREAK))
                space_pending, line_start = False, False
            text = _SPACE.sub(" ", part)
            if not text:
                continue
            if text.startswith(" "):
                space_pending = space_pending or not line_start
                text = text[1:]
            if not text:
                continue
            ends_with_space = text.endswith(" ")
            text = text.rstrip(" ")
            out.append(replace(run, text=(" " if space_pending else "") + text))
            space_pending, line_start = ends_with_space, False
    # drop breaks at the start and end of the paragraph, and cell breaks at its edges
    while out and out[0].text in (BREAK, _CELL_BREAK):
        out.pop(0)
    while out and out[-1].text in (BREAK, _CELL_BREAK):
        out.pop()
    return out
