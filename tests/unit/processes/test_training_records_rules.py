"""교육훈련 실적 등록: matching, registering once, 미수료 skipped, the completion's year, the
yearly shortfall and a reminder to each person short of hours only.

Source of the expected values: ``shared/domain/training-records.md`` worked examples 1-6 with
its config: a yearly target of 80 h for 5급 and below (U, the built-in table).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.processes.training_records import (
    Completion,
    CourseKind,
    CreditDay,
    GradeTarget,
    Policy,
    RegistrationKey,
    StaffEntry,
    Status,
    Tables,
    TargetRow,
    check_completion_rows,
    credit_year,
    credits_of,
    match_staff,
    plan_registrations,
    reminders,
    tables_from_data,
    yearly_summary,
)

D = date.fromisoformat
H = Decimal
POLICY = Policy()
STAFF = {
    "E00010": StaffEntry(staff_no="E00010", name="정하늘", grade="7급"),
    "E00011": StaffEntry(staff_no="E00011", name="한지민", grade="6급"),
    "E00012": StaffEntry(staff_no="E00012", name="오세훈", grade="4급"),  # no target
}


def _completion(
    hours: str,
    course: str = "C-100",
    *,
    staff_no: str = "E00010",
    name: str = "정하늘",
    start: str = "2024-03-04",
    end: str = "2024-03-06",
    result: str = "수료",
    kind: CourseKind = CourseKind.GROUP,
) -> Completion:
    return Completion(
        staff_no=staff_no,
        name=name,
        department="민원봉사과",
        grade="7급",
        course_id=course,
        course_name="민원 응대 실무",
        provider="전라남도인재개발원",
        kind=kind,
        start_date=D(start),
        end_date=D(end),
        credited_hours=Decimal(hours),
        result=result,
    )


def _year(completions: list[Completion], year: int = 2024) -> dict[str, tuple[Decimal, Decimal]]:
    decisions = plan_registrations(completions, staff=STAFF, policy=POLICY)
    summaries = yearly_summary(
        credits_of(decisions), staff=STAFF.values(), year=year, policy=POLICY
    )
    return {s.staff_no: (s.total_hours, s.shortfall_hours) for s in summaries}


def test_three_completions_leave_40_hours_short() -> None:
    # Worked example 1: 12 h + 21 h + 7 h: registered 3 rows; total 40 h; short by 40 -> reminder.
    rows = [_completion("12", "C-1"), _completion("21", "C-2"), _completion("7", "C-3")]
    decisions = plan_registrations(rows, staff=STAFF, policy=POLICY)
    assert [d.status for d in decisions] == [Status.REGISTERED] * 3
    summaries = yearly_summary(
        credits_of(decisions), staff=STAFF.values(), year=2024, policy=POLICY
    )
    mine = next(s for s in summaries if s.staff_no == "E00010")
    assert (mine.total_hours, mine.target_hours, mine.shortfall_hours) == (H(40), H(80), H(40))
    [reminder, *others] = reminders(summaries, STAFF)
    assert reminder.staff_no == "E00010"
    assert reminder.message_ko.startswith(
        "정하늘님, 2024년 상시학습 이수시간은 40시간으로 목표 80시간에 40시간 부족합니다."
    )
    # 한지민 (6급) has no hours at all: 80 short; 오세훈 (4급) has no target: no reminder.
    assert [r.staff_no for r in others] == ["E00011"]


def test_the_same_completion_twice_is_registered_once() -> None:
    # Worked example 2: the same completion twice in the export: registered once, the second
    # a duplicate (logged); one already in HR from an earlier run is a duplicate too.
    row = _completion("12")
    decisions = plan_registrations([row, row], staff=STAFF, policy=POLICY)
    assert [d.status for d in decisions] == [Status.REGISTERED, Status.DUPLICATE]
    assert (
        decisions[1].message_ko
        == "E00010의 과정 C-100은 이미 등록된 실적이라 다시 등록하지 않았습니다."
    )
    key = RegistrationKey(staff_no="E00010", course_id="C-100", start_date=D("2024-03-04"))
    again = plan_registrations([row], staff=STAFF, registered={key}, policy=POLICY)
    assert again[0].status is Status.DUPLICATE
    assert _year([row, row])["E00010"] == (H(12), H(68))


def test_an_uncompleted_course_is_not_registered() -> None:
    # Worked example 3: result 미수료, 14 h -> not registered.
    [decision] = plan_registrations(
        [_completion("14", result="미수료")], staff=STAFF, policy=POLICY
    )
    assert (decision.status, decision.hours) == (Status.SKIPPED, H(0))
    assert (
        decision.message_ko == "E00010의 과정 C-100은 이수 결과가 미수료이므로 등록하지 않았습니다."
    )
    assert _year([_completion("14", result="미수료")])["E00010"] == (H(0), H(80))


def test_a_completion_counts_in_its_completion_year() -> None:
    # Worked example 4: completed 2024-12-31, the robot runs 2025-01-05: counted in 2024.
    row = _completion("16", start="2024-12-30", end="2024-12-31")
    assert credit_year(row, POLICY) == 2024
    assert _year([row], 2024)["E00010"] == (H(16), H(64))
    assert _year([row], 2025)["E00010"] == (H(0), H(80))
    # A course spanning the new year counts in its completion year by default (U); the city
    # may choose the start date instead.
    spanning = _completion("16", start="2024-12-30", end="2025-01-02")
    assert credit_year(spanning, POLICY) == 2025
    assert credit_year(spanning, Policy(credit_day=CreditDay.START_DATE)) == 2024


def test_85_hours_need_no_reminder() -> None:
    # Worked example 5: total 85 h -> 0 h short, no reminder.
    rows = [_completion("40", "C-1"), _completion("45", "C-2")]
    assert _year(rows)["E00010"] == (H(85), H(0))
    decisions = plan_registrations(rows, staff=STAFF, policy=POLICY)
    summaries = yearly_summary(
        credits_of(decisions), staff=[STAFF["E00010"]], year=2024, policy=POLICY
    )
    assert reminders(summaries, STAFF) == []


def test_a_reminder_carries_only_its_persons_data() -> None:
    # Worked example 6: the message goes only to that person; no all-staff list is attached.
    # Each reminder is addressed to one staff number and its text names no one else.
    rows = [_completion("10"), _completion("30", staff_no="E00011", name="한지민")]
    decisions = plan_registrations(rows, staff=STAFF, policy=POLICY)
    summaries = yearly_summary(
        credits_of(decisions), staff=STAFF.values(), year=2024, policy=POLICY
    )
    sent = reminders(summaries, STAFF)
    assert [r.staff_no for r in sent] == ["E00010", "E00011"]
    for reminder in sent:
        others = [entry for entry in STAFF.values() if entry.staff_no != reminder.staff_no]
        assert all(
            o.name not in reminder.message_ko and o.staff_no not in reminder.message_ko
            for o in others
        )
        assert set(vars(reminder)) == {
            "staff_no",
            "name",
            "year",
            "total_hours",
            "target_hours",
            "shortfall_hours",
        }
    assert "정하늘" not in repr(sent[0])


def test_people_are_matched_by_number_and_name() -> None:
    assert match_staff(_completion("1", name="정 하늘"), STAFF).grade == "7급"  # spaces aside
    for row, code in [
        (_completion("1", staff_no="E99999"), "training.unknown_staff"),
        (_completion("1", name="정하나"), "training.name_mismatch"),
    ]:
        with pytest.raises(InputRejected) as caught:
            match_staff(row, STAFF)
        assert caught.value.code == code
        assert "정하" not in caught.value.message_ko  # the names are left out
        [decision] = plan_registrations([row], staff=STAFF, policy=POLICY)
        assert (decision.status, decision.code) == (Status.ERROR, code)


def test_hours_and_limits_are_the_citys_choices() -> None:
    no_hours = replace(_completion("1"), credited_hours=None)
    [decision] = plan_registrations([no_hours], staff=STAFF, policy=POLICY)
    assert decision.code == "training.no_hours"
    by_day = Policy(hours_per_group_day=Decimal(7))  # 3 days of group training (U)
    [decision] = plan_registrations([no_hours], staff=STAFF, policy=by_day)
    assert decision.hours == 21
    cyber = [_completion("50", "C-1", kind=CourseKind.CYBER), _completion("20", "C-2")]
    limited = Policy(max_hours_by_kind=(("cyber", Decimal(30)),))
    decisions = plan_registrations(cyber, staff=STAFF, policy=limited)
    [mine] = yearly_summary(
        credits_of(decisions), staff=[STAFF["E00010"]], year=2024, policy=limited
    )
    assert (mine.total_hours, mine.shortfall_hours) == (H(50), H(30))  # 30 cyber + 20 group


def test_targets_by_grade_and_year_come_from_a_file() -> None:
    tables = tables_from_data(
        {"targets": [{"valid_from": "2025-01-01", "by_grade": [{"grade": "7급", "hours": 100}]}]}
    )
    assert tables.target("7급", 2025) == 100
    with pytest.raises(InputRejected):
        tables.target("7급", 2024)  # the file's table starts in 2025
    with pytest.raises(ConfigurationError) as caught:
        tables_from_data(
            {"targets": [{"valid_from": "2025-01-01", "by_grade": [{"grade": "7급", "hours": -1}]}]}
        )
    assert (
        "targets 1번째 줄 by_grade 1번째 항목의 hours: 0 이상이어야 합니다"
        in caught.value.message_ko
    )


def test_completion_rows_are_checked_by_row() -> None:
    good: dict[str, object] = {
        "staff_no": "E00010",
        "name": "정하늘",
        "course_id": "C-1",
        "course_name": "민원 응대 실무",
        "kind": "사이버교육",
        "start_date": "2024-03-04",
        "end_date": "2024-03-06",
        "credited_hours": "12.5",
        "result": "수료",
    }
    rows: list[tuple[int, dict[str, object]]] = [
        (2, good),
        (3, good | {"result": "불참"}),
        (4, good | {"end_date": "2024-03-01", "kind": "견학"}),
        (5, good | {"credited_hours": "열두 시간"}),
    ]
    checked = check_completion_rows(rows)
    [(_, completion)] = checked.records
    assert (completion.kind, completion.credited_hours) == (CourseKind.CYBER, Decimal("12.5"))
    reasons = {r.row: r.message_ko for r in checked.rejected}
    assert reasons[3] == "이수 결과를 알 수 없습니다. 가능한 값: 수료, 미수료"
    assert reasons[4].startswith(
        "교육 이수 기록에 문제가 2가지 있습니다: 교육 구분을 알 수 없습니다"
    )
    assert reasons[5] == "교육 이수 기록의 형식이 올바르지 않습니다: 인정 시간"


# -- properties -------------------------------------------------------------------------------

_hours = st.decimals(min_value=0, max_value=100, places=1)
_rows = st.lists(
    st.tuples(
        st.sampled_from(["E00010", "E00011", "E00012"]),
        st.sampled_from(["C-1", "C-2", "C-3"]),
        st.dates(D("2023-12-20"), D("2025-01-10")),
        _hours,
        st.sampled_from(["수료", "미수료"]),
    ),
    max_size=15,
)


def _completions(rows: list[tuple[str, str, date, Decimal, str]]) -> list[Completion]:
    return [
        replace(
            _completion("0", course, staff_no=staff_no, name=STAFF[staff_no].name, result=result),
            start_date=start,
            end_date=start,
            credited_hours=hours,
        )
        for staff_no, course, start, hours, result in rows
    ]


@given(_rows, st.sampled_from([2023, 2024, 2025]))
def test_each_key_once_totals_add_up_and_shortfalls_stay_in_range(
    rows: list[tuple[str, str, date, Decimal, str]], year: int
) -> None:
    decisions = plan_registrations(_completions(rows), staff=STAFF, policy=POLICY)
    registered = [d.key for d in decisions if d.status is Status.REGISTERED]
    assert len(registered) == len(set(registered))
    assert not any(
        d.status is Status.REGISTERED
        for d, row in zip(decisions, rows, strict=True)
        if row[4] == "미수료"
    )
    credits = credits_of(decisions)
    for summary in yearly_summary(credits, staff=STAFF.values(), year=year, policy=POLICY):
        mine = sum(
            (c.hours for c in credits if c.staff_no == summary.staff_no and c.year == year),
            Decimal(0),
        )
        assert summary.total_hours == mine
        target = summary.target_hours
        expected = H(0) if target is None else max(target - mine, H(0))
        assert summary.shortfall_hours == expected >= 0


@given(_rows, st.integers(2024, 2026))
def test_moving_a_targets_valid_from_moves_exactly_the_years_between(
    rows: list[tuple[str, str, date, Decimal, str]], new_year: int
) -> None:
    def policy(start: int) -> Policy:
        low = TargetRow(
            valid_from=date.min, by_grade=(GradeTarget(grade="7급", hours=Decimal(80)),)
        )
        high = TargetRow(
            valid_from=date(start, 1, 1), by_grade=(GradeTarget(grade="7급", hours=Decimal(100)),)
        )
        return Policy(tables=Tables(targets=(low, high)))

    credits = credits_of(plan_registrations(_completions(rows), staff=STAFF, policy=POLICY))
    lo, hi = sorted((2025, new_year))
    for year in (2023, 2024, 2025, 2026):
        before = yearly_summary(credits, staff=[STAFF["E00010"]], year=year, policy=policy(2025))
        after = yearly_summary(credits, staff=[STAFF["E00010"]], year=year, policy=policy(new_year))
        assert (before[0].target_hours != after[0].target_hours) == (lo <= year < hi)
