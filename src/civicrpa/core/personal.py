"""Personal numbers as values that print masked: resident, account and phone numbers.

A resident number held in a ``str`` leaks the moment someone logs the record, formats an error
or prints a model: the value has no idea what it is. :class:`ResidentNumber`,
:class:`AccountNumber` and :class:`PhoneNumber` know, and show only their masked form from
``str``, ``repr`` and ``format`` (as starlette's ``Secret`` repr is stars); the clear value
comes out only through :meth:`~MaskedNumber.reveal` (or the module's :func:`reveal`), which
makes every place that needs it (a robot filling a form field, the payload's encryption)
easy to find.

The masks are those :mod:`civicrpa.security.pii` prints for the same numbers found in text
(a test checks they agree): ``900101-1******`` (birth date and sex digit stay, as Korean
offices print them), ``***-***-**6789`` (the last 4 digits, to check against a bankbook),
``010-****-5678``.

They are pydantic v2 field types: a model validates them from a ``str`` (or takes an instance)
and dumps them **in clear** (``model_dump()``, ``model_dump(mode="json")``,
``model_dump_json()``): payloads are sealed (encrypted) before they are stored and validated
again by the robot that reads them, so the dump must round-trip. A validation error never
echoes the value: pydantic prints the input it refused, so the input is wrapped in a masked
holder before it is checked. The JSON schema is a string.

Values are immutable and hashable, and equal by their digits (``110-123-456789`` and
``110123456789`` are one account); each keeps the form it was written in for :meth:`reveal`,
except resident and phone numbers, which are put in their one normal form (``900101-1234568``,
``010-1234-5678``).
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from civicrpa.core.resident_number import (
    ResidentNumberParts,
    mask_resident_number,
    parse_resident_number,
)

#: Digits in single-hyphen groups: ``110-123-456789``, ``110123456789``.
_ACCOUNT: Final = re.compile(r"[0-9]+(?:-[0-9]+)*")
#: Korean account numbers have 10 to 16 digits (the search keys' plausible range too).
ACCOUNT_DIGITS: Final = range(10, 17)
#: Area codes: mobiles 010/011/016-019, 02 Seoul, 031-064 regions, 050x personal numbers,
#: 070 internet telephony, 080 free calls.
_AREA: Final = r"01[016789]|02|0[3-6][1-5]|050[2-8]|070|080"
_PHONE: Final = re.compile(rf"(?P<area>{_AREA})(?P<middle>[1-9][0-9]{{2,3}})(?P<last>[0-9]{{4}})")
#: What may separate a phone number's parts as people write them.
_PHONE_SEPARATORS: Final = re.compile(r"[\s\-.()]+")


class MaskedNumber(ABC):
    """A personal number that prints masked; base of the three kinds. Compare, hash, reveal."""

    __slots__ = ("_clear", "_digits")
    #: Pydantic's error type and the JSON schema's format (``resident_number``).
    kind: ClassVar[str] = "personal_number"
    #: What the value is, for the error message (English: logs and developers read it).
    description: ClassVar[str] = "a personal number"

    _clear: str
    _digits: str

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"{type(self).__name__} takes a str, not {type(text).__name__}")
        clear = self._normalise(unicodedata.normalize("NFKC", text).strip())
        if clear is None:
            # The value is not in the message: it may be a real number typed in a wrong field.
            raise ValueError(f"not {self.description}")
        object.__setattr__(self, "_clear", clear)
        object.__setattr__(self, "_digits", re.sub(r"[^0-9]", "", clear))

    @classmethod
    @abstractmethod
    def _normalise(cls, text: str) -> str | None:
        """The clear value's kept form, or None when ``text`` is not one (NFKC'd, stripped)."""

    def reveal(self) -> str:
        """The clear value: for a form field that needs it, or the sealed payload. Nowhere else."""
        return self._clear

    @abstractmethod
    def masked(self) -> str:
        """The value as it may be shown anywhere."""

    @property
    def digits(self) -> str:
        """The digits only; careful, this is the clear value too."""
        return self._digits

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self.masked()}')"

    def __format__(self, format_spec: str) -> str:
        return format(self.masked(), format_spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MaskedNumber) or type(other) is not type(self):
            return NotImplemented
        return self._digits == other._digits

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._digits))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[type[MaskedNumber], tuple[str]]:
        # copy, deepcopy and pickle rebuild through __init__ (object's way would setattr).
        return (type(self), (self._clear,))

    # -- pydantic -------------------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Two steps, so that what pydantic shows as the refused input is the masked holder.
        return core_schema.chain_schema(
            [
                core_schema.no_info_plain_validator_function(_Unchecked),
                core_schema.no_info_plain_validator_function(cls._from_unchecked),
            ],
            serialization=core_schema.plain_serializer_function_ser_schema(
                _reveal_for_dump, return_schema=core_schema.str_schema(), when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": cls.kind.replace("_", "-")}

    @classmethod
    def _from_unchecked(cls, held: _Unchecked) -> MaskedNumber:
        value = held.value
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise PydanticCustomError(f"{cls.kind}_type", "Input should be text")
        try:
            return cls(value)
        except ValueError:
            raise PydanticCustomError(
                f"{cls.kind}_invalid",
                "Input is not {description}",
                {"description": cls.description},
            ) from None


class ResidentNumber(MaskedNumber):
    """주민등록번호 (and 외국인등록번호): ``900101-1234568``, shown ``900101-1******``.

    Read with :func:`~civicrpa.core.resident_number.parse_resident_number` (13 digits, sex
    digit 1-8, a real birth date; the check digit is not required).
    """

    __slots__ = ()
    kind = "resident_number"
    description = "a resident registration number"

    @classmethod
    def _normalise(cls, text: str) -> str | None:
        parts = parse_resident_number(text)
        return None if parts is None else parts.number

    @property
    def parts(self) -> ResidentNumberParts:
        """Birth date, sex, foreign or not (``repr`` of the parts shows no number either)."""
        parts = parse_resident_number(self._clear)
        assert parts is not None  # checked when made
        return parts

    def masked(self) -> str:
        return mask_resident_number(self._clear)


class AccountNumber(MaskedNumber):
    """계좌번호: digits in hyphen-joined groups, 10 to 16 digits; shown ``***-***-**6789``.

    The grouping is the bank's and is kept as written; the length per bank is the finance
    system's rule, not checked here.
    """

    __slots__ = ()
    kind = "account_number"
    description = "a bank account number"

    @classmethod
    def _normalise(cls, text: str) -> str | None:
        if _ACCOUNT.fullmatch(text) is None:
            return None
        return text if len(text.replace("-", "")) in ACCOUNT_DIGITS else None

    def masked(self) -> str:
        to_hide = len(self._digits) - 4
        out: list[str] = []
        for ch in self._clear:
            if ch.isdigit() and to_hide > 0:
                out.append("*")
                to_hide -= 1
            else:
                out.append(ch)
        return "".join(out)


class PhoneNumber(MaskedNumber):
    """전화번호 in Korea: ``010-1234-5678``, ``02-123-4567``; shown ``010-****-5678``.

    Accepts hyphens, spaces, dots and brackets between the parts and ``+82`` for the leading 0
    (``+82 10-1234-5678``); kept in the form ``area-middle-last``. Representative numbers
    (``1588-1234``) belong to businesses, not people, and are refused.
    """

    __slots__ = ()
    kind = "phone_number"
    description = "a Korean phone number"

    @classmethod
    def _normalise(cls, text: str) -> str | None:
        compact = _PHONE_SEPARATORS.sub("", text)
        if compact.startswith("+82"):
            compact = compact[3:]
            compact = compact if compact.startswith("0") else "0" + compact
        found = _PHONE.fullmatch(compact)
        if found is None:
            return None
        return f"{found['area']}-{found['middle']}-{found['last']}"

    def masked(self) -> str:
        area, _, last = self._clear.split("-")
        return f"{area}-****-{last}"  # four stars whatever the middle's length, as pii prints


class _Unchecked:
    """An input on its way to be checked: what pydantic echoes in an error, masked."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "'***'"


def _reveal_for_dump(value: MaskedNumber) -> str:
    return value.reveal()


def reveal(value: str | MaskedNumber) -> str:
    """The clear text of ``value``, whether it is still a plain ``str`` or a masked number."""
    return value if isinstance(value, str) else value.reveal()


__all__ = [
    "ACCOUNT_DIGITS",
    "AccountNumber",
    "MaskedNumber",
    "PhoneNumber",
    "ResidentNumber",
    "reveal",
]
