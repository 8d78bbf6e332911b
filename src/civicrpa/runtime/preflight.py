"""Before the first item: is everything a process needs configured?

A missing system address or robot log-in found inside an item fails that item, and the next,
until the whole queue has ended ``failed`` for one setting. So a runner checks first, once, and
stops with one Korean sentence naming every missing piece: each system a process logs in to
(``Process.systems``) needs an address (``CIVICRPA_SYSTEM_URLS``) and a stored log-in
(``civicrpa credentials set``), and the process's own settings must pass its ``check`` (a tables
file that does not parse is named with its place).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from civicrpa.config import Settings
from civicrpa.core.errors import CivicRpaError, ConfigurationError, NotFound
from civicrpa.security.credentials import CredentialStore
from civicrpa.systems import title_ko


def problems(
    processes: Iterable[Any], settings: Settings, credentials: CredentialStore
) -> list[str]:
    """What is missing for ``processes``, as short Korean phrases (empty: ready)."""
    found: list[str] = []
    seen: set[str] = set()
    for process in processes:
        for system in process.systems:
            if system in seen:
                continue
            seen.add(system)
            name = title_ko(system)
            if not settings.system_urls.get(system):
                found.append(f"'{name}' 시스템 주소(CIVICRPA_SYSTEM_URLS의 {system}=...)")
            try:
                credentials.get(system)
            except NotFound:
                found.append(f"'{name}' 로봇 계정(civicrpa credentials set {system})")
        if process.check is not None:
            try:
                process.check(settings)
            except CivicRpaError as exc:
                found.append(f"{process.title_ko}: {exc.message_ko}")
    return found


def preflight(processes: Iterable[Any], settings: Settings, credentials: CredentialStore) -> None:
    """Raise one :class:`ConfigurationError` naming everything missing, before any item."""
    missing = problems(processes, settings, credentials)
    if missing:
        raise ConfigurationError("runtime.not_ready", {"missing": "; ".join(missing)})


__all__ = ["preflight", "problems"]
