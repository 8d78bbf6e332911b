"""The four allowance processes word every code they use, each under its own prefix.

A code in a string literal of a process's source (``"meal.reason.shift_worker"``) must be in
the catalogue, or a civil servant would read the bare code; codes built from an enum's value
(``f"overtime.day_type.{kind.value}"``) are checked member by member. Every Korean text must
be Korean, and fill from the parameters its code is given without a placeholder left over.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from civicrpa.core.messages import CATALOGUE, Catalogue, render
from civicrpa.processes import meal_allowance, overtime_pay, training_records, travel_expenses
from civicrpa.processes.meal_allowance import Exclusion
from civicrpa.processes.meal_allowance.messages import MESSAGES as MEAL
from civicrpa.processes.overtime_pay import DayType
from civicrpa.processes.overtime_pay.messages import MESSAGES as OVERTIME
from civicrpa.processes.training_records.messages import MESSAGES as TRAINING
from civicrpa.processes.travel_expenses.messages import MESSAGES as TRAVEL

PROCESSES: list[tuple[ModuleType, Catalogue]] = [
    (overtime_pay, OVERTIME),
    (meal_allowance, MEAL),
    (travel_expenses, TRAVEL),
    (training_records, TRAINING),
]
_HANGUL = re.compile(r"[가-힣]")


def _codes_in_source(package: ModuleType, prefix: str) -> set[str]:
    assert package.__file__ is not None
    pattern = re.compile(r'"(' + re.escape(prefix) + r'\.[a-z_.0-9]*[a-z0-9])"')
    return {
        code
        for path in Path(package.__file__).parent.glob("*.py")
        if path.name != "messages.py"
        for code in pattern.findall(path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize(
    ("package", "catalogue"), PROCESSES, ids=lambda p: getattr(p, "prefix", "")
)
def test_every_code_used_is_worded_under_the_prefix(
    package: ModuleType, catalogue: Catalogue
) -> None:
    used = _codes_in_source(package, catalogue.prefix)
    assert used, "the check looks for something"
    assert used <= set(catalogue.entries)
    assert all(code.startswith(catalogue.prefix + ".") for code in catalogue.entries)
    assert all(CATALOGUE[code] == text for code, text in catalogue.entries.items())
    assert all(_HANGUL.search(text) for text in catalogue.entries.values())


def test_codes_built_from_enums_exist() -> None:
    assert all(f"overtime.day_type.{kind.value}" in CATALOGUE for kind in DayType)
    assert all(f"meal.reason.{kind.value}" in CATALOGUE for kind in Exclusion)


@pytest.mark.parametrize(
    ("code", "params"),
    [
        (
            "overtime.finding.repeated_times",
            {"clock_in": "08:50", "clock_out": "21:10", "days": 5, "dates": "…"},
        ),
        (
            "meal.reason.overtime_too_short",
            {"staff_no": "E1", "date": "2024-07-10", "minutes": 40, "min": 60},
        ),
        ("travel.finding.in_area_daily_cap", {"date": "2024-07-10", "cap": 20_000, "paid": 20_000}),
        (
            "training.reminder",
            {"name": "정하늘", "year": 2024, "total": "40", "target": "80", "short": "40"},
        ),
    ],
)
def test_texts_fill_without_a_placeholder_left(code: str, params: dict[str, object]) -> None:
    assert "{" not in render(code, params)
