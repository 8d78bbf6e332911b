"""Add work items in bulk from a spreadsheet, checking every row against the process's input model.

A civil servant uploads the list an office already keeps in Excel. Every row is validated on its
own: a bad row is reported with its Excel row number, its column and a Korean reason, and never
blocks the good ones. The good rows go to the queue in one transaction (all of them or none),
and references already queued are skipped, so importing the same file twice adds nothing new.

Error texts never contain a cell's value: cells may hold resident registration numbers or bank
accounts, and the report travels further than the file. Pydantic's own messages are never used
(they quote the input); only its error types are translated into ``import.*`` codes.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.core.messages import render
from civicrpa.queue.models import REFERENCE_MAX
from civicrpa.queue.records import NewItem
from civicrpa.queue.store import QueueStore
from civicrpa.queue.tables import (
    DEFAULT_LIMITS,
    ImportLimits,
    SheetRow,
    normalize_header,
    read_table,
)

#: Pydantic error types -> catalogue codes; any other type is ``import.field_invalid``.
_ERROR_CODES: dict[str, str] = {
    "missing": "import.field_missing",
    **dict.fromkeys(("int_parsing", "int_from_float", "int_type"), "import.field_not_integer"),
    **dict.fromkeys(
        ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"),
        "import.field_not_number",
    ),
    **dict.fromkeys(
        ("date_parsing", "date_type", "date_from_datetime_inexact", "date_from_datetime_parsing",
         "datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"),
        "import.field_not_date",
    ),
    **dict.fromkeys(("bool_parsing", "bool_type"), "import.field_not_bool"),
    **dict.fromkeys(("string_too_long", "too_long"), "import.field_too_long"),
    **dict.fromkeys(("string_too_short", "too_short"), "import.field_too_short"),
    **dict.fromkeys(
        ("greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
         "date_past", "date_future", "datetime_past", "datetime_future"),
        "import.field_out_of_range",
    ),
    "string_pattern_mismatch": "import.field_pattern",
    **dict.fromkeys(("literal_error", "enum"), "import.field_choice"),
}
#: Parameters taken from pydantic's error context: they describe the model, never the input.
_CONTEXT_PARAMS = {"max_length": "max", "min_length": "min", "expected": "choices"}
#: Column titles of the error report (no catalogue code exists for them yet).
_REPORT_HEADER = ("행", "열", "사유", "오류 코드")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_KOREAN_DATE = re.compile(r"(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YES_NO = {"예": True, "네": True, "아니오": False, "아니요": False}


@dataclass(frozen=True, kw_only=True)
class RowError:
    """Why one row (Excel numbering) was not added. Never holds the cell's value."""

    row: int
    column: str | None
    code: str
    message_ko: str


@dataclass(frozen=True, kw_only=True)
class ImportReport:
    """What an import did. ``total_rows`` counts rows under the header, blank ones included."""

    total_rows: int
    added: int
    already_queued: list[str]
    empty_rows: int
    errors: list[RowError]

    @property
    def rejected_rows(self) -> int:
        """How many rows had at least one error."""
        return len({error.row for error in self.errors})


@dataclass(frozen=True)
class _Column:
    field: str
    key: str  # the name the model validates by (its alias when it has one)
    label: str  # what a person sees: the Korean title, else the field name
    kind: type | None
    index: int


