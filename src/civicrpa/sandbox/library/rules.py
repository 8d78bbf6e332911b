"""The library's rules, in one place: loan period and limit, overdue days, ISBN check, masking.

The county library's own rules set the loan values; none was seen in a public text (all **U** in
the domain notes on library work), so these are the common ones: 14 days, 5 books, and one day
of suspension for each day a book came back late. The due date does not move off holidays.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: 대출 기간 (days). **U**
LOAN_DAYS = 14
#: 1인 대출 한도 (books held at once). **U**
MAX_LOANS = 5
#: Days of suspension per day overdue, counted from the return day. **U**
SUSPENSION_DAYS_PER_OVERDUE_DAY = 1
#: Copy labels: ``EM`` (일반도서) and seven digits.
BARCODE_PREFIX = "EM"


def barcode(number: int) -> str:
    return f"{BARCODE_PREFIX}{number:07d}"


def isbn_check_digit(first12: str) -> int:
    """ISBN-13 check digit: weights 1, 3, 1, 3 ... on the first twelve digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def normal_isbn(value: str) -> str:
    """ISBN as digits only (suppliers write ``979-11-...`` or with spaces)."""
    return re.sub(r"[\s-]", "", value)


def is_valid_isbn13(isbn: str) -> bool:
    return re.fullmatch(r"\d{13}", isbn) is not None and isbn_check_digit(isbn[:12]) == int(
        isbn[12]
    )


def days_overdue(due_on: date, on: date) -> int:
    """Whole days past the due date on ``on`` (0 when not late)."""
    return max(0, (on - due_on).days)


def suspended_until(returned_on: date, overdue: int) -> date | None:
    """The first day the member may borrow again after a late return, or None."""
    if overdue <= 0:
        return None
    return returned_on + timedelta(days=overdue * SUSPENSION_DAYS_PER_OVERDUE_DAY)


def mask_phone(phone: str) -> str:
    """``010-1234-5678`` -> ``010-****-5678``: lists show no full numbers."""
    parts = phone.split("-")
    if len(parts) == 3:
        return f"{parts[0]}-{'*' * len(parts[1])}-{parts[2]}"
    return phone[:3] + "*" * max(0, len(phone) - 7) + phone[-4:]
