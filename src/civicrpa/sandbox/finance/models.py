"""Tables of the finance system (its own database: another agency's system)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

metadata = MetaData()


class AccountStatus(StrEnum):
    """State of a bank account in the bank's register."""

    #: Open: payments into it go through.
    ACTIVE = "active"
    #: Closed by its holder: the check reports it and no payment may be registered.
    CLOSED = "closed"


class PaymentStatus(StrEnum):
    """Where a payment stands."""

    #: Registered, waiting for the treasurer's transfer run.
    PENDING = "pending"
    #: Transferred (only seeded past payments; the sandbox has no transfer run).
    PAID = "paid"


PAYMENT_STATUS_KO = {PaymentStatus.PENDING: "지급대기", PaymentStatus.PAID: "지급완료"}

#: 세출 예산 과목 a payment is charged to: code -> Korean label (robots choose by the label).
BUDGET_ITEMS: dict[str, str] = {
    "childbirth_incentive": "출산장려금 지원",
    "postnatal_care": "산후조리비 지원",
    "overtime_pay": "초과근무수당",
    "meal_allowance": "급량비",
    "travel_expenses": "국내여비",
}

#: The bank's account register, as the 예금주 조회 service sees it.
bank_accounts = Table(
    "bank_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("bank_code", String(3), nullable=False),
    #: Digits only.
    Column("account_number", String(20), nullable=False),
    Column("holder", String(50), nullable=False, index=True),
    Column("status", String(10), nullable=False),
    #: Set for accounts of the resident registry's people (same seed), to find them in tests.
    Column("resident_id", Integer, nullable=True, index=True),
    #: Set for salary accounts of the HR system's staff.
    Column("staff_no", String(10), nullable=True, index=True),
    UniqueConstraint("bank_code", "account_number"),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    #: 참조번호: unique, so that a second registration of the same application is refused.
    Column("reference", String(30), nullable=False, unique=True),
    Column("payee_name", String(50), nullable=False, index=True),
    Column("bank_code", String(3), nullable=False),
    Column("account_number", String(20), nullable=False),
    Column("holder", String(50), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("budget_item", String(30), nullable=False),
    Column("memo", String(100), nullable=False),
    Column("status", String(10), nullable=False),
    Column("registered_by", String(50), nullable=False),
    #: Naive UTC.
    Column("registered_at", DateTime, nullable=False),
)

#: Every 예금주 조회, with who asked and what the bank answered.
holder_checks = Table(
    "holder_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(50), nullable=False),
    Column("bank_code", String(3), nullable=False),
    Column("account_number", String(20), nullable=False),
    #: "found", "closed" or "not_found".
    Column("result", String(10), nullable=False),
    Column("holder", String(50), nullable=True),
    #: Naive UTC.
    Column("at", DateTime, nullable=False),
)
