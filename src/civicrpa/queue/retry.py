"""When a system exception is retried: a per-process policy that returns a decision.

Business exceptions are never retried (the item is wrong; trying again changes nothing).
System exceptions are retried with exponential backoff until ``max_attempts`` attempts have run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from civicrpa.core.errors import BusinessRuleError, ConfigurationError


@dataclass(frozen=True, kw_only=True)
class RetryDecision:
    """Retry at ``retry_at``, or give up when it is ``None``."""

    retry_at: datetime | None

    @property
    def should_retry(self) -> bool:
        return self.retry_at is not None


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Exponential backoff: ``base * factor**(attempt-1)``, capped, with optional jitter."""

    #: Attempts in all, the first included (3 = one try and two retries).
    max_attempts: int = 3
    base: timedelta = timedelta(seconds=10)
    factor: float = 2.0
    cap: timedelta = timedelta(minutes=30)
    #: Fraction of the delay added at random, so that robots failing together do not retry together.
    jitter: float = 0.1
    #: Attempts beyond ``max_attempts`` for an item whose irreversible effect already happened
    #: (the payment left; what remains is bookkeeping in other systems): such an item is never
    #: failed or abandoned, it is finished by these attempts or handed to a person.
    settle_attempts: int = 3

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.settle_attempts < 0:
            raise ValueError("settle_attempts must not be negative")
        if self.factor < 1 or not 0 <= self.jitter <= 1:
            raise ValueError("factor must be >= 1 and jitter within [0, 1]")

    def delay(self, attempt: int) -> timedelta:
        """The wait after failed attempt number ``attempt`` (1-based), before jitter."""
        seconds = self.base.total_seconds() * self.factor ** max(attempt - 1, 0)
        return min(timedelta(seconds=seconds), self.cap)

    def decide(
        self, *, attempt: int, error: BaseException, now: datetime, settling: bool = False
    ) -> RetryDecision:
        """Whether the item that failed its ``attempt``-th try with ``error`` runs again, and when.

        ``settling``: the item's effect already happened, so it may use ``settle_attempts``
        more attempts to finish (a configuration error is still not retried).
        """
        if isinstance(error, BusinessRuleError | ConfigurationError):
            return RetryDecision(retry_at=None)
        if attempt >= self.max_attempts + (self.settle_attempts if settling else 0):
            return RetryDecision(retry_at=None)
        wait = self.delay(min(attempt, self.max_attempts))
        if self.jitter:
            wait += wait * random.uniform(0, self.jitter)
        return RetryDecision(retry_at=now + wait)
