"""The childbirth incentive robot end to end: real Chromium, real sandbox, real queue.

One synthetic city (3,000 residents: every seeded anomaly occurs among received ones, see
``childbirth_city.py``) serves the session; each test picks its own applications from the
intake's ground truth, so tests do not share work. The clean received ones are taken from the
start of the lists (``TAKEN_FROM_THE_START``); ``test_childbirth_refusals.py`` changes the
registry of others, taken from the end.
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
from civicrpa.queue.states import ItemState
from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.systems.intake import Intake, Status
from tests.e2e.robots.childbirth_city import City, Robot, application, payments
from tests.e2e.sandbox.conftest import sandbox_post, truth
from tests.support.reports import report_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_export_is_read_into_items_and_every_received_application_is_queued(city: City) -> None:
    assert city.received_at_start == set(city.rows)
    downloads = truth(city.systems["intake"], "/downloads")
    assert isinstance(downloads, list)
    assert {d["reason"] for d in downloads} == {"benefit_review"}
    assert all(d["username"] == "robot01" for d in downloads)


def test_eligible_applications_are_paid_once_approved_and_their_instalments_scheduled(
    robot: Robot, city: City
) -> None:
    numbers = [
        a["application_no"]
        for a in city.applications(status="received", kind="childbirth_incentive")
        if a["seed_anomaly"] is None
    ][:8]
    items = robot.process(numbers)
    paid = [n for n, item in items.items() if item.state is ItemState.SUCCESSFUL]
    assert paid, {n: i.failure_code for n, i in items.items()}
    for number, item in items.items():
        shown = application(city, number)
        if item.state is ItemState.SUCCESSFUL:
            assert item.output is not None
            assert item.output["decision"] == "paid"
            (payment,) = payments(city, payment_reference(number, 1))
            assert payment["amount"] == item.output["amount"]
            assert payment["payee_name"] == shown["applicant_name"]
            assert shown["status"] == "approved"
            assert "지급 등록" in shown["history"][-1]["memo"]
            later = [
                i
                for i in queries.list_items(robot.store.engine, queue=PROCESS.queue, limit=1000)
                if i.reference.startswith(f"{number}#")
            ]
            assert len(later) == item.output["instalments_scheduled"] == 4
            assert all(i.available_at > utcnow() for i in later)
        else:  # refused by the ordinance: an official confirms; nothing paid
            assert item.state is ItemState.BUSINESS_EXCEPTION
            assert item.failure_code in {
                "childbirth.residency_too_short",
                "childbirth.not_resident_on_birth",
                "childbirth.applicant_moved_out",
                "childbirth.child_not_registered",
            }
            assert shown["status"] == "reviewing"
            assert "지급 요건 미충족" in shown["history"][-1]["memo"]
            assert payments(city, payment_reference(number, 1)) == []
    # The department's list, from the same decisions: five lines a paid incentive, 1st paid.
    rows = beneficiary_rows(report_context(robot.store, PROCESS))
    for number in paid:
        item = items[number]
        assert item.output is not None
        lines = [r for r in rows if r.case_id == number]
        assert [r.instalment_no for r in lines] == [1, 2, 3, 4, 5]
        assert [r.status.value for r in lines] == ["paid", "due", "due", "due", "due"]
        assert sum(r.amount for r in lines) == item.output["total"]
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
        rrn = str(robot.city.rows[number].payload["applicant_rrn"])
        assert rrn not in cells
        assert rrn.replace("-", "") not in cells
    for number in paid:
        # The applicant is named as an official can match it, never in full.
        name = str(robot.city.rows[number].payload["applicant_name"])
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
    numbers = city.received(anomaly=anomaly)[:1]
    assert numbers, f"the seed has no received application with {anomaly}"
    (number,) = numbers
    item = robot.process([number])[number]
    assert item.state is ItemState.BUSINESS_EXCEPTION
    assert item.failure_code == code
    shown = application(city, number)
    assert shown["status"] == status
    assert shown["history"][-1]["memo"].startswith("[RPA] 보완 요청")
    assert payments(city, payment_reference(number, 1)) == []


def test_a_late_postnatal_application_is_refused_for_the_deadline(robot: Robot, city: City) -> None:
    numbers = city.received(anomaly="postnatal_late")[:1]
    assert numbers, "the seed has no received late postnatal application"
    (number,) = numbers
    item = robot.process([number])[number]
    assert item.state is ItemState.BUSINESS_EXCEPTION
    assert item.failure_code == "childbirth.postnatal_deadline_passed"


def test_injected_server_errors_are_retried_and_the_item_finishes(robot: Robot, city: City) -> None:
    numbers = [
        a["application_no"]
        for a in city.applications(status="received", kind="childbirth_incentive")
        if a["seed_anomaly"] is None
    ][8:11]
    for system in city.systems.values():
        sandbox_post(system, "/faults", {"error_rate": 0.1, "seed": 7})
    try:
        items = robot.process(numbers)
    finally:
        for system in city.systems.values():
            sandbox_post(system, "/faults", {"error_rate": 0.0})
    for number, item in items.items():
        assert item.state in (ItemState.SUCCESSFUL, ItemState.BUSINESS_EXCEPTION), (
            item.failure_message
        )
        assert len(payments(city, payment_reference(number, 1))) <= 1


class _Killed(BaseException):
    """Stands for the robot process dying: nothing after it runs, nothing is recorded."""


def test_a_robot_killed_between_paying_and_recording_never_pays_twice(
    robot: Robot, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    candidates = [
        a["application_no"]
        for a in city.applications(status="received", kind="postnatal_care")
        if a["seed_anomaly"] is None
    ]
    number = candidates[0]
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


def test_an_expired_session_logs_in_again_and_finishes(robot: Robot, city: City) -> None:
    numbers = [
        a["application_no"]
        for a in city.applications(status="received", kind="childbirth_incentive")
        if a["seed_anomaly"] is None
    ][11:13]
    first, second = numbers
    robot.process([first])
    for system in city.systems.values():
        sandbox_post(system, "/sessions/expire")
    item = robot.process([second])[second]
    assert item.state in (ItemState.SUCCESSFUL, ItemState.BUSINESS_EXCEPTION)
    runs = queries.runs_of(robot.store.engine, item.id)
    assert len(runs) == 1  # logged in again inside the attempt, no retry needed
