"""What the childbirth robot should conclude on an application, worked out from the sandbox's truth.

The end-to-end tests compare the queue's final state and output with :func:`expected_outcome`,
which reads only the systems' ground truth (the intake's application as stored, the registry's
records, the bank's register) and judges it with the process's pure rules (:func:`parse`,
:func:`check_application`, :func:`judge`), never with anything the robot read or wrote.

Also here: the applications each test takes (:func:`clean_at_start`, stable whatever the other
tests of the session did first), a robot run with a hook between its items (:func:`run_robot`),
and a browser session that keeps the screens it handed out, so a test can count their log-ins
after the robot stopped (:class:`WatchedSessions`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, cast

from civicrpa.config import Settings
from civicrpa.core.clock import KST
from civicrpa.core.errors import BusinessRuleError, NotEligible
from civicrpa.processes.childbirth_incentive.decision import (
    Supplement,
    check_application,
    find_child,
    judge,
)
from civicrpa.processes.childbirth_incentive.inputs import (
    GROUP_LABELS,
    Application,
    IntakeRow,
    Kind,
    parse,
)
from civicrpa.processes.childbirth_incentive.policy import Policy
from civicrpa.processes.childbirth_incentive.process import PROCESS
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup
from civicrpa.queue.records import ItemView
from civicrpa.queue.states import ItemState
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.browser import BrowserSession, Screen
from civicrpa.runtime.registry import AnyProcess, load_registry
from civicrpa.runtime.system import System
from civicrpa.runtime.worker import Worker, WorkerStats
from civicrpa.sandbox.common.banks import BANKS
from civicrpa.sandbox.resident_registry.seed import TODAY
from civicrpa.systems.resident_registry import Member, Move, ResidentRecord
from tests.e2e.robots.childbirth_city import City, Robot, application
from tests.e2e.sandbox.conftest import truth

INCENTIVE, POSTNATAL = Kind.INCENTIVE.value, Kind.POSTNATAL.value
_CARE_LABELS = {group: label for label, group in GROUP_LABELS.items()}


def clean_at_start(city: City, kind: str) -> list[str]:
    """The clean (no ``seed_anomaly``) applications of ``kind`` received when the producer ran,
    by id: the same list whichever tests ran before (the intake's current 접수 list shrinks as
    they decide applications)."""
    return [
        a["application_no"]
        for a in city.applications(kind=kind)
        if a["application_no"] in city.received_at_start and a["seed_anomaly"] is None
    ]


def flawed_at_start(city: City, anomaly: str) -> list[str]:
    """The applications received when the producer ran that the seed made wrong with
    ``anomaly``, by id."""
    return [
        a["application_no"]
        for a in city.applications(anomaly=anomaly)
        if a["application_no"] in city.received_at_start
    ]


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """How an application's first item ends: paid (amounts in won) or a business exception."""

    state: ItemState
    #: The business exception's code and kind (``refusal``: the ordinance says no).
    code: str | None = None
    failure_kind: str | None = None
    #: The first payment, the whole incentive (the payment itself for 산후조리비용), birth order.
    amount: int | None = None
    total: int | None = None
    birth_order: int | None = None

    @property
    def paid(self) -> bool:
        return self.state is ItemState.SUCCESSFUL


def observed(item: ItemView) -> Outcome:
    """What the queue shows of ``item``, in the shape of :func:`expected_outcome`."""
    output = item.output or {}
    if item.state is ItemState.SUCCESSFUL and output.get("decision") == "paid":
        return Outcome(
            state=item.state,
            amount=output["amount"],
            total=output["total"],
            birth_order=output["birth_order"],
        )
    return Outcome(state=item.state, code=item.failure_code, failure_kind=item.failure_kind)


