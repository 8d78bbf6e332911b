"""Settings: the only reader of the environment.

Every value comes from a ``CIVICRPA_*`` variable (or a ``.env`` file) and has an embedded default:
SQLite in ``./var``, in-process runners, JSON logs. :func:`load_settings` is called by the CLI and
the console factory, which pass the object down; nothing reads the environment at import time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

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
    #: Load the runtime's own processes (the nightly 파기 of expired personal data) whatever
    #: :attr:`process_modules` says; turn off only where another installation runs them.
    builtin_processes: bool = True
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
    #: File ``civicrpa audit anchor`` appends the audit chain's head to (JSON lines) and
    #: ``audit verify`` reads back; keep it where the database's writer cannot write (another
    #: disk, account or host mount). Unset: ``<data dir>/audit/anchors.jsonl`` when no
    #: :attr:`audit_anchor_command` is set, which production refuses (beside the database).
    audit_anchor_path: Path | None = None
    #: Command that receives each anchor as one JSON line on its standard input (a WORM store,
    #: another host: ``ssh audit@vault 'cat >> anchors.jsonl'``); split like a shell line and
    #: run without a shell. With it alone, ``audit verify`` checks a copy given by
    #: ``--anchor-file``.
    audit_anchor_command: str | None = None
    #: Token of the sandbox systems' ground-truth endpoints (tests, benchmarks); random if unset.
    sandbox_truth_token: SecretStr | None = None
    #: Chromium the robots drive (Debian's ``chromium``); empty means look it up on ``PATH``.
    chromium_path: Path | None = None
    #: Robots' browsers run without a window; ``false`` shows them (debugging on a desktop).
    browser_headless: bool = True
    #: Milliseconds a robot waits for a page element before it calls the screen changed.
    browser_timeout_ms: int = Field(default=10_000, ge=100, le=300_000)
    #: Slows every browser action by this many milliseconds (watching a robot work).
    browser_slow_mo_ms: int = Field(default=0, ge=0, le=10_000)
    #: Record a Playwright trace of every item and keep it (encrypted) when the item fails.
    browser_trace: bool = True
    #: Include DOM snapshots in the trace (the page as it was at each action): a richer trace
    #: for debugging, at about half again the cost of every browser action.
    browser_trace_snapshots: bool = False
    #: Base URLs of the municipal systems robots log in to, ``name=url`` separated by commas
    #: (``intake=http://127.0.0.1:8101,...``); empty means the local sandbox's default ports.
    system_urls: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    #: The day processes judge by (residence periods, deadlines, instalment due dates); empty
    #: means today in Korea. The demo sets the sandbox's day, on which its synthetic city stands.
    process_date: date | None = None
    #: Days that are business days although the national calendar says holiday.
    extra_business_days: Annotated[list[date], NoDecode] = Field(default_factory=list)
    #: Each process's own settings given in code, by process name (tests, an installation that
    #: assembles its settings itself); otherwise they come from ``CIVICRPA_<PREFIX>_*``
    #: (:mod:`civicrpa.runtime.settings`).
    process_settings: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("process_modules", "extra_holidays", "extra_business_days", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("system_urls", mode="before")
    @classmethod
    def _split_pairs(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = (part.split("=", 1) for part in value.split(",") if part.strip())
            return {name.strip(): url.strip().rstrip("/") for name, url in pairs}
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
