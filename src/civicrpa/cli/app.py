"""Assembly for the command line: settings, database, store and processes, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import structlog
from sqlalchemy import Engine

from civicrpa.config import Settings, load_settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.logs import configure_logging
from civicrpa.runtime.registry import ProcessRegistry, load_registry
from civicrpa.security.identities import os_account, resolve_person
from civicrpa.security.keys import load_cipher
from civicrpa.security.rbac import AccessDenied, Identity, Permission, authorize


@dataclass
class CliApp:
    """What every command needs, created lazily so that ``--help`` touches nothing."""

    settings: Settings = field(default_factory=load_settings)

    def __post_init__(self) -> None:
        configure_logging(
            level=self.settings.log_level, log_file=self.settings.logs_dir / "civicrpa.jsonl"
        )

    @cached_property
    def engine(self) -> Engine:
        return create_engine_for(
            self.settings.resolved_database_url,
            sqlite_synchronous=self.settings.sqlite_synchronous,
        )

    @cached_property
    def migrated_engine(self) -> Engine:
        """The engine, once the schema is known to be at the newest revision."""
        current = migrate.current_revision(self.engine)
        if current != migrate.head_revision(self.engine):
            raise ConfigurationError("config.database_not_migrated", {"current": current or "-"})
        return self.engine

    @cached_property
    def store(self) -> QueueStore:
        return QueueStore(self.migrated_engine, sealer=self.sealer)

    @cached_property
    def sealer(self) -> PayloadSealer:
        return PayloadSealer(load_cipher(self.settings))

    @cached_property
    def username(self) -> str:
        """The person at the terminal: the OS account of this process's real user id (never
        ``LOGNAME``/``USER``, which anyone can set; see ``security.identities.os_account``)."""
        return os_account()

    @property
    def actor(self) -> str:
        """The person at the terminal, as the audit trail names them."""
        return f"person:{self.username}"

    @cached_property
    def identity(self) -> Identity:
        """Who the person at the terminal is, resolved once (see ``security.identities``)."""
        return resolve_person(self.engine, self.username, self.settings)

    def require(self, *permissions: Permission) -> Identity:
        """The person's identity if it holds every one of ``permissions``; else AccessDenied."""
        try:
            identity = self.identity
            for permission in permissions:
                authorize(identity, permission)
        except AccessDenied as exc:
            structlog.get_logger().warning(
                "security.access_denied",
                actor=self.actor,
                permissions=[p.value for p in permissions],
                code=exc.code,
            )
            raise
        return identity

    @cached_property
    def decisions(self) -> Decisions:
        """Decisions recorded under the name of the person at the terminal."""
        return Decisions(self.store.engine, actor=self.username)

    @cached_property
    def registry(self) -> ProcessRegistry:
        return load_registry(self.settings.process_modules)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
        if "engine" in self.__dict__:
            self.engine.dispose()
