"""Excel helpers for processes: typed rows read from a sheet, and a sheet written safely."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pydantic import BaseModel, ConfigDict, Field

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.queue.tables import ImportLimits
from civicrpa.runtime.sheets import TypedRows, read_rows, write_sheet

RRN = "900101-1234568"  # resident-number-shaped: must never reach an error


class Applicant(BaseModel):
    """Configured as the processes' input models are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    birth_date: date
    children: int = Field(ge=0)
    in_city: bool
    note: str | None = None


COLUMNS = {"성명": "name", "생년월일": "birth_date", "자녀 수": "children", "관내 거주": "in_city"}
COLUMNS_WITH_NOTE = {**COLUMNS, "비고": "note"}


def xlsx(*rows: list[Any], title: str = "명단") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def records(result: TypedRows[Applicant]) -> list[tuple[int, tuple[object, ...]]]:
    return [
        (number, (a.name, a.birth_date, a.children, a.in_city, a.note)) for number, a in result.rows
    ]


def test_typed_rows_are_read_from_korean_headers() -> None:
    data = xlsx(
        [" 성 명 ", "생년월일", "자녀수", " 관내  거주", "비고"],
        ["김민지", date(1990, 3, 5), 2, True, "둘째 출생"],
        ["이서준", "1988-12-31", 3.0, "예", None],
        ["박하은", "2001. 7. 4.", "1", "아니오", "  "],
    )
    result = read_rows(data, Applicant, COLUMNS_WITH_NOTE)
    assert result.errors == []
    assert result.bad_rows == []
    assert records(result) == [
        (2, ("김민지", date(1990, 3, 5), 2, True, "둘째 출생")),
        (3, ("이서준", date(1988, 12, 31), 3, True, None)),
        (4, ("박하은", date(2001, 7, 4), 1, False, None)),
    ]


def test_a_bad_row_is_reported_without_its_values_and_the_others_are_read() -> None:
    data = xlsx(
        ["성명", "생년월일", "자녀 수", "관내 거주"],
        ["김민지", "1990-03-05", 2, "예"],
        ["이서준", "1988-13-45", RRN, "아마도"],
        [None, "2001-07-04", -1, "예"],
        ["박하은", "2001-07-04", 1, "아니오"],
    )
    result = read_rows(data, Applicant, COLUMNS)
    assert [number for number, _ in result.rows] == [2, 5]
    assert result.bad_rows == [3, 4]
    by_row = {(e.row, e.column): e for e in result.errors}
    assert {key: e.code for key, e in by_row.items()} == {
        (3, "생년월일"): "import.field_not_date",
        (3, "자녀 수"): "import.field_not_integer",
        (3, "관내 거주"): "import.field_not_bool",
        (4, "성명"): "import.field_missing",
        (4, "자녀 수"): "import.field_out_of_range",
    }
    assert by_row[(3, "자녀 수")].message_ko == "'자녀 수' 항목은 정수여야 합니다."
    assert by_row[(4, "성명")].message_ko == "'성명' 항목이 비어 있습니다."
    for error in result.errors:
        for text in (error.message_ko, repr(error), str(error)):
            assert RRN not in text
            assert "1234568" not in text
            assert "아마도" not in text
            assert "1988-13-45" not in text
    assert RRN not in repr(result)


def test_a_missing_required_column_rejects_the_file_and_names_it() -> None:
    data = xlsx(["성명", "비고", "관내 거주"], ["김민지", "", "예"])
    with pytest.raises(InputRejected) as caught:
        read_rows(data, Applicant, COLUMNS_WITH_NOTE)
    assert caught.value.code == "import.missing_columns"
    assert caught.value.message_ko == "필수 항목 열이 없습니다: 생년월일, 자녀 수"


def test_an_optional_column_may_be_absent_and_extra_columns_are_ignored() -> None:
    data = xlsx(
        ["연번", "성명", "생년월일", "주민등록번호", "자녀 수", "관내 거주", "담당자"],
        [1, "김민지", "1990-03-05", RRN, 2, "예", "=SUM(A1:A2)"],
    )
    result = read_rows(data, Applicant, COLUMNS_WITH_NOTE)
    assert result.errors == []
    assert records(result) == [(2, ("김민지", date(1990, 3, 5), 2, True, None))]


def test_blank_rows_are_skipped_and_row_numbers_stay_excel_ones() -> None:
    data = xlsx(
        [None],
        ["성명", "생년월일", "자녀 수", "관내 거주"],
        [None, None, None, None],
        ["김민지", "1990-03-05", 2, "예"],
        ["", "  ", None, None],
        ["이서준", "1988-12-31", 0, "아니오"],
    )
    result = read_rows(data, Applicant, COLUMNS)
    assert result.errors == []
    assert [number for number, _ in result.rows] == [4, 6]


