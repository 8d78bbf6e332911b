"""From an application and the registry's record to a decision: pay, ask for papers, or refuse.

Pure: no browser, no clock (``today`` is passed in). The rules themselves are in :mod:`.rules`;
this module gathers their inputs from what the registry showed:

- the applicant's 관내 거주 since: the earliest move-in of the unbroken run of addresses in the
  city that ends at the current address (the registry's 주소 변동 이력);
- the child: the household member of relation 자녀 with the application's name; when the
  household has none, whether the registry knows the child elsewhere in the city (the handler
  searches by name and birth date and says so with ``child_elsewhere``);
- the birth order: the household's children born before the child (and the child);
- the spouse (산후조리비용): the other of 본인/배우자 in the household.

An application that disagrees with the registry (name or number unknown, another address,
another birth date) or lacks a document goes back to the applicant (:class:`Supplement`); one the
ordinance excludes raises :class:`~civicrpa.core.errors.NotEligible` for an official to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from civicrpa.core.errors import NotEligible
from civicrpa.processes.childbirth_incentive import rules
from civicrpa.processes.childbirth_incentive.inputs import Application, Kind
from civicrpa.processes.childbirth_incentive.policy import Policy
from civicrpa.processes.childbirth_incentive.rules import Plan, Registration
from civicrpa.systems.resident_registry import Member, ResidentRecord

#: Addresses in the city begin with this (Gwangyang's process; another city sets its own).
CITY = "전라남도 광양시"
_HOUSEHOLD = "applicant-household"
_ELSEWHERE = "another-household"


@dataclass(frozen=True, kw_only=True)
class Supplement:
    """The applicant must correct or add something (보완요청); ``code`` says what."""

    code: str
    params: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class Eligible:
    """Pay ``amount_now``; for 출산장려금 ``plan`` holds every instalment."""

    amount_now: int
    birth_order: int | None
    plan: Plan | None
    residence_months: int | None


def _same(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def city_since(record: ResidentRecord) -> date:
    """First day of the applicant's unbroken registration in the city."""
    since = record.moved_in
    for move in sorted(record.history, key=lambda m: m.moved_in, reverse=True):
        if move.moved_in >= since:
            continue  # the current address itself
        if not move.address.startswith(CITY) or move.moved_out is None or move.moved_out < since:
            break
        since = move.moved_in
    return since


def applicant_registration(record: ResidentRecord) -> Registration:
    return Registration(
        moved_in_on=city_since(record), moved_out_on=record.moved_out, household_ref=_HOUSEHOLD
    )


def _member_registration(member: Member) -> Registration:
    return Registration(
        moved_in_on=member.moved_in, moved_out_on=member.moved_out, household_ref=_HOUSEHOLD
    )


def find_child(record: ResidentRecord, app: Application) -> Member | Supplement | None:
    """The child in the applicant's household; a Supplement when the birth date disagrees;
    None when the household has no child of that name."""
    named = [m for m in record.household if m.relation == "자녀" and _same(m.name, app.child_name)]
    if not named:
        return None
    exact = [m for m in named if m.birth_date == app.child_birth_date]
    if not exact:
        return Supplement(code="childbirth.child_mismatch", params={})
    return exact[0]


def _spouse(record: ResidentRecord) -> Member | None:
    partners = [m for m in record.household if m.relation in ("본인", "배우자")]
    others = [
        m
        for m in partners
        if not (_same(m.name, record.name) and m.birth_date == record.birth_date)
    ]
    return others[0] if others else None


def check_application(app: Application, record: ResidentRecord | None) -> Supplement | None:
    """Documents present and the application agreeing with the registry."""
    if app.missing_documents:
        return Supplement(
            code="childbirth.documents_missing",
            params={"documents": ", ".join(app.missing_documents)},
        )
    if record is None:
        return Supplement(code="childbirth.applicant_mismatch", params={})
    if not _same(app.address, record.address):
        return Supplement(code="childbirth.address_mismatch", params={})
    return None


def judge(
    app: Application,
    record: ResidentRecord,
    *,
    today: date,
    policy: Policy,
    child_elsewhere: bool = False,
) -> Eligible | Supplement:
    """The decision on a first payment (raises NotEligible when the ordinance excludes it).

    ``child_elsewhere``: the child is not in the applicant's household but the registry has
    them registered in the city (another household).
    """
    child = find_child(record, app)
    if isinstance(child, Supplement):
        return child
    applicant = applicant_registration(record)
    if child is not None:
        child_registration = _member_registration(child)
    elif child_elsewhere:  # registered (since the birth at the latest), not with the applicant
        child_registration = Registration(
            moved_in_on=app.child_birth_date, household_ref=_ELSEWHERE
        )
    else:
        child_registration = Registration(moved_in_on=None, household_ref=None)
    if app.kind is Kind.POSTNATAL:
        assert app.care is not None
        rules.check_postnatal_deadline(app.child_birth_date, app.received_on, policy)
        spouse = _spouse(record)
        rules.check_postnatal_eligibility(
            birth_date=app.child_birth_date,
            mother=applicant,
            spouse=_member_registration(spouse) if spouse is not None else None,
        )
        amount = rules.postnatal_amount(
            app.care.group,
            birth_date=app.child_birth_date,
            centre_in_city=app.care.centre_in_city,
            days_used=app.care.days_used,
            multiple_birth=app.multiple_birth,
            policy=policy,
        )
        order = birth_order_of(record, app)
        return Eligible(amount_now=amount, birth_order=order, plan=None, residence_months=None)
    months = rules.check_residency(
        birth_date=app.child_birth_date,
        applicant=applicant,
        child=child_registration,
        checked_on=max(today, app.child_birth_date),
        policy=policy,
    )
    order = birth_order_of(record, app)
    plan = rules.incentive_plan(order, app.child_birth_date, policy)
    return Eligible(
        amount_now=plan.instalments[0].amount, birth_order=order, plan=plan, residence_months=months
    )


def birth_order_of(record: ResidentRecord, app: Application) -> int:
    """The child's order among the household's children (older siblings + 1)."""
    siblings = [
        m.birth_date
        for m in record.household
        if m.relation == "자녀" and not _same(m.name, app.child_name)
    ]
    return rules.birth_order(app.child_birth_date, siblings)


def still_due(app: Application, record: ResidentRecord, plan: Plan, *, policy: Policy) -> bool:
    """Whether a later instalment is still paid: the applicant and the child have stayed
    registered in the city since the birth (raises NotEligible ``not_in_household`` when the
    child is no longer in the applicant's household, for an official to look into)."""
    child = find_child(record, app)
    if not isinstance(child, Member):
        raise NotEligible("childbirth.not_in_household", {})
    return rules.instalment_still_due(
        plan,
        app.instalment_no,
        applicant=applicant_registration(record),
        child=_member_registration(child),
        policy=policy,
    )


__all__ = [
    "CITY",
    "Eligible",
    "Supplement",
    "applicant_registration",
    "birth_order_of",
    "check_application",
    "city_since",
    "find_child",
    "judge",
    "still_due",
]
