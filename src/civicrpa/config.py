"""Settings: the only reader of the environment.

Every value comes from a ``CIVICRPA_*`` variable (or a ``.env`` file) and has an embedded default:
SQLite in ``./var``, in-process runners, JSON logs. :func:`load_settings` is called by the CLI and
the console factory, which pass the object down; nothing reads the environment at import time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from civicrpa.core.errors import ConfigurationError

Environment = Literal["development", "test", "production"]


class Settings(BaseSettings):
    """Installation settings. See the README's configuration table for each variable."""

    model_config = SettingsConfigDict(
        env_prefix="CIVICRPA_", env_file=".env", extra="ignore", frozen=True
    )

    #: Where the embedded database, logs and artifacts live.
    data_dir: Path = Path("var")
    #: SQLAlchemy URL; empty means SQLite at ``data_dir/civicrpa.db``.
    database_url: str = ""
    #: ``development`` allows default secrets; ``production`` refuses them.
    environment: Environment = "development"
    #: SQLite ``synchronous`` pragma in WAL mode. NORMAL survives any process crash (a killed
    #: robot loses nothing committed); FULL also survives a power cut at about 1 fsync per commit.
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    #: Python modules that register processes when imported.
    process_modules: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["civicrpa.processes"]
    )
    #: Robot workers started by ``civicrpa run`` and ``civicrpa worker``.
    workers: int = Field(default=2, ge=1, le=64)
    #: Seconds a worker waits between claims when its queues are empty.
    idle_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    #: Seconds a stopping worker may spend finishing its current item before it is killed.
    stop_grace_seconds: float = Field(default=30.0, ge=0)
    #: ``json`` (one object a line) or ``console`` (for a person at a terminal).
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: Extra days the city hall is closed (e.g. a city foundation day), ``YYYY-MM-DD``.
    extra_holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)
    #: Key ring file (AES-256-GCM data keys and the blind-index key); default
    #: ``<data dir>/keys/keyring.json``, created on first use outside production.
    keyring_path: Path | None = None
    #: The key ring itself as JSON (for containers), instead of a file.
    keyring: SecretStr | None = None
    #: Token of the sandbox systems' ground-truth endpoints (tests, benchmarks); random if unset.
    sandbox_truth_token: SecretStr | None = None
    #: Days that are business days although the national calendar says holiday.
    extra_business_days: Annotated[list[date], NoDecode] = Field(default_factory=list)

    @field_validator("process_modules", "extra_holidays", "extra_business_days", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL, with the embedded SQLite default filled in."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'civicrpa.db').resolve()}"

    @property
    def artifacts_dir(self) -> Path:
        """Content-addressed store of screenshots, traces and files attached to runs."""
        return self.data_dir / "artifacts"

    @property
    def logs_dir(self) -> Path:
        """JSON log files, one per worker process."""
        return self.data_dir / "logs"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment plus ``overrides``; mistakes become one clear error."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        detail = "; ".join(
            f"CIVICRPA_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError("config.invalid", {"detail": detail}) from exc


__all__ = ["Environment", "Settings", "load_settings"]
