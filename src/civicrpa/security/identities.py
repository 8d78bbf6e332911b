"""Registered people and robots with their roles, and who the person at the terminal is.

Every change (register, change a role, disable, enable again) is written to the hash-chained
audit trail in the same transaction as the change. Nobody is ever deleted: a name that acted
stays in the table so the audit trail keeps pointing at someone; people who leave are disabled
(and enabled again if they come back).

**Who acts** (:func:`resolve_person`): a registered person acts with their role, a disabled one
not at all, and an unregistered one is refused, in every environment, as soon as one person is
registered. Before that (an empty table, or none yet) the person at the terminal gets a
provisional standing: in ``development`` and ``test`` the bootstrap standing (the RPA
administrator's permissions plus reading an item and the audit trail, enough for ``civicrpa
demo`` and the README's walk-through), in ``production`` the installer standing (migrate the
database and register the first administrator, nothing else). Registering the first person ends
the provisional standing for everyone, so register yourself first; the first person registered
must be an RPA administrator, and no change may leave the installation without an active one.

**The person at the terminal** is the operating-system account the command runs under, read
from the process's real user id (:func:`os_account`), never from ``LOGNAME``/``USER``, which
anyone can set. If every administrator is lost anyway (they left, their accounts were removed),
the machine's administrator (root) recovers with :meth:`Identities.recover`, which is itself
an audited change.
"""

from __future__ import annotations

import os
import pwd
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from civicrpa.config import Settings
from civicrpa.core.clock import utcnow
from civicrpa.core.errors import ConfigurationError, InputRejected, NotFound, StateConflict
from civicrpa.db.engine import write_transaction
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.models import identities
from civicrpa.security.rbac import (
    AccessDenied,
    Identity,
    IdentityKind,
    Role,
    Standing,
    parse_role,
)

#: A person's log-in or OS user name.
_PERSON_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._@-]{0,99}")
#: A robot's service name: ``robot:`` and the worker's name (host-pid-n).
_ROBOT_NAME = re.compile(r"robot:[A-Za-z0-9_][A-Za-z0-9._-]{0,93}")
DISPLAY_NAME_MAX = 100


def _check_name(name: str, kind: IdentityKind) -> str:
    pattern = _ROBOT_NAME if kind is IdentityKind.ROBOT else _PERSON_NAME
    if not pattern.fullmatch(name):
        raise InputRejected(
            "security.bad_identity_name", {"name": name[:40], "kind": kind.value}, field="name"
        )
    return name


def _check_kind_role(kind: IdentityKind, role: Role) -> None:
    # Robots hold the robot role and nothing else; no person ever holds it.
    if (kind is IdentityKind.ROBOT) != (role is Role.ROBOT):
        raise InputRejected("security.kind_role_mismatch", {"role": role.label_ko}, field="role")


def _parse_kind(value: IdentityKind | str) -> IdentityKind:
    try:
        return IdentityKind(value)
    except ValueError:
        raise InputRejected("security.unknown_kind", {"kind": str(value)[:20]}) from None


def _identity(row: Any) -> Identity:
    try:
        role, kind = Role(row.role), IdentityKind(row.kind)
    except ValueError as exc:
        raise ConfigurationError(
            "config.invalid", {"detail": f"identities: {row.name} ({row.kind}, {row.role})"}
        ) from exc
    return Identity(
        name=row.name,
        kind=kind,
        role=role,
        display_name=row.display_name,
        disabled=bool(row.disabled),
    )


def os_account(uid: int | None = None) -> str:
    """The account name of the process's real user id (or of ``uid``).

    The environment (``LOGNAME``, ``USER``) is never consulted: it is the caller's to set, so
    roles, separation of duties and the audit trail's "who" cannot rest on it. A user id with
    no account entry (a bare container) is named by its number, ``uid-1000``.
    """
    uid = os.getuid() if uid is None else uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid-{uid}"


def robot_identity(worker: str) -> Identity:
    """The service identity of the robot ``worker`` (``robot:<worker>``, role robot)."""
    name = worker if worker.startswith("robot:") else f"robot:{worker}"
    _check_name(name, IdentityKind.ROBOT)
    return Identity(name=name, kind=IdentityKind.ROBOT, role=Role.ROBOT, display_name=name)


