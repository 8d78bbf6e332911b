"""The rules of 출장여비: 관내 or 관외, 일비, 식비, 숙박비 and 운임, by the trip's start date.

Regulation: 「공무원 여비 규정」 (amendment No. 33312 in force 2023-03-02) and the 여비업무
처리기준, as the city's ordinance is believed to copy them (V2 amounts, U copy;
``shared/domain/travel-expenses.md`` R1-R2). Figures come from :mod:`.tables` (the rows in force
on the day the trip starts), the unverified values from :class:`~.policy.Policy`:

- 관내 (Art. 18): a flat amount by duration, less with an official car, at most 20,000 won a
  person a day over all their 관내 trips (:func:`in_area_expenses`, :func:`expenses_of_trips`);
  a round trip under 2 km is paid its receipts instead (U);
- 관외: 일비 and 식비 a day (일비 halved with an official car, Art. 16(3)), 숙박비 at cost up to
  the destination's cap a night, fares at cost, an own car's fuel from distance and set
  efficiency plus tolls (:func:`out_of_area_expenses`).

A trip's result keeps each line and the rule it cites; its total is their sum. What is not paid
(a night without a receipt, lodging on a 관내 trip) is a finding, never silently dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from civicrpa.core.errors import InputRejected
from civicrpa.core.findings import Finding
from civicrpa.processes.travel_expenses.inputs import Fuel, OwnCar, Region, Trip
from civicrpa.processes.travel_expenses.policy import Policy
from civicrpa.processes.travel_expenses.tables import ClassDaily, ClassLodging, InAreaRow


class TripKind(StrEnum):
    """관내 or 관외."""

    #: 근무지 내 국내 출장 (Art. 18).
    IN_AREA = "in_area"
    #: 근무지 외 출장.
    OUT_OF_AREA = "out_of_area"


@dataclass(frozen=True, kw_only=True)
class TripExpenses:
    """What one trip is paid, line by line (the result row of ``travel-expenses.md``)."""

    trip_id: str
    staff_no: str
    kind: TripKind
    #: The trip's start date, whose table rows priced it.
    priced_on: date
    days: int
    #: 관내: the flat amount after the official-car deduction and the day's cap.
    in_area: int = 0
    #: 관외 lines.
    daily_allowance: int = 0
    meals: int = 0
    lodging: int = 0
    fares: int = 0
    #: The regulation of each line paid.
    rule_refs: tuple[str, ...] = ()
    #: What was not paid, and why (``travel.finding.*``).
    findings: tuple[Finding, ...] = ()

    @property
    def total(self) -> int:
        """The trip's 여비 in won: the sum of its lines."""
        return self.in_area + self.daily_allowance + self.meals + self.lodging + self.fares


def trip_kind(trip: Trip, policy: Policy) -> TripKind:
    """관내 when the trip stays in the city or its round trip is under 12 km (Art. 18, V2)."""
    row = policy.tables.in_area_on(trip.start.date())
    if trip.region is Region.SAME_CITY:
        return TripKind.IN_AREA
    if trip.round_trip_km is not None and trip.round_trip_km < row.max_round_trip_km:
        return TripKind.IN_AREA
    return TripKind.OUT_OF_AREA


def in_area_amount(trip: Trip, row: InAreaRow) -> int:
    """관내 flat amount before the day's cap: 10,000 under 4 h, 20,000 from 4 h, the lunch
    hour counted, less 10,000 with an official car, never below 0 (Art. 18, V2)."""
    flat = row.long_amount if trip.minutes >= row.long_trip_minutes else row.short_amount
    if trip.official_car:
        flat -= row.official_car_deduction
    return max(flat, 0)


def is_short_trip(trip: Trip, policy: Policy) -> bool:
    """A 관내 round trip under 2 km (U), paid its receipts instead of the flat amount."""
    return trip.round_trip_km is not None and trip.round_trip_km < policy.short_trip_km


