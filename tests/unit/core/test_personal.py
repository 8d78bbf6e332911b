"""Masked personal numbers: shown masked everywhere, revealed only on purpose, dumped in clear.

All numbers are synthetic (``900101-1234568`` has a valid check digit but is nobody's).
"""

from __future__ import annotations

import copy
import pickle
import re
from datetime import date

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from civicrpa.core.personal import (
    AccountNumber,
    MaskedNumber,
    PhoneNumber,
    ResidentNumber,
    reveal,
)
from civicrpa.core.resident_number import Sex
from civicrpa.security.pii import Personal, mask_personal

RRN = "900101-1234568"
ACCOUNT = "110-123-456789"
PHONE = "010-1234-5678"


class Applicant(BaseModel):
    """A payload holding one of each, as a process's input model would."""

    model_config = ConfigDict(frozen=True)

    name: str
    rrn: ResidentNumber
    account: AccountNumber
    phone: PhoneNumber | None = None


def _applicant() -> Applicant:
    return Applicant.model_validate(
        {"name": "홍길동", "rrn": RRN, "account": ACCOUNT, "phone": PHONE}
    )


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ResidentNumber(RRN), "900101-1******"),
        (ResidentNumber("9001011234568"), "900101-1******"),
        (ResidentNumber("０３０７０８－７１２３４０６"), "030708-7******"),  # foreigner, full-width
        (AccountNumber(ACCOUNT), "***-***-**6789"),
        (AccountNumber("1234567890123"), "*********0123"),
        (PhoneNumber(PHONE), "010-****-5678"),
        (PhoneNumber("01012345678"), "010-****-5678"),
        (PhoneNumber("02-123-4567"), "02-****-4567"),
        (PhoneNumber("(031) 123-4567"), "031-****-4567"),
        (PhoneNumber("+82 10-1234-5678"), "010-****-5678"),
    ],
)
def test_str_repr_and_format_are_masked(value: MaskedNumber, masked: str) -> None:
    assert value.masked() == masked
    assert str(value) == masked
    assert f"{value}" == masked
    assert f"{value:>20}" == masked.rjust(20)
    assert repr(value) == f"{type(value).__name__}('{masked}')"


@pytest.mark.parametrize(
    ("value", "clear"),
    [
        (ResidentNumber("9001011234568"), RRN),  # one normal form, hyphenated
        (ResidentNumber(f" {RRN} "), RRN),
        (AccountNumber(ACCOUNT), ACCOUNT),  # the bank's grouping is kept
        (AccountNumber("110123456789"), "110123456789"),
        (PhoneNumber("010.1234.5678"), PHONE),
        (PhoneNumber("+821012345678"), PHONE),
        (PhoneNumber("0212345678"), "02-1234-5678"),
        (PhoneNumber("0505-123-4567"), "0505-123-4567"),
    ],
)
def test_reveal_gives_the_clear_value(value: MaskedNumber, clear: str) -> None:
    assert value.reveal() == clear
    assert reveal(value) == clear
    assert reveal(clear) == clear  # a plain str passes through


@pytest.mark.parametrize(
    ("kind", "text", "personal"),
    [
        (ResidentNumber, RRN, Personal.RESIDENT_NUMBER),
        (ResidentNumber, "0307087123406", Personal.RESIDENT_NUMBER),
        (AccountNumber, ACCOUNT, Personal.ACCOUNT),
        (AccountNumber, "1234567890123", Personal.ACCOUNT),
        (PhoneNumber, PHONE, Personal.PHONE),
        (PhoneNumber, "02-123-4567", Personal.PHONE),
    ],
)
def test_masks_agree_with_the_pii_masking_of_the_same_number(
    kind: type[MaskedNumber], text: str, personal: Personal
) -> None:
    assert kind(text).masked() == mask_personal(kind(text).reveal(), personal)


def test_equal_by_digits_hashable_and_immutable() -> None:
    assert AccountNumber("110-123-456789") == AccountNumber("110123456789")
    assert ResidentNumber(RRN) == ResidentNumber("9001011234568")
    assert PhoneNumber("010 1234 5678") == PhoneNumber(PHONE)
    assert len({ResidentNumber(RRN), ResidentNumber("9001011234568")}) == 1
    assert ResidentNumber(RRN) != RRN  # not a str
    assert AccountNumber("0101234567890") != PhoneNumber("010-1234-5678")  # kinds differ
    value = ResidentNumber(RRN)
    with pytest.raises(AttributeError):
        value._clear = "000000-0000000"
    with pytest.raises(AttributeError):
        del value._clear
    assert copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301 (our own bytes)


