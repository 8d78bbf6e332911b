"""Money: won as ``int``, printed as Korean offices print it.

Every amount in civicrpa is a whole number of won in an ``int``: never a ``float`` (a binary
fraction cannot hold 0.1 won exactly, and an allowance rounded twice differs from the ledger
by a won) and never a ``bool`` (``True`` is an ``int`` to Python, and ``True`` won is a bug).
:func:`won` is the guard that refuses both; :data:`WonAmount` is the same guard for a pydantic
field (a rate table's amounts, a payload's).

Two ways of printing an amount:

- :func:`format_won`: ``1,000,000원``, for lists, screens and messages;
- :func:`format_won_formal`: ``금 1,000,000원(금일백만원)``, as on 지출결의서 and other
  payment documents, where the amount is also written out in Hangul so that a digit cannot be
  added or changed unnoticed. The reading (:func:`korean_amount_reading`) groups digits by
  four (만, 억, 조, 경) and writes every digit, 일 included (일백만, 일천이백삼십사만오천육백칠십팔,
  일십만), as cheques and payment documents do: 백만 alone could be altered to 삼백만, 일백만
  cannot.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field, Strict

_DIGITS: Final = "영일이삼사오육칠팔구"
#: Units inside a group of four digits: thousands, hundreds, tens, ones.
_SMALL_UNITS: Final = ("천", "백", "십", "")
#: Units of each group of four digits, from the lowest.
_GROUP_UNITS: Final = ("", "만", "억", "조", "경")
#: Largest amount that can be read out (9999경 ...).
MAX_READABLE: Final = 10 ** (4 * len(_GROUP_UNITS)) - 1

#: A pydantic field of won, zero or more: an ``int`` only (no ``"1,000,000"``, ``1e6``, ``True``).
WonAmount = Annotated[int, Strict(), Field(ge=0)]


def won(amount: object) -> int:
    """``amount`` itself when it is an ``int`` of won; ``TypeError`` for a float, bool or other."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"an amount of won must be an int, not {type(amount).__name__}")
    return amount


def format_won(amount: int) -> str:
    """``1,000,000원``; negative amounts (a refund, 환수) keep their sign: ``-5,000원``."""
    return f"{won(amount):,}원"


def korean_amount_reading(amount: int) -> str:
    """The amount in Hangul digits and units, every digit written: 1,000,000 -> ``일백만``.

    0 is ``영``. Negative amounts and amounts above :data:`MAX_READABLE` raise ``ValueError``:
    a payment document carries neither.
    """
    value = won(amount)
    if value < 0:
        raise ValueError("a negative amount has no formal reading")
    if value > MAX_READABLE:
        raise ValueError("amount too large to read out")
    if value == 0:
        return _DIGITS[0]
    parts: list[str] = []
    for unit in _GROUP_UNITS:
        value, group = divmod(value, 10_000)
        if group:
            parts.append(_group_reading(group) + unit)
        if not value:
            break
    return "".join(reversed(parts))


def format_won_formal(amount: int) -> str:
    """``금 1,000,000원(금일백만원)``: figures, then the Hangul reading, as 지출 documents write it."""
    return f"금 {format_won(amount)}(금{korean_amount_reading(amount)}원)"


def _group_reading(group: int) -> str:
    """A group of four digits (1..9999): 1234 -> 일천이백삼십사, 50 -> 오십, 1001 -> 일천일."""
    text = f"{group:04d}"
    return "".join(
        _DIGITS[int(digit)] + unit
        for digit, unit in zip(text, _SMALL_UNITS, strict=True)
        if digit != "0"
    )


__all__ = [
    "MAX_READABLE",
    "WonAmount",
    "format_won",
    "format_won_formal",
    "korean_amount_reading",
    "won",
]
