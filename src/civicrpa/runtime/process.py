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

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from civicrpa.queue.records import NewItem
from civicrpa.queue.retry import RetryPolicy

if TYPE_CHECKING:
    from civicrpa.config import Settings
    from civicrpa.runtime.context import ItemContext
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
    #: Opened once per robot and shared by its items (a browser, an HTTP client).
    session: Callable[[Settings], AbstractContextManager[Any]] | None = None
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
    #: The municipal systems the robot logs in to (ids of :mod:`civicrpa.systems`): each needs
    #: an address and a stored log-in, checked before the first item
    #: (:mod:`civicrpa.runtime.preflight`).
    systems: tuple[str, ...] = ()
    #: Checks the process's own settings once, before the first item (a tables file that does
    #: not parse); raises a :class:`~civicrpa.core.errors.CivicRpaError` naming the place.
    check: Callable[[Settings], None] | None = None

    def __post_init__(self) -> None:
        if not self.queue:
            object.__setattr__(self, "queue", self.name)
        if self.lease < timedelta(seconds=1):
            raise ValueError("lease must be at least one second")


__all__ = ["Output", "Process", "ProduceContext"]
