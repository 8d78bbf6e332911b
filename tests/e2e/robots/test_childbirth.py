"""The childbirth incentive robot end to end: real Chromium, real sandbox, real queue.

One synthetic city (3,000 residents: every seeded anomaly occurs among received ones, see
``childbirth_city.py``) serves the session; each test picks its own applications from the
intake's ground truth, so tests do not share work. The clean received ones are taken from the
start of the lists as they were when the producer ran (``TAKEN_FROM_THE_START``,
``outcomes.clean_at_start``); ``test_childbirth_refusals.py`` changes the registry of others,
taken from the end. Each outcome is pinned to what the application's records give
(``outcomes.expected_outcome``: the ground truth judged by the process's pure rules).
"""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import update

from civicrpa.core.clock import utcnow
from civicrpa.processes.childbirth_incentive.beneficiaries import beneficiary_list_workbook
from civicrpa.processes.childbirth_incentive.process import PROCESS, payment_reference
from civicrpa.processes.childbirth_incentive.report import beneficiary_rows
from civicrpa.queue import queries
from civicrpa.queue.models import work_items
from civicrpa.queue.records import RunOutcome
from civicrpa.queue.states import ItemState
from civicrpa.runtime.worker import WorkerStats
from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.systems.intake import Intake, Status
from tests.e2e.robots.childbirth_city import SYSTEMS, City, Robot, application, payments
from tests.e2e.robots.outcomes import (
    INCENTIVE,
    POSTNATAL,
    WatchedSessions,
    childbirth,
    clean_at_start,
    expected_outcome,
    flawed_at_start,
    observed,
    run_robot,
)
from tests.e2e.sandbox.conftest import sandbox_post, truth
from tests.support.reports import report_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_export_is_read_into_items_and_every_received_application_is_queued(city: City) -> None:
    assert city.received_at_start == set(city.rows)
    downloads = truth(city.systems["intake"], "/downloads")
    assert isinstance(downloads, list)
    assert {d["reason"] for d in downloads} == {"benefit_review"}
    assert all(d["username"] == "robot01" for d in downloads)


def test_each_application_of_a_batch_ends_as_its_records_say(robot: Robot, city: City) -> None:
    # Eight clean incentive applications and three the seed made wrong (the last received of
    # each of three flaws: the tests of one flaw below take the first), each pinned to what its
    # records give (outcomes.expected_outcome, from the ground truth): the amounts for the paid
    # ones, the code for the others.
    flawed = {a: flawed_at_start(city, a) for a in ("address", "applicant_rrn", "applicant_name")}
    assert all(len(found) >= 2 for found in flawed.values()), flawed
    numbers = clean_at_start(city, INCENTIVE)[:8] + [found[-1] for found in flawed.values()]
    expected = {number: expected_outcome(city, number) for number in numbers}
    paid = [number for number, outcome in expected.items() if outcome.paid]
    assert len(paid) >= 4, expected  # the batch pays (as well as refusing the flawed ones)

    items = robot.process(numbers)
    assert {number: observed(item) for number, item in items.items()} == expected
    for number, outcome in expected.items():
        shown = application(city, number)
        paid_there = payments(city, payment_reference(number, 1))
        if outcome.paid:
            (payment,) = paid_there
            assert payment["amount"] == outcome.amount
            assert payment["payee_name"] == shown["applicant_name"]
            assert shown["status"] == "approved"
            assert "지급 등록" in shown["history"][-1]["memo"]
            output = items[number].output
            assert output is not None
            later = [
                i
                for i in queries.list_items(robot.store.engine, queue=PROCESS.queue, limit=1000)
                if i.reference.startswith(f"{number}#")
            ]
            assert len(later) == output["instalments_scheduled"] == 4
            assert all(i.available_at > utcnow() for i in later)
        elif outcome.failure_kind == "refusal":  # the ordinance says no: an official confirms
            assert paid_there == []
            assert shown["status"] == "reviewing"
            assert "지급 요건 미충족" in shown["history"][-1]["memo"]
        else:  # a flaw the applicant fixes
            assert paid_there == []
            assert shown["status"] == "supplement_requested"
            assert shown["history"][-1]["memo"].startswith("[RPA] 보완 요청")
    # The department's list, from the same decisions: five lines a paid incentive, 1st paid.
    rows = beneficiary_rows(report_context(robot.store, PROCESS))
    assert {r.case_id for r in rows} == set(paid)
    for number in paid:
        lines = [r for r in rows if r.case_id == number]
        assert [r.instalment_no for r in lines] == [1, 2, 3, 4, 5]
        assert [r.status.value for r in lines] == ["paid", "due", "due", "due", "due"]
        assert lines[0].amount == expected[number].amount
        assert sum(r.amount for r in lines) == expected[number].total
    made = beneficiary_list_workbook(rows, base_date=CITY_DAY, department="인구정책과")
    workbook = openpyxl.load_workbook(io.BytesIO(made))
    cells = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for number in numbers:
        rrn = str(application(city, number)["applicant_rrn"])
        assert rrn not in cells
        assert rrn.replace("-", "") not in cells
    for number in paid:
        # The applicant is named as an official can match it, never in full.
        name = str(application(city, number)["applicant_name"])
        assert next(r for r in rows if r.case_id == number).applicant_name_masked == (
            name[0] + "*" * (len(name) - 2) + name[-1]
        )
        assert name not in cells


