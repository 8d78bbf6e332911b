"""Ground truth of the resident registry, for tests only (token required; robots never call it).

Besides reading, one registry event can be made to happen to a resident
(``POST /residents/{id}/registration``): the seed does not give every case a rule needs (an
applicant who moved in after the birth, a child in another household), so a test makes its own
and the robot finds it on the registry's screens as any other record.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from civicrpa.sandbox.common.city import CITY_DAY
from civicrpa.sandbox.common.truth import count, plain, plain_all, query
from civicrpa.sandbox.resident_registry.models import (
    address_history,
    households,
    lookups,
    residents,
)

router = APIRouter()


@router.get("/residents/{resident_id}")
def resident(request: Request, resident_id: int) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        person = session.execute(select(residents).where(residents.c.id == resident_id)).first()
        if person is None:
            raise HTTPException(404)
        history = session.execute(
            select(address_history)
            .where(address_history.c.resident_id == resident_id)
            .order_by(address_history.c.moved_in, address_history.c.id)
        ).all()
        household = session.execute(
            select(
                residents.c.id,
                residents.c.relation,
                residents.c.birth_date,
                residents.c.moved_in,
                residents.c.moved_out,
            ).where(residents.c.household_id == person.household_id)
        ).all()
    return {
        **plain(person),
        "history": plain_all(history),
        "household": plain_all(household),
    }


@router.get("/residents")
def find(request: Request, name: str) -> list[int]:
    with request.app.state.db.session() as session:
        return list(
            session.execute(select(residents.c.id).where(residents.c.name == name)).scalars()
        )


@router.get("/lookups")
def all_lookups(request: Request) -> list[dict[str, Any]]:
    return query(request, select(lookups).order_by(lookups.c.id))


@router.get("/stats")
def stats(request: Request) -> dict[str, int]:
    with request.app.state.db.session() as session:
        return {"residents": count(session, residents)}


class RegistrationChange(BaseModel):
    """One registry event of a resident; at least one field. Dates up to the city's day.

    - ``household_id`` (세대 변경): the resident joins that household, at its address, on
      ``moved_in`` (required with it); the current address ends that day, a new one begins.
    - ``moved_in`` alone (전입일 정정): the stay at the current address began that day; the
      address before it, if any, ends that same day.
    - ``moved_out`` (전출): the resident left the city that day; the record stays, as the seed's
      moved-out residents do.
    """

    model_config = ConfigDict(extra="forbid")

    moved_in: date | None = None
    moved_out: date | None = None
    household_id: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.moved_in is None and self.moved_out is None and self.household_id is None:
            raise ValueError("give moved_in, moved_out or household_id")
        if self.household_id is not None and self.moved_in is None:
            raise ValueError("a household change needs moved_in, the day of the move")
        if self.moved_in and self.moved_out and self.moved_out < self.moved_in:
            raise ValueError("moved_out is before moved_in")
        if any(day is not None and day > CITY_DAY for day in (self.moved_in, self.moved_out)):
            raise ValueError(f"a registry event cannot be after the city's day ({CITY_DAY})")
        return self


def _refuse(detail: str) -> HTTPException:
    return HTTPException(422, detail=detail)


def _join_household(
    session: Session, person: Row[Any], current: Row[Any], change: RegistrationChange
) -> None:
    """세대 변경: a new address line from ``change.moved_in``; the current one ends that day."""
    day = change.moved_in
    assert day is not None  # the model requires it with household_id
    home = session.execute(select(households).where(households.c.id == change.household_id)).first()
    if home is None:
        raise _refuse("unknown household_id")
    if home.id == person.household_id:
        raise _refuse("the resident is already in that household")
    if day <= person.moved_in or (person.moved_out is not None and day < person.moved_out):
        raise _refuse("the move must come after the current stay began (and after any move-out)")
    if current.moved_out is None:
        session.execute(
            update(address_history).where(address_history.c.id == current.id).values(moved_out=day)
        )
    session.execute(
        insert(address_history).values(
            resident_id=person.id, address=home.address, moved_in=day, moved_out=change.moved_out
        )
    )
    session.execute(
        update(residents)
        .where(residents.c.id == person.id)
        .values(
            household_id=home.id, address=home.address, moved_in=day, moved_out=change.moved_out
        )
    )


def _move(
    session: Session, person: Row[Any], stays: list[Row[Any]], change: RegistrationChange
) -> None:
    """전입일 정정 and/or 전출 of the current address (the line before it ends on the 전입일)."""
    moved_in = change.moved_in if change.moved_in is not None else person.moved_in
    moved_out = change.moved_out if change.moved_out is not None else person.moved_out
    if moved_in < person.birth_date:
        raise _refuse("moved_in is before the resident's birth date")
    if moved_out is not None and moved_out < moved_in:
        raise _refuse("moved_out is before moved_in")
    current = stays[-1]
    if change.moved_in is not None and len(stays) > 1:
        before = stays[-2]
        if moved_in <= before.moved_in:
            raise _refuse("moved_in would swallow the address before the current one")
        session.execute(
            update(address_history)
            .where(address_history.c.id == before.id)
            .values(moved_out=moved_in)
        )
    session.execute(
        update(address_history)
        .where(address_history.c.id == current.id)
        .values(moved_in=moved_in, moved_out=moved_out)
    )
    session.execute(
        update(residents)
        .where(residents.c.id == person.id)
        .values(moved_in=moved_in, moved_out=moved_out)
    )


@router.post("/residents/{resident_id}/registration")
def change_registration(
    request: Request, resident_id: int, change: RegistrationChange
) -> dict[str, Any]:
    """Make one registry event happen to a resident (see :class:`RegistrationChange`).

    The residents row (인적 사항, 세대 구성원) and its address history (주소 변동 이력) change
    together, in one transaction. 404: no such resident; 422: the event does not fit the record.
    Answers the resident as ``GET /residents/{id}`` does.
    """
    with request.app.state.db.session() as session:
        person = session.execute(select(residents).where(residents.c.id == resident_id)).first()
        if person is None:
            raise HTTPException(404)
        stays = list(
            session.execute(
                select(address_history)
                .where(address_history.c.resident_id == resident_id)
                .order_by(address_history.c.moved_in, address_history.c.id)
            ).all()
        )
        if not stays:
            raise _refuse("the resident has no address history")
        if change.household_id is not None:
            _join_household(session, person, stays[-1], change)
        else:
            _move(session, person, stays, change)
    return resident(request, resident_id)
