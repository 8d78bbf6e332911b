"""Roles at the command line: the person at the terminal may do what their role allows, no more."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from civicrpa.core.korean import attach, particle
from civicrpa.security.crypto import KeyRing
from tests.support.cli import ME, civicrpa, civicrpa_ok, civicrpa_refused, cli_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})


def _recover(env: dict[str, str], tmp_path: Path) -> None:
    """The machine's administrator makes ``ME`` an RPA administrator again (audited)."""
    if os.getuid() != 0:
        line = civicrpa_refused("users", "recover", ME, "-r", "복구", env=env, cwd=tmp_path)
        assert "시스템 관리자(root)만" in line
        pytest.skip("recovering an administrator needs root")
    out = civicrpa_ok(
        "users",
        "recover",
        ME,
        "--reason",
        "관리자 퇴직, 정보팀 요청 2025-3호",
        env=env,
        cwd=tmp_path,
    )
    assert f"{attach(ME, '을(를)')} RPA 관리자로 복구했습니다" in out


def test_the_person_is_the_os_account_never_the_environment(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", ME, "--role", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "kim", "--role", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "role", ME, "auditor", env=env, cwd=tmp_path)
    # LOGNAME and USER name kim, an administrator: the command still acts as ME, an auditor.
    as_kim = {**env, "LOGNAME": "kim", "USER": "kim", "LNAME": "kim", "USERNAME": "kim"}
    line = civicrpa_refused("users", "add", "park", "--role", "rpa_admin", env=as_kim, cwd=tmp_path)
    assert "'감사 담당자' 역할에는 '사용자·역할 관리' 권한이 없습니다" in line
    line = civicrpa_refused("keys", "status", env=as_kim, cwd=tmp_path)
    assert "'감사 담당자' 역할에는" in line
    shown = civicrpa_ok("audit", "show", env=as_kim, cwd=tmp_path)
    assert "identity:park" not in shown


def test_the_first_person_registered_must_be_an_administrator(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    # Registering a reviewer first would end everyone's provisional standing with nobody
    # left to manage users: refused, and nothing changes.
    line = civicrpa_refused(
        "users", "add", "kim", "--role", "department_reviewer", env=env, cwd=tmp_path
    )
    assert "처음 등록하는 사람은 RPA 관리자여야 합니다" in line
    civicrpa_ok("users", "add", ME, "--role", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "kim", "--role", "department_reviewer", env=env, cwd=tmp_path)
    # The last active administrator can be neither re-roled nor disabled.
    assert "마지막 RPA 관리자" in civicrpa_refused(
        "users", "role", ME, "auditor", env=env, cwd=tmp_path
    )
    assert "마지막 RPA 관리자" in civicrpa_refused("users", "disable", ME, env=env, cwd=tmp_path)


def test_the_machine_administrator_recovers_a_lost_administrator_on_the_record(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "kim", "--role", "rpa_admin", env=env, cwd=tmp_path)
    # kim was the only administrator and has left; ME is locked out.
    assert "등록되어 있지 않습니다" in civicrpa_refused("users", "list", env=env, cwd=tmp_path)
    _recover(env, tmp_path)
    assert "kim" in civicrpa_ok("users", "list", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "lee", "--role", "auditor", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "spare", "--role", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "role", ME, "auditor", env=env, cwd=tmp_path)
    shown = civicrpa_ok("audit", "show", env=env, cwd=tmp_path)
    assert "identity.recover" in shown
    assert f"os:{ME}" in shown


def test_an_auditor_reads_the_audit_trail_but_runs_no_robot(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    civicrpa_ok(
        "users", "add", "kim", "--role", "rpa_admin", "--name", "관리자", env=env, cwd=tmp_path
    )
    env = {**env, "LOGNAME": "kim", "USER": "kim"}  # claims to be kim: changes nothing
    line = civicrpa_refused("users", "list", env=env, cwd=tmp_path)
    assert f"'{ME}' 사용자는 등록되어 있지 않습니다" in line
    _recover(env, tmp_path)
    added = civicrpa_ok("users", "add", "lee", "--role", "auditor", env=env, cwd=tmp_path)
    assert "감사 담당자로 등록했습니다" in added
    civicrpa_ok("users", "role", ME, "auditor", env=env, cwd=tmp_path)
    line = civicrpa_refused("run", "sample_document_check", env=env, cwd=tmp_path)
    assert "'감사 담당자' 역할에는 '업무 실행(로봇 가동)' 권한이 없습니다" in line
    assert "해시 체인이 온전합니다" in civicrpa_ok("audit", "verify", env=env, cwd=tmp_path)
    shown = civicrpa_ok("audit", "show", env=env, cwd=tmp_path)
    assert "identity.add" in shown
    assert "person:kim" not in shown  # nothing was done in kim's name
    assert "사용자·역할 관리" in civicrpa_refused("users", "list", env=env, cwd=tmp_path)
    assert "암호 키 관리" in civicrpa_refused("keys", "status", env=env, cwd=tmp_path)


def test_an_administrator_manages_keys_and_users_but_reads_no_audit(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    civicrpa_ok(
        "users", "add", ME, "--role", "rpa_admin", "--name", "관리자", env=env, cwd=tmp_path
    )
    assert "현재 키: k1" in civicrpa_ok("keys", "status", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "kim", "--role", "department_reviewer", env=env, cwd=tmp_path)
    civicrpa_ok(
        "users", "add", "robot:w1", "--role", "robot", "--name", "로봇 1호", env=env, cwd=tmp_path
    )
    assert "역할은 이제 감사 담당자입니다" in civicrpa_ok(
        "users", "role", "kim", "auditor", env=env, cwd=tmp_path
    )
    listing = civicrpa_ok("users", "list", env=env, cwd=tmp_path)
    assert "감사 담당자" in listing
    assert "로봇 서비스 계정" in listing
    assert "이미 등록되어 있습니다" in civicrpa_refused(
        "users", "add", "kim", "--role", "auditor", env=env, cwd=tmp_path
    )
    assert "알 수 없는 역할 'boss'" in civicrpa_refused(
        "users", "add", "park", "--role", "boss", env=env, cwd=tmp_path
    )
    assert "마지막 RPA 관리자" in civicrpa_refused("users", "disable", ME, env=env, cwd=tmp_path)
    assert "'감사 기록 조회' 권한이 없습니다" in civicrpa_refused(
        "audit", "verify", env=env, cwd=tmp_path
    )


def test_a_disabled_user_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", ME, "--role", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "successor", "--role", "rpa_admin", env=env, cwd=tmp_path)
    assert "사용 중지했습니다" in civicrpa_ok("users", "disable", ME, env=env, cwd=tmp_path)
    line = civicrpa_refused("keys", "status", env=env, cwd=tmp_path)
    assert (
        f"사용자 '{ME}'{particle(ME, '은(는)')} 사용 중지되어 '암호 키 관리' 작업을 할 수 없습니다"
        in line
    )


def test_registering_someone_else_first_ends_the_bootstrap(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    out = civicrpa_ok("users", "add", "kim", "--role", "rpa_admin", env=env, cwd=tmp_path)
    assert f"현재 사용자 '{ME}'도 등록하십시오" in out
    line = civicrpa_refused("schedule", "list", env=env, cwd=tmp_path)
    assert f"'{ME}' 사용자는 등록되어 있지 않습니다" in line


def test_production_refuses_unknown_users_and_has_no_bootstrap(tmp_path: Path) -> None:
    ring = tmp_path / "secure" / "keyring.json"
    KeyRing.generate("k1").save(ring)
    env = cli_env(
        {
            "CIVICRPA_DATA_DIR": str(tmp_path / "var"),
            "CIVICRPA_ENVIRONMENT": "production",
            "CIVICRPA_KEYRING_PATH": str(ring),
        }
    )
    # Before anyone is registered, production only lets the installer migrate and register.
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    line = civicrpa_refused("run", "sample_document_check", env=env, cwd=tmp_path)
    assert "'설치 담당자' 역할에는 '업무 실행(로봇 가동)' 권한이 없습니다" in line
    civicrpa_ok(
        "users",
        "add",
        "city_admin",
        "--role",
        "rpa_admin",
        "--name",
        "정보팀",
        env=env,
        cwd=tmp_path,
    )
    for command in (("keys", "status"), ("run", "sample_document_check"), ("db", "upgrade")):
        line = civicrpa_refused(*command, env=env, cwd=tmp_path)
        assert f"'{ME}' 사용자는 등록되어 있지 않습니다" in line


def test_credentials_and_the_privacy_report_by_role(tmp_path: Path) -> None:
    me = ME
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var"), "ROBOT_PASSWORD": "pa55-w0rd"})
    for args in (
        ("db", "upgrade"),
        ("users", "add", me, "--role", "rpa_admin"),  # the first person ends the bootstrap
        ("users", "add", "kim", "--role", "rpa_admin"),
        ("credentials", "set", "intake", "--username", "robot01", "--secret-env", "ROBOT_PASSWORD"),
    ):
        result = civicrpa(*args, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
    listing = civicrpa("credentials", "list", env=env, cwd=tmp_path)
    assert "intake" in listing.stdout
    assert "pa55-w0rd" not in listing.stdout + listing.stderr
    assert "robot01" not in listing.stdout  # names of systems, never the log-in itself
    denied = civicrpa("privacy", "report", env=env, cwd=tmp_path)
    assert denied.returncode == 2
    assert "권한이 없습니다" in denied.stderr
    assert civicrpa("users", "role", me, "privacy_officer", env=env, cwd=tmp_path).returncode == 0
    report = civicrpa(
        "privacy", "report", "--xlsx", str(tmp_path / "r.xlsx"), env=env, cwd=tmp_path
    )
    assert report.returncode == 0, report.stderr
    assert "사람별 열람 건수" in report.stdout
    assert (tmp_path / "r.xlsx").exists()
    denied = civicrpa("credentials", "list", env=env, cwd=tmp_path)
    assert denied.returncode == 2  # the privacy officer does not manage robots' log-ins
