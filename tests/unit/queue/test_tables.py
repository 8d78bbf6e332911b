"""Reading a work list without a queue: which sheet is read, and the error when it is absent."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from civicrpa.core.errors import InputRejected
from civicrpa.queue.tables import read_table


@pytest.fixture
def two_sheets(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = "표지"
    cover.append(["2025년 신청 명단"])
    names = workbook.create_sheet("명단")
    names.append(["신청번호", "신청인"])
    names.append(["A-001", "김민지"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    return path


def test_the_named_sheet_is_read(two_sheets: Path) -> None:
    table = read_table(two_sheets, sheet="명단")
    assert table.header == ("신청번호", "신청인")
    assert [(row.number, row.cells) for row in table.rows] == [(2, ("A-001", "김민지"))]
    assert read_table(two_sheets).header == ("2025년 신청 명단",)  # no name: the first sheet


def test_a_missing_sheet_is_named_in_the_error(two_sheets: Path) -> None:
    with pytest.raises(InputRejected) as caught:
        read_table(two_sheets, sheet="없는시트")
    error = caught.value
    assert (error.code, error.field, error.params) == (
        "import.sheet_missing",
        "sheet",
        {"sheet": "없는시트"},
    )
    assert error.message_ko == "'없는시트' 시트를 찾을 수 없습니다."
