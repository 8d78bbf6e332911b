"""인사·근태 관리 (HR and attendance): clock records, overtime orders, trips, and where robots
enter what they computed.

What a robot does there: download a month's attendance with the day's overtime order beside
each record (:meth:`HrAttendance.export_attendance`), and enter a result once
(:meth:`HrAttendance.enter_once`): 초과근무수당 and 급량비 per person and month, 출장여비 per
trip. HR refuses a second entry of the same person and month (or trip); the robot looks first,
checks its lease, enters, and after a rejected form looks again (the entry may have gone
through before the page failed): never twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from civicrpa.runtime.browser.screen import FormRejected
from civicrpa.runtime.system import System

if TYPE_CHECKING:
    from civicrpa.runtime.browser import BrowserSession, Screen

SYSTEM = System("hr_attendance")


class ResultKind(StrEnum):
    """HR's result entry screens, by their path."""

    OVERTIME_PAY = "overtime-pay"  #: 초과근무수당: person, month, recognised hours, amount
    MEAL_ALLOWANCE = "meal-allowance"  #: 급량비: person, month, meals, amount
    TRAVEL_EXPENSES = "travel-expenses"  #: 출장여비: person, trip, amount


@dataclass(frozen=True, kw_only=True)
class Result:
    """One result to enter. ``month`` for the monthly kinds, ``trip_id`` for travel."""

    kind: ResultKind
    staff_no: str
    amount: int
    month: str | None = None
    trip_id: int | None = None
    #: 인정 시간 (overtime) or 식수 (meals).
    count: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if (self.kind is ResultKind.TRAVEL_EXPENSES) != (self.trip_id is not None):
            raise ValueError("a travel result names its trip; a monthly one does not")
        if self.kind is not ResultKind.TRAVEL_EXPENSES and (
            self.month is None or self.count is None
        ):
            raise ValueError("a monthly result names its month and its count")

    @property
    def key(self) -> dict[str, str]:
        """What makes the entry unique in HR."""
        if self.trip_id is not None:
            return {"staff_no": self.staff_no, "trip_id": str(self.trip_id)}
        assert self.month is not None
        return {"staff_no": self.staff_no, "month": self.month}

    def fields(self) -> dict[str, str]:
        """The entry form's labels and values."""
        values = {"직원번호": self.staff_no, "금액(원)": str(self.amount), "비고": self.note}
        if self.kind is ResultKind.TRAVEL_EXPENSES:
            values["출장번호"] = str(self.trip_id)
        else:
            values["대상 월"] = str(self.month)
            count = "인정 시간" if self.kind is ResultKind.OVERTIME_PAY else "식수"
            values[count] = str(self.count)
        return values


class HrAttendance:
    """HR as a robot works in it, through one screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    @classmethod
    def on(cls, session: BrowserSession) -> HrAttendance:
        """HR's tab of ``session``."""
        return cls(session.screen(SYSTEM.id))

    def export_attendance(self, month: str, *, department: str | None = None) -> bytes:
        """The .xlsx of ``month``'s clock records (``YYYY-MM``), each with its day's order."""
        screen = self.screen

        def run() -> bytes:
            screen.open("/attendance", step="export_attendance")
            values = {"근무 월": month, **({"부서": department} if department else {})}
            screen.fill_form(values, step="export_attendance")
            return screen.download("엑셀 내려받기", step="export_attendance")

        return screen.attempt("export_attendance", run)

    def entered(self, result: Result) -> bool:
        """Whether HR already holds ``result``'s entry (this person's month, or this trip)."""
        screen = self.screen
        query = urlencode(result.key)

        def run() -> bool:
            screen.open(f"/results/{result.kind.value}?{query}", step="find_result")
            rows = screen.tables("입력된 결과", step="find_result", optional=True)["입력된 결과"]
            return isinstance(rows, list) and any(_matches(row, result.key) for row in rows)

        return screen.attempt("find_result", run)

    def enter_once(self, result: Result, *, ensure_lease: Callable[[], None]) -> bool:
        """Enter ``result`` unless HR holds it; True when this call entered it."""
        if self.entered(result):
            return False
        ensure_lease()  # nobody else may have taken the item over right before entering
        screen = self.screen

        def run() -> None:
            screen.open(f"/results/{result.kind.value}", step="enter_result")
            screen.fill_form(result.fields(), step="enter_result")
            screen.submit("저장", step="enter_result")

        try:
            screen.attempt("enter_result", run)
        except FormRejected:
            if self.entered(result):  # entered by a step that was retried
                return True
            raise
        return True


def _matches(row: Mapping[str, str], key: Mapping[str, str]) -> bool:
    labels = {"staff_no": "직원번호", "month": "대상 월", "trip_id": "출장번호"}
    return all(row.get(labels[name], "").strip() == value for name, value in key.items())


__all__ = ["SYSTEM", "HrAttendance", "Result", "ResultKind"]
