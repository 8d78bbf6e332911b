"""Gwangyang's 출산장려금 (childbirth incentive) and 산후조리비용 (postnatal care): pure rules.

Regulation: 「광양시 출산장려 및 양육 지원에 관한 조례」 (amounts V2, article numbers U). The
amount tables are dated (:mod:`.tables`), the city's unverified choices are a :class:`Policy`
(:mod:`.policy`), the rules are pure functions (:mod:`.rules`) and the department's list is an
.xlsx (:mod:`.beneficiaries`). The robot's browser steps and its wiring live beside them.
"""

from __future__ import annotations

from civicrpa.processes.childbirth_incentive import messages  # noqa: F401 - its texts, merged on import
from civicrpa.processes.childbirth_incentive.beneficiaries import (
    BeneficiaryRow,
    BeneficiaryStatus,
    PostnatalEntry,
    beneficiary_list_workbook,
)
from civicrpa.processes.childbirth_incentive.policy import (
    Policy,
    load_tables,
    tables_from_data,
)
from civicrpa.processes.childbirth_incentive.rules import (
    Instalment,
    Plan,
    Registration,
    anniversary,
    birth_order,
    birth_orders,
    check_postnatal_deadline,
    check_postnatal_eligibility,
    check_residency,
    full_months,
    incentive_plan,
    instalment_still_due,
    postnatal_amount,
    postnatal_deadline,
)
from civicrpa.processes.childbirth_incentive.tables import (
    DEFAULT_TABLES,
    ORDINANCE,
    IncentiveRow,
    PostnatalGroup,
    PostnatalRate,
    PostnatalRow,
    Tables,
)

__all__ = [
    "DEFAULT_TABLES",
    "ORDINANCE",
    "BeneficiaryRow",
    "BeneficiaryStatus",
    "IncentiveRow",
    "Instalment",
    "Plan",
    "Policy",
    "PostnatalEntry",
    "PostnatalGroup",
    "PostnatalRate",
    "PostnatalRow",
    "Registration",
    "Tables",
    "anniversary",
    "beneficiary_list_workbook",
    "birth_order",
    "birth_orders",
    "check_postnatal_deadline",
    "check_postnatal_eligibility",
    "check_residency",
    "full_months",
    "incentive_plan",
    "instalment_still_due",
    "load_tables",
    "postnatal_amount",
    "postnatal_deadline",
    "tables_from_data",
]
