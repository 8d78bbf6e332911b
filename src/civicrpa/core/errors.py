"""The one exception tree of civicrpa.

```
CivicRpaError
├─ BusinessRuleError     the record or the regulation says no: never retried, goes to review
│  ├─ InputRejected      a field is missing or malformed
│  └─ NotEligible        the rule excludes the applicant
├─ SystemFault           the machine failed: retried by policy, then escalated
│  ├─ TargetUnavailable  a municipal app is down or too slow
│  ├─ ScreenChanged      an expected element is missing
│  └─ PageNotFound       the system answered 404: no such page (a wrong address or record)
├─ StateConflict         a work item is not in a state that allows the action
├─ NotFound              a named thing (item, process, schedule) does not exist
└─ ConfigurationError    stop at start-up
```

An error carries a stable ``code`` (a key of :mod:`civicrpa.core.messages`), ``params`` that fill
the Korean template, and an optional ``field``. ``str()`` shows the code only: params may hold
personal data and are shown to a person only through :attr:`CivicRpaError.message_ko`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civicrpa.core.messages import render


class CivicRpaError(Exception):
    """A civicrpa error."""

    default_code = "error.unknown"

    def __init__(
        self,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
        *,
        field: str | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.params: dict[str, Any] = dict(params or {})
        self.field = field
        super().__init__(self.code)

    @property
    def message_ko(self) -> str:
        """The Korean sentence a civil servant reads."""
        return render(self.code, self.params)

    def __str__(self) -> str:
        return self.code if self.field is None else f"{self.code} (field={self.field})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r})"


class BusinessRuleError(CivicRpaError):
    """The record or the regulation says no. Never retried; a person reviews it."""

    default_code = "business.rejected"


class InputRejected(BusinessRuleError):
    """A field of the input is missing or malformed."""

    default_code = "input.invalid"


class NotEligible(BusinessRuleError):
    """The regulation excludes the applicant."""

    default_code = "business.not_eligible"


class SystemFault(CivicRpaError):
    """The machine failed (timeout, HTTP 500, crash). Retried by the process's policy."""

    default_code = "system.fault"


class TargetUnavailable(SystemFault):
    """A municipal application is down or too slow."""

    default_code = "system.target_unavailable"


class ScreenChanged(SystemFault):
    """An element the robot expects is missing from the screen."""

    default_code = "system.screen_changed"


class PageNotFound(SystemFault):
    """The system answered that the page does not exist (HTTP 404), which is not a changed
    screen: the address (a record's number, a system's base URL) names nothing there."""

    default_code = "browser.page_not_found"


class StateConflict(CivicRpaError):
    """A work item is not in a state that allows the requested action."""

    default_code = "queue.invalid_transition"


class NotFound(CivicRpaError):
    """A named thing (work item, process, schedule, file) does not exist."""

    default_code = "error.not_found"


class ConfigurationError(CivicRpaError):
    """The installation is misconfigured; stop at start-up."""

    default_code = "config.invalid"


__all__ = [
    "BusinessRuleError",
    "CivicRpaError",
    "ConfigurationError",
    "InputRejected",
    "NotEligible",
    "NotFound",
    "ScreenChanged",
    "StateConflict",
    "SystemFault",
    "TargetUnavailable",
]
