"""Read an uploaded .xlsx or .csv work list into rows, refusing hostile files early.

Offices hand robots their work as spreadsheets: Excel files, or CSV saved by Korean Excel (CP949).
A file comes from outside, so everything is bounded before it is trusted: the file size, the
uncompressed size of the xlsx zip (checked before openpyxl parses a byte, so a zip bomb never
expands), the number of rows and the length of each cell. An over-long cell rejects only its row
and is dropped at once, so a 10 MB cell is never carried further. Errors carry codes, never cell
contents: a sheet may hold resident registration numbers and bank accounts.

The first non-empty row is the header. Row numbers are those a person sees in Excel (1-based,
blank rows included), so an error report points at the right line.

This module reads xlsx itself and leaves decoding and parsing CSV to
:mod:`civicrpa.queue.csv_reading`; both kinds of file end as the same :class:`Table`, and
:mod:`civicrpa.queue.importer` checks its rows.
"""

from __future__ import annotations

import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from civicrpa.core.errors import InputRejected
from civicrpa.queue.csv_reading import TooLong, csv_encoding, csv_records

_MB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
#: What openpyxl and zipfile raise on a damaged or foreign file (ParseError is a SyntaxError).
_XLSX_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,
    ArithmeticError,
    EOFError,
    OSError,
)


@dataclass(frozen=True, kw_only=True)
class ImportLimits:
    """Bounds on an uploaded work list; beyond them the file or the row is refused."""

    #: Size of the file on disk.
    max_file_bytes: int = 50 * _MB
    #: Sum of the uncompressed sizes of the xlsx zip entries (zip bomb guard).
    max_unzipped_bytes: int = 200 * _MB
    #: Characters in one cell; a longer cell rejects its row.
    max_cell_chars: int = 5_000
    #: Rows under the header, blank rows between data rows included (blank ones may trail
    #: beyond, up to twice as far).
    max_rows: int = 100_000


#: The limits used when a caller passes none.
DEFAULT_LIMITS = ImportLimits()


@dataclass(frozen=True, kw_only=True)
class SheetRow:
    """One non-empty data row: cells aligned with the header, stripped, blanks as None.

    A cell over the length limit is None here and listed in ``too_long`` as (column index,
    length); its content is gone.
    """

    number: int
    cells: tuple[object, ...] = field(repr=False)
    too_long: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Table:
    """A work list as read: header names, data rows, and the blank rows that were skipped."""

    header: tuple[str, ...]
    header_row: int
    rows: tuple[SheetRow, ...] = field(repr=False)
    empty_rows: int
    #: Rows under the header up to the last non-empty one.
    total_rows: int


def normalize_header(name: str) -> str:
    """The form in which header names are compared: no spaces, case-folded."""
    return "".join(name.split()).casefold()


def read_table(
    path: Path, *, limits: ImportLimits = DEFAULT_LIMITS, sheet: str | None = None
) -> Table:
    """Read ``path`` (.xlsx: ``sheet`` or the first sheet; .csv) into a :class:`Table`.

    Raises :class:`InputRejected` with an ``import.*`` code when the whole file is unusable.
    """
    if not path.is_file():
        raise InputRejected("import.file_missing", {"name": path.name}, field="file")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputRejected("import.unsupported_type", {"suffix": suffix or "-"}, field="file")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputRejected(
            "import.file_too_large",
            {"size_mb": f"{size / _MB:.1f}", "max_mb": f"{limits.max_file_bytes / _MB:g}"},
            field="file",
        )
    if suffix == ".csv":
        encoding = csv_encoding(path)
        with path.open(encoding=encoding, newline="") as stream:
            records = csv_records(stream, limits.max_cell_chars)
            return _collect(enumerate(records, start=1), limits)
    return _read_xlsx(path, limits, sheet)


# -- xlsx ---------------------------------------------------------------------------------------


def _check_zip(path: Path, limits: ImportLimits) -> None:
    with path.open("rb") as stream:
        if stream.read(4) != _ZIP_MAGIC:
            raise InputRejected("import.not_xlsx", field="file")
    try:
        with zipfile.ZipFile(path) as archive:
            # zipfile never inflates an entry past its declared size (the CRC check fails), so
            # the declared sizes bound what openpyxl can be made to read.
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputRejected("import.not_xlsx", field="file") from exc
    if unzipped > limits.max_unzipped_bytes:
        raise InputRejected("import.xlsx_too_large", field="file")


