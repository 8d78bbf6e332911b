"""A robot on the real database: every way an attempt can end is recorded as it should be."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update

from civicrpa.config import Settings
from civicrpa.queue import queries
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.models import work_items
from civicrpa.queue.records import NewItem, RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.logs import configure_logging, reset_logging
from civicrpa.runtime.worker import Worker
from civicrpa.security.credentials import CredentialStore
from tests.support.processes import FAKE_RRN


def _run_one(store: QueueStore, make_worker: Callable[..., Worker], mode: str) -> int:
    item_id, _ = store.add("probe", NewItem(reference=f"r-{mode}", payload={"mode": mode}))
    make_worker().run(until_empty=True)
    return item_id


def test_success_keeps_output_and_step_timings(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _run_one(store, make_worker, "ok")
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.SUCCESSFUL
    assert item.output == {"attempt": 1, "amount": 1000}
    assert item.finished_at is not None
    assert item.lease_owner is None
    (run,) = queries.runs_of(store.engine, item_id)
    assert run.outcome is RunOutcome.SUCCESSFUL
    assert [s.name for s in run.steps] == ["work", "finish"]
    assert all(s.ok and s.ms >= 0 for s in run.steps)
    assert run.ended_at is not None
    assert run.ended_at >= run.started_at


def test_business_exception_is_not_retried_and_reads_in_korean(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _run_one(store, make_worker, "business")
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.BUSINESS_EXCEPTION
    assert item.failure_kind == "refusal"  # NotEligible: the rules say no (an official confirms)
    assert item.failure_code == "sample.applicant_minor"
    assert item.failure_message == "신청인이 접수일 기준 미성년자(만 19세 미만)입니다."
    assert [r.outcome for r in queries.runs_of(store.engine, item_id)] == [
        RunOutcome.BUSINESS_EXCEPTION
    ]


def test_system_exception_is_retried_then_succeeds(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _run_one(store, make_worker, "flaky")
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.SUCCESSFUL
    assert item.attempts == 2
    assert item.output == {"attempt": 2, "amount": 1000}
    outcomes = [r.outcome for r in queries.runs_of(store.engine, item_id)]
    assert outcomes == [RunOutcome.SYSTEM_EXCEPTION, RunOutcome.SUCCESSFUL]


def test_system_exception_fails_after_the_last_attempt_without_leaking_pii(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _run_one(store, make_worker, "broken")
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.FAILED
    assert item.attempts == 3
    assert item.failure_code == "system.unexpected"
    assert item.failure_message == "예상하지 못한 오류(RuntimeError)가 발생했습니다."
    runs = queries.runs_of(store.engine, item_id)
    assert [r.outcome for r in runs] == [RunOutcome.SYSTEM_EXCEPTION] * 3
    for run in runs:
        assert run.error_detail is not None
        assert "RuntimeError" in run.error_detail
        assert FAKE_RRN not in run.error_detail
        assert "900101-1******" in run.error_detail


def test_output_json_cannot_hold_is_a_system_exception(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _run_one(store, make_worker, "bad_output")
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.FAILED
    assert item.failure_code == "system.output_invalid"
    assert item.output is None
    assert item.attempts == 3


def test_postpone_and_review(store: QueueStore, make_worker: Callable[..., Worker]) -> None:
    postponed = _run_one(store, make_worker, "postpone")
    reviewed = _run_one(store, make_worker, "review")
    item = queries.get_item(store.engine, postponed)
    assert item.state is ItemState.DEFERRED
    assert item.available_at > store.now()
    review = queries.get_item(store.engine, reviewed)
    assert review.state is ItemState.NEEDS_REVIEW
    assert review.failure_message == "업무 규칙에 따라 처리할 수 없습니다."
    # A reviewer approves: the robot processes it again (the probe asks again: still review).
    Decisions(store.engine, actor="park").approve(reviewed, reason="확인 완료")
    assert queries.get_item(store.engine, reviewed).state is ItemState.NEW


def test_invalid_payload_is_a_business_exception_naming_the_field(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _run_one(store, make_worker, "no-such-mode")
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.BUSINESS_EXCEPTION
    assert item.failure_code == "queue.payload_invalid"
    assert item.failure_message == "작업 데이터가 올바르지 않습니다: mode"


def test_artifacts_are_stored_by_hash_under_a_masked_name(
    store: QueueStore, make_worker: Callable[..., Worker], settings: Settings
) -> None:
    first = _run_one(store, make_worker, "attach")
    (artifact,) = queries.artifacts_of(store.engine, first)
    assert FAKE_RRN not in artifact.name
    assert "9001011234568" not in artifact.name.replace("-", "")
    assert artifact.name.endswith(".png")
    stored = settings.artifacts_dir / artifact.sha256[:2] / artifact.sha256
    assert stored.read_bytes() == b"\x89PNG fake image"
    assert artifact.size == len(b"\x89PNG fake image")
    # The same content attached by another item is stored once.
    store.add("probe", NewItem(reference="r-attach-2", payload={"mode": "attach"}))
    make_worker().run(until_empty=True)
    files = [p for p in settings.artifacts_dir.rglob("*") if p.is_file()]
    assert files == [stored]


def test_logs_are_json_and_masked(
    store: QueueStore, make_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "robot.jsonl"
    configure_logging(level="INFO", log_file=log_file)
    try:
        item_id = _run_one(store, make_worker, "pii")
    finally:
        reset_logging()
    text = log_file.read_text(encoding="utf-8")
    assert FAKE_RRN not in text
    assert "010-1234-5678" not in text
    events = [json.loads(line) for line in text.splitlines()]
    pii = next(e for e in events if e["event"] == "probe.pii")
    assert pii["note"] == "applicant 900101-1****** phone 010-****-5678"
    assert pii["item_id"] == item_id
    finished = next(e for e in events if e["event"] == "item.finished")
    assert finished["outcome"] == "successful"
    assert {"worker", "process", "run_id", "attempt", "ms", "timestamp"} <= finished.keys()


def test_a_payload_moved_to_another_item_fails_that_item_not_the_robot(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    store.add("probe", NewItem(reference="A", payload={"mode": "ok"}))
    store.add("probe", NewItem(reference="B", payload={"mode": "ok"}))
    with store.engine.begin() as conn:
        stolen = conn.execute(
            select(work_items.c.payload).where(work_items.c.reference == "A")
        ).scalar_one()
        conn.execute(update(work_items).where(work_items.c.reference == "B").values(payload=stolen))
    make_worker().run(until_empty=True)
    states = {item.reference: item for item in queries.list_items(store.engine, queue="probe")}
    assert states["A"].state is ItemState.SUCCESSFUL
    assert states["B"].state is ItemState.FAILED
    assert states["B"].failure_code == "security.decrypt_failed"


def test_robots_read_credentials_without_logging_the_secret(
    store: QueueStore, make_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    CredentialStore(store.engine, store.sealer.cipher).set(
        "intake", username="robot01", secret="pa55-word!", by="person:admin"
    )
    log_file = tmp_path / "logs" / "robot.jsonl"
    configure_logging(level="INFO", log_file=log_file)
    try:
        item_id = _run_one(store, make_worker, "credential")
    finally:
        reset_logging()
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.output == {"user": "robot01", "secret_length": 10}
    text = log_file.read_text(encoding="utf-8")
    assert "probe.login" in text
    assert "pa55-word!" not in text


def test_a_refusal_by_the_rules_is_told_from_a_request_to_complete(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    since = store.now()
    refused = _run_one(store, make_worker, "business")  # the probe raises NotEligible
    asked = _run_one(store, make_worker, "review")
    assert queries.get_item(store.engine, refused).failure_kind == "refusal"
    summary = queries.summarize(store.engine, "probe", since=since)
    assert summary.business_reasons == ()
    assert [r.code for r in summary.refusal_reasons] == ["sample.applicant_minor"]
    assert [(w.id, w.state) for w in summary.awaiting_decision] == [
        (refused, ItemState.BUSINESS_EXCEPTION),
        (asked, ItemState.NEEDS_REVIEW),
    ]
