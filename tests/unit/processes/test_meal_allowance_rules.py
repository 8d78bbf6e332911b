"""급량비 (특근매식비): eligibility joined with overtime and trips, the cap by date, the split.

Source of the expected values: ``shared/domain/meal-allowance.md`` worked examples 1-6: cap
8,000 won, 9,000 from 2024-06-01 (V2); a meal allowed when weekday overtime, before the 1 h
deduction, is 60 min or more, and one weekday meal (both U: the policy's defaults).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicrpa.core.errors import ConfigurationError
from civicrpa.processes.meal_allowance import (
    DinerDay,
    Exclusion,
    Meal,
    MealCapRow,
    Policy,
    Receipt,
    ReceiptRow,
    Tables,
    assess_ledger,
    assess_receipt,
    check_receipt_rows,
    department_summary,
    minutes_of,
    per_meal_cap,
    tables_from_data,
    to_receipt,
)

D = date.fromisoformat
POLICY = Policy()
WEEKDAY = D("2024-07-10")  # a Wednesday, after the 9,000 won cap began


def _overtime(start: str, end: str) -> tuple[int, int]:
    return minutes_of(time.fromisoformat(start)), minutes_of(time.fromisoformat(end))


def _diner(
    staff_no: str,
    start: str = "18:00",
    end: str = "20:30",
    *,
    trip_meals_paid: bool = False,
    exclusion: Exclusion | None = None,
) -> DinerDay:
    """A weekday diner with overtime ``start``-``end`` under an approved order."""
    return DinerDay(
        staff_no=staff_no,
        weekday=True,
        overtime=_overtime(start, end),
        trip_meals_paid=trip_meals_paid,
        exclusion=exclusion,
    )


def _receipt(amount: int, *diners: str, day: date = WEEKDAY, meal: Meal = Meal.DINNER) -> Receipt:
    return Receipt(
        receipt_no=f"R-{day.isoformat()}-{amount}",
        department="총무과",
        day=day,
        restaurant="순천식당",
        amount=amount,
        meal=meal,
        diners=diners or ("E00001",),
    )


@pytest.mark.parametrize(
    ("amount", "day", "diner", "payable", "excess"),
    [
        # Worked example 1: weekday overtime 18:00-20:30 (150 min >= 60), bill 8,500 -> 8,500.
        (8_500, WEEKDAY, _diner("E00001"), 8_500, 0),
        # Worked example 2: the same day, bill 11,000 -> cap 9,000; 2,000 is personal.
        (11_000, WEEKDAY, _diner("E00001"), 9_000, 2_000),
        # Worked example 3: 2024-05-20 (a Monday), before the 2024-06-01 rise: cap 8,000. The
        # example gives no overtime: the same 18:00-20:30 as example 1 is assumed.
        (9_000, D("2024-05-20"), _diner("E00001"), 8_000, 1_000),
        # Worked example 4: weekday overtime 18:00-18:40 = 40 min < 60: not eligible -> 0.
        (8_000, WEEKDAY, _diner("E00001", "18:00", "18:40"), 0, 8_000),
        # Worked example 5: on a 관외 trip whose 식비 is paid: a double payment -> 0.
        (8_000, WEEKDAY, _diner("E00001", trip_meals_paid=True), 0, 8_000),
    ],
)
def test_one_diner(amount: int, day: date, diner: DinerDay, payable: int, excess: int) -> None:
    result = assess_receipt(_receipt(amount, day=day), {"E00001": diner}, POLICY)
    assert (result.payable_amount, result.excess_amount) == (payable, excess)
    assert result.eligible_diners == (("E00001",) if payable else ())


def test_the_ineligible_diners_are_named_with_their_reason() -> None:
    result = assess_receipt(_receipt(8_000), {"E00001": _diner("E00001", "18:00", "18:40")}, POLICY)
    assert [(d.staff_no, d.reason) for d in result.ineligible_diners] == [
        ("E00001", "meal.reason.overtime_too_short")
    ]
    assert result.findings[0].message_ko == (
        "E00001: 2024-07-10의 초과근무 40분이 급량비 기준(60분 이상)에 못 미칩니다."
    )
    double = assess_receipt(
        _receipt(8_000), {"E00001": _diner("E00001", trip_meals_paid=True)}, POLICY
    )
    assert "출장 식비를 받으므로 급량비를 지급하면 이중 지급입니다" in double.findings[0].message_ko


def test_a_team_dinner_pays_the_eligible_diners_only() -> None:
    # Worked example 6: 4 eligible + 1 not eligible, bill 45,000: cap 4 x 9,000 = 36,000 ->
    # 36,000 paid; the fifth diner is flagged. The example names no reason: here E00005 had
    # no approved overtime that day.
    staff = ["E00001", "E00002", "E00003", "E00004", "E00005"]
    days = {s: _diner(s) for s in staff[:4]} | {"E00005": DinerDay(staff_no="E00005", weekday=True)}
    result = assess_receipt(_receipt(45_000, *staff), days, POLICY)
    assert result.eligible_diners == tuple(staff[:4])
    assert (result.cap_per_meal, result.payable_amount, result.excess_amount) == (
        9_000,
        36_000,
        9_000,
    )
    assert [f.code for f in result.findings] == ["meal.reason.no_overtime"]


@pytest.mark.parametrize(
    ("diner", "meal", "reason"),
    [
        (None, Meal.DINNER, "meal.reason.unknown_diner"),
        (_diner("E1", exclusion=Exclusion.SHIFT_WORKER), Meal.DINNER, "meal.reason.shift_worker"),
        (
            _diner("E1", exclusion=Exclusion.NIGHT_HOLIDAY_ALLOWANCE),
            Meal.DINNER,
            "meal.reason.night_holiday_allowance",
        ),
        (_diner("E1", "12:00", "14:00"), Meal.LUNCH, "meal.reason.weekday_lunch"),
        # Saturday 09:00-15:00 covers lunch (12:00), not dinner (18:00) (U).
        (
            DinerDay(staff_no="E1", weekday=False, overtime=_overtime("09:00", "15:00")),
            Meal.LUNCH,
            None,
        ),
        (
            DinerDay(staff_no="E1", weekday=False, overtime=_overtime("09:00", "15:00")),
            Meal.DINNER,
            "meal.reason.meal_time_not_worked",
        ),
    ],
)
def test_who_is_not_eligible(diner: DinerDay | None, meal: Meal, reason: str | None) -> None:
    result = assess_receipt(
        _receipt(8_000, "E1", meal=meal), {} if diner is None else {"E1": diner}, POLICY
    )
    assert [d.reason for d in result.ineligible_diners] == ([] if reason is None else [reason])


def test_one_weekday_meal_and_two_on_a_holiday() -> None:
    saturday = D("2024-07-13")
    long_day = DinerDay(staff_no="E1", weekday=False, overtime=_overtime("09:00", "20:00"))
    receipts = [
        replace(_receipt(8_000, "E1"), receipt_no="R-1"),
        replace(_receipt(7_000, "E1"), receipt_no="R-2"),  # a second dinner that day
        _receipt(8_000, "E1", day=saturday, meal=Meal.LUNCH),
        _receipt(8_500, "E1", day=saturday, meal=Meal.DINNER),
    ]
    diners = {(WEEKDAY, "E1"): _diner("E1"), (saturday, "E1"): long_day}
    results = assess_ledger(receipts, diners, POLICY)
    assert [r.payable_amount for r in results] == [8_000, 0, 8_000, 8_500]
    assert results[1].ineligible_diners[0].reason == "meal.reason.meal_limit"


def test_the_department_summary_adds_its_receipts() -> None:
    days = {"E1": _diner("E1"), "E2": _diner("E2")}
    results = [
        assess_receipt(_receipt(11_000, "E1"), days, POLICY),
        assess_receipt(_receipt(15_000, "E1", "E2", day=D("2024-07-11")), days, POLICY),
    ]
    [july] = department_summary(results)
    assert (july.department, july.month, july.receipts, july.meals) == (
        "총무과",
        D("2024-07-01"),
        2,
        3,
    )
    assert (july.payable_total, july.excess_total) == (9_000 + 15_000, 2_000)


def test_the_cap_rose_on_2024_06_01() -> None:
    assert per_meal_cap(D("2024-05-31"), POLICY) == 8_000
    assert per_meal_cap(D("2024-06-01"), POLICY) == 9_000


def test_a_city_adds_a_10000_won_row_by_file() -> None:
    data = {
        "meal_cap": [
            {"valid_from": "2024-06-01", "per_meal": 9_000},
            {"valid_from": "2025-07-01", "per_meal": 10_000},
        ]
    }
    policy = Policy(tables=tables_from_data(data))
    assert per_meal_cap(D("2025-07-01"), policy) == 10_000
    with pytest.raises(ConfigurationError) as caught:
        tables_from_data({"meal_cap": [{"valid_from": "2024-06-01", "per_meal": "9,000"}]})
    assert "meal_cap 1번째 줄 per_meal: 정수가 아닙니다" in caught.value.message_ko


def test_ledger_rows_are_checked_by_row() -> None:
    good = {
        "receipt_no": "R-1",
        "department": "총무과",
        "day": "2024-07-10",
        "restaurant": "순천식당",
        "amount": 8_500,
        "meal": "석식",
        "diners": "E00001, e00002",
    }
    rows = [
        (2, good),
        (3, good | {"amount": 0}),
        (4, good | {"meal": "야식", "diners": "E00001, E00001"}),
        (5, good | {"diners": "김민수"}),
    ]
    checked = check_receipt_rows(rows)
    [(_, receipt)] = checked.records
    assert (receipt.meal, receipt.diners) == (Meal.DINNER, ("E00001", "E00002"))
    reasons = {r.row: r.message_ko for r in checked.rejected}
    assert reasons[3] == "매식 영수증 기록의 형식이 올바르지 않습니다: 금액"
    assert reasons[4].startswith(
        "매식 영수증 기록에 문제가 2가지 있습니다: 식사 구분을 알 수 없습니다"
    )
    assert "같은 직원이 한 영수증에 두 번 적혀 있습니다: E00001" in reasons[4]
    assert reasons[5].startswith("직원번호 형식이 아닌 식사 인원이 1명 있습니다")
    assert to_receipt(ReceiptRow.model_validate(good)).card_approval_no is None


# -- properties -------------------------------------------------------------------------------

_days = st.dates(min_value=D("2023-01-01"), max_value=D("2026-12-31"))
_diner_days = st.builds(
    DinerDay,
    staff_no=st.just("E1"),
    weekday=st.booleans(),
    overtime=st.one_of(
        st.none(),
        st.tuples(st.integers(0, 1400), st.integers(1, 600)).map(lambda p: (p[0], p[0] + p[1])),
    ),
    trip_meals_paid=st.booleans(),
)


@given(
    st.integers(1, 500_000),
    st.lists(_diner_days, min_size=1, max_size=8),
    _days,
    st.sampled_from(list(Meal)),
)
def test_the_payable_never_passes_the_cap_and_the_parts_add_up(
    amount: int, days: list[DinerDay], day: date, meal: Meal
) -> None:
    staff = [f"E{n:05d}" for n in range(len(days))]
    diners = {s: replace(d, staff_no=s) for s, d in zip(staff, days, strict=True)}
    result = assess_receipt(_receipt(amount, *staff, day=day, meal=meal), diners, POLICY)
    assert (
        0 <= result.payable_amount <= min(amount, result.cap_per_meal * len(result.eligible_diners))
    )
    assert result.excess_amount >= 0
    assert result.payable_amount + result.excess_amount == amount
    assert len(result.eligible_diners) + len(result.ineligible_diners) == len(staff)
    assert len(result.findings) == len(result.ineligible_diners)


@settings(max_examples=50)
@given(st.lists(st.tuples(_days, st.integers(1, 100_000)), min_size=1, max_size=20), _days, _days)
def test_moving_the_rise_moves_exactly_the_receipts_between(
    bills: list[tuple[date, int]], old: date, new: date
) -> None:
    def policy(start: date) -> Policy:
        rows = (
            MealCapRow(valid_from=date.min, per_meal=8_000),
            MealCapRow(valid_from=start, per_meal=9_000),
        )
        return Policy(tables=Tables(meal_cap=rows))

    low, high = sorted((old, new))
    for day, amount in bills:
        receipt = _receipt(amount, day=day)
        diner = {"E00001": _diner("E00001")}
        moved = (
            assess_receipt(receipt, diner, policy(old)).payable_amount
            != assess_receipt(receipt, diner, policy(new)).payable_amount
        )
        # Only a meal between the two dates can move, and it does when the bill passes 8,000.
        assert moved == (low <= day < high and amount > 8_000)


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(1, 30_000), st.sampled_from(list(Meal))),
        max_size=12,
    )
)
def test_departments_total_their_receipts_and_meals_per_day_stay_within_the_limit(
    receipts: list[tuple[int, int, Meal]],
) -> None:
    base = D("2024-07-08")
    ledger = [
        replace(
            _receipt(amount, "E1", "E2", day=base.replace(day=8 + offset), meal=meal),
            receipt_no=f"R{n}",
        )
        for n, (offset, amount, meal) in enumerate(receipts)
    ]
    diners = {
        (base.replace(day=8 + offset), s): _diner(s, "12:00", "20:00")
        for offset in range(4)
        for s in ("E1", "E2")
    }
    results = assess_ledger(ledger, diners, POLICY)
    per_day: dict[tuple[date, str], int] = {}
    for result in results:
        for s in result.eligible_diners:
            per_day[(result.day, s)] = per_day.get((result.day, s), 0) + 1
    assert all(count <= POLICY.weekday_meals_per_day for count in per_day.values())
    summary = department_summary(results)
    assert sum(m.payable_total for m in summary) == sum(r.payable_amount for r in results)
    assert sum(m.meals for m in summary) == sum(len(r.eligible_diners) for r in results)
