"""Masking personal data: worked examples per kind, what must stay readable, and properties.

All numbers are synthetic (``900101-1234568`` has a valid check digit but is nobody's).
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Annotated

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from civicrpa.security.pii import (
    Personal,
    kind_from_name,
    mask_mapping,
    mask_name_middle,
    mask_personal,
    mask_text,
    mask_value,
    personal_fields,
)

RRN = "900101-1234568"
TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
TO_FULLWIDTH = str.maketrans("0123456789-.", "０１２３４５６７８９－．")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Resident registration numbers (worked example 8 of the domain notes), any writing.
        (RRN, "900101-1******"),
        ("9001011234568", "900101-1******"),
        ("900101 1234568", "900101-1******"),
        ("900101.1234568", "900101-1******"),
        ("900101_1234568", "900101-1******"),
        ("900101 - 1234568", "900101-1******"),
        ("900101–1234568", "900101-1******"),  # en dash
        ("900101—1234568", "900101-1******"),  # em dash
        ("９００１０１－１２３４５６８", "900101-1******"),  # full-width
        ("주민번호900101-1234568입니다", "주민번호900101-1******입니다"),
        ("주민번호:９００１０１１２３４５６８.", "주민번호:900101-1******."),
        ("**900101-1234568**", "**900101-1********"),
        ("751224-2123453", "751224-2******"),
        ("030708-4123406", "030708-4******"),
        ("201215-3918274", "201215-3******"),  # after the 2020 reform: random digits
        ("990230-1234567", "990230-1******"),  # no 30 February, still a number to hide
        # Foreigner registration numbers: same layout, sex digit 5-8.
        ("900101-5234568", "900101-5******"),
        ("0307087123406", "030708-7******"),
        # Mobile and landline phones.
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("010 1234 5678", "010-****-5678"),
        ("010.1234.5678", "010-****-5678"),
        ("０１０－１２３４－５６７８", "010-****-5678"),
        ("011-123-4567", "011-****-4567"),
        ("02-123-4567", "02-****-4567"),
        ("021234567", "02-****-4567"),
        ("02-1234-5678", "02-****-5678"),
        ("031-123-4567", "031-****-4567"),
        ("064-712-3456", "064-****-3456"),
        ("070-1234-5678", "070-****-5678"),
        ("0505-123-4567", "0505-****-4567"),
        ("(02) 123-4567", "(02) ****-4567"),
        ("+82 10-1234-5678", "+82 10-****-5678"),
        ("+82-10-1234-5678", "+82-10-****-5678"),
        ("+82 (0)10 1234 5678", "+82 10-****-5678"),
        ("+821012345678", "+82-10-****-5678"),
        ("+82 2-123-4567", "+82 2-****-4567"),
        ("연락처010-1234-5678로", "연락처010-****-5678로"),
        # Bank accounts: hyphen-joined groups or bare runs of 10 to 16 digits; last 4 stay.
        ("110-123-456789", "***-***-**6789"),  # 12 digits
        ("1002-123-456789", "****-***-**6789"),  # 13 digits
        ("123456-78-901234", "******-**-**1234"),  # 14 digits
        ("302-1234-5678-91", "***-****-**78-91"),  # 13 digits, the tail split
        ("1234-5678-9012-3456", "****-****-****-3456"),  # 16 digits (a card number)
        ("1234567890", "******7890"),
        ("1234567890123", "*********0123"),  # 13 digits, but 34th month: not a birth date
        ("1234567890123456", "************3456"),
        ("계좌110-123-456789입니다", "계좌***-***-**6789입니다"),
        ("계좌: 3333-01-1234567 (카카오뱅크)", "계좌: ****-**-***4567 (카카오뱅크)"),
        # E-mail addresses: the first character and the domain stay.
        ("hong@example.com", "h***@example.com"),
        ("hong.gildong+rpa@mail.seoul.go.kr", "h***@mail.seoul.go.kr"),
        ("문의: gildong.hong@example.co.kr 로", "문의: g***@example.co.kr 로"),
        ("hong＠example.com", "h***@example.com"),
        ("9001011234568@example.com", "9***@example.com"),
        # Several at once.
        (
            f"applicant {RRN} phone 010-1234-5678",
            "applicant 900101-1****** phone 010-****-5678",
        ),
        (
            "신청인 900101-1234568, 010-1234-5678, 110-123-456789, hong@example.com",
            "신청인 900101-1******, 010-****-5678, ***-***-**6789, h***@example.com",
        ),
    ],
)
def test_worked_examples(text: str, expected: str) -> None:
    assert mask_text(text) == expected
    assert mask_text(expected) == expected


@pytest.mark.parametrize(
    "text",
    [
        "successful",
        "2025-10-10",
        "2025.10.10",
        "20251010",
        "2025-10-01-2025-10-31",  # a date range
        "20251001-20251031",
        "22:23:42",
        "22:23:42.948252",
        "2026-11-24T22:23:42.948252Z",
        "2026-11-24T22:23:42.948252+09:00",
        "2026-11-24 22:23:42,948",
        "2,000,000원",
        "1,500,000,000원",
        "₩12,345,678",
        "2025-출산-000123",
        "2025-급량비-001234",
        "item 123456 run 7890123 attempt 3",
        "rpa01-12345-1",
        "b-000123",
        "1588-1234",  # a company's representative number: not personal, 8 digits
        "127.0.0.1:5432",
        "192.168.100.200",
        "v3.11.9",
        "ms=1234.56",
        "서울특별시 중구 세종대로 110, 3층 301호",
        "sha256 3fa85f6412345678901cd2e0b6a1c9f4d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3",
        "lease 9f86d081884c7d659a2feaa0c55ad015",
        "3f2a9c1e-7b4d-4e8a-9c2f-1a5b6c7d8e9f",  # a UUID
        "hong@localhost",
        "900101-1******",  # masked already
        "010-****-5678",
        "***-***-**6789",
    ],
)
def test_what_must_stay_readable(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Known false positives, pinned so that a change is a decision.
        ("1732486422", "******6422"),  # an epoch timestamp
        ("1500000000원", "******0000원"),  # an amount written without commas
        ("123-45-67890", "***-**-*7890"),  # a business registration number
        ("2025-10-10-000123", "****-**-**-**0123"),  # a reference made of a date and a serial
        ("110111-1234567", "110111-1******"),  # a corporate registration number
        ("3.1415926535", "3.******6535"),
        # A UUID whose last group happens to be all digits (about 1 in 300).
        ("123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a***-********4000"),
        # Known false negatives: the shape does not say enough.
        ("110 123 456789", "110 123 456789"),  # an account written with spaces
        ("acct1234567890", "acct1234567890"),  # glued to ASCII letters: an identifier
        ("991330 1234567", "991330 1234567"),  # no 13th month, no hyphen: two numbers
    ],
)
def test_known_false_positives_and_negatives(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_mask_value_masks_strings_inside_containers() -> None:
    value = {"note": f"rrn {RRN}", "items": ["010-1234-5678", 3, None], "pair": ("a", RRN)}
    assert mask_value(value) == {
        "note": "rrn 900101-1******",
        "items": ["010-****-5678", 3, None],
        "pair": ["a", "900101-1******"],
    }


# --- Fields marked personal -------------------------------------------------------------


class Child(BaseModel):
    name: Annotated[str, Personal.NAME]
    birth_date: date


class Application(BaseModel):
    applicant_name: Annotated[str, Personal.NAME]
    rrn: Annotated[str, Personal.RESIDENT_NUMBER]
    phone: Annotated[str, Personal.PHONE]
    account: Annotated[str, Personal.ACCOUNT]
    email: Annotated[str | None, Personal.EMAIL] = None
    address: Annotated[str, Personal.OTHER]
    amount: int
    note: str = ""
    children: list[Child] = []


APPLICATION = Application(
    applicant_name="홍길동",
    rrn=RRN,
    phone="010-1234-5678",
    account="110-123-456789",
    email="hong@example.com",
    address="서울특별시 중구 세종대로 110",
    amount=2_000_000,
    note="배우자 연락처 010-9876-5432",
    children=[Child(name="홍아기", birth_date=date(2024, 3, 1))],
)


def test_personal_fields_are_read_off_the_model_nested_ones_included() -> None:
    assert personal_fields(Application) == {
        "applicant_name": Personal.NAME,
        "rrn": Personal.RESIDENT_NUMBER,
        "phone": Personal.PHONE,
        "account": Personal.ACCOUNT,
        "email": Personal.EMAIL,
        "address": Personal.OTHER,
        "name": Personal.NAME,
    }


def test_mask_mapping_masks_each_personal_field_by_kind_and_the_rest_by_shape() -> None:
    payload = APPLICATION.model_dump(mode="json")
    masked = mask_mapping(payload, personal_fields(Application))
    assert masked == {
        "applicant_name": "홍**",
        "rrn": "900101-1******",
        "phone": "010-****-5678",
        "account": "***-***-**6789",
        "email": "h***@example.com",
        "address": "*" * len("서울특별시 중구 세종대로 110"),
        "amount": 2_000_000,
        "note": "배우자 연락처 010-****-5432",
        "children": [{"name": "홍**", "birth_date": "2024-03-01"}],
    }
    assert payload["rrn"] == RRN  # the input is left as it was


def test_mask_mapping_with_bare_field_names_guesses_the_kind_from_the_name() -> None:
    payload = {
        "applicant_name": "남궁민수",
        "resident_no": "9001011234568",
        "bank_account": "1002123456789",
        "mobile": "01012345678",
        "address": "세종대로 110",
        "status": "접수",
    }
    fields = {"applicant_name", "resident_no", "bank_account", "mobile", "address"}
    assert mask_mapping(payload, fields) == {
        "applicant_name": "남***",
        "resident_no": "900101-1******",
        "bank_account": "*********6789",
        "mobile": "010-****-5678",
        "address": "********",
        "status": "접수",
    }
    assert mask_mapping({"name": "이"}, "name") == {"name": "*"}


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("applicant_rrn", Personal.RESIDENT_NUMBER),
        ("Resident_No", Personal.RESIDENT_NUMBER),
        ("bank_account", Personal.ACCOUNT),
        ("mobile", Personal.PHONE),
        ("guardian_phone", Personal.PHONE),
        ("contact_email", Personal.EMAIL),
        ("child_name", Personal.NAME),
        ("address", Personal.OTHER),
    ],
)
def test_kind_from_name_reads_the_field_name(field: str, kind: Personal) -> None:
    assert kind_from_name(field) is kind


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("홍길동", Personal.NAME, "홍**"),
        (" 홍길동 ", Personal.NAME, "홍**"),
        ("이", Personal.NAME, "*"),
        ("John Smith", Personal.NAME, "J*********"),
        (None, Personal.NAME, None),
        (["홍길동", "김철수"], Personal.NAME, ["홍**", "김**"]),
        ("９００１０１－１２３４５６８", Personal.RESIDENT_NUMBER, "900101-1******"),
        ("900101-123", Personal.RESIDENT_NUMBER, "**********"),  # malformed: nothing shown
        ("010-1234-5678", Personal.RESIDENT_NUMBER, "*************"),
        ("900101-1******", Personal.RESIDENT_NUMBER, "900101-1******"),
        ("+82 10-1234-5678", Personal.PHONE, "+82 10-****-5678"),
        ("(02) 123-4567", Personal.PHONE, "(02) ****-4567"),
        ("1588-1234", Personal.PHONE, "****-1234"),
        (RRN, Personal.PHONE, "900101-1******"),  # a number in the wrong field
        ("110-123-456789", Personal.ACCOUNT, "***-***-**6789"),
        ("국민 123456-78-901234", Personal.ACCOUNT, "** ******-**-**1234"),
        (1234567890, Personal.ACCOUNT, "******7890"),
        ("123-4567", Personal.ACCOUNT, "********"),  # too short to show a tail
        ("hong@example.com", Personal.EMAIL, "h***@example.com"),
        ("not an address", Personal.EMAIL, "**************"),
        ("M12345678", Personal.OTHER, "*********"),
    ],
)
def test_mask_personal(value: object, kind: Personal, expected: object) -> None:
    assert mask_personal(value, kind) == expected


# --- Properties -------------------------------------------------------------------------

HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
ASCII_NO_DIGITS = st.characters(
    min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="0123456789@"
)
#: Korean and ASCII text with no digit and no e-mail: it must come out unchanged.
SURROUNDING = st.text(st.one_of(HANGUL, ASCII_NO_DIGITS), max_size=20)
DIGITS = "0123456789"
PROPERTIES = settings(database=None, max_examples=200, deadline=None)


def _digits_of(text: str) -> str:
    return "".join(ch for ch in text.translate(TO_ASCII) if ch.isdigit())


@st.composite
def resident_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A registration number as written, and the seven digits that may show."""
    born = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
    sex = draw(st.integers(1, 8))
    tail = draw(st.text(DIGITS, min_size=6, max_size=6))
    sep = draw(st.sampled_from(["-", " ", ".", ""]))
    birth = born.strftime("%y%m%d")
    written = f"{birth}{sep}{sex}{tail}"
    if draw(st.booleans()):
        written = written.translate(TO_FULLWIDTH)
    return written, f"{birth}{sex}"


