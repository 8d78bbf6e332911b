"""The one resident-number parser: the shared domain note's worked examples 1-8, and more."""

from __future__ import annotations

import random
from datetime import date

import pytest

from civicrpa.core.resident_number import (
    Sex,
    check_digit,
    fictional_rrn,
    is_fictional,
    mask_resident_number,
    parse_resident_number,
)


@pytest.mark.parametrize(
    ("text", "number", "born", "sex", "foreign", "check_ok"),
    [
        # 1: weights 2..9,2..5 over 900101123456 sum to 124; (11 - 124 % 11) % 10 = 8.
        ("900101-1234568", "900101-1234568", date(1990, 1, 1), Sex.MALE, False, True),
        # 2: same number ending in 7: accepted, the check digit is only reported.
        ("900101-1234567", "900101-1234567", date(1990, 1, 1), Sex.MALE, False, False),
        # 3: sum 162 -> (11 - 162 % 11) % 10 = 3.
        ("751224-2123453", "751224-2123453", date(1975, 12, 24), Sex.FEMALE, False, True),
        # 4: without the hyphen; sum 170 -> 6.
        ("0307084123406", "030708-4123406", date(2003, 7, 8), Sex.FEMALE, False, True),
        # 5: born after the 2020-10-05 reform: random digits, no check digit.
        ("201215-3918274", "201215-3918274", date(2020, 12, 15), Sex.MALE, False, False),
        # Foreign residents: 5/6 born in the 1900s, 7/8 in the 2000s.
        ("850505-5123456", "850505-5123456", date(1985, 5, 5), Sex.MALE, True, False),
        ("050505-8123456", "050505-8123456", date(2005, 5, 5), Sex.FEMALE, True, False),
        # Spaces around, full-width digits and hyphen (NFKC), spaces around the hyphen.
        (" 900101-1234568 ", "900101-1234568", date(1990, 1, 1), Sex.MALE, False, True),
        ("９００１０１－１２３４５６８", "900101-1234568", date(1990, 1, 1), Sex.MALE, False, True),
        ("900101 - 1234568", "900101-1234568", date(1990, 1, 1), Sex.MALE, False, True),
        # 29 February exists in 2000 (century digit 3/4) but not in 1900 (1/2).
        ("000229-3123456", "000229-3123456", date(2000, 2, 29), Sex.MALE, False, False),
    ],
)
def test_well_formed_numbers(
    text: str, number: str, born: date, sex: Sex, foreign: bool, check_ok: bool
) -> None:
    parts = parse_resident_number(text)
    assert parts is not None
    assert (parts.number, parts.birth_date, parts.sex, parts.foreign) == (
        number,
        born,
        sex,
        foreign,
    )
    assert parts.check_digit_ok is check_ok
    assert parts.digits == number.replace("-", "")


@pytest.mark.parametrize(
    "text",
    [
        "990230-1234567",  # 6: there is no 30 February
        "000229-1234567",  # 1900 was not a leap year
        "12345-1234567",  # 7: five digits first
        "90010a-1234567",  # 7: a letter
        "900101-12345678",  # a digit too many
        "900101-123456",
        "901301-1234568",  # month 13
        "900101-9234567",  # 9/0: born in the 1800s, nobody alive holds one
        "900101-0234567",
        "900101--1234568",
        "",
        "١٢٣٤٥٦-١٢٣٤٥٦٧",  # Arabic-Indic digits are digits to Python's \d, not here
    ],
)
def test_malformed_numbers(text: str) -> None:
    assert parse_resident_number(text) is None


def test_a_wrong_check_digit_is_a_warning_only_before_the_reform() -> None:
    before = parse_resident_number("900101-1234567")  # 2: expected 8
    after = parse_resident_number("201215-3918274")  # 5
    assert before is not None
    assert before.check_digit_warning
    assert after is not None
    assert not after.check_digit_warning


def test_parts_repr_shows_no_number() -> None:
    parts = parse_resident_number("900101-1234568")
    assert "1234568" not in repr(parts)
    assert "number=" not in repr(parts)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("900101-1234568", "900101-1******"),  # 8
        ("9001011234568", "900101-1******"),
        ("９００１０１－１２３４５６８", "900101-1******"),
        ("90010-11234", "**********"),  # 10 digits, not 13: each starred
    ],
)
def test_masking(number: str, masked: str) -> None:
    assert mask_resident_number(number) == masked


@pytest.mark.parametrize("seed", range(20))
def test_fictional_numbers_parse_and_are_told_apart(seed: int) -> None:
    rng = random.Random(seed)
    born = date(1950 + seed * 3, 1 + seed % 12, 1 + seed)
    rrn = fictional_rrn(born, male=seed % 2 == 0, foreign=seed % 3 == 0, rng=rng)
    parts = parse_resident_number(rrn)
    assert parts is not None
    assert parts.birth_date == born
    assert parts.foreign is (seed % 3 == 0)
    assert not parts.check_digit_ok
    assert is_fictional(rrn)
    assert not is_fictional("900101-1234568")
    assert check_digit("900101123456") == 8
