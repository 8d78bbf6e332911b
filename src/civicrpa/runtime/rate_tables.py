"""Reading a city's replacement rate tables from a JSON or TOML file, with Korean errors.

Amounts of allowances and incentives come built in, each row citing its regulation; when an
ordinance is revised, a city's administrator adds a row to a file instead of waiting for a
release (``CIVICRPA_<PROCESS>_TABLES_FILE``). The file's shape is a process's
:class:`~civicrpa.core.dated.RateTablesFile` model with one ``DatedTable[Row]`` field per
table (:mod:`civicrpa.core.dated` says how to declare one); in TOML, one ``[[section]]`` per
row::

    [[incentive]]
    valid_from = 2025-07-01
    article = "제5조"
    by_birth_order = [[1000000, 1000000], [2000000]]

and the same in JSON: ``{"incentive": [{"valid_from": "2025-07-01", ...}]}``.

The person who reads an error is that administrator, so :func:`load_rate_tables` raises one
:class:`~civicrpa.core.errors.ConfigurationError` that names the file, the table, the row
(counted from 1, as people count) and the field, then says what is wrong in Korean::

    요율표 파일 tables.toml의 incentive 3번째 줄 valid_from: 날짜 형식이 아닙니다(예: 2025-01-01)

Every problem of the file is found at once; the first is named in full and the others listed
after it. Pydantic's error types are translated here (``tables.problem.*``); a row model's own
check may raise ``PydanticCustomError`` with a catalogue code as its type, which is then
rendered with its context. The values in the file are amounts, not personal data, but are still
not repeated: the place is enough to find them.
"""

from __future__ import annotations

import json
import tomllib
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Final, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from civicrpa.core.dated import DatedTable
from civicrpa.core.errors import ConfigurationError
from civicrpa.core.messages import CATALOGUE, render

FileT = TypeVar("FileT", bound=BaseModel)

#: Pydantic error types -> the problem's catalogue code.
_PROBLEMS: Final[Mapping[str, str]] = {
    error_type: f"tables.problem.{problem}"
    for problem, error_types in {
        "missing": "missing",
        "unknown_key": "extra_forbidden",
        "not_table": "model_type model_attributes_type dict_type dataclass_type",
        "not_list": "list_type tuple_type iterable_type set_type",
        "empty_list": "too_short",
        "too_many": "too_long",
        "not_date": "date_type date_parsing date_from_datetime_parsing date_from_datetime_inexact",
        "not_integer": "int_type int_parsing int_from_float int_parsing_size",
        "not_number": "float_type float_parsing decimal_type decimal_parsing finite_number",
        "not_text": "string_type",
        "empty_text": "string_too_short",
        "text_too_long": "string_too_long",
        "not_bool": "bool_type bool_parsing",
        "at_least": "greater_than_equal",
        "more_than": "greater_than",
        "at_most": "less_than_equal",
        "less_than": "less_than",
        "choice": "literal_error enum",
    }.items()
    for error_type in error_types.split()
}
#: Pydantic's context keys -> the problem's parameters (limits and choices, never the input).
_CONTEXT: Final[Mapping[str, str]] = {
    "ge": "limit",
    "gt": "limit",
    "le": "limit",
    "lt": "limit",
    "max_length": "max",
    "expected": "expected",
}
#: How many further problems a message lists after the first.
_OTHERS_SHOWN: Final = 5


def load_rate_tables(path: Path, model: type[FileT], *, title_code: str = "tables.title") -> FileT:
    """The tables of the JSON (``.json``) or TOML (``.toml``) file at ``path``, as ``model``.

    ``title_code`` is the catalogue code of what the file is called in errors (요율표 unless
    the process names its own). Raises :class:`ConfigurationError` (``tables.file_invalid``
    for the file as a whole, ``tables.invalid`` or ``tables.invalid_more`` for its content).
    """
    return rate_tables_from_data(
        read_table_data(path, title_code=title_code), model, file=str(path), title_code=title_code
    )


def read_table_data(path: Path, *, title_code: str = "tables.title") -> object:
    """The parsed content of a ``.json`` or ``.toml`` file (TOML keeps its own dates)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _file_error(path, title_code, "tables.problem.unreadable") from exc
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix == ".json":
            return json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _file_error(path, title_code, "tables.problem.syntax", error=str(exc)) from exc
    raise _file_error(path, title_code, "tables.problem.suffix")


def rate_tables_from_data(
    data: object,
    model: type[FileT],
    *,
    file: str | None = None,
    title_code: str = "tables.title",
) -> FileT:
    """``data`` (parsed JSON or TOML) validated as ``model``; errors as in :func:`load_rate_tables`.

    Without ``file`` (data that came from elsewhere), errors use ``tables.data_invalid``.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _content_error(exc, model, file, title_code) from None