@pytest.mark.parametrize(
    ("anomaly", "code", "status"),
    [
        ("missing_birth_certificate", "childbirth.documents_missing", "supplement_requested"),
        ("missing_bankbook", "childbirth.documents_missing", "supplement_requested"),
        ("applicant_name", "childbirth.applicant_mismatch", "supplement_requested"),
        ("applicant_rrn", "childbirth.applicant_mismatch", "supplement_requested"),
        ("address", "childbirth.address_mismatch", "supplement_requested"),
        ("child_birth_date", "childbirth.child_mismatch", "supplement_requested"),
        ("malformed_rrn", "childbirth.application_malformed", "supplement_requested"),
        ("malformed_phone", "childbirth.application_malformed", "supplement_requested"),
    ],
)
def test_each_flaw_goes_back_to_the_applicant_with_its_reason(
    robot: Robot, city: City, anomaly: str, code: str, status: str
) -> None:
    numbers = flawed_at_start(city, anomaly)[:1]  # the batch test takes the last
    assert numbers, f"the seed has no received application with {anomaly}"
    (number,) = numbers
    expected = expected_outcome(city, number)
    assert expected.code == code  # the records say what the seed's note says
    item = robot.process([number])[number]
    assert observed(item) == expected
    shown = application(city, number)
    assert shown["status"] == status
    assert shown["history"][-1]["memo"].startswith("[RPA] 보완 요청")
    assert payments(city, payment_reference(number, 1)) == []


def test_a_late_postnatal_application_is_refused_for_the_deadline(robot: Robot, city: City) -> None:
    numbers = flawed_at_start(city, "postnatal_late")[:1]
    assert numbers, "the seed has no received late postnatal application"
    (number,) = numbers
    expected = expected_outcome(city, number)
    # Received more than 90 days after the birth, by the intake's own record. (Not every
    # application the seed notes as late is: the later ones of this city came within 90 days.)
    assert (expected.code, expected.failure_kind) == (
        "childbirth.postnatal_deadline_passed",
        "refusal",
    )
    item = robot.process([number])[number]
    assert observed(item) == expected
    shown = application(city, number)
    assert shown["status"] == "reviewing"
    assert "지급 요건 미충족" in shown["history"][-1]["memo"]
    assert payments(city, payment_reference(number, 1)) == []


