"""A reviewer's decision reaches the robot: an approved question is not asked again, corrections
of the payload are validated, sealed and searchable, and only their field names are recorded."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from civicrpa.core.errors import InputRejected, StateConflict
from civicrpa.queue import queries
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.records import NewItem
from civicrpa.queue.search_keys import find_items
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.corrections import parse_corrections, payload_reviser
from civicrpa.runtime.worker import Worker
from civicrpa.security.models import audit_log
from tests.support.processes import Probe

OLD_ACCOUNT = "110-123-456789"
NEW_ACCOUNT = "333-22-1234567"


def _ask(store: QueueStore, make_worker: Callable[..., Worker], mode: str = "ask") -> int:
    item_id, _ = store.add(
        "probe", NewItem(reference=f"r-{mode}", payload={"mode": mode, "account_no": OLD_ACCOUNT})
    )
    make_worker().run(until_empty=True)
    item = queries.get_item(store.engine, item_id)
    assert item.state is ItemState.NEEDS_REVIEW
    assert item.failure_code == "business.rejected"
    return item_id


def test_an_approved_question_lets_the_robot_go_on(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _ask(store, make_worker)
    Decisions(store.engine, actor="park").approve(item_id, reason="서류 원본 확인")
    make_worker().run(until_empty=True)
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.SUCCESSFUL
    assert item.output == {"approved_by": "park", "corrected": None, "account_no": OLD_ACCOUNT}
    (decision,) = queries.decisions_of(store.engine, item_id)
    assert decision.review_code == "business.rejected"
    assert decision.approved


def test_a_robot_asking_again_after_approval_ends_instead_of_looping(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    # The probe raises AskReview itself, never looking at the decision: before, approval sent
    # the item back to the reviewer for ever.
    item_id = _ask(store, make_worker, mode="review")
    Decisions(store.engine, actor="park").approve(item_id, reason="확인 완료")
    make_worker().run(until_empty=True)
    item = queries.get_item(store.engine, item_id)
    assert item.state is ItemState.BUSINESS_EXCEPTION
    assert item.failure_code == "review.asked_again"
    assert "business.rejected" in (item.failure_message or "")


def test_a_rejected_item_ends_with_the_reviewers_reason(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _ask(store, make_worker)
    Decisions(store.engine, actor="park").reject(item_id, reason="신청 자격 없음")
    item = queries.get_item(store.engine, item_id)
    assert item.state is ItemState.BUSINESS_EXCEPTION
    make_worker().run(until_empty=True)
    assert queries.get_item(store.engine, item_id).state is ItemState.BUSINESS_EXCEPTION


def test_a_correction_reaches_the_robot_sealed_and_searchable_and_only_its_name_is_recorded(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id = _ask(store, make_worker)
    cipher = store.sealer.cipher
    assert find_items(store.engine, "account", OLD_ACCOUNT, cipher) == [item_id]
    decisions = Decisions(store.engine, actor="park", sealer=store.sealer)
    decisions.approve(
        item_id,
        reason="통장 사본과 대조해 계좌를 고침",
        corrections=parse_corrections([f"계좌번호={NEW_ACCOUNT}"], Probe),
        revise=payload_reviser(Probe),
    )
    assert find_items(store.engine, "account", NEW_ACCOUNT, cipher) == [item_id]
    assert find_items(store.engine, "account", OLD_ACCOUNT, cipher) == []
    make_worker().run(until_empty=True)
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.SUCCESSFUL
    assert item.output == {
        "approved_by": "park",
        "corrected": ["account_no"],
        "account_no": NEW_ACCOUNT,
    }
    with store.engine.connect() as conn:
        entry = conn.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "decision.approve")
        ).scalar_one()
    assert entry["corrected"] == ["account_no"]
    assert NEW_ACCOUNT not in str(entry)
    assert OLD_ACCOUNT not in str(entry)
    # The payload is stored sealed: the new account is not readable in the row.
    raw = queries.get_item(store.engine, item_id).payload
    assert raw is None or NEW_ACCOUNT not in str(raw)


@pytest.mark.parametrize(
    ("texts", "code"),
    [
        ([f"계좌번호={OLD_ACCOUNT}"], "queue.correction_unchanged"),
        (["계좌번호=12"], "queue.payload_invalid"),
        (["은행=국민"], "queue.correction_unknown_field"),
        (["900101-1234568"], "queue.correction_malformed"),
    ],
)
def test_a_bad_correction_changes_nothing_and_says_why(
    store: QueueStore, make_worker: Callable[..., Worker], texts: list[str], code: str
) -> None:
    item_id = _ask(store, make_worker)
    decisions = Decisions(store.engine, actor="park", sealer=store.sealer)
    with pytest.raises(InputRejected) as raised:
        decisions.approve(
            item_id,
            reason="계좌 고침",
            corrections=parse_corrections(texts, Probe),
            revise=payload_reviser(Probe),
        )
    assert raised.value.code == code
    assert "1234568" not in raised.value.message_ko
    if code == "queue.payload_invalid":
        assert "계좌번호" in raised.value.message_ko
    item = queries.get_item(store.engine, item_id, sealer=store.sealer)
    assert item.state is ItemState.NEEDS_REVIEW
    assert item.payload is not None
    assert item.payload["account_no"] == OLD_ACCOUNT
    assert queries.decisions_of(store.engine, item_id) == []


def test_corrections_only_come_with_the_approval_of_a_review(
    store: QueueStore, make_worker: Callable[..., Worker]
) -> None:
    item_id, _ = store.add("probe", NewItem(reference="r-new", payload={"mode": "ok"}))
    decisions = Decisions(store.engine, actor="park", sealer=store.sealer)
    with pytest.raises(StateConflict):
        decisions.approve(
            item_id,
            reason="고침",
            corrections={"account_no": NEW_ACCOUNT},
            revise=payload_reviser(Probe),
        )
