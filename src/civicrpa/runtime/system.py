"""What the runtime knows of a municipal system a robot works in: its id, title and log-in.

A process lists the systems it works in (``Process.systems``); the runtime checks before the
first item that each has an address (``CIVICRPA_SYSTEM_URLS``) and a stored robot log-in
(:mod:`civicrpa.runtime.preflight`), and a browser session logs in to each with the system's own
:class:`~civicrpa.runtime.browser.login.Login` (the sandbox's form today; a city's SSO or
certificate log-in later). The instances live with the robot-side adapters, in
:mod:`civicrpa.systems`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from civicrpa.core.messages import CATALOGUE

if TYPE_CHECKING:
    from civicrpa.runtime.browser.login import Login


@dataclass(frozen=True)
class System:
    """A municipal system robots log in to."""

    #: Its id in settings (``CIVICRPA_SYSTEM_URLS``), stored log-ins and messages.
    id: str
    #: How a robot logs in there; ``None``: the usual form (아이디, 비밀번호, 로그인).
    login: Login | None = None

    @property
    def title_ko(self) -> str:
        """The name officials call it by (``system.title.<id>`` in the catalogue)."""
        return title_ko(self.id)


def title_ko(system: str) -> str:
    """The Korean title of the system ``system`` (its id when the catalogue has none)."""
    return CATALOGUE.get(f"system.title.{system}", system)


__all__ = ["System", "title_ko"]
