"""Bulk import of work items from real .xlsx and .csv files into a real queue database."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.queue.importer import (
    ImportLimits,
    ImportReport,
    import_items,
    write_error_report,
)
from civicrpa.queue.models import WorkItem
from civicrpa.queue.store import QueueStore

QUEUE = "childbirth"
#: A fake resident registration number: it must never show in an error, a repr or a report.
RRN = "900101-1234567"
HEADER: list[object] = ["신청번호", "신청인", "자녀수", "출생일", "계좌번호"]


class Application(BaseModel):
    application_no: str = Field(title="신청번호", max_length=30)
    applicant_name: str = Field(title="신청인", max_length=20)
    child_count: int = Field(title="자녀수", ge=1, le=10)
    birth_date: date = Field(title="출생일")
    account_no: str = Field(title="계좌번호", pattern=r"^[0-9-]+$")


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, title: str = "신청") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def run(store: QueueStore, path: Path, **options: Any) -> ImportReport:
    return import_items(
        store, QUEUE, path, Application, reference_field="application_no", **options
    )


def payloads(store: QueueStore) -> dict[str, dict[str, Any]]:
    """Payloads as stored (encrypted at rest), opened with the store's key."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(WorkItem.reference, WorkItem.payload).where(WorkItem.queue == QUEUE)
        ).all()
    opened = {}
    for row in rows:
        assert isinstance(row.payload, str)  # never plain JSON in the database
        payload = store.sealer.open("payload", QUEUE, row.reference, row.payload)
        assert payload is not None
        opened[row.reference] = payload
    return opened


def count(store: QueueStore) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(WorkItem).where(WorkItem.queue == QUEUE)
            ).scalar_one()
        )


def rejected(path: Path, store: QueueStore, **options: Any) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        run(store, path, **options)
    assert count(store) == 0
    return caught.value


def assert_no_secret(report: ImportReport, secret: str = RRN) -> None:
    assert secret not in repr(report)
    for error in report.errors:
        assert secret not in error.message_ko
        assert secret not in repr(error)


GOOD_ROWS: list[list[object]] = [
    HEADER,
    ["A-001", "김민지", 1, datetime(2024, 3, 5), "110-123-456789"],
    ["A-002", "이서준", 2.0, datetime(2024, 4, 1), 1234567],  # an account typed as a number
    ["A-003", "박지호", 3, datetime(2024, 5, 20), 7654321.0],  # ... and stored as a float
]
GOOD_PAYLOADS = {
    "A-001": {
        "application_no": "A-001",
        "applicant_name": "김민지",
        "child_count": 1,
        "birth_date": "2024-03-05",
        "account_no": "110-123-456789",
    },
    "A-002": {
        "application_no": "A-002",
        "applicant_name": "이서준",
        "child_count": 2,
        "birth_date": "2024-04-01",
        "account_no": "1234567",
    },
    "A-003": {
        "application_no": "A-003",
        "applicant_name": "박지호",
        "child_count": 3,
        "birth_date": "2024-05-20",
        "account_no": "7654321",
    },
}


# -- good files ---------------------------------------------------------------------------------


