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

import base64
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import structlog

from civicrpa.config import Settings
from civicrpa.core.clock import KST, to_kst, utcnow
from civicrpa.core.errors import BusinessRuleError, NotEligible
from civicrpa.processes.childbirth_incentive import steps
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
    COLUMNS,
    Application,
    IntakeRow,
    Kind,
    parse,
)
from civicrpa.processes.childbirth_incentive.policy import Policy, policy_from_settings
from civicrpa.processes.childbirth_incentive.rules import incentive_plan
from civicrpa.queue.records import NewItem
from civicrpa.queue.retry import RetryPolicy
from civicrpa.runtime.browser import BrowserSession, FormRejected, browser_session
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process, ProduceContext
from civicrpa.runtime.schedules import DailyBusinessDayRule
from civicrpa.runtime.sheets import read_rows
from civicrpa.runtime.signals import AskReview

#: Minutes an official spends on one application by hand: open it, look the applicant up in the
#: registry, work out the amount, register the payment with the holder check, write the memo.
#: An assumption (Gwangyang reported no figure); used only for the demo's estimate.
MANUAL_MINUTES = 12.0
#: Personal data of a settled item is destroyed this long after: five years of instalments
#: plus one year for audit (U: the city's records schedule decides).
RETENTION_DAYS = 6 * 365
_DECIDED = {steps.APPROVED, steps.REJECTED, steps.PAID, steps.SUPPLEMENT}
_KIND_CODES = {"출산": "CI", "산후": "PC"}
_log = structlog.get_logger("civicrpa.childbirth")


def process_today(settings: Settings) -> date:
    """The day the rules judge by: the configured process date, else today in Korea."""
    return settings.process_date or to_kst(utcnow()).date()


def payment_reference(application_no: str, instalment_no: int) -> str:
    """Finance's reference (letters, digits, hyphens): ``2025-출산-000123`` #2 → ``CI-2025-000123-2``."""
    year, kind, serial = application_no.split("-", 2)
    return f"{_KIND_CODES.get(kind, 'XX')}-{year}-{serial}-{instalment_no}"


def _won(amount: int) -> str:
    return f"{amount:,}원"


def _session(ctx: ItemContext[Any]) -> BrowserSession:
    session = ctx.session
    if not isinstance(session, BrowserSession):
        raise TypeError("the childbirth process needs a browser session")
    return session


def handle(ctx: ItemContext[IntakeRow]) -> dict[str, object]:
    session = _session(ctx)
    intake = session.screen(steps.INTAKE)
    number = ctx.payload.application_no
    policy = policy_from_settings(ctx.settings)
    today = process_today(ctx.settings)
    if ctx.payload.instalment_no > 1:
        return _later_instalment(ctx, session, policy)
    with ctx.step("open_application"):
        opened = steps.start_review(intake, number, f"{steps.ROBOT_MARK} 자동 심사 시작")
    reference = payment_reference(number, 1)
    # A decision the robot recorded itself belongs to an earlier attempt of this item (killed
    # or failed before the queue heard of it): the attempt is done again from the systems of
    # record, writing nothing twice, so the item ends as that decision did. Anybody else's
    # decision is left alone.
    earlier = (
        opened.status
        if opened.decided_by_robot and opened.status in (steps.APPROVED, steps.SUPPLEMENT)
        else None
    )
    if opened.status in _DECIDED and earlier is None:
        return {"decision": "already_decided", "status": opened.status}
    try:
        app, decision = _assess(ctx, session, number, today, policy)
    except NotEligible as exc:
        if earlier == steps.APPROVED:  # paid earlier, refused now: the registry changed since
            raise AskReview("childbirth.approved_then_refused", {"reason": exc.message_ko}) from exc
        memo = (
            f"{steps.ROBOT_MARK} 지급 요건 미충족: {exc.message_ko} 담당자 확인 후 반려 바랍니다."
        )
        with ctx.step("record_refusal"):
            steps.add_memo(intake, number, memo[:500])
        raise
    except BusinessRuleError as exc:
        if earlier == steps.APPROVED:
            raise AskReview("childbirth.approved_then_refused", {"reason": exc.message_ko}) from exc
        _supplement(ctx, intake, number, exc.code, exc.params)  # a no-op when sent back already
        raise
    if earlier == steps.SUPPLEMENT:  # sent back earlier: for the account, or no flaw now
        with ctx.step("check_account"):
            check = steps.check_account(
                session.screen(steps.FINANCE), _order(app, decision.amount_now, reference, "")
            )
        if not check.found:
            raise BusinessRuleError("childbirth.account_check_failed", {"reason": check.message})
        raise BusinessRuleError("childbirth.supplement_requested_earlier", {})
    # A first attempt that found the application 접수 cannot have paid it already; any other
    # attempt may have (killed between paying and recording), so it looks in finance first.
    fresh = ctx.attempt == 1 and opened.status == steps.RECEIVED
    memo = _memo(app, decision, 1)
    paid = _pay(ctx, session, app, decision.amount_now, reference, memo, look_first=not fresh)
    with ctx.step("record_decision"):
        steps.move_application(intake, number, steps.APPROVED, memo)
    scheduled = _schedule_instalments(ctx, app, decision, today) if decision.plan else 0
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
        "parent_ref": parent_ref(ctx, app.applicant_rrn),
        "child_birth_date": app.child_birth_date.isoformat(),
        "multiple_birth": app.multiple_birth,
        "instalments": [
            [i.number, i.due_on.isoformat(), i.amount] for i in decision.plan.instalments
        ]
        if decision.plan
        else [],
        "postnatal": _postnatal_output(app, decision.amount_now),
    }


