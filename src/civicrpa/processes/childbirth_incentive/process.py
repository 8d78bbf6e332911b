"""Wiring: Gwangyang's childbirth incentive robot (출산장려금·산후조리비용 지급).

**Producer** (business days 09:00): download the intake's export of received applications of
both kinds (stating why), read it into rows (a row without an application number is reported,
the others go on) and queue one item per application, referenced by its 접수번호.

**Handler**, one application:

1. open it in the intake; one already decided by someone (승인, 반려, 지급완료, 보완요청) is left
   alone, unless it was this robot's own payment left half-way (see 5);
2. check the row (malformed → 보완요청), the documents (missing → 보완요청) and the applicant in
   the resident registry by name and number with the look-up reason stated (unknown, other
   address, other birth date → 보완요청); a child missing from the applicant's household is
   searched by name and birth date, to tell "in another household" from "not registered";
3. decide with :mod:`.rules` (refused → 검토중 with the reason for an official; the item is a
   business exception, so nobody is refused by a robot alone);
4. pay: look the reference up in finance first, then 예금주 조회 and 지급 등록 (never twice: the
   reference is derived from the application and instalment, so a robot killed between paying
   and marking done finds its own payment on the retry and only marks done);
5. record 승인 and the memo in the intake; queue the later instalments, each due on the birth
   anniversary with the birth order decided now, each re-checking residence before paying
   (the applicant or the child left the city since the birth, even if back since → stopped;
   the child no longer in the applicant's household → left to an official).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import structlog

from civicrpa.core.clock import KST, to_kst, utcnow
from civicrpa.core.errors import BusinessRuleError, NotEligible
from civicrpa.processes.childbirth_incentive.decision import (
    Eligible,
    Supplement,
    birth_order_of,
    check_application,
    find_child,
    judge,
    still_due,
)
from civicrpa.processes.childbirth_incentive.inputs import (
    Application,
    IntakeRow,
    Kind,
    parse,
)
from civicrpa.processes.childbirth_incentive.messages import MESSAGES
from civicrpa.processes.childbirth_incentive.report import beneficiary_list
from civicrpa.processes.childbirth_incentive.rules import incentive_plan
from civicrpa.processes.childbirth_incentive.settings import ChildbirthSettings
from civicrpa.processes.childbirth_incentive.steps import (
    memo,
    payment_order,
    payment_reference,
    request_supplement,
)
from civicrpa.runtime import (
    BrowserSession,
    Demo,
    ItemContext,
    NewItem,
    Process,
    ProduceContext,
    Report,
    RetryPolicy,
    Summary,
    browser_session,
    format_won,
    read_rows,
)
from civicrpa.runtime.schedules import DailyBusinessDayRule
from civicrpa.runtime.signals import AskReview
from civicrpa.systems import finance, intake, resident_registry
from civicrpa.systems.finance import Finance
from civicrpa.systems.intake import DECIDED, Intake, Status
from civicrpa.systems.resident_registry import ResidentRegistry
from civicrpa.systems.values import clear

#: Minutes an official spends on one application by hand: open it, look the applicant up in the
#: registry, work out the amount, register the payment with the holder check, write the memo.
#: An assumption (Gwangyang reported no figure); used only for the demo's estimate.
MANUAL_MINUTES = 12.0
#: Personal data of a settled item is destroyed this long after: five years of instalments
#: plus one year for audit (U: the city's records schedule decides).
RETENTION_DAYS = 6 * 365
_log = structlog.get_logger("civicrpa.childbirth")

Ctx = ItemContext[IntakeRow]


def handle(ctx: Ctx) -> dict[str, object]:
    if ctx.payload.instalment_no > 1:
        return _later_instalment(ctx)
    session = ctx.browser
    office = Intake.on(session)
    number = ctx.payload.application_no
    with ctx.step("open_application"):
        opened = office.start_review(number, memo("review_started"))
    reference = payment_reference(number, 1)
    # A decision the robot recorded itself belongs to an earlier attempt of this item (killed
    # or failed before the queue heard of it): the attempt is done again from the systems of
    # record, writing nothing twice, so the item ends as that decision did. Anybody else's
    # decision is left alone.
    earlier = (
        opened.status
        if opened.decided_by_robot and opened.status in (Status.APPROVED, Status.SUPPLEMENT)
        else None
    )
    if opened.status in DECIDED and earlier is None:
        return {"decision": "already_decided", "status": opened.status}
    try:
        app, decision = _assess(ctx, session, number)
    except NotEligible as exc:
        if earlier == Status.APPROVED:  # paid earlier, refused now: the registry changed since
            raise AskReview("childbirth.approved_then_refused", {"reason": exc.message_ko}) from exc
        with ctx.step("record_refusal"):
            office.add_memo(number, memo("refused", reason=exc.message_ko))
        raise
    except BusinessRuleError as exc:
        if earlier == Status.APPROVED:
            raise AskReview("childbirth.approved_then_refused", {"reason": exc.message_ko}) from exc
        with ctx.step("request_supplement"):
            request_supplement(office, number, exc)  # a no-op when sent back already
        raise
    if earlier == Status.SUPPLEMENT:  # sent back earlier: for the account, or no flaw now
        with ctx.step("check_account"):
            check = Finance.on(session).check_account(
                payment_order(app, decision.amount_now, reference, "")
            )
        if not check.found:
            raise BusinessRuleError("childbirth.account_check_failed", {"reason": check.message})
        raise BusinessRuleError("childbirth.supplement_requested_earlier", {})
    # A first attempt that found the application 접수 cannot have paid it already; any other
    # attempt may have (killed between paying and recording), so it looks in finance first.
    fresh = ctx.attempt == 1 and opened.status == Status.RECEIVED
    note = _payment_memo(decision)
    paid = _pay(ctx, session, app, decision.amount_now, reference, note, look_first=not fresh)
    with ctx.step("record_decision"):
        office.move(number, Status.APPROVED, note)
    scheduled = _schedule_instalments(ctx, app, decision) if decision.plan else 0
    return {
        "decision": "paid",
        "kind": app.kind.value,
        "amount": decision.amount_now,
        "total": decision.plan.total if decision.plan else decision.amount_now,
        "birth_order": decision.birth_order,
        "reference": reference,
        "paid_now": paid,
        "instalments_scheduled": scheduled,
        # For the department's beneficiary list (report.py); no personal number in it.
        "parent_ref": parent_ref(ctx, clear(app.applicant_rrn)),
        "child_birth_date": app.child_birth_date.isoformat(),
        "multiple_birth": app.multiple_birth,
        "instalments": [
            [i.number, i.due_on.isoformat(), i.amount] for i in decision.plan.instalments
        ]
        if decision.plan
        else [],
        "postnatal": _postnatal_output(app, decision.amount_now),
    }


def _assess(ctx: Ctx, session: BrowserSession, number: str) -> tuple[Application, Eligible]:
    """The application checked against the registry and judged, writing nothing anywhere.

    Raises :class:`BusinessRuleError` for a flaw the applicant can fix (보완요청) and
    :class:`NotEligible` for a refusal by the ordinance.
    """
    settings: ChildbirthSettings = ctx.settings
    app = parse(ctx.payload)
    registry = ResidentRegistry.on(session)
    with ctx.step("check_registry"):
        record = None
        if not app.missing_documents:
            record = registry.look_up(
                name=app.applicant_name,
                rrn=app.applicant_rrn,
                reason=memo("lookup_applicant", number=number),
            )
    problem = check_application(app, record)
    if problem is not None or record is None:
        problem = problem or Supplement(code="childbirth.applicant_mismatch", params={})
        raise BusinessRuleError(problem.code, problem.params)
    child_elsewhere = False
    if app.kind is Kind.INCENTIVE and find_child(record, app) is None:
        with ctx.step("check_child"):
            child_elsewhere = registry.is_registered(
                name=app.child_name,
                birth_date=app.child_birth_date,
                reason=memo("lookup_child", number=number),
            )
    with ctx.step("decide"):
        decision = judge(
            app, record, today=ctx.today, policy=settings.policy, child_elsewhere=child_elsewhere
        )
    if isinstance(decision, Supplement):
        raise BusinessRuleError(decision.code, decision.params)
    return app, decision


def payment_made(ctx: Ctx) -> bool:
    """Whether finance holds this item's payment (asked before the item would be failed)."""
    reference = payment_reference(ctx.payload.application_no, ctx.payload.instalment_no)
    return Finance.on(ctx.browser).find_payment(reference)


