"""Server-side form validation with the Korean messages a municipal system shows.

Every field is checked on the server (the browser's own checks are a convenience a robot
bypasses): required, length, digits, dates in the past, amounts. A form with errors is shown
again with each message beside its field and nothing is stored. Values are never put into
messages, and the templates escape everything they display.

One way to read what was posted (:func:`posted`, :func:`form_of`: the text fields; files are
read apart) and one way to record an error (:meth:`Form.fail`: a message code and its
parameters, the first error of a field kept). The generic codes are :data:`MESSAGES`; a system
adds the wording of its own rules with :func:`add_messages` under its name
(``finance.holder_mismatch``), so that every system's messages are found the same way, by any
:class:`Form`, and no Korean sentence is written at the point of the check.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from fastapi import Request
from starlette.datastructures import FormData

from civicrpa.sandbox.common.clock import city_today

#: The generic checks' wording, common to the sandbox systems (they stand for other agencies'
#: software, not for civicrpa: their wording is theirs, not the platform's catalogue).
MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "required": "{label}을(를) 입력하십시오.",
        "too_long": "{label}은(는) {max}자 이내로 입력하십시오.",
        "too_short": "{label}은(는) {min}자 이상 입력하십시오.",
        "not_integer": "{label}은(는) 숫자로 입력하십시오.",
        "out_of_range": "{label}은(는) {min}에서 {max} 사이여야 합니다.",
        "not_date": "{label}은(는) 2025-03-31 형식의 날짜로 입력하십시오.",
        "future_date": "{label}은(는) 오늘 이후일 수 없습니다.",
        "past_date": "{label}은(는) 오늘 이전일 수 없습니다.",
        "not_digits": "{label}은(는) 숫자와 '-'만 입력할 수 있습니다.",
        "bad_length_for_bank": "{bank} 계좌번호는 {lengths}자리여야 합니다.",
        "choice": "{label}을(를) 목록에서 고르십시오.",
        "pattern": "{label}의 형식이 올바르지 않습니다.",
        "control_chars": "{label}에 사용할 수 없는 문자가 있습니다.",
        "file_required": "{label} 파일을 첨부하십시오.",
        "file_type": "{label}은(는) {types} 파일만 올릴 수 있습니다.",
        "file_too_large": "{label}은(는) {max_mb}MB 이하여야 합니다.",
        "login_failed": "아이디 또는 비밀번호가 올바르지 않습니다.",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Every code a form may fail with: the generic ones and each system's, prefixed by its name.
_CATALOGUE: dict[str, str] = dict(MESSAGES)
_lock = threading.Lock()


def add_messages(system: str, own: Mapping[str, str]) -> None:
    """Add ``system``'s own wording as ``<system>.<code>`` (its rules' errors, its notices).

    Adding the same text again is harmless (a module imported twice); another text for a code
    already there is a mistake, refused with ``ValueError`` so that no message is replaced.
    """
    added = {f"{system}.{code}": text for code, text in own.items()}
    with _lock:
        for key, text in added.items():
            if _CATALOGUE.get(key, text) != text:
                raise ValueError(f"message {key!r} is already defined with another text")
        _CATALOGUE.update(added)


def known_codes() -> frozenset[str]:
    """Every code :func:`message` knows now (tests check the systems use no other)."""
    with _lock:
        return frozenset(_CATALOGUE)


def message(code: str, **params: object) -> str:
    """The Korean text of ``code`` (generic, or ``<system>.<code>``) filled with ``params``.

    ``KeyError`` for a code nobody added: a programming mistake, not a user's.
    """
    return _CATALOGUE[code].format(**params)


@dataclass
class Form:
    """Raw values of a submitted form, the cleaned values, and the errors by field."""

    raw: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def fail(self, name: str, code: str, **params: object) -> None:
        """Record the error ``code`` beside field ``name``, unless the field has one already.

        The generic checks below use it; so does every system for the rules only it knows.
        """
        self.errors.setdefault(name, message(code, **params))

    def text(
        self,
        name: str,
        label: str,
        *,
        required: bool = True,
        max_length: int = 100,
        min_length: int = 0,
        pattern: str | None = None,
    ) -> str:
        value = self.raw.get(name, "").strip()
        if not value:
            if required:
                self.fail(name, "required", label=label)
            return ""
        if _CONTROL.search(value):
            self.fail(name, "control_chars", label=label)
        elif len(value) > max_length:
            self.fail(name, "too_long", label=label, max=max_length)
        elif len(value) < min_length:
            self.fail(name, "too_short", label=label, min=min_length)
        elif pattern is not None and re.fullmatch(pattern, value) is None:
            self.fail(name, "pattern", label=label)
        return value

    def integer(
        self,
        name: str,
        label: str,
        *,
        minimum: int = 0,
        maximum: int = 10**12,
        required: bool = True,
    ) -> int | None:
        value = self.raw.get(name, "").strip().replace(",", "")
        if not value:
            if required:
                self.fail(name, "required", label=label)
            return None
        if not re.fullmatch(r"-?\d{1,15}", value):
            self.fail(name, "not_integer", label=label)
            return None
        number = int(value)
        if not minimum <= number <= maximum:
            self.fail(name, "out_of_range", label=label, min=f"{minimum:,}", max=f"{maximum:,}")
            return None
        return number

    def day(
        self,
        name: str,
        label: str,
        *,
        required: bool = True,
        past_only: bool = False,
        future_only: bool = False,
        today: date | None = None,
    ) -> date | None:
        value = self.raw.get(name, "").strip()
        if not value:
            if required:
                self.fail(name, "required", label=label)
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.fail(name, "not_date", label=label)
            return None
        today = today or city_today()
        if past_only and parsed > today:
            self.fail(name, "future_date", label=label)
        if future_only and parsed < today:
            self.fail(name, "past_date", label=label)
        return parsed

    def choice(self, name: str, label: str, choices: dict[str, str]) -> str:
        value = self.raw.get(name, "").strip()
        if value not in choices:
            self.fail(name, "choice", label=label)
            return ""
        return value

    def digits(self, name: str, label: str, *, max_length: int = 30) -> str:
        value = self.text(name, label, max_length=max_length)
        if value and name not in self.errors and re.fullmatch(r"[0-9-]+", value) is None:
            self.fail(name, "not_digits", label=label)
        return value

    @property
    def ok(self) -> bool:
        return not self.errors


def form_of(data: FormData) -> Form:
    """A :class:`Form` over the text fields of a submission; file parts are left to be read
    from ``data`` (:func:`~civicrpa.sandbox.common.files.read_upload`). A name sent twice keeps
    its last value."""
    return Form({key: value for key, value in data.multi_items() if isinstance(value, str)})


async def posted(request: Request) -> Form:
    """The text fields the browser posted, as a :class:`Form` (see :func:`form_of`)."""
    return form_of(await request.form())


__all__ = ["MESSAGES", "Form", "add_messages", "form_of", "known_codes", "message", "posted"]