def _assess(
    ctx: ItemContext[IntakeRow],
    session: BrowserSession,
    number: str,
    today: date,
    policy: Policy,
) -> tuple[Application, Eligible]:
    """The application checked against the registry and judged, writing nothing anywhere.

    Raises :class:`BusinessRuleError` for a flaw the applicant can fix (보완요청) and
    :class:`NotEligible` for a refusal by the ordinance.
    """
    app = parse(ctx.payload)
    with ctx.step("check_registry"):
        record = None
        if not app.missing_documents:
            record = steps.look_up_resident(
                session.screen(steps.REGISTRY),
                name=app.applicant_name,
                rrn=app.applicant_rrn,
                purpose=f"출산장려금·산후조리비용 지급 요건 확인 (접수번호 {number})",
            )
    problem = check_application(app, record)
    if problem is not None or record is None:
        problem = problem or Supplement(code="childbirth.applicant_mismatch", params={})
        raise BusinessRuleError(problem.code, problem.params)
    child_elsewhere = False
    if app.kind is Kind.INCENTIVE and find_child(record, app) is None:
        with ctx.step("check_child"):
            child_elsewhere = steps.child_registered(
                session.screen(steps.REGISTRY),
                name=app.child_name,
                birth_date=app.child_birth_date,
                purpose=f"출산장려금 출생아 주민등록 확인 (접수번호 {number})",
            )
    with ctx.step("decide"):
        decision = judge(app, record, today=today, policy=policy, child_elsewhere=child_elsewhere)
    if isinstance(decision, Supplement):
        raise BusinessRuleError(decision.code, decision.params)
    return app, decision


def payment_made(ctx: ItemContext[IntakeRow]) -> bool:
    """Whether finance holds this item's payment (asked before the item would be failed)."""
    reference = payment_reference(ctx.payload.application_no, ctx.payload.instalment_no)
    return steps.payment_exists(_session(ctx).screen(steps.FINANCE), reference)


def parent_ref(ctx: ItemContext[Any], rrn: str) -> str:
    """A stable internal key of the parent: a keyed hash of the number, never the number."""
    digest = ctx.store.sealer.cipher.blind_index(rrn, context="parent-of-child")
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


def _memo(app: Application, decision: Eligible, number: int) -> str:
    if decision.plan is None:
        return f"[RPA] 산후조리비용 {_won(decision.amount_now)} 지급 등록"
    plan = decision.plan
    return (
        f"[RPA] 출산장려금 {decision.birth_order}째 총 {_won(plan.total)} "
        f"({len(plan.instalments)}회 분할) 중 {number}회차 {_won(decision.amount_now)} 지급 등록"
    )


def _supplement(
    ctx: ItemContext[IntakeRow], intake: Any, number: str, code: str, params: dict[str, Any]
) -> None:
    """Send the application back to the applicant with the reason (보완요청)."""
    reason = BusinessRuleError(code, params).message_ko
    with ctx.step("request_supplement"):
        memo = f"{steps.ROBOT_MARK} 보완 요청: {reason}"[:500]
        steps.move_application(intake, number, steps.SUPPLEMENT, memo)


def _order(app: Application, amount: int, reference: str, memo: str) -> steps.PaymentOrder:
    return steps.PaymentOrder(
        payee=app.applicant_name,
        bank=app.bank,
        account_no=app.account_no,
        holder=app.account_holder,
        amount=amount,
        budget_item=steps.BUDGET_ITEMS[app.kind.value],
        reference=reference,
        memo=f"{app.application_no} {memo.removeprefix(steps.ROBOT_MARK + ' ')}"[:100],
    )


