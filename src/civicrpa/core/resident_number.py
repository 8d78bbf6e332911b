"""Resident registration numbers (주민등록번호): the one parser, the old check digit, fictional numbers.

Layout ``YYMMDD-SNNNNNN``: birth date, a sex/century/nationality digit, six more. Numbers issued
before 2020-10-05 end in a check digit (weights 2..9,2..5 over the first twelve digits,
``(11 - sum mod 11) mod 10``); numbers issued since end in random digits. Source and worked
examples: ``shared/domain/resident-number-and-privacy.md`` (V2).

Every layer that reads a resident number goes through :func:`parse_resident_number`, so the
robot, the sandbox's systems and the masked :class:`~civicrpa.core.personal.ResidentNumber`
agree on what a number is. The hard checks are the ones the domain note allows: 13 digits, a
sex digit 1-8 and a real calendar date. The check digit is only *reported*
(:attr:`ResidentNumberParts.check_digit_ok`): a failed check does not prove a number wrong,
since numbers assigned or changed since the 2020 reform have none. Sex digits 9 and 0 (born
1800-1899) are refused: nobody alive holds one, so such a digit is a typing mistake.

Fictional numbers for tests, the sandbox and the demo carry a deliberately *wrong* check digit,
which no number issued under the old scheme has (see :func:`fictional_rrn`).
"""

from __future__ import annotations

import enum
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
#: Six digits, an optional hyphen (spaces around it tolerated), seven digits.
_SHAPE = re.compile(r"([0-9]{6})\s*-?\s*([0-9])([0-9]{6})")
#: Sex digit -> (century of birth, male, foreign). 9/0 (the 1800s) are refused on purpose.
_SEX_DIGITS: dict[str, tuple[int, bool, bool]] = {
    "1": (1900, True, False),
    "2": (1900, False, False),
    "3": (2000, True, False),
    "4": (2000, False, False),
    "5": (1900, True, True),
    "6": (1900, False, True),
    "7": (2000, True, True),
    "8": (2000, False, True),
}
#: Numbers assigned from this day on have random final digits (주민등록법 시행규칙 Art. 2, 2020).
RANDOM_DIGITS_SINCE = date(2020, 10, 5)


class Sex(enum.StrEnum):
    """The sex a resident number's seventh digit records."""

    #: Odd digits 1, 3, 5, 7.
    MALE = "male"
    #: Even digits 2, 4, 6, 8.
    FEMALE = "female"


@dataclass(frozen=True, kw_only=True)
class ResidentNumberParts:
    """What a well-formed resident number says; the number itself stays out of ``repr``."""

    #: Normal form ``YYMMDD-SNNNNNN`` (ASCII digits, one hyphen).
    number: str = field(repr=False)
    birth_date: date
    sex: Sex
    #: Sex digits 5-8: a foreign resident (외국인등록번호 share the layout).
    foreign: bool
    #: Whether the old-layout check digit matches; see :attr:`check_digit_warning`.
    check_digit_ok: bool

    @property
    def digits(self) -> str:
        """The thirteen digits without the hyphen."""
        return self.number.replace("-", "")

    @property
    def check_digit_warning(self) -> bool:
        """True when a wrong check digit is worth a warning (never a refusal).

        Only for people born before the 2020 reform; even then the holder may have had the
        number changed since, so a person decides, not the code.
        """
        return not self.check_digit_ok and self.birth_date < RANDOM_DIGITS_SINCE


def check_digit(first12: str) -> int:
    """The old-layout check digit of the first twelve digits."""
    total = sum(int(d) * w for d, w in zip(first12, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def parse_resident_number(text: str) -> ResidentNumberParts | None:
    """The parts of ``text`` when it is a resident number, else None.

    Accepts ``YYMMDD-SNNNNNN`` and ``YYMMDDSNNNNNN``, surrounding spaces and full-width digits
    (NFKC). Refuses other lengths, a sex digit other than 1-8 and dates that do not exist.
    The birth date may be in the future: whether that is acceptable is the caller's rule.
    """
    match = _SHAPE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    front, sex_digit, rest = match.groups()
    known = _SEX_DIGITS.get(sex_digit)
    if known is None:
        return None
    century, male, foreign = known
    try:
        born = date(century + int(front[:2]), int(front[2:4]), int(front[4:6]))
    except ValueError:
        return None
    digits = f"{front}{sex_digit}{rest}"
    return ResidentNumberParts(
        number=f"{front}-{sex_digit}{rest}",
        birth_date=born,
        sex=Sex.MALE if male else Sex.FEMALE,
        foreign=foreign,
        check_digit_ok=check_digit(digits[:12]) == int(digits[12]),
    )


def mask_resident_number(number: str) -> str:
    """``900101-1******``: birth date and sex digit kept, the rest starred.

    ``number`` is anything holding 13 digits (hyphenated or not); fewer digits are all starred
    so that a malformed value never leaks either.
    """
    digits = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", number))
    if len(digits) != 13:
        return "*" * max(len(digits), 1)
    return f"{digits[:6]}-{digits[6]}******"


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


__all__ = [
    "RANDOM_DIGITS_SINCE",
    "ResidentNumberParts",
    "Sex",
    "check_digit",
    "fictional_rrn",
    "is_fictional",
    "mask_resident_number",
    "parse_resident_number",
]
