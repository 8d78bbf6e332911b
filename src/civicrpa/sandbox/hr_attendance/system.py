"""The HR and attendance system as a sandbox system."""

from __future__ import annotations

from pathlib import Path

from civicrpa.sandbox.common.app import SystemSpec
from civicrpa.sandbox.common.db import users_table
from civicrpa.sandbox.hr_attendance import (
    attendance,
    overtime,
    results,
    staff_screens,
    trainings,
    trips,
    truth,
)
from civicrpa.sandbox.hr_attendance.models import metadata
from civicrpa.sandbox.hr_attendance.seed import seed

users_table(metadata)

SPEC = SystemSpec(
    name="hr_attendance",
    title_ko="인사·근태 관리 시스템",
    templates=Path(__file__).with_name("templates"),
    metadata=metadata,
    routers=(
        staff_screens.router,
        overtime.router,
        trips.router,
        trainings.router,
        attendance.router,
        results.router,
    ),
    truth=truth.router,
    home="/staff",
    seed=seed,
)
