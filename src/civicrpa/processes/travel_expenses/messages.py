"""Korean texts of the travel-expenses process: row reasons, refusals, what is not paid."""

from __future__ import annotations

from civicrpa.core.messages import Catalogue

MESSAGES = Catalogue(
    "travel",
    {
        # a trip row (inputs.py)
        "travel.row.malformed": "출장 기록의 형식이 올바르지 않습니다: {fields}",
        "travel.row.problems": "출장 기록에 문제가 {count}가지 있습니다: {reasons}",
        "travel.row.bad_region": "지역 구분을 알 수 없습니다. 가능한 값: {known}",
        "travel.row.bad_transport": "교통수단을 알 수 없습니다. 가능한 값: {known}",
        "travel.row.bad_fuel": "자가용 유종을 알 수 없습니다. 가능한 값: {known}",
        "travel.row.end_before_start": "복귀 일시가 출발 일시보다 늦어야 합니다.",
        "travel.row.night_outside_trip": "숙박일이 출장 기간(출발일부터 복귀 전날까지) 밖에 있습니다.",
        "travel.row.night_twice": "같은 날의 숙박이 두 번 있습니다.",
        "travel.row.lodging_twice": "숙박 내역과 숙박비 합계가 함께 있습니다. 둘 중 하나만 적어 주십시오.",
        "travel.row.fares_twice": "운임 내역과 운임 합계가 함께 있습니다. 둘 중 하나만 적어 주십시오.",
        # refusals (rules.py, tables.py)
        "travel.no_table_row": "{day}에 시작한 출장에 적용할 {table} 여비 기준이 없습니다. 기준표의 적용일을 확인하십시오.",
        "travel.no_rate_for_class": "{day}에 시작한 출장에 적용할 여비 등급 {grade_class}의 기준이 없습니다. 기준표에 등급을 추가하십시오.",
        "travel.tables.class_twice": "같은 여비 등급이 두 번 있습니다",
        # what is not paid, for the department to confirm (rules.py)
        "travel.finding.in_area_daily_cap": "{date} 관내 출장여비가 하루 상한 {cap}원을 넘어 상한까지만 지급합니다(같은 날 앞선 관내 출장 {paid}원).",
        "travel.finding.lodging_without_receipt": "{date} 숙박비 영수증이 없어 숙박비를 지급하지 않았습니다.",
        "travel.finding.lodging_in_area": "관내 출장({trip_id})에는 숙박비를 지급하지 않습니다. 출장 구분을 확인해 주십시오.",
        "travel.finding.fares_in_area": "관내 출장({trip_id})은 정액 여비라 운임을 따로 지급하지 않습니다.",
    },
)

__all__ = ["MESSAGES"]
