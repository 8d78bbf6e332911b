"""What the travel rules read: an approved trip (출장 신청/복명) as the groupware exports it.

The row shape is the domain file's (``travel-expenses.md``, suggested data shapes): who, when,
where (the region that sets the lodging cap), how far, by what, with the fares and nights as
lists. Exports that give one fare total or one lodging total (the HR sandbox does) fill
``fare_total`` or ``lodging_total`` instead. :class:`TripRow` is the row as exported, fields
titled by their Korean column headers; :func:`to_trip` checks what a field type cannot and gives
the rules a :class:`Trip`; :func:`check_trip_rows` does this for a batch, by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from civicrpa.core.findings import CheckedRows, Finding, check_rows, rejected


class Region(StrEnum):
    """Where a trip goes, as far as the rules care (the lodging cap's regions)."""

    #: 관내: inside the city (시·군).
    SAME_CITY = "same_city"
    #: 서울특별시.
    SEOUL = "seoul"
    #: 광역시 (Sejong and Jeju are not: V2).
    METRO = "metro"
    #: Elsewhere.
    OTHER = "other"


class Transport(StrEnum):
    """How the trip was made."""

    WALK = "walk"  #: on foot
    PUBLIC = "public"  #: bus, rail, ship or air
    OFFICIAL_CAR = "official_car"  #: 공용차량
    OWN_CAR = "own_car"  #: 자가용
    MIXED = "mixed"  #: several of them


class Fuel(StrEnum):
    """An own car's fuel (its set efficiency is a policy value, U)."""

    PETROL = "petrol"  #: 휘발유
    DIESEL = "diesel"  #: 경유
    LPG = "lpg"  #: LPG


REGION_LABELS: Mapping[str, Region] = {
    "관내": Region.SAME_CITY,
    "in_area": Region.SAME_CITY,  # the HR system's own key
    "서울": Region.SEOUL,
    "관외(서울)": Region.SEOUL,
    "광역시": Region.METRO,
    "관외(광역시)": Region.METRO,
    "기타": Region.OTHER,
    "관외(기타 지역)": Region.OTHER,
    **{member.value: member for member in Region},
}
TRANSPORT_LABELS: Mapping[str, Transport] = {
    "도보": Transport.WALK,
    "대중교통": Transport.PUBLIC,
    "공용차량": Transport.OFFICIAL_CAR,
    "자가용": Transport.OWN_CAR,
    "혼합": Transport.MIXED,
    **{member.value: member for member in Transport},
}
FUEL_LABELS: Mapping[str, Fuel] = {
    "휘발유": Fuel.PETROL,
    "경유": Fuel.DIESEL,
    "LPG": Fuel.LPG,
    **{member.value: member for member in Fuel},
}

_Won = Annotated[int, Field(ge=0, le=100_000_000)]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)


class FareRow(_Row):
    """One fare (운임): rail, bus, ship, air, a toll."""

    kind: str = Field(title="종류", min_length=1, max_length=30)
    amount: _Won = Field(title="금액")
    receipt: bool = Field(title="영수증", default=True)


class NightRow(_Row):
    """One night's lodging (숙박비); ``with_relatives``: stayed with relatives, paid nothing."""

    night: date = Field(title="숙박일")
    amount: _Won = Field(title="금액", default=0)
    receipt: bool = Field(title="영수증", default=True)
    with_relatives: bool = Field(title="친지 집 숙박", default=False)


class OwnCarRow(_Row):
    """An own car's trip: distance, fuel and its price that day, and the tolls."""

    distance_km: Decimal = Field(title="주행 거리(km)", gt=0, le=5000)
    fuel: str = Field(title="유종", min_length=1, max_length=10)
    price_per_litre: int = Field(title="유가(원/L)", gt=0, le=10_000)
    tolls: _Won = Field(title="통행료", default=0)


class TripRow(_Row):
    """One approved trip as exported; titles are the column headers."""

    trip_id: str = Field(title="출장번호", min_length=1, max_length=30)
    staff_no: str = Field(title="직원번호", min_length=1, max_length=20)
    name: str = Field(title="성명", min_length=1, max_length=50, repr=False)
    department: str = Field(title="부서", min_length=1, max_length=50)
    grade_class: str = Field(title="여비 등급", default="2호", min_length=1, max_length=10)
    start: datetime = Field(title="출발 일시")
    end: datetime = Field(title="복귀 일시")
    destination: str = Field(title="출장지", min_length=1, max_length=100)
    region: str = Field(title="지역 구분", min_length=1, max_length=20)
    round_trip_km: Decimal | None = Field(title="왕복 거리(km)", default=None, ge=0, le=10_000)
    transport: str = Field(title="교통수단", default="", max_length=20)
    official_car: bool = Field(title="공용차량 사용", default=False)
    fares: tuple[FareRow, ...] = Field(title="운임 내역", default=())
    fare_total: _Won | None = Field(title="운임", default=None)
    nights: tuple[NightRow, ...] = Field(title="숙박 내역", default=())
    lodging_total: _Won | None = Field(title="숙박비", default=None)
    own_car: OwnCarRow | None = Field(title="자가용 운행", default=None)


