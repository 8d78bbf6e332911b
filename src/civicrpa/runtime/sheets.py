"""Excel helpers for robots' processes: read a sheet into typed records, write a tidy sheet.

:func:`read_rows` reads .xlsx bytes with the bulk import's hardened reader (limits, zip bombs,
Excel row numbers: :mod:`civicrpa.queue.tables`) and cell coercion (:mod:`civicrpa.queue.cells`),
then validates each row against a pydantic model on its own: a bad row never stops the others.
Errors carry catalogue codes, never a cell's value: sheets hold resident numbers and accounts.
:func:`write_sheet` returns a one-sheet workbook a civil servant opens at once: bold frozen
header, fitted columns, date cells, ``#,##0`` money, and no text that could run as a formula.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import NamedTemporaryFile, TemporaryDirectory
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.core.messages import render
from civicrpa.core.workbook import MONEY, Column, single_sheet, workbook_bytes
from civicrpa.queue.cells import coerce_cell, field_kind

# The bulk import's translation of pydantic error types into its catalogue codes: one table, so
# a sheet read here and a list imported there explain the same mistake in the same words.
from civicrpa.queue.importer import VALIDATION_CONTEXT_PARAMS, VALIDATION_ERROR_CODES
from civicrpa.queue.tables import DEFAULT_LIMITS, ImportLimits, normalize_header, read_table

M = TypeVar("M", bound=BaseModel)

#: First characters that make a spreadsheet read a text as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_MONEY_FORMAT = "#,##0"


@dataclass(frozen=True, kw_only=True)
class SheetRowError:
    """Why one row (Excel numbering, header included) was refused. Never holds a cell's value."""

    row: int
    #: The Korean header of the column at fault; None for the row as a whole.
    column: str | None
    code: str
    message_ko: str


@dataclass(frozen=True, kw_only=True)
class TypedRows(Generic[M]):
    """The valid rows of a sheet as records, with every reason the other rows were refused."""

    rows: list[tuple[int, M]]
    errors: list[SheetRowError]

    @property
    def bad_rows(self) -> list[int]:
        """The Excel numbers of the rows with at least one error, in order."""
        return sorted({error.row for error in self.errors})


@dataclass(frozen=True)
class _Column:
    header: str  # the caller's Korean header, used in messages
    key: str  # the name the model validates by (its alias when it has one)
    kind: type | None
    index: int  # position in the sheet


def _key(model: type[BaseModel], name: str) -> str:
    """The name ``model`` validates field ``name`` by: its alias when it has one."""
    info = model.model_fields[name]
    alias = info.validation_alias if isinstance(info.validation_alias, str) else None
    return alias or info.alias or name


def _columns(
    header: tuple[str, ...], model: type[BaseModel], columns: Mapping[str, str]
) -> list[_Column]:
    """Where each mapped field sits in ``header``; refuses a file lacking a required column."""
    fields = model.model_fields
    required = {name for name, info in fields.items() if info.is_required()}
    targets = set(columns.values())
    distinct = len({normalize_header(name) for name in columns}) == len(targets) == len(columns)
    if not (distinct and targets <= set(fields) and required <= targets):
        detail = f"{model.__name__}: map distinct headers to distinct fields, all required ones"
        raise ConfigurationError("config.invalid", {"detail": detail})
    positions = {normalize_header(name): i for i, name in enumerate(header) if name}
    found = [
        _Column(name, _key(model, field), field_kind(fields[field].annotation), index)
        for name, field in columns.items()
        if (index := positions.get(normalize_header(name))) is not None
    ]
    absent = [name for name in columns if normalize_header(name) not in positions]
    missing = [name for name in absent if columns[name] in required]
    if missing:
        params = {"columns": ", ".join(missing)}
        raise InputRejected("import.missing_columns", params, field="header")
    return found


def _error(row: int, column: str | None, code: str, params: Mapping[str, Any]) -> SheetRowError:
    if column is None:  # a rule of the whole row, or a field no column feeds: nothing to name
        code, params = "input.invalid", {}
    message = render(code, {**params, "column": column})
    return SheetRowError(row=row, column=column, code=code, message_ko=message)


