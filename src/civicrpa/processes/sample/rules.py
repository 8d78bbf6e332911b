"""The sample's rules: pure functions, as every real process keeps them."""

from __future__ import annotations

from datetime import date

from civicrpa.processes.sample.inputs import REQUIRED_DOCUMENTS, SampleApplication
from civicrpa.runtime import NotEligible

#: Age of majority under the Civil Act (민법 제4조): 19 full years.
ADULT_AGE = 19
#: From this age a birth date is more often a typing mistake than a fact: an official looks.
UNUSUAL_AGE = 100


def full_age(birth: date, on: date) -> int:
    """Full years of age (만 나이) on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def missing_documents(application: SampleApplication) -> list[str]:
    """Required documents the application lacks, in the order of the list."""
    return [doc for doc in REQUIRED_DOCUMENTS if doc not in application.documents]


def check_applicant(application: SampleApplication) -> None:
    """Raise :class:`NotEligible` when the applicant was a minor on the day of submission."""
    age = full_age(application.applicant_birth_date, application.submitted_on)
    if age < ADULT_AGE:
        raise NotEligible("sample.applicant_minor", {"age": age, "adult_age": ADULT_AGE})


def age_is_unusual(application: SampleApplication) -> int | None:
    """The applicant's age when it is :data:`UNUSUAL_AGE` or more (a person confirms it)."""
    age = full_age(application.applicant_birth_date, application.submitted_on)
    return age if age >= UNUSUAL_AGE else None