def resolve_person(engine: Engine, username: str, settings: Settings) -> Identity:
    """The identity of the person ``username`` (see the module docstring for the rules).

    Raises :class:`AccessDenied` for a person who is not registered while others are (and, on
    production, never hands out more than the installer standing).
    """
    with engine.connect() as conn:
        # Before the migrations (a fresh database) there is no table and so no person yet.
        if inspect(conn).has_table(identities.name):
            row = conn.execute(
                select(identities).where(
                    identities.c.name == username, identities.c.kind == IdentityKind.PERSON
                )
            ).first()
            if row is not None:
                return _identity(row)
            # Disabled people count: disabling everyone must not reopen the bootstrap.
            persons = conn.execute(
                select(func.count())
                .select_from(identities)
                .where(identities.c.kind == IdentityKind.PERSON)
            ).scalar_one()
        else:
            persons = 0
    if persons:
        raise AccessDenied("security.unknown_identity", {"name": username[:40]})
    standing = Standing.INSTALLER if settings.environment == "production" else Standing.BOOTSTRAP
    return Identity(
        name=username,
        kind=IdentityKind.PERSON,
        role=Role.RPA_ADMIN,
        display_name=username,
        standing=standing,
    )


class Identities:
    """The ``identities`` table: register, change the role of, disable, enable, list."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self._clock = clock

    def add(
        self,
        name: str,
        kind: IdentityKind | str,
        role: Role | str,
        display_name: str,
        *,
        by: str,
    ) -> Identity:
        """Register ``name`` with ``role``; ``by`` is the actor recorded in the audit trail."""
        kind = _parse_kind(kind)
        role = parse_role(role)
        name = _check_name(name.strip(), kind)
        _check_kind_role(kind, role)
        display_name = display_name.strip()
        if not display_name or len(display_name) > DISPLAY_NAME_MAX:
            raise InputRejected(
                "security.bad_display_name", {"max": DISPLAY_NAME_MAX}, field="display_name"
            )
        try:
            with self.engine.connect() as conn, write_transaction(conn):
                if self._row(conn, name) is not None:
                    raise InputRejected("security.identity_exists", {"name": name}, field="name")
                # Registering the first person ends everyone's provisional standing: if they
                # could not manage users, nobody could any more.
                first_not_admin = kind is IdentityKind.PERSON and role is not Role.RPA_ADMIN
                if first_not_admin and not self._count_persons(conn):
                    raise InputRejected(
                        "security.first_person_admin",
                        {"role": role.label_ko, "admin": Role.RPA_ADMIN.label_ko},
                        field="role",
                    )
                conn.execute(
                    insert(identities).values(
                        name=name,
                        kind=kind.value,
                        role=role.value,
                        display_name=display_name,
                        disabled=False,
                        created_at=self._clock(),
                    )
                )
                # The display name is a person's real name: it stays out of the chain.
                self._audit(conn, by, "identity.add", name, {"kind": kind, "role": role})
        except IntegrityError as exc:  # registered by someone else at the same moment
            raise InputRejected("security.identity_exists", {"name": name}, field="name") from exc
        return Identity(name=name, kind=kind, role=role, display_name=display_name)

    def set_role(self, name: str, role: Role | str, *, by: str) -> Identity:
        """Give ``name`` another role (the last active administrator keeps theirs)."""
        role = parse_role(role)
        with self.engine.connect() as conn, write_transaction(conn):
            current = self._existing(conn, name)
            _check_kind_role(current.kind, role)
            if current.role is role:
                return current
            self._keep_an_admin(conn, current)
            conn.execute(
                update(identities).where(identities.c.name == name).values(role=role.value)
            )
            self._audit(conn, by, "identity.role", name, {"from": current.role, "to": role})
        return Identity(
            name=current.name,
            kind=current.kind,
            role=role,
            display_name=current.display_name,
            disabled=current.disabled,
        )

    def disable(self, name: str, *, by: str) -> Identity:
        """Stop ``name`` from acting (kept for the audit trail; the last administrator stays)."""
        with self.engine.connect() as conn, write_transaction(conn):
            current = self._existing(conn, name)
            if current.disabled:
                return current
            self._keep_an_admin(conn, current)
            conn.execute(update(identities).where(identities.c.name == name).values(disabled=True))
            self._audit(conn, by, "identity.disable", name, {"role": current.role})
        return Identity(
            name=current.name,
            kind=current.kind,
            role=current.role,
            display_name=current.display_name,
            disabled=True,
        )

    def enable(self, name: str, *, by: str) -> Identity:
        """Let a disabled ``name`` act again, with the role it had.

        Raises :class:`NotFound` for an unknown name and :class:`StateConflict` when ``name`` is
        not disabled (nothing to do is a mistake worth saying: a wrong name, most likely).
        """
        with self.engine.connect() as conn, write_transaction(conn):
            current = self._existing(conn, name)
            if not current.disabled:
                raise StateConflict("security.identity_not_disabled", {"name": name})
            result = conn.execute(
                update(identities)
                .where(identities.c.name == name, identities.c.disabled.is_(True))
                .values(disabled=False)
            )
            if result.rowcount != 1:  # enabled by someone else meanwhile
                raise StateConflict("security.identity_not_disabled", {"name": name})
            self._audit(conn, by, "identity.enable", name, {"role": current.role})
        return Identity(
            name=current.name,
            kind=current.kind,
            role=current.role,
            display_name=current.display_name,
            disabled=False,
        )

    def recover(self, name: str, *, by: str, reason: str) -> Identity:
        """Make ``name`` an active RPA administrator again, registering it if need be.

        The way back when no administrator can act any more; only the machine's administrator
        may use it (the command checks), and it is recorded in the audit trail with ``reason``.
        """
        reason = reason.strip()
        if not reason:
            raise InputRejected("queue.reason_required", field="reason")
        name = _check_name(name.strip(), IdentityKind.PERSON)
        with self.engine.connect() as conn, write_transaction(conn):
            row = self._row(conn, name)
            if row is None:
                conn.execute(
                    insert(identities).values(
                        name=name,
                        kind=IdentityKind.PERSON.value,
                        role=Role.RPA_ADMIN.value,
                        display_name=name,
                        disabled=False,
                        created_at=self._clock(),
                    )
                )
                before: dict[str, Any] = {"registered": "no"}
            else:
                current = _identity(row)
                if current.kind is not IdentityKind.PERSON:
                    raise InputRejected(
                        "security.kind_role_mismatch", {"role": Role.RPA_ADMIN.label_ko}
                    )
                conn.execute(
                    update(identities)
                    .where(identities.c.name == name)
                    .values(role=Role.RPA_ADMIN.value, disabled=False)
                )
                before = {"role": current.role, "disabled": current.disabled}
            self._audit(conn, by, "identity.recover", name, {**before, "reason": reason})
        return self.get(name)

    @staticmethod
    def _count_persons(conn: Connection) -> int:
        return int(
            conn.execute(
                select(func.count())
                .select_from(identities)
                .where(identities.c.kind == IdentityKind.PERSON)
            ).scalar_one()
        )

    def get(self, name: str) -> Identity:
        """The identity registered as ``name``."""
        with self.engine.connect() as conn:
            return self._existing(conn, name)

    @staticmethod
    def _row(conn: Connection, name: str) -> Any:
        return conn.execute(select(identities).where(identities.c.name == name)).first()

    def _existing(self, conn: Connection, name: str) -> Identity:
        row = self._row(conn, name)
        if row is None:
            raise NotFound("security.identity_not_found", {"name": name[:40]})
        return _identity(row)

    @staticmethod
    def _keep_an_admin(conn: Connection, changing: Identity) -> None:
        """Refuse to take away the last active administrator: nobody could manage users."""
        if changing.role is not Role.RPA_ADMIN or changing.disabled:
            return
        # FOR UPDATE on PostgreSQL, so two administrators disabling each other at once cannot
        # both pass; SQLite's write transaction already runs one writer at a time.
        admins = conn.execute(
            select(identities.c.name)
            .where(
                identities.c.role == Role.RPA_ADMIN,
                identities.c.kind == IdentityKind.PERSON,
                identities.c.disabled.is_(False),
            )
            .with_for_update()
        ).all()
        if len(admins) <= 1:
            raise StateConflict("security.last_admin", {"name": changing.name})

    def _audit(
        self, conn: Connection, by: str, action: str, name: str, detail: dict[str, Any]
    ) -> None:
        audit.append(
            conn,
            [
                AuditRecord(
                    actor=by,
                    action=action,
                    target=f"identity:{name}",
                    detail={key: str(value) for key, value in detail.items()},
                )
            ],
            at=self._clock(),
        )

    def list(self) -> list[Identity]:
        """Everyone registered, people first, then robots, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(identities).order_by(identities.c.kind, identities.c.name)
            ).all()
        return [_identity(row) for row in rows]


__all__ = ["DISPLAY_NAME_MAX", "Identities", "os_account", "resolve_person", "robot_identity"]
