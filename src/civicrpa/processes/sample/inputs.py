"""The sample's work item: an application whose documents a robot checks."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from civicrpa.runtime import AccountNumber, PhoneNumber, ResidentNumber

#: Documents every sample application needs.
REQUIRED_DOCUMENTS = ("신청서", "신분증 사본", "통장 사본")


class SampleApplication(BaseModel):
    """One application to check (synthetic; no personal data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    application_no: str = Field(title="신청번호", min_length=1, max_length=40)
    applicant_birth_date: date = Field(title="신청인 생년월일")
    submitted_on: date = Field(title="접수일")
    documents: list[str] = Field(title="제출 서류", default_factory=list)
    # Personal data, as real applications carry: encrypted at rest, printed masked (repr, str,
    # logs), in clear only through ``reveal()``.
    applicant_rrn: ResidentNumber | None = Field(title="신청인 주민등록번호", default=None)
    phone: PhoneNumber | None = Field(title="연락처", default=None)
    account_no: AccountNumber | None = Field(title="계좌번호", default=None)