def expected_outcome(city: City, number: str, *, policy: Policy | None = None) -> Outcome:
    """The outcome the ordinance gives application ``number``, from the systems' ground truth.

    The robot's steps, judged on what the truth holds: the row must parse, the documents be
    there, the registry know the applicant by name and number at the stated address with the
    child of that birth date, the rules say yes, and the bank know the account under the
    holder's name. The first of these that fails is the outcome.
    """
    shown = application(city, number)
    try:
        app = parse(_intake_row(shown))
    except BusinessRuleError as exc:
        return _business(exc.code)
    record = None if app.missing_documents else _registry_record(city, app)
    problem = check_application(app, record)
    if problem is not None or record is None:
        return _business(problem.code if problem else "childbirth.applicant_mismatch")
    elsewhere = app.kind is Kind.INCENTIVE and find_child(record, app) is None
    try:
        decision = judge(
            app,
            record,
            today=TODAY,
            policy=policy or Policy(),
            child_elsewhere=elsewhere and _registered(city, app.child_name, app.child_birth_date),
        )
    except NotEligible as exc:
        return Outcome(state=ItemState.BUSINESS_EXCEPTION, code=exc.code, failure_kind="refusal")
    if isinstance(decision, Supplement):
        return _business(decision.code)
    if not _bank_knows(city, shown):
        return _business("childbirth.account_check_failed")
    return Outcome(
        state=ItemState.SUCCESSFUL,
        amount=decision.amount_now,
        total=decision.plan.total if decision.plan else decision.amount_now,
        birth_order=decision.birth_order,
    )


def _business(code: str) -> Outcome:
    return Outcome(state=ItemState.BUSINESS_EXCEPTION, code=code, failure_kind="business")


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _intake_row(shown: dict[str, Any]) -> IntakeRow:
    """The intake's stored application as its export writes it (see sandbox/intake/export.py)."""
    postnatal = shown["kind"] == POSTNATAL
    received = datetime.fromisoformat(shown["received_at"]).replace(tzinfo=UTC).astimezone(KST)
    bank = BANKS.get(shown["bank"])

    def yes_no(value: object) -> str:
        return "예" if value else "아니오"

    return IntakeRow(
        application_no=shown["application_no"],
        kind=shown["kind"],
        status=shown["status"],
        received_at=f"{received:%Y-%m-%d %H:%M}",
        applicant_name=shown["applicant_name"],
        applicant_rrn=shown["applicant_rrn"],
        phone=shown["phone"],
        address=shown["address"],
        child_name=shown["child_name"],
        child_birth_date=date.fromisoformat(shown["child_birth_date"]),
        multiple_birth=yes_no(shown["multiple_birth"]),
        bank=bank.name if bank is not None else shown["bank"],
        account_no=shown["account_no"],
        account_holder=shown["account_holder"],
        birth_certificate="제출" if "birth_certificate" in shown["documents"] else "미제출",
        bankbook="제출" if "bankbook" in shown["documents"] else "미제출",
        care_group=_CARE_LABELS[PostnatalGroup(shown["care_group"])] if postnatal else "",
        centre_in_city=yes_no(shown["centre_in_city"]) if postnatal else "",
        care_days=str(shown["care_days"]) if postnatal else "",
    )


def _resident(city: City, resident_id: int) -> dict[str, Any]:
    found = truth(city.systems["resident_registry"], f"/residents/{resident_id}")
    return cast(dict[str, Any], found)


def _named(city: City, name: str) -> list[dict[str, Any]]:
    ids = truth(city.systems["resident_registry"], f"/residents?name={name}")
    assert isinstance(ids, list)
    return [_resident(city, resident_id) for resident_id in ids]


