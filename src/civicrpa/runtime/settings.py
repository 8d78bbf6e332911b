"""A process's own settings: a pydantic-settings model read once, before the first item.

Each process that has settings declares a model::

    class OvertimeSettings(ProcessSettings):
        #: Monthly cap of recognised hours (U: the city's 복무 조례).
        monthly_cap_hours: int = Field(default=57, ge=0, le=100)

    PROCESS = Process(name="overtime_pay", settings=OvertimeSettings, ...)

Its values come from ``CIVICRPA_<PREFIX>_<FIELD>`` (``CIVICRPA_OVERTIME_PAY_MONTHLY_CAP_HOURS``;
the prefix is ``Process.prefix``), a ``.env`` file, or for a test or an installation that
assembles its settings in code, ``Settings.process_settings[<process name>]``. A model may load
what its fields name (a tables file) in a validator: a mistake there stops the robots before the
first item with a Korean sentence naming the variable and the place
(:func:`load_process_settings`), instead of failing every item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from civicrpa.core.errors import ConfigurationError

if TYPE_CHECKING:
    from civicrpa.config import Settings
    from civicrpa.runtime.process import Process


class ProcessSettings(BaseSettings):
    """Base of every process's settings (a process without any uses it as is, empty)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)


def env_prefix(process: Process[Any]) -> str:
    """``CIVICRPA_<PREFIX>_``: where the process's settings are read from."""
    return f"CIVICRPA_{process.prefix.upper()}_"


def load_process_settings(process: Process[Any], settings: Settings) -> ProcessSettings:
    """The process's settings, validated; a mistake is one :class:`ConfigurationError`."""
    overrides = dict(settings.process_settings.get(process.name, {}))
    prefix = env_prefix(process)
    try:
        return process.settings(_env_prefix=prefix, **overrides)
    except ValidationError as exc:
        detail = "; ".join(
            f"{prefix}{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError("config.invalid", {"detail": detail}) from exc


__all__ = ["ProcessSettings", "env_prefix", "load_process_settings"]
