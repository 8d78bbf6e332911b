"""The robot's side of HR in Chromium: a month's attendance downloaded, a result entered once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

from civicrpa.config import Settings
from civicrpa.runtime.browser import BrowserSession
from civicrpa.sandbox.hr_attendance.seed import SEED_MONTHS
from civicrpa.sandbox.server import RunningSystem
from civicrpa.systems.hr_attendance import HrAttendance, Result, ResultKind
from tests.e2e.sandbox.conftest import truth

pytestmark = pytest.mark.e2e

StartSystem = Callable[..., RunningSystem]


@pytest.fixture
def hr(start_system: StartSystem) -> RunningSystem:
    return start_system("hr_attendance", seed_size=60)


@pytest.fixture
def office(
    hr: RunningSystem,
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
) -> HrAttendance:
    return HrAttendance.on(open_session(robot_settings(hr_attendance=hr)))


def test_a_months_attendance_is_downloaded_with_its_orders(
    hr: RunningSystem, office: HrAttendance
) -> None:
    month = SEED_MONTHS[-1]
    book = openpyxl.load_workbook(io.BytesIO(office.export_attendance(month)), read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    assert header[:2] == ["직원번호", "성명"]
    assert "초과근무 명령 시작" in header
    day = header.index("근무일")
    expected = truth(hr, "/attendance?month=" + month)
    assert isinstance(expected, list)
    assert len(rows) - 1 == len(expected)  # one line a clock record of the month
    assert all(str(row[day]).startswith(month) for row in rows[1:])


def test_a_result_is_entered_once_however_often_the_robot_tries(
    hr: RunningSystem, office: HrAttendance
) -> None:
    staff = truth(hr, "/staff")
    assert isinstance(staff, list)
    person = staff[0]["staff_no"]
    result = Result(
        kind=ResultKind.OVERTIME_PAY,
        staff_no=person,
        month=SEED_MONTHS[-1],
        count=12,
        amount=186_120,
        note="초과근무 산정(RPA)",
    )
    leases: list[int] = []
    assert office.entered(result) is False
    assert office.enter_once(result, ensure_lease=lambda: leases.append(1)) is True
    assert office.entered(result) is True
    assert office.enter_once(result, ensure_lease=lambda: leases.append(1)) is False
    assert leases == [1]  # the lease is checked right before the one entry, not before a no-op
    entered: Any = truth(hr, "/results")
    mine = [r for r in entered["overtime_pay"] if r["staff_no"] == person]
    assert [(r["month"], r["hours"], r["amount"]) for r in mine] == [(SEED_MONTHS[-1], 12, 186_120)]
    # Another month of the same person is another entry.
    other = Result(
        kind=ResultKind.OVERTIME_PAY, staff_no=person, month=SEED_MONTHS[0], count=1, amount=15_510
    )
    assert office.entered(other) is False
