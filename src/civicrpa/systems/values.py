"""Personal values as robots type them into a system: in clear, only at the keyboard.

Payloads carry resident and account numbers as masked types (:mod:`civicrpa.core.personal`:
``repr`` and ``str`` show stars); an adapter reveals one only to fill the field that needs it.
"""

from __future__ import annotations

from typing import Protocol


class Revealable(Protocol):
    """A masked personal value (``ResidentNumber``, ``AccountNumber``, ``PhoneNumber``)."""

    def reveal(self) -> str: ...


def clear(value: Revealable | str) -> str:
    """The clear text of ``value`` for a form field."""
    return value if isinstance(value, str) else value.reveal()


__all__ = ["Revealable", "clear"]
