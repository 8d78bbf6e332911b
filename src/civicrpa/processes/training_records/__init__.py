"""교육훈련 실적 등록 (training records; Suncheon's registration, 상시학습 reminders): pure rules.

Legal basis: 「지방공무원 교육훈련법」 (now 인재개발법) and the city's 상시학습 운영계획 (V2; the
hours and the registration rules U; ``shared/domain/training-records.md``). The yearly targets
are a dated table by grade (:mod:`.tables`), the city's unverified choices a :class:`Policy`
(:mod:`.policy`), the institutes' completion row :mod:`.inputs`, matching, registration and
crediting pure functions (:mod:`.rules`), the yearly shortfall and reminders (:mod:`.shortfall`). The robot's steps and its wiring come
beside them.
"""

from __future__ import annotations

from civicrpa.processes.training_records import messages  # noqa: F401 - its texts, merged on import
from civicrpa.processes.training_records.inputs import (
    KIND_LABELS,
    RESULTS,
    Completion,
    CompletionRow,
    CourseKind,
    check_completion_rows,
    to_completion,
)
from civicrpa.processes.training_records.policy import (
    CreditDay,
    Policy,
    load_tables,
    tables_from_data,
)
from civicrpa.processes.training_records.rules import (
    Credit,
    Registration,
    RegistrationKey,
    StaffEntry,
    Status,
    credit_year,
    credited_hours,
    credits_of,
    format_hours,
    match_staff,
    plan_registrations,
    register,
    registration_key,
)
from civicrpa.processes.training_records.shortfall import (
    Reminder,
    YearSummary,
    reminders,
    yearly_summary,
)
from civicrpa.processes.training_records.tables import (
    DEFAULT_TABLES,
    REGULATION,
    GradeTarget,
    Tables,
    TargetRow,
)

__all__ = [
    "DEFAULT_TABLES",
    "KIND_LABELS",
    "REGULATION",
    "RESULTS",
    "Completion",
    "CompletionRow",
    "CourseKind",
    "Credit",
    "CreditDay",
    "GradeTarget",
    "Policy",
    "Registration",
    "RegistrationKey",
    "Reminder",
    "StaffEntry",
    "Status",
    "Tables",
    "TargetRow",
    "YearSummary",
    "check_completion_rows",
    "credit_year",
    "credited_hours",
    "credits_of",
    "format_hours",
    "load_tables",
    "match_staff",
    "plan_registrations",
    "register",
    "registration_key",
    "reminders",
    "tables_from_data",
    "to_completion",
    "yearly_summary",
]
