"""``civicrpa worker`` says what its robots are doing while it runs, in Korean process titles."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import pytest

from tests.support.cli import civicrpa_ok, cli_env, start_civicrpa, wait_for


@pytest.mark.slow
def test_the_worker_shows_its_progress_until_stopped(tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var"), "CIVICRPA_IDLE_POLL_SECONDS": "0.1"})
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    for n in range(1, 4):
        data = {
            "application_no": f"W-{n}",
            "applicant_birth_date": "1990-01-01",
            "submitted_on": "2025-03-04",
            "documents": ["신청서", "신분증 사본", "통장 사본"],
        }
        civicrpa_ok(
            "queue", "add", "sample_document_check", f"W-{n}", "--data", json.dumps(data),
            env=env, cwd=tmp_path,
        )  # fmt: skip
    robot = start_civicrpa(
        "worker", "--process", "sample_document_check", "--workers", "1", "--no-schedules",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    lines: list[str] = []
    assert robot.stdout is not None
    stdout = robot.stdout
    reader = threading.Thread(target=lambda: lines.extend(iter(stdout.readline, "")))
    reader.start()
    try:
        # Before, the worker printed one line at start and one at stop, nothing between.
        wait_for(
            lambda: any("끝낸 3건" in line for line in lines), timeout=60, what="a status line"
        )
    finally:
        robot.send_signal(signal.SIGINT)
        robot.wait(timeout=60)
        reader.join(timeout=10)
        stdout.close()
        if robot.stderr is not None:
            errors = robot.stderr.read()
            robot.stderr.close()
            assert "Traceback" not in errors, errors
    status = next(line for line in lines if "끝낸 3건" in line)
    assert status.startswith("[")  # time-stamped: the output is a log, not a terminal
    assert status.split("] ", 1)[1].startswith("신청 서류 점검 (예제): ")
    assert "처리 중 0건" in status
    assert any("로봇이 멈췄습니다" in line for line in lines)
