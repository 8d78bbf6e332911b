"""Tables of the intake system (its own database: the portal vendor's system, not ours)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

applications = Table(
    "applications",
    metadata,
    Column("id", Integer, primary_key=True),
    #: 접수번호, e.g. ``2025-출산-000123``.
    Column("application_no", String(30), nullable=False, unique=True),
    #: A :class:`~civicrpa.sandbox.intake.workflow.Kind` value.
    Column("kind", String(30), nullable=False),
    #: A :class:`~civicrpa.sandbox.intake.workflow.Status` value.
    Column("status", String(30), nullable=False),
    Column("applicant_name", String(50), nullable=False),
    #: Kept whole (``YYMMDD-SNNNNNN``); screens show it masked, ground truth and the officials'
    #: export show it whole. Plain strings, wider than a valid value: an application a clerk
    #: typed in from paper may carry a malformed number (see the seed's ``malformed_*``).
    Column("applicant_rrn", String(20), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("address", String(200), nullable=False),
    Column("child_name", String(50), nullable=False),
    Column("child_birth_date", Date, nullable=False),
    #: 다태아 (twins or more), as the applicant stated it; every kind of application.
    Column("multiple_birth", Boolean, nullable=False, default=False),
    #: A clearing code, a key of :data:`~civicrpa.sandbox.common.banks.BANKS` (``"011"``).
    Column("bank", String(20), nullable=False),
    Column("account_no", String(30), nullable=False),
    Column("account_holder", String(50), nullable=False),
    #: 산후조리비용 only (None for 출산장려금): a
    #: :class:`~civicrpa.sandbox.intake.workflow.CareGroup` value (산후조리 지원 구분), whether a
    #: postnatal-care centre in the city was used (관내 산후조리원 이용) and for how many days
    #: (산후조리원 이용 일수, 0-30, any centre).
    Column("care_group", String(20), nullable=True),
    Column("centre_in_city", Boolean, nullable=True),
    Column("care_days", Integer, nullable=True),
    #: A :class:`~civicrpa.sandbox.intake.workflow.Channel` value (접수 경로).
    Column("channel", String(10), nullable=False, default="online"),
    #: UTC, naive (SQLite keeps no zone); screens show KST.
    Column("received_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # Ground truth only, never shown on a screen: which registry rows the seed drew the
    # application from, and what it deliberately got wrong (robots must find that themselves).
    Column("registry_applicant_id", Integer, nullable=True),
    Column("registry_child_id", Integer, nullable=True),
    Column("seed_anomaly", String(40), nullable=True),
)
Index("ix_applications_inbox", applications.c.received_at, applications.c.id)
Index("ix_applications_filter", applications.c.status, applications.c.kind)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", Integer, ForeignKey("applications.id"), nullable=False, index=True),
    #: ``birth_certificate`` (출생증명서) or ``bankbook`` (통장 사본).
    Column("kind", String(20), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", Integer, ForeignKey("applications.id"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(50), nullable=False),
    Column("display_name", String(50), nullable=False),
    #: Both None for a memo alone; ``from_status`` None for the receipt itself.
    Column("from_status", String(30), nullable=True),
    Column("to_status", String(30), nullable=True),
    Column("memo", String(500), nullable=False),
)

#: The last serial given per (year, kind), so numbers never repeat even under concurrency.
counters = Table(
    "counters",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("kind", String(30), primary_key=True),
    Column("last", Integer, nullable=False),
)

#: Every .xlsx export of the inbox: who downloaded what, when and why (personal data leaves the
#: system with it, so the reason is required and kept).
downloads = Table(
    "downloads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(50), nullable=False),
    #: UTC, naive.
    Column("at", DateTime, nullable=False),
    #: A key of :data:`~civicrpa.sandbox.intake.export.EXPORT_REASONS`.
    Column("reason", String(30), nullable=False),
    #: The inbox's filters at the time ("" for all).
    Column("filter_status", String(30), nullable=False),
    Column("filter_kind", String(30), nullable=False),
    Column("row_count", Integer, nullable=False),
)

#: 첨부 종류 -> Korean label.
ATTACHMENT_LABELS = {"birth_certificate": "출생증명서", "bankbook": "통장 사본"}
#: Who the history names for an online submission.
PORTAL_USER = ("portal", "민원인(온라인 신청)")