def parent_ref(ctx: ItemContext[Any], rrn: str) -> str:
    """A stable internal key of the parent: a keyed hash of the number, never the number."""
    import base64

    digest = ctx.search_key(rrn, context="parent-of-child")
    return "P-" + base64.b32encode(bytes.fromhex(digest)[:10]).decode("ascii")


def _postnatal_output(app: Application, amount: int) -> dict[str, object] | None:
    if app.care is None:
        return None
    return {
        "group": app.care.group.value,
        "centre_in_city": app.care.centre_in_city,
        "days_used": app.care.days_used,
        "amount": amount,
    }


def _payment_memo(decision: Eligible) -> str:
    if decision.plan is None:
        return memo("postnatal_paid", amount=format_won(decision.amount_now))
    plan = decision.plan
    return memo(
        "incentive_paid",
        order=decision.birth_order,
        total=format_won(plan.total),
        count=len(plan.instalments),
        number=1,
        amount=format_won(decision.amount_now),
    )


def _pay(
    ctx: Ctx,
    session: BrowserSession,
    app: Application,
    amount: int,
    reference: str,
    note: str,
    *,
    look_first: bool = True,
) -> bool:
    """Pay once (:meth:`Finance.pay_once`); False when finance had the payment already.

    An account the bank does not know under the holder's name sends the application back
    (보완요청) as a business exception: nothing was paid.
    """
    with ctx.step("pay"):
        paid = Finance.on(session).pay_once(
            payment_order(app, amount, reference, note),
            ensure_lease=ctx.ensure_lease,
            look_first=look_first,
        )
    if not paid.paid:
        assert paid.check is not None
        error = BusinessRuleError("childbirth.account_check_failed", {"reason": paid.check.message})
        with ctx.step("request_supplement"):
            request_supplement(Intake.on(session), app.application_no, error)
        raise error
    return paid.paid_now


