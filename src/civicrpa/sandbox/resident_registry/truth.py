"""Ground truth of the resident registry, for tests only (token required; robots never call it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import func, select

from civicrpa.sandbox.resident_registry.models import address_history, lookups, residents

router = APIRouter()


@router.get("/residents/{resident_id}")
def resident(request: Request, resident_id: int) -> dict[str, Any]:
    with request.app.state.db.session() as session:
        person = session.execute(select(residents).where(residents.c.id == resident_id)).first()
        if person is None:
            raise HTTPException(404)
        history = session.execute(
            select(address_history).where(address_history.c.resident_id == resident_id)
        ).all()
        household = session.execute(
            select(residents.c.id, residents.c.relation, residents.c.birth_date).where(
                residents.c.household_id == person.household_id
            )
        ).all()
    return {
        **{k: str(v) if v is not None else None for k, v in person._asdict().items()},
        "history": [{k: str(v) for k, v in h._asdict().items()} for h in history],
        "household": [
            {"id": m.id, "relation": m.relation, "birth_date": str(m.birth_date)} for m in household
        ],
    }


@router.get("/residents")
def find(request: Request, name: str) -> list[int]:
    with request.app.state.db.session() as session:
        return list(
            session.execute(select(residents.c.id).where(residents.c.name == name)).scalars()
        )


@router.get("/lookups")
def all_lookups(request: Request) -> list[dict[str, Any]]:
    with request.app.state.db.session() as session:
        rows = session.execute(select(lookups).order_by(lookups.c.id)).all()
    return [{k: str(v) for k, v in row._asdict().items()} for row in rows]


@router.get("/stats")
def stats(request: Request) -> dict[str, int]:
    with request.app.state.db.session() as session:
        return {
            "residents": session.execute(select(func.count()).select_from(residents)).scalar_one()
        }
