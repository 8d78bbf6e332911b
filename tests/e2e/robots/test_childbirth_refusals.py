"""Each reason the ordinance refuses a payment, end to end: the robot leaves it to an official.

The seed does not give every case, so each test takes a clean received application, makes one
registry event happen to its applicant, child or spouse through the registry's ground truth
(``POST /__sandbox/truth/residents/{id}/registration``) so that exactly one rule fails, and runs
the robot on it in real Chromium: the item is a business exception with that rule's code, the
intake shows 검토중 with the refusal memo, and finance holds no payment.

The city is ``test_childbirth.py``'s (one a session). That module takes clean received
applications from the start of the intake's lists; these tests change the registry, so they
take theirs from the end, each family only once, and never one whose household another received
application draws on (:class:`Families`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import update

from civicrpa.core.clock import utcnow
from civicrpa.processes.childbirth_incentive.decision import CITY
from civicrpa.processes.childbirth_incentive.process import PROCESS, payment_reference
from civicrpa.queue import queries
from civicrpa.queue.models import work_items
from civicrpa.queue.states import ItemState
from civicrpa.sandbox.resident_registry.seed import TODAY
from tests.e2e.robots.childbirth_city import (
    TAKEN_FROM_THE_START,
    City,
    Robot,
    application,
    payments,
)
from tests.e2e.robots.outcomes import expected_outcome, observed
from tests.e2e.sandbox.conftest import TOKEN, truth

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

INCENTIVE, POSTNATAL = "childbirth_incentive", "postnatal_care"
#: What process.py writes in the intake when the ordinance refuses (then the reason).
REFUSAL_MEMO = "[RPA] 지급 요건 미충족:"


@dataclass(frozen=True, kw_only=True)
class Family:
    """An application and the registry ids of its people (no name, no number)."""

    number: str
    birth_date: date
    applicant_id: int
    child_id: int
    household_id: int
    spouse_id: int | None

    @property
    def after_birth(self) -> date:
        """A day between the birth and the sandbox's today (births are a month old or more)."""
        return self.birth_date + (TODAY - self.birth_date) // 2


def _resident(city: City, resident_id: int) -> dict[str, Any]:
    return cast(
        dict[str, Any], truth(city.systems["resident_registry"], f"/residents/{resident_id}")
    )


def change_registration(city: City, resident_id: int, **event: date | int) -> None:
    """Make a registry event happen to a resident (전입일, 전출, 세대 변경)."""
    body = {k: v.isoformat() if isinstance(v, date) else v for k, v in event.items()}
    response = httpx.post(
        f"{city.systems['resident_registry'].url}/__sandbox/truth/residents/{resident_id}"
        "/registration",
        json=body,
        headers={"X-Sandbox-Token": TOKEN},
    )
    assert response.status_code == 200, (resident_id, body, response.status_code)