def _due_at(due_on: date, today: date) -> datetime:
    """When a later instalment becomes due, on the queue's clock (UTC)."""
    start = datetime.combine(to_kst(utcnow()).date(), time(9, 0), tzinfo=KST)
    return (start + timedelta(days=(due_on - today).days)).astimezone(UTC)


def _schedule_instalments(ctx: Ctx, app: Application, decision: Eligible) -> int:
    assert decision.plan is not None
    items = [
        NewItem(
            reference=f"{app.application_no}#{instalment.number}",
            payload={
                **ctx.payload.model_dump(mode="json"),
                "instalment_no": instalment.number,
                "birth_order": decision.birth_order,
            },
            available_at=_due_at(instalment.due_on, ctx.today),
        )
        for instalment in decision.plan.instalments[1:]
    ]
    if items:
        with ctx.step("schedule_instalments"):
            ctx.enqueue(items)
    return len(items)


def _later_instalment(ctx: Ctx) -> dict[str, object]:
    """Instalment 2..n: re-check residence in the registry, then pay (or stop)."""
    settings: ChildbirthSettings = ctx.settings
    session = ctx.browser
    app = parse(ctx.payload)
    number = app.instalment_no
    office = Intake.on(session)
    with ctx.step("check_registry"):
        record = ResidentRegistry.on(session).look_up(
            name=app.applicant_name,
            rrn=app.applicant_rrn,
            reason=memo("lookup_instalment", number=number, application_no=app.application_no),
        )
    if record is None:
        raise BusinessRuleError("childbirth.applicant_mismatch", {})
    # The birth order decided with the first payment; items queued before it was carried
    # count the household's children again.
    order = app.birth_order or birth_order_of(record, app)
    plan = incentive_plan(order, app.child_birth_date, settings.policy)
    try:
        due = still_due(app, record, plan, policy=settings.policy)
    except NotEligible as exc:
        with ctx.step("hold_instalment"):
            office.add_memo(
                app.application_no, memo("instalment_held", number=number, reason=exc.message_ko)
            )
        raise
    if not due:
        with ctx.step("stop_instalments"):
            office.add_memo(app.application_no, memo("instalments_stopped", number=number))
        raise NotEligible("childbirth.instalment_stopped", {"number": number})
    amount = plan.instalments[number - 1].amount
    reference = payment_reference(app.application_no, number)
    note = memo("instalment_paid", number=number, amount=format_won(amount))
    paid = _pay(ctx, session, app, amount, reference, note)
    with ctx.step("record_decision"):
        office.add_memo(app.application_no, note)
    return {
        "decision": "paid",
        "kind": Kind.INCENTIVE.value,
        "amount": amount,
        "reference": reference,
        "paid_now": paid,
    }


def produce(ctx: ProduceContext) -> Iterator[NewItem]:
    """Queue the intake's received applications of both kinds (``ctx.limit`` of them in all)."""
    if ctx.credentials is None:
        raise BusinessRuleError("childbirth.no_credentials", {})
    left = ctx.limit
    with BrowserSession(ctx.settings, credentials=ctx.credentials.get) as session:
        office = Intake.on(session)
        for kind in (Kind.INCENTIVE, Kind.POSTNATAL):
            if left is not None and left <= 0:
                break
            read = read_rows(office.export_open_applications(kind.value), IntakeRow)
            for error in read.errors:
                _log.warning(
                    "export.row_rejected", row=error.row, column=error.column, code=error.code
                )
            rows = read.rows if left is None else read.rows[:left]
            if left is not None:
                left -= len(rows)
            for _row_number, row in rows:
                yield NewItem(reference=row.application_no, payload=row.model_dump(mode="json"))


PROCESS = Process(
    name="childbirth_incentive",
    prefix="childbirth",
    title_ko="출산장려금·산후조리비용 지급",
    payload=IntakeRow,
    handler=handle,
    reference_field="application_no",
    retry=RetryPolicy(max_attempts=3, base=timedelta(seconds=2), jitter=0.2),
    lease=timedelta(seconds=120),
    producer=produce,
    session=browser_session(),
    schedules=(("childbirth_morning_intake", DailyBusinessDayRule(at=time(9, 0))),),
    manual_minutes=MANUAL_MINUTES,
    retention_days=RETENTION_DAYS,
    effect_check=payment_made,
    systems=(intake.SYSTEM, resident_registry.SYSTEM, finance.SYSTEM),
    settings=ChildbirthSettings,
    messages=MESSAGES,
    # The demo's city is a fresh sandbox: its intake's received applications are the items.
    demo=Demo(produce=produce),
    summary=Summary(amount_field="amount", amount_label_ko="지급액"),
    reports=(Report(name="beneficiaries", title_ko="지원대상자 명단", build=beneficiary_list),),
)

__all__ = ["PROCESS", "handle", "payment_made", "payment_reference", "produce"]