def _row_errors(row: int, exc: ValidationError, headers: Mapping[str, str]) -> list[SheetRowError]:
    errors: list[SheetRowError] = []
    # Pydantic's own messages and "input" quote the cell: only the type and context are used.
    for error in exc.errors(include_url=False, include_input=False, include_context=True):
        column = headers.get(str(error["loc"][0])) if error["loc"] else None
        code = VALIDATION_ERROR_CODES.get(error["type"], "import.field_invalid")
        context = error.get("ctx") or {}
        params = {
            name: context[key] for key, name in VALIDATION_CONTEXT_PARAMS.items() if key in context
        }
        errors.append(_error(row, column, code, params))
    return errors


def titled_columns(model: type[BaseModel]) -> dict[str, str]:
    """Korean title -> field name, for every field of ``model`` that has a title."""
    return {
        info.title: name
        for name, info in model.model_fields.items()
        if info.title and info.title != name
    }


def read_rows(
    data: bytes,
    model: type[M],
    columns: Mapping[str, str] | None = None,
    *,
    sheet: str | None = None,
    limits: ImportLimits | None = None,
) -> TypedRows[M]:
    """Read the .xlsx ``data`` into ``model`` records, one per non-blank row under the header.

    ``columns`` maps Korean headers (compared without spaces, case-folded) to field names of
    ``model``; by default each field is found under its Korean title (``Field(title=...)``), as
    ``civicrpa queue import`` finds them. Other columns of the sheet are ignored. ``sheet`` names the sheet, else the first.
    Raises :class:`InputRejected` when the file is unusable (not an xlsx, too large, a required
    column missing) and :class:`ConfigurationError` when ``columns`` does not fit ``model``.
    """
    limits = limits or DEFAULT_LIMITS
    if columns is None:
        columns = titled_columns(model)
    # read_table reads a path; the bytes may be personal: a private folder, removed at once.
    with TemporaryDirectory(prefix="civicrpa-sheet-") as folder:
        with NamedTemporaryFile(dir=folder, suffix=".xlsx", delete=False) as stream:
            stream.write(data)
        table = read_table(Path(stream.name), limits=limits, sheet=sheet)
    found = _columns(table.header, model, columns)
    headers = {_key(model, name): header for header, name in columns.items()}
    by_index = {column.index: column for column in found}
    cap = {"max": limits.max_cell_chars}
    result: TypedRows[M] = TypedRows(rows=[], errors=[])
    for row in table.rows:
        errors = [
            _error(row.number, by_index[index].header, "import.cell_too_long", {"length": n, **cap})
            for index, n in row.too_long
            if index in by_index
        ]
        record = {
            c.key: coerce_cell(row.cells[c.index], c.kind)
            for c in found
            if row.cells[c.index] is not None
        }
        try:
            instance = model.model_validate(record)
        except ValidationError as exc:
            reported = {error.column for error in errors}  # an over-long cell is not also "missing"
            errors += [
                e
                for e in _row_errors(row.number, exc, headers)
                if e.column is None or e.column not in reported
            ]
        else:
            if not errors:
                result.rows.append((row.number, instance))
        result.errors.extend(errors)
    return result


def write_sheet(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    money_columns: Collection[int] = (),
) -> bytes:
    """The .xlsx bytes of one sheet ``title``: ``header`` in bold and frozen, then ``rows``.

    Written by the one writer (:mod:`civicrpa.core.workbook`): dates become date cells, aware
    datetimes Korean wall-clock time, numbers in the 0-based ``money_columns`` read ``#,##0``,
    and a text starting like a formula stays text. Raises ValueError for a row wider than
    ``header``, a money column outside it, or a title Excel refuses.
    """
    if any(not 0 <= index < len(header) for index in money_columns):
        raise ValueError("money column outside the header")
    columns = [
        Column(title=name, number_format=MONEY if i in money_columns else None)
        for i, name in enumerate(header)
    ]
    return workbook_bytes([single_sheet(title, columns, rows)])


__all__ = ["SheetRowError", "TypedRows", "read_rows", "write_sheet"]
