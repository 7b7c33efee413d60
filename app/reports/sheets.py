"""Spreadsheets of the reform plan and of a reporting round (Excel .xlsx).

Pure module: plain values in, bytes out (no Flask, no database). The service layer checks that the
unit codes exist, saves the plan, and translates the headings it hands in.

Plan layout (one layout, read and written the same way)
-------------------------------------------------------
The plan is on the sheet "แผน" (or, when no sheet has that name, the first sheet)::

    A1 ชื่อแผน            B1 the plan's title
    A2 ปี พ.ศ. เริ่มต้น     B2 first Buddhist-era year, e.g. 2562
    A3 ปี พ.ศ. สิ้นสุด      B3 last Buddhist-era year, e.g. 2564 (not before the first)
    row 5: the headers below, exactly as written; row 6 onwards: one sub-item per row

    column  header               content
    A       ประเด็นหลัก           theme number (1, 2, 3 …)
    B       ชื่อประเด็นหลัก        theme title
    C       น้ำหนักประเด็นหลัก      theme weight, a number > 0 (blank: 1)
    D       ประเด็นย่อย           sub-item number within the theme (1, 2 …), or written "2.3"
    E       ชื่อประเด็นย่อย        sub-item title
    F       ผลผลิต               outputs (optional)
    G       เป้าหมาย             target in words (optional)
    H       ค่าเป้าหมาย           target as a number (optional)
    I       หน่วยนับ             unit of measure of the target: ร้อยละ, ระบบ, แห่ง … (optional)
    J       น้ำหนัก              sub-item weight, a number > 0 (blank: 1)
    K       หน่วยงานรับผิดชอบ      responsible unit codes, separated by commas or spaces (BPS, ICT)

- A blank theme number means the same theme as the row above (or the theme of a "2.3" sub-item
  number). The theme's title and weight may be repeated on every row of the theme or given once;
  when repeated they must agree.
- Type "2.10" as text: Excel turns the number 2.10 into 2.1.
- Numbers may be written with thousands separators or Thai digits. Blank rows are skipped.
- Every problem is reported at once, each naming its row and column, e.g.
  "แถว 7 คอลัมน์ น้ำหนัก: ต้องเป็นตัวเลขมากกว่า 0".

Round workbook
--------------
``round_to_xlsx`` writes two sheets: the round's reports (one row per responsible unit and
sub-item, missing reports included) and the roll-up (plan, then each theme followed by its
sub-items), with real numbers and dates (shown as BE dates, 16/07/2563).

Every sheet is written by app.sheet_style (streamed, TH Sarabun New, A4 landscape fitted to the width,
the header row repeated on every printed page).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from app import textlimits
from app.sheet_style import Column, SheetWriter, new_workbook, workbook_bytes
from app.rollup import Figure

__all__ = [
    "PLAN_HEADERS",
    "PLAN_SHEET",
    "PlanRow",
    "PlanSheet",
    "ReportLine",
    "RoundSheetText",
    "SheetError",
    "plan_from_xlsx",
    "plan_to_xlsx",
    "round_to_xlsx",
]

PLAN_SHEET = "แผน"
TITLE_LABEL, START_LABEL, END_LABEL = "ชื่อแผน", "ปี พ.ศ. เริ่มต้น", "ปี พ.ศ. สิ้นสุด"
PLAN_HEADERS = (
    "ประเด็นหลัก", "ชื่อประเด็นหลัก", "น้ำหนักประเด็นหลัก", "ประเด็นย่อย", "ชื่อประเด็นย่อย", "ผลผลิต",
    "เป้าหมาย", "ค่าเป้าหมาย", "หน่วยนับ", "น้ำหนัก", "หน่วยงานรับผิดชอบ",
)
(THEME_NUMBER, THEME_TITLE, THEME_WEIGHT, SUB_NUMBER, SUB_TITLE, OUTPUTS, TARGET, TARGET_VALUE,
 TARGET_UNIT, WEIGHT, UNITS) = range(len(PLAN_HEADERS))
HEADER_ROW, FIRST_DATA_ROW = 5, 6
PLAN_KINDS = ("whole", "wrap", "number", "text", "wrap", "wrap", "wrap", "number", "text", "number", "wrap")
PLAN_WIDTHS = (9, 28, 10, 9, 34, 28, 28, 10, 10, 8, 16)

YEAR_MIN, YEAR_MAX = 2400, 2700
TITLE_MAX, TARGET_UNIT_MAX = textlimits.TITLE, textlimits.TARGET_UNIT  # the columns' lengths
WEIGHT_PLACES, WEIGHT_LIMIT = 3, Decimal(100_000)  # Numeric(8, 3)
VALUE_PLACES, VALUE_LIMIT = 2, Decimal(10) ** 12  # Numeric(14, 2)

NOT_XLSX = "ไม่สามารถอ่านไฟล์ได้: ต้องเป็นไฟล์ Excel (.xlsx)"
REQUIRED = "ต้องระบุ"
POSITIVE_NUMBER = "ต้องเป็นตัวเลขมากกว่า 0"
POSITIVE_WHOLE = "ต้องเป็นจำนวนเต็มมากกว่า 0"

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_DOTTED_NUMBER = re.compile(r"(\d+)\s*\.\s*(\d+)")
_CODE_SEPARATORS = re.compile(r"[,;\s]+")
REPORT_KINDS = ("text", "wrap", "text", "wrap", "wrap", "whole", "number", "wrap", "wrap", "wrap", "wrap", "date",
                "text")
REPORT_WIDTHS = (9, 22, 7, 28, 13, 7, 9, 34, 24, 24, 12, 11, 7)
ROLLUP_KINDS = ("text", "wrap", "number", "percent", "wrap", "whole", "whole", "whole", "whole", "whole")
ROLLUP_WIDTHS = (12, 60, 9, 9, 16, 9, 9, 9, 9, 9)


@dataclass(frozen=True)
class PlanRow:
    """One sub-item line of the plan layout, with its theme repeated."""

    theme_number: int
    theme_title: str
    theme_weight: Decimal
    sub_item_number: int
    sub_item_title: str
    outputs: str | None
    target: str | None
    target_value: Decimal | None
    target_unit: str | None
    weight: Decimal
    unit_codes: tuple[str, ...]


@dataclass(frozen=True)
class PlanSheet:
    """A whole plan as the spreadsheet holds it."""

    title: str
    start_year_be: int
    end_year_be: int
    rows: tuple[PlanRow, ...]


class SheetError(Exception):
    """A plan spreadsheet that cannot be imported; ``problems`` lists every problem, in Thai."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ReportLine:
    """One expected report of a round (a responsible unit on a sub-item), labels already translated."""

    unit_code: str
    unit_name: str
    sub_item_code: str
    sub_item_title: str
    status: str | None  # progress status label; None when there is no report
    percent: int | None
    achieved_value: Decimal | None
    result: str | None
    obstacles: str | None
    suggestions: str | None
    state: str  # workflow state label, e.g. "ยังไม่ส่ง" when missing
    submitted_on: date | None
    late: bool


