"""The processes an installation runs, loaded from the modules named in the settings.

A process module lists what it offers in a module-level ``PROCESSES`` sequence; nothing registers
itself by being imported, so what runs is exactly what ``CIVICRPA_PROCESS_MODULES`` names.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

from civicrpa.core.errors import ConfigurationError, NotFound
from civicrpa.runtime.process import Process

AnyProcess = Process[Any]


class ProcessRegistry:
    """Processes by name and by queue."""

    def __init__(self, processes: Iterable[AnyProcess] = ()) -> None:
        self._by_name: dict[str, AnyProcess] = {}
        self._by_queue: dict[str, AnyProcess] = {}
        for process in processes:
            self.add(process)

    def add(self, process: AnyProcess) -> None:
        if process.name in self._by_name:
            raise ConfigurationError(
                "config.invalid", {"detail": f"process {process.name} registered twice"}
            )
        if process.queue in self._by_queue:
            raise ConfigurationError(
                "config.invalid", {"detail": f"queue {process.queue} has two processes"}
            )
        self._by_name[process.name] = process
        self._by_queue[process.queue] = process

    def get(self, name: str) -> AnyProcess:
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name)) or "-"
            raise NotFound("process.unknown", {"name": name, "known": known}) from None

    def for_queue(self, queue: str) -> AnyProcess:
        try:
            return self._by_queue[queue]
        except KeyError:
            raise NotFound("queue.unknown_queue", {"queue": queue}) from None

    def select(self, names: Iterable[str] = ()) -> list[AnyProcess]:
        """The named processes, or all of them when ``names`` is empty."""
        wanted = list(names)
        return [self.get(name) for name in wanted] if wanted else list(self)

    def __iter__(self) -> Iterator[AnyProcess]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)


def load_registry(modules: Iterable[str]) -> ProcessRegistry:
    """Import each module and collect its ``PROCESSES``."""
    registry = ProcessRegistry()
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigurationError("process.module_missing", {"module": module_name}) from exc
        for process in getattr(module, "PROCESSES", ()):
            registry.add(process)
    return registry


__all__ = ["AnyProcess", "ProcessRegistry", "load_registry"]
