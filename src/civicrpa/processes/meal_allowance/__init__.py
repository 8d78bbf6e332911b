"""급량비 (meal allowance, 특근매식비; Suncheon's 급량비 지급): pure rules.

Regulation: 「지방자치단체 회계관리에 관한 훈령」 Art. 13, 별표 2 (세출예산 집행기준) 2-1 사무관리비,
5. 급량비 (V2; ``shared/domain/meal-allowance.md``). The per-meal cap is a dated table
(:mod:`.tables`), the city's unverified choices a :class:`Policy` (:mod:`.policy`), the ledger's
receipt :mod:`.inputs` and the eligibility and payable split pure functions (:mod:`.rules`).
The robot's steps and its wiring come beside them.
"""

from __future__ import annotations

from civicrpa.processes.meal_allowance import messages  # noqa: F401 - its texts, merged on import
from civicrpa.processes.meal_allowance.inputs import (
    MEAL_LABELS,
    Meal,
    Receipt,
    ReceiptRow,
    check_receipt_rows,
    to_receipt,
)
from civicrpa.processes.meal_allowance.policy import Policy, load_tables, tables_from_data
from civicrpa.processes.meal_allowance.rules import (
    DepartmentMonth,
    DinerDay,
    Exclusion,
    IneligibleDiner,
    ReceiptAssessment,
    assess_ledger,
    assess_receipt,
    department_summary,
    diner_reason,
    meals_allowed,
    minutes_of,
    per_meal_cap,
)
from civicrpa.processes.meal_allowance.tables import (
    DEFAULT_TABLES,
    REGULATION,
    MealCapRow,
    Tables,
)

__all__ = [
    "DEFAULT_TABLES",
    "MEAL_LABELS",
    "REGULATION",
    "DepartmentMonth",
    "DinerDay",
    "Exclusion",
    "IneligibleDiner",
    "Meal",
    "MealCapRow",
    "Policy",
    "Receipt",
    "ReceiptAssessment",
    "ReceiptRow",
    "Tables",
    "assess_ledger",
    "assess_receipt",
    "check_receipt_rows",
    "department_summary",
    "diner_reason",
    "load_tables",
    "meals_allowed",
    "minutes_of",
    "per_meal_cap",
    "tables_from_data",
    "to_receipt",
]
