"""The citizens' portal: the application form and its receipt. No log-in, but CSRF all the same.

A citizen has only the anonymous session the framework hands every browser; its CSRF token
guards the form. After a successful submission the browser is redirected (POST/redirect/GET)
to a receipt that belongs to that session alone: the 접수번호 never becomes a key that lets
someone else read the applicant's data, and no personal number is ever put in a URL or shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from civicrpa.sandbox.common.app import CsrfChecked, session_of
from civicrpa.sandbox.common.banks import BANK_CHOICES
from civicrpa.sandbox.common.clock import city_now, city_today
from civicrpa.sandbox.common.files import posted_file, read_upload
from civicrpa.sandbox.common.forms import Form, form_of
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.intake.store import attachment_list, find, submit
from civicrpa.sandbox.intake.validation import (
    CHECKED,
    MAX_CARE_DAYS,
    MAX_CHILD_AGE_DAYS,
    YES_NO,
    read_application,
)
from civicrpa.sandbox.intake.workflow import CARE_GROUP_LABELS, KIND_LABELS

router = APIRouter()
#: Largest attachment accepted, per file.
MAX_UPLOAD_MB = 5
#: Receipts remembered per anonymous session (the oldest are forgotten first).
_RECEIPTS_KEPT = 10_000
#: Fields a re-shown form never fills back in (the citizen types them again).
_NOT_ECHOED = ("applicant_rrn", "csrf_token")


def _form_page(request: Request, form: Form | None, status: int = 200) -> Response:
    today = city_today()
    raw = {k: v for k, v in (form.raw if form else {}).items() if k not in _NOT_ECHOED}
    context: dict[str, Any] = {
        "form": raw,
        "errors": form.errors if form else {},
        "kinds": {k.value: v for k, v in KIND_LABELS.items()},
        "banks": BANK_CHOICES,
        "care_groups": {g.value: v for g, v in CARE_GROUP_LABELS.items()},
        "yes_no": YES_NO,
        "checked": CHECKED,
        "max_care_days": MAX_CARE_DAYS,
        "today": today.isoformat(),
        "earliest": (today - timedelta(days=MAX_CHILD_AGE_DAYS)).isoformat(),
        "max_mb": MAX_UPLOAD_MB,
    }
    return render(request, "apply.html", context, status=status)


@router.get("/")
def home(request: Request) -> Response:
    """Officials go to their inbox, everybody else to the application form."""
    target = "/inbox" if session_of(request).user else "/apply"
    return RedirectResponse(target, status_code=303)


@router.get("/apply")
def apply_form(request: Request) -> Response:
    session_of(request)  # the anonymous session carries the form's CSRF token
    return _form_page(request, None)


@router.post("/apply", dependencies=[CsrfChecked])
async def apply(request: Request) -> Response:
    data = await request.form()
    try:
        return await _accept(request, data)
    finally:
        await data.close()  # the uploads' spooled temporary files


async def _accept(request: Request, data: FormData) -> Response:
    form = form_of(data)
    application = read_application(form, city_today())
    certificate = await read_upload(
        form,
        "birth_certificate",
        "출생증명서",
        posted_file(data, "birth_certificate"),
        allowed=(".pdf",),
        max_mb=MAX_UPLOAD_MB,
    )
    bankbook = await read_upload(
        form,
        "bankbook",
        "통장 사본",
        posted_file(data, "bankbook"),
        allowed=(".pdf", ".png", ".jpg"),
        max_mb=MAX_UPLOAD_MB,
    )
    if application is None or certificate is None or bankbook is None:
        return _form_page(request, form, status=422)
    number = submit(
        request.app.state.db,
        application,
        [("birth_certificate", certificate), ("bankbook", bankbook)],
        city_now(),
    )
    receipts: dict[str, str] = request.app.state.receipts
    if len(receipts) >= _RECEIPTS_KEPT:
        receipts.pop(next(iter(receipts)))
    receipts[session_of(request).token] = number
    return RedirectResponse("/apply/receipt", status_code=303)


@router.get("/apply/receipt")
def receipt(request: Request) -> Response:
    """The receipt of this browser's last application; back to the form if there is none."""
    number = request.app.state.receipts.get(session_of(request).token)
    if number is None:
        return RedirectResponse("/apply", status_code=303)
    with request.app.state.db.session() as session:
        row = find(session, number)
        files = attachment_list(session, row.id) if row is not None else []
    if row is None:
        return RedirectResponse("/apply", status_code=303)
    return render(request, "receipt.html", {"app": row, "files": files})
