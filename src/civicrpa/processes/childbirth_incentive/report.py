"""The department's beneficiary list (지원대상자 명단), built from the robots' own decisions.

Gwangyang's first RPA task is compiling the 출산장려금·산후조리비용 beneficiary lists. Here the
list is read back from the work queue: every application a robot paid gives one line per
instalment of its plan (1st paid; later ones paid, due or stopped as their scheduled items
stand) or one line for a 산후조리비용. Outputs are decrypted in memory; the list carries the
parent's internal key (a keyed hash) and the applicant's name with its middle starred (양*정),
never a resident number or a whole name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from civicrpa.processes.childbirth_incentive.beneficiaries import (
    BeneficiaryRow,
    BeneficiaryStatus,
    PostnatalEntry,
)
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup
from civicrpa.queue import queries
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import ItemState
from civicrpa.security.pii import mask_name_middle

_LIMIT = 1_000_000


def _later_status(state: ItemState | None, code: str | None) -> BeneficiaryStatus:
    if state is ItemState.SUCCESSFUL:
        return BeneficiaryStatus.PAID
    if state is ItemState.BUSINESS_EXCEPTION and code == "childbirth.instalment_stopped":
        return BeneficiaryStatus.STOPPED
    if state in (None, ItemState.NEW, ItemState.RETRIED, ItemState.IN_PROGRESS):
        return BeneficiaryStatus.DUE
    return BeneficiaryStatus.CHECK


def _postnatal(output: dict[str, Any]) -> PostnatalEntry | None:
    care = output.get("postnatal")
    if not care:
        return None
    return PostnatalEntry(
        group=PostnatalGroup(care["group"]),
        centre_in_city=bool(care["centre_in_city"]),
        days_used=int(care["days_used"]),
        amount=int(care["amount"]),
    )


def beneficiary_rows(engine: Engine, sealer: PayloadSealer, queue: str) -> list[BeneficiaryRow]:
    """One line per instalment (or postnatal payment) of every paid application in ``queue``."""
    items = queries.list_items(engine, queue=queue, limit=_LIMIT)
    later = {item.reference: item for item in items if "#" in item.reference}
    rows: list[BeneficiaryRow] = []
    for item in sorted(items, key=lambda i: i.reference):
        if "#" in item.reference or item.state is not ItemState.SUCCESSFUL:
            continue
        opened = queries.get_item(engine, item.id, sealer=sealer)
        output = opened.output or {}
        if output.get("decision") != "paid" or "child_birth_date" not in output:
            continue
        born = date.fromisoformat(output["child_birth_date"])
        common: dict[str, Any] = {
            "case_id": item.reference,
            "applicant_name_masked": mask_name_middle(
                str((opened.payload or {}).get("applicant_name") or "")
            ),
            "child_birth_date": born,
            "birth_order": int(output.get("birth_order") or 1),
            "is_multiple_birth": bool(output.get("multiple_birth")),
            "parent_id_ref": str(output["parent_ref"]),
            "registered_in_city_on_birth": True,
            "moved_out_date": None,
        }
        postnatal = _postnatal(output)
        if postnatal is not None:
            rows.append(
                BeneficiaryRow(
                    **common,
                    still_registered=True,
                    instalment_no=1,
                    instalment_due_year=born.year,
                    amount=0,
                    postnatal=postnatal,
                    status=BeneficiaryStatus.PAID,
                )
            )
            continue
        for number, due_on, amount in output.get("instalments", []):
            if number == 1:
                status = BeneficiaryStatus.PAID
            else:
                scheduled = later.get(f"{item.reference}#{number}")
                status = _later_status(
                    scheduled.state if scheduled else None,
                    scheduled.failure_code if scheduled else None,
                )
            rows.append(
                BeneficiaryRow(
                    **common,
                    still_registered=status is not BeneficiaryStatus.STOPPED,
                    instalment_no=int(number),
                    instalment_due_year=date.fromisoformat(due_on).year,
                    amount=int(amount),
                    status=status,
                )
            )
    return rows


__all__ = ["beneficiary_rows"]
