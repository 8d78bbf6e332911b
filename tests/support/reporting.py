"""Processes for the commands that hand files to people (``produce``, ``report``, ``queue
export``, ``queue artifact``), with no browser and no sandbox.

``grant_payment`` has everything a process author declares around the robot: a producer that
finds the same three applications every time (so a second run adds nothing), a report built
from its items' payloads and outputs (a pay list naming each applicant), personal data in its
payload (a name marked as such, a resident number) and output (a phone number). Its handler
pays, or refuses after attaching a note, or refuses after attaching a sealed trace exactly as
the browser session seals one. ``bare_check`` declares no producer and no report.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from civicrpa.core.errors import NotEligible
from civicrpa.core.personal import ResidentNumber
from civicrpa.queue.records import NewItem
from civicrpa.queue.retry import RetryPolicy
from civicrpa.queue.states import ItemState
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process, ProduceContext, Report
from civicrpa.runtime.reports import ReportContext
from civicrpa.security.pii import Personal

#: Synthetic personal data (check digit valid, nobody's).
RRN = "900101-1234568"
PHONE = "010-2345-6789"
NAME = "홍길동"
NOTE = b"applicant asked to call back"
TRACE = b"PK fake trace: the page showed " + RRN.encode()
NOTE_NAME = "note.txt"
TRACE_NAME = "trace-attempt1.zip.sealed"


class Grant(BaseModel):
    """An application for a grant."""

    application_no: str = Field(title="신청번호")
    applicant_name: Annotated[str, Personal.NAME] = Field(title="신청인 성명")
    applicant_rrn: ResidentNumber = Field(title="신청인 주민등록번호")
    amount: int = Field(title="신청 금액")
    #: How the robot ends the item (a test's switch, not a field of a real application).
    mode: Literal["pay", "note", "trace"] = Field(default="pay", title="처리 방식")


def grant(number: str, *, mode: str = "pay", amount: int = 300_000) -> dict[str, object]:
    """A payload of ``grant_payment``."""
    return {
        "application_no": number,
        "applicant_name": NAME,
        "applicant_rrn": RRN,
        "amount": amount,
        "mode": mode,
    }


def handle(ctx: ItemContext[Grant]) -> dict[str, object]:
    if ctx.payload.mode == "note":
        ctx.attach(NOTE_NAME, NOTE, "text/plain")
        raise NotEligible("business.not_eligible")
    if ctx.payload.mode == "trace":
        # What the browser session leaves when an item fails: the trace sealed to this item.
        from civicrpa.runtime.sealed import SEALED_MEDIA_TYPE, seal_artifact

        store, _settings = ctx.runtime_internals()
        sealed = seal_artifact(store.sealer.cipher, TRACE, item_id=ctx.item_id, name=TRACE_NAME)
        ctx.attach(TRACE_NAME, sealed, SEALED_MEDIA_TYPE)
        raise NotEligible("business.not_eligible")
    return {"paid_amount": ctx.payload.amount, "notified_phone": PHONE}


def produce(ctx: ProduceContext) -> Iterator[NewItem]:
    """The same applications every time: ``G-1`` .. ``G-<limit>`` (three unless told)."""
    for number in range(1, (ctx.limit or 3) + 1):
        yield NewItem(reference=f"G-{number}", payload=grant(f"G-{number}"))


def pay_list(ctx: ReportContext[object]) -> bytes:
    """Who was paid how much: a line per paid item, from its payload and output."""
    lines = ["신청번호,성명,지급액"]
    for item in ctx.results.items(states=(ItemState.SUCCESSFUL,)):
        payload, output = item.payload, item.output
        lines.append(
            f"{payload['application_no']},{payload['applicant_name']},{output['paid_amount']}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


GRANT = Process(
    name="grant_payment",
    title_ko="시험용 지원금 지급",
    payload=Grant,
    handler=handle,
    reference_field="application_no",
    retry=RetryPolicy(max_attempts=1, base=timedelta(milliseconds=10), jitter=0.0),
    producer=produce,
    reports=(Report(name="pay_list", title_ko="지급 명단", build=pay_list, suffix=".csv"),),
)


class Check(BaseModel):
    note: str = Field(default="", title="메모")


def _check(ctx: ItemContext[Check]) -> dict[str, object]:
    return {}


BARE = Process(name="bare_check", title_ko="시험용 점검", payload=Check, handler=_check)

PROCESSES = [GRANT, BARE]
