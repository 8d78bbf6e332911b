"""Resident registration numbers (주민등록번호): the old check digit and fictional numbers.

Layout ``YYMMDD-SNNNNNN``: birth date, a sex/century/nationality digit, six more. Numbers issued
before 2020-10-05 end in a check digit (weights 2..9,2..5 over the first twelve digits,
``(11 - sum mod 11) mod 10``); numbers issued since end in random digits. Source and worked
examples: ``shared/domain/resident-number-and-privacy.md`` (V2).

Fictional numbers for tests, the sandbox and the demo carry a deliberately *wrong* check digit,
which no number issued under the old scheme has (see :func:`fictional_rrn`).
"""

from __future__ import annotations

import random
from datetime import date

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def check_digit(first12: str) -> int:
    """The old-layout check digit of the first twelve digits."""
    total = sum(int(d) * w for d, w in zip(first12, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def fictional_rrn(birth: date, *, male: bool, foreign: bool = False, rng: random.Random) -> str:
    """A well-formed ``YYMMDD-SNNNNNN`` whose check digit is deliberately wrong."""
    if birth.year >= 2000:
        sex = (7 if male else 8) if foreign else (3 if male else 4)
    else:
        sex = (5 if male else 6) if foreign else (1 if male else 2)
    first12 = f"{birth:%y%m%d}{sex}{rng.randrange(10**5):05d}"
    wrong = (check_digit(first12) + 1 + rng.randrange(9)) % 10
    return f"{first12[:6]}-{first12[6:]}{wrong}"


def is_fictional(rrn: str) -> bool:
    """True for numbers :func:`fictional_rrn` makes (13 digits, wrong check digit)."""
    digits = rrn.replace("-", "")
    return len(digits) == 13 and digits.isdigit() and check_digit(digits[:12]) != int(digits[12])


__all__ = ["check_digit", "fictional_rrn", "is_fictional"]