def _pay(
    ctx: ItemContext[IntakeRow],
    session: BrowserSession,
    app: Application,
    amount: int,
    reference: str,
    memo: str,
    *,
    look_first: bool = True,
) -> bool:
    """Register the payment unless finance already has it; False when it was there already.

    Finance refuses a second payment under the same reference in any case; ``look_first``
    saves the robot from meeting that refusal when an earlier attempt may have paid.
    """
    finance = session.screen(steps.FINANCE)
    with ctx.step("pay"):
        if look_first and steps.payment_exists(finance, reference):
            return False
        ctx.ensure_lease()  # nobody else may have taken the item over right before paying
        order = _order(app, amount, reference, memo)
        try:
            check = steps.register_payment(finance, order)
        except FormRejected:
            if steps.payment_exists(finance, reference):  # registered by a retried step
                return True
            raise
    if not check.found:
        params = {"reason": check.message}
        _supplement(
            ctx,
            session.screen(steps.INTAKE),
            app.application_no,
            "childbirth.account_check_failed",
            params,
        )
        raise BusinessRuleError("childbirth.account_check_failed", params)
    return True


def _due_at(due_on: date, today: date) -> datetime:
    """When a later instalment becomes due, on the queue's clock (UTC)."""
    start = datetime.combine(to_kst(utcnow()).date(), time(9, 0), tzinfo=KST)
    return (start + timedelta(days=(due_on - today).days)).astimezone(UTC)


def _schedule_instalments(
    ctx: ItemContext[IntakeRow], app: Application, decision: Eligible, today: date
) -> int:
    assert decision.plan is not None
    items = [
        NewItem(
            reference=f"{app.application_no}#{instalment.number}",
            payload={
                **ctx.payload.model_dump(mode="json"),
                "instalment_no": instalment.number,
                "birth_order": decision.birth_order,
            },
            available_at=_due_at(instalment.due_on, today),
        )
        for instalment in decision.plan.instalments[1:]
    ]
    if items:
        with ctx.step("schedule_instalments"):
            ctx.store.add_many(ctx.claim.queue, items, actor=f"robot:{ctx.claim.worker}")
    return len(items)


def _later_instalment(
    ctx: ItemContext[IntakeRow], session: BrowserSession, policy: Policy
) -> dict[str, object]:
    """Instalment 2..n: re-check residence in the registry, then pay (or stop)."""
    app = parse(ctx.payload)
    number = app.instalment_no
    intake = session.screen(steps.INTAKE)
    with ctx.step("check_registry"):
        record = steps.look_up_resident(
            session.screen(steps.REGISTRY),
            name=app.applicant_name,
            rrn=app.applicant_rrn,
            purpose=f"출산장려금 {number}회차 거주 확인 (접수번호 {app.application_no})",
        )
    if record is None:
        raise BusinessRuleError("childbirth.applicant_mismatch", {})
    # The birth order decided with the first payment; items queued before it was carried
    # count the household's children again.
    order = app.birth_order or birth_order_of(record, app)
    plan = incentive_plan(order, app.child_birth_date, policy)
    try:
        due = still_due(app, record, plan, policy=policy)
    except NotEligible as exc:
        memo = f"[RPA] 출산장려금 {number}회차 지급 보류: {exc.message_ko} 담당자 확인 바랍니다."
        with ctx.step("hold_instalment"):
            steps.add_memo(intake, app.application_no, memo[:500])
        raise
    if not due:
        with ctx.step("stop_instalments"):
            steps.add_memo(
                intake,
                app.application_no,
                f"[RPA] 출산장려금 {number}회차 이후 지급 중지: 출생 후 관외 전출",
            )
        raise NotEligible("childbirth.instalment_stopped", {"number": number})
    amount = plan.instalments[number - 1].amount
    reference = payment_reference(app.application_no, number)
    memo = f"[RPA] 출산장려금 {number}회차 {_won(amount)} 지급 등록"
    paid = _pay(ctx, session, app, amount, reference, memo)
    with ctx.step("record_decision"):
        steps.add_memo(intake, app.application_no, memo)
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
    settings = ctx.settings
    left = ctx.limit
    with BrowserSession(settings, credentials=ctx.credentials.get) as session:
        intake = session.screen(steps.INTAKE)
        for kind in (Kind.INCENTIVE, Kind.POSTNATAL):
            if left is not None and left <= 0:
                break
            data = steps.export_open_applications(intake, kind.value)
            read = read_rows(data, IntakeRow, COLUMNS)
            for error in read.errors:
                _log.warning(
                    "export.row_rejected",
                    row=error.row,
                    column=error.column,
                    code=error.code,
                )
            rows = read.rows if left is None else read.rows[:left]
            if left is not None:
                left -= len(rows)
            for _row_number, row in rows:
                yield NewItem(reference=row.application_no, payload=row.model_dump(mode="json"))


def _check_settings(settings: Settings) -> None:
    """The city's tables file and settings, read once before the first application."""
    policy_from_settings(settings)


PROCESS = Process(
    name="childbirth_incentive",
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
    systems=("intake", "resident_registry", "finance"),
    check=_check_settings,
)

__all__ = ["PROCESS", "handle", "payment_made", "payment_reference", "process_today", "produce"]
