"""The inbox as an .xlsx file, as the 행복e음 and 새올 exports the robots read.

An official chooses why (내려받기 사유) and gets every application the inbox's filters match,
oldest first, in one sheet "신청 목록". The file is personal data for an authorised official:
the resident number is whole, as stored (even when a clerk mistyped it), and so is the account.
Every download is recorded (who, when, why, which filters, how many rows) in ``downloads``.

Values: labels in Korean; 접수일시 the text ``YYYY-MM-DD HH:MM`` in KST; 아기 생년월일 an Excel
date; 다태아 and 관내 산후조리원 이용 "예"/"아니오"; 출생증명서 and 통장 사본 "제출"/"미제출";
the 산후조리 columns blank for the 출산장려금. Text that starts with = + - @ is written as text
(:func:`~civicrpa.sandbox.common.files.xlsx_response` prefixes an apostrophe), never a formula.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, insert, select
from sqlalchemy.orm import Session

from civicrpa.core.clock import KST, format_kst
from civicrpa.sandbox.common.banks import BANKS
from civicrpa.sandbox.intake.models import applications, attachments, downloads
from civicrpa.sandbox.intake.workflow import (
    CARE_GROUP_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    CareGroup,
    Kind,
    Status,
)

#: 내려받기 사유: code -> Korean label (the code is what ``downloads`` keeps).
EXPORT_REASONS = {
    "benefit_review": "복지급여 지급 심사",
    "audit": "감사·점검",
    "statistics": "통계 작성",
}
SHEET_TITLE = "신청 목록"
EXPORT_HEADER = (
    "접수번호",
    "신청 종류",
    "상태",
    "접수일시",
    "신청인 성명",
    "신청인 주민등록번호",
    "연락처",
    "주소",
    "아기 성명",
    "아기 생년월일",
    "다태아",
    "은행",
    "계좌번호",
    "예금주",
    "출생증명서",
    "통장 사본",
    "산후조리 지원 구분",
    "관내 산후조리원 이용",
    "산후조리원 이용 일수",
)


def export_filename(now: datetime) -> str:
    """``신청목록_YYYYMMDD.xlsx`` on the Korean calendar day of ``now``."""
    return f"신청목록_{now.astimezone(KST):%Y%m%d}.xlsx"


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("예" if value else "아니오")


def _submitted(kinds: set[str], kind: str) -> str:
    return "제출" if kind in kinds else "미제출"


def _row(app: Row[Any], files: set[str]) -> list[Any]:
    postnatal = app.kind == Kind.POSTNATAL_CARE.value
    bank = BANKS.get(app.bank)
    return [
        app.application_no,
        KIND_LABELS[Kind(app.kind)],
        STATUS_LABELS[Status(app.status)],
        format_kst(app.received_at.replace(tzinfo=UTC)),
        app.applicant_name,
        app.applicant_rrn,
        app.phone,
        app.address,
        app.child_name,
        app.child_birth_date,
        _yes_no(bool(app.multiple_birth)),
        bank.name if bank is not None else app.bank,
        app.account_no,
        app.account_holder,
        _submitted(files, "birth_certificate"),
        _submitted(files, "bankbook"),
        CARE_GROUP_LABELS[CareGroup(app.care_group)] if postnatal and app.care_group else None,
        _yes_no(app.centre_in_city) if postnatal else None,
        app.care_days if postnatal else None,
    ]


def export_rows(session: Session, condition: ColumnElement[bool]) -> list[list[Any]]:
    """Every application matching ``condition``, oldest first, as the sheet's rows."""
    rows = session.execute(
        select(applications)
        .where(condition)
        .order_by(applications.c.received_at, applications.c.id)
    ).all()
    files: dict[int, set[str]] = defaultdict(set)
    for app_id, kind in session.execute(
        select(attachments.c.application_id, attachments.c.kind)
        .join(applications, applications.c.id == attachments.c.application_id)
        .where(condition)
    ):
        files[app_id].add(kind)
    return [_row(row, files[row.id]) for row in rows]


def record_download(
    session: Session,
    *,
    username: str,
    at: datetime,
    reason: str,
    status: str,
    kind: str,
    row_count: int,
) -> None:
    """Keep who downloaded the inbox, when (UTC), why, with which filters and how many rows."""
    session.execute(
        insert(downloads).values(
            username=username,
            at=at.astimezone(UTC).replace(tzinfo=None),
            reason=reason,
            filter_status=status,
            filter_kind=kind,
            row_count=row_count,
        )
    )
