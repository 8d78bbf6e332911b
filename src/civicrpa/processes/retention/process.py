"""The destruction of expired personal data (파기) runs as a process of its own.

A schedule adds one item a night (``retention-2025-10-10``); a robot handles it by destroying,
for every installed process that sets ``retention_days``, the personal data of items settled
longer ago than that (:func:`civicrpa.queue.retention.destroy_expired`). Being a process, it gets
what every process gets: retries, a run record, the audit trail, and a place in ``queue list``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from pydantic import BaseModel, Field

from civicrpa.core.clock import to_kst, utcnow
from civicrpa.queue.records import NewItem
from civicrpa.queue.retention import destroy_expired
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process, ProduceContext
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.schedules import CronRule


class RetentionRun(BaseModel):
    """One night's destruction run."""

    day: date = Field(title="실행일")


def handle(ctx: ItemContext[RetentionRun]) -> dict[str, object]:
    """Destroy what has passed its retention period, process by process."""
    now = utcnow()
    store, settings = ctx.runtime_internals()  # the runtime's own process: it erases queues
    files = ArtifactStore(settings.artifacts_dir)
    destroyed: dict[str, int] = {}
    deleted_files = 0
    for process in load_registry(settings.process_modules, builtins=settings.builtin_processes):
        if process.retention_days is None:
            continue
        with ctx.step(f"destroy_{process.name}"):
            result = destroy_expired(
                store.engine,
                process.queue,
                before=now - timedelta(days=process.retention_days),
                actor=f"robot:{ctx.claim.worker}",
                delete_file=files.delete,
            )
        destroyed[process.name] = result.items
        deleted_files += result.artifact_files
    ctx.log.info("retention.done", items=sum(destroyed.values()), files=deleted_files)
    return {"destroyed": destroyed, "files": deleted_files}


def produce(ctx: ProduceContext) -> Iterator[NewItem]:
    today = to_kst(utcnow()).date()
    yield NewItem(reference=f"retention-{today}", payload={"day": today.isoformat()})


PROCESS = Process(
    name="retention",
    title_ko="보존기간 경과 개인정보 파기",
    payload=RetentionRun,
    handler=handle,
    producer=produce,
    # Every night, holidays included: expired data must not wait for a business day.
    schedules=(("retention_nightly", CronRule(expr="0 2 * * *")),),
)

PROCESSES = [PROCESS]
