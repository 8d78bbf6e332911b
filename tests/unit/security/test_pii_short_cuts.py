"""Masking reads only the runs of digits and separators that may hold a number (in a long text,
found first in its bytes), takes short cuts for runs that are one number, and remembers short
strings that hold nothing to mask. None of that may change what is masked: here the result is
checked against the plain reading of the whole text, all passes in order, for texts made to
trip the patterns, short and long.

All numbers are synthetic.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicrpa.security import pii
from civicrpa.security.pii import mask_in_place, mask_text

RRN = "900101-1234568"
PHONE = "010-1234-5678"


def _whole_text_reading(text: str) -> str:
    """Masking as specified: the whole text normalised, then each pass over all of it."""
    edits: list[tuple[int, int, str]] = []
    norm = text.translate(pii._NORMALISE)
    norm = pii._find(pii._EMAIL, norm, edits, 0)
    norm = pii._find(pii._REGISTRATION, norm, edits, 0)
    norm = pii._find(pii._PHONE, norm, edits, 0)
    for match in pii._LOOSE.finditer(norm):
        number = match.group()
        if pii._DATE_RANGE.fullmatch(number) is None:
            edits.append((match.start(), match.end(), pii._keep_last_digits(number)))
    out: list[str] = []
    pos = 0
    for start, end, masked in sorted(edits):
        out += (text[pos:start], masked)
        pos = end
    out.append(text[pos:])
    return "".join(out)


PIECES = [
    *"0123456789" * 3,
    *"０１２８－-–—._ \t\u3000\u00a0*@＠+＋()가aZ\n",
    ".co",
    "82",
    "+82",
    "(0)",
    "900101-1234568",
    "9001011234568",
    "900101-1******",
    "010-1234-5678",
    "01012345678",
    "010-****-5678",
    "02-123-4567",
    "(02) 123-4567",
    "110-123-456789",
    "***-***-**6789",
    "1234567890",
    "2025-10-01-2025-10-31",
    "hong@example.com",
    "line 57, in ",
]
#: Pieces of numbers, separators, stars, letters, Korean, e-mails and line breaks, glued.
TRICKY = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
SETTINGS = settings(database=None, max_examples=1500, deadline=None)


@SETTINGS
@given(st.one_of(TRICKY, st.text(max_size=80)))
def test_masking_finds_what_reading_the_whole_text_finds(text: str) -> None:
    assert mask_text(text) == _whole_text_reading(text)
    assert mask_text(text) == _whole_text_reading(text)  # remembered or not, the same


#: Long texts (read through their bytes first): tripping pieces far apart or close together.
LONG = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(["x" * 60, "신청인 " * 20, "\n" * 3])),
    min_size=20,
    max_size=90,
).map("".join)


@SETTINGS
@given(st.one_of(LONG, st.text(min_size=161, max_size=400)))
def test_a_long_text_is_masked_as_reading_it_whole_would(text: str) -> None:
    assert mask_text(text) == _whole_text_reading(text)


@pytest.mark.parametrize(
    "text",
    [
        "010-****-5678 1234567890",  # a masked phone, then a long number in the same run
        "010-****-5678-1234567890",
        "900101-1******1234567890",
        "12     900101-1234568",  # two numbers in one run of digits and spaces
        "900101-1234568 010-1234-5678 110-123-456789",
        "a1234567890@x.com 010-1234-5678",  # an e-mail's digits are not read again
        "acct1234567890 b 1234567890",
        "+82 (0)10 1234 5678",
        "＋82 10 1234 5678",
        "tel.+821012345678.",
        "1002-123-4567890",  # seven digits in a row, not a registration number
        "20251001-20251031 and 2025-10-01-2025-10-31",
        "02 010-1234-5678",
        "10-02-1234-5678",
        "(" * 40 + "900101-1234568",  # a run longer than the step looked back at once
        " " * 70 + "010-1234-5678",
        "９００１０１－１２３４５６８\u3000０１０－１２３４－５６７８",
        "item 48213, attempt 2\n" * 20 + "rrn 900101-1234568\n" + "line 57\n" * 20,
        # Long texts: runs far apart, read one by one, or close, read together.
        "010-1234-5678 " + "가" * 600 + " 900101-1234568 " + "나" * 600 + " 110-123-456789",
        "x" * 200 + "010-1234-5678, 900101-1234568 and 1234567890." + "y" * 200,
        "x" * 200 + "９００１０１－１２３４５６８\u3000(02) 123-4567" + "y" * 200,
        "x" * 200 + "hong@example.com 010-1234-5678" + "y" * 200,
        "x" * 200 + "a\ud800 900101-1234568",  # a lone surrogate
        "              ^^^^^^^^^^\n" * 20 + "+82 10-1234-5678",
        # Long runs without a cluster, taken whole; one with a cluster at its very end.
        "1    " * 60,
        "1****" * 60 + "900101-1234568",
        "1    " * 60 + "1234567890",
        "010 " * 60,
    ],
)
def test_worked_cases_of_runs_and_short_cuts(text: str) -> None:
    assert mask_text(text) == _whole_text_reading(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A tab separates like a space, in ASCII text as in Korean text.
        ("010\t1234\t5678", "010-****-5678"),
        ("연락처\t010\t1234\t5678", "연락처\t010-****-5678"),
        ("900101\t1234568", "900101-1******"),
    ],
)
def test_a_tab_is_a_separator_whatever_the_rest_of_the_text(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_only_strings_with_nothing_to_mask_are_remembered() -> None:
    pii._CLEAN.clear()
    assert mask_text("successful") == "successful"
    assert mask_text("rpa01-4242-1") == "rpa01-4242-1"
    assert mask_text("900101-1234568") == "900101-1******"
    assert mask_text("hong@example.com") == "h***@example.com"
    assert set(pii._CLEAN) == {"successful", "rpa01-4242-1", "example.com"}  # the domain
    # Remembered, still the same answer; and long strings are never kept.
    assert mask_text("successful") == "successful"
    long_text = "x" * (pii._CLEAN_MAX_LEN + 1)
    assert mask_text(long_text) == long_text
    assert long_text not in pii._CLEAN


def test_what_is_remembered_is_bounded() -> None:
    pii._CLEAN.clear()
    for i in range(pii._CLEAN_MAX_ENTRIES + 10):
        mask_text(f"state-{i}")
    assert len(pii._CLEAN) <= pii._CLEAN_MAX_ENTRIES


def test_mask_in_place_masks_what_mask_value_masks_but_the_skipped_value() -> None:
    class Text(str):
        pass

    values = {
        "event": "applicant 900101-1234568",  # skipped, as log events skip their name
        "note": f"rrn {RRN}",
        "subclass": Text(f"phone {PHONE}"),
        "items": [RRN, 3, None],
        "pair": ("a", RRN),
        "nested": {"phone": PHONE},
        "count": 1234567890123,  # numbers are not masked
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "clean": "successful",
    }
    pii._CLEAN.clear()
    mask_text("successful")  # remembered as clean
    mask_in_place(values, skip="event")
    assert values == {
        "event": "applicant 900101-1234568",
        "note": "rrn 900101-1******",
        "subclass": "phone 010-****-5678",
        "items": ["900101-1******", 3, None],
        "pair": ["a", "900101-1******"],
        "nested": {"phone": "010-****-5678"},
        "count": 1234567890123,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "clean": "successful",
    }
