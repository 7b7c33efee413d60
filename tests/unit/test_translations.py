"""The English catalog is complete and safe to format (reads the .po/.pot files only, no app needed).

Thai msgids are the source text; translations/en/LC_MESSAGES/messages.po must give every one of them a
non-fuzzy English msgstr that keeps the same %(name)s / %(n)d placeholders, or formatting would raise
KeyError (or show raw Thai) on English pages.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
POT = TRANSLATIONS / "messages.pot"

# A printf-style conversion: %(name)s, %(n)d, %s, %5.2f … ; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
THAI = re.compile(r"[\u0E00-\u0E7F]")


def placeholders(text: str) -> set[str]:
    return {p for p in PLACEHOLDER.findall(text) if p != "%%"}


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


CATALOG = load(EN_PO, "en")
MESSAGES = [m for m in CATALOG if m.id]  # everything except the header


def forms(message: Message) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs: one for a simple message, one per plural form otherwise."""
    if isinstance(message.id, (list, tuple)):
        singular, plural = message.id[0], message.id[1]
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        return [(singular if index == 0 else plural, text) for index, text in enumerate(strings)]
    return [(message.id, message.string)]


def label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    return f"{msgid!r} ({where})"


def test_header_is_valid_english_catalog():
    assert str(CATALOG.locale) == "en"
    assert CATALOG.mime_headers  # parsed header
    headers = dict(CATALOG.mime_headers)
    assert headers.get("Language") == "en"
    assert "charset=utf-8" in headers.get("Content-Type", "").lower()
    assert not CATALOG.fuzzy
    assert len(MESSAGES) > 100


def test_every_message_is_translated():
    untranslated = [label(m) for m in MESSAGES if not all(text.strip() for _, text in forms(m))]
    assert not untranslated, "messages without an English msgstr:\n" + "\n".join(untranslated)


def test_no_message_is_fuzzy():
    fuzzy = [label(m) for m in MESSAGES if m.fuzzy]
    assert not fuzzy, "fuzzy messages (ignored by pybabel compile):\n" + "\n".join(fuzzy)


def test_placeholders_are_kept():
    wrong = []
    for message in MESSAGES:
        for msgid, msgstr in forms(message):
            if msgstr and placeholders(msgid) != placeholders(msgstr):
                wrong.append(f"{label(message)}: {sorted(placeholders(msgid))} != {sorted(placeholders(msgstr))}"
                             f" in {msgstr!r}")
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


def test_translations_are_english():
    still_thai = [f"{label(m)} -> {text!r}" for m in MESSAGES for _, text in forms(m) if THAI.search(text)]
    assert not still_thai, "msgstr still contains Thai:\n" + "\n".join(still_thai)


def test_catalog_covers_the_template():
    """Every msgid extracted into messages.pot is in the English catalog (run `pybabel update` after extracting)."""
    if not POT.exists():
        pytest.skip("messages.pot has not been extracted")
    template = load(POT)
    known = {m.id if isinstance(m.id, str) else tuple(m.id) for m in MESSAGES}
    missing = [label(m) for m in template if m.id and (m.id if isinstance(m.id, str) else tuple(m.id)) not in known]
    assert not missing, "in messages.pot but not in the English catalog:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    ("thai", "english"),
    [
        ("เข้าสู่ระบบ", "Sign in"),  # tests/functional/test_auth.py looks for it on /login?lang=en
        ("ออกจากระบบ", "Sign out"),
        ("ฝ่ายเลขานุการ", "Secretariat"),
        ("คณะทำงาน", "Working group"),
        ("ครั้งที่", "No."),
        ("ผู้มาประชุม", "Present"),
        ("ผู้ไม่มาประชุม", "Absent"),
        ("ผู้เข้าร่วมประชุม", "In attendance"),
    ],
)
def test_key_terms(thai, english):
    message = CATALOG.get(thai)
    assert message is not None, f"{thai!r} is not in the catalog"
    assert message.string == english