def test_a_finance_outage_fails_an_attempt_and_its_retry_pays_once(
    robot: Robot, city: City
) -> None:
    # Finance answers every request with HTTP 500 until the robot has failed an attempt there
    # (the robot is stopped then) and is back for the next run. The failed attempt must be a
    # system exception that is retried, and the retry pay the application once, the amount its
    # records give; the others end as their records say, in one attempt each.
    numbers = clean_at_start(city, INCENTIVE)[8:11]
    expected = {number: expected_outcome(city, number) for number in numbers}
    assert any(outcome.paid for outcome in expected.values()), expected  # one reaches finance
    finance = city.systems["finance"]
    robot.add(numbers)
    sandbox_post(finance, "/faults", {"error_rate": 1.0})
    try:
        run_robot(
            robot,
            childbirth(),
            between_items=lambda done: done.outcomes[RunOutcome.SYSTEM_EXCEPTION.value] > 0,
        )
    finally:
        sandbox_post(finance, "/faults", {"error_rate": 0.0})
    (failed,) = [n for n in numbers if robot.item(n).state is ItemState.RETRIED]
    assert payments(city, payment_reference(failed, 1)) == []  # nothing got through

    robot.work()
    items = {number: robot.item(number) for number in numbers}
    assert {number: observed(item) for number, item in items.items()} == expected
    runs = {n: queries.runs_of(robot.store.engine, item.id) for n, item in items.items()}
    assert [r.outcome for r in runs[failed]] == [
        RunOutcome.SYSTEM_EXCEPTION,
        RunOutcome.SUCCESSFUL,
    ]
    assert runs[failed][0].error_code == "browser.retries_spent"
    output = items[failed].output
    assert output is not None
    assert output["paid_now"] is True  # the retry paid: the failed attempt had not
    for number, outcome in expected.items():
        if number != failed:
            assert [r.outcome for r in runs[number]] == [
                RunOutcome.SUCCESSFUL if outcome.paid else RunOutcome.BUSINESS_EXCEPTION
            ]
        paid_there = payments(city, payment_reference(number, 1))
        assert [p["amount"] for p in paid_there] == ([outcome.amount] if outcome.paid else [])


class _Killed(BaseException):
    """Stands for the robot process dying: nothing after it runs, nothing is recorded."""


def test_a_robot_killed_between_paying_and_recording_never_pays_twice(
    robot: Robot, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = clean_at_start(city, POSTNATAL)[0]
    real_move = Intake.move

    def die_when_approving(self: Intake, no: str, target: Status, memo: str) -> None:
        if target == Status.APPROVED:
            raise _Killed
        real_move(self, no, target, memo)

    monkeypatch.setattr(Intake, "move", die_when_approving)
    robot.add([number])
    with pytest.raises(_Killed):
        robot.work()
    monkeypatch.setattr(Intake, "move", real_move)
    reference = payment_reference(number, 1)
    assert len(payments(city, reference)) == 1  # paid, but the intake was never told
    assert robot.item(number).state is ItemState.IN_PROGRESS
    item_id = robot.item(number).id
    with robot.store.engine.begin() as conn:  # the dead robot's lease runs out
        conn.execute(
            update(work_items)
            .where(work_items.c.id == item_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    assert robot.store.reap_expired(PROCESS.queue, max_attempts=3) == [item_id]
    robot.work()
    item = robot.item(number)
    assert item.state is ItemState.SUCCESSFUL
    assert item.output is not None
    assert item.output["paid_now"] is False
    assert len(payments(city, reference)) == 1
    assert application(city, number)["status"] == "approved"


def test_an_expired_session_logs_in_again_within_the_attempt(robot: Robot, city: City) -> None:
    # One robot, two applications; once the first is done every system ends every session.
    # The robot's tab on each system must log in a second time inside the second item's only
    # attempt, and both applications be paid as their records say.
    numbers = clean_at_start(city, INCENTIVE)[11:13]
    expected = {number: expected_outcome(city, number) for number in numbers}
    assert all(outcome.paid for outcome in expected.values()), expected  # all three systems
    sessions = WatchedSessions()
    after_first: dict[str, int] = {}

    def expire_after_the_first(done: WorkerStats) -> bool:
        if done.attempts == 1 and not after_first:
            after_first.update(sessions.logins())
            for system in city.systems.values():
                sandbox_post(system, "/sessions/expire")
        return False  # never stop

    robot.add(numbers)
    run_robot(robot, childbirth(session=sessions), between_items=expire_after_the_first)
    assert after_first == dict.fromkeys(SYSTEMS, 1)
    assert sessions.logins() == dict.fromkeys(SYSTEMS, 2)
    for number in numbers:
        item = robot.item(number)
        assert observed(item) == expected[number]
        runs = queries.runs_of(robot.store.engine, item.id)
        assert [r.outcome for r in runs] == [RunOutcome.SUCCESSFUL]  # no retry needed
        (payment,) = payments(city, payment_reference(number, 1))
        assert payment["amount"] == expected[number].amount
