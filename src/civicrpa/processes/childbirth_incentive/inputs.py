"""What the robot reads: a row of the intake system's export, then a checked application.

The intake's .xlsx export (신청 목록) is read into :class:`IntakeRow` (everything as the
system holds it, nothing trusted yet): that row is the work item's payload, encrypted at rest.
The handler turns it into an :class:`Application` with :func:`parse`, which refuses a malformed
row with every problem named in Korean (never the values: they may be resident numbers).
Applications typed in by a clerk from paper are where malformed rows come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from civicrpa.core.errors import InputRejected
from civicrpa.core.personal import AccountNumber, MaskedNumber, PhoneNumber, ResidentNumber
from civicrpa.core.resident_number import parse_resident_number
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup


class Kind(StrEnum):
    """Which benefit an application asks for."""

    #: 출산장려금.
    INCENTIVE = "childbirth_incentive"
    #: 산후조리비용.
    POSTNATAL = "postnatal_care"


KIND_LABELS = {"출산장려금": Kind.INCENTIVE, "산후조리비용": Kind.POSTNATAL}
GROUP_LABELS = {
    "기초생활수급자·중증장애인": PostnatalGroup.BASIC,
    "차상위·경증장애인": PostnatalGroup.NEAR_POOR,
    "일반": PostnatalGroup.GENERAL,
}

_PHONE = re.compile(r"0\d{1,2}-?\d{3,4}-?\d{4}")
_ACCOUNT = re.compile(r"\d[\d-]{8,22}\d")
_YES, _NO = "예", "아니오"
N = TypeVar("N", bound=MaskedNumber)


class IntakeRow(BaseModel):
    """One application as the intake system exported it (the work item's payload); each
    field's title is the export's column header (신청 목록), read by it.

    Nothing here is trusted yet, so the personal fields are plain text (a malformed number is
    the applicant's to fix, :func:`parse` says so); ``repr`` leaves them out.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    application_no: str = Field(title="접수번호", min_length=1, max_length=30)
    kind: str = Field(title="신청 종류", max_length=20)
    status: str = Field(title="상태", default="", max_length=20)
    received_at: str = Field(title="접수일시", default="", max_length=30)
    applicant_name: str = Field(title="신청인 성명", default="", max_length=50)
    applicant_rrn: str = Field(title="신청인 주민등록번호", default="", max_length=30, repr=False)
    phone: str = Field(title="연락처", default="", max_length=30, repr=False)
    address: str = Field(title="주소", default="", max_length=200)
    child_name: str = Field(title="아기 성명", default="", max_length=50)
    child_birth_date: date | None = Field(title="아기 생년월일", default=None)
    multiple_birth: str = Field(title="다태아", default="", max_length=10)
    bank: str = Field(title="은행", default="", max_length=30)
    account_no: str = Field(title="계좌번호", default="", max_length=40, repr=False)
    account_holder: str = Field(title="예금주", default="", max_length=50)
    birth_certificate: str = Field(title="출생증명서", default="", max_length=10)
    bankbook: str = Field(title="통장 사본", default="", max_length=10)
    care_group: str = Field(title="산후조리 지원 구분", default="", max_length=30)
    centre_in_city: str = Field(title="관내 산후조리원 이용", default="", max_length=10)
    care_days: str = Field(title="산후조리원 이용 일수", default="", max_length=10)
    #: 1 for the application itself; 2..5 for the later instalments the robot schedules.
    instalment_no: int = Field(default=1, ge=1, le=10)
    #: The child's birth order decided with the first payment (later instalments only).
    birth_order: int | None = Field(default=None, ge=1, le=20)


@dataclass(frozen=True, kw_only=True)
class PostnatalCare:
    """What a 산후조리비용 application says about the care."""

    group: PostnatalGroup
    centre_in_city: bool
    days_used: int


@dataclass(frozen=True, kw_only=True)
class Application:
    """A checked application. ``repr`` hides the personal fields."""

    application_no: str
    kind: Kind
    received_on: date
    applicant_name: str
    applicant_rrn: ResidentNumber
    phone: PhoneNumber
    address: str
    child_name: str
    child_birth_date: date
    multiple_birth: bool
    bank: str
    account_no: AccountNumber
    account_holder: str
    has_birth_certificate: bool
    has_bankbook: bool
    care: PostnatalCare | None
    instalment_no: int
    birth_order: int | None = None

    def __repr__(self) -> str:
        return f"Application({self.application_no!r}, kind={self.kind.value})"

    @property
    def missing_documents(self) -> list[str]:
        missing = [] if self.has_birth_certificate else ["출생증명서"]
        return missing + ([] if self.has_bankbook else ["통장 사본"])


def _yes_no(value: str) -> bool | None:
    return {_YES: True, _NO: False, "": False}.get(value.strip())


def _received_on(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip()[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


def _rrn(text: str) -> ResidentNumber | None:
    """``YYMMDD-SNNNNNN`` when ``text`` has a resident number's shape and a real birth date.

    The check digit is not verified: the sandbox's fictional numbers carry a wrong one on
    purpose, and numbers issued since 2020-10 have none (``core/resident_number.py``); the
    registry look-up is the real check.
    """
    parts = parse_resident_number(text)
    return None if parts is None else ResidentNumber(parts.number)


def parse(row: IntakeRow) -> Application:
    """Check every field of ``row``; refuse it naming all the faulty fields at once."""
    bad: list[str] = []
    kind = KIND_LABELS.get(row.kind.strip()) or (row.kind if row.kind in set(Kind) else None)
    if kind is None:
        bad.append("신청 종류")
    received = _received_on(row.received_at)
    if received is None:
        bad.append("접수일시")
    rrn = _rrn(row.applicant_rrn)
    if rrn is None:
        bad.append("신청인 주민등록번호")
    for title, value in (("신청인 성명", row.applicant_name), ("아기 성명", row.child_name)):
        if not 2 <= len(value.strip()) <= 20:
            bad.append(title)
    phone = _personal(PhoneNumber, row.phone) if _PHONE.fullmatch(row.phone.strip()) else None
    if phone is None:
        bad.append("연락처")
    if not row.address.strip():
        bad.append("주소")
    if row.child_birth_date is None or (received is not None and row.child_birth_date > received):
        bad.append("아기 생년월일")
    account_digits = re.sub(r"\D", "", row.account_no)
    account = None
    if _ACCOUNT.fullmatch(row.account_no.strip()) and 10 <= len(account_digits) <= 16:
        account = _personal(AccountNumber, row.account_no)
    if account is None:
        bad.append("계좌번호")
    if not row.bank.strip():
        bad.append("은행")
    if not row.account_holder.strip():
        bad.append("예금주")
    multiple = _yes_no(row.multiple_birth)
    if multiple is None:
        bad.append("다태아")
    care = _care(row, bad) if Kind(kind or Kind.INCENTIVE) is Kind.POSTNATAL else None
    birth = row.child_birth_date
    if bad or kind is None or received is None or rrn is None or birth is None or multiple is None:
        raise InputRejected("childbirth.application_malformed", {"fields": ", ".join(bad)})
    if phone is None or account is None:  # named in ``bad`` already
        raise InputRejected("childbirth.application_malformed", {"fields": ", ".join(bad)})
    return Application(
        application_no=row.application_no.strip(),
        kind=Kind(kind),
        received_on=received,
        applicant_name=row.applicant_name.strip(),
        applicant_rrn=rrn,
        phone=phone,
        address=" ".join(row.address.split()),
        child_name=row.child_name.strip(),
        child_birth_date=birth,
        multiple_birth=multiple,
        bank=row.bank.strip(),
        account_no=account,
        account_holder=row.account_holder.strip(),
        has_birth_certificate=row.birth_certificate.strip() == "제출",
        has_bankbook=row.bankbook.strip() == "제출",
        care=care,
        instalment_no=row.instalment_no,
        birth_order=row.birth_order,
    )


def _personal(kind: type[N], text: str) -> N | None:
    """``text`` as a masked personal value, or None when it is not one."""
    try:
        return kind(text)
    except ValueError:
        return None


def _care(row: IntakeRow, bad: list[str]) -> PostnatalCare | None:
    group = GROUP_LABELS.get(row.care_group.strip())
    if group is None:
        bad.append("산후조리 지원 구분")
    centre = _yes_no(row.centre_in_city)
    if centre is None or not row.centre_in_city.strip():
        bad.append("관내 산후조리원 이용")
    days_text = row.care_days.strip()
    days = int(days_text) if days_text.isdigit() and int(days_text) <= 60 else None
    if days is None:
        bad.append("산후조리원 이용 일수")
    if group is None or centre is None or days is None:
        return None
    return PostnatalCare(group=group, centre_in_city=centre, days_used=days)


__all__ = ["Application", "IntakeRow", "Kind", "PostnatalCare", "parse"]
