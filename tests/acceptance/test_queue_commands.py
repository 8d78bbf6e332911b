"""``civicrpa queue add / list / show / requeue`` as a department and the RPA team use them."""

from __future__ import annotations

import json
import re
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
    copy_data_dir,
)

QUEUE = "sample_document_check"
ALL_DOCUMENTS = ["신청서", "신분증 사본", "통장 사본"]


@pytest.fixture
def env(tmp_path: Path, registered_data_dir: Path) -> dict[str, str]:
    # As `db upgrade` and `register_me` leave it, made once per test process and copied.
    copy_data_dir(registered_data_dir, tmp_path / "var")
    return cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})


def _add(number: str, env: dict[str, str], cwd: Path, **fields: object) -> str:
    data = {"신청번호": number, "신청인 생년월일": "1990-01-01", "접수일": "2025-03-04", **fields}
    return civicrpa_ok("queue", "add", QUEUE, "--data", json.dumps(data), env=env, cwd=cwd)


def _run(env: dict[str, str], cwd: Path) -> None:
    civicrpa_ok("run", QUEUE, "--workers", "1", env=env, cwd=cwd)


def test_add_takes_korean_titles_and_the_reference_from_the_payload(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert "작업 1번을" in _add("A-1", env, tmp_path)
    # The same case under a mistyped reference is refused, not queued twice.
    data = json.dumps({"신청번호": "A-1", "신청인 생년월일": "1990-01-01", "접수일": "2025-03-04"})
    line = civicrpa_refused("queue", "add", QUEUE, "A-11", "--data", data, env=env, cwd=tmp_path)
    assert "참조번호 A-11이 작업 데이터의 신청번호(A-1)와 다릅니다" in line
    # The reference, when given, must be the payload's; then the item is found as queued.
    again = civicrpa_ok("queue", "add", QUEUE, "A-1", "--data", data, env=env, cwd=tmp_path)
    assert "참조번호 A-1은 이미 작업 1번으로 들어 있습니다" in again
    # English field names still work.
    english = json.dumps(
        {
            "application_no": "A-2",
            "applicant_birth_date": "1991-02-02",
            "submitted_on": "2025-03-04",
        }
    )
    assert "작업 2번을" in civicrpa_ok(
        "queue", "add", QUEUE, "--data", english, env=env, cwd=tmp_path
    )


def test_add_says_per_field_what_is_wrong(env: dict[str, str], tmp_path: Path) -> None:
    data = json.dumps({"신청번호": "A-3", "신청인 생년월일": "어제", "은행": "국민"})
    line = civicrpa_refused("queue", "add", QUEUE, "--data", data, env=env, cwd=tmp_path)
    assert "'신청인 생년월일' 항목은 날짜(예: 2025-03-31)여야 합니다." in line
    assert "'접수일' 항목이 비어 있습니다." in line
    assert "'은행' 항목은 이 업무의 작업 데이터에 없습니다." in line
    assert "submitted_on" not in line  # fields are named as the department names them


def test_list_refuses_an_unknown_queue_and_says_when_nothing_is_there(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert civicrpa_ok("queue", "list", env=env, cwd=tmp_path).strip() == "작업이 없습니다."
    line = civicrpa_refused("queue", "list", "sample_documnet_check", env=env, cwd=tmp_path)
    assert "'sample_documnet_check' 대기열이 없습니다. 있는 대기열:" in line
    assert QUEUE in line
    assert "작업이 없습니다" in civicrpa_ok("queue", "list", QUEUE, env=env, cwd=tmp_path)


def test_list_and_show_speak_korean_and_show_when_an_item_is_due(
    env: dict[str, str], tmp_path: Path
) -> None:
    _add("B-1", env, tmp_path, **{"제출 서류": ["신청서"]})  # documents missing
    _add("B-2", env, tmp_path, **{"제출 서류": ALL_DOCUMENTS})
    _run(env, tmp_path)
    for typed in ("업무예외", "업무 예외", "business_exception"):
        listing = civicrpa_ok("queue", "list", "--state", typed, env=env, cwd=tmp_path)
        assert re.search(r"│ 1\s+│ sample_document_check │ B-1\s+│ 업무 예외", listing), listing
        assert "│ 2 " not in listing
        counts = listing[listing.index("상태별 건수") : listing.index("번호")]
        # The counts show the states asked for, as the list does (B-2 ended otherwise).
        assert re.findall(r"│ sample_document_check │ (\S+(?: \S+)?)\s+│", counts) == ["업무 예외"]
    none = civicrpa_ok("queue", "list", "--state", "실패", env=env, cwd=tmp_path)
    assert "실패 상태인 작업이 없습니다." in none

    shown = civicrpa_ok("queue", "show", "1", env=env, cwd=tmp_path)
    history = shown[shown.index("시도 이력") :]
    assert "업무 예외" in history  # the attempt's result, as the state is named
    assert "business_exception" not in shown

    _add("B-3", env, tmp_path, **{"제출 서류": ALL_DOCUMENTS})
    civicrpa_ok(
        "queue", "postpone", "3", "--until", "2099-03-02T09:00", "--reason", "서류 도착 후",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    listing = civicrpa_ok("queue", "list", QUEUE, env=env, cwd=tmp_path)
    assert re.search(r"│ 3\s+│ sample_document_check │ B-3\s+│ 연기\s+│ 2099-03-02 09:00", listing)
    shown = civicrpa_ok("queue", "show", "3", env=env, cwd=tmp_path)
    assert re.search(r"예정일\s+│ 2099-03-02 09:00", shown)
    assert "아직 로봇이 처리하지 않았습니다" in shown
    # The postponement is a person's decision: who, what, why.
    decisions = shown[shown.index("담당자 결정") :]
    assert ME in decisions
    assert "연기" in decisions
    assert "서류 도착 후" in decisions


def test_show_lists_a_reviewers_decision_and_the_fields_corrected(
    env: dict[str, str], tmp_path: Path
) -> None:
    _add("C-1", env, tmp_path, **{"신청인 생년월일": "1920-03-01", "제출 서류": ALL_DOCUMENTS})
    _run(env, tmp_path)
    become(Path(env["CIVICRPA_DATA_DIR"]), "department_reviewer")
    civicrpa_ok(
        "queue", "approve", "1", "--reason", "원본 대조: 1990년생",
        "--set", "신청인 생년월일=1990-03-01", env=env, cwd=tmp_path,
    )  # fmt: skip
    shown = civicrpa_ok("queue", "show", "1", env=env, cwd=tmp_path)
    decisions = shown[shown.index("담당자 결정") :]
    row = next(line for line in decisions.splitlines() if "승인" in line)
    assert ME in row
    assert "원본 대조: 1990년생" in row
    assert "신청인 생년월일" in row  # the corrected field, by its Korean title
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", row)  # when


def test_requeue_in_bulk_records_each_item_and_reports_the_refused(
    env: dict[str, str], tmp_path: Path
) -> None:
    for number in ("D-1", "D-2", "D-3"):
        _add(number, env, tmp_path, **{"제출 서류": ["신청서"]})
    _add("D-4", env, tmp_path, **{"제출 서류": ALL_DOCUMENTS})
    _run(env, tmp_path)

    result = civicrpa(
        "queue", "requeue", "1", "4", "99", "3", "--reason", "서류 보완됨", env=env, cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr + result.stdout
    out = result.stdout
    assert "작업 2건을 다시 대기열에 넣었습니다." in out
    assert "돌려보내지 못한 작업 2건" in out
    assert re.search(r"│ 4\s+│ 작업 상태를 '완료'에서 '대기'로 바꿀 수 없습니다", out)
    assert re.search(r"│ 99\s+│ 작업 항목 99번을 찾을 수 없습니다", out)
    listing = civicrpa_ok("queue", "list", "--state", "대기", env=env, cwd=tmp_path)
    assert {"D-1", "D-3"} == set(re.findall(r"│ (D-\d)\s+│ 대기", listing))

    _run(env, tmp_path)
    # By state, since a moment: each of the three business exceptions, one reason.
    none = civicrpa_ok(
        "queue", "requeue", "--state", "실패", "--reason", "장애 복구", env=env, cwd=tmp_path
    )
    assert "다시 처리할 작업이 없습니다" in none
    later = civicrpa_ok(
        "queue", "requeue", "--state", "업무 예외", "--since", "2999-01-01",
        "--reason", "장애 복구", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert "다시 처리할 작업이 없습니다" in later
    bulk = civicrpa_ok(
        "queue", "requeue", "--state", "업무 예외", "--since", "2000-01-01",
        "--reason", "서류 일괄 보완", env=env, cwd=tmp_path,
    )  # fmt: skip
    assert "작업 3건을 다시 대기열에 넣었습니다." in bulk
    assert "완료" in civicrpa_refused(
        "queue", "requeue", "--state", "완료", "--reason", "x", env=env, cwd=tmp_path
    )

    with sqlite3.connect(tmp_path / "var" / "civicrpa.db") as conn:
        decided = conn.execute(
            "SELECT item_id, reason FROM item_decisions WHERE action = 'requeue' ORDER BY id"
        ).fetchall()
        audited = conn.execute(
            "SELECT target FROM audit_log WHERE action = 'decision.requeue' ORDER BY seq"
        ).fetchall()
    assert decided == [
        (1, "서류 보완됨"),
        (3, "서류 보완됨"),
        (1, "서류 일괄 보완"),
        (2, "서류 일괄 보완"),
        (3, "서류 일괄 보완"),
    ]
    assert [target for (target,) in audited] == [
        "work_item:1",
        "work_item:3",
        "work_item:1",
        "work_item:2",
        "work_item:3",
    ]
