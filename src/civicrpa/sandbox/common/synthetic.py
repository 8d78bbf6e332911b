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

from civicrpa.core.resident_number import check_digit, fictional_rrn, is_fictional


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Given names by the first year of birth they suit, newest generation first: (male, female).
#: Faker's ko_KR list mixes every generation, so a newborn could be called 옥자 or 순자; these
#: are common names of each period (the 2010s-2020s ones among the most registered births).
_GENERATIONS: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        2005,
        _names("민준 서준 도윤 예준 시우 하준 주원 지호 지후 준우 이준 유준 은우 선우 서진"),
        _names("서윤 서연 지우 하윤 하은 민서 지유 윤서 채원 수아 지아 서아 아린 하린 이서"),
    ),
    (
        1975,
        _names("지훈 성민 현우 준호 동현 민수 상현 성현 재현 준영 민석 진우 승현 정훈 성훈"),
        _names("지영 지은 수진 민지 은지 유진 지혜 현정 혜진 선영 아름 보람 은영 미정 지현"),
    ),
    (
        0,
        _names("영수 영철 정호 상철 광수 병철 영식 성수 정수 종수 영호 영진 경수 상호 정식"),
        _names("영숙 순자 옥자 경자 명숙 정숙 영희 미숙 경희 춘자 영자 정자 현숙 옥순 명자"),
    ),
)


def given_name(born: date, *, male: bool, rng: random.Random) -> str:
    """A given name of the generation born on ``born``: 서윤 for a newborn, 순자 for a grandmother."""
    for since, men, women in _GENERATIONS:
        if born.year >= since:
            return rng.choice(men if male else women)
    raise AssertionError("the last generation starts at year 0")  # pragma: no cover


def korean_faker(seed: int) -> Faker:
    """A ko_KR Faker that gives the same data for the same seed."""
    fake = Faker("ko_KR")
    fake.seed_instance(seed)
    return fake


__all__ = ["check_digit", "fictional_rrn", "given_name", "is_fictional", "korean_faker"]
