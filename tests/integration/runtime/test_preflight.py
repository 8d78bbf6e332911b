"""A robot checks a process is configured before its first item, and stops at a configuration
mistake met inside an item instead of failing the whole queue with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicrpa.config import Settings, load_settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.queue import queries
from civicrpa.queue.records import NewItem
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.worker import Worker
from civicrpa.security.credentials import CredentialStore
from tests.support.troubled import MISCONFIGURED, NEEDY


def _worker(store: QueueStore, settings: Settings, process: AnyProcess) -> Worker:
    return Worker(
        store=store,
        processes=[process],
        settings=settings,
        name="robot-1",
        artifacts=ArtifactStore(settings.artifacts_dir),
    )


def _settings(tmp_path: Path, **more: object) -> Settings:
    return load_settings(data_dir=tmp_path / "var", idle_poll_seconds=0.05, **more)


def test_a_system_without_address_or_log_in_stops_the_robot_before_any_item(
    store: QueueStore, tmp_path: Path
) -> None:
    item_id, _ = store.add(NEEDY.queue, NewItem(reference="n-1", payload={}))
    with pytest.raises(ConfigurationError) as refused:
        _worker(store, _settings(tmp_path), NEEDY).run(until_empty=True)
    message = refused.value.message_ko
    assert refused.value.code == "runtime.not_ready"
    assert "'민원 접수' 시스템 주소" in message
    assert "civicrpa credentials set intake" in message
    item = queries.get_item(store.engine, item_id)
    assert (item.state, item.attempts) == (ItemState.NEW, 0)

    # With both set, the same robot works the item.
    CredentialStore(store.engine, store.sealer.cipher).set(
        "intake", username="robot01", secret="s3cret-s3cret", by="person:admin"
    )
    ready = _settings(tmp_path, system_urls={"intake": "http://127.0.0.1:9"})
    _worker(store, ready, NEEDY).run(until_empty=True)
    assert queries.get_item(store.engine, item_id).state is ItemState.SUCCESSFUL


def test_a_configuration_mistake_inside_an_item_stops_the_robot_and_spends_nothing(
    store: QueueStore, tmp_path: Path
) -> None:
    ids = [
        store.add(MISCONFIGURED.queue, NewItem(reference=f"m-{i}", payload={}))[0] for i in range(5)
    ]
    worker = _worker(store, _settings(tmp_path), MISCONFIGURED)
    with pytest.raises(ConfigurationError) as stopped:
        worker.run(until_empty=True)
    assert stopped.value.code == "runtime.config_in_item"
    assert "intake" in stopped.value.message_ko
    items = [queries.get_item(store.engine, i) for i in ids]
    # Before: every item went through its attempts and ended failed, one after the other.
    assert [i.state for i in items] == [ItemState.NEW] * 5
    assert [i.attempts for i in items] == [0] * 5
    assert worker.stats.attempts == 1
