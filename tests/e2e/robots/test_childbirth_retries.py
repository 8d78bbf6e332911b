"""A retried childbirth attempt rebuilds what the lost attempt decided, from the systems of record.

Robots die or fail at the worst moments: after the intake says 승인 but before the later
instalments are queued, after a 보완요청 is recorded, after the payment left but before the
intake is told. The retry must end the item as the lost attempt would have (same outcome, same
output, instalments scheduled once), write nothing twice, and never fail an item whose money
left. Clean incentive applications 13..18 of the intake's list are this module's
(``TAKEN_FROM_THE_START``); each test takes one its records say is paid
(``outcomes.expected_outcome``) and pins the retried item to that outcome.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import TargetUnavailable
from civicrpa.processes.childbirth_incentive import process as childbirth
from civicrpa.processes.childbirth_incentive.process import PROCESS, payment_reference
from civicrpa.processes.childbirth_incentive.report import beneficiary_rows
from civicrpa.queue import queries
from civicrpa.queue.models import work_items
from civicrpa.queue.records import RunOutcome
from civicrpa.queue.retry import RetryPolicy
from civicrpa.queue.states import ItemState
from civicrpa.runtime.browser import BrowserSession
from civicrpa.systems.intake import Intake, Status
from tests.e2e.robots.childbirth_city import City, Robot, application, payments
from tests.e2e.robots.conftest import robot_credential
from tests.e2e.robots.outcomes import (
    INCENTIVE,
    Outcome,
    clean_at_start,
    expected_outcome,
    observed,
)
from tests.support.reports import report_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CANDIDATES = slice(13, 19)


class _Killed(BaseException):
    """Stands for the robot process dying: nothing after it runs, nothing is recorded."""


def _clean_incentives(city: City) -> list[str]:
    return clean_at_start(city, INCENTIVE)[CANDIDATES]


def _lease_runs_out(robot: Robot, number: str) -> None:
    item_id = robot.item(number).id
    with robot.store.engine.begin() as conn:
        conn.execute(
            update(work_items)
            .where(work_items.c.id == item_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    assert robot.store.reap_expired(PROCESS.queue, max_attempts=3) == [item_id]


def _later(robot: Robot, number: str) -> list[str]:
    return sorted(
        i.reference
        for i in queries.list_items(robot.store.engine, queue=PROCESS.queue, limit=10_000)
        if i.reference.startswith(f"{number}#")
    )


def _take_payable(city: City, used: set[str]) -> tuple[str, Outcome]:
    """A received application of this module's that its records say is paid, and how."""
    for number in _clean_incentives(city):
        if number in used or application(city, number)["status"] != "received":
            continue
        used.add(number)
        expected = expected_outcome(city, number)
        if expected.paid:
            return number, expected
    pytest.fail("no payable received incentive application left for this module")


_USED: set[str] = set()


