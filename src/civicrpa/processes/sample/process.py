"""Wiring of the sample process: check an application's documents and applicant's age."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, time, timedelta

from civicrpa.processes.sample import rules
from civicrpa.processes.sample.inputs import REQUIRED_DOCUMENTS, SampleApplication
from civicrpa.processes.sample.messages import MESSAGES
from civicrpa.processes.sample.steps import simulate_intake_screen
from civicrpa.runtime import (
    BusinessRuleError,
    DailyBusinessDayRule,
    Demo,
    ItemContext,
    NewItem,
    Process,
    ProduceContext,
    RetryPolicy,
    fictional_rrn,
    to_kst,
    utcnow,
)

#: Percent of applications whose first attempt meets a (simulated) unavailable screen.
FAULT_PERCENT = 5


def handle(ctx: ItemContext[SampleApplication]) -> dict[str, object]:
    """Check one application."""
    application = ctx.payload
    with ctx.step("open_application"):
        simulate_intake_screen(ctx.reference, ctx.attempt, fault_percent=FAULT_PERCENT)
    with ctx.step("check_documents"):
        missing = rules.missing_documents(application)
        if missing:
            raise BusinessRuleError("sample.missing_document", {"documents": ", ".join(missing)})
    with ctx.step("check_applicant"):
        # Logged in clear on purpose: the log's masking processor must star the numbers before
        # the line is written (a test reads the log), as it would for a careless handler.
        clear = [v.reveal() for v in (application.applicant_rrn, application.phone) if v]
        if application.account_no:
            clear.append(application.account_no.reveal())
        ctx.log.info("sample.applicant_checked", applicant=" ".join(clear))
        rules.check_applicant(application)
        confirmed = None
        if (age := rules.age_is_unusual(application)) is not None:
            # An official confirms the birth date once (or corrects it on approval).
            confirmed = ctx.ask_review("sample.applicant_age_unusual", {"age": age}).actor
    output: dict[str, object] = {"documents_checked": len(application.documents)}
    if confirmed is not None:
        output["age_confirmed_by"] = confirmed
    return output


def seed_applications(count: int, *, seed: int = 7, prefix: str = "SAMPLE") -> Iterator[NewItem]:
    """Synthetic applications: most complete, some missing a document, some by minors."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        submitted = date(2025, 3, 1) + timedelta(days=rng.randrange(200))
        age = 17 if rng.random() < 0.06 else rng.randrange(20, 70)
        birth = date(submitted.year - age, rng.randrange(1, 13), rng.randrange(1, 29))
        documents = list(REQUIRED_DOCUMENTS)
        if rng.random() < 0.1:
            documents.remove(rng.choice(REQUIRED_DOCUMENTS))
        application = SampleApplication(
            application_no=f"{prefix}-{number:06d}",
            applicant_birth_date=birth,
            submitted_on=submitted,
            documents=documents,
            applicant_rrn=fictional_rrn(birth, male=rng.random() < 0.5, rng=rng),
            phone=f"010-{rng.randrange(2000, 9999)}-{rng.randrange(10000):04d}",
            account_no=f"{rng.randrange(100, 999)}-{rng.randrange(10**6):06d}-{rng.randrange(10**5):05d}",
        )
        yield NewItem(
            reference=application.application_no, payload=application.model_dump(mode="json")
        )


def produce(ctx: ProduceContext) -> Iterator[NewItem]:
    """The dispatcher: the sample 'finds' a batch of new applications."""
    stamp = to_kst(utcnow()).strftime("%Y%m%d%H%M")
    return seed_applications(ctx.limit or 20, seed=random.randrange(1 << 30), prefix=f"S{stamp}")


def produce_demo(ctx: ProduceContext) -> Iterator[NewItem]:
    """The demo's applications: references stamped with the moment, so every run adds new ones."""
    stamp = to_kst(utcnow()).strftime("%Y%m%d%H%M%S")
    return seed_applications(ctx.limit or 300, seed=int(stamp), prefix=f"DEMO{stamp}")


PROCESS = Process(
    name="sample_document_check",
    title_ko="신청 서류 점검 (예제)",
    payload=SampleApplication,
    handler=handle,
    reference_field="application_no",
    retry=RetryPolicy(max_attempts=3, base=timedelta(seconds=0.5), jitter=0.0),
    lease=timedelta(seconds=30),
    producer=produce,
    schedules=(("sample_morning_batch", DailyBusinessDayRule(at=time(8, 30))),),
    manual_minutes=3.0,
    retention_days=90,
    messages=MESSAGES,
    prefix="sample",
    # The demo makes up its applications (no sandbox needed), 300 unless told otherwise.
    demo=Demo(produce=produce_demo, items=300),
)
