"""Before the first item: is everything a process needs configured?

A missing system address or robot log-in found inside an item fails that item, and the next,
until the whole queue has ended ``failed`` for one setting. So a runner checks first, once, and
stops with one Korean sentence naming every missing piece: each system a process logs in to
(``Process.systems``) needs an address (``CIVICRPA_SYSTEM_URLS``) and a stored log-in
(``civicrpa credentials set``), and the process's own settings must load (a tables file that does
not parse is named with its place, :mod:`civicrpa.runtime.settings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from civicrpa.config import Settings
from civicrpa.core.errors import CivicRpaError, ConfigurationError, NotFound
from civicrpa.runtime.settings import ProcessSettings, load_process_settings
from civicrpa.security.credentials import CredentialStore

if TYPE_CHECKING:
    from civicrpa.runtime.process import Process


def problems(
    processes: Iterable[Process[Any]], settings: Settings, credentials: CredentialStore
) -> tuple[list[str], dict[str, ProcessSettings]]:
    """What is missing for ``processes``, as short Korean phrases (empty: ready), and the
    settings of each process that loaded."""
    found: list[str] = []
    loaded: dict[str, ProcessSettings] = {}
    seen: set[str] = set()
    for process in processes:
        for system in process.systems:
            if system.id in seen:
                continue
            seen.add(system.id)
            name = system.title_ko
            if not settings.system_urls.get(system.id):
                found.append(f"'{name}' 시스템 주소(CIVICRPA_SYSTEM_URLS의 {system.id}=...)")
            try:
                credentials.get(system.id)
            except NotFound:
                found.append(f"'{name}' 로봇 계정(civicrpa credentials set {system.id})")
        try:
            loaded[process.name] = load_process_settings(process, settings)
        except CivicRpaError as exc:
            found.append(f"{process.title_ko}: {exc.message_ko}")
    return found, loaded


def preflight(
    processes: Iterable[Process[Any]], settings: Settings, credentials: CredentialStore
) -> dict[str, ProcessSettings]:
    """Each process's settings; one :class:`ConfigurationError` naming everything missing,
    before any item."""
    missing, loaded = problems(processes, settings, credentials)
    if missing:
        raise ConfigurationError("runtime.not_ready", {"missing": "; ".join(missing)})
    return loaded


__all__ = ["preflight", "problems"]
