"""The processes an installation runs, loaded from the modules named in the settings.

A process module lists what it offers in a module-level ``PROCESSES`` sequence; nothing registers
itself by being imported, so what runs is what ``CIVICRPA_PROCESS_MODULES`` names, plus the
runtime's own processes (:data:`BUILTIN_MODULE`: the nightly 파기) unless turned off.

A module that cannot be loaded is named with what is wrong: missing, a syntax error (file and
line), or an error while importing it (the file and line where it was raised); a module without
``PROCESSES`` is refused, since it would silently run nothing.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

from civicrpa.core.errors import ConfigurationError, NotFound
from civicrpa.runtime.process import Process

AnyProcess = Process[Any]
#: The runtime's own processes, loaded first unless ``builtins=False``.
BUILTIN_MODULE = "civicrpa.processes.builtin"


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


def load_registry(modules: Iterable[str], *, builtins: bool = True) -> ProcessRegistry:
    """Import each module and collect its ``PROCESSES`` (the built-in ones first)."""
    registry = ProcessRegistry()
    seen: set[int] = set()
    names = [BUILTIN_MODULE, *modules] if builtins else list(modules)
    for module_name in dict.fromkeys(names):
        module = _import(module_name)
        processes = getattr(module, "PROCESSES", None)
        if processes is None:
            raise ConfigurationError("process.module_without_processes", {"module": module_name})
        for process in processes:
            if id(process) not in seen:  # a package listing a built-in one again
                seen.add(id(process))
                registry.add(process)
    return registry


def _import(module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):  # the module itself, or its package
            raise ConfigurationError("process.module_missing", {"module": module_name}) from exc
        where = _where(exc)
        raise ConfigurationError(
            "process.module_failed", {**where, "error": f"{type(exc).__name__}: {exc}"}
        ) from exc
    except SyntaxError as exc:
        raise ConfigurationError(
            "process.module_syntax",
            {"file": exc.filename or "-", "line": exc.lineno or "-", "error": exc.msg},
        ) from exc
    except Exception as exc:  # whatever a module raises on import is named, then raised
        where = _where(exc)
        raise ConfigurationError(
            "process.module_failed", {**where, "error": f"{type(exc).__name__}: {exc}"}
        ) from exc


def _where(exc: BaseException) -> dict[str, Any]:
    """The file and line where ``exc`` was raised (the last frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return {"file": "-", "line": "-"}
    return {"file": frames[-1].filename, "line": frames[-1].lineno or "-"}


__all__ = ["BUILTIN_MODULE", "AnyProcess", "ProcessRegistry", "load_registry"]