@dataclass(frozen=True)
class RoundSheetText:
    """Every heading of the round workbook, translated by the caller."""

    title: str
    report_headers: tuple[str, ...]  # 13, in ReportLine's field order
    rollup_headers: tuple[str, ...]  # 10: level, code/title, weight, percent, status, then the five counts
    report_sheet: str
    rollup_sheet: str
    level_names: tuple[str, str, str]  # plan, theme, sub-item
    yes: str  # shown in the late column when late
    author: str | None = None  # the plan owner's secretariat, in the file's properties


# --- the plan: export ------------------------------------------------------------------------


def plan_to_xlsx(plan: PlanSheet, author: str | None = None) -> bytes:
    """Write the plan in the documented layout, the theme repeated on every row (`author`: the owner's secretariat)."""
    workbook = new_workbook(plan.title, author)
    sheet = SheetWriter(workbook, PLAN_SHEET, _columns(PLAN_HEADERS, PLAN_WIDTHS, PLAN_KINDS), header_row=HEADER_ROW)
    for label, value in ((TITLE_LABEL, plan.title), (START_LABEL, plan.start_year_be), (END_LABEL, plan.end_year_be)):
        sheet.label(label, value)
    sheet.blank()
    sheet.header()
    for line in plan.rows:
        sheet.row((
            line.theme_number, line.theme_title, line.theme_weight, line.sub_item_number, line.sub_item_title,
            line.outputs, line.target, line.target_value, line.target_unit, line.weight,
            ", ".join(line.unit_codes),
        ))
    return workbook_bytes(workbook)


