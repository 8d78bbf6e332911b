"""The dated tables: lookups by birth date, a city's replacement file and the settings."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from civicrpa.config import load_settings
from civicrpa.core.errors import ConfigurationError, InputRejected
from civicrpa.core.messages import CATALOGUE
from civicrpa.processes.childbirth_incentive import (
    DEFAULT_TABLES,
    BeneficiaryStatus,
    IncentiveRow,
    Policy,
    Tables,
    incentive_plan,
    load_tables,
    postnatal_amount,
)
from civicrpa.processes.childbirth_incentive.process import PROCESS
from civicrpa.processes.childbirth_incentive.settings import ChildbirthSettings
from civicrpa.processes.childbirth_incentive.tables import PostnatalGroup
from civicrpa.runtime.settings import load_process_settings

D = date.fromisoformat
#: A complete code in a string literal (not the stem of an f-string).
_CODE = re.compile(r'"(childbirth\.[a-z_.0-9]*[a-z0-9])"')

_TOML = """
[[incentive]]
valid_from = 2022-01-01
by_birth_order = [[1000000], [2000000, 2000000]]

[[incentive]]
valid_from = 2025-07-01
article = "제5조"
by_birth_order = [[3000000, 3000000]]

[[postnatal]]
valid_from = 2022-01-01
basic = { daily_amount = 110000, max_days = 14 }
near_poor = { daily_amount = 90000, max_days = 14 }
general = { daily_amount = 85000, max_days = 10 }
without_centre = 250000
multiple_birth_percent = 30
deadline_days = 120
"""


def test_lookups_take_the_latest_row_begun_by_the_birth(tmp_path: Path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text(_TOML, encoding="utf-8")
    tables = load_tables(path)
    policy = Policy(tables=tables)
    assert incentive_plan(2, D("2025-06-30"), policy).total == 4_000_000
    assert incentive_plan(5, D("2025-06-30"), policy).total == 4_000_000  # last entry: 2nd+
    july = tables.incentive_row(D("2025-07-01"))
    assert (july.valid_from, july.article) == (D("2025-07-01"), "제5조")
    assert incentive_plan(1, D("2025-07-01"), policy).total == 6_000_000
    # 12 days x 85,000 capped at 10 days = 850,000; +30 % = 1,105,000.
    amount = postnatal_amount(
        PostnatalGroup.GENERAL,
        birth_date=D("2024-01-01"),
        centre_in_city=True,
        days_used=12,
        multiple_birth=True,
        policy=policy,
    )
    assert amount == 1_105_000


def test_a_birth_before_every_row_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text(_TOML, encoding="utf-8")
    policy = Policy(tables=load_tables(path))
    with pytest.raises(InputRejected) as caught:
        incentive_plan(1, D("2021-12-31"), policy)
    assert caught.value.code == "childbirth.no_incentive_row"
    assert caught.value.message_ko.startswith("2021-12-31 출생아에게 적용할 출산장려금 기준표가")


def test_a_json_file_replaces_only_its_sections(tmp_path: Path) -> None:
    path = tmp_path / "tables.json"
    rows = [{"valid_from": "2024-01-01", "by_birth_order": [[500000]]}]
    path.write_text(json.dumps({"incentive": rows}), encoding="utf-8")
    tables = load_tables(path)
    assert tables.incentive == (
        IncentiveRow(valid_from=D("2024-01-01"), by_birth_order=((500000,),)),
    )
    assert tables.postnatal == DEFAULT_TABLES.postnatal


@pytest.mark.parametrize(
    ("content", "where", "problem"),
    [
        (
            '{"incentive": [{"valid_from": "2022-13-01", "by_birth_order": [[1]]}]}',
            "incentive 1번째 줄 valid_from",
            "날짜 형식이 아닙니다(예: 2025-01-01)",
        ),
        (
            '{"incentive": [{"valid_from": "2022-01-01", "by_birth_order": [[1, -5]]}]}',
            "incentive 1번째 줄 by_birth_order 1번째 목록의 2번째 값",
            "0 이상이어야 합니다",
        ),
        (
            '{"incentive": [{"valid_from": "2022-01-01", "by_birth_order": [["1,000,000"]]}]}',
            "incentive 1번째 줄 by_birth_order 1번째 목록의 1번째 값",
            "정수가 아닙니다(쉼표·소수점·따옴표 없이, 예: 1000000)",
        ),
        (
            '{"incentive": [{"valid_from": "2022-01-01", "by_birth_order": []}]}',
            "incentive 1번째 줄 by_birth_order",
            "비어 있지 않은 목록이어야 합니다",
        ),
        (
            '{"incentive": [{"valid_from": "2022-01-01"}]}',
            "incentive 1번째 줄 by_birth_order",
            "필수 항목이 없습니다",
        ),
        (
            '{"incentives": []}',
            "incentives",
            "알 수 없는 항목입니다. 쓸 수 있는 항목: incentive, postnatal",
        ),
        (
            '{"incentive": [{"valid_from": "2022-01-01", "by_birth_order": [[1]]},'
            ' {"valid_from": "2022-01-01", "by_birth_order": [[2]]}]}',
            "incentive 2번째 줄 valid_from",
            "앞 줄과 적용일이 같습니다(2022-01-01). 한 날짜에는 한 줄만 적으십시오",
        ),
        (
            '{"incentive": [{"valid_from": "2023-01-01", "by_birth_order": [[1]]},'
            ' {"valid_from": "2022-01-01", "by_birth_order": [[2]]}]}',
            "incentive 2번째 줄 valid_from",
            "적용일이 앞 줄(2023-01-01)보다 늦어야 합니다. 줄은 적용일 순서로 적으십시오",
        ),
        (
            '{"postnatal": [{"valid_from": "2022-01-01", "basic": {"daily_amount": 1,'
            ' "max_days": 0}, "near_poor": {"daily_amount": 1, "max_days": 1},'
            ' "general": {"daily_amount": 1, "max_days": 1}, "without_centre": 0,'
            ' "multiple_birth_percent": 0, "deadline_days": 90}]}',
            "postnatal 1번째 줄 basic.max_days",
            "1 이상이어야 합니다",
        ),
        (
            '{"incentive": [{"valid_from": "2022-01-01", "by_birth_order": [[1]],'
            ' "articel": "제5조"}]}',
            "incentive 1번째 줄 articel",
            "알 수 없는 항목입니다. 쓸 수 있는 항목: article, by_birth_order, regulation,"
            " valid_from, valid_until",
        ),
        (
            '{"incentive": []}',
            "incentive",
            "줄이 하나도 없습니다. 적용일(valid_from)이 있는 줄을 하나 이상 적으십시오",
        ),
    ],
)
def test_a_malformed_file_is_refused_in_korean(
    tmp_path: Path, content: str, where: str, problem: str
) -> None:
    path = tmp_path / "tables.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_tables(path)
    error = caught.value
    assert error.code == "tables.invalid"
    assert (error.params["where"], error.params["problem"]) == (where, problem)
    assert error.message_ko == f"요율표 파일 {path}의 {where}: {problem}"


def test_every_problem_of_a_file_is_named_the_first_in_full(tmp_path: Path) -> None:
    path = tmp_path / "tables.json"
    path.write_text('{"postnatal": [{"valid_from": "2022-01-01"}], "x": 1}', encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_tables(path)
    error = caught.value
    assert error.code == "tables.invalid_more"
    # basic, near_poor, general, without_centre, multiple_birth_percent, deadline_days, x.
    assert error.params["count"] == 6
    assert error.message_ko.startswith(
        f"요율표 파일 {path}의 postnatal 1번째 줄 basic: 필수 항목이 없습니다 (이 밖에 6곳: "
        "postnatal 1번째 줄 near_poor: 필수 항목이 없습니다; "
    )
    assert error.message_ko.endswith("; …)")


def test_a_toml_datetime_is_not_a_day(tmp_path: Path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text(
        "[[incentive]]\nvalid_from = 2022-01-01T09:00:00\nby_birth_order = [[1]]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as caught:
        load_tables(path)
    assert caught.value.message_ko == (
        f"요율표 파일 {path}의 incentive 1번째 줄 valid_from: 날짜 형식이 아닙니다(예: 2025-01-01)"
    )


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("tables.json", "{not json", "JSON/TOML 문법이 올바르지 않습니다"),
        ("tables.toml", "valid_from = ", "JSON/TOML 문법이 올바르지 않습니다"),
        ("tables.yaml", "a: 1", "파일 확장자는 .json 또는 .toml이어야 합니다"),
        ("missing.json", None, "읽을 수 없습니다(파일이 없거나"),
        ("tables.json", "[1, 2]", "항목 묶음(JSON 객체, TOML 표)이어야 합니다"),
    ],
)
def test_an_unreadable_file_is_refused(
    tmp_path: Path, name: str, content: str | None, problem: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_tables(path)
    assert caught.value.code == "tables.file_invalid"
    assert caught.value.params["problem"].startswith(problem)
    assert caught.value.message_ko.startswith(f"요율표 파일 {path}: {problem}")


def _settings(**overrides: object) -> ChildbirthSettings:
    """The process's settings as the robots read them (environment, then code)."""
    settings = load_settings(_env_file=None, process_settings={"childbirth_incentive": overrides})
    loaded = load_process_settings(PROCESS, settings)
    assert isinstance(loaded, ChildbirthSettings)
    return loaded


