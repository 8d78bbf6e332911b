"""The childbirth robot's own actions, built on the shared adapters of :mod:`civicrpa.systems`.

What is the process's and not the systems': the payment reference finance keeps, the budget
items, the payment order made from an application, and the memos it writes (catalogue entries
of :mod:`.messages`, filled here).
"""

from __future__ import annotations

from typing import Any

from civicrpa.core.errors import BusinessRuleError
from civicrpa.core.messages import render
from civicrpa.processes.childbirth_incentive.inputs import Application
from civicrpa.systems.finance import PaymentOrder
from civicrpa.systems.intake import Intake, Status

#: 예산 과목 of each kind of payment.
BUDGET_ITEMS = {"childbirth_incentive": "출산장려금 지원", "postnatal_care": "산후조리비 지원"}
_KIND_CODES = {"출산": "CI", "산후": "PC"}


def payment_reference(application_no: str, instalment_no: int) -> str:
    """Finance's reference (letters, digits, hyphens): ``2025-출산-000123`` #2 → ``CI-2025-000123-2``."""
    year, kind, serial = application_no.split("-", 2)
    return f"{_KIND_CODES.get(kind, 'XX')}-{year}-{serial}-{instalment_no}"


def memo(code: str, **params: Any) -> str:
    """A memo of the catalogue (``childbirth.memo.<code>``), filled."""
    return render(f"childbirth.memo.{code}", params)


def payment_order(app: Application, amount: int, reference: str, note: str) -> PaymentOrder:
    """The payment of ``amount`` to the applicant's account; 적요 is the application and ``note``."""
    return PaymentOrder(
        payee=app.applicant_name,
        bank=app.bank,
        account_no=app.account_no,
        holder=app.account_holder,
        amount=amount,
        budget_item=BUDGET_ITEMS[app.kind.value],
        reference=reference,
        memo=f"{app.application_no} {note}",
    )


def request_supplement(intake: Intake, number: str, error: BusinessRuleError) -> None:
    """Send the application back to the applicant with the reason (보완요청); a no-op when it
    was sent back already."""
    intake.move(number, Status.SUPPLEMENT, memo("supplement", reason=error.message_ko))


__all__ = [
    "BUDGET_ITEMS",
    "memo",
    "payment_order",
    "payment_reference",
    "request_supplement",
]
