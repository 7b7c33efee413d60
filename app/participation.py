"""Participant reports of Zoom, Webex and Microsoft Teams, read into join/leave intervals and matched to people.

Pure module: bytes in, plain values out (no Flask, no database). The column layouts are the ones each service
exports for a meeting's participants:
- Zoom (Reports › Usage › Participants, CSV, optionally with the meeting's details above): the row
  "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest" then one row per stay;
- Microsoft Teams (attendance report, UTF-16 tab-separated): a summary block ("Meeting Summary", title, start
  and end), then "Full Name	Join Time	Leave Time	Duration	Email	Role" and one row per stay (the newer layout's
  "Name	First Join	Last Leave	In-Meeting Duration	Email	…" is read the same way);
- Webex (meeting attendee report, CSV): "Name,Email,Join Time,Leave Time,Duration,…" then one row per stay.
Times carry no zone: they are in the zone of the exporting account, which for a Thai office is Bangkok time;
the caller decides (app.evidence.services reads them as Bangkok time). A time with an offset keeps it.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Hashable, Iterable, Sequence

SOURCES = ("zoom", "webex", "teams")
MAX_ROWS = 20_000
# header cell (lower case) -> field, per service
_COLUMNS = {
    "zoom": {"name (original name)": "name", "name": "name", "user email": "email", "email": "email",
             "join time": "joined", "leave time": "left"},
    "teams": {"full name": "name", "name": "name", "join time": "joined", "first join": "joined",
              "leave time": "left", "last leave": "left", "email": "email"},
    "webex": {"name": "name", "participant name": "name", "display name": "name", "email": "email",
              "attendee email": "email", "join time": "joined", "leave time": "left"},
}
_TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y, %I:%M:%S %p", "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M", "%m/%d/%y %I:%M:%S %p", "%m/%d/%y %I:%M %p",
)
TITLES = ("ว่าที่ร้อยตรี", "ว่าที่ ร.ต.", "นางสาว", "นาย", "นาง", "น.ส.", "ดร.", "ผศ.", "รศ.", "ศ.", "mr.", "mrs.",
          "ms.", "miss", "dr.")  # longest first where one is a prefix of another


class ReportError(ValueError):
    """A file that is not the named service's participant report, or a row that cannot be read."""


@dataclass(frozen=True)
class ParticipantRow:
    """One stay in the meeting as the report gives it: its line in the file, the name shown, the e-mail (if the
    service knew it), and the join and leave times (naive: the exporting account's zone; aware when the file
    said so)."""

    line: int
    name: str
    email: str | None
    joined_at: datetime
    left_at: datetime

    @property
    def names(self) -> tuple[str, ...]:
        """The shown name and, for Zoom's "Renamed (Original Name)", the original one."""
        match = re.fullmatch(r"\s*(.*?)\s*\(([^()]*)\)\s*", self.name)
        return (self.name, match.group(2), match.group(1)) if match else (self.name,)


@dataclass(frozen=True)
class Person:
    """Someone expected at the meeting: a key the caller understands (("user", 5), ("guest", 2)), name, e-mail."""

    key: Hashable
    name: str
    email: str | None = None


def decode_report(data: bytes) -> str:
    """The file's text: UTF-16 (with its BOM, as Teams writes it) or UTF-8 (with or without BOM), else TIS-620."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if len(data) > 1 and data[1:2] == b"\x00" and data[0:1] != b"\x00":
        return data.decode("utf-16-le")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp874", errors="replace")


def parse_report_time(text: str) -> datetime:
    """A time as the services write it: "06/26/2020 09:28:14 AM", "6/26/20, 9:28:14 AM", "2020-06-26 09:28:14"
    or ISO 8601 with an offset; ReportError otherwise."""
    value = " ".join((text or "").replace("\u202f", " ").split())
    if not value:
        raise ReportError("empty time")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ReportError(f"unreadable time: {value!r}")


def _rows(text: str) -> list[list[str]]:
    """The file's rows, tab-separated when its lines hold tabs, else comma-separated."""
    delimiter = "\t" if "\t" in text[:4000] else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def parse_participant_report(data: bytes, source: str) -> list[ParticipantRow]:
    """Every stay listed in a participant report of `source` (zoom, webex, teams); the rows above the header
    (the meeting's summary) are skipped. ReportError when the header is missing or a row cannot be read."""
    if source not in SOURCES:
        raise ReportError(f"unknown source: {source}")
    columns = _COLUMNS[source]
    rows = _rows(decode_report(data))
    header_at, fields = None, {}
    for index, row in enumerate(rows):
        cells = [cell.strip().lower() for cell in row]
        found = {columns[cell]: position for position, cell in reversed(list(enumerate(cells))) if cell in columns}
        if {"name", "joined", "left"} <= set(found):
            header_at, fields = index, found
            break
    if header_at is None:
        raise ReportError("no header with the name, join time and leave time columns")
    stays: list[ParticipantRow] = []
    for index in range(header_at + 1, len(rows)):
        row = [cell.strip() for cell in rows[index]]
        if not any(row):
            if stays:
                break  # the end of the participants (Teams writes another block after a blank line)
            continue
        if len(stays) >= MAX_ROWS:
            raise ReportError(f"more than {MAX_ROWS} rows")

        def cell(field: str) -> str:
            position = fields.get(field)
            return row[position] if position is not None and position < len(row) else ""

        name = cell("name")
        if not name:
            raise ReportError(f"line {index + 1}: no name")
        try:
            joined, left = parse_report_time(cell("joined")), parse_report_time(cell("left"))
        except ReportError as error:
            raise ReportError(f"line {index + 1}: {error}") from None
        if left < joined:
            raise ReportError(f"line {index + 1}: leaves before joining")
        stays.append(ParticipantRow(line=index + 1, name=name, email=cell("email").lower() or None,
                                    joined_at=joined, left_at=left))
    return stays


def name_key(name: str) -> str:
    """A name compared loosely: lower case, without a title (นาย, นาง, ดร. …) and without spaces."""
    value = " ".join((name or "").split()).lower()
    stripped = True
    while stripped:
        stripped = False
        for title in TITLES:
            if value.startswith(title):
                value = value[len(title):].lstrip()
                stripped = True
                break
    return value.replace(" ", "")


def match_participants(rows: Iterable[ParticipantRow], people: Sequence[Person]
                       ) -> tuple[list[tuple[ParticipantRow, Person]], list[ParticipantRow]]:
    """Each stay matched to a person by e-mail, else by name (the shown or original name, titles ignored); a
    name that two people share matches neither. Returns (matched pairs, unmatched stays)."""
    by_email = {p.email.lower(): p for p in people if p.email}
    by_name: dict[str, Person | None] = {}
    for person in people:
        key = name_key(person.name)
        if key:
            by_name[key] = None if key in by_name and by_name[key] != person else person
    matched, unmatched = [], []
    for row in rows:
        person = by_email.get(row.email or "")
        if person is None:
            person = next((by_name[k] for k in map(name_key, row.names) if by_name.get(k) is not None), None)
        if person is None:
            unmatched.append(row)
        else:
            matched.append((row, person))
    return matched, unmatched
