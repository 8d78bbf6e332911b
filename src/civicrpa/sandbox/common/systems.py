"""The sandbox's list of systems, kept once: their names, where each is built, its port.

Every system is a package ``civicrpa.sandbox.<name>`` whose ``system`` module holds its
:class:`~civicrpa.sandbox.common.app.SystemSpec` as ``SPEC``; its default loopback port follows
from its place in :data:`SYSTEM_NAMES`. A new system is one more name here, nothing else.

A system that cannot be imported because a module it needs is not installed (an optional
dependency left out, a package not built) is an error naming the system and the module, never a
system silently missing from ``civicrpa sandbox up`` or the demo. This module imports no web
framework, so the command line can check a name without loading one.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from civicrpa.core.errors import ConfigurationError

if TYPE_CHECKING:
    from civicrpa.sandbox.common.app import SystemSpec

#: Every sandbox system, in the order of the issue (their ports follow this order).
SYSTEM_NAMES: tuple[str, ...] = (
    "intake",
    "resident_registry",
    "finance",
    "hr_attendance",
    "homepage_cms",
    "library",
)
#: The first system's default port; the next ones take the ports after it.
FIRST_PORT = 8101
#: Default loopback ports, one per system.
DEFAULT_PORTS: dict[str, int] = {name: FIRST_PORT + i for i, name in enumerate(SYSTEM_NAMES)}


class SystemUnavailable(ConfigurationError):
    """A sandbox system cannot be loaded: a module it needs is not installed.

    ``missing`` maps each such system to the module it could not import. Unlike other civicrpa
    errors ``str()`` names them: they are module names, never personal data.
    """

    def __init__(self, missing: Mapping[str, str]) -> None:
        self.missing = dict(missing)
        needs = ", ".join(f"{system}({module})" for system, module in self.missing.items())
        super().__init__("sandbox.system_unavailable", {"needs": needs})

    def _detail(self) -> str:
        needs = "; ".join(f"{system} needs {module!r}" for system, module in self.missing.items())
        return f"sandbox systems cannot be loaded ({needs}): not installed"

    def __str__(self) -> str:
        return self._detail()


def module_of(name: str) -> str:
    """The module holding system ``name``'s ``SPEC``; ``KeyError`` for a name not in the list."""
    if name not in SYSTEM_NAMES:
        raise KeyError(name)
    return f"civicrpa.sandbox.{name}.system"


def load_spec(name: str) -> SystemSpec:
    """System ``name``'s spec, imported; :class:`SystemUnavailable` when a module is missing."""
    try:
        module = importlib.import_module(module_of(name))
    except ModuleNotFoundError as exc:
        raise SystemUnavailable({name: exc.name or str(exc)}) from exc
    spec: SystemSpec = module.SPEC
    return spec


def check_systems(names: tuple[str, ...] | list[str] = SYSTEM_NAMES) -> list[str]:
    """``names`` once every one of them imports; one :class:`SystemUnavailable` for all that fail."""
    missing: dict[str, str] = {}
    first: SystemUnavailable | None = None
    for name in names:
        try:
            load_spec(name)
        except SystemUnavailable as exc:
            missing.update(exc.missing)
            first = first or exc
    if first is not None:
        raise SystemUnavailable(missing) from first.__cause__
    return list(names)


__all__ = [
    "DEFAULT_PORTS",
    "FIRST_PORT",
    "SYSTEM_NAMES",
    "SystemUnavailable",
    "check_systems",
    "load_spec",
    "module_of",
]