def _kind(annotation: Any) -> type | None:
    """The plain type cells must be coerced to, or None when it is not one simple type."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kind(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _kind(args[0]) if len(args) == 1 else None
    if isinstance(annotation, type):  # bool before int, datetime before date: subclasses
        for kind in (bool, int, float, Decimal, datetime, date, str):
            if issubclass(annotation, kind):
                return kind
    return None


def _map_columns(
    header: tuple[str, ...], model: type[BaseModel], reference_field: str
) -> list[_Column]:
    if reference_field not in model.model_fields:
        raise ConfigurationError(
            "config.invalid", {"detail": f"{model.__name__} has no field {reference_field}"}
        )
    positions = {normalize_header(name): i for i, name in enumerate(header) if name}
    columns: list[_Column] = []
    missing: list[str] = []
    for name, info in model.model_fields.items():
        label = info.title or name
        key = info.validation_alias if isinstance(info.validation_alias, str) else None
        key = key or info.alias or name
        found = {positions[n] for n in {normalize_header(name), normalize_header(label),
                                        normalize_header(key)} if n in positions}
        if len(found) > 1:
            raise InputRejected(
                "import.duplicate_columns",
                {"columns": ", ".join(header[i] for i in sorted(found))},
                field="header",
            )
        if found:
            columns.append(_Column(name, key, label, _kind(info.annotation), found.pop()))
        elif info.is_required() or name == reference_field:
            missing.append(label)
    if missing:
        raise InputRejected("import.missing_columns", {"columns": ", ".join(missing)}, "header")
    return columns


def _coerce(value: object, kind: type | None) -> object:
    """Turn what Excel stores (floats, datetimes) into what a person meant for the field."""
    if kind is str:
        if isinstance(value, float):  # 1234567.0 is the account number "1234567"
            return str(int(value)) if value.is_integer() else str(value)
        if isinstance(value, datetime):
            return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
        if isinstance(value, date | time | int):
            return value.isoformat() if isinstance(value, date | time) else str(value)
    elif kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    elif kind in (int, float, Decimal) and isinstance(value, str) and _THOUSANDS.fullmatch(value):
        return value.replace(",", "")
    elif kind is date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str):
            match = _KOREAN_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
            if match:
                try:
                    return date(*(int(part) for part in match.groups()))
                except ValueError:
                    return text
    elif kind is datetime and isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    elif kind is bool and isinstance(value, str):
        return _YES_NO.get(value, value)
    return value


def _row_error(number: int, column: str | None, code: str, params: Mapping[str, Any]) -> RowError:
    shown = {"column": column, **params} if column is not None else dict(params)
    return RowError(row=number, column=column, code=code, message_ko=render(code, shown))


def _validation_errors(
    number: int, exc: ValidationError, by_key: Mapping[str, _Column]
) -> list[RowError]:
    errors: list[RowError] = []
    for error in exc.errors(include_url=False, include_input=False, include_context=True):
        loc = error["loc"]
        column = by_key.get(str(loc[0])) if loc else None
        label = column.label if column else (str(loc[0]) if loc else None)
        code = _ERROR_CODES.get(error["type"], "import.field_invalid")
        context = error.get("ctx") or {}
        params = {name: context[key] for key, name in _CONTEXT_PARAMS.items() if key in context}
        errors.append(_row_error(number, label, code, params))
    return errors


class _RowChecker:
    """Validates rows one by one and remembers where each reference first appeared."""

    def __init__(
        self, model: type[BaseModel], columns: list[_Column], reference_field: str,
        header: tuple[str, ...],
    ) -> None:
        self.model = model
        self.columns = columns
        self.by_key = {column.key: column for column in columns}
        self.reference = next(c for c in columns if c.field == reference_field)
        self.labels = {c.index: c.label for c in columns}
        self.header = header
        self.first_rows: dict[str, int] = {}

    def check(self, row: SheetRow) -> tuple[str, dict[str, Any]] | list[RowError]:
        """The item's reference and payload, or why the row is refused."""
        errors = [
            _row_error(row.number, self._label(index), "import.cell_too_long",
                       {"length": length, "max": len(row.cells) and None or 0})
            for index, length in ()
        ]
        errors = [self._too_long(row.number, index, length) for index, length in row.too_long]
        data = {
            c.key: _coerce(row.cells[c.index], c.kind)
            for c in self.columns
            if row.cells[c.index] is not None
        }
        reference: object = data.get(self.reference.key)
        payload: dict[str, Any] | None = None
        try:
            instance = self.model.model_validate(data)
        except ValidationError as exc:
            reported = {error.column for error in errors}
            errors += [e for e in _validation_errors(row.number, exc, self.by_key)
                       if e.column is None or e.column not in reported]
        else:
            reference = getattr(instance, self.reference.field)
            payload = instance.model_dump(mode="json", by_alias=True)
        errors += self._check_reference(row.number, reference, {e.column for e in errors})
        if errors or payload is None:
            return errors
        return str(reference).strip(), payload

    def _label(self, index: int) -> str:
        return self.labels.get(index) or self.header[index] or get_column_letter(index + 1)
