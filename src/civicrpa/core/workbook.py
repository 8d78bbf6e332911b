"""The one spreadsheet writer: every .xlsx civicrpa hands to people is made here.

Lists leave the robots by mail and shared drives and are opened in Excel by people who trust
them, so every export needs the same guarantees, and one writer gives them all at once:

- **No cell is ever a formula.** A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return (OWASP's CSV/formula injection list) is stored as a text cell with Excel's
  quote prefix, as if typed with a leading apostrophe: Excel shows it as written, never
  evaluates it, and keeps it text when the cell is edited. The value itself is unchanged.
  Every other text is stored as text too; numbers stay numbers (``-5`` the int is a number,
  ``"-5"`` the text stays text).
- Characters XML cannot hold (control characters a pasted header may carry) are dropped, so
  saving never fails on them.
- Korean headers in bold, the header row frozen (and filterable) under optional title lines
  (제목, 기준일, 작성 부서) as a department sends a list.
- Columns fitted to their content, counting East Asian wide characters (Hangul, CJK) as two:
  a column of Korean names is as wide as it looks. Bounded to 6..60 characters; a column may
  fix its own width.
- Dates as date cells (``yyyy-mm-dd``), aware datetimes on the Korean wall clock (Excel has no
  time zones), money columns ``#,##0``.

A workbook is :class:`Sheet` values, each one or more :class:`Table` blocks stacked with a
blank line between them (a summary sheet's "by status" and "by birth order");
:func:`workbook_bytes` returns the file's bytes (the caller saves or sends them: core does no
I/O). This module imports openpyxl: the command line imports it only inside the commands that
write a file.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from civicrpa.core.clock import to_kst

#: ``#,##0``: won with thousands separators.
MONEY: Final = "#,##0"
#: ``yyyy-mm-dd``: how Korean offices write a day.
DATE: Final = "yyyy-mm-dd"
#: ``yyyy-mm-dd hh:mm:ss``.
DATETIME: Final = "yyyy-mm-dd hh:mm:ss"
#: First characters that make a spreadsheet read a text as a formula (OWASP).
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
#: Bounds of a fitted column, in characters.
MIN_WIDTH: Final = 6
MAX_WIDTH: Final = 60
_NUMBER = int | float | Decimal


@dataclass(frozen=True, kw_only=True)
class Column:
    """A column: its Korean title, how its numbers or dates read, and optionally a fixed width."""

    title: str
    #: Excel number format for the column's numbers and dates (:data:`MONEY`, :data:`DATE`);
    #: None: numbers as they are, dates as :data:`DATE` / :data:`DATETIME`.
    number_format: str | None = None
    #: Width in characters; None: fitted to the content.
    width: float | None = None


@dataclass(frozen=True, kw_only=True)
class Table:
    """A block of a sheet: an optional bold title line, the bold header, then the rows.

    A row may be shorter than the columns (the rest stays empty), never longer.
    """

    columns: Sequence[Column | str]
    rows: Iterable[Sequence[object]] = ()
    title: str | None = None


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """One sheet: optional title lines at the top, then its tables.

    ``heading``'s first line is the sheet's title (bold, larger), the others plain (기준일 ...);
    a blank line separates them from the first table. The first table's header is frozen and
    filterable unless told otherwise.
    """

    name: str
    tables: Sequence[Table]
    heading: Sequence[str] = ()
    freeze_header: bool = True
    auto_filter: bool = True

    def __post_init__(self) -> None:
        if not self.tables:
            raise ValueError("a sheet needs at least one table")


def single_sheet(
    name: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[object]],
    *,
    heading: Sequence[str] = (),
) -> Sheet:
    """A sheet of one table: the common case (an error report, a log)."""
    return Sheet(name=name, tables=[Table(columns=columns, rows=rows)], heading=heading)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx bytes of ``sheets``, in order.

    Raises ValueError for no sheets, a row wider than its table's columns, or a sheet name Excel
    refuses (``[]:*?/\\``).
    """
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    book = Workbook()
    first = book.active
    assert first is not None
    for index, sheet in enumerate(sheets):
        worksheet = first if index == 0 else book.create_sheet()
        worksheet.title = sheet.name
        _write_sheet(worksheet, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def display_width(text: str) -> int:
    """Characters a text takes on screen: East Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _write_sheet(worksheet: Worksheet, sheet: Sheet) -> None:
    row = 1
    for number, text in enumerate(sheet.heading):
        cell = _put(worksheet, row, 1, text, None)[0]
        cell.font = Font(bold=True, size=14) if number == 0 else Font()
        row += 1
    if sheet.heading:
        row += 1  # a blank line under the title lines
    widths: dict[int, int] = {}
    fixed: dict[int, float] = {}
    for index, table in enumerate(sheet.tables):
        columns = [Column(title=c) if isinstance(c, str) else c for c in table.columns]
        if table.title is not None:
            _put(worksheet, row, 1, table.title, None)[0].font = Font(bold=True)
            row += 1
        header = row
        for number, column in enumerate(columns, start=1):
            cell, chars = _put(worksheet, header, number, column.title, None)
            cell.font = Font(bold=True)
            widths[number] = max(widths.get(number, 0), chars)
            if column.width is not None:
                fixed[number] = column.width
        for row, line in enumerate(table.rows, start=header + 1):  # row: the last line, after
            if len(line) > len(columns):
                raise ValueError(
                    f"row {row} is wider than its table ({len(line)} > {len(columns)})"
                )
            for number, value in enumerate(line, start=1):
                chars = _put(worksheet, row, number, value, columns[number - 1].number_format)[1]
                widths[number] = max(widths[number], chars)
        if index == 0:
            last = get_column_letter(max(len(columns), 1))
            if sheet.freeze_header:
                worksheet.freeze_panes = f"A{header + 1}"
            if sheet.auto_filter and columns:
                worksheet.auto_filter.ref = f"A{header}:{last}{row}"
        row += 2  # the next table after a blank line
    for number, chars in widths.items():
        width = fixed.get(number, min(max(chars + 2, MIN_WIDTH), MAX_WIDTH))
        worksheet.column_dimensions[get_column_letter(number)].width = width


def _put(
    worksheet: Worksheet, row: int, column: int, raw: object, number_format: str | None
) -> tuple[Cell, int]:
    """Write one cell, guarded and formatted; return it and its width in characters."""
    value = raw
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = to_kst(value).replace(tzinfo=None)  # Excel has no time zones
    elif isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be saved
    elif not (value is None or isinstance(value, bool | _NUMBER | date | time)):
        value = str(value)  # an enum, a masked number: what str() shows, never a live object
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = worksheet.cell(row=row, column=column, value=value)
    assert isinstance(cell, Cell)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel keeps it text, even when the cell is edited
        return cell, max((display_width(line) for line in value.splitlines()), default=0)
    if isinstance(value, date):
        default = DATETIME if isinstance(value, datetime) else DATE
        cell.number_format = number_format or default
        return cell, len(cell.number_format)
    if isinstance(value, _NUMBER) and not isinstance(value, bool):
        if number_format is not None:
            cell.number_format = number_format
        shown = f"{value:,}" if number_format == MONEY else str(value)
        return cell, len(shown)
    return cell, 0 if value is None else len(str(value))


__all__ = [
    "DATE",
    "DATETIME",
    "FORMULA_START",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "MONEY",
    "Column",
    "Sheet",
    "Table",
    "display_width",
    "single_sheet",
    "workbook_bytes",
]
