"""Korean texts of the sample process."""

from __future__ import annotations

from civicrpa.runtime import Catalogue

MESSAGES = Catalogue(
    "sample",
    {
        "sample.missing_document": "필수 서류가 제출되지 않았습니다: {documents}",
        "sample.applicant_age_unusual": "신청인 나이가 접수일 기준 만 {age}세입니다. 생년월일이 맞는지 확인해 주십시오. 맞으면 승인하고, 틀리면 생년월일을 고쳐 승인해 주십시오.",
        "sample.applicant_minor": "신청인이 접수일 기준 미성년자(만 {adult_age}세 미만)입니다.",
        "sample.step.open_application": "신청서 열기",
        "sample.step.check_documents": "서류 확인",
        "sample.step.check_applicant": "신청인 확인",
    },
)

__all__ = ["MESSAGES"]
