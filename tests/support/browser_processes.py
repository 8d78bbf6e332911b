"""A browser process for the runtime's tests: it opens the finance system's payment form.

``mode`` picks how the attempt ends: ``ok`` reads the page title; ``broken`` types a resident
number into the form and then fails with a system fault (evidence must be left, masked);
``business`` fails with a business rule (no evidence).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import BaseModel

from civicrpa.core.errors import NotEligible, TargetUnavailable
from civicrpa.queue.retry import RetryPolicy
from civicrpa.runtime.browser import BrowserSession, browser_session
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process

#: Typed into the form before the failure: it must not be readable in the screenshot.
TYPED_RRN = "900101-1234568"


class PaymentProbe(BaseModel):
    mode: Literal["ok", "broken", "business"]


def handle(ctx: ItemContext[PaymentProbe]) -> dict[str, object]:
    session: BrowserSession = ctx.session
    screen = session.screen("finance")
    with ctx.step("open_form"):
        screen.attempt("open_form", lambda: screen.open("/payments/new", step="open_form"))
    if ctx.payload.mode == "broken":
        screen.fill("적요", f"{TYPED_RRN} 확인")
        raise TargetUnavailable("system.target_unavailable", {"system": "finance"})
    if ctx.payload.mode == "business":
        raise NotEligible("business.not_eligible")
    return {"title": screen.page.title(), "launches": session.launches}


BROWSER_PROBE = Process(
    name="browser_probe",
    title_ko="브라우저 로봇 시험",
    payload=PaymentProbe,
    handler=handle,
    retry=RetryPolicy(max_attempts=1, base=timedelta(seconds=0.1), jitter=0.0),
    session=browser_session(),
)

PROCESSES = [BROWSER_PROBE]
