"""``civicrpa produce`` and ``civicrpa report`` as a process author and a department use them:
real processes, the database and the written file read afterwards."""

from __future__ import annotations

import re
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.support.cli import ME, become, civicrpa_ok, civicrpa_refused, cli_env, copy_data_dir
from tests.support.reporting import NAME, RRN

GRANTS = "grant_payment"


@pytest.fixture
def folder(tmp_path: Path, registered_data_dir: Path) -> Path:
    copy_data_dir(registered_data_dir, tmp_path / "var")
    return tmp_path / "var"


@pytest.fixture
def env(folder: Path) -> dict[str, str]:
    return cli_env(
        {"CIVICRPA_DATA_DIR": str(folder), "CIVICRPA_PROCESS_MODULES": "tests.support.reporting"}
    )


def _access_log(folder: Path) -> list[tuple[str, str, str, str, str]]:
    with sqlite3.connect(folder / "civicrpa.db") as conn:
        return conn.execute(
            "SELECT actor, role, reason, subject_kind, subject_id FROM access_log ORDER BY id"
        ).fetchall()


def test_produce_runs_the_sample_producer_now(tmp_path: Path, folder: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(folder)})  # the platform's own processes
    said = civicrpa_ok("produce", "sample_document_check", "--limit", "4", env=env, cwd=tmp_path)
    assert (
        "신청 서류 점검 (예제): 새 작업 4건을 찾아 4건을 'sample_document_check' 대기열에 "
        "넣었습니다 (이미 있어 건너뜀 0건)." in said
    ), said
    listing = civicrpa_ok("queue", "list", "sample_document_check", env=env, cwd=tmp_path)
    assert re.search(r"sample_document_check\s+│ 대기\s+│\s+4", listing), listing


def test_produce_skips_what_is_queued_and_refuses_what_it_cannot_run(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    first = civicrpa_ok("produce", GRANTS, env=env, cwd=tmp_path)
    assert "새 작업 3건을 찾아 3건을 'grant_payment' 대기열에 넣었습니다" in first, first
    # The producer finds the same applications again, and one more: only that one goes in.
    again = civicrpa_ok("produce", GRANTS, "--limit", "4", env=env, cwd=tmp_path)
    assert "새 작업 4건을 찾아 1건을" in again, again
    assert "(이미 있어 건너뜀 3건)" in again, again

    line = civicrpa_refused("produce", "bare_check", env=env, cwd=tmp_path)
    assert line.startswith("오류: 시험용 점검 업무에는 새 작업을 찾아 넣는 기능이 없습니다"), line
    assert GRANTS in line  # the processes that have one are named
    line = civicrpa_refused("produce", "grant_paymnet", env=env, cwd=tmp_path)
    assert "'grant_paymnet' 업무를 찾을 수 없습니다" in line
    line = civicrpa_refused("produce", GRANTS, "--limit", "0", env=env, cwd=tmp_path)
    assert "'--limit'의 값이 올바르지 않습니다" in line

    # Adding items is the RPA team's: a reviewer may not fill a queue.
    become(folder, "department_reviewer")
    line = civicrpa_refused("produce", GRANTS, env=env, cwd=tmp_path)
    assert line == "오류: '부서 검토자' 역할에는 '작업 등록' 권한이 없습니다.", line


def test_a_reviewer_builds_a_report_and_the_read_is_recorded(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    civicrpa_ok("produce", GRANTS, env=env, cwd=tmp_path)
    civicrpa_ok("run", GRANTS, "--workers", "1", env=env, cwd=tmp_path)
    # The RPA team runs robots but does not read the applicants' data a report is made of.
    line = civicrpa_refused("report", GRANTS, "pay_list", env=env, cwd=tmp_path)
    assert line == "오류: 'RPA 관리자' 역할에는 '개인정보가 담긴 작업 내용 조회' 권한이 없습니다."
    assert _access_log(folder) == []

    become(folder, "department_reviewer")
    said = civicrpa_ok("report", GRANTS, "pay_list", env=env, cwd=tmp_path)
    found = re.search(r"지급 명단을 만들었습니다: (\S+)", said)
    assert found, said
    path = Path(found.group(1))
    assert path.parent == folder / "reports"
    assert re.fullmatch(r"지급명단_\d{8}-\d{6}\.csv", path.name), path.name
    assert path.read_text(encoding="utf-8").splitlines() == [
        "신청번호,성명,지급액",
        *(f"G-{n},{NAME},300000" for n in (1, 2, 3)),
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: this account only
    assert _access_log(folder) == [
        (
            f"person:{ME}",
            "department_reviewer",
            "보고서 작성: 지급 명단",
            "report",
            f"{GRANTS}:pay_list",
        )
    ]

    # A reason of one's own, and a folder of one's own.
    out = tmp_path / "to-send"
    said = civicrpa_ok(
        "report", GRANTS, "pay_list", "--out", str(out), "--reason", "11월 지급 결재",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert str(out) in said
    assert [p.suffix for p in out.iterdir()] == [".csv"]
    assert _access_log(folder)[-1][2] == "11월 지급 결재"
    assert RRN not in said


def test_a_report_that_does_not_exist_names_those_that_do(
    env: dict[str, str], tmp_path: Path, folder: Path
) -> None:
    become(folder, "department_reviewer")
    line = civicrpa_refused("report", GRANTS, "pay_lsit", env=env, cwd=tmp_path)
    assert (
        line
        == "오류: 시험용 지원금 지급 업무에는 'pay_lsit' 보고서가 없습니다. 있는 보고서: pay_list"
    )
    line = civicrpa_refused("report", "bare_check", "pay_list", env=env, cwd=tmp_path)
    assert line == (
        "오류: 시험용 점검 업무에는 부서에 보내는 보고서가 없습니다. 보고서가 있는 업무: grant_payment"
    )
    line = civicrpa_refused("report", GRANTS, "pay_list", "--reason", " ", env=env, cwd=tmp_path)
    assert "조회 사유를 입력해야 합니다" in line
    a_file = tmp_path / "a-file.csv"
    a_file.write_text("", encoding="utf-8")
    line = civicrpa_refused(
        "report", GRANTS, "pay_list", "--out", str(a_file), env=env, cwd=tmp_path
    )
    assert "--out에는 보고서를 저장할 폴더를 주십시오" in line
    assert _access_log(folder) == []  # nothing was read
