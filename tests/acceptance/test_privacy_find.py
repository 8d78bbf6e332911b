"""``civicrpa privacy find`` and ``civicrpa users enable`` as the privacy officer and the
administrator run them: real processes, the database and the logs read afterwards."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import (
    ME,
    become,
    civicrpa,
    civicrpa_ok,
    civicrpa_refused,
    cli_env,
    register_me,
)

RRN = "900101-1234568"
PHONE = "010-2345-6789"
ACCOUNT = "123-456789-12345"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})


def _application(number: str, rrn: str, phone: str, account: str) -> str:
    return json.dumps(
        {
            "application_no": number,
            "applicant_birth_date": "1990-01-01",
            "submitted_on": "2025-10-01",
            "documents": ["신청서"],
            "applicant_rrn": rrn,
            "phone": phone,
            "account_no": account,
        }
    )


def _access_log(tmp_path: Path) -> list[tuple[str, str, str, str, str, str]]:
    with sqlite3.connect(tmp_path / "var" / "civicrpa.db") as conn:
        return conn.execute(
            "SELECT actor, role, reason, subject_kind, subject_id, fields FROM access_log"
        ).fetchall()


def _everything_written(tmp_path: Path) -> str:
    """The database file and every log, as text: where a searched value must never appear."""
    chunks = [
        path.read_bytes().decode("latin-1") for path in (tmp_path / "var").glob("civicrpa.db*")
    ]
    chunks += [p.read_text(errors="replace") for p in (tmp_path / "var").rglob("*.jsonl")]
    return "\n".join(chunks)


def test_the_privacy_officer_finds_items_by_a_resident_number(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    for number, rrn, phone, account in (
        ("APP-1", RRN, PHONE, ACCOUNT),
        ("APP-2", "850505-2345678", "010-9876-5432", "987-654321-09876"),
        ("APP-3", RRN, "010-1111-2222", "111-222222-33333"),
    ):
        data = _application(number, rrn, phone, account)
        civicrpa_ok(
            "queue", "add", "sample_document_check", number, "--data", data, env=env, cwd=tmp_path
        )
    register_me(env, tmp_path)
    folder = Path(env["CIVICRPA_DATA_DIR"])

    # A department reviewer reads items to decide them, but does not search people's data.
    become(folder, "department_reviewer")
    line = civicrpa_refused(
        "privacy", "find", "--rrn", RRN, "--reason", "열람 요구", env=env, cwd=tmp_path
    )
    assert "'부서 검토자' 역할에는 '개인정보로 작업 찾기" in line
    assert "1234568" not in line
    # Nor does the administrator who runs the robots.
    become(folder, "rpa_admin")
    line = civicrpa_refused(
        "privacy", "find", "--rrn", RRN, "--reason", "열람 요구", env=env, cwd=tmp_path
    )
    assert "'RPA 관리자' 역할에는 '개인정보로 작업 찾기" in line
    become(folder, "privacy_officer")

    result = civicrpa(
        "privacy",
        "find",
        "--rrn",
        "９００１０１１２３４５６８",  # full-width, no hyphen: the same number
        "--reason",
        "정보주체 열람 요구 2025-17호",
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "주민등록번호 900101-1******이(가) 담긴 작업: 2건" in out
    assert "APP-1" in out
    assert "APP-3" in out
    assert "APP-2" not in out
    assert "sample_document_check" in out
    assert "대기" in out  # the state, in Korean
    for digits in ("1234568", "１２３４５６８"):
        assert digits not in out + result.stderr

    by_phone = civicrpa_ok(
        "privacy", "find", "--phone", "01023456789", "-r", "정정 요구", env=env, cwd=tmp_path
    )
    assert "전화번호 010-****-6789가 담긴 작업: 1건" in by_phone
    assert "APP-1" in by_phone
    assert "01023456789" not in by_phone
    assert "010-2345" not in by_phone
    by_account = civicrpa_ok(
        "privacy",
        "find",
        "--account",
        "1234567891234",
        "-r",
        "삭제 요구",
        env=env,
        cwd=tmp_path,
    )
    assert "계좌번호 *********1234가 담긴 작업이 없습니다." in by_account

    assert _access_log(tmp_path) == [
        (
            f"person:{ME}",
            "privacy_officer",
            "정보주체 열람 요구 2025-17호",
            "item_search",
            "rrn:900101-1******",
            '["rrn"]',
        ),
        (
            f"person:{ME}",
            "privacy_officer",
            "정정 요구",
            "item_search",
            "phone:010-****-6789",
            '["phone"]',
        ),
        (
            f"person:{ME}",
            "privacy_officer",
            "삭제 요구",
            "item_search",
            "account:*********1234",
            '["account"]',
        ),
    ]
    written = _everything_written(tmp_path)
    for plain in ("9001011234568", "900101-1234568", "01023456789", "1234567891234"):
        assert plain not in written
    audit = civicrpa_ok("audit", "show", env=env, cwd=tmp_path)
    assert "personal_data.read" in audit


def test_a_search_needs_a_reason_and_one_plausible_value(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    register_me(env, tmp_path)
    civicrpa_ok("users", "role", ME, "privacy_officer", env=env, cwd=tmp_path)
    line = civicrpa_refused("privacy", "find", "--rrn", RRN, env=env, cwd=tmp_path)
    assert "조회 사유" in line
    line = civicrpa_refused(
        "privacy", "find", "--rrn", RRN, "--reason", "  ", env=env, cwd=tmp_path
    )
    assert "조회 사유" in line
    line = civicrpa_refused("privacy", "find", "--reason", "열람 요구", env=env, cwd=tmp_path)
    assert "하나만 입력하십시오" in line
    line = civicrpa_refused(
        "privacy",
        "find",
        "--rrn",
        RRN,
        "--phone",
        PHONE,
        "--reason",
        "열람 요구",
        env=env,
        cwd=tmp_path,
    )
    assert "하나만 입력하십시오" in line
    line = civicrpa_refused(
        "privacy", "find", "--rrn", "900101-12345", "-r", "열람 요구", env=env, cwd=tmp_path
    )
    assert "주민등록번호의 형식이 올바르지 않습니다" in line
    assert "12345" not in line
    assert _access_log(tmp_path) == []  # nothing searched, nothing recorded


def test_an_administrator_enables_a_disabled_user(env: dict[str, str], tmp_path: Path) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", ME, "--role", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "add", "kim", "--role", "auditor", env=env, cwd=tmp_path)
    assert "사용 중지했습니다" in civicrpa_ok("users", "disable", "kim", env=env, cwd=tmp_path)
    assert "사용 중지" in civicrpa_ok("users", "list", env=env, cwd=tmp_path)
    out = civicrpa_ok("users", "enable", "kim", env=env, cwd=tmp_path)
    assert "kim을 다시 사용하게 했습니다(역할: 감사 담당자)." in out
    assert "사용 중지" not in civicrpa_ok("users", "list", env=env, cwd=tmp_path)
    line = civicrpa_refused("users", "enable", "kim", env=env, cwd=tmp_path)
    assert "'kim' 사용자는 사용 중지되어 있지 않습니다" in line
    line = civicrpa_refused("users", "enable", "nobody", env=env, cwd=tmp_path)
    assert "'nobody' 사용자를 찾을 수 없습니다" in line
    with sqlite3.connect(tmp_path / "var" / "civicrpa.db") as conn:
        actions = [
            row[0]
            for row in conn.execute(
                "SELECT action FROM audit_log WHERE target = 'identity:kim' ORDER BY seq"
            )
        ]
    assert actions == ["identity.add", "identity.disable", "identity.enable"]

    # Enabling needs the same permission as disabling.
    civicrpa_ok("users", "role", "kim", "rpa_admin", env=env, cwd=tmp_path)
    civicrpa_ok("users", "role", ME, "auditor", env=env, cwd=tmp_path)
    line = civicrpa_refused("users", "enable", "kim", env=env, cwd=tmp_path)
    assert "'감사 담당자' 역할에는 '사용자·역할 관리' 권한이 없습니다" in line