@PROPERTIES
@given(SURROUNDING, resident_numbers(), SURROUNDING)
def test_a_resident_number_anywhere_keeps_only_its_birth_date_and_sex_digit(
    before: str, number: tuple[str, str], after: str
) -> None:
    written, shown = number
    masked = mask_text(before + written + after)
    assert masked == f"{before}{shown[:6]}-{shown[6]}******{after}"
    assert _digits_of(masked) == shown  # none of the last six digits, in any form
    assert mask_text(masked) == masked


MOBILE_AREAS = ["010", "011", "016", "017", "018", "019"]
LANDLINE_AREAS = ["02", "031", "032", "033", "041", "042", "043", "044", "051", "052"]
LANDLINE_AREAS += ["053", "054", "055", "061", "062", "063", "064", "070"]


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A phone number as written, and how it must be masked."""
    area = draw(st.sampled_from(MOBILE_AREAS + LANDLINE_AREAS))
    # Exchange numbers never start with 0.
    middle = draw(st.sampled_from("123456789")) + draw(st.text(DIGITS, min_size=2, max_size=3))
    last = draw(st.text(DIGITS, min_size=4, max_size=4))
    sep = draw(st.sampled_from(["-", " ", ".", ""]))
    if draw(st.booleans()):
        country_sep = draw(st.sampled_from([" ", "-", ""]))
        written = f"+82{country_sep}{area[1:]}{sep}{middle}{sep}{last}"
        return written, f"+82{country_sep or '-'}{area[1:]}-****-{last}"
    written = f"{area}{sep}{middle}{sep}{last}"
    if draw(st.booleans()):
        written = written.translate(TO_FULLWIDTH)
    return written, f"{area}-****-{last}"


@PROPERTIES
@given(SURROUNDING, phone_numbers(), SURROUNDING)
def test_a_phone_number_anywhere_loses_its_middle_digits(
    before: str, number: tuple[str, str], after: str
) -> None:
    written, expected = number
    masked = mask_text(before + written + after)
    assert masked == before + expected + after
    assert _digits_of(masked) == _digits_of(expected)  # area (and 82) and the last four
    assert mask_text(masked) == masked


def _could_be_a_birth_date(digits: str) -> bool:
    return 1 <= int(digits[2:4]) <= 12 and 1 <= int(digits[4:6]) <= 31


@st.composite
def account_numbers(draw: st.DrawFn) -> str:
    """10 to 16 digits, bare or in hyphen-joined groups, not shaped like another number."""
    digits = draw(st.sampled_from("123456789")) + draw(st.text(DIGITS, min_size=9, max_size=15))
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=3)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    # Not shaped like a registration number: 6 then 7 digits, or 13 digits starting with a
    # possible birth date. Not a range of dates.
    sizes = [len(g) for g in groups]
    assume(not any(pair == (6, 7) for pair in itertools.pairwise(sizes)))
    assume(not any(len(g) == 13 and _could_be_a_birth_date(g) for g in groups))
    date_range = r"(?:(?:19|20)\d\d-?\d\d-?\d\d-?)+"
    assume(not (len(groups) > 1 and re.fullmatch(date_range, "-".join(groups) + "-")))
    return "-".join(groups)


@PROPERTIES
@given(SURROUNDING, account_numbers(), SURROUNDING)
def test_an_account_number_keeps_only_its_last_four_digits(
    before: str, account: str, after: str
) -> None:
    hidden = sum(ch.isdigit() for ch in account) - 4
    expected = []
    for ch in account:
        if ch.isdigit() and hidden > 0:
            expected.append("*")
            hidden -= 1
        else:
            expected.append(ch)
    text = f"{before} {account} {after}"
    masked = mask_text(text)
    assert masked == f"{before} {''.join(expected)} {after}"
    assert _digits_of(masked) == _digits_of(account)[-4:]
    assert mask_text(masked) == masked


#: Text made to trip the patterns: digits of both widths, every separator, stars, "@", "+".
NOISY = st.lists(
    st.sampled_from([*DIGITS * 3, *"０１２８－-–._ *@+()가aZ", ".co", "82"]), max_size=30
).map("".join)


@PROPERTIES
@given(st.one_of(NOISY, st.text(max_size=60)))
def test_masking_twice_changes_nothing(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


TRACEBACK_LINES = [
    "Traceback (most recent call last):",
    '  File "/srv/civicrpa/processes/childbirth_incentive/steps.py", line 128, in check',
    "    raise InputRejected('rrn', {'value': value})",
    f"ValueError: cannot parse resident number {RRN} (연락처 010-1234-5678)",
    "civicrpa.core.errors.InputRejected: 계좌 110-123-456789 확인 실패 (item 48213, attempt 2)",
    "2026-11-24T22:23:42.948252Z retried at 2026-11-24T22:25:42Z",
]


@PROPERTIES
@given(st.lists(st.one_of(NOISY, SURROUNDING, st.sampled_from(TRACEBACK_LINES)), max_size=40))
def test_a_long_text_is_masked_as_its_lines_are(lines: list[str]) -> None:
    # No number spans a line break: a long text (a traceback) is masked line by line.
    text = "\n".join(lines)
    masked = mask_text(text)
    assert masked == "\n".join(mask_text(line) for line in lines)
    assert mask_text(masked) == masked


#: Noise without the digits 3 and 4, which in the numbers below are all in the hidden parts.
NOISE_WITHOUT_3_4 = st.lists(
    st.sampled_from([*"0129" * 3, *"０１２－-–._ *@+()가aZ", ".co", "82"]), max_size=20
).map("".join)


@PROPERTIES
@given(
    st.lists(
        st.tuples(NOISE_WITHOUT_3_4, st.sampled_from([RRN, "010-1234-5678", "110-123-456789"])),
        min_size=1,
        max_size=4,
    ),
    NOISE_WITHOUT_3_4,
)
def test_hidden_digits_never_survive_whatever_noise_surrounds_the_numbers(
    pieces: list[tuple[str, str]], end: str
) -> None:
    text = " ".join([*(f"{noise} {number}" for noise, number in pieces), end])
    digits = _digits_of(mask_text(text))
    assert "3" not in digits
    assert "4" not in digits


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("양수정", "양*정"),
        ("남궁민수", "남**수"),
        ("김수", "김*"),
        ("이", "이"),
        ("양 수 정", "양*정"),
    ],
)
def test_a_name_on_a_list_keeps_its_first_and_last_syllable(name: str, shown: str) -> None:
    assert mask_name_middle(name) == shown