def in_area_expenses(trip: Trip, policy: Policy, *, paid_that_day: int = 0) -> TripExpenses:
    """A 관내 trip: its flat amount, capped so the person's 관내 amounts of the day (with
    ``paid_that_day`` already paid for earlier trips) stay within 20,000 won (V2)."""
    day = trip.start.date()
    row = policy.tables.in_area_on(day)
    short = is_short_trip(trip, policy)
    findings = _in_area_findings(trip, short=short)
    citation = f"{row.regulation} {row.article}"
    if short:
        fares = sum(fare.amount for fare in trip.fares if fare.receipt)
        return _result(trip, TripKind.IN_AREA, fares=fares, refs=(citation,), findings=findings)
    flat = in_area_amount(trip, row)
    room = max(row.daily_cap - paid_that_day, 0)
    if flat > room:
        params = {"date": day.isoformat(), "cap": row.daily_cap, "paid": paid_that_day}
        findings += (Finding(code="travel.finding.in_area_daily_cap", params=params),)
    return _result(
        trip, TripKind.IN_AREA, in_area=min(flat, room), refs=(citation,), findings=findings
    )


def daily_rates(trip: Trip, policy: Policy) -> ClassDaily:
    """일비 and 식비 a day for the trip's grade class, by its start date (V2)."""
    rates = policy.tables.daily_on(trip.start.date()).of(trip.grade_class)
    if rates is None:
        params = {"grade_class": trip.grade_class, "day": trip.start.date().isoformat()}
        raise InputRejected("travel.no_rate_for_class", params, field="grade_class")
    return rates


def daily_allowance(trip: Trip, policy: Policy) -> int:
    """일비: the day's rate for each day, less the long-stay reduction (U), halved when an
    official car was used, even for part of the trip (Art. 16(3), V2)."""
    rate = daily_rates(trip, policy).daily_allowance
    total = 0
    for number in range(1, trip.days + 1):
        percent = next(
            (p for after, p in reversed(policy.long_stay_reductions) if number > after), 0
        )
        total += rate * (100 - percent) // 100
    if trip.official_car:
        total = total * policy.tables.daily_on(trip.start.date()).official_car_percent // 100
    return total


def lodging_caps(trip: Trip, policy: Policy) -> ClassLodging:
    """The night's caps for the trip's grade class, by its start date (V2)."""
    caps = policy.tables.lodging_on(trip.start.date()).of(trip.grade_class)
    if caps is None:
        params = {"grade_class": trip.grade_class, "day": trip.start.date().isoformat()}
        raise InputRejected("travel.no_rate_for_class", params, field="grade_class")
    return caps


def night_cap(region: Region, caps: ClassLodging) -> int:
    """The cap a night: Seoul 100,000, 광역시 80,000, elsewhere 70,000 (2023-03-02, V2)."""
    return {Region.SEOUL: caps.seoul, Region.METRO: caps.metro}.get(region, caps.other)


def lodging(trip: Trip, policy: Policy) -> tuple[int, tuple[Finding, ...]]:
    """숙박비: each night at cost up to its cap; a night with relatives the flat amount (U); a
    night without a receipt unpaid and named. A lodging total is capped at the nights' caps
    (``days - 1`` nights; U: the export gives no night by night)."""
    if not trip.nights and trip.lodging_total is None:
        return 0, ()
    cap = night_cap(trip.region, lodging_caps(trip, policy))
    if trip.lodging_total is not None:
        return min(trip.lodging_total, cap * max(trip.days - 1, 0)), ()
    paid, findings = 0, []
    for night in trip.nights:
        if night.with_relatives:
            paid += policy.relatives_night_flat
        elif night.receipt or not policy.lodging_needs_receipt:
            paid += min(night.amount, cap)
        else:
            params = {"date": night.night.isoformat()}
            findings.append(Finding(code="travel.finding.lodging_without_receipt", params=params))
    return paid, tuple(findings)


