"""The ``civicrpa`` command as an operator runs it: real processes, output asserted."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
from pathlib import Path

import httpx
import openpyxl
import pytest

from civicrpa.sandbox.common.config import DEFAULT_PORTS
from civicrpa.sandbox.server import free_port
from tests.support.cli import (
    civicrpa,
    civicrpa_ok,
    civicrpa_refused,
    cli_env,
    start_civicrpa,
    wait_for,
)

#: The synthetic sample process (no browser), for tests about the runtime rather than a process.
SAMPLE = ("--process", "sample_document_check")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})


@pytest.mark.slow
def test_demo_processes_the_sample_queue_and_summarises(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = civicrpa_ok("demo", *SAMPLE, "--items", "60", "--workers", "2", env=env, cwd=tmp_path)
    # The sample works in no municipal system: no sandbox is started for it.
    assert "모의 행정 시스템" not in out
    assert "작업 60건 중 60건을 대기열에 넣었습니다" in out
    assert "신청 서류 점검 (예제) 시연 결과" in out
    processed = re.search(r"처리한 건수\s*│\s*([\d,]+)", out)
    assert processed is not None
    assert processed.group(1) == "60"
    assert "보완 요청 등 업무 예외 사유" in out
    assert "절감 추정 시간" in out
    # The demo worked in its own workspace, not in the city hall's queue.
    assert not (tmp_path / "var" / "civicrpa.db").exists() or _items(tmp_path / "var") == 0
    demo_env = {**env, "CIVICRPA_DATA_DIR": str(tmp_path / "var" / "demo")}
    listing = civicrpa_ok("queue", "list", "sample_document_check", env=demo_env, cwd=tmp_path)
    assert "대기" not in re.findall(r"│ sample_document_check │ (\S+)", listing)


@pytest.mark.slow
@pytest.mark.e2e
def test_the_childbirth_demo_works_a_new_city_each_run(env: dict[str, str], tmp_path: Path) -> None:
    """Every city has the same application numbers: a second run must not skip them as done.

    With no process named, the demo shows every process that has one: the childbirth robots
    in the sandbox and the sample, each with its summary, then the time saved by both."""
    for _run in range(2):
        result = civicrpa(
            "demo", "--size", "1000", "--items", "6", env=env, cwd=tmp_path, timeout=300
        )
        assert result.returncode == 0, result.stderr + result.stdout
        out = result.stdout
        assert " ".join(out.split()).count("작업 6건 중 6건을 대기열에 넣었습니다") == 2
        assert "출산장려금·산후조리비용 지급 시연 결과" in out
        assert "신청 서류 점검 (예제) 시연 결과" in out
        assert "건너뜁니다" not in out
        assert re.findall(r"처리한 건수\s*│\s*([\d,]+)", out) == ["6", "6"]
        assert "지급액 합계" in out
        assert "절감 추정 시간 합계" in out
    demo = tmp_path / "var" / "demo"
    assert len(list((demo / "reports").glob("지원대상자명단_*.xlsx"))) == 1  # workspace replaced
    with sqlite3.connect(demo / "civicrpa.db") as conn:
        (added,) = conn.execute(
            "SELECT count(*) FROM work_items WHERE queue = 'childbirth_incentive'"
            " AND reference NOT LIKE '%#%'"
        )
    assert added == (6,)
    # The city hall's own database is not where the demo's city went.
    assert not (tmp_path / "var" / "civicrpa.db").exists() or _items(tmp_path / "var") == 0


def _items(data: Path) -> int:
    with sqlite3.connect(data / "civicrpa.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "work_items" not in tables:
            return 0
        return int(conn.execute("SELECT count(*) FROM work_items").fetchone()[0])


def test_db_upgrade_twice(env: dict[str, str], tmp_path: Path) -> None:
    # The particle follows the revision as it is read: 0008 (영영영팔) takes 로, 0010 으로.
    assert re.search(
        r"→ \d{4}(으로|로) 올렸습니다", civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    )
    assert "이미 최신" in civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)


def test_user_mistakes_are_one_korean_line(env: dict[str, str], tmp_path: Path) -> None:
    assert "먼저 'civicrpa db upgrade'" in civicrpa_refused("queue", "list", env=env, cwd=tmp_path)
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    assert "'nope' 업무를 찾을 수 없습니다" in civicrpa_refused(
        "run", "nope", env=env, cwd=tmp_path
    )
    assert "JSON이 아닙니다" in civicrpa_refused(
        "queue", "add", "sample_document_check", "A-1", "--data", "{bad", env=env, cwd=tmp_path
    )
    assert "작업 데이터가 올바르지 않습니다" in civicrpa_refused(
        "queue",
        "add",
        "sample_document_check",
        "A-1",
        "--data",
        '{"x": 1}',
        env=env,
        cwd=tmp_path,
    )
    assert "작업 항목 999번을 찾을 수 없습니다" in civicrpa_refused(
        "queue", "show", "999", env=env, cwd=tmp_path
    )
    assert "알 수 없는 상태 'done'" in civicrpa_refused(
        "queue", "list", "--state", "done", env=env, cwd=tmp_path
    )
    bad_settings = {**env, "CIVICRPA_WORKERS": "0"}
    assert "설정이 올바르지 않습니다" in civicrpa_refused(
        "queue", "list", env=bad_settings, cwd=tmp_path
    )


def test_add_list_show_and_requeue(env: dict[str, str], tmp_path: Path) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    data = {
        "application_no": "A-1",
        "applicant_birth_date": "1990-01-01",
        "submitted_on": "2025-03-04",
        "documents": ["신청서"],
    }
    args = ("queue", "add", "sample_document_check", "A-1", "--data", json.dumps(data))
    assert "작업 1번을" in civicrpa_ok(*args, env=env, cwd=tmp_path)
    assert "이미 작업 1번으로" in civicrpa_ok(*args, env=env, cwd=tmp_path)
    civicrpa_ok("run", "sample_document_check", "--workers", "1", env=env, cwd=tmp_path)
    shown = civicrpa_ok("queue", "show", "1", env=env, cwd=tmp_path)
    assert "업무 예외" in shown
    assert "필수 서류가 제출되지 않았습니다: 신분증 사본, 통장 사본" in shown
    assert "서류 확인" in shown  # the step, by its Korean title
    assert "다시 대기열에 넣었습니다" in civicrpa_ok(
        "queue", "requeue", "1", "--reason", "서류 보완", env=env, cwd=tmp_path
    )
    assert "바꿀 수 없습니다" in civicrpa_refused(
        "queue", "requeue", "1", "--reason", "again", env=env, cwd=tmp_path
    )


def test_import_keeps_good_rows_and_reports_bad_ones(env: dict[str, str], tmp_path: Path) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["신청번호", "신청인 생년월일", "접수일"])
    sheet.append(["B-1", "1980-05-05", "2025-04-01"])
    sheet.append(["B-2", "not a date", "2025-04-01"])
    sheet.append(["B-3", "1975-12-24", "2025-04-02"])
    path = tmp_path / "applications.xlsx"
    book.save(path)
    result = civicrpa(
        "queue",
        "import",
        "sample_document_check",
        str(path),
        "--errors-to",
        str(tmp_path / "errors.xlsx"),
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "추가 2건" in result.stdout
    assert "오류 1건" in result.stdout
    assert "날짜" in result.stdout
    assert (tmp_path / "errors.xlsx").exists()
    again = civicrpa("queue", "import", "sample_document_check", str(path), env=env, cwd=tmp_path)
    assert "추가 0건 · 이미 있음 2건" in again.stdout


def test_schedule_list_and_run_due(env: dict[str, str], tmp_path: Path) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    listing = civicrpa_ok("schedule", "list", env=env, cwd=tmp_path)
    assert "sample_morning_batch" in listing
    assert "매 영업일 08:30" in listing
    assert "실행할 일정이 없습니다" in civicrpa_ok("schedule", "run-due", env=env, cwd=tmp_path)


@pytest.mark.slow
def test_sandbox_up_serves_the_systems_until_interrupted(
    env: dict[str, str], tmp_path: Path
) -> None:
    # A free port, not the default: another sandbox on this machine must not answer for it.
    port = free_port()
    base = port - (DEFAULT_PORTS["resident_registry"] - min(DEFAULT_PORTS.values()))
    server = start_civicrpa(
        "sandbox",
        "up",
        "--system",
        "resident_registry",
        "--seed-size",
        "50",
        "--port-base",
        str(base),
        env=env,
        cwd=tmp_path,
    )
    try:
        url = f"http://127.0.0.1:{port}/login"

        def answers() -> bool:
            try:
                return httpx.get(url).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(answers, timeout=60, what="the registry to answer")
        assert "로그인" in httpx.get(url).text
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, err
    assert "주민등록 조회 시스템" in out
    assert "모의 시스템을 멈췄습니다" in out
    assert "Traceback" not in err


def test_sandbox_up_refuses_a_busy_port_and_names_the_way_out(
    env: dict[str, str], tmp_path: Path
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        base = port - (DEFAULT_PORTS["library"] - min(DEFAULT_PORTS.values()))
        line = civicrpa_refused(
            "sandbox", "up", "--system", "library", "--port-base", str(base), env=env, cwd=tmp_path
        )
    assert (
        f"{port}번 포트를 다른 프로그램이 쓰고 있어 시립도서관 업무 시스템을 띄울 수 없습니다"
        in line
    )
    assert "--port-base" in line


def test_sandbox_up_names_unknown_systems(env: dict[str, str], tmp_path: Path) -> None:
    line = civicrpa_refused("sandbox", "up", "--system", "tax_office", env=env, cwd=tmp_path)
    assert "'tax_office' 모의 시스템이 없습니다" in line


def test_audit_verify_reports_intact_then_the_tampered_entry(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok(
        "demo", *SAMPLE, "--items", "5", "--workers", "1", "--no-sandbox", env=env, cwd=tmp_path
    )
    env = {**env, "CIVICRPA_DATA_DIR": str(tmp_path / "var" / "demo")}  # the demo's workspace
    assert "해시 체인이 온전합니다" in civicrpa_ok("audit", "verify", env=env, cwd=tmp_path)
    assert "앵커" in civicrpa_ok("audit", "anchor", env=env, cwd=tmp_path)
    database = tmp_path / "var" / "demo" / "civicrpa.db"
    with sqlite3.connect(database) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET actor = 'robot:evil' WHERE seq = 7")
    result = civicrpa("audit", "verify", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "감사 기록 7번에서 체인이 깨졌습니다" in result.stderr
    shown = civicrpa_ok("audit", "show", "--limit", "30", env=env, cwd=tmp_path)
    assert "item.complete" in shown


def test_showing_personal_data_needs_a_reason_and_is_recorded(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok(
        "demo", *SAMPLE, "--items", "3", "--workers", "1", "--no-sandbox", env=env, cwd=tmp_path
    )
    env = {**env, "CIVICRPA_DATA_DIR": str(tmp_path / "var" / "demo")}  # the demo's workspace
    plain = civicrpa_ok("queue", "show", "1", env=env, cwd=tmp_path)
    assert "--reason" in plain
    assert "applicant_rrn" not in plain
    shown = civicrpa_ok("queue", "show", "1", "--reason", "민원인 문의 확인", env=env, cwd=tmp_path)
    assert "applicant_rrn" in shown
    assert re.search(r"\d{6}-[1-8]\*{6}", shown)  # shown masked even with a reason
    assert "조회 사유를 입력해야" in civicrpa_refused(
        "queue", "show", "1", "--reason", " ", env=env, cwd=tmp_path
    )
    with sqlite3.connect(tmp_path / "var" / "demo" / "civicrpa.db") as conn:
        rows = conn.execute("SELECT actor, reason, subject_id FROM access_log").fetchall()
    assert [(reason, subject) for _, reason, subject in rows] == [("민원인 문의 확인", "1")]
    # Reading the access log is for the privacy officer and auditors, not the bootstrap admin.
    assert "권한이 없습니다" in civicrpa_refused("privacy", "report", env=env, cwd=tmp_path)
