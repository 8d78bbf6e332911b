"""The synthetic city: one day and one population that every system's seed draws on."""

from __future__ import annotations

from civicrpa.sandbox.common import clock
from civicrpa.sandbox.common.city import CITY_DAY, CITY_NAME, CITY_SEED, DISTRICTS
from civicrpa.sandbox.common.population import generate_population
from civicrpa.sandbox.common.synthetic import is_fictional
from civicrpa.sandbox.resident_registry import seed as registry_seed


def test_the_clock_and_the_registry_stand_on_the_city_day() -> None:
    assert clock.CITY_DAY is CITY_DAY
    assert clock.city_today() == CITY_DAY
    # The robots' tests and bench still import the day by the registry seed's name.
    assert registry_seed.TODAY == CITY_DAY
    assert registry_seed.generate_population is generate_population


def test_the_population_has_the_size_asked_for_and_is_the_same_every_time() -> None:
    first = generate_population(250, CITY_SEED)
    generate_population.cache_clear()
    again = generate_population(250, CITY_SEED)
    assert len(first.residents) == 250
    assert [r["id"] for r in first.residents] == list(range(1, 251))
    assert first == again
    assert generate_population(250, CITY_SEED + 1).residents != first.residents


def test_the_city_people_live_in_the_city_and_were_born_before_its_day() -> None:
    population = generate_population(300)
    homes = {h["id"]: h["address"] for h in population.households}
    for person in population.residents:
        assert person["birth_date"] <= CITY_DAY
        assert person["moved_in"] <= CITY_DAY
        assert is_fictional(person["rrn"])
        # Everyone's current address is the household's, in one of the city's districts.
        assert person["address"] == homes[person["household_id"]]
        district = person["address"].removeprefix(f"{CITY_NAME} ").split()[0]
        assert district in DISTRICTS
    assert len({p["rrn"] for p in population.residents}) == len(population.residents)