# --- the plan: import ------------------------------------------------------------------------


def plan_from_xlsx(data: bytes) -> PlanSheet:
    """Read a plan in the documented layout; raise SheetError listing every problem found."""
    grid = _read_grid(data)
    problems: list[str] = []

    def cell(row: int, column: int):
        """The value at a 1-based row and 0-based column, None beyond the sheet."""
        values = grid[row - 1] if row <= len(grid) else ()
        return values[column] if column < len(values) else None

    title = _text(cell(1, 1))
    if title is None:
        problems.append(_at(1, TITLE_LABEL, REQUIRED))
    elif len(title) > TITLE_MAX:
        problems.append(_at(1, TITLE_LABEL, _too_long(TITLE_MAX)))
    start = _year(cell(2, 1), 2, START_LABEL, problems)
    end = _year(cell(3, 1), 3, END_LABEL, problems)
    if start is not None and end is not None and end < start:
        problems.append(_at(3, END_LABEL, "ต้องไม่น้อยกว่าปี พ.ศ. เริ่มต้น"))

    header_problems = [
        f"แถว {HEADER_ROW} คอลัมน์ {get_column_letter(index + 1)}: หัวตารางต้องเป็น \"{header}\""
        for index, header in enumerate(PLAN_HEADERS)
        if _text(cell(HEADER_ROW, index)) != header
    ]
    if header_problems:
        raise SheetError(problems + header_problems)

    rows = _plan_rows([(number, grid[number - 1]) for number in range(FIRST_DATA_ROW, len(grid) + 1)], problems)
    if not rows and not problems:
        problems.append(f"ไม่พบประเด็นย่อย: ต้องมีอย่างน้อย 1 แถว ตั้งแต่แถว {FIRST_DATA_ROW}")
    if problems:
        raise SheetError(problems)
    return PlanSheet(title, start, end, tuple(rows))


@dataclass
class _ThemeSeen:
    """What the rows say about one theme: its title and weight and where they were first given."""

    first_row: int
    title: str | None = None
    title_row: int | None = None
    weight: Decimal | None = None
    weight_row: int | None = None


@dataclass
class _RowSeen:
    """One parsed data row, waiting for its theme's title and weight."""

    theme: int
    sub_item: int
    title: str
    outputs: str | None
    target: str | None
    target_value: Decimal | None
    target_unit: str | None
    weight: Decimal
    unit_codes: tuple[str, ...]


