"""Every mistake ends in one Korean line and exit code 2, never a traceback or click's English.

Each case is one a new user met: a missing data file, a database that cannot be reached or
whose address is not understood, a process module with a typo, a password prompt without a
terminal, ``--version`` on its own, and click's usage errors.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import (
    REPO,
    become,
    civicrpa,
    civicrpa_ok,
    civicrpa_refused,
    cli_env,
    register_me,
)

#: Words of click's and typer's English that must never reach a user.
ENGLISH = re.compile(r"Usage:|Error|No such|Missing|Invalid|Try '|Aborted|Got unexpected")
HANGUL = re.compile(r"[가-힣]")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})


def _with_stdin(
    *args: str, stdin: str, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "civicrpa.cli.main", *args],
        input=stdin, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _korean(line: str) -> str:
    assert HANGUL.search(line), line
    assert not ENGLISH.search(line), line
    return line


def test_version_alone_prints_the_version(env: dict[str, str], tmp_path: Path) -> None:
    from civicrpa import __version__

    assert civicrpa_ok("--version", env=env, cwd=tmp_path).strip() == __version__


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("run", "sample_document_check", "--wrokers", "2"),
            "'--wrokers' 옵션은 없습니다. '--workers'를 찾으셨나요?",
        ),
        (("quue", "list"), "'quue' 명령은 없습니다. 'queue'를 찾으셨나요?"),
        (("queue", "lst"), "'lst' 명령은 없습니다. 'list'를 찾으셨나요?"),
        (("queue", "show"), "작업번호를 입력하십시오(작업 번호"),
        (("queue", "show", "열두"), "작업번호의 값이 올바르지 않습니다: 정수여야 합니다"),
        (("queue", "list", "--limit", "0"), "'--limit'의 값이 올바르지 않습니다: 1에서 1000 사이"),
        (("queue", "list", "--limit"), "'--limit' 옵션 뒤에 값을 입력하십시오."),
        (("queue", "approve", "3"), "'--reason' 옵션이 필요합니다(결정 사유)"),
        (("db", "upgrade", "now"), "필요 없는 인자가 있습니다: now"),
    ],
)
def test_usage_mistakes_are_said_in_korean(
    args: tuple[str, ...], expected: str, env: dict[str, str], tmp_path: Path
) -> None:
    line = _korean(civicrpa_refused(*args, env=env, cwd=tmp_path))
    assert expected in line
    assert "--help'로 사용법을 볼 수 있습니다" in line  # where to read more, in the same line


def test_a_missing_data_file_is_named(env: dict[str, str], tmp_path: Path) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    line = civicrpa_refused(
        "queue", "add", "sample_document_check", "--data-file", "없는파일.json",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert "파일을 찾을 수 없습니다: 없는파일.json" in _korean(line)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://nobody:secret@127.0.0.1:1/x", "데이터베이스(postgresql://nobody:***@"),
        ("foo://x", "데이터베이스 주소(CIVICRPA_DATABASE_URL)를 이해할 수 없습니다: foo://x"),
        ("not a url", "데이터베이스 주소(CIVICRPA_DATABASE_URL)를 이해할 수 없습니다"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line(
    url: str, expected: str, env: dict[str, str], tmp_path: Path
) -> None:
    line = civicrpa_refused(
        "queue", "list", env={**env, "CIVICRPA_DATABASE_URL": url}, cwd=tmp_path
    )
    assert expected in line
    assert "secret" not in line  # the password never shows


def test_a_process_module_with_a_syntax_error_names_its_file_and_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    module = tmp_path / "broken_process.py"
    module.write_text("PROCESSES = []\n\ndef handle(item):\n    return item[\n", encoding="utf-8")
    broken = {
        **env,
        "CIVICRPA_PROCESS_MODULES": "broken_process",
        "PYTHONPATH": f"{REPO}:{tmp_path}",
    }
    line = _korean(civicrpa_refused("run", "anything", env=broken, cwd=tmp_path))
    assert "업무 모듈에 문법 오류가 있습니다" in line
    assert f"{module} 4번째 줄" in line
    assert "never closed" in line  # Python's own words for what is wrong


def test_a_password_without_a_terminal_says_how_to_give_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    args = ("credentials", "set", "intake", "--username", "robot1")
    # Standard input is not a terminal (a cron job, a pipe): no prompt can be shown.
    refused = _with_stdin(*args, stdin="", env=env, cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert "--password-stdin" in _korean(lines[0])
    piped = _with_stdin(*args, "--password-stdin", stdin="s3cret-pass\n", env=env, cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert "'intake' 자격 증명을 저장했습니다" in piped.stdout
    assert "s3cret" not in piped.stdout + piped.stderr
    assert "intake" in civicrpa_ok("credentials", "list", env=env, cwd=tmp_path)


def test_a_refused_state_change_names_the_states_in_korean(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    data = '{"신청번호": "A-1", "신청인 생년월일": "1990-01-01", "접수일": "2025-03-04"}'
    civicrpa_ok("queue", "add", "sample_document_check", "--data", data, env=env, cwd=tmp_path)
    register_me(env, tmp_path)
    become(Path(env["CIVICRPA_DATA_DIR"]), "department_reviewer")
    line = civicrpa_refused("queue", "reject", "1", "-r", "확인", env=env, cwd=tmp_path)
    assert "작업 상태를 '대기'에서 '업무 예외'로 바꿀 수 없습니다" in _korean(line)


def test_no_command_at_all_shows_the_help_in_korean(env: dict[str, str], tmp_path: Path) -> None:
    result = civicrpa(env=env, cwd=tmp_path)
    assert "사용법: civicrpa [옵션] 명령" in result.stderr
    assert not ENGLISH.search(result.stdout + result.stderr)


@pytest.mark.skipif(os.geteuid() != 0, reason="acting as another account needs root")
def test_another_account_is_told_it_cannot_read_the_data_folder(
    env: dict[str, str], tmp_path: Path
) -> None:
    # The data folder and key ring are private to the account that made them (600/700): an
    # official on another OS account met a 46-line PermissionError traceback.
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         sys.executable, "-m", "civicrpa.cli.main", "queue", "list"],
        env=env, cwd="/", capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "접근할 권한이 없습니다" in lines[0]