def test_the_named_sheet_is_read() -> None:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    assert cover is not None
    cover.append(["표지"])
    names = workbook.create_sheet("명단")
    names.append(list(COLUMNS))
    names.append(["김민지", "1990-03-05", 2, "예"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_rows(buffer.getvalue(), Applicant, COLUMNS, sheet="명단")
    assert [number for number, _ in result.rows] == [2]


def test_an_over_long_cell_rejects_its_row_once_without_its_content() -> None:
    data = xlsx(
        list(COLUMNS),
        ["김" * 50, "1990-03-05", 2, "예"],
        ["이서준", "1988-12-31", 0, "아니오"],
    )
    result = read_rows(data, Applicant, COLUMNS, limits=ImportLimits(max_cell_chars=20))
    assert [number for number, _ in result.rows] == [3]
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "성명", "import.cell_too_long")
    ]
    assert "김김" not in result.errors[0].message_ko


def test_the_uploaded_bytes_leave_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    read_rows(xlsx(list(COLUMNS), ["김민지", "1990-03-05", 2, "예"]), Applicant, COLUMNS)
    with pytest.raises(InputRejected):
        read_rows(b"not a workbook", Applicant, COLUMNS)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("data", [b"", b"name,age\nkim,3\n", b"PK\x03\x04 not really a zip"])
def test_a_file_that_is_not_xlsx_is_rejected(data: bytes) -> None:
    with pytest.raises(InputRejected) as caught:
        read_rows(data, Applicant, COLUMNS)
    assert caught.value.code == "import.not_xlsx"


def test_a_mapping_that_does_not_fit_the_model_is_a_configuration_error() -> None:
    data = xlsx(list(COLUMNS), ["김민지", "1990-03-05", 2, "예"])
    with pytest.raises(ConfigurationError):
        read_rows(data, Applicant, {**COLUMNS, "나이": "age"})
    with pytest.raises(ConfigurationError):
        read_rows(data, Applicant, {"성명": "name", "생년월일": "birth_date"})


def test_what_write_sheet_writes_read_rows_reads_back() -> None:
    header = ["성명", "생년월일", "자녀 수", "관내 거주", "비고"]
    rows = [
        ["김민지", date(1990, 3, 5), 2, True, "-"],
        ["이서준", date(1988, 12, 31), 0, False, None],
    ]
    data = write_sheet("지원대상자", header, rows)
    result = read_rows(data, Applicant, COLUMNS_WITH_NOTE, sheet="지원대상자")
    assert result.errors == []
    assert records(result) == [
        (2, ("김민지", date(1990, 3, 5), 2, True, "-")),
        (3, ("이서준", date(1988, 12, 31), 0, False, None)),
    ]


def test_written_sheet_has_a_bold_frozen_header_date_cells_and_fitted_widths() -> None:
    data = write_sheet("명단", ["성명", "신청일"], [["김민지" * 40, date(2025, 3, 5)]])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["명단"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["B2"].is_date
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert 6 <= (sheet.column_dimensions["B"].width or 0) <= 60
    assert sheet.column_dimensions["A"].width == 60  # bounded


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","클릭")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_a_text_that_looks_like_a_formula_stays_text(text: str) -> None:
    data = write_sheet("명단", ["비고"], [[text]])
    cell = openpyxl.load_workbook(io.BytesIO(data))["명단"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML reads a bare CR as a line feed
    assert cell.quotePrefix


def test_money_columns_are_formatted_with_thousands_separators() -> None:
    data = write_sheet(
        "지급", ["성명", "금액"], [["김민지", 2_000_000], ["이서준", 500_000]], money_columns=[1]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["지급"]
    assert [sheet.cell(row=r, column=2).number_format for r in (2, 3)] == ["#,##0"] * 2
    assert sheet["B2"].value == 2_000_000
    assert sheet["B1"].number_format == "General"  # the header is not money
    assert sheet["A2"].number_format == "General"


def test_write_sheet_refuses_rows_wider_than_the_header() -> None:
    with pytest.raises(ValueError, match="wider"):
        write_sheet("명단", ["성명"], [["김민지", RRN]])
    with pytest.raises(ValueError, match="money"):
        write_sheet("명단", ["성명"], [], money_columns=[3])


class TitledApplicant(BaseModel):
    """A payload whose fields carry their Korean titles, as queue import reads them."""

    name: str = Field(title="성명")
    children: int = Field(title="자녀 수", ge=0)
    note: str | None = Field(title="비고", default=None)


def test_without_a_mapping_the_headers_are_the_fields_titles() -> None:
    data = xlsx(["성명", " 자녀수 ", "다른 열"], ["김민지", 2, "무시"], ["이서준", "x", ""])
    result = read_rows(data, TitledApplicant)
    assert [(n, a.name, a.children) for n, a in result.rows] == [(2, "김민지", 2)]
    assert [(e.row, e.column) for e in result.errors] == [(3, "자녀 수")]
