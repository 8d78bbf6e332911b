"""What the training rules read: a completion row of a training institute's list (.xlsx).

One row per person and course (``training-records.md``, suggested data shapes), from the
provincial 인재개발원's or the cyber-education centre's export. :class:`CompletionRow` is the row
as exported, fields titled by their Korean column headers (so
:func:`civicrpa.runtime.sheets.read_rows` finds them); :func:`to_completion` checks what a field
type cannot and gives the rules a :class:`Completion`; :func:`check_completion_rows` does this
for a batch, each bad row reported by its number with a Korean reason. Resident numbers are not
needed: people are matched by staff number (and name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from civicrpa.core.findings import CheckedRows, Finding, check_rows, rejected
from civicrpa.processes.training_records.tables import Hours


class CourseKind(StrEnum):
    """The kind of learning a course is."""

    GROUP = "group"  #: 집합교육
    CYBER = "cyber"  #: 사이버교육
    IN_HOUSE = "in_house"  #: 직장교육
    OTHER = "other"  #: 기타


KIND_LABELS: Mapping[str, CourseKind] = {
    "집합교육": CourseKind.GROUP,
    "사이버교육": CourseKind.CYBER,
    "직장교육": CourseKind.IN_HOUSE,
    "기타": CourseKind.OTHER,
    **{member.value: member for member in CourseKind},
}
#: Results a list may give; which of them are registered is the policy's (U: 수료 only).
RESULTS = ("수료", "미수료")


@dataclass(frozen=True, kw_only=True)
class Completion:
    """One checked completion row."""

    staff_no: str
    name: str = field(repr=False)
    department: str
    grade: str
    course_id: str
    course_name: str
    provider: str
    kind: CourseKind
    start_date: date
    #: 수료일: the record's year by default.
    end_date: date
    #: The course's official credited hours (인정 시간); None when the list gives none.
    credited_hours: Decimal | None
    #: ``수료`` or ``미수료``.
    result: str


class CompletionRow(BaseModel):
    """One completion as an institute exports it; titles are the column headers."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    staff_no: str = Field(title="직원번호", min_length=1, max_length=20)
    name: str = Field(title="성명", min_length=1, max_length=50, repr=False)
    department: str = Field(title="부서", default="", max_length=50)
    grade: str = Field(title="직급", default="", max_length=20)
    course_id: str = Field(title="과정코드", min_length=1, max_length=30)
    course_name: str = Field(title="과정명", min_length=1, max_length=200)
    provider: str = Field(title="교육기관", default="", max_length=100)
    kind: str = Field(title="교육 구분", min_length=1, max_length=20)
    start_date: date = Field(title="교육 시작일")
    end_date: date = Field(title="수료일")
    credited_hours: Hours | None = Field(title="인정 시간", default=None)
    result: str = Field(title="이수 결과", min_length=1, max_length=10)


def to_completion(row: CompletionRow) -> Completion:
    """``row`` checked: raises :class:`~civicrpa.core.errors.InputRejected` naming every
    problem (``training.row.*``; ``training.row.problems`` when there are several)."""
    problems: list[Finding] = []
    kind = KIND_LABELS.get(row.kind.strip())
    if kind is None:
        known = ", ".join(label for label in KIND_LABELS if not label.isascii())
        problems.append(Finding(code="training.row.bad_kind", params={"known": known}))
    result = row.result.strip().replace(" ", "")
    if result not in RESULTS:
        problems.append(
            Finding(code="training.row.bad_result", params={"known": ", ".join(RESULTS)})
        )
    if row.end_date < row.start_date:
        problems.append(Finding(code="training.row.end_before_start"))
    if problems or kind is None:
        raise rejected(problems, several="training.row.problems")
    return Completion(
        staff_no=row.staff_no.strip(),
        name=row.name.strip(),
        department=row.department.strip(),
        grade=row.grade.strip(),
        course_id=row.course_id.strip(),
        course_name=row.course_name.strip(),
        provider=row.provider.strip(),
        kind=kind,
        start_date=row.start_date,
        end_date=row.end_date,
        credited_hours=row.credited_hours,
        result=result,
    )


def check_completion_rows(
    rows: Iterable[tuple[int, CompletionRow | Mapping[str, Any]]],
) -> CheckedRows[Completion]:
    """Each numbered row checked on its own: the completions, and every refused row with its
    reason (``training.row.malformed`` names the faulty columns of a row the model refuses)."""
    return check_rows(rows, CompletionRow, to_completion, malformed="training.row.malformed")


__all__ = [
    "KIND_LABELS",
    "RESULTS",
    "Completion",
    "CompletionRow",
    "CourseKind",
    "check_completion_rows",
    "to_completion",
]
