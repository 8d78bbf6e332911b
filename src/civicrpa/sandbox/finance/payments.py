"""Finding payments: the list searched by reference or payee, one payment, the .xlsx export.

Lists and exports show account numbers masked but for their last four digits; only the detail
screen of one payment shows the whole number.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import ColumnElement, and_, select, true
from starlette.responses import Response

from civicrpa.core.clock import format_kst
from civicrpa.sandbox.common.app import LoggedIn
from civicrpa.sandbox.common.banks import BANKS, mask
from civicrpa.sandbox.common.clock import city_today
from civicrpa.sandbox.common.files import xlsx_response
from civicrpa.sandbox.common.forms import Form
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.finance.models import BUDGET_ITEMS, PAYMENT_STATUS_KO, PaymentStatus, payments
from civicrpa.sandbox.finance.registration import REFERENCE_PATTERN

router = APIRouter()
EXPORT_HEADER = (
    "참조번호",
    "지급 대상자",
    "은행",
    "계좌번호",
    "예금주",
    "금액(원)",
    "예산 과목",
    "적요",
    "상태",
    "등록자",
    "등록일시",
)
_EXPORT_KEYS = (
    "reference",
    "payee_name",
    "bank",
    "account",
    "holder",
    "amount",
    "budget_item",
    "memo",
    "status",
    "registered_by",
    "registered_at",
)


@router.get("/")
def home(user: LoggedIn) -> Response:
    return RedirectResponse("/payments", status_code=303)


def _filters(reference: str, payee: str) -> tuple[Form, ColumnElement[bool]]:
    form = Form({"reference": reference, "payee": payee})
    wanted = form.text(
        "reference", "참조번호", required=False, max_length=30, pattern=REFERENCE_PATTERN
    )
    name = form.text("payee", "지급 대상자", required=False, max_length=20)
    condition: ColumnElement[bool] = true()
    if wanted:
        condition = and_(condition, payments.c.reference == wanted)
    if name:
        condition = and_(condition, payments.c.payee_name.contains(name, autoescape=True))
    return form, condition


def shown(row: Any) -> dict[str, Any]:
    """A payment as lists and exports show it (account masked, labels in Korean)."""
    return {
        "id": row.id,
        "reference": row.reference,
        "payee_name": row.payee_name,
        "bank": BANKS[row.bank_code].name,
        "account": mask(row.account_number),
        "holder": row.holder,
        "amount": row.amount,
        "budget_item": BUDGET_ITEMS.get(row.budget_item, row.budget_item),
        "memo": row.memo,
        "status": PAYMENT_STATUS_KO[PaymentStatus(row.status)],
        "registered_by": row.registered_by,
        "registered_at": format_kst(row.registered_at.replace(tzinfo=UTC)),
    }


@router.get("/payments")
def payment_list(
    request: Request, user: LoggedIn, reference: str = "", payee: str = "", page: int = 1
) -> Response:
    form, condition = _filters(reference, payee)
    query = urlencode({k: v for k, v in (("reference", reference), ("payee", payee)) if v})
    context: dict[str, Any] = {"form": form.raw, "errors": form.errors, "rows": [], "query": query}
    if not form.ok:
        return render(request, "payments.html", context, status=422)
    with request.app.state.db.session() as session:
        listing = list_page(
            session,
            select(payments)
            .where(condition)
            .order_by(payments.c.registered_at.desc(), payments.c.id.desc()),
            page=page,
            path="/payments",
            filters={"reference": reference, "payee": payee},
            shown=shown,
        )
    context.update(listing.context())
    return render(request, "payments.html", context)


@router.get("/payments/export")
def export(request: Request, user: LoggedIn, reference: str = "", payee: str = "") -> Response:
    """The listed payments (same filters) as .xlsx; account numbers masked."""
    form, condition = _filters(reference, payee)
    if not form.ok:
        context = {"form": form.raw, "errors": form.errors, "rows": [], "query": ""}
        return render(request, "payments.html", context, status=422)
    with request.app.state.db.session() as session:
        rows = session.execute(
            select(payments).where(condition).order_by(payments.c.registered_at, payments.c.id)
        ).all()
    values = [shown(row) for row in rows]
    return xlsx_response(
        f"지급목록_{city_today():%Y%m%d}.xlsx",
        "지급 목록",
        EXPORT_HEADER,
        ([v[key] for key in _EXPORT_KEYS] for v in values),
    )


@router.get("/payments/{payment_id:int}")
def payment(request: Request, user: LoggedIn, payment_id: int) -> Response:
    with request.app.state.db.session() as session:
        row = session.execute(select(payments).where(payments.c.id == payment_id)).first()
    if row is None:
        raise HTTPException(404)
    return render(
        request,
        "payment.html",
        {"payment": shown(row), "account": row.account_number},
    )