def _registry_record(city: City, app: Application) -> ResidentRecord | None:
    """The registry's record of the resident of the application's name and number, if any."""
    number = app.applicant_rrn.reveal()
    found = [p for p in _named(city, app.applicant_name) if p["rrn"] == number]
    if len(found) != 1:
        return None
    (person,) = found
    birth = date.fromisoformat(person["birth_date"])
    return ResidentRecord(
        name=person["name"],
        birth_date=birth,
        address=person["address"],
        moved_in=date.fromisoformat(person["moved_in"]),
        moved_out=_day(person["moved_out"]),
        history=tuple(
            Move(
                address=stay["address"],
                moved_in=date.fromisoformat(stay["moved_in"]),
                moved_out=_day(stay["moved_out"]),
            )
            for stay in person["history"]
        ),
        household=tuple(
            Member(
                relation=member["relation"],
                name=_resident(city, member["id"])["name"],
                birth_date=date.fromisoformat(member["birth_date"]),
                moved_in=date.fromisoformat(member["moved_in"]),
                moved_out=_day(member["moved_out"]),
            )
            for member in person["household"]
        ),
    )


def _registered(city: City, name: str, birth_date: date) -> bool:
    """Whether somebody of that name and birth date is registered (not moved out)."""
    return any(
        p["birth_date"] == birth_date.isoformat() and p["moved_out"] is None
        for p in _named(city, name)
    )


def _bank_knows(city: City, shown: dict[str, Any]) -> bool:
    """Whether the bank's register holds the application's account, open, in the holder's name,
    under a number of a length the bank issues (it answers nothing for another: banks.py)."""
    holder = shown["account_holder"]
    accounts = truth(city.systems["finance"], f"/accounts?holder={holder}&limit=1000")
    assert isinstance(accounts, list)
    digits = re.sub(r"\D", "", shown["account_no"])
    bank = BANKS.get(shown["bank"])
    if bank is None or len(digits) not in bank.lengths:
        return False
    return any(
        a["bank_code"] == shown["bank"]
        and a["account_number"] == digits
        and a["status"] == "active"
        for a in accounts
    )


class _WatchedSession(BrowserSession):
    """A robot's browser session that remembers the screen it handed out for each system."""

    def __init__(self, settings: Settings, *, logins: dict[str, Any]) -> None:
        super().__init__(settings, logins=logins)
        self.screens: dict[str, Screen] = {}

    def screen(self, system: str) -> Screen:
        screen = super().screen(system)
        self.screens[system] = screen
        return screen


class WatchedSessions:
    """A ``Process.session`` factory opening the sessions ``browser_session()`` opens, kept
    so that a test can read their screens' log-ins (:attr:`Screen.logins`) after the run."""

    def __init__(self) -> None:
        self.opened: list[_WatchedSession] = []

    def __call__(self, settings: Settings, systems: Sequence[System] = ()) -> BrowserSession:
        logins = {system.id: system.login for system in systems if system.login is not None}
        session = _WatchedSession(settings, logins=logins)
        self.opened.append(session)
        return session

    def logins(self) -> dict[str, int]:
        """Log-ins by system, of the one session the robot opened."""
        (session,) = self.opened
        return {system: screen.logins for system, screen in session.screens.items()}


def childbirth(**changes: Any) -> AnyProcess:
    """The childbirth process as the robots load it (its catalogue merged), with ``changes``."""
    return replace(load_registry(["civicrpa.processes"]).get(PROCESS.name), **changes)


def run_robot(
    robot: Robot, process: AnyProcess, *, between_items: Callable[[WorkerStats], bool]
) -> WorkerStats:
    """Run a robot until its queue is drained, as :meth:`Robot.work` does.

    ``between_items`` is the robot's "shall I stop?", asked with what it has done so far before
    each item (and before each step of one): True stops it, between items if it is asked there.
    """
    worker = Worker(
        store=robot.store,
        processes=[process],
        settings=robot.settings,
        name="robot-test",
        artifacts=ArtifactStore(robot.settings.artifacts_dir),
        stop_requested=lambda: between_items(worker.stats),
    )
    return worker.run(until_empty=True)


__all__ = [
    "INCENTIVE",
    "POSTNATAL",
    "Outcome",
    "WatchedSessions",
    "childbirth",
    "clean_at_start",
    "expected_outcome",
    "flawed_at_start",
    "observed",
    "run_robot",
]
