"""Suspicious overtime records become findings for the department, and bad rows are refused
by row with a Korean reason while the good rows go on (issue #13)."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.processes.overtime_pay import (
    Absence,
    AbsenceKind,
    AttendanceRow,
    DayRecord,
    DayType,
    PersonMonth,
    Policy,
    Span,
    check_attendance_rows,
    check_month,
    clock_outs_without_order,
    day_type_mismatches,
    group_months,
    month_result,
    on_leave_or_trip,
    orders_without_record,
    past_caps,
    repeated_times,
    tables_from_data,
    to_day_record,
    unit_price,
)
from civicrpa.processes.overtime_pay.policy import load_tables
from civicrpa.runtime.calendar import BusinessCalendar

D = date.fromisoformat
CALENDAR = BusinessCalendar()
POLICY = Policy()


def _m(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _day(
    day: str,
    record: tuple[str, str] | None = ("09:00", "18:00"),
    order: tuple[str, str] | None = None,
    *,
    approved: bool = True,
    clocked_in: bool = True,
) -> DayRecord:
    return DayRecord(
        staff_no="E00007",
        name="이서연",
        department="세무과",
        grade="7급",
        work_date=D(day),
        order=None if order is None else Span(_m(order[0]), _m(order[1])),
        approved=approved and order is not None,
        record=None if record is None else Span(_m(record[0]), _m(record[1])),
        clocked_in=clocked_in,
    )


def test_a_late_clock_out_without_an_order_is_flagged() -> None:
    records = [
        _day("2025-07-01", ("09:00", "21:00")),  # 3 h past 18:00, no order
        _day("2025-07-02", ("09:00", "18:40")),  # 40 min: under the weekday hour, nothing
        _day("2025-07-03", ("09:00", "21:00"), ("18:00", "21:00"), approved=False),
        _day("2025-07-05", ("10:00", "11:30")),  # a Saturday: any time counts
        _day("2025-07-04", ("09:00", "21:00"), ("18:00", "21:00")),  # ordered: fine
    ]
    findings = clock_outs_without_order(records, calendar=CALENDAR, policy=POLICY)
    assert [(f.code, f.params["date"]) for f in findings] == [
        ("overtime.finding.clock_out_without_order", "2025-07-01"),
        ("overtime.finding.order_not_approved", "2025-07-03"),
        ("overtime.finding.clock_out_without_order", "2025-07-05"),
    ]
    assert findings[0].message_ko == (
        "2025-07-01 승인된 초과근무 명령 없이 21:00에 퇴근했습니다. 명령 누락인지 확인해 주십시오."
    )


def test_the_same_times_on_many_days_are_flagged_once() -> None:
    days = ["2025-07-01", "2025-07-02", "2025-07-03", "2025-07-07", "2025-07-08"]
    records = [_day(d, ("08:50", "21:10"), ("18:00", "21:00")) for d in days]
    records.append(_day("2025-07-09", ("08:50", "18:00")))  # same in, not past 18:00
    [finding] = repeated_times(records, calendar=CALENDAR, policy=POLICY)
    assert finding.code == "overtime.finding.repeated_times"
    assert finding.params["days"] == 5
    assert "출근 08:50, 퇴근 21:10으로 똑같은 기록이 5일 있습니다" in finding.message_ko
    assert repeated_times(records[:4], calendar=CALENDAR, policy=POLICY) == []


def test_days_and_months_past_the_caps_are_flagged_but_the_cap_is_applied() -> None:
    days = [f"2025-07-{n:02d}" for n in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21)]
    records = [_day(d, ("09:00", "23:30"), ("18:00", "23:30")) for d in days]
    result = month_result(records, calendar=CALENDAR, policy=POLICY)
    # Each day: 330 min, less 60 = 270 > 240: capped at 240; 15 days x 4 h = 60 h > 57.
    assert result.paid_hours == 57
    findings = past_caps(result, POLICY)
    assert [f.code for f in findings].count("overtime.finding.daily_cap") == 15
    assert findings[0].params == {"date": "2025-07-01", "minutes": 270, "cap": 240}
    assert findings[-1].message_ko == "이달 초과근무 60시간이 월 상한을 넘어 57시간만 지급합니다."


def test_a_record_on_leave_or_an_order_on_a_trip_is_flagged() -> None:
    records = [
        _day("2025-07-01", ("09:00", "20:00"), ("18:00", "20:00")),
        _day("2025-07-02", ("09:00", "20:00"), ("18:00", "20:00")),
        _day("2025-07-03", ("09:00", "18:00")),
    ]
    absences = [
        Absence(staff_no="E00007", day=D("2025-07-01"), kind=AbsenceKind.LEAVE),
        Absence(staff_no="E00007", day=D("2025-07-02"), kind=AbsenceKind.TRIP),
        Absence(staff_no="E00099", day=D("2025-07-03"), kind=AbsenceKind.LEAVE),  # someone else
    ]
    findings = on_leave_or_trip(records, absences)
    assert [(f.code, f.params["date"]) for f in findings] == [
        ("overtime.finding.on_leave", "2025-07-01"),
        ("overtime.finding.on_trip", "2025-07-02"),
    ]


def test_an_approved_order_without_a_clock_record_is_flagged() -> None:
    records = [
        _day("2025-07-01", None, ("18:00", "20:00")),  # clock-in, no clock-out (미기록)
        _day("2025-07-02", None, ("18:00", "20:00"), clocked_in=False),
    ]
    assert [f.code for f in orders_without_record(records)] == [
        "overtime.finding.no_clock_out",
        "overtime.finding.no_record",
    ]


def test_a_day_type_the_calendar_contradicts_is_flagged() -> None:
    record = DayRecord(
        staff_no="E00007",
        name="이서연",
        department="세무과",
        grade="7급",
        work_date=D("2025-10-08"),  # 추석 대체 휴일
        day_type=DayType.WEEKDAY,
    )
    [finding] = day_type_mismatches([record], CALENDAR)
    assert finding.params["expected"] == "휴일"
    assert finding.message_ko.startswith("2025-10-08이 근태 기록에는 '평일'로, 달력에는 '휴일'로")


def test_check_month_gathers_every_check() -> None:
    records = [_day("2025-07-01", ("09:00", "21:00")), _day("2025-07-02", None, ("18:00", "20:00"))]
    result = month_result(records, calendar=CALENDAR, policy=POLICY)
    codes = [f.code for f in check_month(records, result, calendar=CALENDAR, policy=POLICY)]
    assert codes == ["overtime.finding.clock_out_without_order", "overtime.finding.no_clock_out"]


def test_a_month_is_one_persons_records_of_one_month() -> None:
    july = [_day("2025-07-01"), _day("2025-07-02")]
    month = PersonMonth.of(july)
    assert (month.staff_no, month.grade, month.month) == ("E00007", "7급", D("2025-07-01"))
    other = DayRecord(
        staff_no="E00008",
        name="박지훈",
        department="세무과",
        grade="7급",
        work_date=D("2025-07-03"),
    )
    promoted = DayRecord(
        staff_no="E00007",
        name="이서연",
        department="세무과",
        grade="6급",
        work_date=D("2025-07-04"),
    )
    cases = [
        ([], "overtime.no_records"),
        ([*july, other], "overtime.mixed_records"),
        ([*july, _day("2025-08-01")], "overtime.mixed_records"),
        ([*july, _day("2025-07-02")], "overtime.day_twice"),
        ([*july, promoted], "overtime.grade_changed"),
    ]
    for records, code in cases:
        with pytest.raises(InputRejected) as caught:
            PersonMonth.of(records)
        assert caught.value.code == code
    assert "2025-07-04에 직급이 7급에서 6급으로 바뀌었습니다" in caught.value.message_ko


def test_an_export_is_grouped_by_person_and_month() -> None:
    records = [_day("2025-08-01"), _day("2025-07-02"), _day("2025-07-01")]
    groups = group_months(records)
    assert list(groups) == [("E00007", D("2025-07-01")), ("E00007", D("2025-08-01"))]
    assert [r.work_date for r in groups[("E00007", D("2025-07-01"))]] == [
        D("2025-07-01"),
        D("2025-07-02"),
    ]


def _row(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "staff_no": "E00007",
        "name": "이서연",
        "department": "세무과",
        "grade": "7급",
        "work_date": "2025-07-01",
    }
    return base | fields


def test_rows_become_day_records_in_minutes() -> None:
    row = AttendanceRow.model_validate(
        _row(
            order_start="18:00",
            order_end="01:00",
            approved=True,
            clock_in="08:55",
            clock_out="01:10",
            day_type="평일",
        )
    )
    record = to_day_record(row)
    assert record.order == Span(18 * 60, 25 * 60)  # past midnight: the next day
    assert record.record == Span(8 * 60 + 55, 25 * 60 + 10)
    assert (record.approved, record.day_type) == (True, DayType.WEEKDAY)
    assert "이서연" not in repr(record)


def test_a_batch_reports_each_bad_row_and_keeps_the_good_ones() -> None:
    rows = [
        (2, _row(clock_in="08:55", clock_out="19:00")),
        (3, _row(order_start="18:00")),
        (4, _row(work_date="2025-13-01")),
        (5, _row(clock_out="19:00", approved=True)),
        (6, _row(clock_in="2025-07-01T09:00", clock_out="2025-07-01T08:00", day_type="명절")),
        (7, _row(clock_in=time(9), clock_out=time(20))),
    ]
    checked = check_attendance_rows(rows)
    assert [number for number, _ in checked.records] == [2, 7]
    assert checked.bad_rows == [3, 4, 5, 6]
    reasons = {r.row: (r.code, r.message_ko) for r in checked.rejected}
    assert reasons[3] == (
        "overtime.row.order_incomplete",
        "초과근무 명령의 시작 시각과 종료 시각 중 하나가 비어 있습니다.",
    )
    assert reasons[4] == (
        "overtime.row.malformed",
        "초과근무 기록의 형식이 올바르지 않습니다: 근무일",
    )
    assert reasons[5][0] == "overtime.row.problems"
    assert "명령 승인으로 표시되어 있으나" in reasons[5][1]
    assert "출근 시각이 없습니다" in reasons[5][1]
    assert reasons[6][1].startswith(
        "초과근무 기록에 문제가 2가지 있습니다: 일 구분을 알 수 없습니다"
    )


def test_a_city_replaces_the_pay_table_with_a_file() -> None:
    data = {
        "pay": [{"valid_from": "2024-01-01", "grades": [{"grade": "7급", "base_pay": 2_800_000}]}]
    }
    policy = Policy(tables=tables_from_data(data))
    # 2,800,000 x 0.55 / 209 x 1.5 = 11,052.63 -> 11,052; the 2025 built-in row is replaced.
    assert unit_price("7급", D("2024-03-01"), policy).amount == 11_052
    assert unit_price("7급", D("2025-03-01"), policy).published is False


def test_a_bad_table_file_is_named_in_korean(tmp_path: Path) -> None:
    path = tmp_path / "overtime.json"
    path.write_text(
        json.dumps({"pay": [{"valid_from": "2025-01-01", "grades": [{"grade": "7급"}]}]}),
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as caught:
        load_tables(path)
    assert "pay 1번째 줄 grades 1번째 값" in caught.value.message_ko
    assert (
        "봉급기준액(base_pay)이나 단가(unit_price) 중 하나는 있어야 합니다"
        in caught.value.message_ko
    )


_minute = st.integers(min_value=0, max_value=1439)


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 31),
            _minute,
            st.integers(1, 900),
            _minute,
            st.integers(1, 600),
            st.booleans(),
        ),
        min_size=1,
        max_size=31,
        unique_by=lambda day: day[0],
    ),
    st.sets(st.integers(1, 31), max_size=5),
)
def test_every_finding_of_any_month_reads_in_full(
    days: list[tuple[int, int, int, int, int, bool]], leave: set[int]
) -> None:
    records = [
        DayRecord(
            staff_no="E00007",
            name="이서연",
            department="세무과",
            grade="7급",
            work_date=date(2025, 8, number),
            order=Span(order_start, order_start + order_length),
            approved=approved,
            record=Span(start, start + length),
            clocked_in=True,
            day_type=DayType.WEEKDAY,
        )
        for number, start, length, order_start, order_length, approved in days
    ]
    absences = [
        Absence(staff_no="E00007", day=date(2025, 8, n), kind=AbsenceKind.LEAVE) for n in leave
    ]
    result = month_result(records, calendar=CALENDAR, policy=POLICY)
    findings = check_month(records, result, calendar=CALENDAR, policy=POLICY, absences=absences)
    assert all("{" not in finding.message_ko for finding in findings)
