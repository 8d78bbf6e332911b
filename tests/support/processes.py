"""Processes used by the runtime's tests: each payload ``mode`` exercises one way an attempt ends.

The handler appends ``start <reference>`` and ``done <reference>`` lines to a file per robot
process under ``marker_dir``, so tests can count what really ran, independently of the queue's
own bookkeeping.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from civicrpa.core.errors import NotEligible, TargetUnavailable
from civicrpa.queue.retry import RetryPolicy
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process
from civicrpa.runtime.signals import AskReview, Postpone

#: A synthetic resident registration number (check digit valid, not a real person's).
FAKE_RRN = "900101-1234568"


class Probe(BaseModel):
    mode: Literal[
        "ok",
        "business",
        "flaky",
        "broken",
        "postpone",
        "review",
        "ask",
        "slow",
        "pii",
        "attach",
        "die",
        "bad_output",
        "credential",
    ] = "ok"
    marker_dir: str | None = None
    sleep: float = 0.0
    #: Sleep this long on the first attempt only (a robot that hangs, then is killed).
    hang_first: float = 0.0
    #: A field a reviewer may correct (``queue approve --set 계좌번호=...``).
    account_no: str | None = Field(default=None, title="계좌번호", pattern=r"^[0-9-]{10,20}$")


def _mark(payload: Probe, event: str, reference: str) -> None:
    if payload.marker_dir is None:
        return
    path = Path(payload.marker_dir) / f"{os.getpid()}.log"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{event} {reference}\n")
        handle.flush()
        os.fsync(handle.fileno())


def handle(ctx: ItemContext[Probe]) -> dict[str, object]:
    payload = ctx.payload
    _mark(payload, "start", ctx.reference)
    with ctx.step("work"):
        if payload.sleep:
            time.sleep(payload.sleep)
        if payload.hang_first and ctx.attempt == 1:
            time.sleep(payload.hang_first)
        match payload.mode:
            case "business":
                raise NotEligible("sample.applicant_minor", {"adult_age": 19})
            case "flaky" if ctx.attempt == 1:
                raise TargetUnavailable("system.target_unavailable", {"system": "민원 접수"})
            case "broken":
                raise RuntimeError(f"cannot parse resident number {FAKE_RRN}")
            case "postpone":
                raise Postpone(ctx.claim.lease_expires_at + timedelta(hours=1), "queue.released")
            case "review":
                raise AskReview("business.rejected")  # asks again after an approval: a loop
            case "ask":
                approval = ctx.ask_review("business.rejected")
                return {
                    "approved_by": approval.actor,
                    "corrected": approval.corrected_fields,
                    "account_no": payload.account_no,
                }
            case "pii":
                ctx.log.info("probe.pii", note=f"applicant {FAKE_RRN} phone 010-1234-5678")
            case "die" if ctx.attempt == 1:
                os._exit(3)  # the robot process crashes mid-item, as a wedged browser can
            case "attach":
                ctx.attach(f"screen-{FAKE_RRN}.png", b"\x89PNG fake image", "image/png")
    with ctx.step("finish"):
        _mark(payload, "done", ctx.reference)
    if payload.mode == "credential":
        login = ctx.credential("intake")
        ctx.log.info("probe.login", credential=repr(login))
        return {"user": login.username, "secret_length": len(login.secret.get_secret_value())}
    if payload.mode == "bad_output":
        return {"documents": {"신청서", "통장 사본"}}  # a set: JSON cannot hold it
    return {"attempt": ctx.attempt, "amount": 1000}


PROBE = Process(
    name="probe",
    title_ko="시험용 업무",
    payload=Probe,
    handler=handle,
    reference_field="reference",
    retry=RetryPolicy(max_attempts=3, base=timedelta(milliseconds=50), jitter=0.0),
    lease=timedelta(seconds=2),
    retention_days=30,
)

PROCESSES = [PROBE]
