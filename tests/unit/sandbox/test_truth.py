"""Ground truth's values: every system writes dates, times and numbers alike."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from civicrpa.sandbox.common.truth import plain_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),  # a bool stays a bool, not 1
        (0, 0),
        (2_000_000, 2_000_000),  # won stay numbers
        (1.5, 1.5),
        ("E00001", "E00001"),
        (date(2025, 11, 1), "2025-11-01"),
        (time(18, 0), "18:00:00"),
        (datetime(2025, 10, 27, 8, 0), "2025-10-27T08:00:00"),
        (datetime(2025, 10, 31, 9, 30, 15, 250_000), "2025-10-31T09:30:15.250000"),
    ],
)
def test_values_are_written_as_json_scalars(value: object, expected: object) -> None:
    assert plain_value(value) == expected
    assert type(plain_value(value)) is type(expected)


@pytest.mark.parametrize("value", [b"%PDF-1.4", Decimal("1.0"), [1, 2]])
def test_anything_else_is_refused_rather_than_guessed(value: object) -> None:
    with pytest.raises(TypeError, match="no ground-truth form"):
        plain_value(value)
