"""The nightly destruction (파기): expired personal data erased, the rest untouched, recorded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from civicrpa.config import Settings, load_settings
from civicrpa.queue import queries
from civicrpa.queue.models import work_items
from civicrpa.queue.records import NewItem
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.registry import load_registry
from civicrpa.runtime.worker import Worker
from civicrpa.security import audit
from civicrpa.security.models import audit_log


def _worker(store: QueueStore, settings: Settings) -> Worker:
    return Worker(
        store=store,
        processes=list(load_registry(settings.process_modules)),
        settings=settings,
        name="night-robot",
        artifacts=ArtifactStore(settings.artifacts_dir),
    )


def test_expired_personal_data_is_destroyed_and_recorded(
    store: QueueStore, settings: Settings, tmp_path: Path
) -> None:
    settings = load_settings(
        **{
            **settings.model_dump(),
            "process_modules": ["tests.support.processes", "civicrpa.processes.retention.process"],
        }
    )
    for reference, mode in (("old-attach", "attach"), ("old-ok", "ok"), ("old-review", "review")):
        store.add("probe", NewItem(reference=reference, payload={"mode": mode, "rrn": "x"}))
    _worker(store, settings).run(until_empty=True)
    with store.engine.begin() as conn:
        conn.execute(
            update(work_items).values(
                finished_at=store.now() - timedelta(days=40),
                updated_at=store.now() - timedelta(days=40),
            )
        )
    store.add("probe", NewItem(reference="recent", payload={"mode": "ok", "rrn": "y"}))
    _worker(store, settings).run(until_empty=True)
    (artifact_file,) = [p for p in settings.artifacts_dir.rglob("*") if p.is_file()]

    store.add("retention", NewItem(reference="retention-2025-10-10", payload={"day": "2025-10-10"}))
    _worker(store, settings).run(until_empty=True)

    by_ref = {
        item.reference: queries.get_item(store.engine, item.id, sealer=store.sealer)
        for item in queries.list_items(store.engine, queue="probe")
    }
    for reference in ("old-attach", "old-ok"):
        item = by_ref[reference]
        assert item.payload == {}
        assert item.output is None
        assert queries.artifacts_of(store.engine, item.id) == []
        assert all(run.error_detail is None for run in queries.runs_of(store.engine, item.id))
    assert not artifact_file.exists()
    assert by_ref["old-review"].state is ItemState.NEEDS_REVIEW
    assert by_ref["old-review"].payload == {"mode": "review", "rrn": "x"}  # still open
    assert by_ref["recent"].payload == {"mode": "ok", "rrn": "y"}  # not yet expired
    with store.engine.connect() as conn:
        destroyed_at = dict(
            conn.execute(select(work_items.c.reference, work_items.c.destroyed_at)).all()
        )
        actions = conn.execute(
            select(audit_log.c.actor, audit_log.c.detail).where(
                audit_log.c.action == "retention.destroy"
            )
        ).all()
    assert destroyed_at["old-ok"] is not None
    assert destroyed_at["recent"] is None
    ((actor, detail),) = actions
    assert actor == "robot:night-robot"
    assert (detail["items"], detail["files"]) == (2, 1)
    run_item = queries.get_item(
        store.engine, store.find("retention", "retention-2025-10-10") or 0, sealer=store.sealer
    )
    assert run_item.state is ItemState.SUCCESSFUL
    assert run_item.output == {"destroyed": {"probe": 2}, "files": 1}
    assert audit.verify(store.engine).intact
