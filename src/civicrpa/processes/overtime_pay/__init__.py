"""초과근무수당 (overtime pay; Jangheung's 초과근무 산정, Suncheon's 초과근무수당): pure rules.

Regulation: 「지방공무원 수당 등에 관한 규정」 Art. 15 and the yearly MOIS 지침 (national text where
the local one was not read; ``shared/domain/overtime.md``). The figures are dated tables
(:mod:`.tables`), the city's unverified choices a :class:`Policy` (:mod:`.policy`), the day
and month rules pure functions (:mod:`.rules`, :mod:`.month`), the suspicious-record checks
:mod:`.checks`, and the attendance export's row :mod:`.inputs`. The robot's steps and its
wiring come beside them.
"""

from __future__ import annotations

from civicrpa.processes.overtime_pay import messages  # noqa: F401 - its texts, merged on import
from civicrpa.processes.overtime_pay.checks import (
    Absence,
    AbsenceKind,
    check_month,
    clock_outs_without_order,
    day_type_mismatches,
    on_leave_or_trip,
    orders_without_record,
    past_caps,
    repeated_times,
)
from civicrpa.processes.overtime_pay.inputs import (
    AttendanceRow,
    DayRecord,
    DayType,
    Span,
    check_attendance_rows,
    to_day_record,
)
from civicrpa.processes.overtime_pay.month import (
    DayLine,
    DayTypes,
    MonthCalculator,
    MonthResult,
    PersonMonth,
    group_months,
    month_result,
)
from civicrpa.processes.overtime_pay.policy import (
    MinuteSumming,
    Policy,
    RateDay,
    Recognition,
    load_tables,
    tables_from_data,
)
from civicrpa.processes.overtime_pay.rules import (
    DayCalendar,
    DayCounter,
    MonthHours,
    UnitPrice,
    amount,
    claimed_minutes,
    day_counter,
    day_type,
    hourly_rate,
    month_hours,
    normal_hours,
    outside_hours,
    recognised_minutes,
    unit_price,
)
from civicrpa.processes.overtime_pay.tables import (
    DEFAULT_TABLES,
    REGULATION,
    GradePay,
    GradePercent,
    PayRow,
    RateFormulaRow,
    Tables,
    WorkingDayRow,
)

__all__ = [
    "DEFAULT_TABLES",
    "REGULATION",
    "Absence",
    "AbsenceKind",
    "AttendanceRow",
    "DayCalendar",
    "DayCounter",
    "DayLine",
    "DayRecord",
    "DayType",
    "DayTypes",
    "GradePay",
    "GradePercent",
    "MinuteSumming",
    "MonthCalculator",
    "MonthHours",
    "MonthResult",
    "PayRow",
    "PersonMonth",
    "Policy",
    "RateDay",
    "RateFormulaRow",
    "Recognition",
    "Span",
    "Tables",
    "UnitPrice",
    "WorkingDayRow",
    "amount",
    "check_attendance_rows",
    "check_month",
    "claimed_minutes",
    "clock_outs_without_order",
    "day_counter",
    "day_type",
    "day_type_mismatches",
    "group_months",
    "hourly_rate",
    "load_tables",
    "month_hours",
    "month_result",
    "normal_hours",
    "on_leave_or_trip",
    "orders_without_record",
    "outside_hours",
    "past_caps",
    "recognised_minutes",
    "repeated_times",
    "tables_from_data",
    "to_day_record",
    "unit_price",
]