class Families:
    """Hands out clean received applications from the end of the intake's lists.

    One is handed out only when the registry shows its family eligible as it stands (so the
    one event a test makes is the reason for the refusal): the applicant registered since a
    year before the birth with no earlier address in the city, the child registered in the
    applicant's household, a spouse (if any) registered on the birth date. Its household must
    hold nobody another received application names (their tests would read the changed
    record), and none is handed out twice.
    """

    def __init__(self, city: City) -> None:
        self.city = city
        self._apps = [
            a for a in city.applications() if a["application_no"] in city.received_at_start
        ]
        self._used: set[str] = set()
        self._households: set[int] = set()

    def take(self, kind: str, *, with_spouse: bool = False) -> Family:
        clean = [a for a in self._apps if a["kind"] == kind and a["seed_anomaly"] is None]
        for app in reversed(clean[TAKEN_FROM_THE_START[kind] :]):
            if app["application_no"] in self._used:
                continue
            family = self._eligible(app, with_spouse=with_spouse)
            if family is not None:
                self._used.add(family.number)
                self._households.add(family.household_id)
                return family
        raise AssertionError(f"no clean received {kind} application with an eligible family left")

    def _eligible(self, app: dict[str, Any], *, with_spouse: bool) -> Family | None:
        birth = date.fromisoformat(app["child_birth_date"])
        person = _resident(self.city, app["registry_applicant_id"])
        members = {m["id"]: m for m in person["household"]}
        child = members.get(app["registry_child_id"])
        partners = [
            m
            for m in members.values()
            if m["relation"] in ("본인", "배우자") and m["id"] != person["id"]
        ]
        others = {
            n
            for a in self._apps
            if a["application_no"] != app["application_no"]
            for n in (a["registry_applicant_id"], a["registry_child_id"])
        }
        if (
            app["status"] != "received"
            or person["household_id"] in self._households
            or others & set(members)
            or person["moved_out"] is not None
            or date.fromisoformat(person["moved_in"]) > birth - timedelta(days=366)
            or any(stay["address"].startswith(CITY) for stay in person["history"][:-1])
            or child is None
            or child["moved_out"] is not None
            or date.fromisoformat(child["moved_in"]) > birth
            or len(partners) > 1
            or (with_spouse and not partners)
            or any(
                p["moved_out"] is not None or date.fromisoformat(p["moved_in"]) > birth
                for p in partners
            )
        ):
            return None
        return Family(
            number=app["application_no"],
            birth_date=birth,
            applicant_id=person["id"],
            child_id=child["id"],
            household_id=person["household_id"],
            spouse_id=partners[0]["id"] if partners else None,
        )

    def quiet_household(self) -> int:
        """A household nobody in any application (of any status) belongs to."""
        every = self.city.applications()
        named = {a["registry_applicant_id"] for a in every} | {
            a["registry_child_id"] for a in every
        }
        count = cast(dict[str, int], truth(self.city.systems["resident_registry"], "/stats"))
        for resident_id in range(count["residents"], 0, -1):
            person = _resident(self.city, resident_id)
            household = person["household_id"]
            if household not in self._households and not named & {
                m["id"] for m in person["household"]
            }:
                self._households.add(household)
                return int(household)
        raise AssertionError("every household has somebody who applied")


@pytest.fixture(scope="module")
def families(city: City) -> Families:
    return Families(city)


def _assert_refused(robot: Robot, city: City, number: str, code: str) -> None:
    # The registry as changed says no with ``code`` (the rules on its ground truth), and so does
    # the robot that read it on the screens.
    expected = expected_outcome(city, number)
    assert (expected.code, expected.failure_kind) == (code, "refusal"), expected
    item = robot.process([number])[number]
    assert observed(item) == expected  # the ordinance says no: an official confirms it
    shown = application(city, number)
    assert shown["status"] == "reviewing"
    memo = shown["history"][-1]["memo"]
    assert memo.startswith(REFUSAL_MEMO)
    assert memo.endswith("담당자 확인 후 반려 바랍니다.")
    assert payments(city, payment_reference(number, 1)) == []


@pytest.mark.parametrize(
    ("code", "who", "event"),
    [
        # Moved in (전입) the day after the birth: not registered on the birth date.
        ("childbirth.not_resident_on_birth", "applicant", "moved_in_after_birth"),
        # Registered on the birth date, left the city since.
        ("childbirth.applicant_moved_out", "applicant", "moved_out_after_birth"),
        # Moved in 30 days before the birth: 0 or 1 whole month of the 6 needed.
        ("childbirth.residency_too_short", "applicant", "moved_in_before_birth"),
        # The baby was registered, and has left the city since.
        ("childbirth.child_not_registered", "child", "moved_out_after_birth"),
    ],
)
def test_a_residence_rule_that_fails_leaves_the_incentive_to_an_official(
    robot: Robot, city: City, families: Families, code: str, who: str, event: str
) -> None:
    family = families.take(INCENTIVE)
    resident_id = family.applicant_id if who == "applicant" else family.child_id
    if event == "moved_in_after_birth":
        change_registration(city, resident_id, moved_in=family.birth_date + timedelta(days=1))
    elif event == "moved_in_before_birth":
        change_registration(city, resident_id, moved_in=family.birth_date - timedelta(days=30))
    else:
        change_registration(city, resident_id, moved_out=family.after_birth)
    _assert_refused(robot, city, family.number, code)


