"""Korean texts of the meal-allowance process: row reasons, why a diner is not paid for."""

from __future__ import annotations

from civicrpa.core.messages import Catalogue

MESSAGES = Catalogue(
    "meal",
    {
        # a receipt of the meal ledger (inputs.py)
        "meal.row.malformed": "매식 영수증 기록의 형식이 올바르지 않습니다: {fields}",
        "meal.row.problems": "매식 영수증 기록에 문제가 {count}가지 있습니다: {reasons}",
        "meal.row.bad_meal": "식사 구분을 알 수 없습니다. 가능한 값: {known}",
        "meal.row.no_diners": "식사한 직원의 직원번호가 없습니다.",
        "meal.row.bad_diner": "직원번호 형식이 아닌 식사 인원이 {count}명 있습니다. 장부에는 직원번호(예: E00042)를 적어 주십시오.",
        "meal.row.diner_twice": "같은 직원이 한 영수증에 두 번 적혀 있습니다: {staff_nos}",
        "meal.row.bad_card_approval": "카드 승인번호는 숫자여야 합니다.",
        "meal.no_table_row": "{day}에 적용할 급량비 상한 기준이 없습니다. 기준표의 적용일을 확인하십시오.",
        # why a diner is not paid for (rules.py); each is also a finding for the department
        "meal.reason.unknown_diner": "{staff_no}: {date}의 근무 기록이 없어 급량비 대상인지 확인할 수 없습니다.",
        "meal.reason.shift_worker": "{staff_no}: 교대근무자는 급량비(특근매식비) 대상이 아닙니다.",
        "meal.reason.night_holiday_allowance": "{staff_no}: {date}에 야간·휴일근무수당을 받으므로 급량비 대상이 아닙니다.",
        "meal.reason.trip_meals_paid": "{staff_no}: {date}에 출장 식비를 받으므로 급량비를 지급하면 이중 지급입니다.",
        "meal.reason.no_overtime": "{staff_no}: {date}에 승인된 초과근무가 없습니다.",
        "meal.reason.overtime_too_short": "{staff_no}: {date}의 초과근무 {minutes}분이 급량비 기준({min}분 이상)에 못 미칩니다.",
        "meal.reason.weekday_lunch": "{staff_no}: 평일 점심은 근무시간 중 식사라 급량비 대상이 아닙니다.",
        "meal.reason.meal_time_not_worked": "{staff_no}: {date} 휴일 근무 시간에 이 식사 시간이 들어 있지 않습니다.",
        "meal.reason.meal_limit": "{staff_no}: {date}에 받을 수 있는 급량비 식사 횟수를 넘었습니다.",
    },
)

__all__ = ["MESSAGES"]
