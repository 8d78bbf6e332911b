"""Who lives in the synthetic city: households, births, moves, from which every seed draws.

Families of one to five: a head, often a spouse, children (a share born since 2021, for the
childbirth incentive), each with a move-in date and an address history; a few have moved away.
Given names suit the generation (a baby is 서윤 or 도윤, not 옥자). Numbers are fictional
(see :mod:`civicrpa.sandbox.common.synthetic`). The registry holds these people; the intake's
applicants, finance's account holders and the other seeds are drawn from them, so they come
from here rather than from the registry's package. Deterministic: the same rows for the same
size and seed.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from civicrpa.sandbox.common.city import CITY_DAY, CITY_NAME, CITY_SEED, DISTRICTS, ROADS
from civicrpa.sandbox.common.synthetic import fictional_rrn, given_name, korean_faker


def _address(rng: random.Random) -> str:
    return f"{CITY_NAME} {rng.choice(DISTRICTS)} {rng.choice(ROADS)} {rng.randrange(1, 400)}"


def _birth(rng: random.Random, oldest: int, youngest: int, today: date) -> date:
    years = rng.uniform(youngest, oldest)
    return today - timedelta(days=int(years * 365.25))


@dataclass(frozen=True)
class Population:
    """Rows of the registry's tables, as generated (other systems' seeds draw on them)."""

    households: list[dict[str, Any]]
    residents: list[dict[str, Any]]
    history: list[dict[str, Any]]


@functools.lru_cache(maxsize=4)
def generate_population(size: int, seed: int = CITY_SEED) -> Population:
    """About ``size`` residents in households; the same rows for the same arguments."""
    rng = random.Random(seed)
    fake = korean_faker(seed)
    names = random.Random(f"registry-given-names-{seed}")
    today = CITY_DAY
    people: list[dict[str, Any]] = []
    homes: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    used: set[str] = set()
    household_id = 0
    while len(people) < size:
        household_id += 1
        address = _address(rng)
        homes.append({"id": household_id, "address": address})
        family_moved_in = today - timedelta(days=rng.randrange(30, 365 * 20))
        surname = fake.last_name()
        members: list[tuple[str, date, bool]] = []
        head_birth = _birth(rng, 75, 26, today)
        members.append(("본인", head_birth, rng.random() < 0.5))
        if rng.random() < 0.7:
            members.append(
                (
                    "배우자",
                    head_birth + timedelta(days=rng.randrange(-1500, 1500)),
                    not members[0][2],
                )
            )
        for _ in range(rng.choice((0, 0, 1, 1, 2, 2, 3, 4))):
            recent = rng.random() < 0.35
            child_birth = (
                today - timedelta(days=rng.randrange(30, 4 * 365))
                if recent
                else _birth(rng, 20, 4, today)
            )
            members.append(("자녀", child_birth, rng.random() < 0.5))
        for relation, birth, male in members:
            if len(people) >= size:
                break
            rrn = fictional_rrn(birth, male=male, rng=rng)
            while rrn in used:
                rrn = fictional_rrn(birth, male=male, rng=rng)
            used.add(rrn)
            # Faker still draws its name, so that its stream (surnames, old addresses) and every
            # other row stay as they were; the name itself suits the person's generation.
            fake.first_name_male() if male else fake.first_name_female()
            name = surname + given_name(birth, male=male, rng=names)
            moved_in = max(family_moved_in, birth)
            if relation == "배우자" and rng.random() < 0.1:
                moved_in = today - timedelta(days=rng.randrange(10, 200))  # joined recently
            moved_out = (
                today - timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.03 else None
            )
            resident_id = len(people) + 1
            people.append(
                {
                    "id": resident_id,
                    "name": name[:50],
                    "rrn": rrn,
                    "birth_date": birth,
                    "sex": "M" if male else "F",
                    "household_id": household_id,
                    "relation": relation,
                    "address": address,
                    "moved_in": moved_in,
                    "moved_out": moved_out,
                }
            )
            previous = moved_in
            for _ in range(rng.choice((0, 1, 1, 2))):
                start = previous - timedelta(days=rng.randrange(200, 3000))
                if start <= birth:
                    break
                history.append(
                    {
                        "resident_id": resident_id,
                        "address": fake.address()[:200],
                        "moved_in": start,
                        "moved_out": previous,
                    }
                )
                previous = start
            history.append(
                {
                    "resident_id": resident_id,
                    "address": address,
                    "moved_in": moved_in,
                    "moved_out": moved_out,
                }
            )
    return Population(households=homes, residents=people, history=history)


__all__ = ["Population", "generate_population"]