def test_good_xlsx_adds_every_row_with_its_payload(store: QueueStore, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    report = run(
        store,
        write_xlsx(tmp_path / "신청.xlsx", GOOD_ROWS),
        priority=5,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report == ImportReport(total_rows=3, added=3, already_queued=[], empty_rows=0, errors=[])
    assert payloads(store) == GOOD_PAYLOADS
    assert count(store) == report.added
    assert seen == [(1, 3), (2, 3), (3, 3)]
    with store.engine.connect() as conn:
        assert set(conn.execute(select(WorkItem.priority)).scalars()) == {5}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp949"])
def test_good_csv_in_each_korean_excel_encoding(
    store: QueueStore, tmp_path: Path, encoding: str
) -> None:
    rows: list[list[object]] = [
        [" 신청 번호 ", "신청인", "자녀수", "출생일", "계좌번호"],  # spaces in a header are ignored
        ["A-001", " 김민지 ", "1", "2024-03-05", "110-123-456789"],
        ["A-002", "이서준", "2", "2024.04.01", "1234567"],  # the Korean way to write a date
        ["A-003", "박지호", "3", "20240520", "7654321"],
    ]
    report = run(store, write_csv(tmp_path / "신청.csv", rows, encoding=encoding))
    assert (report.added, report.errors) == (3, [])
    assert payloads(store) == GOOD_PAYLOADS


def test_columns_match_field_names_in_any_case_and_order(
    sqlite_store: QueueStore, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["Account_No", "BIRTH_DATE", "child_count", "Applicant_Name", "application_no", "메모"],
        ["110-1", "2024-01-02", 4, "최우진", "B-1", "extra columns are ignored"],
    ]
    report = run(sqlite_store, write_xlsx(tmp_path / "list.xlsx", rows))
    assert report.added == 1
    assert payloads(sqlite_store)["B-1"]["child_count"] == 4


def test_named_sheet_is_read(sqlite_store: QueueStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [["표지"]], title="표지")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.create_sheet("명단")
    for row in GOOD_ROWS:
        sheet.append(row)
    workbook.save(path)
    assert rejected(path, sqlite_store).code == "import.missing_columns"  # the first sheet
    assert run(sqlite_store, path, sheet="명단").added == 3
    with pytest.raises(InputRejected) as caught:
        run(sqlite_store, path, sheet="없는시트")
    assert (caught.value.code, caught.value.field, caught.value.message_ko) == (
        "import.sheet_missing",
        "sheet",
        "'없는시트' 시트를 찾을 수 없습니다.",
    )


# -- bad rows -----------------------------------------------------------------------------------


def test_bad_rows_are_reported_and_good_rows_kept(store: QueueStore, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        HEADER,
        ["A-001", "김민지", 1, datetime(2024, 3, 5), "110-123"],
        ["A-002", "이서준", RRN, datetime(2024, 4, 1), "220-456"],  # not an integer
        ["A-003", "박지호", 11, RRN, "330-789"],  # out of range, not a date
        ["A-004", "가" * 21, 2, datetime(2024, 5, 1), f"{RRN}?"],  # too long, pattern
        ["A-005", "", 3, datetime(2024, 6, 1), "440"],  # missing
        ["A-006", "정하은", 2.5, "2024-02-30", "550"],  # a fraction, no such day
        ["A-007", "한도윤", 2, datetime(2024, 7, 1), "660"],
    ]
    report = run(store, write_xlsx(tmp_path / "신청.xlsx", rows))
    assert report.added == 2
    assert sorted(payloads(store)) == ["A-001", "A-007"]
    assert count(store) == report.added
    found = [(e.row, e.column, e.code) for e in report.errors]
    assert found == [
        (3, "자녀수", "import.field_not_integer"),
        (4, "자녀수", "import.field_out_of_range"),
        (4, "출생일", "import.field_not_date"),
        (5, "신청인", "import.field_too_long"),
        (5, "계좌번호", "import.field_pattern"),
        (6, "신청인", "import.field_missing"),
        (7, "자녀수", "import.field_not_integer"),
        (7, "출생일", "import.field_not_date"),
    ]
    assert report.rejected_rows == 5
    messages = {(e.row, e.column): e.message_ko for e in report.errors}
    assert messages[3, "자녀수"] == "'자녀수' 항목은 정수여야 합니다."
    assert messages[5, "신청인"] == "'신청인' 항목이 너무 깁니다(최대 20자)."
    assert messages[6, "신청인"] == "'신청인' 항목이 비어 있습니다."
    assert_no_secret(report)


def test_empty_rows_are_skipped_and_counted(sqlite_store: QueueStore, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [None],
        [],
        HEADER,  # blank rows above the header are not counted
        GOOD_ROWS[1],
        [None, "  ", None],
        GOOD_ROWS[2],
        [],
        [],
        GOOD_ROWS[3],
        [" "],
        [None, " "],  # trailing blank rows are not counted either
    ]
    report = run(sqlite_store, write_xlsx(tmp_path / "list.xlsx", rows))
    assert (report.added, report.empty_rows, report.total_rows) == (3, 3, 6)
    assert report.errors == []


def test_a_reference_repeated_in_the_file_rejects_the_later_rows(
    store: QueueStore, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        HEADER,
        GOOD_ROWS[1],
        GOOD_ROWS[2],
        ["A-001", "김민지", 2, "2024-03-05", "1"],
        [" A-001 ", "김민지", 3, "2024-03-05", "1"],
    ]
    report = run(store, write_xlsx(tmp_path / "list.xlsx", rows))
    assert report.added == 2
    assert payloads(store)["A-001"]["child_count"] == 1  # the first row wins
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (4, "신청번호", "import.duplicate_in_file"),
        (5, "신청번호", "import.duplicate_in_file"),
    ]
    assert report.errors[0].message_ko == "파일 안에서 참조번호가 중복됩니다(2행과 같음)."


def test_an_empty_reference_is_a_row_error(sqlite_store: QueueStore, tmp_path: Path) -> None:
    class NoRequiredReference(BaseModel):
        application_no: str = Field(default="", title="신청번호")
        applicant_name: str = Field(title="신청인")

    path = write_xlsx(
        tmp_path / "list.xlsx",
        [["신청번호", "신청인"], [None, "김민지"], ["", "x"], ["A-1", "이서준"]],
    )
    report = import_items(
        sqlite_store, QUEUE, path, NoRequiredReference, reference_field="application_no"
    )
    assert report.added == 1
    assert [(e.row, e.code) for e in report.errors] == [
        (2, "queue.reference_required"),
        (3, "queue.reference_required"),
    ]


def test_importing_the_same_file_twice_adds_nothing_new(store: QueueStore, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", GOOD_ROWS)
    assert run(store, path).added == 3
    again = run(store, path)
    assert (again.added, sorted(again.already_queued), again.errors) == (
        0,
        ["A-001", "A-002", "A-003"],
        [],
    )
    assert count(store) == 3


def test_a_ten_megabyte_cell_rejects_only_its_row(store: QueueStore, tmp_path: Path) -> None:
    # openpyxl cuts what it writes to Excel's 32,767 characters; a hostile file need not.
    rows: list[list[object]] = [
        [*HEADER, "비고"],
        GOOD_ROWS[1] + ["ok"],
        GOOD_ROWS[2] + ["HUGE"],
        GOOD_ROWS[3] + [None],
    ]
    path = write_xlsx(tmp_path / "made.xlsx", rows)
    with (
        zipfile.ZipFile(path) as made,
        zipfile.ZipFile(tmp_path / "list.xlsx", "w", zipfile.ZIP_DEFLATED) as hostile,
    ):
        for name in made.namelist():
            huge = RRN.encode() * 800_000  # 11.2 million characters
            hostile.writestr(name, made.read(name).replace(b">HUGE<", b">" + huge + b"<"))
    report = run(store, tmp_path / "list.xlsx")
    assert report.added == 2
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (3, "비고", "import.cell_too_long")
    ]
    assert report.errors[0].message_ko == "'비고' 칸의 내용이 너무 깁니다(11200000자, 최대 5000자)."
    assert_no_secret(report)


@pytest.mark.parametrize("length", [6_000, 200_000])  # under and over the csv module's own limit
def test_an_over_long_csv_cell_rejects_only_its_row(
    sqlite_store: QueueStore, tmp_path: Path, length: int
) -> None:
    multiline = ('가,\n"' * length)[:length]  # commas, newlines and quotes inside the cell
    rows: list[list[object]] = [
        HEADER,
        ["A-001", "김민지", "1", "2024-03-05", "1"],
        ["A-002", multiline, "2", "2024-03-05", "2"],
        ["A-003", "박지호", "3", "2024-03-05", "3"],
    ]
    report = run(sqlite_store, write_csv(tmp_path / "list.csv", rows))
    assert sorted(payloads(sqlite_store)) == ["A-001", "A-003"]
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (3, "신청인", "import.cell_too_long")
    ]
    assert f"({length}자" in report.errors[0].message_ko


