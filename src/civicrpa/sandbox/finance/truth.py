"""Ground truth of the finance system, for tests only (token required; robots never call it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select

from civicrpa.sandbox.common.truth import count, plain, query
from civicrpa.sandbox.finance.models import bank_accounts, holder_checks, payments

router = APIRouter()


@router.get("/payments")
def all_payments(request: Request) -> list[dict[str, Any]]:
    """Every payment, all fields (account digits in full), oldest first."""
    return query(request, select(payments).order_by(payments.c.id))


@router.get("/payments/{reference}")
def payment(request: Request, reference: str) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        row = session.execute(select(payments).where(payments.c.reference == reference)).first()
    if row is None:
        raise HTTPException(404)
    return plain(row)


@router.get("/holder-checks")
def checks(request: Request) -> list[dict[str, Any]]:
    """The 예금주 조회 log: who, which account, what the bank answered."""
    return query(request, select(holder_checks).order_by(holder_checks.c.id))


@router.get("/accounts")
def accounts(
    request: Request,
    holder: str | None = None,
    resident_id: int | None = None,
    staff_no: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Accounts of the bank register, filtered (tests pick a payee here)."""
    statement = select(bank_accounts).order_by(bank_accounts.c.id).limit(min(limit, 1000))
    if holder is not None:
        statement = statement.where(bank_accounts.c.holder == holder)
    if resident_id is not None:
        statement = statement.where(bank_accounts.c.resident_id == resident_id)
    if staff_no is not None:
        statement = statement.where(bank_accounts.c.staff_no == staff_no)
    if status is not None:
        statement = statement.where(bank_accounts.c.status == status)
    return query(request, statement)


@router.get("/stats")
def stats(request: Request) -> dict[str, int]:
    with request.app.state.db.session() as session:
        return {
            "payments": count(session, payments),
            "accounts": count(session, bank_accounts),
            "holder_checks": count(session, holder_checks),
        }
