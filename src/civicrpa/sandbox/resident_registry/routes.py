"""Screens of the resident registry: search with a reason, results, a resident's record."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import ColumnElement, func, insert, select
from starlette.responses import Response

from civicrpa.core.resident_number import parse_resident_number
from civicrpa.sandbox.common.app import CsrfChecked, LoggedIn
from civicrpa.sandbox.common.clock import city_stamp
from civicrpa.sandbox.common.forms import posted
from civicrpa.sandbox.common.listing import list_page
from civicrpa.sandbox.common.web import render
from civicrpa.sandbox.resident_registry.models import (
    REASONS,
    address_history,
    lookups,
    residents,
)

router = APIRouter()
RRN_PATTERN = r"\d{6}-?[0-9]\d{6}"


@router.get("/")
def home(user: LoggedIn) -> Response:
    return RedirectResponse("/search", status_code=303)


@router.get("/search")
def search_form(request: Request, user: LoggedIn) -> Response:
    return render(request, "search.html", {"reasons": REASONS, "form": {}, "errors": {}})


@router.post("/search", dependencies=[CsrfChecked])
async def search(request: Request, user: LoggedIn) -> Response:
    form = await posted(request)
    name = form.text("name", "성명", max_length=20)
    rrn = form.text("rrn", "주민등록번호", required=False, max_length=14, pattern=RRN_PATTERN)
    born = form.day("birth_date", "생년월일", required=False, past_only=True)
    reason = form.choice("reason", "조회 사유", REASONS)
    detail = form.text("reason_detail", "상세 사유", max_length=200)
    if not form.ok:
        return render(
            request,
            "search.html",
            {"reasons": REASONS, "form": form.raw, "errors": form.errors},
            status=422,
        )
    db = request.app.state.db
    condition = _matching(name, rrn, born)
    with db.session() as session:
        count = session.execute(select(func.count()).where(condition)).scalar_one()
        lookup_id = session.execute(
            insert(lookups)
            .values(
                username=user.user,
                reason_code=reason,
                reason_detail=detail,
                query_name=name,
                query_has_rrn=int(bool(rrn)),
                query_birth_date=born,
                result_count=count,
                at=city_stamp(),
            )
            .returning(lookups.c.id)
        ).scalar_one()
        if rrn:
            # The number is never put in a URL: results are found again through the look-up.
            request.app.state.lookup_numbers[lookup_id] = _normal(rrn)
    return RedirectResponse(f"/lookups/{lookup_id}", status_code=303)


def _normal(rrn: str) -> str:
    """The registry's stored form ``YYMMDD-SNNNNNN``; a number that cannot exist stays as typed
    (it then matches no resident, as the registry answers for an unknown number)."""
    parts = parse_resident_number(rrn)
    return rrn if parts is None else parts.number


def _matching(name: str, rrn: str | None, born: date | None = None) -> ColumnElement[bool]:
    condition = residents.c.name == name
    if rrn:
        condition = condition & (residents.c.rrn == _normal(rrn))
    if born is not None:
        condition = condition & (residents.c.birth_date == born)
    return condition


def _lookup(
    request: Request, lookup_id: int, username: str | None
) -> tuple[str, ColumnElement[bool]]:
    """The name searched for and the search condition of a look-up this user made."""
    with request.app.state.db.session() as session:
        row = session.execute(select(lookups).where(lookups.c.id == lookup_id)).first()
    if row is None or row.username != username:
        raise HTTPException(404)
    rrn = request.app.state.lookup_numbers.get(lookup_id) if row.query_has_rrn else None
    if row.query_has_rrn and rrn is None:
        raise HTTPException(404)  # the server restarted: search again
    return row.query_name, _matching(row.query_name, rrn, row.query_birth_date)


@router.get("/lookups/{lookup_id}")
def results(request: Request, user: LoggedIn, lookup_id: int, page: int = 1) -> Response:
    name, matching = _lookup(request, lookup_id, user.user)
    with request.app.state.db.session() as session:
        shown = list_page(
            session,
            select(residents).where(matching).order_by(residents.c.birth_date, residents.c.id),
            page=page,
            path=f"/lookups/{lookup_id}",
        )
    return render(
        request, "results.html", {**shown.context(), "lookup_id": lookup_id, "name": name}
    )


@router.get("/lookups/{lookup_id}/residents/{resident_id}")
def resident(request: Request, user: LoggedIn, lookup_id: int, resident_id: int) -> Response:
    _name, matching = _lookup(request, lookup_id, user.user)
    with request.app.state.db.session() as session:
        person = session.execute(
            select(residents).where(residents.c.id == resident_id, matching)
        ).first()
        if person is None:
            raise HTTPException(404)
        history = session.execute(
            select(address_history)
            .where(address_history.c.resident_id == resident_id)
            .order_by(address_history.c.moved_in)
        ).all()
        household = session.execute(
            select(residents)
            .where(residents.c.household_id == person.household_id)
            .order_by(residents.c.birth_date)
        ).all()
    return render(
        request,
        "resident.html",
        {"person": person, "history": history, "household": household, "lookup_id": lookup_id},
    )
