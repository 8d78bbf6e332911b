"""Korean texts of the training-records process: row reasons, registration results, reminders."""

from __future__ import annotations

from civicrpa.core.messages import Catalogue

MESSAGES = Catalogue(
    "training",
    {
        # a completion row of an institute's list (inputs.py)
        "training.row.malformed": "교육 이수 기록의 형식이 올바르지 않습니다: {fields}",
        "training.row.problems": "교육 이수 기록에 문제가 {count}가지 있습니다: {reasons}",
        "training.row.bad_kind": "교육 구분을 알 수 없습니다. 가능한 값: {known}",
        "training.row.bad_result": "이수 결과를 알 수 없습니다. 가능한 값: {known}",
        "training.row.end_before_start": "수료일이 교육 시작일보다 앞섭니다.",
        # matching and crediting (rules.py)
        "training.unknown_staff": "직원번호 {staff_no}인 직원이 인사 기록에 없습니다(과정 {course_id}). 직원번호를 확인해 주십시오.",
        "training.name_mismatch": "직원번호 {staff_no}의 성명이 인사 기록과 다릅니다(과정 {course_id}). 교육기관 명단을 확인해 주십시오.",
        "training.no_hours": "과정 {course_id}의 인정 시간이 없습니다. 교육기관에 인정 시간을 확인해 주십시오.",
        "training.no_table_row": "{year}년에 적용할 상시학습 목표시간 기준이 없습니다. 기준표의 적용일을 확인하십시오.",
        "training.tables.grade_twice": "같은 직급이 두 번 있습니다",
        # what became of each row
        "training.status.registered": "{staff_no}의 과정 {course_id} 이수 실적 {hours}시간을 {year}년 실적으로 등록합니다.",
        "training.status.duplicate": "{staff_no}의 과정 {course_id}은(는) 이미 등록된 실적이라 다시 등록하지 않았습니다.",
        "training.status.not_completed": "{staff_no}의 과정 {course_id}은(는) 이수 결과가 {result}이므로 등록하지 않았습니다.",
        # the reminder sent to one person short of hours (their own figures only)
        "training.reminder": "{name}님, {year}년 상시학습 이수시간은 {total}시간으로 목표 {target}시간에 {short}시간 부족합니다. 남은 기간에 교육을 이수해 주시기 바랍니다.",
    },
)

__all__ = ["MESSAGES"]
