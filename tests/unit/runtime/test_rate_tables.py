"""The one loader of a city's replacement rate tables: any process's file, errors in Korean."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from civicrpa.core.dated import DatedRow, DatedTable, NoRowInForce, RateTablesFile
from civicrpa.core.errors import ConfigurationError
from civicrpa.core.money import WonAmount
from civicrpa.runtime.rate_tables import load_rate_tables, rate_tables_from_data, read_table_data

D = date.fromisoformat


class MealRate(DatedRow):
    """급량비 per meal (made-up figures, as a process to come would declare them)."""

    per_meal: WonAmount
    meals_per_day: Annotated[int, Field(strict=True, ge=1)] = 1
    regulation: str = "「공무원 급량비 지급 기준」(U)"

    @field_validator("per_meal")
    @classmethod
    def _within_the_national_cap(cls, value: int) -> int:
        if value > 20_000:  # a process's own rule, worded by a catalogue code
            raise PydanticCustomError("tables.problem.at_most", "above the cap", {"limit": 20_000})
        return value


class TravelRate(DatedRow):
    per_km: WonAmount


class AllowanceTables(RateTablesFile):
    meal: DatedTable[MealRate] | None = None
    travel: DatedTable[TravelRate] | None = None


_TOML = """
[[meal]]
valid_from = 2024-01-01
per_meal = 8000

[[meal]]
valid_from = 2025-03-01
per_meal = 9000
meals_per_day = 2
regulation = "「공무원 급량비 지급 기준」 2025 개정"

[[travel]]
valid_from = "2024-01-01"
per_km = 200
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_toml_file_gives_dated_tables(tmp_path: Path) -> None:
    tables = load_rate_tables(_write(tmp_path, "rates.toml", _TOML), AllowanceTables)
    assert tables.meal is not None
    assert tables.travel is not None
    assert tables.meal.name == "meal"
    assert tables.meal.row_on(D("2025-02-28")).per_meal == 8_000
    march = tables.meal.row_on(D("2025-03-01"))
    assert (march.per_meal, march.meals_per_day) == (9_000, 2)
    assert march.regulation == "「공무원 급량비 지급 기준」 2025 개정"
    assert tables.travel.row_on(D("2030-01-01")).per_km == 200
    with pytest.raises(NoRowInForce):
        tables.meal.row_on(D("2023-12-31"))


def test_the_same_tables_in_json_and_a_dump_round_trip(tmp_path: Path) -> None:
    toml = load_rate_tables(_write(tmp_path, "rates.toml", _TOML), AllowanceTables)
    dumped = toml.model_dump(mode="json")
    assert dumped["meal"][0] == {
        "valid_from": "2024-01-01",
        "valid_until": None,
        "per_meal": 8_000,
        "meals_per_day": 1,
        "regulation": "「공무원 급량비 지급 기준」(U)",
    }
    path = _write(tmp_path, "rates.json", json.dumps(dumped, ensure_ascii=False))
    assert load_rate_tables(path, AllowanceTables) == toml
    assert AllowanceTables.model_validate(toml.model_dump()) == toml
    assert AllowanceTables(meal=toml.meal).meal is not None  # a table is accepted as it is


def test_an_absent_section_is_none(tmp_path: Path) -> None:
    tables = load_rate_tables(
        _write(tmp_path, "rates.json", '{"travel": [{"valid_from": "2024-01-01", "per_km": 1}]}'),
        AllowanceTables,
    )
    assert tables.meal is None


@pytest.mark.parametrize(
    ("rows", "where", "problem"),
    [
        # The example of issue #12: the 3rd row's date.
        (
            '[{"valid_from": "2024-01-01", "per_meal": 1}, {"valid_from": "2024-06-01",'
            ' "per_meal": 1}, {"valid_from": "2024-07-32", "per_meal": 1}]',
            "meal 3번째 줄 valid_from",
            "날짜 형식이 아닙니다(예: 2025-01-01)",
        ),
        (
            '[{"valid_from": "2024-01-01", "per_meal": 8000.0}]',
            "meal 1번째 줄 per_meal",
            "정수가 아닙니다(쉼표·소수점·따옴표 없이, 예: 1000000)",
        ),
        (
            '[{"valid_from": "2024-01-01", "per_meal": "8000"}]',
            "meal 1번째 줄 per_meal",
            "정수가 아닙니다(쉼표·소수점·따옴표 없이, 예: 1000000)",
        ),
        (
            '[{"valid_from": "2024-01-01", "per_meal": true}]',
            "meal 1번째 줄 per_meal",
            "정수가 아닙니다(쉼표·소수점·따옴표 없이, 예: 1000000)",
        ),
        (
            '[{"valid_from": "2024-01-01", "per_meal": 25000}]',
            "meal 1번째 줄 per_meal",
            "20000 이하여야 합니다",  # the row model's own rule
        ),
        (
            '[{"valid_from": "2024-01-01", "per_meal": 1, "meals_per_day": 0}]',
            "meal 1번째 줄 meals_per_day",
            "1 이상이어야 합니다",
        ),
        (
            '[{"valid_from": 20240101, "per_meal": 1}]',
            "meal 1번째 줄 valid_from",
            "날짜 형식이 아닙니다(예: 2025-01-01)",
        ),
        (
            '[{"valid_from": "2024-01-01", "per_meal": 1, "per_dinner": 1}]',
            "meal 1번째 줄 per_dinner",
            "알 수 없는 항목입니다. 쓸 수 있는 항목: meals_per_day, per_meal, regulation,"
            " valid_from, valid_until",
        ),
        (
            '[{"valid_from": "2024-01-01", "valid_until": "2024-12-31", "per_meal": 1},'
            ' {"valid_from": "2024-12-01", "per_meal": 2}]',
            "meal 2번째 줄 valid_from",
            "앞 줄의 적용 종료일(valid_until 2024-12-31)과 기간이 겹칩니다",
        ),
        ('{"valid_from": "2024-01-01"}', "meal", "목록이어야 합니다"),
    ],
)
def test_errors_name_the_file_table_row_and_field(
    tmp_path: Path, rows: str, where: str, problem: str
) -> None:
    path = _write(tmp_path, "rates.json", f'{{"meal": {rows}}}')
    with pytest.raises(ConfigurationError) as caught:
        load_rate_tables(path, AllowanceTables)
    error = caught.value
    assert error.code == "tables.invalid"
    assert (error.params["where"], error.params["problem"]) == (where, problem)
    assert error.message_ko == f"요율표 파일 {path}의 {where}: {problem}"


def test_data_without_a_file_and_a_process_title() -> None:
    with pytest.raises(ConfigurationError) as caught:
        rate_tables_from_data({"meal": [{"valid_from": "2024-01-01"}]}, AllowanceTables)
    assert caught.value.code == "tables.data_invalid"
    assert caught.value.message_ko == "요율표의 meal 1번째 줄 per_meal: 필수 항목이 없습니다"
    with pytest.raises(ConfigurationError) as caught:
        rate_tables_from_data(
            {"meals": []}, AllowanceTables, file="a.toml", title_code="import.report.sheet"
        )
    assert caught.value.message_ko.startswith("가져오기 오류 파일 a.toml의 meals: 알 수 없는 항목")


def test_toml_keeps_its_dates(tmp_path: Path) -> None:
    data = read_table_data(_write(tmp_path, "rates.toml", _TOML))
    assert isinstance(data, dict)
    assert data["meal"][0]["valid_from"] == D("2024-01-01")