@dataclass(frozen=True, kw_only=True)
class Fare:
    """A fare paid at its actual cost (운임, V1 kinds; amounts in 별표 2)."""

    kind: str
    amount: int
    receipt: bool = True


@dataclass(frozen=True, kw_only=True)
class Night:
    """One night away; ``with_relatives`` when no lodging was paid."""

    night: date
    amount: int = 0
    receipt: bool = True
    with_relatives: bool = False


@dataclass(frozen=True, kw_only=True)
class OwnCar:
    """An own car's trip, for the fuel amount."""

    distance_km: Decimal
    fuel: Fuel
    price_per_litre: int
    tolls: int = 0


@dataclass(frozen=True, kw_only=True)
class Trip:
    """One checked trip."""

    trip_id: str
    staff_no: str
    name: str = field(repr=False)
    department: str
    grade_class: str
    start: datetime
    end: datetime
    destination: str
    region: Region
    round_trip_km: Decimal | None = None
    #: An official car was used, for all or part of the trip.
    official_car: bool = False
    fares: tuple[Fare, ...] = ()
    nights: tuple[Night, ...] = ()
    #: One lodging total over the trip's nights, when the export gives no night by night.
    lodging_total: int | None = None
    own_car: OwnCar | None = None

    @property
    def days(self) -> int:
        """Calendar days from the start to the end, both counted (a day trip is 1)."""
        return (self.end.date() - self.start.date()).days + 1

    @property
    def minutes(self) -> int:
        """Minutes from the start to the end, the lunch hour included (관내, V2)."""
        return int((self.end - self.start).total_seconds() // 60)


def _label(labels: Mapping[str, Any], text: str, code: str, problems: list[Finding]) -> Any:
    value = labels.get(text.strip())
    if value is None:
        known = ", ".join(label for label in labels if not label.isascii() or label == "LPG")
        problems.append(Finding(code=code, params={"known": known}))
    return value


def to_trip(row: TripRow) -> Trip:
    """``row`` checked: raises :class:`~civicrpa.core.errors.InputRejected` naming every
    problem (``travel.row.*``; ``travel.row.problems`` when there are several)."""
    problems: list[Finding] = []
    region = _label(REGION_LABELS, row.region, "travel.row.bad_region", problems)
    transport = None
    if row.transport.strip():
        transport = _label(TRANSPORT_LABELS, row.transport, "travel.row.bad_transport", problems)
    if row.end <= row.start:
        problems.append(Finding(code="travel.row.end_before_start"))
    nights = [night.night for night in row.nights]
    if any(not row.start.date() <= night < row.end.date() for night in nights):
        problems.append(Finding(code="travel.row.night_outside_trip"))
    if len(set(nights)) != len(nights):
        problems.append(Finding(code="travel.row.night_twice"))
    if row.nights and row.lodging_total is not None:
        problems.append(Finding(code="travel.row.lodging_twice"))
    if row.fares and row.fare_total is not None:
        problems.append(Finding(code="travel.row.fares_twice"))
    own_car = None
    if row.own_car is not None:
        fuel = _label(FUEL_LABELS, row.own_car.fuel, "travel.row.bad_fuel", problems)
        if fuel is not None:
            own_car = OwnCar(
                distance_km=row.own_car.distance_km,
                fuel=fuel,
                price_per_litre=row.own_car.price_per_litre,
                tolls=row.own_car.tolls,
            )
    if problems:
        raise rejected(problems, several="travel.row.problems")
    fares = tuple(Fare(kind=f.kind, amount=f.amount, receipt=f.receipt) for f in row.fares)
    if row.fare_total:
        fares = (Fare(kind="운임", amount=row.fare_total),)
    return Trip(
        trip_id=row.trip_id.strip(),
        staff_no=row.staff_no.strip(),
        name=row.name.strip(),
        department=row.department.strip(),
        grade_class=row.grade_class.strip(),
        start=row.start,
        end=row.end,
        destination=row.destination.strip(),
        region=region,
        round_trip_km=row.round_trip_km,
        official_car=row.official_car or transport is Transport.OFFICIAL_CAR,
        fares=fares,
        nights=tuple(
            Night(
                night=n.night, amount=n.amount, receipt=n.receipt, with_relatives=n.with_relatives
            )
            for n in sorted(row.nights, key=lambda n: n.night)
        ),
        lodging_total=row.lodging_total,
        own_car=own_car,
    )


def check_trip_rows(
    rows: Iterable[tuple[int, TripRow | Mapping[str, Any]]],
) -> CheckedRows[Trip]:
    """Each numbered row checked on its own: the trips, and every refused row with its reason
    (``travel.row.malformed`` names the faulty columns of a row the model refuses)."""
    return check_rows(rows, TripRow, to_trip, malformed="travel.row.malformed")


__all__ = [
    "FUEL_LABELS",
    "REGION_LABELS",
    "TRANSPORT_LABELS",
    "Fare",
    "FareRow",
    "Fuel",
    "Night",
    "NightRow",
    "OwnCar",
    "OwnCarRow",
    "Region",
    "Transport",
    "Trip",
    "TripRow",
    "check_trip_rows",
    "to_trip",
]