def test_the_policy_comes_from_the_process_settings(tmp_path: Path) -> None:
    assert _settings().policy == Policy()
    path = tmp_path / "tables.toml"
    path.write_text(_TOML, encoding="utf-8")
    policy = _settings(
        min_residence_months=12, stop_instalments_on_move_out=False, tables_file=path
    ).policy
    assert policy.min_residence_months == 12
    assert policy.stop_instalments_on_move_out is False
    assert policy.tables == load_tables(path)
    assert policy.tables != Tables()


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVICRPA_CHILDBIRTH_MIN_RESIDENCE_MONTHS", "3")
    monkeypatch.setenv("CIVICRPA_CHILDBIRTH_STOP_INSTALMENTS_ON_MOVE_OUT", "false")
    monkeypatch.setenv("CIVICRPA_CHILDBIRTH_DEPARTMENT", "인구정책과")
    settings = _settings()
    assert (settings.policy.min_residence_months, settings.department) == (3, "인구정책과")
    assert settings.policy.stop_instalments_on_move_out is False
    monkeypatch.setenv("CIVICRPA_CHILDBIRTH_MIN_RESIDENCE_MONTHS", "-1")
    with pytest.raises(ConfigurationError) as caught:
        _settings()
    assert "CIVICRPA_CHILDBIRTH_MIN_RESIDENCE_MONTHS" in caught.value.message_ko


def test_a_bad_tables_file_stops_the_robots_before_the_first_item(tmp_path: Path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text("[[incentive]]\nvalid_from = 'soon'\n", encoding="utf-8")
    settings = load_settings(
        _env_file=None, process_settings={"childbirth_incentive": {"tables_file": str(path)}}
    )
    # Read once, before the first item (the runner's preflight reads them so): the place named.
    with pytest.raises(ConfigurationError) as caught:
        load_process_settings(PROCESS, settings)
    assert str(path) in caught.value.message_ko
    assert "valid_from" in caught.value.message_ko


def test_every_childbirth_code_is_catalogued() -> None:
    source = Path(__file__).parents[3] / "src/civicrpa/processes/childbirth_incentive"
    used = {f"childbirth.status.{status.value}" for status in BeneficiaryStatus}
    used |= {f"childbirth.group.{group.value}" for group in PostnatalGroup}
    used |= {f"childbirth.list.order_{key}" for key in ("1", "2", "3", "4plus")}
    for module in source.glob("*.py"):
        used |= set(_CODE.findall(module.read_text(encoding="utf-8")))
    assert len(used) > 40
    assert used - CATALOGUE.keys() == set()
