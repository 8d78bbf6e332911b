"""What the meal-allowance rules read: a receipt of the meal ledger (특근매식비 장부).

One row per restaurant receipt (``meal-allowance.md``, suggested data shapes): the day, the
restaurant, the amount, the card approval number, lunch or dinner, and the diners by staff
number as the ledger lists them. :class:`ReceiptRow` is the row as the ledger exports it, each
field titled by its Korean column header (:func:`civicrpa.runtime.sheets.read_rows` finds it);
:func:`to_receipt` checks what a field type cannot and gives the rules a :class:`Receipt`;
:func:`check_receipt_rows` does this for a batch, each bad row reported by its number with a
Korean reason while the others go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from civicrpa.core.findings import CheckedRows, Finding, check_rows, rejected

#: A staff number as HR writes it (``E00042``); the ledger's diners are listed by it.
_STAFF_NO = re.compile(r"[A-Za-z]?\d{3,10}")
#: What separates diners on the ledger: commas, semicolons, slashes or spaces.
_SEPARATORS = re.compile(r"[,;/\s]+")


class Meal(StrEnum):
    """Which meal a receipt is for."""

    #: 점심 (중식).
    LUNCH = "lunch"
    #: 저녁 (석식).
    DINNER = "dinner"


#: How the ledger may write the meal.
MEAL_LABELS: Mapping[str, Meal] = {
    "점심": Meal.LUNCH,
    "중식": Meal.LUNCH,
    "저녁": Meal.DINNER,
    "석식": Meal.DINNER,
    **{member.value: member for member in Meal},
}


@dataclass(frozen=True, kw_only=True)
class Receipt:
    """One checked receipt of the meal ledger."""

    #: The ledger's receipt number: the work item's reference and the finance entry's.
    receipt_no: str
    department: str
    day: date
    restaurant: str
    #: The bill, in won (more than 0).
    amount: int
    meal: Meal
    #: Staff numbers of the diners, in the ledger's order, each once.
    diners: tuple[str, ...]
    card_approval_no: str | None = None


class ReceiptRow(BaseModel):
    """One receipt as the ledger exports it; titles are the column headers."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    receipt_no: str = Field(title="영수증번호", min_length=1, max_length=30)
    department: str = Field(title="부서", min_length=1, max_length=50)
    day: date = Field(title="사용일")
    restaurant: str = Field(title="식당", min_length=1, max_length=100)
    amount: int = Field(title="금액", gt=0, le=10_000_000)
    meal: str = Field(title="식사 구분", min_length=1, max_length=10)
    diners: str = Field(title="식사 인원(직원번호)", min_length=1, max_length=2000)
    card_approval_no: str = Field(title="카드 승인번호", default="", max_length=30)


def to_receipt(row: ReceiptRow) -> Receipt:
    """``row`` checked: raises :class:`~civicrpa.core.errors.InputRejected` naming every
    problem (``meal.row.*``; ``meal.row.problems`` when there are several)."""
    problems: list[Finding] = []
    meal = MEAL_LABELS.get(row.meal.strip())
    if meal is None:
        known = ", ".join(label for label in MEAL_LABELS if not label.isascii())
        problems.append(Finding(code="meal.row.bad_meal", params={"known": known}))
    diners = tuple(part for part in _SEPARATORS.split(row.diners.strip()) if part)
    malformed = [diner for diner in diners if not _STAFF_NO.fullmatch(diner)]
    if not diners:
        problems.append(Finding(code="meal.row.no_diners"))
    elif malformed:
        problems.append(Finding(code="meal.row.bad_diner", params={"count": len(malformed)}))
    twice = sorted({diner for diner in diners if diners.count(diner) > 1})
    if twice:
        problems.append(
            Finding(code="meal.row.diner_twice", params={"staff_nos": ", ".join(twice)})
        )
    card = row.card_approval_no.strip()
    if card and not card.isdigit():
        problems.append(Finding(code="meal.row.bad_card_approval"))
    if problems or meal is None:
        raise rejected(problems, several="meal.row.problems")
    return Receipt(
        receipt_no=row.receipt_no.strip(),
        department=row.department.strip(),
        day=row.day,
        restaurant=row.restaurant.strip(),
        amount=row.amount,
        meal=meal,
        diners=tuple(diner.upper() for diner in diners),
        card_approval_no=card or None,
    )


def check_receipt_rows(
    rows: Iterable[tuple[int, ReceiptRow | Mapping[str, Any]]],
) -> CheckedRows[Receipt]:
    """Each numbered row checked on its own: the receipts, and every refused row with its
    reason (``meal.row.malformed`` names the faulty columns of a row the model refuses)."""
    return check_rows(rows, ReceiptRow, to_receipt, malformed="meal.row.malformed")


__all__ = [
    "MEAL_LABELS",
    "Meal",
    "Receipt",
    "ReceiptRow",
    "check_receipt_rows",
    "to_receipt",
]
