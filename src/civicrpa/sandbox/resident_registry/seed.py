"""The resident registry's seed: the synthetic city's people, as the registry holds them.

Who they are (households, births, moves) is :mod:`civicrpa.sandbox.common.population`'s, since
the other systems' seeds draw on the same people; this module writes them into the registry's
tables.
"""

from __future__ import annotations

from sqlalchemy import insert

from civicrpa.sandbox.common.city import CITY_DAY, CITY_SEED
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.population import Population, generate_population
from civicrpa.sandbox.resident_registry.models import address_history, households, residents

#: The city's day under the name the robots' tests and bench import it by.
TODAY = CITY_DAY
#: Residents inserted per statement while seeding.
_CHUNK = 2000


def seed_residents(db: SandboxDatabase, size: int, *, seed: int = CITY_SEED) -> None:
    """Fill the registry with the city's people (:func:`generate_population`)."""
    population = generate_population(size, seed)
    with db.session() as session:
        for table, rows in (
            (households, population.households),
            (residents, population.residents),
            (address_history, population.history),
        ):
            for offset in range(0, len(rows), _CHUNK):
                session.execute(insert(table), rows[offset : offset + _CHUNK])


__all__ = ["TODAY", "Population", "generate_population", "seed_residents"]
