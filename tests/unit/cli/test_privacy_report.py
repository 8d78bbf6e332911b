"""The privacy officer's access report as a file: the same lines as on screen, no formula."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl

from civicrpa.cli.commands_privacy import _REPORT_COLUMNS, _report_line
from civicrpa.core.workbook import single_sheet, workbook_bytes
from civicrpa.security.access_log import Access


def test_the_report_file_holds_each_access_and_runs_no_formula() -> None:
    access = Access(
        at=datetime(2025, 10, 10, 0, 30, tzinfo=UTC),  # 09:30 KST
        actor="person:kim",
        role="privacy_officer",
        reason='=HYPERLINK("http://evil.example","열람 요구")',
        subject_kind="item",
        subject_id="42",
        fields=["applicant_rrn", "phone"],
    )
    data = workbook_bytes(
        [single_sheet("개인정보 열람 기록", _REPORT_COLUMNS, [_report_line(access)])]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["개인정보 열람 기록"]
    assert [c.value for c in sheet[1]] == [
        "시각(KST)",
        "열람한 사람",
        "역할",
        "대상",
        "항목",
        "사유",
    ]
    assert [c.value for c in sheet[2]] == [
        "2025-10-10 09:30",
        "person:kim",
        "privacy_officer",
        "item:42",
        "applicant_rrn, phone",
        '=HYPERLINK("http://evil.example","열람 요구")',  # as written, but text
    ]
    assert sheet["F2"].data_type == "s"
    assert sheet["F2"].quotePrefix
