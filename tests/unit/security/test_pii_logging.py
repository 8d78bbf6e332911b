"""Log lines are masked whatever a value is: text, containers, an exception being handled, an
object written out by its text. All numbers are synthetic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from civicrpa.runtime.logs import configure_logging, get_logger, reset_logging

RRN = "900101-1234568"
PHONE = "010-1234-5678"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs" / "robot.jsonl"
    configure_logging(level="INFO", log_file=path)
    try:
        yield path
    finally:
        reset_logging()


def _lines(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    assert RRN not in text
    assert RRN.replace("-", "") not in text
    assert PHONE not in text
    return [json.loads(line) for line in text.splitlines()]


class _Applicant:
    def __str__(self) -> str:
        return f"Applicant(rrn={RRN})"


def test_every_value_is_masked_but_numbers_and_the_event_name(log_file: Path) -> None:
    log = get_logger(worker="rpa01-4242-1")
    log.info(
        "applicant.checked",
        note=f"신청인 홍길동({RRN}) 연락처 {PHONE}",
        phones=[PHONE, "02-123-4567"],
        form={"rrn": RRN, "count": 3},
        item_id=48213,
        outcome="successful",
    )
    (line,) = _lines(log_file)
    assert line["event"] == "applicant.checked"
    assert line["note"] == "신청인 홍길동(900101-1******) 연락처 010-****-5678"
    assert line["phones"] == ["010-****-5678", "02-****-4567"]
    assert line["form"] == {"rrn": "900101-1******", "count": 3}
    assert line["item_id"] == 48213
    assert line["outcome"] == "successful"
    assert line["worker"] == "rpa01-4242-1"


def test_an_exception_is_logged_with_its_traceback_masked(log_file: Path) -> None:
    log = get_logger()
    try:
        raise ValueError(f"cannot parse resident number {RRN} (연락처 {PHONE})")
    except ValueError:
        log.exception("item.failed")
    (line,) = _lines(log_file)
    assert "exc_info" not in line
    assert line["exception"].startswith("Traceback (most recent call last):")
    message = "ValueError: cannot parse resident number 900101-1****** (연락처 010-****-5678)"
    assert message in line["exception"]


def test_an_exception_or_object_given_as_a_value_is_written_masked(log_file: Path) -> None:
    log = get_logger()
    log.error("item.failed", exc_info=ValueError(f"bad {RRN}"), error=ValueError(f"bad {PHONE}"))
    log.info("applicant.seen", applicant=_Applicant())
    failed, seen = _lines(log_file)
    assert failed["exception"] == "ValueError: bad 900101-1******"
    assert failed["error"] == "bad 010-****-5678"
    assert seen["applicant"] == "Applicant(rrn=900101-1******)"