def test_the_error_report_opens_in_excel_without_personal_data(
    sqlite_store: QueueStore, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        [*HEADER, '=HYPERLINK("http://x")'],
        GOOD_ROWS[1] + ["x" * 6000],
        ["A-002", "이서준", RRN, "2024-01-01", "1"],
    ]
    upload = write_xlsx(tmp_path / "list.xlsx", rows)
    workbook = openpyxl.load_workbook(upload)
    assert workbook.active is not None
    workbook.active["F1"].data_type = "s"  # a header that looks like a formula
    workbook.save(upload)
    report = run(sqlite_store, upload)
    path = write_error_report(report, tmp_path / "오류.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    lines = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert lines[0] == ("행", "열", "사유", "오류 코드")
    assert lines[1][:2] == (2, '=HYPERLINK("http://x")')
    assert sheet["B2"].data_type == "s"  # text, not a formula
    assert lines[2] == (3, "자녀수", "'자녀수' 항목은 정수여야 합니다.", "import.field_not_integer")
    with zipfile.ZipFile(path) as archive:
        assert all(RRN.encode() not in archive.read(name) for name in archive.namelist())


# -- whole-file problems ------------------------------------------------------------------------


def test_a_missing_file(sqlite_store: QueueStore, tmp_path: Path) -> None:
    error = rejected(tmp_path / "없음.xlsx", sqlite_store)
    assert (error.code, error.message_ko) == (
        "import.file_missing",
        "파일을 찾을 수 없습니다: 없음.xlsx",
    )


@pytest.mark.parametrize("name", ["list.xls", "list.txt", "list"])
def test_an_unsupported_extension(sqlite_store: QueueStore, tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"a,b\n")
    assert rejected(tmp_path / name, sqlite_store).code == "import.unsupported_type"


@pytest.mark.parametrize(
    "content",
    [
        b"",  # an empty file
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,  # an old .xls renamed .xlsx
        b"%PDF-1.7\n",
        b"PK\x03\x04 but not really a zip",
    ],
)
def test_a_file_that_is_not_xlsx(sqlite_store: QueueStore, tmp_path: Path, content: bytes) -> None:
    (tmp_path / "list.xlsx").write_bytes(content)
    error = rejected(tmp_path / "list.xlsx", sqlite_store)
    assert (error.code, error.message_ko) == (
        "import.not_xlsx",
        "엑셀(.xlsx) 파일이 아니거나 손상된 파일입니다.",
    )


def test_a_zip_that_is_not_a_workbook(sqlite_store: QueueStore, tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "list.xlsx", "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert rejected(tmp_path / "list.xlsx", sqlite_store).code == "import.not_xlsx"


def test_a_zip_bomb_is_refused_before_it_is_inflated(
    sqlite_store: QueueStore, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", GOOD_ROWS)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w") as entry,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(201):  # 201 MB of zeros, about 200 KB compressed
            entry.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    assert rejected(path, sqlite_store).code == "import.xlsx_too_large"


def test_an_empty_csv_has_no_header(sqlite_store: QueueStore, tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_bytes(b"")
    assert rejected(tmp_path / "list.csv", sqlite_store).code == "import.no_header"
    (tmp_path / "blank.csv").write_bytes(b"\r\n , \r\n\r\n")
    assert rejected(tmp_path / "blank.csv", sqlite_store).code == "import.no_header"


def test_an_undecodable_csv(sqlite_store: QueueStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "list.csv", GOOD_ROWS[:1], encoding="utf-16")
    assert rejected(tmp_path / "list.csv", sqlite_store).code == "import.csv_encoding"


def test_a_missing_required_column_names_it_in_korean(
    sqlite_store: QueueStore, tmp_path: Path
) -> None:
    rows = [["신청번호", "신청인", "계좌번호"], ["A-1", "김민지", "1"]]
    error = rejected(write_xlsx(tmp_path / "list.xlsx", rows), sqlite_store)
    assert error.code == "import.missing_columns"
    assert error.message_ko == "필수 항목 열이 없습니다: 자녀수, 출생일"


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        (["신청번호", "신청인", "신청인 "], "신청인, 신청인"),  # the same header twice
        (["신청번호", "application_no"], "신청번호, application_no"),  # one field, two columns
    ],
)
def test_duplicate_columns(
    sqlite_store: QueueStore, tmp_path: Path, header: list[str], columns: str
) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [[*header, "자녀수", "출생일", "계좌번호"]])
    error = rejected(path, sqlite_store)
    assert (error.code, error.params) == ("import.duplicate_columns", {"columns": columns})


