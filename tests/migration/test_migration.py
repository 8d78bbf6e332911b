"""``alembic upgrade head`` builds exactly the tables the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from civicrpa.db import migrate
from civicrpa.db.registry import metadata


# The claim index orders by "priority DESC", an expression Alembic cannot compare; it is
# checked by name below instead.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
def test_upgrade_head_matches_the_models(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": migrate.include_object}
            ),
            metadata(),
        )
    assert diff == []
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("work_items")}
    assert {"ix_work_items_claim", "ix_work_items_lease", "ix_work_items_queue_state"} <= indexes


def test_upgrade_is_idempotent(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
