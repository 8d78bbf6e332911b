"""Pure parts of the bulk import: header matching, cell coercion, the fallback CSV parser."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import pytest
from pydantic import Field

from civicrpa.queue.cells import coerce_cell, field_kind
from civicrpa.queue.csv_reading import parse_record
from civicrpa.queue.tables import normalize_header


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("신청번호", "신청번호"),
        (" 신청 번호 ", "신청번호"),
        ("Account_No", "account_no"),
        ("APPLICATION\tNO", "applicationno"),
    ],
)
def test_header_names_compare_without_case_and_spaces(name: str, normalized: str) -> None:
    assert normalize_header(name) == normalized


@pytest.mark.parametrize(
    ("annotation", "kind"),
    [
        (str, str),
        (int, int),
        (bool, bool),
        (float, float),
        (Decimal, Decimal),
        (date, date),
        (datetime, datetime),
        (int | None, int),
        (Annotated[int, Field(ge=1)], int),
        (int | str, None),
        (Literal["a", "b"], None),
    ],
)
def test_kind_of_a_field(annotation: object, kind: type | None) -> None:
    assert field_kind(annotation) is kind


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        # Excel keeps every number as a float: an account number must not grow a ".0".
        (1234567.0, str, "1234567"),
        (1234567, str, "1234567"),
        (12.5, str, "12.5"),
        (datetime(2024, 3, 5), str, "2024-03-05"),
        (datetime(2024, 3, 5, 9, 30), str, "2024-03-05 09:30:00"),
        (3.0, int, 3),
        (3.5, int, 3.5),  # left for pydantic to refuse: not an integer
        ("1,500,000", int, "1500000"),  # won with thousands separators
        ("1,5", int, "1,5"),
        (datetime(2024, 3, 5, 0, 0), date, date(2024, 3, 5)),
        (datetime(2024, 3, 5, 14, 0), date, date(2024, 3, 5)),
        ("2024.03.05", date, date(2024, 3, 5)),
        ("2024. 3. 5.", date, date(2024, 3, 5)),
        ("2024년 3월 5일", date, date(2024, 3, 5)),
        ("20240305", date, date(2024, 3, 5)),
        (20240305, date, date(2024, 3, 5)),
        ("2024-02-30", date, "2024-02-30"),  # no such day: pydantic says "not a date"
        (date(2024, 3, 5), datetime, datetime(2024, 3, 5)),
        ("예", bool, True),
        ("아니오", bool, False),
        ("Y", bool, "Y"),  # pydantic reads y/n, yes/no, true/false itself
        ("abc", None, "abc"),
    ],
)
def test_cells_are_coerced_to_what_was_meant(value: object, kind: type, expected: object) -> None:
    assert coerce_cell(value, kind) == expected


def _lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n",
        'a,"b,c",d\r\n',
        '"x ""quoted"" y",,z\n',
        'a,"two\nlines",b\n',
        'ab"c,d\n',  # a quote inside an unquoted field is an ordinary character
        "last,field,without,newline",
        ",\n",
    ],
)
def test_the_fallback_parser_agrees_with_the_csv_module(text: str) -> None:
    lines = _lines(text)
    expected = next(csv.reader(lines))
    assert parse_record(lines[:1], iter(lines[1:]), 100) == expected


def test_the_fallback_parser_keeps_only_the_length_of_an_over_long_field() -> None:
    lines = _lines('1,"' + "x\n" * 300 + '",3\n4,5\n')
    rest = iter(lines[1:])
    fields = parse_record(lines[:1], rest, 100)
    assert fields[0] == "1"
    assert getattr(fields[1], "length", None) == 600
    assert fields[2] == "3"
    assert next(rest) == "4,5\n"  # reading resumes after the record


def test_an_unterminated_quote_ends_at_the_end_of_the_file() -> None:
    assert parse_record(['a,"bc\n'], iter(["de"]), 100) == ["a", "bc\nde"]
