"""Thai-aware tokens for the search index: plain values in, plain values out (no Flask, no session).

Thai is written without spaces, so words come from PyThaiNLP's dictionary segmenter ("newmm", offline).
The same text can be segmented differently in another context (ฐานข้อมูล, or ฐาน + ข้อมูล), so the index
holds, besides every word, each adjacent pair of words joined and the dictionary parts of long compounds
(รายงานการประชุม → รายงาน, การประชุม → การ, ประชุม). A query is segmented the same way and every one of
its words must be among an entry's tokens.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

ENGINE = "newmm"
THAI_RUN = r"[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+"  # letters, vowels, tone marks; not ฯ ๆ ฿
WORD_RUN = re.compile(rf"{THAI_RUN}|[A-Za-z0-9]+")
THAI_ONLY = re.compile(rf"^{THAI_RUN}$")
LATIN_PARTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# [^<>]: a "<" without its ">" is scanned only up to the next "<", so stripping tags stays linear in the text
TAG = re.compile(r"<[^<>]*>")
BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^<>]*>", re.IGNORECASE)
SPACES = re.compile(r"\s+")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
DIGIT_CLASS = {str(n): f"[{n}{thai}]" for n, thai in enumerate("๐๑๒๓๔๕๖๗๘๙")}
COMPOUND_MIN = 8  # Thai words this long (in code points) are also indexed by their dictionary parts
PIECE_MAX = 300  # characters given to the segmenter at once (see _pieces)
PART_MIN = 3  # shorter parts (สำ of สำนักงาน, ผล of ผลการ…) are not indexed: too many false matches


def plain_text(text: str | None) -> str:
    """Text without HTML tags and entities, NFC, zero-width characters removed, whitespace collapsed."""
    if not text:
        return ""
    text = TAG.sub("", BLOCK_TAG.sub(" ", text))
    text = unicodedata.normalize("NFC", html.unescape(text)).translate(ZERO_WIDTH)
    return SPACES.sub(" ", text).strip()


def normalise(text: str | None) -> str:
    """plain_text, lower-cased, Thai digits as Arabic digits: the form tokens are compared in."""
    return plain_text(text).lower().translate(THAI_DIGITS)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    return frozenset(thai_words())


@lru_cache(maxsize=50_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The fewest dictionary words (two or more, at least two letters each) a long Thai word is made of,
    then their own parts, keeping those of PART_MIN letters or more; () when it is not a compound."""
    if len(word) < COMPOUND_MIN or len(word) > 40 or not THAI_ONLY.match(word):
        return ()
    words = _dictionary()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for start in range(len(word)):
        if best[start] is None:
            continue
        for end in range(start + 2, len(word) + 1):
            piece = word[start:end]
            if piece == word or piece not in words:
                continue
            candidate = best[start] + (piece,)
            if best[end] is None or len(candidate) < len(best[end]):
                best[end] = candidate
    pieces = best[len(word)] or ()
    parts: list[str] = []
    for piece in pieces:
        if len(piece) >= PART_MIN:
            parts.append(piece)
        parts.extend(compound_parts(piece))
    return tuple(dict.fromkeys(parts))


def _latin_parts(run: str) -> tuple[str, ...]:
    """Camel-case and letter/digit parts of a Latin run (BigData → big, data; COVID19 → covid, 19)."""
    parts = [p.lower() for p in LATIN_PARTS.findall(run)]
    if len(parts) < 2:
        return ()
    return tuple(dict.fromkeys(p for p in parts if len(p) > 1 or p.isdigit()))


def _pieces(text: str) -> Iterator[str]:
    """The text in pieces of at most PIECE_MAX characters joined at spaces; a longer run without a space
    is one piece of its own."""
    batch: list[str] = []
    size = 0
    for run in text.split(" "):
        if size + len(run) > PIECE_MAX and batch:
            yield " ".join(batch)
            batch, size = [], 0
        if len(run) > PIECE_MAX:
            yield run
            continue
        batch.append(run)
        size += len(run) + 1
    if batch:
        yield " ".join(batch)


