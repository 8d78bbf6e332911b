"""Registering a payment: the form, the 예금주 조회 it requires, and the duplicate guard.

The holder check answers as JSON to the form's script, which shows it in a modal dialog; the
registration itself is an ordinary form post behind a confirm dialog.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.banks import BANK_CHOICES, BANKS, account_number
from civicrpa.sandbox.common.clock import city_stamp
from civicrpa.sandbox.common.forms import Form, add_messages, message, posted
from civicrpa.sandbox.common.sessions import Session
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.finance.holder_checks import HolderChecks
from civicrpa.sandbox.finance.models import (
    BUDGET_ITEMS,
    AccountStatus,
    PaymentStatus,
    bank_accounts,
    holder_checks,
    payments,
)

router = APIRouter()
#: The finance system's own wording (the generic checks' is the common one): its rules about
#: holders and references, and the answers of the 예금주 조회 dialog.
add_messages(
    "finance",
    {
        "not_checked": "예금주 조회를 먼저 하십시오.",
        "no_account": "예금주 조회에서 확인되지 않은 계좌입니다.",
        "holder_mismatch": "예금주가 예금주 조회 결과와 다릅니다.",
        "duplicate_reference": "이미 같은 참조번호로 등록된 지급이 있습니다.",
        "found": "예금주가 확인되었습니다.",
        "not_found": "등록되지 않은 계좌입니다.",
        "closed": "해지된 계좌입니다.",
    },
)
#: Letters, digits and hyphens, as application and document numbers are written.
REFERENCE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9-]*"
MAX_AMOUNT = 100_000_000


def _page(request: Request, form: Form | None = None, status: int = 200) -> Response:
    return render(
        request,
        "payment_form.html",
        {
            "banks": BANK_CHOICES,
            "items": BUDGET_ITEMS,
            "form": form.raw if form else {},
            "errors": form.errors if form else {},
        },
        status=status,
    )


@router.get("/payments/new")
def new_payment(request: Request, user: LoggedIn) -> Response:
    return _page(request)


@router.post("/payments/holder-check", dependencies=[CsrfChecked])
async def check_holder(request: Request, user: LoggedIn) -> Response:
    """예금주 조회: the bank's register answers with the holder's name, as JSON for the dialog."""
    form = await posted(request)
    bank = form.choice("bank", "은행", BANK_CHOICES)
    account = account_number(form, bank, "account_number", "계좌번호")
    if not form.ok:
        return JSONResponse({"found": False, "message": " ".join(form.errors.values())}, 422)
    with request.app.state.db.session() as session:
        row = session.execute(
            select(bank_accounts.c.holder, bank_accounts.c.status).where(
                bank_accounts.c.bank_code == bank, bank_accounts.c.account_number == account
            )
        ).first()
        if row is None:
            result, holder = "not_found", None
        elif row.status == AccountStatus.CLOSED:
            result, holder = "closed", None
        else:
            result, holder = "found", row.holder
        session.execute(
            insert(holder_checks).values(
                username=user.user,
                bank_code=bank,
                account_number=account,
                result=result,
                holder=holder,
                at=city_stamp(),
            )
        )
    checks: HolderChecks = request.app.state.holder_checks
    checks.record(user.token, bank, account, holder)
    return JSONResponse(
        {
            "found": holder is not None,
            "bank": BANKS[bank].name,
            "account": form.raw.get("account_number", "").strip(),
            "holder": holder or "",
            "message": message(f"finance.{result}"),
        }
    )


def _check_holder_answer(
    form: Form, user: Session, checks: HolderChecks, bank: str, account: str
) -> None:
    answer = checks.answer(user.token, bank, account)
    holder = form.raw.get("holder", "").strip()
    if answer is None:
        form.fail("account_number", "finance.not_checked")
    elif answer.holder is None:
        form.fail("account_number", "finance.no_account")
    elif "".join(holder.split()) != "".join(answer.holder.split()):
        form.fail("holder", "finance.holder_mismatch")


@router.post("/payments/new", dependencies=[CsrfChecked])
async def register_payment(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    payee = form.text("payee_name", "지급 대상자", max_length=20)
    bank = form.choice("bank", "은행", BANK_CHOICES)
    account = account_number(form, bank, "account_number", "계좌번호")
    holder = form.text("holder", "예금주", max_length=20)
    amount = form.integer("amount", "금액(원)", minimum=1, maximum=MAX_AMOUNT)
    item = form.choice("budget_item", "예산 과목", BUDGET_ITEMS)
    reference = form.text("reference", "참조번호", max_length=30, pattern=REFERENCE_PATTERN)
    memo = form.text("memo", "적요", max_length=100)
    if form.ok:
        _check_holder_answer(form, user, request.app.state.holder_checks, bank, account)
    db = request.app.state.db
    if form.ok:
        with db.session() as session:
            taken = session.execute(
                select(exists().where(payments.c.reference == reference))
            ).scalar()
        if taken:
            form.fail("reference", "finance.duplicate_reference")
    if not form.ok:
        return _page(request, form, status=422)
    try:
        with db.session() as session:
            payment_id = session.execute(
                insert(payments)
                .values(
                    reference=reference,
                    payee_name=payee,
                    bank_code=bank,
                    account_number=account,
                    holder=holder,
                    amount=amount,
                    budget_item=item,
                    memo=memo,
                    status=PaymentStatus.PENDING.value,
                    registered_by=user.user,
                    registered_at=city_stamp(),
                )
                .returning(payments.c.id)
            ).scalar_one()
    except IntegrityError:
        # Two robots raced with the same reference: the unique index decides, the second loses.
        form.fail("reference", "finance.duplicate_reference")
        return _page(request, form, status=422)
    user.flash.append(f"지급이 등록되었습니다. (참조번호 {reference})")
    return RedirectResponse(f"/payments/{payment_id}", status_code=303)
