"""Writing applications: numbering, submission, status steps and memos, each one transaction.

Numbers come from an upsert on ``counters`` (one statement takes SQLite's write lock, so two
citizens submitting at once never get the same 접수번호). A status step is a conditional UPDATE
(``WHERE status = <what the official saw>``): if someone else moved the application first,
nothing is written and the caller says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, insert, select, true, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from civicrpa.core.clock import KST
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.files import Upload
from civicrpa.sandbox.intake.models import (
    PORTAL_USER,
    applications,
    attachments,
    counters,
    history,
)
from civicrpa.sandbox.intake.validation import ApplicationInput
from civicrpa.sandbox.intake.workflow import Channel, Kind, Status, application_no


def _stamp(now: datetime) -> datetime:
    """Naive UTC, as the tables keep it (SQLite stores no zone)."""
    return now.astimezone(UTC).replace(tzinfo=None)


def next_number(session: Session, year: int, kind: Kind) -> str:
    """The next 접수번호 of ``kind`` in ``year`` (KST year of receipt)."""
    statement = (
        sqlite_insert(counters)
        .values(year=year, kind=kind.value, last=1)
        .on_conflict_do_update(
            index_elements=[counters.c.year, counters.c.kind], set_={"last": counters.c.last + 1}
        )
        .returning(counters.c.last)
    )
    serial: int = session.execute(statement).scalar_one()
    return application_no(year, kind, serial)


def submit(
    db: SandboxDatabase,
    data: ApplicationInput,
    files: Sequence[tuple[str, Upload]],
    now: datetime,
) -> str:
    """Store a citizen's application with its files and its first history row; its number."""
    stamp = _stamp(now)
    with db.session() as session:
        number = next_number(session, now.astimezone(KST).year, data.kind)
        app_id = session.execute(
            insert(applications)
            .values(
                application_no=number,
                kind=data.kind.value,
                status=Status.RECEIVED.value,
                applicant_name=data.applicant_name,
                applicant_rrn=data.applicant_rrn,
                phone=data.phone,
                address=data.address,
                child_name=data.child_name,
                child_birth_date=data.child_birth_date,
                bank=data.bank,
                account_no=data.account_no,
                account_holder=data.account_holder,
                multiple_birth=data.multiple_birth,
                care_group=data.care_group.value if data.care_group else None,
                centre_in_city=data.centre_in_city,
                care_days=data.care_days,
                channel=Channel.ONLINE.value,
                received_at=stamp,
                updated_at=stamp,
            )
            .returning(applications.c.id)
        ).scalar_one()
        session.execute(
            insert(attachments),
            [
                {
                    "application_id": app_id,
                    "kind": kind,
                    "filename": upload.filename,
                    "size": len(upload.content),
                    "content": upload.content,
                }
                for kind, upload in files
            ],
        )
        session.execute(
            insert(history).values(
                application_id=app_id,
                at=stamp,
                username=PORTAL_USER[0],
                display_name=PORTAL_USER[1],
                from_status=None,
                to_status=Status.RECEIVED.value,
                memo="온라인 신청 접수",
            )
        )
    return number


def matching(*, status: str = "", kind: str = "") -> ColumnElement[bool]:
    """Applications of ``status`` and ``kind`` (an empty value matches all)."""
    condition: ColumnElement[bool] = true()
    if status:
        condition = and_(condition, applications.c.status == status)
    if kind:
        condition = and_(condition, applications.c.kind == kind)
    return condition


def find(session: Session, number: str) -> Row[Any] | None:
    """The application with 접수번호 ``number``, or None."""
    return session.execute(
        select(applications).where(applications.c.application_no == number)
    ).first()


def attachment_list(session: Session, app_id: int) -> Sequence[Row[Any, Any, Any, Any]]:
    """An application's files without their content: id, kind, filename, size."""
    return session.execute(
        select(attachments.c.id, attachments.c.kind, attachments.c.filename, attachments.c.size)
        .where(attachments.c.application_id == app_id)
        .order_by(attachments.c.id)
    ).all()


def change_status(
    db: SandboxDatabase,
    app_id: int,
    *,
    source: Status,
    target: Status,
    memo: str,
    user: tuple[str, str],
    now: datetime,
) -> bool:
    """Move ``source`` -> ``target`` and record it; False if the status was no longer ``source``."""
    stamp = _stamp(now)
    with db.session() as session:
        moved = session.execute(
            update(applications)
            .where(applications.c.id == app_id, applications.c.status == source.value)
            .values(status=target.value, updated_at=stamp)
            .returning(applications.c.id)
        ).first()
        if moved is None:
            return False
        session.execute(
            insert(history).values(
                application_id=app_id,
                at=stamp,
                username=user[0],
                display_name=user[1],
                from_status=source.value,
                to_status=target.value,
                memo=memo,
            )
        )
    return True


def add_memo(
    db: SandboxDatabase, app_id: int, *, memo: str, user: tuple[str, str], now: datetime
) -> None:
    """Record a memo without a status step."""
    with db.session() as session:
        session.execute(
            insert(history).values(
                application_id=app_id,
                at=_stamp(now),
                username=user[0],
                display_name=user[1],
                from_status=None,
                to_status=None,
                memo=memo,
            )
        )
