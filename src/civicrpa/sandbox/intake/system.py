"""The application portal and intake office as a sandbox system."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from civicrpa.core.clock import format_kst
from civicrpa.sandbox.common.app import SystemSpec
from civicrpa.sandbox.common.banks import BANK_CHOICES
from civicrpa.sandbox.common.db import users_table
from civicrpa.sandbox.intake import office, portal, truth
from civicrpa.sandbox.intake.models import ATTACHMENT_LABELS, metadata
from civicrpa.sandbox.intake.seed import seed_applications
from civicrpa.sandbox.intake.workflow import (
    CARE_GROUP_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    CareGroup,
    Channel,
    Kind,
    Status,
    mask_rrn,
)


def _kst(stored: datetime | None) -> str:
    """Stored naive UTC shown on the Korean wall clock."""
    return format_kst(stored.replace(tzinfo=UTC) if stored is not None else None)


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else ("예" if value else "아니오")


def _care_group(value: str | None) -> str:
    return CARE_GROUP_LABELS[CareGroup(value)] if value in set(CareGroup) else "-"


def _setup(app: FastAPI) -> None:
    # Session token -> the 접수번호 its browser last received (the receipt page's only key).
    app.state.receipts = {}
    app.state.templates.env.filters.update(
        kst=_kst,
        mask_rrn=mask_rrn,
        status_label=lambda value: STATUS_LABELS[Status(value)],
        kind_label=lambda value: KIND_LABELS[Kind(value)],
        bank_label=lambda value: BANK_CHOICES.get(value, value),
        attachment_label=lambda value: ATTACHMENT_LABELS.get(value, value),
        care_group_label=_care_group,
        channel_label=lambda value: CHANNEL_LABELS.get(Channel(value), value),
        yes_no=_yes_no,
    )


users_table(metadata)

SPEC = SystemSpec(
    name="intake",
    title_ko="민원 접수 시스템",
    templates=Path(__file__).with_name("templates"),
    metadata=metadata,
    routers=(portal.router, office.router),
    truth=truth.router,
    home="/inbox",
    seed=seed_applications,
    setup=_setup,
)
