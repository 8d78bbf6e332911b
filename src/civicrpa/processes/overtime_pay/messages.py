"""Korean texts of the overtime process: row reasons, rule refusals, findings, table problems."""

from __future__ import annotations

from civicrpa.core.messages import Catalogue

MESSAGES = Catalogue(
    "overtime",
    {
        # a row of the attendance export (inputs.py)
        "overtime.row.malformed": "초과근무 기록의 형식이 올바르지 않습니다: {fields}",
        "overtime.row.problems": "초과근무 기록에 문제가 {count}가지 있습니다: {reasons}",
        "overtime.row.bad_day_type": "일 구분을 알 수 없습니다. 가능한 값: {known}",
        "overtime.row.order_incomplete": "초과근무 명령의 시작 시각과 종료 시각 중 하나가 비어 있습니다.",
        "overtime.row.order_empty": "초과근무 명령의 시작 시각과 종료 시각이 같습니다.",
        "overtime.row.approved_without_order": "명령 승인으로 표시되어 있으나 초과근무 명령 시각이 없습니다.",
        "overtime.row.clock_in_missing": "퇴근 시각은 있으나 출근 시각이 없습니다.",
        "overtime.row.clock_in_other_day": "출근 시각이 근무일의 날짜가 아닙니다.",
        "overtime.row.clock_out_before_in": "퇴근 시각이 출근 시각보다 앞섭니다.",
        "overtime.row.record_too_long": "출근부터 퇴근까지가 24시간 이상이거나 출근과 퇴근 시각이 같습니다.",
        # the month's computation (month.py, rules.py)
        "overtime.no_records": "해당 월의 근무 기록이 없습니다.",
        "overtime.mixed_records": "한 사람의 {month} 기록만 함께 계산할 수 있습니다. 다른 직원이나 다른 달의 기록이 섞여 있습니다.",
        "overtime.day_twice": "{date}의 근무 기록이 두 번 있습니다. 하루에 한 줄만 있어야 합니다.",
        "overtime.grade_changed": "{date}에 직급이 {before}에서 {after}(으)로 바뀌었습니다. 월 중 직급 변경은 담당자가 나누어 계산해 주십시오.",
        "overtime.no_rate_for_grade": "{day}에 적용할 {grade}의 시간외근무수당 단가가 없습니다. 해당 연도 단가표(봉급기준액 또는 단가)를 추가하십시오.",
        "overtime.no_table_row": "{day}에 적용할 {table} 기준표가 없습니다. 기준표의 적용일을 확인하십시오.",
        # findings the department confirms (checks.py)
        "overtime.finding.clock_out_without_order": "{date} 승인된 초과근무 명령 없이 {clock_out}에 퇴근했습니다. 명령 누락인지 확인해 주십시오.",
        "overtime.finding.order_not_approved": "{date} 초과근무 명령이 승인되지 않았는데 {clock_out}에 퇴근했습니다. 승인 여부를 확인해 주십시오.",
        "overtime.finding.no_clock_out": "{date} 초과근무 명령이 승인되었으나 퇴근 기록이 없습니다(미기록). 인정 시간 0분으로 계산했습니다.",
        "overtime.finding.no_record": "{date} 초과근무 명령이 승인되었으나 출퇴근 기록이 없습니다. 인정 시간 0분으로 계산했습니다.",
        "overtime.finding.repeated_times": "출근 {clock_in}, 퇴근 {clock_out}으로 똑같은 기록이 {days}일 있습니다({dates}). 실제 기록인지 확인해 주십시오.",
        "overtime.finding.daily_cap": "{date} 초과근무 {minutes}분이 하루 상한 {cap}분을 넘어 상한까지만 인정했습니다.",
        "overtime.finding.monthly_cap": "이달 초과근무 {hours}시간이 월 상한을 넘어 {paid}시간만 지급합니다.",
        "overtime.finding.on_leave": "{date}은(는) 휴가일인데 출퇴근 기록이나 초과근무 명령이 있습니다.",
        "overtime.finding.on_trip": "{date}은(는) 출장일인데 초과근무 명령이 승인되어 있습니다. 출장 중 초과근무인지 확인해 주십시오.",
        "overtime.finding.day_type_mismatch": "{date}이(가) 근태 기록에는 '{given}'(으)로, 달력에는 '{expected}'(으)로 되어 있습니다. 달력 기준으로 계산했습니다.",
        "overtime.day_type.weekday": "평일",
        "overtime.day_type.saturday": "토요일",
        "overtime.day_type.holiday": "휴일",
        # a city's table file (tables.py)
        "overtime.tables.grade_without_pay": "직급의 봉급기준액(base_pay)이나 단가(unit_price) 중 하나는 있어야 합니다",
        "overtime.tables.grade_twice": "같은 직급이 두 번 있습니다",
        "overtime.tables.hours_reversed": "근무 종료 시각(end)이 시작 시각(start)보다 늦어야 합니다",
    },
)

__all__ = ["MESSAGES"]
