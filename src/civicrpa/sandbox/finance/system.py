"""The finance system as a sandbox system."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from civicrpa.sandbox.common.app import SystemSpec
from civicrpa.sandbox.common.db import users_table
from civicrpa.sandbox.finance import payments, registration, truth
from civicrpa.sandbox.finance.holder_checks import HolderChecks
from civicrpa.sandbox.finance.models import metadata
from civicrpa.sandbox.finance.seed import seed


def _setup(app: FastAPI) -> None:
    # 예금주 조회 answers per session: a payment needs one for its exact bank and account.
    app.state.holder_checks = HolderChecks()
    app.state.templates.env.filters["won"] = lambda amount: f"{amount:,}"


users_table(metadata)

SPEC = SystemSpec(
    name="finance",
    title_ko="지방재정 지출관리 시스템",
    templates=Path(__file__).with_name("templates"),
    metadata=metadata,
    routers=(registration.router, payments.router),
    truth=truth.router,
    home="/payments",
    seed=seed,
    setup=_setup,
)