def _segment(text: str) -> Iterator[str]:
    """newmm's words of the text, given to it PIECE_MAX characters at a time.

    PyThaiNLP's segmenter takes time quadratic in the length of what it is given. Words never cross a
    space, so pieces cut at spaces segment exactly as the whole text; a longer run without a space is
    segmented through a window that restarts at its last word (which the window may have cut).
    join_broken_num=False: the rejoining of "1,234.5" is quadratic too, and WORD_RUN splits numbers anyway.
    """
    for piece in _pieces(text):
        if len(piece) <= PIECE_MAX:
            yield from word_tokenize(piece, engine=ENGINE, keep_whitespace=False, join_broken_num=False)
            continue
        start = 0  # a run without spaces: every character is in some word, so the words' lengths add up
        while start < len(piece):
            window = piece[start:start + PIECE_MAX]
            words = word_tokenize(window, engine=ENGINE, keep_whitespace=False, join_broken_num=False)
            if start + PIECE_MAX < len(piece) and len(words) > 1:
                words = words[:-1]
            yield from words
            start += sum(map(len, words)) or len(window)


def _words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(word, its parts) in reading order: Thai words from newmm, Latin/digit runs, normalised."""
    text = plain_text(text).translate(THAI_DIGITS)
    if not text:
        return []
    result = []
    for segment in _segment(text):
        for run in WORD_RUN.findall(segment):
            if THAI_ONLY.match(run):
                if len(run) > 1:
                    result.append((run, compound_parts(run)))
            else:
                result.append((run.lower(), _latin_parts(run)))
    return result


def tokens(text: str | None) -> list[str]:
    """The words of a text, in order, normalised: what a query must find (every one of them)."""
    return [word for word, _parts in _words(text or "")]


def index_tokens(text: str | None) -> list[str]:
    """Every distinct token an entry is found by: its words, their parts and each adjacent pair joined."""
    words = _words(text or "")
    found: dict[str, None] = {}
    for index, (word, parts) in enumerate(words):
        found[word] = None
        found.update(dict.fromkeys(parts))
        if index:
            found[words[index - 1][0] + word] = None
    return list(found)


def highlight_terms(query_tokens: list[str]) -> list[str]:
    """The query's words and their parts: what a snippet marks."""
    terms: dict[str, None] = {}
    for token in query_tokens:
        terms[token] = None
        terms.update(dict.fromkeys(compound_parts(token) or _latin_parts(token)))
    return list(terms)


def token_string(values: list[str]) -> str:
    """Distinct tokens separated and surrounded by spaces, so that LIKE '% token %' finds whole tokens."""
    return f" {' '.join(dict.fromkeys(values))} " if values else " "


def _pattern(terms: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern matching any term, longest first; digits match Thai digits too."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    alternatives = ["".join(DIGIT_CLASS.get(c, re.escape(c)) for c in term) for term in terms]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def has_match(text: str | None, query_tokens: list[str]) -> bool:
    """True when a snippet of the text would mark something."""
    pattern = _pattern(highlight_terms(list(query_tokens)))
    return bool(pattern and pattern.search(plain_text(text)))


def snippet(text: str | None, query_tokens: list[str], width: int = 160) -> str:
    """About `width` characters of plain text around the first match, as escaped HTML with each match
    in <mark>; the start of the text when nothing matches."""
    text = plain_text(text)
    pattern = _pattern(highlight_terms(list(query_tokens)))
    first = pattern.search(text) if pattern else None
    start = 0
    if first is not None and len(text) > width:
        start = max(0, min(first.start() - width // 3, len(text) - width))
        if start:
            space = text.find(" ", start, first.start())  # begin at a word boundary when one is near
            start = space + 1 if space != -1 and space - start < width // 6 else start
    end = min(len(text), start + width)
    window = text[start:end]
    pieces = ["…"] if start else []
    position = 0
    for match in pattern.finditer(window) if pattern else ():
        pieces.append(html.escape(window[position:match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        position = match.end()
    pieces.append(html.escape(window[position:]))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces).replace("</mark><mark>", "")


WARM_UP_TEXT = "รายงานการประชุมคณะกรรมการ"


def warm_up() -> None:
    """Load PyThaiNLP's dictionary and segmenter now (1–1.75 s), so that a worker's first search does not wait:
    gunicorn.conf.py calls it in each worker, create_app when WARM_UP_SEARCH is set."""
    from pythainlp.tokenize import word_dict_trie

    _dictionary()
    word_dict_trie()
    index_tokens(WARM_UP_TEXT)
