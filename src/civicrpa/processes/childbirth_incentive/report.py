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
from typing import TYPE_CHECKING, Any

from civicrpa.processes.childbirth_incentive.beneficiaries import (
    BeneficiaryRow,
    BeneficiaryStatus,
    PostnatalEntry,
    beneficiary_list_workbook,
)
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup
from civicrpa.queue.states import ItemState
from civicrpa.runtime.reports import ItemResult, ReportContext
from civicrpa.security.pii import mask_name_middle

if TYPE_CHECKING:
    from civicrpa.processes.childbirth_incentive.settings import ChildbirthSettings


def _later_status(item: ItemResult | None) -> BeneficiaryStatus:
    state = item.state if item else None
    if state is ItemState.SUCCESSFUL:
        return BeneficiaryStatus.PAID
    if (
        state is ItemState.BUSINESS_EXCEPTION
        and item is not None
        and item.failure_code == "childbirth.instalment_stopped"
    ):
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


def _instalment(item: ItemResult) -> tuple[str, int]:
    """(application number, instalment number) of an item, from its payload."""
    return str(item.payload.get("application_no", "")), int(item.payload.get("instalment_no") or 1)


def beneficiary_rows(context: ReportContext[Any]) -> list[BeneficiaryRow]:
    """One line per instalment (or postnatal payment) of every paid application."""
    items = list(context.results.items())
    later = {_instalment(item): item for item in items if _instalment(item)[1] > 1}
    rows: list[BeneficiaryRow] = []
    firsts = [item for item in items if _instalment(item)[1] == 1]
    for item in sorted(firsts, key=lambda i: _instalment(i)[0]):
        output = item.output
        if item.state is not ItemState.SUCCESSFUL or output.get("decision") != "paid":
            continue
        if "child_birth_date" not in output:
            continue
        number_of_case = _instalment(item)[0]
        born = date.fromisoformat(output["child_birth_date"])
        common: dict[str, Any] = {
            "case_id": number_of_case,
            "applicant_name_masked": mask_name_middle(
                str(item.payload.get("applicant_name") or "")
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
            status = (
                BeneficiaryStatus.PAID
                if number == 1
                else _later_status(later.get((number_of_case, int(number))))
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


def beneficiary_list(context: ReportContext[ChildbirthSettings]) -> bytes:
    """The department's 지원대상자 명단 (.xlsx): title row, 기준일, 작성 부서, one line per
    instalment."""
    return beneficiary_list_workbook(
        beneficiary_rows(context), base_date=context.today, department=context.settings.department
    )


__all__ = ["beneficiary_list", "beneficiary_rows"]
