"""The summary of a run on the real databases: what the closing table of ``civicrpa demo`` reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from rich.console import Console

import civicrpa.processes.childbirth_incentive.messages  # noqa: F401 - the codes below are its own
from civicrpa.cli.console_output import summary_table
from civicrpa.core.clock import utcnow
from civicrpa.core.messages import render
from civicrpa.queue import queries
from civicrpa.queue.queries import BusinessReason
from civicrpa.queue.records import Claim, NewItem
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.runner import RunReport

LEASE = timedelta(seconds=30)
Q = "childbirth"


def _process(store: QueueStore, reference: str, finish: Callable[[Claim], object]) -> None:
    store.add(Q, NewItem(reference=reference, payload={}))
    claim = store.claim(Q, process="p", worker="w1", lease=LEASE)
    assert claim is not None
    assert claim.reference == reference
    finish(claim)


def _business(store: QueueStore, reference: str, code: str, **params: object) -> None:
    def fail(claim: Claim) -> None:
        store.fail_business(claim, code=code, message=render(code, params))

    _process(store, reference, fail)


def _short(months: int, actual: int) -> str:
    return render("childbirth.residency_too_short", {"months": months, "actual": actual})


def _a_run(store: QueueStore) -> None:
    """A run's worth of items: business exceptions, payments, a retry, a deferral, later ones."""
    now = utcnow()
    for i, actual in enumerate([2, 3, 4, 5, 3]):
        _business(store, f"short-{i}", "childbirth.residency_too_short", months=6, actual=actual)
    for i, documents in enumerate(["출생증명서", "출생증명서", "통장 사본"]):
        _business(store, f"docs-{i}", "childbirth.documents_missing", documents=documents)
    _business(store, "mismatch", "childbirth.applicant_mismatch")
    for reference, amount in [("paid-1", 1_000_000), ("paid-2", 500_000)]:

        def pay(claim: Claim, amount: int = amount) -> None:
            store.complete(claim, output={"amount": amount})

        _process(store, reference, pay)
    # A system exception retried in half a minute, and an item its robot put off for a month.
    _process(
        store,
        "retry",
        lambda c: store.fail_system(
            c, code="system.fault", message="-", detail=None, retry_at=now + LEASE
        ),
    )
    _process(
        store,
        "defer",
        lambda c: store.defer_claimed(
            c, until=now + timedelta(days=30), code="x", message="서류 도착 전"
        ),
    )
    # Next years' instalments, and one due item no robot took (the run stopped).
    store.add_many(
        Q,
        [
            NewItem(reference=f"later-{n}", payload={}, available_at=now + timedelta(days=365 * n))
            for n in (1, 2, 3)
        ],
    )
    store.add(Q, NewItem(reference="untouched", payload={}))


def test_business_reasons_are_grouped_by_code_and_later_items_counted_apart(
    store: QueueStore,
) -> None:
    # Not part of the run: an earlier run's exception and instalment.
    _business(store, "before", "childbirth.applicant_mismatch")
    store.add(
        Q, NewItem(reference="before-later", payload={}, available_at=utcnow() + timedelta(days=9))
    )
    since = utcnow()
    _a_run(store)
    summary = queries.summarize(
        store.engine,
        Q,
        since=since,
        sum_fields=("amount",),
        sealer=store.sealer,
        horizon=timedelta(minutes=2),
    )
    assert summary.states == Counter(
        {
            ItemState.BUSINESS_EXCEPTION: 9,
            ItemState.SUCCESSFUL: 2,
            ItemState.RETRIED: 1,
            ItemState.NEW: 1,
        }
    )
    assert summary.later == 4
    assert summary.later_in_queue == 5
    assert summary.processed == 12
    assert summary.waiting == 1
    assert summary.business_reasons == (
        BusinessReason(
            code="childbirth.residency_too_short",
            messages=((_short(6, 3), 2), (_short(6, 2), 1), (_short(6, 4), 1), (_short(6, 5), 1)),
        ),
        BusinessReason(
            code="childbirth.documents_missing",
            messages=(
                ("제출 서류가 빠졌습니다: 출생증명서", 2),
                ("제출 서류가 빠졌습니다: 통장 사본", 1),
            ),
        ),
        BusinessReason(
            code="childbirth.applicant_mismatch",
            messages=((render("childbirth.applicant_mismatch"), 1),),
        ),
    )
    assert [reason.count for reason in summary.business_reasons] == [5, 3, 1]
    assert summary.attempts == 13
    assert summary.system_exceptions == 1
    assert summary.output_totals == {"amount": 1_500_000}
    assert summary.output_counts == {"amount": 2}

    # Without a horizon, the retry due in half a minute is not due yet either.
    strict = queries.summarize(store.engine, Q, since=since)
    assert strict.later == 5
    assert strict.later_in_queue == 6
    assert strict.states[ItemState.RETRIED] == 0
    assert strict.processed == 11


def test_the_closing_summary_of_such_a_run(store: QueueStore) -> None:
    since = utcnow()
    _a_run(store)
    summary = queries.summarize(
        store.engine,
        Q,
        since=since,
        sum_fields=("amount",),
        sealer=store.sealer,
        horizon=timedelta(minutes=2),
    )
    console = Console(record=True, width=80)
    console.print(
        summary_table(
            "시연 결과", summary, RunReport(seconds=6.0), manual_minutes=12, amount_field="amount"
        )
    )
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if "│" in line]
    assert cells[:9] == [
        ["처리한 건수", "12"],
        ["완료", "2"],
        ["업무 예외", "9"],
        ["재시도 대기", "1"],
        ["처리하지 못한 대기 건수", "1"],
        ["이후 예정(분할 지급 등)", "4"],
        ["지급 건수", "2"],
        ["지급액 합계", "1,500,000원"],
        ["시스템 예외(시도 기준, 재시도 포함)", "1"],
    ]
    start = lines.index("보완 요청 등 업무 예외 사유")
    reasons = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines[start + 4 : -1]]
    assert reasons == [
        ["5", "전입일로부터 출생일까지 관내 거주기간 미충족 (필요 …개월, 실제 …개월)"],
        ["2", "제출 서류가 빠졌습니다: 출생증명서"],
        ["1", "제출 서류가 빠졌습니다: 통장 사본"],
        ["1", "신청인의 성명·주민등록번호가 주민등록 정보와 일치하지 않습니다."],
    ]