def _plan_rows(grid_rows: list[tuple[int, tuple]], problems: list[str]) -> list[PlanRow]:
    """Parse the data rows, adding every problem; themes get the title and weight given on any of their rows."""
    themes: dict[int, _ThemeSeen] = {}
    seen: dict[tuple[int, int], int] = {}
    parsed: list[_RowSeen] = []
    current_theme: int | None = None

    for row, raw in grid_rows:
        values = tuple(raw) + (None,) * (len(PLAN_HEADERS) - len(raw))
        if all(_text(value) is None for value in values[:len(PLAN_HEADERS)]):
            continue
        ok = True

        theme = _whole(values[THEME_NUMBER], row, THEME_NUMBER, problems)
        theme_in_sub, sub_item = _sub_item_number(values[SUB_NUMBER], row, problems)
        ok &= sub_item is not None
        if _text(values[THEME_NUMBER]) is not None and theme is None:
            ok = False
        elif theme is None:
            theme = theme_in_sub if theme_in_sub is not None else current_theme
            if theme is None:
                problems.append(_column(row, THEME_NUMBER, REQUIRED))
                ok = False
        if theme is not None and theme_in_sub is not None and theme_in_sub != theme:
            problems.append(_column(row, SUB_NUMBER, f"ประเด็นย่อย {_text(values[SUB_NUMBER])} "
                                                     f"ไม่อยู่ในประเด็นหลัก {theme}"))
            ok, sub_item = False, None
        if theme is not None:
            current_theme = theme

        sub_title = _text(values[SUB_TITLE])
        if sub_title is None:
            problems.append(_column(row, SUB_TITLE, REQUIRED))
            ok = False
        elif len(sub_title) > TITLE_MAX:
            problems.append(_column(row, SUB_TITLE, _too_long(TITLE_MAX)))
            ok = False
        target_unit = _text(values[TARGET_UNIT])
        if target_unit is not None and len(target_unit) > TARGET_UNIT_MAX:
            problems.append(_column(row, TARGET_UNIT, _too_long(TARGET_UNIT_MAX)))
            ok = False
        target_value = _decimal_cell(values[TARGET_VALUE], row, TARGET_VALUE, problems, positive=False)
        ok &= target_value is not _INVALID
        weight = _decimal_cell(values[WEIGHT], row, WEIGHT, problems, positive=True)
        ok &= weight is not _INVALID
        theme_weight = _decimal_cell(values[THEME_WEIGHT], row, THEME_WEIGHT, problems, positive=True)
        ok &= theme_weight is not _INVALID
        theme_title = _text(values[THEME_TITLE])
        if theme_title is not None and len(theme_title) > TITLE_MAX:
            problems.append(_column(row, THEME_TITLE, _too_long(TITLE_MAX)))
            ok = False
        unit_codes = _unit_codes(values[UNITS])
        if not unit_codes:
            problems.append(_column(row, UNITS, "ต้องระบุรหัสหน่วยงานอย่างน้อย 1 หน่วยงาน"))
            ok = False

        if theme is None or sub_item is None:
            continue
        if (theme, sub_item) in seen:
            duplicate = f"ประเด็นย่อย {theme}.{sub_item} ซ้ำกับแถว {seen[theme, sub_item]}"
            problems.append(_column(row, SUB_NUMBER, duplicate))
            continue
        seen[theme, sub_item] = row
        known = themes.setdefault(theme, _ThemeSeen(first_row=row))
        if theme_title is not None:
            if known.title is None:
                known.title, known.title_row = theme_title, row
            elif known.title != theme_title:
                problems.append(_column(row, THEME_TITLE, f"ไม่ตรงกับแถว {known.title_row} ของประเด็นหลัก {theme}"))
        if isinstance(theme_weight, Decimal):
            if known.weight is None:
                known.weight, known.weight_row = theme_weight, row
            elif known.weight != theme_weight:
                problems.append(_column(row, THEME_WEIGHT, f"ไม่ตรงกับแถว {known.weight_row} ของประเด็นหลัก {theme}"))
        if ok:
            parsed.append(_RowSeen(
                theme, sub_item, sub_title, _text(values[OUTPUTS]), _text(values[TARGET]),
                target_value, target_unit, weight if weight is not None else Decimal(1), unit_codes,
            ))

    for number, known in themes.items():
        if known.title is None:
            problems.append(_column(known.first_row, THEME_TITLE, f"ต้องระบุชื่อของประเด็นหลัก {number}"))
    if problems:
        return []
    return [
        PlanRow(
            theme_number=line.theme,
            theme_title=themes[line.theme].title or "",
            theme_weight=themes[line.theme].weight if themes[line.theme].weight is not None else Decimal(1),
            sub_item_number=line.sub_item,
            sub_item_title=line.title,
            outputs=line.outputs,
            target=line.target,
            target_value=line.target_value,
            target_unit=line.target_unit,
            weight=line.weight,
            unit_codes=line.unit_codes,
        )
        for line in parsed
    ]


