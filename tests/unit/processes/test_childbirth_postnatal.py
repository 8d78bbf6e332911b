"""산후조리비용: amounts by group, the multiple-birth extra, eligibility and the 90-day limit.

Source: ``shared/domain/childbirth-incentive.md`` R3 and worked examples 4-7 (V2: a benefit
listing). Adding the 20 % to the flat 200,000 and dropping fractions of a won are U.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from civicrpa.core.errors import InputRejected, NotEligible
from civicrpa.processes.childbirth_incentive import (
    Policy,
    PostnatalGroup,
    Registration,
    check_postnatal_deadline,
    check_postnatal_eligibility,
    postnatal_amount,
    postnatal_deadline,
)

D = date.fromisoformat
POLICY = Policy()
BIRTH = D("2024-05-20")
BASIC, NEAR_POOR, GENERAL = PostnatalGroup.BASIC, PostnatalGroup.NEAR_POOR, PostnatalGroup.GENERAL


@pytest.mark.parametrize(
    ("group", "centre", "days", "multiple", "amount"),
    [
        # Worked example 4: "other" group, 12 days in a city centre: min(12, 10) x 80,000.
        (GENERAL, True, 12, False, 800_000),
        # Worked example 5: 기초수급자, twins, 14 days: 14 x 100,000 = 1,400,000, x 1.2.
        (BASIC, True, 14, True, 1_680_000),
        # Worked example 6: no centre in the city: flat 200,000, whatever the group.
        (GENERAL, False, 0, False, 200_000),
        (BASIC, False, 14, False, 200_000),
        # 차상위: 90,000 a day up to 14 days (cap 1,260,000).
        (NEAR_POOR, True, 20, False, 1_260_000),
        (NEAR_POOR, True, 3, False, 270_000),
        # Below the cap: days x rate; 7 x 80,000 = 560,000, twins x 1.2 = 672,000.
        (GENERAL, True, 7, True, 672_000),
        # Flat amount with twins: 200,000 x 1.2 = 240,000 (U).
        (GENERAL, False, 0, True, 240_000),
        (BASIC, True, 0, False, 0),
    ],
)
def test_postnatal_amount(
    group: PostnatalGroup, centre: bool, days: int, multiple: bool, amount: int
) -> None:
    result = postnatal_amount(
        group,
        birth_date=BIRTH,
        centre_in_city=centre,
        days_used=days,
        multiple_birth=multiple,
        policy=POLICY,
    )
    assert result == amount


@pytest.mark.parametrize("days", [-1, True])
def test_bad_days_are_rejected(days: int) -> None:
    with pytest.raises(InputRejected) as caught:
        postnatal_amount(
            GENERAL,
            birth_date=BIRTH,
            centre_in_city=True,
            days_used=days,
            multiple_birth=False,
            policy=POLICY,
        )
    assert (caught.value.code, caught.value.field) == ("childbirth.bad_days_used", "days_used")
    assert caught.value.message_ko.startswith("산후조리원 이용 일수는 0 이상의 정수여야 합니다")


def test_the_deadline_is_90_days_after_the_birth() -> None:
    assert postnatal_deadline(BIRTH, POLICY) == D("2024-08-18")
    check_postnatal_deadline(BIRTH, BIRTH, POLICY)  # the birth day itself
    check_postnatal_deadline(BIRTH, BIRTH + timedelta(days=90), POLICY)  # day 90: accepted


def test_day_91_is_rejected() -> None:
    # Worked example 7: applied 91 days after the birth.
    with pytest.raises(NotEligible) as caught:
        check_postnatal_deadline(BIRTH, BIRTH + timedelta(days=91), POLICY)
    assert caught.value.code == "childbirth.postnatal_deadline_passed"
    assert caught.value.message_ko == (
        "산후조리비용 신청기한(출생일로부터 90일, 2024-08-18까지)이 지났습니다. "
        "출생 후 91일째에 신청했습니다."
    )


def test_an_application_before_the_birth_is_rejected() -> None:
    with pytest.raises(InputRejected) as caught:
        check_postnatal_deadline(BIRTH, BIRTH - timedelta(days=1), POLICY)
    assert caught.value.code == "childbirth.day_before_birth"


HERE = Registration(moved_in_on=D("2024-05-01"), household_ref="H-1")


def test_mother_and_spouse_registered_on_the_birth_date_qualify() -> None:
    # No residence period since 2022 (V2): moved in 19 days before the birth is enough.
    check_postnatal_eligibility(birth_date=BIRTH, mother=HERE, spouse=HERE)
    check_postnatal_eligibility(birth_date=BIRTH, mother=HERE, spouse=None)  # no spouse (U)
    elsewhere = Registration(moved_in_on=D("2020-01-01"), household_ref="H-9")
    check_postnatal_eligibility(birth_date=BIRTH, mother=HERE, spouse=elsewhere)  # (U)


@pytest.mark.parametrize(
    ("mother", "spouse", "code"),
    [
        (Registration(moved_in_on=D("2024-05-21")), HERE, "childbirth.mother_not_resident"),
        (HERE, Registration(moved_in_on=None), "childbirth.spouse_not_resident"),
        (
            HERE,
            Registration(moved_in_on=D("2020-01-01"), moved_out_on=D("2024-05-19")),
            "childbirth.spouse_not_resident",
        ),
    ],
)
def test_postnatal_refusals(mother: Registration, spouse: Registration, code: str) -> None:
    with pytest.raises(NotEligible) as caught:
        check_postnatal_eligibility(birth_date=BIRTH, mother=mother, spouse=spouse)
    assert caught.value.code == code
    assert "출생일(2024-05-20) 현재" in caught.value.message_ko


def test_an_unknown_group_is_rejected() -> None:
    with pytest.raises(InputRejected) as caught:
        postnatal_amount(
            "vip",  # type: ignore[arg-type]
            birth_date=BIRTH,
            centre_in_city=True,
            days_used=3,
            multiple_birth=False,
            policy=POLICY,
        )
    assert caught.value.code == "childbirth.bad_postnatal_group"
    assert caught.value.message_ko == (
        "산후조리비용 지원 구분(vip)을 알 수 없습니다. 가능한 값: basic, near_poor, general"
    )
    # The plain value of a group is accepted as the group.
    amount = postnatal_amount(
        "general",  # type: ignore[arg-type]
        birth_date=BIRTH,
        centre_in_city=True,
        days_used=3,
        multiple_birth=False,
        policy=POLICY,
    )
    assert amount == 240_000
