"""Findings: what a rule noticed that a person must confirm, and rows refused by reason.

A rule that meets a suspicious record (a clock-out without an order, the same times on many
days, a meal on a trip day) must not correct it quietly: the department confirms or fixes it.
Such a rule returns :class:`Finding` values, a catalogue code with its parameters, and the
process decides what becomes of them (usually a business exception for review). Parameters are
figures, dates and the person's own staff number, never another person's data.

A batch of input rows is checked row by row: :class:`RowRejection` names the row (as people
count, from 1, or the spreadsheet's own number) and the reason; :class:`CheckedRows` holds the
good records beside the refused rows, so one bad row never stops the others (STYLE.md §4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from civicrpa.core.errors import InputRejected
from civicrpa.core.messages import render

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, kw_only=True)
class Finding:
    """Something a rule noticed and a person must confirm: a code and its parameters."""

    #: A catalogue code (``overtime.finding.repeated_times``).
    code: str
    #: What fills the Korean template; figures and dates only.
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message_ko(self) -> str:
        """The Korean sentence a civil servant reads."""
        return render(self.code, self.params)

    def __repr__(self) -> str:
        return f"Finding({self.code!r})"


@dataclass(frozen=True, kw_only=True)
class RowRejection:
    """Why one input row was refused; never holds the row's values."""

    #: The row's number as its source counts (a spreadsheet's row, or 1 for the first).
    row: int
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message_ko(self) -> str:
        """The Korean reason, prefixed by nothing: the caller shows the row beside it."""
        return render(self.code, self.params)

    def __repr__(self) -> str:
        return f"RowRejection(row={self.row}, code={self.code!r})"


@dataclass(frozen=True, kw_only=True)
class CheckedRows(Generic[T]):
    """The good records of a batch (with their row numbers) and the refused rows."""

    records: tuple[tuple[int, T], ...] = ()
    rejected: tuple[RowRejection, ...] = ()

    @property
    def bad_rows(self) -> list[int]:
        """The numbers of the refused rows, in order."""
        return sorted({rejection.row for rejection in self.rejected})


def rejected(problems: Sequence[Finding], *, several: str) -> InputRejected:
    """One :class:`InputRejected` for a row's ``problems`` (at least one): the problem's own
    code when there is one, else ``several`` with every reason joined by semicolons, their
    full stops dropped (``{reasons}``), and their number (``{count}``)."""
    if len(problems) == 1:
        return InputRejected(problems[0].code, problems[0].params)
    reasons = "; ".join(problem.message_ko.rstrip(".") for problem in problems)
    return InputRejected(several, {"reasons": reasons, "count": len(problems)})


def invalid_fields(model: type[BaseModel], exc: ValidationError) -> str:
    """The Korean titles of the fields ``exc`` found faulty, in the model's order, joined.

    Only the titles: pydantic's own messages quote the value, which may be personal.
    """
    faulty = {str(error["loc"][0]) for error in exc.errors(include_input=False) if error["loc"]}
    titles = [
        info.title or name
        for name, info in model.model_fields.items()
        if name in faulty or (info.alias is not None and info.alias in faulty)
    ]
    return ", ".join(titles) or "-"


def check_rows(
    rows: Iterable[tuple[int, BaseModel | Mapping[str, Any]]],
    model: type[M],
    check: Callable[[M], T],
    *,
    malformed: str,
) -> CheckedRows[T]:
    """Each numbered row validated as ``model`` and turned into a record by ``check``.

    A row ``model`` refuses is rejected with ``malformed`` (``{fields}``: the faulty fields'
    titles); one ``check`` refuses keeps the code of its :class:`InputRejected`. The others
    become records, in order.
    """
    records: list[tuple[int, T]] = []
    refused: list[RowRejection] = []
    for number, raw in rows:
        try:
            row = raw if isinstance(raw, model) else model.model_validate(raw)
            records.append((number, check(row)))
        except ValidationError as exc:
            params = {"fields": invalid_fields(model, exc)}
            refused.append(RowRejection(row=number, code=malformed, params=params))
        except InputRejected as exc:
            refused.append(RowRejection(row=number, code=exc.code, params=exc.params))
    return CheckedRows(records=tuple(records), rejected=tuple(refused))


__all__ = [
    "CheckedRows",
    "Finding",
    "RowRejection",
    "check_rows",
    "invalid_fields",
    "rejected",
]