def _file_error(path: Path, title_code: str, problem: str, **params: Any) -> ConfigurationError:
    return ConfigurationError(
        "tables.file_invalid",
        {
            "title": render(title_code),
            "file": str(path),
            "where": "",
            "problem": render(problem, params),
        },
    )


def _content_error(
    exc: ValidationError, model: type[BaseModel], file: str | None, title_code: str
) -> ConfigurationError:
    errors = _without_echoes(exc.errors())
    placed = [(_where(error), _problem(error, model)) for error in errors]
    where, problem = placed[0]
    params: dict[str, Any] = {"title": render(title_code), "where": where, "problem": problem}
    if file is None:
        code = "tables.data_invalid"
    elif not where:
        code = "tables.file_invalid"
    else:
        code = "tables.invalid" if len(placed) == 1 else "tables.invalid_more"
    if file is not None:
        params["file"] = file
    if len(placed) > 1:
        others = [f"{w}: {p}" if w else p for w, p in placed[1 : 1 + _OTHERS_SHOWN]]
        if len(placed) - 1 > _OTHERS_SHOWN:
            others.append("…")
        params |= {"count": len(placed) - 1, "others": "; ".join(others)}
    return ConfigurationError(code, params)


def _without_echoes(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """``errors`` less a list's length error caused by its items failing (pydantic reports
    ``too_short`` for a list whose items it could not read): the items' errors say it."""
    return [
        error
        for error in errors
        if error["type"] != "too_short"
        or not any(
            other is not error and other["loc"][: len(error["loc"])] == error["loc"]
            for other in errors
            if len(other["loc"]) > len(error["loc"])
        )
    ]


def _where(error: ErrorDetails) -> str:
    """``incentive 3번째 줄 valid_from`` for the location ``("incentive", 2, "valid_from")``."""
    loc: list[str | int] = list(error["loc"])
    context = error.get("ctx") or {}
    if isinstance(context.get("row"), int) and len(loc) == 1:  # a table's check of its rows
        loc += [context["row"], str(context.get("field", ""))]
    if not loc:
        return ""
    head = str(loc[0])
    if len(loc) >= 2 and isinstance(loc[1], int):
        head = render("tables.where.row", {"table": head, "row": loc[1] + 1})
        rest = loc[2:]
    else:
        rest = loc[1:]
    return " ".join([head, *_path_words(rest)]) if rest else head


def _path_words(path: Sequence[str | int]) -> list[str]:
    """``by_birth_order 2번째 목록의 3번째 값`` for ``("by_birth_order", 1, 2)``,
    ``basic.max_days`` for ``("basic", "max_days")``."""
    words: list[str] = []
    for position, part in enumerate(path):
        if isinstance(part, str):
            if position and isinstance(path[position - 1], str):
                words[-1] += f".{part}"  # basic.max_days: a key inside a key
            else:
                words.append(part)
            continue
        last = position == len(path) - 1
        following_name = not last and isinstance(path[position + 1], str)
        noun = "값" if last else ("항목의" if following_name else "목록의")
        words.append(f"{part + 1}번째 {noun}")
    return [word for word in words if word]


def _problem(error: ErrorDetails, model: type[BaseModel]) -> str:
    error_type = error["type"]
    context = error.get("ctx") or {}
    if error_type in CATALOGUE:  # a row model's own rule, or a table's check of its rows
        return render(error_type, context)
    code = _PROBLEMS.get(error_type, "tables.problem.invalid")
    params = {name: context[key] for key, name in _CONTEXT.items() if key in context}
    if error_type == "extra_forbidden":
        params["known"] = ", ".join(_known_keys(model, error["loc"][:-1])) or "-"
    return render(code, params)


def _known_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the model at ``loc`` takes (its fields, by alias when it has one)."""
    current: Any = model
    for part in loc:
        current = _inner(current, part)
        if current is None:
            return []
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return sorted(info.alias or name for name, info in current.model_fields.items())


def _inner(annotation: Any, part: str | int) -> Any:
    """The type found at one more step (a field name or a position) into ``annotation``."""
    annotation = _unwrapped(annotation)
    if isinstance(part, str):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for name, info in annotation.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
        return None
    origin = get_origin(annotation)
    if origin in (list, tuple, DatedTable) or (
        isinstance(origin, type) and issubclass(origin, Sequence)
    ):
        args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
        return args[0] if args else None
    return None


def _unwrapped(annotation: Any) -> Any:
    """``X`` of ``Annotated[X, ...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


__all__ = ["load_rate_tables", "rate_tables_from_data", "read_table_data"]
