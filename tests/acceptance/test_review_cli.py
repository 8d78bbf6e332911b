"""A department reviewer settles what a robot asked, from the command line, correcting a field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import ME, become, civicrpa_ok, civicrpa_refused, cli_env, register_me

QUEUE = "sample_document_check"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})


def _add(number: str, env: dict[str, str], cwd: Path) -> None:
    data = {
        "application_no": number,
        "applicant_birth_date": "1920-03-01",  # 105 at submission: a typing mistake, or not
        "submitted_on": "2025-03-04",
        "documents": ["신청서", "신분증 사본", "통장 사본"],
    }
    civicrpa_ok("queue", "add", QUEUE, number, "--data", json.dumps(data), env=env, cwd=cwd)


def _run(env: dict[str, str], cwd: Path) -> None:
    civicrpa_ok("run", QUEUE, "--workers", "1", env=env, cwd=cwd)


@pytest.mark.slow
def test_a_reviewer_confirms_one_item_and_corrects_another(
    env: dict[str, str], tmp_path: Path
) -> None:
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    register_me(env, tmp_path)
    folder = Path(env["CIVICRPA_DATA_DIR"])
    _add("A-1", env, tmp_path)
    _add("A-2", env, tmp_path)
    _run(env, tmp_path)
    shown = civicrpa_ok("queue", "show", "1", env=env, cwd=tmp_path)
    assert "담당자 검토" in shown
    assert "만 105세" in shown

    become(folder, "department_reviewer")
    line = civicrpa_refused(
        "queue", "approve", "2", "--reason", "x", "--set", "은행=국민", env=env, cwd=tmp_path
    )
    assert "'은행' 항목은 이 업무의 작업 데이터에 없습니다" in line
    assert "신청인 생년월일" in line  # the fields that can be corrected are named
    line = civicrpa_refused(
        "queue", "approve", "2", "--reason", "x", "--set", "신청인 생년월일=어제",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert "신청인 생년월일" in line
    said = civicrpa_ok(
        "queue", "approve", "1", "--reason", "가족관계증명서로 확인", env=env, cwd=tmp_path
    )
    # The reply names the item decided and where it stands now.
    assert "작업 1번(sample_document_check, 참조번호 A-1)을 승인했습니다" in said
    assert "지금 상태: 대기" in said
    civicrpa_ok(
        "queue", "approve", "2", "--reason", "신청서 원본 대조: 1990년생",
        "--set", "신청인 생년월일=1990-03-01", env=env, cwd=tmp_path,
    )  # fmt: skip

    become(folder, "rpa_admin")
    _run(env, tmp_path)
    become(folder, "department_reviewer")
    why = ("--reason", "승인 후 결과 확인")
    confirmed = civicrpa_ok("queue", "show", "1", *why, env=env, cwd=tmp_path)
    corrected = civicrpa_ok("queue", "show", "2", *why, env=env, cwd=tmp_path)
    for shown in (confirmed, corrected):
        assert "완료" in shown, shown
    assert f'"age_confirmed_by": "{ME}"' in confirmed.replace("\n", "") or (
        "age_confirmed_by" in confirmed and ME in confirmed
    )  # who confirmed the birth date
    assert "age_confirmed_by" not in corrected  # 1990: nothing unusual left to confirm
    assert "1990-03-01" in corrected
    # The decision names the robot's question it settled; the steps are in Korean.
    assert "sample.applicant_age_unusual" in confirmed
    assert "신청인 확인" in confirmed
    assert "check_applicant" not in confirmed
