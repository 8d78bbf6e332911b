"""Deterministic synthetic Korean people, with resident registration numbers that are fictional.

How the generator avoids real numbers: every number it makes carries a deliberately wrong check
digit (the 13th digit differs from ``(11 - Σ dᵢwᵢ mod 11) mod 10`` with weights 2..9,2..5).
Every number issued before the 2020-10-05 reform satisfies that formula, so none of ours can be
one of them. Numbers issued since the reform end in six random digits and carry no check, so no
pattern can prove a modern-format number fictional; ours for births after the reform still fail
the old check and live only in this sandbox, on this machine. The format is otherwise valid:
a real birth date, the right sex and century digit, 13 digits.
"""

from __future__ import annotations

import random
from datetime import date

from faker import Faker

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
    """True for numbers this module makes (13 digits, wrong check digit)."""
    digits = rrn.replace("-", "")
    return len(digits) == 13 and digits.isdigit() and check_digit(digits[:12]) != int(digits[12])


def korean_faker(seed: int) -> Faker:
    """A ko_KR Faker that gives the same data for the same seed."""
    fake = Faker("ko_KR")
    fake.seed_instance(seed)
    return fake


__all__ = ["check_digit", "fictional_rrn", "is_fictional", "korean_faker"]
