"""Add work items in bulk from a spreadsheet, checking every row against the process's input model.

A civil servant uploads the list an office already keeps in Excel. Every row is validated on its
own: a bad row is reported with its Excel row number, its column and a Korean reason, and never
blocks the good ones. The good rows go to the queue in one transaction (all of them or none),
and references already queued are skipped, so importing the same file twice adds nothing new.

Error texts never contain a cell's value: cells may hold resident registration numbers or bank
accounts, and the report travels further than the file. Pydantic's own messages are never used
(they quote the input); only its error types are translated into ``import.*`` codes.

The file is read by :mod:`civicrpa.queue.tables` and each cell coerced by
:mod:`civicrpa.queue.cells` before the model sees it; :func:`write_error_report` (from
:mod:`civicrpa.queue.error_report`) is offered here too, beside the report it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.core.messages import render
from civicrpa.queue.cells import coerce_cell, field_kind
from civicrpa.queue.error_report import write_error_report
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
VALIDATION_ERROR_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        error_type: f"import.{code}"
        for code, error_types in {
            "field_missing": "missing",
            "field_not_integer": "int_parsing int_from_float int_type",
            "field_not_number": "float_parsing float_type decimal_parsing decimal_type finite_number",
            "field_not_date": "date_parsing date_type date_from_datetime_inexact datetime_type"
            " date_from_datetime_parsing datetime_parsing datetime_from_date_parsing",
            "field_not_bool": "bool_parsing bool_type",
            "field_too_long": "string_too_long too_long",
            "field_too_short": "string_too_short too_short",
            "field_out_of_range": "greater_than greater_than_equal less_than less_than_equal"
            " multiple_of date_past date_future datetime_past datetime_future",
            "field_pattern": "string_pattern_mismatch",
            "field_choice": "literal_error enum",
            "field_unknown": "extra_forbidden",
        }.items()
        for error_type in error_types.split()
    }
)
#: Pydantic error-context keys -> message parameters: they describe the model, never the input.
VALIDATION_CONTEXT_PARAMS: Final[Mapping[str, str]] = MappingProxyType(
    {"max_length": "max", "min_length": "min", "expected": "choices"}
)


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


def _field_names(model: type[BaseModel]) -> Iterator[tuple[str, str, str, FieldInfo]]:
    """``(field name, key the model validates by, label a person sees, info)`` of each field:
    the key is its alias when it has one, the label its Korean title, else its name."""
    for name, info in model.model_fields.items():
        key = info.validation_alias if isinstance(info.validation_alias, str) else None
        yield name, key or info.alias or name, info.title or name, info


def payload_keys(model: type[BaseModel]) -> dict[str, str]:
    """How a person may name each field of ``model`` (its name, Korean title or alias, case and
    spaces ignored, as :func:`normalize_header` reads a column) -> the key it validates by."""
    keys: dict[str, str] = {}
    for name, key, label, _info in _field_names(model):
        for written in (name, label, key):
            keys.setdefault(normalize_header(written), key)
    return keys


def payload_labels(model: type[BaseModel]) -> dict[str, str]:
    """Field name and key of ``model`` -> the label a person sees (its Korean title)."""
    labels: dict[str, str] = {}
    for name, key, label, _info in _field_names(model):
        labels[name] = labels[key] = label
    return labels


def keyed_by_model(data: Mapping[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """``data`` whose keys may be Korean titles (``{"신청인 생년월일": ...}``, as a spreadsheet
    heads its columns) with each renamed to the key ``model`` validates; others are kept."""
    keys = payload_keys(model)
    return {keys.get(normalize_header(str(key)), key): value for key, value in data.items()}


def field_problems(exc: ValidationError, model: type[BaseModel]) -> list[str]:
    """One Korean sentence per wrong field of ``model``, naming the field by its title and what
    is wrong with it ("'접수일' 항목은 날짜(예: 2025-03-31)여야 합니다."); never the value."""
    return [error.message_ko for error in _validation_errors(0, exc, payload_labels(model))]


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
    for name, key, label, info in _field_names(model):
        found = {
            positions[n]
            for n in {normalize_header(name), normalize_header(label), normalize_header(key)}
            if n in positions
        }
        if len(found) > 1:
            raise InputRejected(
                "import.duplicate_columns",
                {"columns": ", ".join(header[i] for i in sorted(found))},
                field="header",
            )
        if found:
            columns.append(_Column(name, key, label, field_kind(info.annotation), found.pop()))
        elif info.is_required() or name == reference_field:
            missing.append(label)
    if missing:
        raise InputRejected(
            "import.missing_columns", {"columns": ", ".join(missing)}, field="header"
        )
    return columns


def _row_error(number: int, column: str | None, code: str, params: Mapping[str, Any]) -> RowError:
    if column is None:  # a rule of the whole row (a model validator): no column to name
        code, params = "input.invalid", {}
    message = render(code, {**params, "column": column})
    return RowError(row=number, column=column, code=code, message_ko=message)


def _validation_errors(
    number: int, exc: ValidationError, labels: Mapping[str, str]
) -> list[RowError]:
    errors: list[RowError] = []
    for error in exc.errors(include_url=False, include_input=False, include_context=True):
        loc = error["loc"]
        label = (labels.get(str(loc[0])) or str(loc[0])) if loc else None
        code = VALIDATION_ERROR_CODES.get(error["type"], "import.field_invalid")
        context = error.get("ctx") or {}
        params = {
            name: context[key] for key, name in VALIDATION_CONTEXT_PARAMS.items() if key in context
        }
        errors.append(_row_error(number, label, code, params))
    return errors


class _RowChecker:
    """Validates rows one by one and remembers where each reference first appeared."""

    def __init__(
        self,
        model: type[BaseModel],
        columns: list[_Column],
        reference_field: str,
        *,
        header: tuple[str, ...],
        limits: ImportLimits,
        priority: int,
    ) -> None:
        self._model = model
        self._columns = columns
        self._labels_by_key = {column.key: column.label for column in columns}
        self._reference = next(c for c in columns if c.field == reference_field)
        self._labels = {c.index: c.label for c in columns}
        self._header = header
        self._max_chars = limits.max_cell_chars
        self._priority = priority
        self._first_rows: dict[str, int] = {}

    def check(self, row: SheetRow) -> NewItem | list[RowError]:
        """The row's work item, or every reason the row is refused."""
        errors = [
            _row_error(
                row.number,
                self._label(index),
                "import.cell_too_long",
                {"length": length, "max": self._max_chars},
            )
            for index, length in row.too_long
        ]
        data = {
            c.key: coerce_cell(row.cells[c.index], c.kind)
            for c in self._columns
            if row.cells[c.index] is not None
        }
        reference: object = data.get(self._reference.key)
        payload: dict[str, Any] | None = None
        try:
            instance = self._model.model_validate(data)
        except ValidationError as exc:
            # An over-long cell reads as empty; do not report it twice as "missing".
            reported = {error.column for error in errors}
            errors += [
                error
                for error in _validation_errors(row.number, exc, self._labels_by_key)
                if error.column is None or error.column not in reported
            ]
        else:
            reference = getattr(instance, self._reference.field)
            payload = instance.model_dump(mode="json", by_alias=True)
        if self._reference.label not in {error.column for error in errors}:
            errors += self._check_reference(row.number, reference)
        if errors or payload is None:
            return errors
        return NewItem(reference=str(reference).strip(), payload=payload, priority=self._priority)

    def _check_reference(self, number: int, value: object) -> list[RowError]:
        label = self._reference.label
        reference = "" if value is None else str(value).strip()
        if not reference:
            return [_row_error(number, label, "queue.reference_required", {})]
        if len(reference) > REFERENCE_MAX:
            return [_row_error(number, label, "queue.reference_too_long", {"max": REFERENCE_MAX})]
        first = self._first_rows.setdefault(reference, number)
        if first != number:
            return [_row_error(number, label, "import.duplicate_in_file", {"first_row": first})]
        return []

    def _label(self, index: int) -> str:
        return self._labels.get(index) or self._header[index] or get_column_letter(index + 1)