def test_a_child_in_another_household_leaves_the_incentive_to_an_official(
    robot: Robot, city: City, families: Families
) -> None:
    family = families.take(INCENTIVE)
    elsewhere = families.quiet_household()
    change_registration(city, family.child_id, household_id=elsewhere, moved_in=family.after_birth)
    _assert_refused(robot, city, family.number, "childbirth.not_in_household")
    # The robot searched for the child by name and birth date, stating why.
    lookups = truth(city.systems["resident_registry"], "/lookups")
    assert isinstance(lookups, list)
    assert any(
        entry["query_birth_date"] == family.birth_date.isoformat()
        and entry["query_has_rrn"] == 0
        and family.number in entry["reason_detail"]
        for entry in lookups
    )


@pytest.mark.parametrize(
    ("code", "who"),
    [
        ("childbirth.mother_not_resident", "mother"),
        ("childbirth.spouse_not_resident", "spouse"),
    ],
)
def test_postnatal_care_needs_the_mother_and_her_spouse_registered_on_the_birth_date(
    robot: Robot, city: City, families: Families, code: str, who: str
) -> None:
    family = families.take(POSTNATAL, with_spouse=who == "spouse")
    if who == "mother":  # moved in (전입) the day after the birth
        change_registration(
            city, family.applicant_id, moved_in=family.birth_date + timedelta(days=1)
        )
    else:  # left the city (전출) on the birth date: the 세대 구성원 table shows when
        assert family.spouse_id is not None
        change_registration(city, family.spouse_id, moved_out=family.birth_date)
    _assert_refused(robot, city, family.number, code)


@pytest.mark.parametrize("who", ["applicant", "child"])
def test_later_instalments_stop_once_the_family_has_moved_away(
    robot: Robot, city: City, families: Families, who: str
) -> None:
    family = families.take(INCENTIVE)
    expected = expected_outcome(city, family.number)
    assert expected.paid, expected
    first = robot.process([family.number])[family.number]
    assert observed(first) == expected, first.failure_code
    assert first.output is not None
    assert first.output["instalments_scheduled"] == 4
    (payment,) = payments(city, payment_reference(family.number, 1))
    assert payment["amount"] == expected.amount

    # After the first payment the applicant, or the child alone, leaves the city (전출), before
    # the first anniversary.
    leaving = family.applicant_id if who == "applicant" else family.child_id
    change_registration(city, leaving, moved_out=TODAY)
    second = robot.item(f"{family.number}#2")
    assert second.available_at > utcnow()
    with robot.store.engine.begin() as conn:  # a year on: instalment 2 falls due
        conn.execute(
            update(work_items)
            .where(work_items.c.id == second.id)
            .values(available_at=utcnow() - timedelta(seconds=1))
        )
    robot.work()

    item = robot.item(f"{family.number}#2")
    assert item.state is ItemState.BUSINESS_EXCEPTION, (item.state, item.failure_code)
    assert item.failure_code == "childbirth.instalment_stopped"
    assert payments(city, payment_reference(family.number, 2)) == []
    shown = application(city, family.number)
    assert shown["status"] == "approved"  # the first payment stands
    assert "2회차 이후 지급 중지" in shown["history"][-1]["memo"]
    later = [
        i
        for i in queries.list_items(robot.store.engine, queue=PROCESS.queue, limit=1000)
        if i.reference.startswith(f"{family.number}#") and i.reference != f"{family.number}#2"
    ]
    assert [i.state for i in later] == [ItemState.NEW] * 3  # each re-checks when due