def _read_xlsx(path: Path, limits: ImportLimits, sheet: str | None) -> Table:
    _check_zip(path, limits)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _XLSX_ERRORS as exc:
        raise InputRejected("import.not_xlsx", field="file") from exc
    try:
        if sheet is None:
            sheets = workbook.worksheets
            if not sheets:
                raise InputRejected("import.no_header", field="file")
            worksheet = sheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise InputRejected("import.sheet_missing", {"sheet": sheet}, field="sheet")
        if not isinstance(worksheet, ReadOnlyWorksheet):
            raise InputRejected("import.no_header", field="sheet")
        with closing(_xlsx_rows(worksheet)) as rows:
            return _collect(rows, limits)
    except _XLSX_ERRORS as exc:
        raise InputRejected("import.not_xlsx", field="file") from exc
    finally:
        workbook.close()


def _xlsx_rows(worksheet: ReadOnlyWorksheet) -> Generator[tuple[int, Sequence[object]], None, None]:
    # The stored dimension may claim 16,384 columns or a million rows; ignore it. Read up to the
    # header, then again below it, only as wide as the header.
    worksheet.reset_dimensions()
    width = header_row = 0
    # The stubs type iter_rows for Worksheet; ReadOnlyWorksheet borrows the same function.
    # Each pass holds an open zip member: close it at once, even when reading stops early.
    with closing(worksheet.iter_rows(values_only=True)) as rows:  # type: ignore[misc]
        for number, row in enumerate(rows, start=1):
            yield number, row
            filled = [i for i, value in enumerate(row) if not _is_blank(value)]
            if filled:
                width, header_row = filled[-1] + 1, number
                break
    if width:
        below = worksheet.iter_rows(  # type: ignore[misc]
            min_row=header_row + 1, max_col=width, values_only=True
        )
        with closing(below):
            yield from enumerate(below, start=header_row + 1)


# -- rows ---------------------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _cells(raw: Sequence[object], width: int, max_chars: int) -> SheetRow:
    """Cells padded or cut to ``width``, stripped, blanks None, over-long ones measured."""
    cells: list[object] = []
    too_long: list[tuple[int, int]] = []
    for index in range(width):
        value = raw[index] if index < len(raw) else None
        if isinstance(value, str) and len(value) > max_chars:
            value = TooLong(len(value))
        if isinstance(value, TooLong):
            too_long.append((index, value.length))
            value = None
        cells.append((value.strip() or None) if isinstance(value, str) else value)
    return SheetRow(number=0, cells=tuple(cells), too_long=tuple(too_long))


def _collect(rows: Iterator[tuple[int, Sequence[object]]], limits: ImportLimits) -> Table:
    header: tuple[str, ...] | None = None
    header_row = empty_rows = pending_empty = 0
    data: list[SheetRow] = []
    for number, raw in rows:
        if header is None:
            if number > limits.max_rows:  # endless blank lines: give up, there is no header
                break
            if not all(_is_blank(value) for value in raw):
                first = _cells(raw, len(raw), limits.max_cell_chars)
                header, header_row = _header(first, limits.max_cell_chars), number
            continue
        row = _cells(raw, len(header), limits.max_cell_chars)
        blank = not row.too_long and all(cell is None for cell in row.cells)
        below = number - header_row
        # Formatted but empty rows may trail past the limit, data may not; the trail is bounded
        # too, so a file of endless blank lines is refused quickly.
        if below > limits.max_rows and (not blank or below > 2 * limits.max_rows):
            raise InputRejected("import.too_many_rows", {"max": limits.max_rows}, field="file")
        if blank:
            pending_empty += 1  # counted only when a data row follows: trailing blanks are not
            continue
        data.append(replace(row, number=number))
        empty_rows, pending_empty = empty_rows + pending_empty, 0
    if header is None:
        raise InputRejected("import.no_header", field="file")
    total = data[-1].number - header_row if data else 0
    return Table(
        header=header,
        header_row=header_row,
        rows=tuple(data),
        empty_rows=empty_rows,
        total_rows=total,
    )


def _header(row: SheetRow, max_chars: int) -> tuple[str, ...]:
    for index, length in row.too_long:
        params = {"column": get_column_letter(index + 1), "length": length, "max": max_chars}
        raise InputRejected("import.cell_too_long", params, field="header")
    names = [("" if cell is None else str(cell).strip()) for cell in row.cells]
    while names and not names[-1]:
        names.pop()
    groups: dict[str, list[str]] = {}
    for name in filter(None, names):
        groups.setdefault(normalize_header(name), []).append(name)
    duplicates = [name for group in groups.values() if len(group) > 1 for name in group]
    if duplicates:
        raise InputRejected(
            "import.duplicate_columns", {"columns": ", ".join(duplicates)}, field="header"
        )
    return tuple(names)


__all__ = [
    "DEFAULT_LIMITS",
    "ImportLimits",
    "SheetRow",
    "Table",
    "normalize_header",
    "read_table",
]
