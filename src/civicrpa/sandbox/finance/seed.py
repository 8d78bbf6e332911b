"""The bank-account register and some past payments of the finance system. Deterministic.

Accounts exist for the heads and spouses of the resident registry's households (the same
``generate_population(size)``), for every account written on the intake system's applications
(``generate_applications(size)``: the holder as written there, so robots can pay real
applicants), for the HR system's staff (their salary accounts) and for ``size // 4`` other
holders, one in twenty of whose accounts is closed.
Past payments (``max(10, size // 20)``, references ``F2025-00001``...) are marked paid; each
was registered in office hours, Korean time, on one of the 300 days before the city's day.
"""

from __future__ import annotations

import functools
import random
from datetime import time, timedelta
from typing import Any

from sqlalchemy import insert

from civicrpa.sandbox.common.banks import (
    BANKS,
    KIND_OTHER,
    KIND_RESIDENT,
    pick_bank,
    synthetic_account,
)
from civicrpa.sandbox.common.city import CITY_DAY, CITY_SEED
from civicrpa.sandbox.common.clock import kst_stamp
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.population import generate_population
from civicrpa.sandbox.common.synthetic import korean_faker
from civicrpa.sandbox.finance.models import (
    AccountStatus,
    PaymentStatus,
    bank_accounts,
    payments,
)
from civicrpa.sandbox.hr_attendance.seed import generate_staff
from civicrpa.sandbox.intake.seed import generate_applications

#: Who among a household holds an account the city may pay into.
ACCOUNT_RELATIONS = ("본인", "배우자")
#: Every twentieth of the other holders' accounts is closed, the first one included.
CLOSED_EVERY = 20
#: (budget item, smallest, largest amount, step) of the past payments, in won.
_PAST = (
    ("childbirth_incentive", 500_000, 3_000_000, 500_000),
    ("postnatal_care", 300_000, 1_000_000, 100_000),
    ("overtime_pay", 50_000, 600_000, 10),
    ("meal_allowance", 8_000, 200_000, 1000),
    ("travel_expenses", 10_000, 300_000, 500),
)
_CHUNK = 5000


@functools.lru_cache(maxsize=4)
def resident_accounts(size: int, seed: int = CITY_SEED) -> dict[int, tuple[str, str]]:
    """Resident id -> (bank code, account digits) for the registry's heads and spouses.

    Other systems' seeds (an application's account) use this to agree with the bank.
    """
    rng = random.Random(f"finance-residents-{seed}")
    accounts = {}
    for person in generate_population(size, seed).residents:
        if person["relation"] in ACCOUNT_RELATIONS:
            bank = pick_bank(rng)
            accounts[person["id"]] = (
                bank,
                synthetic_account(bank, KIND_RESIDENT, person["id"], rng),
            )
    return accounts


def _applicant_accounts(size: int, seed: int, taken: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The accounts the intake system's applicants wrote down (both use the clearing codes)."""
    rows = []
    for app in generate_applications(size, seed).applications:
        bank = BANKS[app["bank"]].code
        digits = app["account_no"].replace("-", "")
        if (bank, digits) in taken:
            continue  # already in the register: the same digits drawn twice
        taken.add((bank, digits))
        rows.append(
            {
                "bank_code": bank,
                "account_number": digits,
                "holder": app["account_holder"],
                "status": AccountStatus.ACTIVE.value,
                "resident_id": app["registry_applicant_id"],
                "staff_no": None,
            }
        )
    return rows


def generate_accounts(size: int, seed: int = CITY_SEED) -> list[dict[str, Any]]:
    """Every row of the bank-account register."""
    names = {p["id"]: p["name"] for p in generate_population(size, seed).residents}
    rows: list[dict[str, Any]] = [
        {
            "bank_code": bank,
            "account_number": number,
            "holder": names[resident_id],
            "status": AccountStatus.ACTIVE.value,
            "resident_id": resident_id,
            "staff_no": None,
        }
        for resident_id, (bank, number) in resident_accounts(size, seed).items()
    ]
    rows += _applicant_accounts(size, seed, {(r["bank_code"], r["account_number"]) for r in rows})
    rows += [
        {
            "bank_code": person["bank_code"],
            "account_number": person["account_number"],
            "holder": person["name"],
            "status": AccountStatus.ACTIVE.value,
            "resident_id": None,
            "staff_no": person["staff_no"],
        }
        for person in generate_staff(size, seed)
    ]
    rng = random.Random(f"finance-others-{seed}")
    fake = korean_faker(seed + 11)
    for number in range(1, size // 4 + 1):
        bank = pick_bank(rng)
        closed = number % CLOSED_EVERY == 1
        rows.append(
            {
                "bank_code": bank,
                "account_number": synthetic_account(bank, KIND_OTHER, number, rng),
                "holder": fake.name()[:50],
                "status": (AccountStatus.CLOSED if closed else AccountStatus.ACTIVE).value,
                "resident_id": None,
                "staff_no": None,
            }
        )
    return rows


def _past_payments(accounts: list[dict[str, Any]], count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(f"finance-payments-{seed}")
    residents = [a for a in accounts if a["resident_id"] is not None]
    staff = [a for a in accounts if a["staff_no"] is not None]
    rows = []
    for number in range(1, count + 1):
        item, low, high, step = rng.choice(_PAST)
        account = rng.choice(
            residents if item in ("childbirth_incentive", "postnatal_care") else staff
        )
        # Registered in office hours, Korean time (09:00-17:59), on a day before the city's.
        day = CITY_DAY - timedelta(days=rng.randrange(1, 300))
        at = kst_stamp(day, time(9 + rng.randrange(0, 9), number * 37 % 60))
        rows.append(
            {
                "reference": f"F2025-{number:05d}",
                "payee_name": account["holder"],
                "bank_code": account["bank_code"],
                "account_number": account["account_number"],
                "holder": account["holder"],
                "amount": rng.randrange(low, high + 1, step),
                "budget_item": item,
                "memo": f"{day.year}년 {day.month}월 지급분",
                "status": PaymentStatus.PAID.value,
                "registered_by": "clerk01",
                "registered_at": at,
            }
        )
    return rows


def seed(db: SandboxDatabase, size: int, *, seed: int = CITY_SEED) -> None:
    """Fill the finance system: the account register and some past payments."""
    accounts = generate_accounts(size, seed)
    past = _past_payments(accounts, max(10, size // 20), seed)
    with db.session() as session:
        for table, rows in ((bank_accounts, accounts), (payments, past)):
            for offset in range(0, len(rows), _CHUNK):
                session.execute(insert(table), rows[offset : offset + _CHUNK])
