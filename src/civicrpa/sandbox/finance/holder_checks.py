"""What each log-in session has checked with the bank (예금주 조회) before paying.

A payment is accepted only for an account that the same session looked up, and only to the
holder the bank named. The answers live in server memory per session, like the sessions
themselves: a new log-in must check again. Every check is also written to the log table.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class CheckAnswer:
    """What the bank said about one account: its holder, or None (no such or closed account)."""

    holder: str | None


class HolderChecks:
    """Answers by session token and (bank, account digits), for the most recent sessions."""

    def __init__(self, max_sessions: int = 10_000) -> None:
        self._max = max_sessions
        self._answers: OrderedDict[str, dict[tuple[str, str], CheckAnswer]] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, token: str, bank: str, account: str, holder: str | None) -> None:
        with self._lock:
            answers = self._answers.setdefault(token, {})
            self._answers.move_to_end(token)
            answers[(bank, account)] = CheckAnswer(holder=holder)
            while len(self._answers) > self._max:
                self._answers.popitem(last=False)

    def answer(self, token: str, bank: str, account: str) -> CheckAnswer | None:
        """The bank's answer this session got for the account, or None if it never asked."""
        with self._lock:
            return self._answers.get(token, {}).get((bank, account))
