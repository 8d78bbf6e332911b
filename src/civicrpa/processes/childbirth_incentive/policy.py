"""The city's choices for 출산장려금 and 산후조리비용: every unverified (U) value, in one place.

No public text gives the residence period an applicant needs, nor what happens to unpaid
instalments when a family moves away (U, see ``shared/domain/childbirth-incentive.md`` R2), so
they are settings with a documented default the city confirms before release. The amount tables
come built in (:mod:`.tables`) and a city may replace them with a file, read and checked here.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from civicrpa.config import Settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.core.messages import render
from civicrpa.processes.childbirth_incentive.tables import (
    DEFAULT_TABLES,
    IncentiveRow,
    PostnatalRate,
    PostnatalRow,
    Tables,
)


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The rule values a city chooses. Defaults are U unless marked otherwise."""

    #: Months the applicant must have been registered in the city before the birth (U: 6).
    min_residence_months: int = 6
    #: Remaining instalments stop once the family leaves the city (U: True).
    stop_instalments_on_move_out: bool = True
    #: Amount tables by birth date (totals V2; splits, counts and articles U).
    tables: Tables = DEFAULT_TABLES


def policy_from_settings(settings: Settings) -> Policy:
    """The policy of ``settings`` (``CIVICRPA_CHILDBIRTH_*``), reading the tables file if set."""
    tables = DEFAULT_TABLES
    if settings.childbirth_tables_file is not None:
        tables = load_tables(settings.childbirth_tables_file)
    return Policy(
        min_residence_months=settings.childbirth_min_residence_months,
        stop_instalments_on_move_out=settings.childbirth_stop_instalments_on_move_out,
        tables=tables,
    )


class _Bad(Exception):
    def __init__(self, where: str, problem: str, **params: Any) -> None:
        super().__init__(where)
        self.where = where
        self.problem = render(problem, params)


def load_tables(path: Path) -> Tables:
    """Tables from a JSON or TOML file; a section it omits keeps the built-in rows.

    Raises :class:`ConfigurationError` (``childbirth.tables_invalid``) naming the place and the
    problem in Korean, so the city's administrator can fix the file.
    """
    try:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _Bad("-", "childbirth.tables.unreadable") from exc
        suffix = path.suffix.lower()
        try:
            if suffix == ".toml":
                data: object = tomllib.loads(text)
            elif suffix == ".json":
                data = json.loads(text)
            else:
                raise _Bad("-", "childbirth.tables.bad_suffix")
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise _Bad("-", "childbirth.tables.syntax", error=str(exc)) from exc
        return tables_from_data(data)
    except _Bad as bad:
        params = {"path": str(path), "where": bad.where, "problem": bad.problem}
        raise ConfigurationError("childbirth.tables_invalid", params) from bad


def tables_from_data(data: object) -> Tables:
    """Tables from parsed JSON or TOML data (see :mod:`.tables` for the keys)."""
    top = _mapping(data, "-", {"incentive", "postnatal"})
    incentive = DEFAULT_TABLES.incentive
    postnatal = DEFAULT_TABLES.postnatal
    if "incentive" in top:
        incentive = _rows(top["incentive"], "incentive", _incentive_row)
    if "postnatal" in top:
        postnatal = _rows(top["postnatal"], "postnatal", _postnatal_row)
    return Tables(incentive=incentive, postnatal=postnatal)


_Row = TypeVar("_Row", IncentiveRow, PostnatalRow)


def _rows(value: object, where: str, parse: Callable[[object, str], _Row]) -> tuple[_Row, ...]:
    items = _list(value, where)
    rows = [parse(item, f"{where}[{index}]") for index, item in enumerate(items)]
    seen: set[date] = set()
    for index, row in enumerate(rows):
        if row.valid_from in seen:
            raise _Bad(f"{where}[{index}].valid_from", "childbirth.tables.duplicate_date")
        seen.add(row.valid_from)
    return tuple(sorted(rows, key=lambda row: row.valid_from))


_TEXT_KEYS = {"regulation", "article"}


def _incentive_row(value: object, where: str) -> IncentiveRow:
    row = _mapping(value, where, {"valid_from", "by_birth_order"} | _TEXT_KEYS)
    orders = _list(_required(row, "by_birth_order", where), f"{where}.by_birth_order")
    by_order = tuple(
        tuple(
            _amount(amount, f"{where}.by_birth_order[{i}][{k}]")
            for k, amount in enumerate(_list(amounts, f"{where}.by_birth_order[{i}]"))
        )
        for i, amounts in enumerate(orders)
    )
    return IncentiveRow(
        valid_from=_date(_required(row, "valid_from", where), f"{where}.valid_from"),
        by_birth_order=by_order,
        **_texts(row, where),
    )


def _postnatal_row(value: object, where: str) -> PostnatalRow:
    keys = {"valid_from", "basic", "near_poor", "general", "without_centre"}
    keys |= {"multiple_birth_percent", "deadline_days"} | _TEXT_KEYS
    row = _mapping(value, where, keys)

    def rate(key: str) -> PostnatalRate:
        here = f"{where}.{key}"
        item = _mapping(_required(row, key, where), here, {"daily_amount", "max_days"})
        return PostnatalRate(
            daily_amount=_amount(_required(item, "daily_amount", here), f"{here}.daily_amount"),
            max_days=_amount(_required(item, "max_days", here), f"{here}.max_days", least=1),
        )

    def number(key: str, least: int = 0) -> int:
        return _amount(_required(row, key, where), f"{where}.{key}", least=least)

    return PostnatalRow(
        valid_from=_date(_required(row, "valid_from", where), f"{where}.valid_from"),
        basic=rate("basic"),
        near_poor=rate("near_poor"),
        general=rate("general"),
        without_centre=number("without_centre"),
        multiple_birth_percent=number("multiple_birth_percent"),
        deadline_days=number("deadline_days", least=1),
        **_texts(row, where),
    )


def _mapping(value: object, where: str, known: set[str]) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise _Bad(where, "childbirth.tables.expected_table")
    for key in value:
        if key not in known:
            raise _Bad(
                f"{where}.{key}", "childbirth.tables.unknown_key", known=", ".join(sorted(known))
            )
    return value


def _required(row: Mapping[str, object], key: str, where: str) -> object:
    if key not in row:
        raise _Bad(f"{where}.{key}", "childbirth.tables.missing_key")
    return row[key]


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list) or not value:
        raise _Bad(where, "childbirth.tables.expected_list")
    return value


def _date(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # TOML has dates of its own
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad(where, "childbirth.tables.expected_date")


def _amount(value: object, where: str, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise _Bad(where, "childbirth.tables.expected_integer", least=least)
    return value


def _texts(row: Mapping[str, object], where: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for key in sorted(_TEXT_KEYS & row.keys()):
        value = row[key]
        if not isinstance(value, str) or not value.strip():
            raise _Bad(f"{where}.{key}", "childbirth.tables.expected_text")
        texts[key] = value.strip()
    return texts


__all__ = ["Policy", "load_tables", "policy_from_settings", "tables_from_data"]
