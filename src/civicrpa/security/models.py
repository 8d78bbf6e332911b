"""Tables of the safeguards: the hash-chained audit trail, its head and its anchors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from civicrpa.db.base import Base
from civicrpa.db.types import BigId, UTCDateTime


class AuditEntry(Base):
    """One change by a robot or a person; ``hash`` chains it to the entry before."""

    __tablename__ = "audit_log"

    #: 1, 2, 3 ... without gaps: assigned from the head under its lock, not by a sequence.
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: ``robot:<worker>``, ``person:<user>`` or ``system``.
    actor: Mapped[str] = mapped_column(String(200))
    #: e.g. ``item.claim``, ``item.complete``, ``decision.requeue``, ``key.rotate``.
    action: Mapped[str] = mapped_column(String(64))
    #: e.g. ``work_item:123``.
    target: Mapped[str] = mapped_column(String(200))
    #: Masked facts of the change (never personal data).
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: HMAC-SHA256 under the audit key ``key_id`` of the key ring (plain SHA-256 for entries
    #: written before revision 0007, whose ``key_id`` is NULL): see :mod:`civicrpa.security.audit`.
    hash: Mapped[str] = mapped_column(String(64))
    #: The key ring's audit key the hash was made with; NULL: unkeyed, from before keying began.
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditHead(Base):
    """The last entry's number and hash (one row): appends lock it, so the chain never forks,
    and deleting the newest entries shows as a head that points past the end."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigId)
    hash: Mapped[str] = mapped_column(String(64))


class AuditAnchor(Base):
    """A hash the chain must still have at ``seq``: kept every so many entries (and exported
    by ``civicrpa audit anchor`` to a file outside the database)."""

    __tablename__ = "audit_anchors"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Identity(Base):
    """A person or a robot that may act, with its one role (see :mod:`civicrpa.security.rbac`)."""

    __tablename__ = "identities"

    #: The log-in or OS user name of a person; ``robot:<name>`` service names for robots.
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: ``person`` or ``robot``.
    kind: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(100))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccessLogEntry(Base):
    """A person looked at personal data: who, when, what and why (PIPA safeguards)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_at", "at"), Index("ix_access_log_actor", "actor"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    #: The stated reason (required).
    reason: Mapped[str] = mapped_column(Text)
    #: e.g. ``work_item``, ``artifact``.
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(100))
    #: Which personal fields were shown.
    fields: Mapped[list[str]] = mapped_column(JSON)


class Credential(Base):
    """A robot's log-in to a municipal system, encrypted (never logged, never shown)."""

    __tablename__ = "credentials"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: ``v1.<key>.…`` tokens (:mod:`civicrpa.security.crypto`).
    username_sealed: Mapped[str] = mapped_column(Text)
    secret_sealed: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


audit_log = cast(Table, AuditEntry.__table__)
audit_head = cast(Table, AuditHead.__table__)
audit_anchors = cast(Table, AuditAnchor.__table__)
identities = cast(Table, Identity.__table__)
access_log = cast(Table, AccessLogEntry.__table__)
credentials = cast(Table, Credential.__table__)
