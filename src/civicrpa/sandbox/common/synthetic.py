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

from faker import Faker

from civicrpa.core.resident_number import check_digit, fictional_rrn, is_fictional


def korean_faker(seed: int) -> Faker:
    """A ko_KR Faker that gives the same data for the same seed."""
    fake = Faker("ko_KR")
    fake.seed_instance(seed)
    return fake


__all__ = ["check_digit", "fictional_rrn", "is_fictional", "korean_faker"]