def _read_grid(data: bytes) -> list[tuple]:
    """The plan sheet's values row by row; SheetError when the bytes are not a readable workbook."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a zip, XML or format error: any of them means "not an xlsx we can read"
        raise SheetError([NOT_XLSX]) from error
    try:
        if PLAN_SHEET in workbook.sheetnames:
            sheet = workbook[PLAN_SHEET]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise SheetError([NOT_XLSX])
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    except SheetError:
        raise
    except Exception as error:
        raise SheetError([NOT_XLSX]) from error
    finally:
        workbook.close()


_INVALID = object()  # a cell that failed to parse (its problem is already recorded)


def _at(row: int, column_name: str, problem: str) -> str:
    """A problem message naming the sheet row and column."""
    return f"แถว {row} คอลัมน์ {column_name}: {problem}"


def _column(row: int, column: int, problem: str) -> str:
    """A problem message for a column of the data rows."""
    return _at(row, PLAN_HEADERS[column], problem)


def _too_long(limit: int) -> str:
    """The message for text longer than its column allows."""
    return f"ยาวได้ไม่เกิน {limit} ตัวอักษร"


def _text(value) -> str | None:
    """A cell as stripped text, None when blank; whole floats lose their ".0"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(value) -> Decimal | None:
    """A cell as an exact decimal (None when blank); ValueError when it is not a number."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return Decimal(int(number)) if value.is_integer() else number
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = value.strip().translate(_THAI_DIGITS).replace(",", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(value) from None
    else:
        raise ValueError(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def _places(number: Decimal) -> int:
    """How many decimal places a number needs."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _decimal_cell(value, row: int, column: int, problems: list[str], *, positive: bool):
    """A number column: the Decimal, None when blank, or _INVALID after recording the problem."""
    places, limit = (WEIGHT_PLACES, WEIGHT_LIMIT) if positive else (VALUE_PLACES, VALUE_LIMIT)
    try:
        number = _number(value)
    except ValueError:
        problems.append(_column(row, column, POSITIVE_NUMBER if positive else "ต้องเป็นตัวเลข"))
        return _INVALID
    if number is None:
        return None
    if positive and number <= 0:
        problems.append(_column(row, column, POSITIVE_NUMBER))
        return _INVALID
    if _places(number) > places:
        problems.append(_column(row, column, f"ทศนิยมได้ไม่เกิน {places} ตำแหน่ง"))
        return _INVALID
    if abs(number) >= limit:
        problems.append(_column(row, column, f"ต้องน้อยกว่า {limit:,}"))
        return _INVALID
    return number


def _whole(value, row: int, column: int, problems: list[str]) -> int | None:
    """A positive whole number, or None (blank, or invalid with the problem recorded)."""
    try:
        number = _number(value)
    except ValueError:
        number = Decimal("NaN")
    if number is None:
        return None
    if number.is_nan() or number != number.to_integral_value() or number <= 0:
        problems.append(_column(row, column, POSITIVE_WHOLE))
        return None
    return int(number)