def test_a_robot_killed_after_approving_is_retried_into_the_whole_outcome(
    robot: Robot, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Killed after finance paid and the intake said 승인, before the later instalments were
    # queued. The retry used to end successful with {"decision": "paid_earlier"}: no amount,
    # no plan, the instalments never queued, the family missing from the beneficiary list.
    def die(*args: Any, **kwargs: Any) -> int:
        raise _Killed

    number, expected = _take_payable(city, _USED)
    monkeypatch.setattr(childbirth, "_schedule_instalments", die)
    robot.add([number])
    with pytest.raises(_Killed):
        robot.work()
    monkeypatch.undo()
    reference = payment_reference(number, 1)
    (payment,) = payments(city, reference)
    assert application(city, number)["status"] == "approved"
    assert _later(robot, number) == []
    _lease_runs_out(robot, number)
    robot.work()

    item = robot.item(number)
    assert observed(item) == expected, item.failure_code  # amounts and birth order as decided
    assert item.output is not None
    assert item.output["paid_now"] is False
    assert payment["amount"] == expected.amount
    assert item.output["instalments_scheduled"] == 4
    assert _later(robot, number) == [f"{number}#{k}" for k in range(2, 6)]
    assert len(payments(city, reference)) == 1
    lines = [
        r for r in beneficiary_rows(report_context(robot.store, PROCESS)) if r.case_id == number
    ]
    assert [r.instalment_no for r in lines] == [1, 2, 3, 4, 5]
    assert sum(r.amount for r in lines) == expected.total
    memos = [e["memo"] for e in application(city, number)["history"]]
    assert sum("지급 등록" in m for m in memos) == 1  # the decision is written once


def test_a_supplement_request_recorded_before_a_crash_ends_as_the_same_business_exception(
    robot: Robot, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The 보완요청 reached the intake, the robot died before the queue heard of it. The retry
    # used to end successful ("already_decided"), losing the reason.
    # malformed_account: a flaw no other test of the session takes.
    numbers = city.received(anomaly="malformed_account")[:1]
    assert numbers, "the seed has no received application with a malformed account"
    (number,) = numbers
    real_move = Intake.move

    def move_then_die(self: Intake, no: str, target: Status, memo: str) -> None:
        real_move(self, no, target, memo)
        if target == Status.SUPPLEMENT:
            raise _Killed

    monkeypatch.setattr(Intake, "move", move_then_die)
    robot.add([number])
    with pytest.raises(_Killed):
        robot.work()
    monkeypatch.undo()
    assert application(city, number)["status"] == "supplement_requested"
    _lease_runs_out(robot, number)
    robot.work()

    item = robot.item(number)
    assert item.state is ItemState.BUSINESS_EXCEPTION
    assert item.failure_code == "childbirth.account_check_failed"  # the bank knows no such account
    assert observed(item) == expected_outcome(city, number)
    memos = [e["memo"] for e in application(city, number)["history"]]
    (sent_back,) = [m for m in memos if m.startswith("[RPA] 보완 요청")]  # written once
    assert sent_back == f"[RPA] 보완 요청: {item.failure_message}"  # the reason the applicant got


def test_an_item_whose_money_left_is_finished_even_when_every_attempt_failed_after_paying(
    robot: Robot, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The payment went through; the intake failed on every attempt after it. The item used to
    # end failed with the intake left 검토중, inviting a person to pay by hand.
    fast = replace(
        PROCESS,
        retry=RetryPolicy(
            max_attempts=2, base=timedelta(milliseconds=50), jitter=0.0, settle_attempts=2
        ),
    )
    real_move = Intake.move
    approvals: list[str] = []

    def intake_fails_after_paying(self: Intake, no: str, target: Status, memo: str) -> None:
        if target == Status.APPROVED:
            approvals.append(no)
            if len(approvals) <= 2:  # both regular attempts
                raise TargetUnavailable("system.target_unavailable", {"system": "민원 접수"})
        real_move(self, no, target, memo)

    monkeypatch.setattr(Intake, "move", intake_fails_after_paying)
    number, expected = _take_payable(city, _USED)
    robot.add([number])
    robot.work(fast)
    assert approvals == [number] * 3  # two regular attempts failed after paying, then settled
    item = robot.item(number)
    assert observed(item) == expected, item.failure_code
    assert item.attempts == 3  # the settling attempt finished it
    runs = queries.runs_of(robot.store.engine, item.id)
    assert [r.outcome for r in runs] == [RunOutcome.SYSTEM_EXCEPTION] * 2 + [RunOutcome.SUCCESSFUL]
    (payment,) = payments(city, payment_reference(number, 1))
    assert payment["amount"] == expected.amount
    assert application(city, number)["status"] == "approved"
    assert _later(robot, number) == [f"{number}#{k}" for k in range(2, 6)]


def test_a_memo_is_added_once_however_often_the_step_is_repeated(robot: Robot, city: City) -> None:
    number, _ = _take_payable(city, _USED)
    memo = "[RPA] 시험 메모: 같은 메모는 한 번만 남습니다."
    with BrowserSession(robot.settings, credentials=robot_credential) as session:
        office = Intake.on(session)
        office.add_memo(number, memo)
        office.add_memo(number, memo)
    memos = [e["memo"] for e in application(city, number)["history"]]
    assert memos.count(memo) == 1
