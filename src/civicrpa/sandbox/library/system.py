"""The library as a sandbox system."""

from __future__ import annotations

from pathlib import Path

from civicrpa.sandbox.common.app import SystemSpec
from civicrpa.sandbox.common.db import users_table
from civicrpa.sandbox.library import acquisitions, catalogue, loans, members, truth
from civicrpa.sandbox.library.models import metadata
from civicrpa.sandbox.library.seed import seed_library

users_table(metadata)

SPEC = SystemSpec(
    name="library",
    title_ko="시립도서관 업무 시스템",
    templates=Path(__file__).with_name("templates"),
    metadata=metadata,
    routers=(catalogue.router, members.router, loans.router, acquisitions.router),
    truth=truth.router,
    home="/books",
    seed=seed_library,
)