def import_items(
    store: QueueStore,
    queue: str,
    path: Path,
    payload_model: type[BaseModel],
    *,
    reference_field: str,
    priority: int = 0,
    limits: ImportLimits = DEFAULT_LIMITS,
    progress: Callable[[int, int], None] | None = None,
    sheet: str | None = None,
    actor: str = "system",
) -> ImportReport:
    """Add one work item per valid row of ``path`` (.xlsx or .csv) to ``queue``.

    Columns match ``payload_model``'s fields by name or title (case and spaces ignored); the
    item's reference is the ``reference_field`` value. Bad rows are reported, good rows are added
    with one :meth:`QueueStore.add_many` (all or none). ``progress(done, total)`` follows the
    validation. Raises :class:`InputRejected` when the file itself is unusable: nothing is added.
    """
    table = read_table(path, limits=limits, sheet=sheet)
    columns = _map_columns(table.header, payload_model, reference_field)
    checker = _RowChecker(
        payload_model,
        columns,
        reference_field,
        header=table.header,
        limits=limits,
        priority=priority,
    )
    items: list[NewItem] = []
    errors: list[RowError] = []
    for done, row in enumerate(table.rows, start=1):
        checked = checker.check(row)
        if isinstance(checked, NewItem):
            items.append(checked)
        else:
            errors += checked
        if progress is not None:
            progress(done, len(table.rows))
    result = store.add_many(queue, items, actor=actor) if items else None
    return ImportReport(
        total_rows=table.total_rows,
        added=len(result.added) if result else 0,
        already_queued=list(result.existing) if result else [],
        empty_rows=table.empty_rows,
        errors=errors,
    )


__all__ = [
    "VALIDATION_CONTEXT_PARAMS",
    "VALIDATION_ERROR_CODES",
    "ImportLimits",
    "ImportReport",
    "RowError",
    "field_problems",
    "import_items",
    "keyed_by_model",
    "payload_keys",
    "payload_labels",
    "write_error_report",
]
