"""What a process is: a typed payload, a handler for one work item, and how to retry it.

A city's RPA team writes a process as plain Python::

    class Application(BaseModel):
        application_no: str = Field(title="신청번호")

    def handle(ctx: ItemContext[Application]) -> dict[str, object]:
        with ctx.step("check_registry"):
            ...
        return {"amount": 300_000}

    PROCESS = Process(name="childbirth_incentive", title_ko="출산장려금 지급", payload=Application,
                      handler=handle, reference_field="application_no")

The handler returns output data (a mapping or a pydantic model), or raises a
:class:`~civicrpa.core.errors.BusinessRuleError` (the item is wrong: a person reviews it), a
:class:`~civicrpa.core.errors.SystemFault` or any other exception (retried by ``retry``), or a
signal from :mod:`civicrpa.runtime.signals` (postpone, ask a reviewer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from civicrpa.core.errors import NotFound
from civicrpa.core.messages import Catalogue
from civicrpa.queue.records import NewItem
from civicrpa.queue.retry import RetryPolicy
from civicrpa.runtime.settings import ProcessSettings
from civicrpa.runtime.system import System

if TYPE_CHECKING:
    from civicrpa.config import Settings
    from civicrpa.runtime.context import ItemContext
    from civicrpa.runtime.reports import ReportContext
    from civicrpa.runtime.schedules import ScheduleRule
    from civicrpa.security.credentials import CredentialStore

P = TypeVar("P", bound=BaseModel)

#: What a handler may return as the item's output.
Output = Mapping[str, Any] | BaseModel | None


@dataclass(frozen=True, kw_only=True)
class ProduceContext:
    """What a producer gets: the settings, how many items it may add, the robots' log-ins."""

    settings: Settings
    limit: int | None = None
    #: Encrypted log-ins to the municipal systems, for a producer that reads one.
    credentials: CredentialStore | None = None


@dataclass(frozen=True, kw_only=True)
class Demo:
    """How ``civicrpa demo`` makes this process's items (from a running sandbox, or made up)."""

    #: Yields the demo's items; gets the sandbox's addresses and the robots' log-ins.
    produce: Callable[[ProduceContext], Iterable[NewItem]]
    #: Items made when the person running the demo names no number (``None``: all found).
    items: int | None = None


@dataclass(frozen=True, kw_only=True)
class Summary:
    """What the closing summary of a run says of the items' outputs, besides their states."""

    #: Output field holding the won an item paid (summed and counted), if the process pays.
    amount_field: str | None = None
    #: Its Korean label: the summary says "<label> 합계".
    amount_label_ko: str = "지급액"
    #: What the items that have it are called in the summary.
    count_label_ko: str = "지급 건수"


@dataclass(frozen=True, kw_only=True)
class Report:
    """A file a department receives from the process (the beneficiary list, a pay list)."""

    #: English identifier (``civicrpa report PROCESS NAME``).
    name: str
    #: Its Korean title, also the start of its file name ("지원대상자명단").
    title_ko: str
    #: Builds the file from what the robots did (:class:`~civicrpa.runtime.reports.ReportContext`).
    build: Callable[[ReportContext[Any]], bytes]
    #: File name suffix.
    suffix: str = ".xlsx"


@dataclass(frozen=True, kw_only=True)
class Process(Generic[P]):
    """An administrative process the robots run, one work item at a time."""

    #: English identifier (``docs/glossary.md``), also the default queue name.
    name: str
    #: The name officials see, e.g. "출산장려금 지급".
    title_ko: str
    #: The validated shape of an item's payload.
    payload: type[P]
    #: Handles one item.
    handler: Callable[[ItemContext[P]], Output]
    #: Queue the process reads; defaults to ``name``.
    queue: str = ""
    #: Payload field whose value is the item's reference when importing a spreadsheet.
    reference_field: str | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: How long a robot holds an item without a heartbeat before another may take it.
    lease: timedelta = timedelta(seconds=60)
    #: Finds new work (the dispatcher): yields items for the queue; run by schedules.
    producer: Callable[[ProduceContext], Iterable[NewItem]] | None = None
    #: Opened once per robot and shared by its items (a browser, an HTTP client); gets the
    #: installation's settings and the process's systems.
    session: Callable[[Settings, Sequence[System]], AbstractContextManager[Any]] | None = None
    #: When the producer runs, as ``(schedule name, rule)`` pairs.
    schedules: tuple[tuple[str, ScheduleRule], ...] = ()
    #: Minutes an official spends on one item by hand (a documented assumption, for reports).
    manual_minutes: float | None = None
    #: Days the personal data of a settled item is kept before the nightly destruction (파기)
    #: erases it; ``None`` keeps it until a person decides. Set from the process's regulation.
    retention_days: int | None = None
    #: Whether this item's irreversible effect (a payment) has already happened, asked of the
    #: system of record (finance) with the robot's session. Asked before an item would end
    #: ``failed``: an item whose effect happened is never failed or abandoned, it gets
    #: ``retry.settle_attempts`` more attempts to finish (its handler must then find the
    #: effect and only complete the bookkeeping), then goes to a person.
    effect_check: Callable[[ItemContext[P]], bool] | None = None
    #: The municipal systems the robot logs in to (from :mod:`civicrpa.systems`): each needs
    #: an address and a stored log-in, checked before the first item
    #: (:mod:`civicrpa.runtime.preflight`), and logs in with its own adapter.
    systems: tuple[System, ...] = ()
    #: The process's own settings (``CIVICRPA_<PREFIX>_*``), read and validated once before
    #: the first item; the handler sees them as ``ctx.settings``.
    settings: type[ProcessSettings] = ProcessSettings
    #: Prefix of its message codes and settings; defaults to ``name``.
    prefix: str = ""
    #: Its Korean texts (``processes/<name>/messages.py``), every code under ``prefix``.
    messages: Catalogue | None = None
    #: How ``civicrpa demo`` makes its items; ``None``: the demo leaves it out.
    demo: Demo | None = None
    #: What the closing summary counts and sums.
    summary: Summary = field(default_factory=Summary)
    #: The files its departments receive.
    reports: tuple[Report, ...] = ()

    def __post_init__(self) -> None:
        if not self.queue:
            object.__setattr__(self, "queue", self.name)
        if not self.prefix:
            object.__setattr__(self, "prefix", self.name)
        if self.lease < timedelta(seconds=1):
            raise ValueError("lease must be at least one second")
        # The catalogue merged itself when its module was imported (Catalogue.__post_init__).
        if self.messages is not None and self.messages.prefix != self.prefix:
            raise ValueError(f"messages of {self.name} must use the prefix {self.prefix!r}")

    def report(self, name: str) -> Report:
        """The report called ``name``."""
        for report in self.reports:
            if report.name == name:
                return report
        known = ", ".join(r.name for r in self.reports) or "-"
        raise NotFound(
            "process.unknown_report", {"process": self.title_ko, "name": name, "known": known}
        )


__all__ = ["Demo", "Output", "Process", "ProduceContext", "Report", "Summary"]