def _sub_item_number(value, row: int, problems: list[str]) -> tuple[int | None, int | None]:
    """The sub-item number and, when written "2.3", its theme; None for a blank or bad cell (recorded)."""
    if isinstance(value, float) and not value.is_integer():
        value = repr(value)
    if isinstance(value, str):
        match = _DOTTED_NUMBER.fullmatch(value.strip().translate(_THAI_DIGITS))
        if match:
            theme, sub_item = int(match[1]), int(match[2])
            if theme > 0 and sub_item > 0:
                return theme, sub_item
            problems.append(_column(row, SUB_NUMBER, POSITIVE_WHOLE + " หรือเขียนแบบ 2.3"))
            return None, None
    if _text(value) is None:
        problems.append(_column(row, SUB_NUMBER, REQUIRED))
        return None, None
    try:
        number = _number(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value() or number <= 0:
        problems.append(_column(row, SUB_NUMBER, POSITIVE_WHOLE + " หรือเขียนแบบ 2.3"))
        return None, None
    return None, int(number)


def _year(value, row: int, label: str, problems: list[str]) -> int | None:
    """A Buddhist-era year 2400–2700, or None with the problem recorded."""
    if _text(value) is None:
        problems.append(_at(row, label, REQUIRED))
        return None
    try:
        number = _number(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value() or not YEAR_MIN <= number <= YEAR_MAX:
        problems.append(_at(row, label, f"ต้องเป็นปี พ.ศ. (จำนวนเต็ม {YEAR_MIN}–{YEAR_MAX})"))
        return None
    return int(number)


def _unit_codes(value) -> tuple[str, ...]:
    """Unit codes split on commas, semicolons or spaces, upper-cased, each kept once in order."""
    text = _text(value)
    if text is None:
        return ()
    codes = (code.upper() for code in _CODE_SEPARATORS.split(text) if code)
    return tuple(dict.fromkeys(codes))


# --- a reporting round -----------------------------------------------------------------------


def round_to_xlsx(text: RoundSheetText, lines: Iterable[ReportLine], rollup: Figure,
                  status_labels: Mapping[str, str]) -> bytes:
    """Write a round's reports and its roll-up as two sheets, headed by the title (streamed row by row)."""
    if len(text.report_headers) != 13 or len(text.rollup_headers) != 10:
        raise ValueError("round_to_xlsx needs 13 report headers and 10 roll-up headers")
    workbook = new_workbook(text.title, text.author)
    reports = SheetWriter(workbook, text.report_sheet, _columns(text.report_headers, REPORT_WIDTHS, REPORT_KINDS),
                          header_row=3)
    reports.title(text.title)
    reports.blank()
    reports.header()
    for line in lines:
        reports.row((
            line.unit_code, line.unit_name, line.sub_item_code, line.sub_item_title, line.status, line.percent,
            line.achieved_value, line.result, line.obstacles, line.suggestions, line.state, line.submitted_on,
            text.yes if line.late else None,
        ))

    figures = SheetWriter(workbook, text.rollup_sheet, _columns(text.rollup_headers, ROLLUP_WIDTHS, ROLLUP_KINDS),
                          header_row=3)
    figures.title(text.title)
    figures.blank()
    figures.header()
    for depth, figure in _levels(rollup):
        counts = figure.counts
        figures.row((
            text.level_names[depth], figure.title, _plain_number(figure.weight), figure.percent_rounded,
            status_labels.get(figure.status, figure.status), counts.expected, counts.submitted, counts.accepted,
            counts.missing, counts.late,
        ), bold=depth == 0, indent={1: depth * 2})
    return workbook_bytes(workbook)


def _columns(headers: Sequence[str], widths: Sequence[float], kinds: Sequence[str]) -> list[Column]:
    """The sheet's columns from their headers, widths and kinds."""
    return [Column(header, width, kind) for header, width, kind in zip(headers, widths, kinds, strict=True)]


def _levels(plan: Figure):
    """The plan, then each theme followed by its sub-items, as (depth, figure)."""
    yield 0, plan
    for theme in plan.children:
        yield 1, theme
        for sub_item in theme.children:
            yield 2, sub_item


def _plain_number(value: Fraction) -> int | float:
    """A weight as a spreadsheet number: whole numbers stay whole."""
    return value.numerator if value.denominator == 1 else float(value)
