"""How Prachum's spreadsheets look, on screen and on paper, as a Thai office prints them.

Pure module (no Flask, no database). Every spreadsheet is written in openpyxl's write-only mode, so that a
round of 5,000 reports streams out row by row:

- the font is TH Sarabun New everywhere, the workbook's default included (cells typed in later too);
- dates stay real date cells, shown as Buddhist-era day/month/year (16/07/2563) by Excel and LibreOffice;
- A4 landscape, fitted to the page width (as many pages down as needed), the header row repeated on every
  printed page, the page number in the footer;
- one named style per kind of column (text, wrapped text, number, percent, date …), so a cell costs one
  style reference; wrapped rows get a height that shows every line (estimated from the text's length
  and the column's width).

A sheet is written top to bottom: title and label rows, the header row, then the data rows::

    workbook = new_workbook("รายงาน …")
    sheet = SheetWriter(workbook, "รายงาน", columns, header_row=3)
    sheet.title("รายงาน …"); sheet.blank(); sheet.header(); sheet.row(values) …
    data = workbook_bytes(workbook)
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "BE_DATE_FORMAT",
    "Column",
    "FONT_NAME",
    "SheetWriter",
    "line_count",
    "new_workbook",
    "row_height",
    "sheet_name",
    "workbook_bytes",
]

FONT_NAME = "TH Sarabun New"
FONT_SIZE = 14
TITLE_SIZE = 16
# [$-NNCCLLLL]: NN 01 = Western digits, CC 07 = the Thai Buddhist calendar, LLLL 041E = Thai. Excel and
# LibreOffice both show 16/07/2563 and the cell stays a date (sortable, filterable, usable in formulas).
BE_DATE_FORMAT = "[$-107041E]dd/mm/yyyy;@"
PERCENT_FORMAT = "0.00"
WHOLE_FORMAT = "0"
NUMBER_FORMAT = "#,##0.##"

LINE_HEIGHT = 20.0  # points per line of 14 pt TH Sarabun New (its tall Thai marks need more than 1.2 em)
ROW_PADDING = 4.0  # points above and below the text
CHARACTERS_PER_WIDTH = 1.05  # spacing characters of 14 pt Sarabun per unit of column width (a digit's width)

KINDS = ("text", "wrap", "number", "percent", "whole", "date")
# Thai vowels and tone marks written above or below the line take no width
_DROP_MARKS = str.maketrans({chr(c): None for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))})
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, width (in Excel's units: digits) and kind of content."""

    header: str
    width: float
    kind: str = "text"  # text | wrap | number | percent | whole | date

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def line_count(text: str | None, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` digits wide (Thai marks above and below the
    line take no width; each line break starts a new line)."""
    if not text:
        return 1
    per_line = max(1, int(width * CHARACTERS_PER_WIDTH) - 1)
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(len(part.translate(_DROP_MARKS)) / per_line)) for part in text.split("\n"))


def row_height(values: Sequence, columns: Sequence[Column]) -> float | None:
    """The height (points) that shows every line of the row's wrapped cells; None when one line is enough."""
    lines = max((line_count(value, column.width) for value, column in zip(values, columns)
                 if column.kind == "wrap" and isinstance(value, str)), default=1)
    return None if lines <= 1 else lines * LINE_HEIGHT + ROW_PADDING


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\ and at most 31 characters."""
    cleaned = " ".join(_SHEET_NAME_FORBIDDEN.sub(" ", name).split())
    return cleaned[:31].strip(" '") or "Sheet"


def new_workbook(title: str, author: str | None = None) -> Workbook:
    """An empty streaming workbook whose default font is TH Sarabun New, with its document properties."""
    workbook = Workbook(write_only=True)
    base = Font(name=FONT_NAME, size=FONT_SIZE)
    workbook._fonts = IndexedList([base])  # the default font (index 0), used by every cell without a style
    workbook._named_styles["Normal"].font = base
    workbook.properties.title = title
    workbook.properties.creator = author or "Prachum"
    workbook.properties.lastModifiedBy = author or "Prachum"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """Serialise the workbook."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_THIN = Side(style="thin", color="808080")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def _style(workbook: Workbook, kind: str, *, bold: bool = False, indent: int = 0) -> str:
    """The name of the workbook's named style for a kind of cell, registered on first use."""
    name = f"prachum-{kind}{'-bold' if bold else ''}{f'-indent{indent}' if indent else ''}"
    if name in workbook._named_styles.names:
        return name
    font = Font(name=FONT_NAME, size=TITLE_SIZE if kind == "title" else FONT_SIZE, bold=bold or kind in (
        "title", "header", "label"))
    if kind == "header":
        style = NamedStyle(name, font=font, border=_GRID, fill=_HEADER_FILL,
                           alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    elif kind in ("title", "label"):
        style = NamedStyle(name, font=font, alignment=Alignment(vertical="top"))
    else:
        style = NamedStyle(name, font=font, border=_GRID, number_format={
            "date": BE_DATE_FORMAT, "percent": PERCENT_FORMAT, "whole": WHOLE_FORMAT, "number": NUMBER_FORMAT,
        }.get(kind, "General"), alignment=Alignment(
            vertical="top", wrap_text=kind == "wrap", indent=indent,
            horizontal="center" if kind == "date" else None))
    workbook.add_named_style(style)
    return name


def _cells_as_built(cells: list, row: int):
    """The row's cells placed in their columns (blank ones left out), as the streaming writer expects them."""
    for column, cell in enumerate(cells, start=1):
        if cell is not None:
            cell.column, cell.row = column, row
            yield cell


class SheetWriter:
    """One streaming sheet of a workbook: page set-up and column styles first, then rows top to bottom."""

    def __init__(self, workbook: Workbook, name: str, columns: Sequence[Column], *, header_row: int,
                 freeze_column: int = 1) -> None:
        """Set up the sheet: column widths, A4 landscape fitted to the width, the header row repeated when
        printed and frozen on screen (with the columns before `freeze_column`)."""
        self.workbook, self.columns, self.header_row = workbook, tuple(columns), header_row
        self.sheet: WriteOnlyWorksheet = workbook.create_sheet(sheet_name(name))
        self.next_row = 1
        sheet = self.sheet
        for index, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        sheet.print_options.horizontalCentered = True
        sheet.HeaderFooter.oddFooter.center.text = "หน้า &P / &N"
        sheet.HeaderFooter.oddFooter.center.font = FONT_NAME
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.freeze_panes = f"{get_column_letter(freeze_column)}{header_row + 1}"
        sheet._values_to_row = _cells_as_built  # rows are lists of finished cells: no per-cell conversion
        self._looks: dict[tuple, list[StyleArray]] = {}
        self._plain = self._look(False, ())

    def _look(self, bold: bool, indent: tuple) -> list[StyleArray]:
        """Each column's style (as openpyxl's style array) for a row, bold or indented as asked."""
        key = (bold, indent)
        if key not in self._looks:
            levels = dict(indent)
            self._looks[key] = [self._style_array(_style(self.workbook, column.kind, bold=bold,
                                                         indent=levels.get(index, 0)))
                                for index, column in enumerate(self.columns)]
        return self._looks[key]

    def _style_array(self, name: str) -> StyleArray:
        """The style array a cell of the named style carries."""
        template = WriteOnlyCell(self.sheet)
        template.style = name
        return template._style

    def _append(self, cells: list, height: float | None = None) -> None:
        """Write the next row (its height first: a streamed row cannot be changed once written)."""
        if height is not None:
            self.sheet.row_dimensions[self.next_row].height = height
        self.sheet.append(cells)
        self.next_row += 1

    def _cell(self, value, style: str) -> Cell:
        return Cell(self.sheet, column=1, value=value, style_array=self._style_array(style))

    def title(self, text: str) -> None:
        """A bold title line above the table."""
        self._append([self._cell(text, _style(self.workbook, "title"))], LINE_HEIGHT + ROW_PADDING + 4)

    def label(self, label: str, value) -> None:
        """A line "label: value" above the table (the value in the second column)."""
        self._append([self._cell(label, _style(self.workbook, "label")), self._cell(value, "Normal")])

    def blank(self) -> None:
        """An empty line."""
        self._append([])

    def header(self) -> None:
        """The header row, at the row given when the sheet was set up."""
        if self.next_row != self.header_row:
            raise ValueError(f"the header belongs in row {self.header_row}, not {self.next_row}")
        style = _style(self.workbook, "header")
        headers = [column.header for column in self.columns]
        lines = max(line_count(header, column.width) for header, column in zip(headers, self.columns))
        self._append([self._cell(header, style) for header in headers], lines * LINE_HEIGHT + ROW_PADDING)

    def row(self, values: Sequence, *, bold: bool = False, indent: dict[int, int] | None = None) -> int:
        """A data row, each value styled by its column (dates as BE dates), tall enough for wrapped text;
        `indent` maps a 0-based column to an indent level. Returns the row's number."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        looks = self._look(bold, tuple(sorted(indent.items()))) if bold or indent else self._plain
        sheet = self.sheet
        cells = [None if value is None else Cell(sheet, column=1, value=value, style_array=look)
                 for value, look in zip(values, looks)]
        number = self.next_row
        self._append(cells, row_height(values, self.columns))
        return number

