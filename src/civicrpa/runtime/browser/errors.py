"""Playwright's exceptions translated where they enter, as civicrpa's system faults.

A robot's handler never sees a Playwright exception: a page that does not load becomes
:class:`TargetUnavailable`, an element that never appears :class:`ScreenChanged`, each naming
the system and the step. Playwright's own text can quote what was typed into a field (a resident
number), so the detail kept is its first line, masked, and the original stays only as the cause.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from civicrpa.core.errors import ScreenChanged, SystemFault, TargetUnavailable
from civicrpa.security.pii import mask_text

#: Fragments of Playwright messages that mean the page or the network went away, not the screen.
_GONE = (
    "net::ERR_",
    "Target page, context or browser has been closed",
    "Navigation failed because page",
    "frame was detached",
    "Execution context was destroyed",
)
_DETAIL_MAX = 160


class TransientPageError(SystemFault):
    """A page failed in a way that trying the same step again may fix (stale page, 5xx, log-out).

    Raised inside a step; :meth:`civicrpa.runtime.browser.screen.Screen.attempt` retries it and
    turns it into a :class:`TargetUnavailable` when the attempts are spent.
    """

    default_code = "browser.unreachable"


class SessionExpired(TransientPageError):
    """The system sent the robot back to its log-in page; the robot logged in again."""

    default_code = "browser.session_expired"


def short_detail(exc: BaseException) -> str:
    """First line of a Playwright message, masked and cut: safe for a work item's record."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return mask_text(first)[:_DETAIL_MAX]


@contextmanager
def translated(system: str, step: str) -> Iterator[None]:
    """Turn Playwright exceptions raised inside into civicrpa faults naming ``system``/``step``."""
    try:
        yield
    except PlaywrightTimeoutError as exc:
        raise ScreenChanged(
            "browser.element_missing",
            {"system": system, "step": step, "detail": short_detail(exc)},
        ) from exc
    except PlaywrightError as exc:
        params = {"system": system, "step": step, "detail": short_detail(exc)}
        if any(fragment in str(exc) for fragment in _GONE):
            raise TransientPageError("browser.unreachable", params) from exc
        raise ScreenChanged("browser.element_missing", params) from exc


__all__ = [
    "SessionExpired",
    "TargetUnavailable",
    "TransientPageError",
    "short_detail",
    "translated",
]
