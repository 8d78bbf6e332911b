"""Server-side form validation with the Korean messages a municipal system shows.

Every field is checked on the server (the browser's own checks are a convenience a robot
bypasses): required, length, digits, dates in the past, amounts. A form with errors is shown
again with each message beside its field and nothing is stored. Values are never put into
messages, and the templates escape everything they display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from civicrpa.sandbox.common.clock import city_today

#: The sandbox systems' own wording (they stand for other agencies' software).
MESSAGES = {
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
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Form:
    """Raw values of a submitted form, the cleaned values, and the errors by field."""

    raw: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def _error(self, name: str, code: str, **params: object) -> None:
        self.errors.setdefault(name, MESSAGES[code].format(**params))

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
                self._error(name, "required", label=label)
            return ""
        if _CONTROL.search(value):
            self._error(name, "control_chars", label=label)
        elif len(value) > max_length:
            self._error(name, "too_long", label=label, max=max_length)
        elif len(value) < min_length:
            self._error(name, "too_short", label=label, min=min_length)
        elif pattern is not None and re.fullmatch(pattern, value) is None:
            self._error(name, "pattern", label=label)
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
                self._error(name, "required", label=label)
            return None
        if not re.fullmatch(r"-?\d{1,15}", value):
            self._error(name, "not_integer", label=label)
            return None
        number = int(value)
        if not minimum <= number <= maximum:
            self._error(name, "out_of_range", label=label, min=f"{minimum:,}", max=f"{maximum:,}")
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
                self._error(name, "required", label=label)
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self._error(name, "not_date", label=label)
            return None
        today = today or city_today()
        if past_only and parsed > today:
            self._error(name, "future_date", label=label)
        if future_only and parsed < today:
            self._error(name, "past_date", label=label)
        return parsed

    def choice(self, name: str, label: str, choices: dict[str, str]) -> str:
        value = self.raw.get(name, "").strip()
        if value not in choices:
            self._error(name, "choice", label=label)
            return ""
        return value

    def digits(self, name: str, label: str, *, max_length: int = 30) -> str:
        value = self.text(name, label, max_length=max_length)
        if value and name not in self.errors and re.fullmatch(r"[0-9-]+", value) is None:
            self._error(name, "not_digits", label=label)
        return value

    def fail(self, name: str, code: str, **params: object) -> None:
        """Record an error found by a rule of the system itself."""
        self._error(name, code, **params)

    @property
    def ok(self) -> bool:
        return not self.errors
