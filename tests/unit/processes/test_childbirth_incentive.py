"""출산장려금: amounts by birth order, yearly instalments, birth order and residence.

Source of the expected values: ``shared/domain/childbirth-incentive.md`` (R1, R2 and worked
examples 1-3), from 「광양시 출산장려 및 양육 지원에 관한 조례」 as reported (V2). The yearly split
of the 1st and 4th+ child and the instalments before 2022 are U defaults (equal fifths).
"""

from __future__ import annotations

from datetime import date

import pytest

from civicrpa.core.errors import InputRejected, NotEligible
from civicrpa.processes.childbirth_incentive import (
    ORDINANCE,
    Policy,
    Registration,
    anniversary,
    birth_order,
    birth_orders,
    check_residency,
    full_months,
    incentive_plan,
    instalment_still_due,
)

D = date.fromisoformat
POLICY = Policy()


@pytest.mark.parametrize(
    ("order", "born", "total", "instalments"),
    [
        # Worked example 1: 2nd child born 2023-03-10 -> 2,000,000 x 5 = 10,000,000.
        (2, "2023-03-10", 10_000_000, [2_000_000] * 5),
        # Worked example 2: 3rd child born on the first day of the new table -> 3,000,000 x 5.
        (3, "2022-01-01", 15_000_000, [3_000_000] * 5),
        # Worked example 3: 2nd child born the last day of the old table -> 5,000,000 in all
        # (split U: 1,000,000 x 5).
        (2, "2021-12-31", 5_000_000, [1_000_000] * 5),
        # 3rd child, old table: 10,000,000 (U split: 2,000,000 x 5).
        (3, "2021-12-31", 10_000_000, [2_000_000] * 5),
        # 1st child, both tables: 5,000,000 (U split: 1,000,000 x 5).
        (1, "2021-06-01", 5_000_000, [1_000_000] * 5),
        (1, "2024-06-01", 5_000_000, [1_000_000] * 5),
        # 4th and later: 20,000,000 (U split: 4,000,000 x 5), the same for the 7th.
        (4, "2022-01-01", 20_000_000, [4_000_000] * 5),
        (7, "2025-02-01", 20_000_000, [4_000_000] * 5),
        (4, "2019-05-05", 20_000_000, [4_000_000] * 5),
    ],
)
def test_amount_by_birth_order(order: int, born: str, total: int, instalments: list[int]) -> None:
    plan = incentive_plan(order, D(born), POLICY)
    assert plan.total == total
    assert [i.amount for i in plan.instalments] == instalments
    assert [i.number for i in plan.instalments] == [1, 2, 3, 4, 5]
    assert plan.regulation == ORDINANCE


def test_the_new_table_starts_on_2022_01_01() -> None:
    assert incentive_plan(2, D("2021-12-31"), POLICY).valid_from == date.min
    assert incentive_plan(2, D("2022-01-01"), POLICY).valid_from == D("2022-01-01")


def test_instalments_fall_on_the_birthdays() -> None:
    plan = incentive_plan(2, D("2023-03-10"), POLICY)
    # First at the decision (dated on the birth), then each birthday: k-1 years later.
    assert [i.due_on for i in plan.instalments] == [
        D("2023-03-10"),
        D("2024-03-10"),
        D("2025-03-10"),
        D("2026-03-10"),
        D("2027-03-10"),
    ]


def test_a_leap_day_birthday_falls_on_28_february() -> None:
    assert anniversary(D("2024-02-29"), 1) == D("2025-02-28")
    assert anniversary(D("2024-02-29"), 4) == D("2028-02-29")


@pytest.mark.parametrize("order", [0, -1, True])
def test_a_bad_birth_order_is_rejected(order: int) -> None:
    with pytest.raises(InputRejected) as caught:
        incentive_plan(order, D("2023-03-10"), POLICY)
    assert (caught.value.code, caught.value.field) == ("childbirth.bad_birth_order", "birth_order")
    assert "출생 순위는 1 이상의 정수" in caught.value.message_ko


def test_birth_order_counts_older_siblings_only() -> None:
    siblings = [D("2018-04-01"), D("2020-09-30"), D("2026-01-01")]  # the last one is younger
    assert birth_order(D("2023-03-10"), siblings) == 3
    assert birth_order(D("2023-03-10"), []) == 1


def test_twins_take_their_order_from_the_listing() -> None:
    # An older sister, then twins born the same day: the first listed is 2nd, the other 3rd (U).
    assert birth_orders([D("2020-01-05"), D("2023-03-10"), D("2023-03-10")]) == (1, 2, 3)
    assert birth_orders([D("2023-03-10"), D("2020-01-05")]) == (2, 1)
    assert birth_order(D("2023-03-10"), [D("2023-03-10")], same_day_rank=2) == 2


@pytest.mark.parametrize("rank", [0, 3])
def test_a_same_day_rank_outside_the_twins_is_rejected(rank: int) -> None:
    with pytest.raises(InputRejected) as caught:
        birth_order(D("2023-03-10"), [D("2023-03-10")], same_day_rank=rank)
    assert caught.value.code == "childbirth.bad_same_day_rank"
    assert caught.value.params == {"rank": rank, "max": 2}


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2022-09-10", "2023-03-10", 6),  # exactly six months
        ("2022-09-11", "2023-03-10", 5),  # one day short
        ("2022-08-31", "2023-02-28", 6),  # no 31 February: the month's last day completes it
        ("2023-01-30", "2023-02-27", 0),
        ("2023-03-10", "2023-01-01", 0),
    ],
)
def test_full_months(start: str, end: str, months: int) -> None:
    assert full_months(D(start), D(end)) == months


