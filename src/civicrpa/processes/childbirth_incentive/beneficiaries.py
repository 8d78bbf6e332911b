"""The beneficiary list (지원대상자 명단) the robot compiles for the department, as an .xlsx.

Gwangyang's robot "출산장려금·산후조리비용 지원대상 자료 정리" (V2, press release of its RPA
programme) hands the department one line per instalment of each child, with the postnatal-care
payment beside it, and a summary sheet (요약) of totals by status and by birth order.

It opens as a department sends it: a title, then the reference date (기준일) and the department
that compiled it (작성 부서), then the table. The file leaves the robot (mail, shared drives), so
it names the applicant only with the middle of the name starred (양*정: an official can match it to
the case file) and the parent by an internal key, never a resident number. The workbook is made
by the platform's one writer (:mod:`civicrpa.core.workbook`): no cell can run as a formula (a
text starting with = + - @ is stored as text with Excel's hidden quote prefix), the header is
bold and frozen, the columns fitted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from civicrpa.core.errors import InputRejected
from civicrpa.core.messages import render
from civicrpa.core.workbook import DATE, MONEY, Column, Sheet, Table, workbook_bytes
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup


class BeneficiaryStatus(StrEnum):
    """State of one line of the list."""

    #: 지급 예정: the instalment is due.
    DUE = "due"
    #: 지급 완료.
    PAID = "paid"
    #: 지급 중지: the family left the city, remaining instalments stop.
    STOPPED = "stopped"
    #: 확인 필요: a person must look at the case.
    CHECK = "check"


@dataclass(frozen=True, kw_only=True)
class PostnatalEntry:
    """The 산후조리비용 of a case."""

    group: PostnatalGroup
    centre_in_city: bool
    days_used: int
    amount: int  #: won


#: A resident registration number, with or without its dash.
_RESIDENT_NUMBER = re.compile(r"(?<![0-9])[0-9]{6}-?[0-9]{7}(?![0-9])")


@dataclass(frozen=True, kw_only=True)
class BeneficiaryRow:
    """One instalment of one child (shape: ``shared/domain/childbirth-incentive.md``)."""

    case_id: str
    #: The applicant's name with its middle starred (양*정), never the whole name.
    applicant_name_masked: str = ""
    child_birth_date: date
    birth_order: int
    is_multiple_birth: bool
    #: Internal key of the parent, never a resident number (refused if it looks like one).
    parent_id_ref: str
    registered_in_city_on_birth: bool
    still_registered: bool
    moved_out_date: date | None
    instalment_no: int
    instalment_due_year: int
    amount: int  #: won
    postnatal: PostnatalEntry | None = None
    status: BeneficiaryStatus

    def __post_init__(self) -> None:
        if _RESIDENT_NUMBER.search(self.parent_id_ref):
            raise InputRejected("childbirth.list.parent_ref_is_rrn", field="parent_id_ref")


#: What a cell of the list holds (booleans are written as 예/아니오).
_Value = str | int | date | None
#: Column title codes and number formats (dates and money; widths are fitted).
_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("childbirth.list.col.case_id", None),
    ("childbirth.list.col.applicant", None),
    ("childbirth.list.col.child_birth_date", DATE),
    ("childbirth.list.col.birth_order", None),
    ("childbirth.list.col.is_multiple_birth", None),
    ("childbirth.list.col.parent_id_ref", None),
    ("childbirth.list.col.registered_in_city_on_birth", None),
    ("childbirth.list.col.still_registered", None),
    ("childbirth.list.col.moved_out_date", DATE),
    ("childbirth.list.col.instalment_no", None),
    ("childbirth.list.col.instalment_due_year", None),
    ("childbirth.list.col.amount", MONEY),
    ("childbirth.list.col.postnatal_group", None),
    ("childbirth.list.col.postnatal_centre_in_city", None),
    ("childbirth.list.col.postnatal_days_used", None),
    ("childbirth.list.col.postnatal_amount", MONEY),
    ("childbirth.list.col.status", None),
)


def _yes_no(value: bool) -> str:
    return render("childbirth.list.yes" if value else "childbirth.list.no")


def _line(row: BeneficiaryRow) -> list[_Value]:
    postnatal = row.postnatal
    return [
        row.case_id,
        row.applicant_name_masked,
        row.child_birth_date,
        row.birth_order,
        _yes_no(row.is_multiple_birth),
        row.parent_id_ref,
        _yes_no(row.registered_in_city_on_birth),
        _yes_no(row.still_registered),
        row.moved_out_date,
        row.instalment_no,
        row.instalment_due_year,
        row.amount,
        None if postnatal is None else render(f"childbirth.group.{postnatal.group.value}"),
        None if postnatal is None else _yes_no(postnatal.centre_in_city),
        None if postnatal is None else postnatal.days_used,
        None if postnatal is None else postnatal.amount,
        render(f"childbirth.status.{row.status.value}"),
    ]


#: The table's header row: under the title and the 기준일 · 작성 부서 line, after a blank line.
HEADER_ROW = 4


def beneficiary_list_workbook(
    rows: Iterable[BeneficiaryRow], *, base_date: date, department: str
) -> bytes:
    """The .xlsx bytes of the beneficiary list: sheet 지원대상자 명단, then 요약.

    ``base_date`` is the day the list stands on (기준일), ``department`` who compiled it.
    """
    lines = list(rows)
    heading = {"date": base_date.isoformat(), "department": department}
    listing = Sheet(
        name=render("childbirth.list.sheet"),
        heading=[render("childbirth.list.title"), render("childbirth.list.heading", heading)],
        tables=[
            Table(
                columns=[Column(title=render(code), number_format=fmt) for code, fmt in _COLUMNS],
                rows=[_line(row) for row in lines],
            )
        ],
    )
    return workbook_bytes([listing, _summary(lines)])


def _postnatal_once(lines: Sequence[BeneficiaryRow]) -> list[int]:
    # A case's 산후조리비용 is paid once: it counts on the first of its lines that carries it.
    counted: set[str] = set()
    amounts = []
    for line in lines:
        if line.postnatal is not None and line.case_id not in counted:
            counted.add(line.case_id)
            amounts.append(line.postnatal.amount)
        else:
            amounts.append(0)
    return amounts


def _tally(
    lines: Sequence[BeneficiaryRow],
    labels: Sequence[str],
    label_of: Callable[[BeneficiaryRow], str],
) -> list[list[_Value]]:
    """Per label: lines, 출산장려금 and 산후조리비용, then a total line."""
    totals = {label: [0, 0, 0] for label in labels}
    for line, postnatal in zip(lines, _postnatal_once(lines), strict=True):
        counts = totals[label_of(line)]
        counts[0] += 1
        counts[1] += line.amount
        counts[2] += postnatal
    table: list[list[_Value]] = [[render(label), *counts] for label, counts in totals.items()]
    grand = [sum(counts[i] for counts in totals.values()) for i in range(3)]
    table.append([render("childbirth.list.total"), *grand])
    return table


def _order_label(line: BeneficiaryRow) -> str:
    return "childbirth.list.order_" + ("4plus" if line.birth_order >= 4 else str(line.birth_order))


def _summary(lines: Sequence[BeneficiaryRow]) -> Sheet:
    statuses = [f"childbirth.status.{status.value}" for status in BeneficiaryStatus]
    orders = [f"childbirth.list.order_{key}" for key in ("1", "2", "3", "4plus")]
    blocks = (
        (
            "childbirth.list.summary_by_status",
            "childbirth.list.col.status",
            statuses,
            lambda line: f"childbirth.status.{line.status.value}",
        ),
        (
            "childbirth.list.summary_by_order",
            "childbirth.list.col.birth_order",
            orders,
            _order_label,
        ),
    )
    tables = [
        Table(
            title=render(title),
            columns=[
                Column(title=render(first)),
                Column(title=render("childbirth.list.lines")),
                Column(title=render("childbirth.list.col.amount"), number_format=MONEY),
                Column(title=render("childbirth.list.col.postnatal_amount"), number_format=MONEY),
            ],
            rows=_tally(lines, labels, label_of),
        )
        for title, first, labels, label_of in blocks
    ]
    return Sheet(
        name=render("childbirth.list.summary_sheet"),
        tables=tables,
        freeze_header=False,
        auto_filter=False,
    )


__all__ = [
    "HEADER_ROW",
    "BeneficiaryRow",
    "BeneficiaryStatus",
    "PostnatalEntry",
    "beneficiary_list_workbook",
]
