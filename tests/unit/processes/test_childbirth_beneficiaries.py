"""The beneficiary list (.xlsx) for the department, read back as the official opens it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from civicrpa.core.errors import InputRejected
from civicrpa.processes.childbirth_incentive import (
    BeneficiaryRow,
    BeneficiaryStatus,
    PostnatalEntry,
    PostnatalGroup,
    beneficiary_list_workbook,
)

D = date.fromisoformat

TWINS_CARE = PostnatalEntry(
    group=PostnatalGroup.BASIC, centre_in_city=True, days_used=14, amount=1_680_000
)
FIRST = BeneficiaryRow(
    case_id="CB-2023-0001",
    applicant_name_masked="양*정",
    child_birth_date=D("2023-03-10"),
    birth_order=2,
    is_multiple_birth=True,
    parent_id_ref="P-000123",
    registered_in_city_on_birth=True,
    still_registered=True,
    moved_out_date=None,
    instalment_no=1,
    instalment_due_year=2023,
    amount=2_000_000,
    postnatal=TWINS_CARE,
    status=BeneficiaryStatus.PAID,
)
ROWS = [
    FIRST,
    # The same case's next instalment repeats the postnatal entry: it is summed once.
    replace(FIRST, instalment_no=2, instalment_due_year=2024, status=BeneficiaryStatus.DUE),
    BeneficiaryRow(
        case_id="CB-2022-0042",
        child_birth_date=D("2022-01-01"),
        birth_order=5,
        is_multiple_birth=False,
        parent_id_ref="P-000777",
        registered_in_city_on_birth=True,
        still_registered=False,
        moved_out_date=D("2024-06-30"),
        instalment_no=3,
        instalment_due_year=2024,
        amount=4_000_000,
        status=BeneficiaryStatus.STOPPED,
    ),
]


def _open(rows: list[BeneficiaryRow]) -> openpyxl.Workbook:
    data = beneficiary_list_workbook(rows, base_date=D("2025-11-01"), department="인구정책과")
    return openpyxl.load_workbook(io.BytesIO(data))


def _day(value: object) -> date:
    assert isinstance(value, datetime)  # a real date cell, not text
    return value.date()


def _sheet(book: openpyxl.Workbook, name: str) -> Worksheet:
    sheet = book[name]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_the_list_has_korean_headers_and_typed_cells() -> None:
    book = _open(ROWS)
    assert book.sheetnames == ["지원대상자 명단", "요약"]
    sheet = _sheet(book, "지원대상자 명단")
    # As a department sends it: a title, the reference date and the compiling department.
    assert sheet["A1"].value == "출산장려금·산후조리비용 지원대상자 명단"
    assert sheet["A2"].value == "기준일: 2025-11-01    작성 부서: 인구정책과"
    header = [cell.value for cell in sheet[4]]
    assert header == [
        "관리번호", "신청인", "출생일", "출생 순위", "다태아", "부모 관리번호", "출생일 관내 주민등록",
        "현재 관내 주민등록", "전출일", "지급 회차", "지급 연도", "출산장려금(원)",
        "산후조리비용 지원 구분", "관내 산후조리원", "이용 일수", "산후조리비용(원)", "상태",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A5"
    values = [cell.value for cell in sheet[5]][1:]  # after 관리번호
    assert [cell.value for cell in sheet[5]][:2] == ["CB-2023-0001", "양*정"]
    assert values[1:5] == [values[1], 2, "예", "P-000123"]
    assert _day(values[1]) == D("2023-03-10")
    assert values[5:] == [
        "예", "예", None, 1, 2023, 2_000_000, "기초(의료)수급자·심한 장애", "예", 14, 1_680_000,
        "지급 완료",
    ]  # fmt: skip
    assert sheet["C5"].number_format == "yyyy-mm-dd"
    assert sheet["L5"].number_format == "#,##0"
    assert sheet["P5"].number_format == "#,##0"
    stopped = [cell.value for cell in sheet[7]][1:]
    assert stopped[6:8] == ["아니오", stopped[7]]
    assert _day(stopped[7]) == D("2024-06-30")
    assert sheet["I7"].number_format == "yyyy-mm-dd"
    assert stopped[11:] == [None, None, None, None, "지급 중지"]


def test_the_summary_totals_by_status_and_birth_order() -> None:
    sheet = _sheet(_open(ROWS), "요약")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[:8] == [
        ["상태별 합계", None, None, None],
        ["상태", "건수", "출산장려금(원)", "산후조리비용(원)"],
        ["지급 예정", 1, 2_000_000, 0],
        ["지급 완료", 1, 2_000_000, 1_680_000],  # the postnatal amount counts once per case
        ["지급 중지", 1, 4_000_000, 0],
        ["확인 필요", 0, 0, 0],
        ["합계", 3, 8_000_000, 1_680_000],
        [None, None, None, None],
    ]
    assert rows[8:15] == [
        ["출생 순위별 합계", None, None, None],
        ["출생 순위", "건수", "출산장려금(원)", "산후조리비용(원)"],
        ["첫째", 0, 0, 0],
        ["둘째", 2, 4_000_000, 1_680_000],
        ["셋째", 0, 0, 0],
        ["넷째 이상", 1, 4_000_000, 0],  # the 5th child counts with the 4th
        ["합계", 3, 8_000_000, 1_680_000],
    ]
    assert sheet["C3"].number_format == "#,##0"


def test_an_empty_list_still_opens() -> None:
    book = _open([])
    assert _sheet(book, "지원대상자 명단").max_row == 4
    assert _sheet(book, "요약")["B7"].value == 0


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_no_text_becomes_a_formula(text: str) -> None:
    row = replace(FIRST, case_id=text, parent_id_ref=text)
    sheet = _sheet(_open([row]), "지원대상자 명단")
    for cell in (sheet["A5"], sheet["F5"]):
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix


@pytest.mark.parametrize("ref", ["900101-1234568", "9001011234568", "P-9001011234568"])
def test_a_resident_number_is_never_the_parent_key(ref: str) -> None:
    with pytest.raises(InputRejected) as caught:
        replace(FIRST, parent_id_ref=ref)
    assert (caught.value.code, caught.value.field) == (
        "childbirth.list.parent_ref_is_rrn",
        "parent_id_ref",
    )
    for shown in (repr(caught.value), str(caught.value), caught.value.message_ko):
        assert ref not in shown
