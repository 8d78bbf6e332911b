"""``civicrpa queue export`` and ``queue artifact`` as a department and the RPA team use them: a
queue the robots have worked, the written files and the access log read afterwards."""

from __future__ import annotations

import json
import re
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from civicrpa.core.clock import KST
from tests.support.cli import (
    ME,
    become,
    civicrpa,
    civicrpa_ok,
    civicrpa_refused,
    cli_env,
    copy_data_dir,
)
from tests.support.reporting import NAME, NOTE, NOTE_NAME, PHONE, RRN, TRACE, TRACE_NAME, grant

GRANTS = "grant_payment"
MODULES = {"CIVICRPA_PROCESS_MODULES": "tests.support.reporting"}
#: Items of the worked queue: three paid (1-3), one refused with a note (4), one refused with
#: a sealed trace (5).
NOTED, TRACED = 4, 5


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory, registered_data_dir: Path) -> Path:
    """A data folder whose ``grant_payment`` queue the robots have worked, made once."""
    base = tmp_path_factory.mktemp("worked")
    copy_data_dir(registered_data_dir, base / "var")
    env = cli_env({"CIVICRPA_DATA_DIR": str(base / "var"), **MODULES})
    civicrpa_ok("produce", GRANTS, env=env, cwd=base)
    for number, mode in (("N-1", "note"), ("T-1", "trace")):
        data = json.dumps(grant(number, mode=mode))
        civicrpa_ok("queue", "add", GRANTS, "--data", data, env=env, cwd=base)
    civicrpa_ok("run", GRANTS, "--workers", "1", env=env, cwd=base)
    return base / "var"


@pytest.fixture
def folder(tmp_path: Path, worked: Path) -> Path:
    copy_data_dir(worked, tmp_path / "var")
    return tmp_path / "var"


@pytest.fixture
def env(folder: Path) -> dict[str, str]:
    return cli_env({"CIVICRPA_DATA_DIR": str(folder), **MODULES})


def _access_log(folder: Path) -> list[tuple[str, str, str, str, str, list[str]]]:
    """Who was shown what, as recorded: person, role, reason, subject, fields."""
    with sqlite3.connect(folder / "civicrpa.db") as conn:
        rows = conn.execute(
            "SELECT actor, role, reason, subject_kind, subject_id, fields FROM access_log"
            " ORDER BY id"
        ).fetchall()
    return [(*row[:5], json.loads(row[5])) for row in rows]


def _sheet(path: Path) -> list[tuple[object, ...]]:
    """The rows of the export's one sheet, title lines included."""
    book = load_workbook(path)
    assert book.sheetnames == ["작업 목록"]
    sheet = book.active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _table(rows: list[tuple[object, ...]]) -> list[dict[str, object]]:
    """The rows under the header (the line that starts with 번호), by column title."""
    start = next(n for n, row in enumerate(rows) if row[0] == "번호")
    header = [str(title) for title in rows[start] if title is not None]
    return [dict(zip(header, row, strict=False)) for row in rows[start + 1 :]]


def _saved_to(said: str) -> Path:
    found = re.search(r"건을 (\S+)에 저장했습니다", said)
    assert found, said
    return Path(found.group(1))


def _text(rows: list[tuple[object, ...]]) -> str:
    return "\n".join(str(cell) for row in rows for cell in row if cell is not None)


