"""출장여비: 관내 or 관외, 일비, 식비, lodging caps, fares, official cars, the 관내 day's cap.

Source of the expected values: ``shared/domain/travel-expenses.md`` worked examples 1-8
(2023-03-02 amounts, grade class 제2호, V2). Trips start on 2024-07-10 unless said otherwise.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicrpa.core.errors import InputRejected
from civicrpa.processes.travel_expenses import (
    ClassDaily,
    DailyRow,
    Fare,
    Fuel,
    Night,
    OwnCar,
    Policy,
    Region,
    Tables,
    Trip,
    TripKind,
    check_trip_rows,
    expenses_of_trips,
    fuel_amount,
    trip_expenses,
    trip_kind,
)

POLICY = Policy()
START = datetime(2024, 7, 10, 9, 0)


def _trip(
    hours: float = 3,
    *,
    region: Region = Region.SAME_CITY,
    start: datetime = START,
    official_car: bool = False,
    fares: tuple[int, ...] = (),
    nights: tuple[int, ...] = (),
    trip_id: str = "T-1",
    km: Decimal | None = None,
) -> Trip:
    return Trip(
        trip_id=trip_id,
        staff_no="E00003",
        name="최유진",
        department="건설과",
        grade_class="2호",
        start=start,
        end=start + timedelta(hours=hours),
        destination="출장지",
        region=region,
        round_trip_km=km,
        official_car=official_car,
        fares=tuple(Fare(kind="버스", amount=amount) for amount in fares),
        nights=tuple(
            Night(night=start.date() + timedelta(days=n), amount=amount)
            for n, amount in enumerate(nights)
        ),
    )


@pytest.mark.parametrize(
    ("trip", "total"),
    [
        # Worked example 1: 관내, 3 h, on foot or by bus -> 10,000.
        (_trip(3), 10_000),
        # Worked example 2: 관내, 5 h, official car -> 20,000 - 10,000 = 10,000.
        (_trip(5, official_car=True), 10_000),
        # Worked example 4: 관내, 3 h, official car -> 10,000 - 10,000 = 0.
        (_trip(3, official_car=True), 0),
        # 4 h exactly is the higher amount ("4 hours or more").
        (_trip(4), 20_000),
    ],
)
def test_in_area_trips(trip: Trip, total: int) -> None:
    result = trip_expenses(trip, POLICY)
    assert (result.kind, result.total, result.in_area) == (TripKind.IN_AREA, total, total)
    assert result.rule_refs == ("「공무원 여비 규정」 제18조",)


def test_two_in_area_trips_of_a_day_share_the_cap() -> None:
    # Worked example 3: two trips of 4 h each the same day: 20,000 + 20,000 -> cap 20,000.
    # Which trip gets the cap is not said: the earlier one (then the trip id), so the later
    # one is paid what is left of the day's cap, here 0, with a finding.
    first = _trip(4, trip_id="T-1")
    second = _trip(4, start=START + timedelta(hours=4), trip_id="T-2")
    results = expenses_of_trips([second, first], POLICY)
    assert [(r.trip_id, r.total) for r in results] == [("T-1", 20_000), ("T-2", 0)]
    assert sum(r.total for r in results) == 20_000
    assert (
        results[1]
        .findings[0]
        .message_ko.startswith("2024-07-10 관내 출장여비가 하루 상한 20000원을 넘어")
    )


@pytest.mark.parametrize(
    ("trip", "lines", "total"),
    [
        # Worked example 5: 관외 day trip, bus 2 x 15,000: 25,000 + 25,000 + 30,000 = 80,000.
        (
            _trip(9, region=Region.OTHER, fares=(15_000, 15_000)),
            (25_000, 25_000, 0, 30_000),
            80_000,
        ),
        # Worked example 6: 관외 day trip by official car: 일비 x 1/2 = 12,500 + 식비 25,000.
        (_trip(9, region=Region.OTHER, official_car=True), (12_500, 25_000, 0, 0), 37_500),
        # Worked example 7: Seoul, 2 days / 1 night, hotel 120,000 (cap 100,000), KTX 2 x 50,000:
        # 50,000 + 50,000 + 100,000 + 100,000 = 300,000.
        (
            _trip(33, region=Region.SEOUL, fares=(50_000, 50_000), nights=(120_000,)),
            (50_000, 50_000, 100_000, 100_000),
            300_000,
        ),
        # Worked example 8: the same in Gwangju (광역시), hotel 75,000 (under the 80,000 cap):
        # 50,000 + 50,000 + 75,000 + 100,000 = 275,000.
        (
            _trip(33, region=Region.METRO, fares=(50_000, 50_000), nights=(75_000,)),
            (50_000, 50_000, 75_000, 100_000),
            275_000,
        ),
    ],
)
def test_out_of_area_trips(trip: Trip, lines: tuple[int, int, int, int], total: int) -> None:
    result = trip_expenses(trip, POLICY)
    assert result.kind is TripKind.OUT_OF_AREA
    assert (result.daily_allowance, result.meals, result.lodging, result.fares) == lines
    assert result.total == total


def test_rates_go_by_the_trips_start_date() -> None:
    # A trip starting 2023-03-01 keeps the 20,000 won 일비 and 식비 for both its days, though
    # it ends on 2023-03-02; lodging caps begin 2023-03-02, so it may claim no night.
    before = _trip(30, region=Region.OTHER, start=datetime(2023, 3, 1, 9))
    result = trip_expenses(before, POLICY)
    assert (result.daily_allowance, result.meals, result.priced_on) == (
        40_000,
        40_000,
        date(2023, 3, 1),
    )
    with pytest.raises(InputRejected) as caught:
        trip_expenses(
            replace(before, nights=(Night(night=date(2023, 3, 1), amount=50_000),)), POLICY
        )
    assert caught.value.code == "travel.no_table_row"
    after = trip_expenses(
        replace(before, start=datetime(2023, 3, 2, 9), end=datetime(2023, 3, 3, 15)), POLICY
    )
    assert after.daily_allowance == 50_000


def test_a_round_trip_under_12_km_is_in_area_and_under_2_km_paid_at_cost() -> None:
    near = _trip(5, region=Region.OTHER, km=Decimal("11.9"))
    assert trip_kind(near, POLICY) is TripKind.IN_AREA
    assert trip_kind(replace(near, round_trip_km=Decimal(12)), POLICY) is TripKind.OUT_OF_AREA
    short = trip_expenses(_trip(5, km=Decimal("1.5"), fares=(1_400,)), POLICY)
    assert (short.in_area, short.fares, short.total) == (0, 1_400, 1_400)  # U: receipts only


def test_lodging_at_cost_with_relatives_and_without_a_receipt() -> None:
    trip = _trip(57, region=Region.OTHER)
    nights = (
        Night(night=date(2024, 7, 10), amount=90_000),  # over the 70,000 cap elsewhere
        Night(night=date(2024, 7, 11), with_relatives=True),  # flat 20,000 (U)
    )
    result = trip_expenses(replace(trip, nights=nights), POLICY)
    assert result.lodging == 70_000 + 20_000
    unreceipted = (Night(night=date(2024, 7, 10), amount=60_000, receipt=False),)
    result = trip_expenses(replace(trip, nights=unreceipted), POLICY)
    assert result.lodging == 0
    assert (
        result.findings[0].message_ko
        == "2024-07-10 숙박비 영수증이 없어 숙박비를 지급하지 않았습니다."
    )
    paid_anyway = Policy(lodging_needs_receipt=False)
    assert trip_expenses(replace(trip, nights=unreceipted), paid_anyway).lodging == 60_000
    # A lodging total over 2 nights (the HR export's shape) is capped at 2 x 70,000 (U).
    assert trip_expenses(replace(trip, lodging_total=150_000), POLICY).lodging == 140_000


def test_own_car_fuel_and_tolls() -> None:
    # 240 km of petrol at 1,700 won/L and 13.3 km/L (U): 240 / 13.3 x 1,700 = 30,676.69 -> 30,676.
    car = OwnCar(distance_km=Decimal(240), fuel=Fuel.PETROL, price_per_litre=1_700, tolls=9_800)
    assert fuel_amount(car, POLICY) == 30_676
    result = trip_expenses(replace(_trip(9, region=Region.OTHER), own_car=car), POLICY)
    assert result.fares == 30_676 + 9_800


def test_the_long_stay_reduction_is_a_choice() -> None:
    # Thresholds were not seen (U): none by default; a city sets e.g. 10 % after day 15.
    trip = _trip(24 * 19 + 8, region=Region.OTHER)  # 20 days
    assert trip_expenses(trip, POLICY).daily_allowance == 20 * 25_000
    reduced = Policy(long_stay_reductions=((15, 10),))
    assert trip_expenses(trip, reduced).daily_allowance == 15 * 25_000 + 5 * 22_500


def test_a_grade_class_without_rates_is_refused() -> None:
    with pytest.raises(InputRejected) as caught:
        trip_expenses(replace(_trip(9, region=Region.OTHER), grade_class="1호"), POLICY)
    assert caught.value.code == "travel.no_rate_for_class"
    assert "여비 등급 1호의 기준이 없습니다" in caught.value.message_ko


def test_trip_rows_are_checked_by_row() -> None:
    good: dict[str, object] = {
        "trip_id": "T-9",
        "staff_no": "E00003",
        "name": "최유진",
        "department": "건설과",
        "start": "2024-07-10T09:00",
        "end": "2024-07-11T18:00",
        "destination": "서울 세종로",
        "region": "관외(서울)",
        "transport": "대중교통",
        "fares": [{"kind": "KTX", "amount": 50_000}, {"kind": "KTX", "amount": 50_000}],
        "nights": [{"night": "2024-07-10", "amount": 120_000}],
    }
    rows: list[tuple[int, dict[str, object]]] = [
        (1, good),
        (2, good | {"end": "2024-07-10T08:00", "region": "제주"}),
        (3, good | {"fare_total": 100_000}),
        (4, good | {"nights": [{"night": "2024-07-11", "amount": 1}]}),
        (5, good | {"start": "다음 주"}),
    ]
    checked = check_trip_rows(rows)
    [(_, trip)] = checked.records
    assert trip_expenses(trip, POLICY).total == 300_000  # worked example 7 from a row
    reasons = {r.row: r.message_ko for r in checked.rejected}
    # The earlier return also puts the night outside the trip: three problems, all named.
    assert reasons[2].startswith("출장 기록에 문제가 3가지 있습니다: 지역 구분을 알 수 없습니다")
    assert reasons[2].endswith(
        "복귀 일시가 출발 일시보다 늦어야 합니다; 숙박일이 출장 기간(출발일부터 복귀 전날까지) 밖에 있습니다"
    )
    assert reasons[3] == "운임 내역과 운임 합계가 함께 있습니다. 둘 중 하나만 적어 주십시오."
    assert reasons[4] == "숙박일이 출장 기간(출발일부터 복귀 전날까지) 밖에 있습니다."
    assert reasons[5] == "출장 기록의 형식이 올바르지 않습니다: 출발 일시"


# -- properties -------------------------------------------------------------------------------

_starts = st.datetimes(min_value=datetime(2022, 6, 1), max_value=datetime(2025, 12, 31))


@st.composite
def _trips(draw: st.DrawFn) -> Trip:
    start = draw(_starts)
    minutes = draw(st.integers(30, 5 * 24 * 60))
    end = start + timedelta(minutes=minutes)
    nights = []
    if start.date() >= date(2023, 3, 2):
        nights = [
            Night(night=start.date() + timedelta(days=n), amount=draw(st.integers(0, 300_000)))
            for n in range((end.date() - start.date()).days)
        ]
    return Trip(
        trip_id=f"T-{draw(st.integers(1, 10_000))}",
        staff_no=draw(st.sampled_from(["E1", "E2"])),
        name="직원",
        department="건설과",
        grade_class="2호",
        start=start,
        end=end,
        destination="출장지",
        region=draw(st.sampled_from(list(Region))),
        official_car=draw(st.booleans()),
        fares=tuple(
            Fare(kind="운임", amount=a) for a in draw(st.lists(st.integers(0, 200_000), max_size=3))
        ),
        nights=tuple(nights),
    )


@given(st.lists(_trips(), min_size=1, max_size=8))
def test_no_line_is_negative_totals_add_up_and_caps_hold(trips: list[Trip]) -> None:
    results = expenses_of_trips(trips, POLICY)
    in_area_by_day: dict[tuple[str, date], int] = {}
    for trip, result in zip(
        sorted(trips, key=lambda t: (t.start, t.trip_id)), results, strict=True
    ):
        lines = (result.in_area, result.daily_allowance, result.meals, result.lodging, result.fares)
        assert min(lines) >= 0
        assert result.total == sum(lines)
        if result.kind is TripKind.OUT_OF_AREA:
            cap = {Region.SEOUL: 100_000, Region.METRO: 80_000}.get(trip.region, 70_000)
            assert result.lodging <= cap * len(trip.nights)
            assert result.daily_allowance <= 25_000 * trip.days
        key = (result.staff_no, result.priced_on)
        in_area_by_day[key] = in_area_by_day.get(key, 0) + result.in_area
    assert all(total <= 20_000 for total in in_area_by_day.values())


@settings(max_examples=60)
@given(st.lists(_trips(), min_size=1, max_size=10), st.dates(date(2022, 6, 1), date(2025, 12, 31)))
def test_moving_the_2023_rates_moves_exactly_the_trips_starting_between(
    trips: list[Trip], moved_to: date
) -> None:
    def policy(start: date) -> Policy:
        rows = (
            DailyRow(
                valid_from=date.min,
                by_class=(ClassDaily(grade_class="2호", daily_allowance=20_000, meals=20_000),),
            ),
            DailyRow(
                valid_from=start,
                by_class=(ClassDaily(grade_class="2호", daily_allowance=25_000, meals=25_000),),
            ),
        )
        return Policy(tables=Tables(daily=rows))

    old, new = date(2023, 3, 2), moved_to
    low, high = sorted((old, new))
    for trip in trips:
        outside = trip_kind(trip, POLICY) is TripKind.OUT_OF_AREA
        changed = trip_expenses(trip, policy(old)).total != trip_expenses(trip, policy(new)).total
        assert changed == (outside and low <= trip.start.date() < high)
