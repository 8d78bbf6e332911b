"""The one spreadsheet writer, read back with openpyxl as Excel would open it."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime
from enum import StrEnum

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from civicrpa.core.personal import ResidentNumber
from civicrpa.core.workbook import (
    DATE,
    MONEY,
    Column,
    Sheet,
    Table,
    display_width,
    single_sheet,
    workbook_bytes,
)


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _sheet(book: openpyxl.Workbook, name: str) -> Worksheet:
    sheet = book[name]
    assert isinstance(sheet, Worksheet)
    return sheet


def _one(rows: list[list[object]], columns: list[Column | str] | None = None) -> Worksheet:
    data = workbook_bytes([single_sheet("명단", columns or ["비고"], rows)])
    return _sheet(_open(data), "명단")


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","클릭")',
        "=1+1",
        "+1",
        "-5",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
    ],
)
def test_a_text_that_looks_like_a_formula_stays_text(text: str) -> None:
    cell = _one([[text]])["A2"]
    assert cell.data_type == "s"  # a string, not "f"
    assert cell.value == text.replace("\r", "\n")  # XML reads a bare CR as a line feed
    assert cell.quotePrefix  # Excel shows it as typed with a leading apostrophe


def test_no_formula_anywhere_in_the_file() -> None:
    data = workbook_bytes(
        [
            Sheet(
                name="명단",
                heading=["=1+1 제목", "=2"],
                tables=[Table(title="=3", columns=["=A1"], rows=[["=HYPERLINK(1)"]])],
            )
        ]
    )
    sheet = _sheet(_open(data), "명단")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # no formula element in any sheet's XML
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        assert all(b"<f>" not in archive.read(name) for name in sheets)


def test_numbers_stay_numbers_and_text_numbers_stay_text() -> None:
    sheet = _one([[-5, "-5", 2_000_000, "2000000", 1.5, True]], ["a", "b", "c", "d", "e", "f"])
    assert (sheet["A2"].value, sheet["A2"].data_type) == (-5, "n")
    assert not sheet["A2"].quotePrefix
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("-5", "s")
    assert (sheet["C2"].value, sheet["C2"].data_type) == (2_000_000, "n")
    assert (sheet["D2"].value, sheet["D2"].data_type) == ("2000000", "s")
    assert sheet["E2"].value == 1.5
    assert sheet["F2"].value is True


def test_dates_money_and_korean_time() -> None:
    columns: list[Column | str] = [
        Column(title="신청일"),
        Column(title="지급액", number_format=MONEY),
        Column(title="처리 시각"),
    ]
    # 2025-03-05 00:30 UTC is 09:30 on the Korean wall clock.
    moment = datetime(2025, 3, 5, 0, 30, tzinfo=UTC)
    sheet = _one([[date(2025, 3, 5), 2_000_000, moment]], columns)
    assert sheet["A2"].is_date
    assert sheet["A2"].number_format == DATE
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["B1"].number_format == "General"  # the header is not money
    assert sheet["C2"].value == datetime(2025, 3, 5, 9, 30)
    assert sheet["C2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_bold_frozen_filtered_header_under_title_lines() -> None:
    data = workbook_bytes(
        [
            Sheet(
                name="지원대상자 명단",
                heading=["지원대상자 명단", "기준일: 2025-11-01"],
                tables=[Table(columns=["성명", "금액"], rows=[["김민지", 1], ["이서준", 2]])],
            )
        ]
    )
    sheet = _sheet(_open(data), "지원대상자 명단")
    assert sheet["A1"].value == "지원대상자 명단"
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz == 14
    assert sheet["A2"].value == "기준일: 2025-11-01"
    assert not sheet["A2"].font.b
    assert [c.value for c in sheet[3]] == [None, None]  # a blank line
    assert [c.value for c in sheet[4]] == ["성명", "금액"]
    assert all(cell.font.b for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:B6"


def test_widths_are_fitted_counting_wide_characters_as_two() -> None:
    assert display_width("김민지") == 6
    assert display_width("ABC") == 3
    assert display_width("ＡＢ") == 4  # full-width Latin letters
    columns: list[Column | str] = ["성명", "메모", "번호", Column(title="고정", width=30)]
    sheet = _one([["김민지" * 4, "x" * 100, "A-1", "y"]], columns)
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    # 12 Hangul syllables = 24 characters on screen, plus 2 of margin.
    assert widths["A"] == 26
    assert widths["B"] == 60  # bounded
    assert widths["C"] == 6  # at least 6: "번호" is 4 wide, +2 = 6; "A-1" is 3
    assert widths["D"] == 30  # fixed by the column


def test_several_sheets_and_stacked_tables() -> None:
    summary = Sheet(
        name="요약",
        freeze_header=False,
        auto_filter=False,
        tables=[
            Table(title="상태별 합계", columns=["상태", "건수"], rows=[["지급", 2], ["합계", 2]]),
            Table(title="순위별 합계", columns=["순위", "건수"], rows=[["첫째", 2]]),
        ],
    )
    data = workbook_bytes([single_sheet("명단", ["성명"], [["김민지"]]), summary])
    book = _open(data)
    assert book.sheetnames == ["명단", "요약"]
    rows = [[c.value for c in row] for row in _sheet(book, "요약").iter_rows()]
    assert rows == [
        ["상태별 합계", None],
        ["상태", "건수"],
        ["지급", 2],
        ["합계", 2],
        [None, None],
        ["순위별 합계", None],
        ["순위", "건수"],
        ["첫째", 2],
    ]
    assert _sheet(book, "요약").freeze_panes is None


def test_objects_are_written_as_they_print_and_masked_values_stay_masked() -> None:
    class Status(StrEnum):
        PAID = "paid"

    sheet = _one([[Status.PAID, ResidentNumber("900101-1234568")]], ["상태", "주민등록번호"])
    assert sheet["A2"].value == "paid"
    assert sheet["B2"].value == "900101-1******"


def test_control_characters_are_dropped() -> None:
    assert _one([["a\x00b\x1fc"]])["A2"].value == "abc"


def test_refusals() -> None:
    with pytest.raises(ValueError, match="wider"):
        workbook_bytes([single_sheet("명단", ["성명"], [["김민지", "900101-1234568"]])])
    with pytest.raises(ValueError, match="sheet"):
        workbook_bytes([])
    with pytest.raises(ValueError, match="table"):
        Sheet(name="명단", tables=[])


def test_an_empty_table_has_its_header_only() -> None:
    sheet = _one([])
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:A1"


def test_the_command_line_loads_the_writer_only_when_a_file_is_written() -> None:
    # Every command would pay openpyxl's import time (and the CLI's start is measured).
    code = (
        "import sys, civicrpa.cli.main; "
        "assert 'openpyxl' not in sys.modules and 'civicrpa.core.workbook' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
