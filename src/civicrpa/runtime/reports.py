"""Reports: the files a department receives, built from what the robots did.

A process declares its reports (``Process.reports``); each builds bytes from a
:class:`ReportContext`: the queue's items as :class:`ItemResult` (payload and output decrypted in
memory, a state, the reason code), the process's settings and the day. A report reads only what
its process's items say (their payloads and outputs), never the queue's tables or references.
The command line (``civicrpa report``, ``civicrpa demo``) and the console write the file and
record who read the personal data in it and why.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from civicrpa.config import Settings
from civicrpa.core.clock import to_kst, utcnow
from civicrpa.queue import queries
from civicrpa.queue.records import ItemView
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.context import process_today
from civicrpa.runtime.settings import load_process_settings

if TYPE_CHECKING:
    from civicrpa.runtime.process import Process

S = TypeVar("S")
#: Items read per query.
_PAGE = 5_000


@dataclass(frozen=True, kw_only=True)
class ItemResult:
    """One item as a report reads it."""

    id: int
    reference: str
    state: ItemState
    #: The code of its business exception or refusal (``childbirth.instalment_stopped``).
    failure_code: str | None
    payload: dict[str, Any] = field(repr=False)
    #: What the handler returned (``{}`` until it finished).
    output: dict[str, Any] = field(repr=False)
    finished_at: datetime | None


class Results:
    """The items of one queue, for reports."""

    def __init__(self, store: QueueStore, queue: str) -> None:
        self._store = store
        self.queue = queue

    def items(self, *, states: Sequence[ItemState] = ()) -> Iterator[ItemResult]:
        """Every item (of ``states``), oldest first, decrypted."""
        offset = 0
        pages: list[list[ItemResult]] = []
        while True:
            views = queries.list_items(
                self._store.engine,
                queue=self.queue,
                states=states,
                limit=_PAGE,
                offset=offset,
                sealer=self._store.sealer,
            )
            pages.append([_result(view) for view in views])
            if len(views) < _PAGE:
                break
            offset += _PAGE
        for page in reversed(pages):  # listed newest first
            yield from reversed(page)


def _result(view: ItemView) -> ItemResult:
    return ItemResult(
        id=view.id,
        reference=view.reference,
        state=view.state,
        failure_code=view.failure_code,
        payload=view.payload or {},
        output=view.output or {},
        finished_at=view.finished_at,
    )


@dataclass(frozen=True, kw_only=True)
class ReportContext(Generic[S]):
    """What a report's builder gets."""

    results: Results
    #: The process's own settings.
    settings: S
    #: The day the report is made for (기준일).
    today: date


def make_report(
    process: Process[Any], name: str, *, store: QueueStore, settings: Settings
) -> tuple[str, bytes]:
    """Build ``process``'s report ``name``: its file name (title, day, suffix) and bytes."""
    report = process.report(name)
    today = process_today(settings)
    context = ReportContext(
        results=Results(store, process.queue),
        settings=load_process_settings(process, settings),
        today=today,
    )
    stamp = to_kst(utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"{report.title_ko.replace(' ', '')}_{stamp}{report.suffix}", report.build(context)


__all__ = ["ItemResult", "ReportContext", "Results", "make_report"]
