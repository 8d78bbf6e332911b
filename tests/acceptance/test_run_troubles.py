"""``civicrpa run`` says when a run went wrong, in Korean, and exits non-zero: a process not
configured (2, before any robot), failed items and robots that keep dying at start (1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import civicrpa, civicrpa_ok, civicrpa_refused, cli_env, copy_data_dir


@pytest.fixture
def env(tmp_path: Path, migrated_data_dir: Path) -> dict[str, str]:
    copy_data_dir(migrated_data_dir, tmp_path / "var")  # as `db upgrade` leaves it
    return cli_env(
        {
            "CIVICRPA_DATA_DIR": str(tmp_path / "var"),
            "CIVICRPA_PROCESS_MODULES": "tests.support.troubled",
            "CIVICRPA_IDLE_POLL_SECONDS": "0.05",
        }
    )


def _add(queue: str, count: int, env: dict[str, str], cwd: Path) -> None:
    for n in range(1, count + 1):
        civicrpa_ok("queue", "add", queue, f"{queue}-{n}", "--data", "{}", env=env, cwd=cwd)


def test_a_process_not_configured_is_refused_before_any_robot_starts(
    env: dict[str, str], tmp_path: Path
) -> None:
    _add("needy", 2, env, tmp_path)
    line = civicrpa_refused("run", "needy", "--workers", "2", env=env, cwd=tmp_path)
    assert "로봇을 시작하지 않았습니다" in line
    assert "'민원 접수' 시스템 주소" in line
    listed = civicrpa_ok("queue", "list", "needy", env=env, cwd=tmp_path)
    assert "실패" not in listed


@pytest.mark.slow
def test_failed_items_make_the_run_exit_non_zero_with_what_to_do(
    env: dict[str, str], tmp_path: Path
) -> None:
    _add("failing", 2, env, tmp_path)
    result = civicrpa("run", "failing", "--workers", "1", env=env, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "실패한 작업이 2건 있습니다" in result.stderr


@pytest.mark.slow
def test_robots_dying_at_start_are_not_restarted_for_ever(
    env: dict[str, str], tmp_path: Path
) -> None:
    _add("doomed", 4, env, tmp_path)
    result = civicrpa("run", "doomed", "--workers", "2", env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "시작하자마자 3번 연달아 멈춰" in result.stderr
    assert "종료 코드 5" in result.stderr
