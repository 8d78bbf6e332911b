"""The synthetic city's calendar in the seeds: one day for every system, office hours, generations.

Each system's seed is read back from its own database, as the systems themselves read it.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import DateTime, func, select

from civicrpa.sandbox.common.clock import CITY_DAY, kst_stamp
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.resident_registry.seed import generate_population
from civicrpa.sandbox.server import available_systems, build_app

#: Moments kept as local wall-clock plans, not as stamps of when something was recorded.
_PLANNED = {("trips", "start_at"), ("trips", "end_at")}
#: Given names of grandmothers' generation (Faker ko_KR gave them to newborns).
_OLD_NAMES = {
    "순자",
    "옥자",
    "영자",
    "춘자",
    "경자",
    "명자",
    "정자",
    "숙자",
    "영숙",
    "정숙",
    "옥순",
}


@pytest.mark.parametrize("name", available_systems())
def test_every_seeded_record_was_made_before_the_city_day(tmp_path: Path, name: str) -> None:
    """What happens on the city's day (stamped by its clock) sorts after everything seeded."""
    app = build_app(name, SystemConfig(data_dir=tmp_path, truth_token="t"), seed_size=400)
    day_starts = kst_stamp(CITY_DAY, time(0, 0))  # 00:00 KST as stored: naive UTC
    try:
        with app.state.db.session() as session:
            for table in app.state.spec.metadata.sorted_tables:
                for column in table.columns:
                    if (
                        not isinstance(column.type, DateTime)
                        or (table.name, column.name) in _PLANNED
                    ):
                        continue
                    latest = session.execute(select(func.max(column))).scalar()
                    assert latest is None or latest < day_starts, (table.name, column.name, latest)
    finally:
        app.state.db.dispose()


def test_children_have_names_of_their_generation() -> None:
    residents = generate_population(3000).residents
    young = [r for r in residents if r["birth_date"].year >= 2015]
    old = [r for r in residents if r["birth_date"].year < 1965]
    assert len(young) > 100
    assert not [r["name"] for r in young if r["name"][1:] in _OLD_NAMES]
    # The older generation keeps names like theirs; and the names still vary.
    assert any(r["name"][1:] in _OLD_NAMES for r in old)
    assert len({r["name"][1:] for r in young}) >= 20