BIRTH = D("2023-03-10")
CHILD = Registration(moved_in_on=BIRTH, household_ref="H-1")


def _applicant(moved_in: str | None, moved_out: str | None = None) -> Registration:
    return Registration(
        moved_in_on=None if moved_in is None else D(moved_in),
        moved_out_on=None if moved_out is None else D(moved_out),
        household_ref="H-1",
    )


def test_residence_of_exactly_the_minimum_passes() -> None:
    months = check_residency(
        birth_date=BIRTH,
        applicant=_applicant("2022-09-10"),
        child=CHILD,
        checked_on=D("2023-04-01"),
        policy=POLICY,
    )
    assert months == 6


def test_a_city_may_ask_for_another_residence_period() -> None:
    strict = Policy(min_residence_months=12)
    with pytest.raises(NotEligible) as caught:
        check_residency(
            birth_date=BIRTH,
            applicant=_applicant("2022-09-10"),
            child=CHILD,
            checked_on=BIRTH,
            policy=strict,
        )
    assert caught.value.params == {"months": 12, "actual": 6}


@pytest.mark.parametrize(
    ("applicant", "child", "code", "message"),
    [
        (
            _applicant("2022-09-11"),
            CHILD,
            "childbirth.residency_too_short",
            "전입일로부터 출생일까지 관내 거주기간 미충족 (필요 6개월, 실제 5개월)",
        ),
        (
            _applicant(None),
            CHILD,
            "childbirth.not_resident_on_birth",
            "출생일(2023-03-10) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다.",
        ),
        (
            _applicant("2023-03-11"),  # moved in the day after the birth
            CHILD,
            "childbirth.not_resident_on_birth",
            "출생일(2023-03-10) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다.",
        ),
        (
            _applicant("2020-01-01", "2023-03-10"),  # left on the birth day
            CHILD,
            "childbirth.not_resident_on_birth",
            "출생일(2023-03-10) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다.",
        ),
        (
            _applicant("2020-01-01", "2023-03-20"),
            CHILD,
            "childbirth.applicant_moved_out",
            "신청인이 관외로 전출했습니다(전출일 2023-03-20).",
        ),
        (
            _applicant("2020-01-01"),
            Registration(moved_in_on=None),
            "childbirth.child_not_registered",
            "출생아가 관내에 주민등록되어 있지 않습니다. 출생신고와 전입 여부를 확인하십시오.",
        ),
        (
            _applicant("2020-01-01"),
            Registration(moved_in_on=BIRTH, household_ref="H-2"),
            "childbirth.not_in_household",
            "출생아가 신청인과 같은 세대에 등록되어 있지 않습니다.",
        ),
    ],
)
def test_residency_refusals(
    applicant: Registration, child: Registration, code: str, message: str
) -> None:
    with pytest.raises(NotEligible) as caught:
        check_residency(
            birth_date=BIRTH,
            applicant=applicant,
            child=child,
            checked_on=D("2023-04-01"),
            policy=POLICY,
        )
    assert (caught.value.code, caught.value.message_ko) == (code, message)


def test_a_check_before_the_birth_is_rejected() -> None:
    with pytest.raises(InputRejected) as caught:
        check_residency(
            birth_date=BIRTH,
            applicant=_applicant("2020-01-01"),
            child=CHILD,
            checked_on=D("2023-03-09"),
            policy=POLICY,
        )
    assert caught.value.code == "childbirth.day_before_birth"


def test_remaining_instalments_stop_after_a_move_out() -> None:
    plan = incentive_plan(2, BIRTH, POLICY)
    left = _applicant("2020-01-01", "2025-01-15")  # between instalments 2 and 3
    due = [instalment_still_due(plan, k, applicant=left, policy=POLICY) for k in range(1, 6)]
    assert due == [True, True, False, False, False]
    # Moving back later does not restart them: the stay now begins after the birth.
    back = _applicant("2026-01-01")
    assert not instalment_still_due(plan, 5, applicant=back, policy=POLICY)
    # The child leaving (with the other parent) stops them as well.
    child_left = Registration(moved_in_on=BIRTH, moved_out_on=D("2024-01-01"))
    stayed = _applicant("2020-01-01")
    assert not instalment_still_due(plan, 2, applicant=stayed, child=child_left, policy=POLICY)
    assert instalment_still_due(plan, 5, applicant=stayed, child=CHILD, policy=POLICY)


def test_a_city_may_keep_paying_after_a_move_out() -> None:
    plan = incentive_plan(2, BIRTH, POLICY)
    keep = Policy(stop_instalments_on_move_out=False)
    left = _applicant("2020-01-01", "2024-01-15")
    assert instalment_still_due(plan, 5, applicant=left, policy=keep)


@pytest.mark.parametrize("number", [0, 6])
def test_an_instalment_outside_the_plan_is_rejected(number: int) -> None:
    plan = incentive_plan(2, BIRTH, POLICY)
    with pytest.raises(InputRejected) as caught:
        instalment_still_due(plan, number, applicant=_applicant("2020-01-01"), policy=POLICY)
    assert caught.value.code == "childbirth.bad_instalment_no"
    assert caught.value.params == {"number": number, "count": 5}
