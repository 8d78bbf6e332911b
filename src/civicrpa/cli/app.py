"""Assembly for the command line: settings, database, store and processes, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import structlog
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from civicrpa.config import Settings, load_settings
from civicrpa.core.errors import CivicRpaError, ConfigurationError, StateConflict
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.decisions import Decisions
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import STATE_LABELS_KO, ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.runtime.logs import configure_logging
from civicrpa.runtime.registry import ProcessRegistry, load_registry
from civicrpa.security import audit
from civicrpa.security.identities import os_account, resolve_person
from civicrpa.security.keys import load_cipher
from civicrpa.security.rbac import AccessDenied, Identity, Permission, authorize


def _shown_url(url: str) -> str:
    """A database URL as it may be shown: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def database_unreachable(exc: DBAPIError, url: str | None = None) -> ConfigurationError:
    """The database did not answer: its address (no password) and the driver's first line."""
    reason = str(exc.orig or exc).strip().splitlines()
    params = {"url": _shown_url(url) if url else "-", "detail": reason[0] if reason else "-"}
    return ConfigurationError("config.database_unreachable", params)


def error_line(exc: CivicRpaError) -> str:
    """The Korean line of a civicrpa error, states named in Korean (``'실패'에서 '대기'로``)."""
    if isinstance(exc, StateConflict):
        params = dict(exc.params)
        for key in ("source", "target"):
            value = params.get(key)
            if value in {state.value for state in ItemState}:
                params[key] = STATE_LABELS_KO[ItemState(value)]
        return type(exc)(exc.code, params).message_ko
    return exc.message_ko


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
        """The database engine, once the database answers (else one Korean line says why)."""
        url = self.settings.resolved_database_url
        try:
            engine = create_engine_for(url, sqlite_synchronous=self.settings.sqlite_synchronous)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise ConfigurationError(
                "config.database_url_invalid", {"url": _shown_url(url)}
            ) from exc
        try:
            with engine.connect():
                pass
        except DBAPIError as exc:
            engine.dispose()
            raise database_unreachable(exc, url) from exc
        return engine

    @cached_property
    def migrated_engine(self) -> Engine:
        """The engine, once the schema is known to be at the newest revision, bound to the key
        ring's audit key (what it changes is recorded in the keyed audit chain)."""
        from civicrpa.db import migrate  # Alembic: loaded by the commands that use a database

        current = migrate.current_revision(self.engine)
        if current != migrate.head_revision(self.engine):
            raise ConfigurationError("config.database_not_migrated", {"current": current or "-"})
        return audit.keyed(self.engine, self.sealer.audit_key)

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
        return Decisions(self.store.engine, actor=self.username, sealer=self.sealer)

    @cached_property
    def registry(self) -> ProcessRegistry:
        return load_registry(self.settings.process_modules)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
        if "engine" in self.__dict__:
            self.engine.dispose()
