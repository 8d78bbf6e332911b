"""Won as int, printed as lists and as payment documents (지출결의서) print it."""

from __future__ import annotations

import pytest

from civicrpa.core.money import (
    MAX_READABLE,
    format_won,
    format_won_formal,
    korean_amount_reading,
    won,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0원"),
        (500, "500원"),
        (1_000_000, "1,000,000원"),
        (12_345_678, "12,345,678원"),
        (-5_000, "-5,000원"),  # a refund (환수) keeps its sign
    ],
)
def test_format_won(amount: int, text: str) -> None:
    assert format_won(amount) == text


@pytest.mark.parametrize(
    ("amount", "reading"),
    [
        (0, "영"),
        (1, "일"),
        (10, "일십"),  # every digit written, 일 included
        (15, "일십오"),
        (100, "일백"),
        (1_001, "일천일"),  # zeros are silent
        (10_000, "일만"),
        (110_000, "일십일만"),  # 11 in the 만 group
        (200_000, "이십만"),
        (1_000_000, "일백만"),  # 출산장려금 for a first child (100 in the 만 group)
        (3_500_000, "삼백오십만"),  # 350 in the 만 group
        (10_000_000, "일천만"),
        (12_345_678, "일천이백삼십사만오천육백칠십팔"),  # 1234 | 5678
        (100_000_000, "일억"),  # the 만 group is empty and is not read
        (100_005_000, "일억오천"),  # 1 | 0000 | 5000
        (1_234_500_000_000, "일조이천삼백사십오억"),  # 1 | 2345 | 0000 | 0000
        (10**16, "일경"),
        (
            MAX_READABLE,
            "구천구백구십구경구천구백구십구조구천구백구십구억구천구백구십구만구천구백구십구",
        ),
    ],
)
def test_korean_amount_reading(amount: int, reading: str) -> None:
    assert korean_amount_reading(amount) == reading


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "금 0원(금영원)"),
        (1_000_000, "금 1,000,000원(금일백만원)"),
        (3_500_000, "금 3,500,000원(금삼백오십만원)"),
        (12_345_678, "금 12,345,678원(금일천이백삼십사만오천육백칠십팔원)"),
    ],
)
def test_format_won_formal(amount: int, text: str) -> None:
    assert format_won_formal(amount) == text


@pytest.mark.parametrize("bad", [True, False, 1.0, 1_000_000.0, "1000", None])
def test_only_int_is_money(bad: object) -> None:
    with pytest.raises(TypeError):
        won(bad)
    with pytest.raises(TypeError):
        format_won(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        korean_amount_reading(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [-1, MAX_READABLE + 1])
def test_no_formal_reading_for_negative_or_huge_amounts(amount: int) -> None:
    with pytest.raises(ValueError, match="amount"):
        korean_amount_reading(amount)
    with pytest.raises(ValueError, match="amount"):
        format_won_formal(amount)


def test_won_returns_the_int() -> None:
    assert won(1_000) == 1_000
