"""The resident registry as a sandbox system."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from civicrpa.sandbox.common.app import SystemSpec
from civicrpa.sandbox.common.db import users_table
from civicrpa.sandbox.resident_registry import routes, truth
from civicrpa.sandbox.resident_registry.models import metadata
from civicrpa.sandbox.resident_registry.seed import seed_residents


def _setup(app: FastAPI) -> None:
    # Numbers searched for, by look-up id: kept in memory so they never travel in a URL.
    app.state.lookup_numbers = {}


users_table(metadata)

SPEC = SystemSpec(
    name="resident_registry",
    title_ko="주민등록 조회 시스템",
    templates=Path(__file__).with_name("templates"),
    metadata=metadata,
    routers=(routes.router,),
    truth=truth.router,
    home="/search",
    seed=seed_residents,
    setup=_setup,
)
