"""Tables of the safeguards: the hash-chained audit trail, its head and its anchors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Integer, String, Table
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
    hash: Mapped[str] = mapped_column(String(64))


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


audit_log = cast(Table, AuditEntry.__table__)
audit_head = cast(Table, AuditHead.__table__)
audit_anchors = cast(Table, AuditAnchor.__table__)