def test_a_reviewer_exports_the_queue_masked_by_default(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    become(folder, "department_reviewer")
    said = civicrpa_ok("queue", "export", GRANTS, env=env, cwd=tmp_path)
    path = _saved_to(said)
    assert path.parent == folder / "reports"
    assert re.fullmatch(r"grant_payment_\d{8}-\d{6}\.xlsx", path.name), path.name
    assert "작업 5건을" in said
    rows = _sheet(path)
    assert rows[0][0] == "시험용 지원금 지급 작업 목록 (grant_payment)"
    assert "개인정보: 가림" in _text(rows[:4])
    table = _table(rows)
    assert [row["번호"] for row in table] == [1, 2, 3, NOTED, TRACED]  # oldest first
    paid, refused = table[0], table[NOTED - 1]
    assert paid["참조번호"] == "G-1"
    assert paid["상태"] == "완료"
    assert paid["시도 횟수"] == 1
    # Payload columns by the model's Korean titles, masked; output columns after them.
    assert paid["신청인 성명"] == "홍**"
    assert paid["신청인 주민등록번호"] == "900101-1******"
    assert paid["신청 금액"] == 300_000
    assert paid["결과: notified_phone"] == "010-****-6789"
    assert refused["상태"] == "업무 예외"
    assert refused["사유"] == "지원 대상이 아닙니다."
    # Added and finished on the Korean wall clock (the robots ran a moment ago).
    now = datetime.now(KST).replace(tzinfo=None)
    for column in ("등록(KST)", "완료(KST)"):
        moment = paid[column]
        assert isinstance(moment, datetime)
        assert abs(moment - now) < timedelta(minutes=10), (column, moment, now)
    # Nothing of the resident number beyond what the mask leaves, nor the name or phone.
    written = _text(rows)
    assert RRN not in written
    assert "1234568" not in written
    assert NAME not in written
    assert PHONE not in written
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _access_log(folder) == []  # masked: nothing to record


def test_an_export_with_a_reason_is_clear_and_recorded_item_by_item(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    become(folder, "department_reviewer")
    out = tmp_path / "지급확인.xlsx"
    said = civicrpa_ok(
        "queue", "export", GRANTS, "--state", "완료", "--out", str(out),
        "--reason", "지급 내역 대조", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert _saved_to(said) == out
    assert "작업 3건을" in said
    assert "열람 기록을 남겼고" in said
    rows = _sheet(out)
    assert "개인정보: 가리지 않음" in _text(rows[:5])
    assert "상태: 완료" in _text(rows[:5])
    table = _table(rows)
    assert [row["참조번호"] for row in table] == ["G-1", "G-2", "G-3"]
    assert {row["신청인 주민등록번호"] for row in table} == {RRN}
    assert {row["신청인 성명"] for row in table} == {NAME}
    assert {row["결과: notified_phone"] for row in table} == {PHONE}
    assert _access_log(folder) == [
        (
            f"person:{ME}",
            "department_reviewer",
            "지급 내역 대조",
            "work_item",
            str(item_id),
            ["payload", "output"],
        )
        for item_id in (1, 2, 3)
    ]


def test_an_export_refuses_what_the_role_may_not_read(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    # The RPA team may list the queue's items, not read the applicants' data in them.
    line = civicrpa_refused("queue", "export", GRANTS, "--reason", "확인", env=env, cwd=tmp_path)
    assert line == "오류: 'RPA 관리자' 역할에는 '개인정보가 담긴 작업 내용 조회' 권한이 없습니다."
    said = civicrpa_ok("queue", "export", GRANTS, "--out", str(tmp_path), env=env, cwd=tmp_path)
    assert "개인정보 조회 권한이 없어 작업 데이터와 결과 항목은 빼고 저장했습니다" in said
    path = _saved_to(said)
    assert path.parent == tmp_path  # a folder given: the file goes inside it
    rows = _sheet(path)
    assert rows[[r[0] for r in rows].index("번호")] == (
        "번호", "참조번호", "상태", "시도 횟수", "사유", "등록(KST)", "완료(KST)",
    )  # fmt: skip
    assert "홍**" not in _text(rows)
    assert _access_log(folder) == []

    line = civicrpa_refused("queue", "export", "grant_paymnet", env=env, cwd=tmp_path)
    assert "'grant_paymnet' 대기열이 없습니다" in line
    line = civicrpa_refused("queue", "export", GRANTS, "--state", "끝남", env=env, cwd=tmp_path)
    assert "알 수 없는 상태 '끝남'입니다" in line
    become(folder, "privacy_officer")
    line = civicrpa_refused("queue", "export", GRANTS, env=env, cwd=tmp_path)
    assert line == "오류: '개인정보 보호책임자' 역할에는 '대기열 조회' 권한이 없습니다."


def test_an_attachment_is_written_as_attached(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    said = civicrpa_ok("queue", "artifact", str(NOTED), NOTE_NAME, env=env, cwd=tmp_path)
    assert f"작업 {NOTED}번의 'note.txt'를" in said
    assert (tmp_path / NOTE_NAME).read_bytes() == NOTE  # the current folder, by its name
    out = tmp_path / "memo" / "메모.txt"
    civicrpa_ok(
        "queue", "artifact", str(NOTED), NOTE_NAME, "--out", str(out), env=env, cwd=tmp_path
    )
    assert out.read_bytes() == NOTE

    line = civicrpa_refused("queue", "artifact", str(NOTED), "note.png", env=env, cwd=tmp_path)
    assert (
        line
        == f"오류: 작업 {NOTED}번에는 'note.png' 첨부 파일이 없습니다. 있는 첨부 파일: note.txt"
    )
    line = civicrpa_refused("queue", "artifact", "1", NOTE_NAME, env=env, cwd=tmp_path)
    assert line == "오류: 작업 1번에는 첨부 파일이 없습니다."
    line = civicrpa_refused("queue", "artifact", "99", NOTE_NAME, env=env, cwd=tmp_path)
    assert line == "오류: 작업 항목 99번을 찾을 수 없습니다."
    assert _access_log(folder) == []


def test_a_sealed_trace_opens_only_for_a_reason_by_those_who_may_read_it(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    listed = civicrpa_ok("queue", "show", str(TRACED), env=env, cwd=tmp_path)
    assert TRACE_NAME in listed  # named as queue show lists it
    # The RPA team debugs robots with masked screenshots, never the unmasked trace.
    line = civicrpa_refused(
        "queue", "artifact", str(TRACED), TRACE_NAME, "--reason", "장애 확인",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert "봉인된 추적 파일이라 개인정보 조회 권한이 있는 사람만 열 수 있습니다" in line
    assert "'RPA 관리자' 역할에는 그 권한이 없습니다" in line

    become(folder, "department_reviewer")
    line = civicrpa_refused("queue", "artifact", str(TRACED), TRACE_NAME, env=env, cwd=tmp_path)
    assert '--reason "열람 사유"를 입력하십시오' in line
    assert _access_log(folder) == []
    assert not list(tmp_path.glob("trace*"))

    said = civicrpa_ok(
        "queue", "artifact", str(TRACED), TRACE_NAME, "--reason", "신청인 이의 제기 확인",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert "봉인을 풀어" in said
    opened = tmp_path / "trace-attempt1.zip"  # saved without the .sealed suffix
    assert opened.read_bytes() == TRACE
    assert stat.S_IMODE(opened.stat().st_mode) == 0o600
    assert _access_log(folder) == [
        (
            f"person:{ME}",
            "department_reviewer",
            "신청인 이의 제기 확인",
            "artifact",
            f"{TRACED}:{TRACE_NAME}",
            [TRACE_NAME],
        )
    ]
    # The stored file stays sealed: what is on the disk is not the trace.
    stored = [p for p in (folder / "artifacts").rglob("*") if p.is_file()]
    assert stored
    assert all(TRACE not in p.read_bytes() for p in stored)


def test_a_tampered_attachment_is_not_written(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    with sqlite3.connect(folder / "civicrpa.db") as conn:
        (digest,) = conn.execute(
            "SELECT sha256 FROM artifacts WHERE item_id = ?", (NOTED,)
        ).fetchone()
    stored = folder / "artifacts" / digest[:2] / digest
    stored.write_bytes(b"something else")
    result = civicrpa(
        "queue", "artifact", str(NOTED), NOTE_NAME, "--out", str(tmp_path / "n.txt"),
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "기록된 해시와 다릅니다" in result.stderr
    assert not (tmp_path / "n.txt").exists()
    stored.unlink()
    line = civicrpa_refused("queue", "artifact", str(NOTED), NOTE_NAME, env=env, cwd=tmp_path)
    assert "보관소에 없습니다" in line
