"""A test process with an irreversible effect: it "pays" into a ledger file, then records.

The ledger file stands for finance, the system of record the robot asks before an item would
end ``failed`` (:attr:`Process.effect_check`). The handler pays once per reference (it looks
the ledger up first, as the real robots look finance up) and then records the payment, which
fails on purpose for the first ``record_fails`` attempts.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import create_engine, text

from civicrpa.core.errors import TargetUnavailable
from civicrpa.queue.retry import RetryPolicy
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process
from tests.conftest import PG_URL


class Payment(BaseModel):
    ledger: str
    amount: int = 1000
    #: Recording after the payment fails on attempts 1..record_fails.
    record_fails: int = 0
    #: The payment itself fails on attempts 1..pay_fails (nothing is paid then).
    pay_fails: int = 0
    #: ``broken``: finance cannot be asked (the check raises).
    check: Literal["ledger", "broken"] = "ledger"
    #: On the first attempt, just before returning, PostgreSQL drops every connection of this
    #: application name (the robot's own): the final write meets a dead connection.
    drop_connections_of: str | None = None


def paid(ledger: Path, reference: str) -> int:
    """How many payments the ledger holds under ``reference``."""
    if not ledger.exists():
        return 0
    return sum(1 for line in ledger.read_text().splitlines() if line.split()[0] == reference)


def handle(ctx: ItemContext[Payment]) -> dict[str, object]:
    ledger = Path(ctx.payload.ledger)
    with ctx.step("pay"):
        if ctx.attempt <= ctx.payload.pay_fails:
            raise TargetUnavailable("system.target_unavailable", {"system": "재정"})
        paid_now = paid(ledger, ctx.reference) == 0
        if paid_now:
            ctx.ensure_lease()
            with ledger.open("a") as handle:
                handle.write(f"{ctx.reference} {ctx.payload.amount}\n")
                handle.flush()
                os.fsync(handle.fileno())
    with ctx.step("record"):
        if ctx.attempt <= ctx.payload.record_fails:
            raise TargetUnavailable("system.target_unavailable", {"system": "민원 접수"})
    if ctx.payload.drop_connections_of and ctx.attempt == 1:
        assert terminate_backends(ctx.payload.drop_connections_of) >= 1
    return {"amount": ctx.payload.amount, "paid_now": paid_now}


def terminate_backends(application_name: str) -> int:
    """Make PostgreSQL close every connection of ``application_name``; returns how many."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        admin.dispose()


def effect_check(ctx: ItemContext[Payment]) -> bool:
    if ctx.payload.check == "broken":
        raise TargetUnavailable("system.target_unavailable", {"system": "재정"})
    return paid(Path(ctx.payload.ledger), ctx.reference) > 0


PAYER = Process(
    name="payer",
    title_ko="시험용 지급 업무",
    payload=Payment,
    handler=handle,
    retry=RetryPolicy(
        max_attempts=3, base=timedelta(milliseconds=20), jitter=0.0, settle_attempts=2
    ),
    lease=timedelta(seconds=2),
    effect_check=effect_check,
)

PROCESSES = [PAYER]