def fuel_amount(car: OwnCar, policy: Policy) -> int:
    """An own car's fuel: distance / set efficiency x the fuel's price, below 1 won dropped (U)."""
    efficiency = {
        Fuel.PETROL: policy.petrol_km_per_litre,
        Fuel.DIESEL: policy.diesel_km_per_litre,
        Fuel.LPG: policy.lpg_km_per_litre,
    }[car.fuel]
    litres_cost = car.distance_km * car.price_per_litre / efficiency
    return int(litres_cost.quantize(Decimal(1), rounding=ROUND_FLOOR))


def fares(trip: Trip, policy: Policy) -> int:
    """운임: the fares at cost (V1 kinds), plus an own car's fuel and tolls (U efficiency)."""
    total = sum(fare.amount for fare in trip.fares)
    if trip.own_car is not None:
        total += fuel_amount(trip.own_car, policy) + trip.own_car.tolls
    return total


def out_of_area_expenses(trip: Trip, policy: Policy) -> TripExpenses:
    """A 관외 trip: 일비 + 식비 a day, 숙박비 up to the caps, fares (R2, rates by start date)."""
    rates = daily_rates(trip, policy)
    row = policy.tables.daily_on(trip.start.date())
    paid_lodging, findings = lodging(trip, policy)
    return _result(
        trip,
        TripKind.OUT_OF_AREA,
        daily_allowance=daily_allowance(trip, policy),
        meals=rates.meals * trip.days,
        lodging=paid_lodging,
        fares=fares(trip, policy),
        refs=(f"{row.regulation} {row.article}",),
        findings=findings,
    )


def trip_expenses(trip: Trip, policy: Policy, *, in_area_paid_that_day: int = 0) -> TripExpenses:
    """One trip's 여비, 관내 or 관외 (:func:`trip_kind`)."""
    if trip_kind(trip, policy) is TripKind.IN_AREA:
        return in_area_expenses(trip, policy, paid_that_day=in_area_paid_that_day)
    return out_of_area_expenses(trip, policy)


def expenses_of_trips(trips: Iterable[Trip], policy: Policy) -> list[TripExpenses]:
    """Every trip's 여비, the 관내 day's cap shared by a person's trips of a day in the order
    they started (then by trip id). Returned in that order."""
    paid: dict[tuple[str, date], int] = defaultdict(int)
    results = []
    for trip in sorted(trips, key=lambda t: (t.start, t.trip_id)):
        key = (trip.staff_no, trip.start.date())
        result = trip_expenses(trip, policy, in_area_paid_that_day=paid[key])
        paid[key] += result.in_area
        results.append(result)
    return results


def _in_area_findings(trip: Trip, *, short: bool) -> tuple[Finding, ...]:
    """Lodging, and fares beside the flat amount, that a 관내 trip does not pay."""
    params = {"trip_id": trip.trip_id}
    findings = []
    if trip.nights or trip.lodging_total:
        findings.append(Finding(code="travel.finding.lodging_in_area", params=params))
    if not short and (trip.fares or trip.own_car is not None):
        findings.append(Finding(code="travel.finding.fares_in_area", params=params))
    return tuple(findings)


def _result(
    trip: Trip,
    kind: TripKind,
    *,
    refs: tuple[str, ...],
    findings: tuple[Finding, ...],
    **lines: int,
) -> TripExpenses:
    return TripExpenses(
        trip_id=trip.trip_id,
        staff_no=trip.staff_no,
        kind=kind,
        priced_on=trip.start.date(),
        days=trip.days,
        rule_refs=refs,
        findings=findings,
        **lines,
    )


__all__ = [
    "TripExpenses",
    "TripKind",
    "daily_allowance",
    "daily_rates",
    "expenses_of_trips",
    "fares",
    "fuel_amount",
    "in_area_amount",
    "in_area_expenses",
    "is_short_trip",
    "lodging",
    "lodging_caps",
    "night_cap",
    "out_of_area_expenses",
    "trip_expenses",
    "trip_kind",
]