def test_too_many_rows(sqlite_store: QueueStore, tmp_path: Path) -> None:
    rows = [HEADER] + [[f"A-{i}", "김", 1, "2024-01-01", "1"] for i in range(6)]
    limits = ImportLimits(max_rows=5)
    error = rejected(write_xlsx(tmp_path / "list.xlsx", rows), sqlite_store, limits=limits)
    assert (error.code, error.message_ko) == (
        "import.too_many_rows",
        "행이 너무 많습니다. 한 번에 5행까지 가져올 수 있습니다.",
    )
    assert run(sqlite_store, tmp_path / "list.xlsx", limits=ImportLimits(max_rows=6)).added == 6


def test_blank_rows_may_trail_past_the_row_limit_but_not_forever(
    sqlite_store: QueueStore, tmp_path: Path
) -> None:
    limits = ImportLimits(max_rows=5)
    (tmp_path / "headless.csv").write_text("\r\n" * 10**6)
    assert rejected(tmp_path / "headless.csv", sqlite_store).code == "import.no_header"
    good = "\r\n".join(f"A-{i},김,1,2024-01-01,1" for i in range(5))
    header = ",".join(str(name) for name in HEADER)
    (tmp_path / "trail.csv").write_text(f"{header}\r\n{good}\r\n" + ",,\r\n" * 5, "utf-8")
    (tmp_path / "endless.csv").write_text(f"{header}\r\n{good}\r\n" + "\r\n" * 10**6)
    assert rejected(tmp_path / "endless.csv", sqlite_store, limits=limits).code == (
        "import.too_many_rows"
    )
    report = run(sqlite_store, tmp_path / "trail.csv", limits=limits)
    assert (report.added, report.total_rows, report.empty_rows) == (5, 5, 0)


def test_a_file_over_the_size_limit(sqlite_store: QueueStore, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", GOOD_ROWS)
    limits = ImportLimits(max_file_bytes=100)
    assert rejected(path, sqlite_store, limits=limits).code == "import.file_too_large"


def test_an_unknown_reference_field_is_a_programming_error(
    sqlite_store: QueueStore, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", GOOD_ROWS)
    with pytest.raises(ConfigurationError):
        import_items(sqlite_store, QUEUE, path, Application, reference_field="case_no")
