"""Outcomes a process handler signals by raising, besides success and errors.

They are not errors: postponing an item until a document arrives, or asking a person to decide,
is a normal end of an attempt. :class:`~civicrpa.core.errors.BusinessRuleError` and
:class:`~civicrpa.core.errors.SystemFault` cover the two kinds of failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


class Postpone(Exception):
    """Put the item off until ``until`` (e.g. the applicant has 14 days to send a document)."""

    def __init__(self, until: datetime, code: str, params: Mapping[str, Any] | None = None) -> None:
        if until.tzinfo is None:
            raise ValueError("Postpone needs an aware datetime")
        self.until = until
        self.code = code
        self.params = dict(params or {})
        super().__init__(code)


class AskReview(Exception):
    """Stop and hand the item to a department reviewer, with the reason they will read."""

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        self.code = code
        self.params = dict(params or {})
        super().__init__(code)


class StopRequested(Exception):
    """Raised at a step boundary when the runner is stopping: the item is released, not failed."""


__all__ = ["AskReview", "Postpone", "StopRequested"]