def test_resident_number_parts() -> None:
    parts = ResidentNumber(RRN).parts
    assert (parts.birth_date, parts.sex, parts.foreign) == (date(1990, 1, 1), Sex.MALE, False)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (ResidentNumber, "990230-1234567"),  # no 30 February
        (ResidentNumber, "900101-9234567"),  # 1800s
        (ResidentNumber, "90010-11234567"),
        (AccountNumber, "110-123"),  # 6 digits
        (AccountNumber, "1234567890123456789"),  # 19 digits
        (AccountNumber, "110--123-456789"),
        (AccountNumber, "110 123 456789"),
        (AccountNumber, "계좌 110-123-456789"),
        (PhoneNumber, "1588-1234"),  # a business's representative number
        (PhoneNumber, "010-123"),
        (PhoneNumber, "+1 212 555 0100"),  # another country
        (PhoneNumber, "010-0123-4567"),  # no exchange starts with 0
    ],
)
def test_malformed_values_are_refused_without_echo(kind: type[MaskedNumber], text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a") as caught:
        kind(text)
    assert not re.search(r"[0-9]{3}", str(caught.value))


def test_a_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        ResidentNumber(9001011234568)  # type: ignore[arg-type]


# -- pydantic ------------------------------------------------------------------------------------


def test_repr_of_a_model_shows_no_digit_of_the_clear_values() -> None:
    applicant = _applicant()
    shown = repr(applicant) + str(applicant)
    # The digits each mask hides: the resident number's last six, the account's first eight,
    # the phone's middle four.
    for hidden in ("234568", "110", "12345", "1234"):
        assert hidden not in shown
    assert "900101-1******" in shown
    assert "***-***-**6789" in shown
    assert "010-****-5678" in shown


@pytest.mark.parametrize("mode", ["python", "json"])
def test_dump_is_clear_and_round_trips(mode: str) -> None:
    applicant = _applicant()
    dumped = applicant.model_dump(mode=mode)
    assert dumped == {"name": "홍길동", "rrn": RRN, "account": ACCOUNT, "phone": PHONE}
    assert Applicant.model_validate(dumped) == applicant
    again = Applicant.model_validate_json(applicant.model_dump_json())
    assert again == applicant
    assert again.rrn.reveal() == RRN


def test_an_instance_is_accepted_as_it_is() -> None:
    number = ResidentNumber(RRN)
    applicant = Applicant(name="홍길동", rrn=number, account=AccountNumber(ACCOUNT))
    assert applicant.rrn is number
    assert applicant.phone is None


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("rrn", "990230-1234567", "resident_number_invalid"),
        ("rrn", 9902301234567, "resident_number_type"),
        ("account", "110-123", "account_number_invalid"),
        ("phone", "010-0123-4567", "phone_number_invalid"),
        ("rrn", "110-123-456789", "resident_number_invalid"),  # a number in the wrong field
    ],
)
def test_validation_errors_do_not_echo_the_value(
    field: str, value: object, error_type: str
) -> None:
    data: dict[str, object] = {"name": "홍길동", "rrn": RRN, "account": ACCOUNT, field: value}
    with pytest.raises(ValidationError) as caught:
        Applicant.model_validate(data)
    error = caught.value
    for shown in (str(error), repr(error), error.json(), str(error.errors())):
        assert str(value) not in shown
        assert not re.search(r"[0-9]{3}", shown.replace("errors.pydantic.dev/2", ""))
    assert [e["type"] for e in error.errors()] == [error_type]
    assert [e["loc"] for e in error.errors()] == [(field,)]


def test_json_validation_errors_do_not_echo_the_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Applicant.model_validate_json(
            '{"name": "홍길동", "rrn": "990230-1234567", "account": "110-123-456789"}'
        )
    assert "1234567" not in str(caught.value)
    assert "1234567" not in caught.value.json()


def test_json_schema_is_a_string() -> None:
    properties = Applicant.model_json_schema()["properties"]
    assert properties["rrn"] == {"type": "string", "format": "resident-number", "title": "Rrn"}
    assert properties["account"]["type"] == "string"
    assert properties["phone"]["anyOf"][0]["type"] == "string"
    serialised = Applicant.model_json_schema(mode="serialization")["properties"]
    assert serialised["rrn"]["type"] == "string"
