"""Robots' log-ins to the municipal systems, kept encrypted (UiPath and Robocorp call them assets).

A credential is set by the RPA team (``civicrpa credentials set``) and read by robots at run
time (``ctx.credential("intake")``). User name and secret are sealed with the installation's key
ring, each bound to the credential's name; the secret travels as a ``SecretStr`` whose ``repr``
is stars, so it never reaches a log, a traceback or a screen. Setting and deleting are audited;
listing shows names and who changed them, never values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr
from sqlalchemy import Engine, delete, insert, select, update

from civicrpa.core.clock import utcnow
from civicrpa.core.errors import InputRejected, NotFound
from civicrpa.db.engine import write_transaction
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.crypto import FieldCipher
from civicrpa.security.models import credentials

_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,99}")


@dataclass(frozen=True, kw_only=True)
class RobotCredential:
    """A user name and a secret for one system."""

    username: str
    secret: SecretStr

    def __repr__(self) -> str:
        return f"RobotCredential(username={self.username!r}, secret=SecretStr('**********'))"


@dataclass(frozen=True, kw_only=True)
class CredentialInfo:
    """What a listing shows of a credential."""

    name: str
    updated_at: datetime
    updated_by: str


class CredentialStore:
    """Encrypted credentials in the runtime's database."""

    def __init__(
        self, engine: Engine, cipher: FieldCipher, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.engine = engine
        self._cipher = cipher
        self._clock = clock

    @staticmethod
    def _check_name(name: str) -> str:
        if not _NAME.fullmatch(name):
            raise InputRejected("credentials.bad_name", {"name": name[:40]}, field="name")
        return name

    def set(self, name: str, *, username: str, secret: str, by: str) -> None:
        """Create or replace the credential ``name``."""
        name = self._check_name(name)
        if not username.strip() or not secret:
            raise InputRejected("credentials.empty", field="secret")
        values = {
            "username_sealed": self._cipher.encrypt(username, context=f"credentials:{name}:user"),
            "secret_sealed": self._cipher.encrypt(secret, context=f"credentials:{name}:secret"),
            "updated_at": self._clock(),
            "updated_by": by,
        }
        with self.engine.connect() as conn, write_transaction(conn):
            exists = conn.execute(
                select(credentials.c.name).where(credentials.c.name == name)
            ).first()
            if exists:
                conn.execute(update(credentials).where(credentials.c.name == name).values(values))
            else:
                conn.execute(insert(credentials).values(name=name, **values))
            audit.append(
                conn,
                [AuditRecord(actor=by, action="credential.set", target=f"credential:{name}")],
            )

    def get(self, name: str) -> RobotCredential:
        """The credential for a robot to log in with."""
        with self.engine.connect() as conn:
            row = conn.execute(select(credentials).where(credentials.c.name == name)).first()
        if row is None:
            raise NotFound("credentials.unknown", {"name": name})
        return RobotCredential(
            username=self._cipher.decrypt(row.username_sealed, context=f"credentials:{name}:user"),
            secret=SecretStr(
                self._cipher.decrypt(row.secret_sealed, context=f"credentials:{name}:secret")
            ),
        )

    def delete(self, name: str, *, by: str) -> None:
        with self.engine.connect() as conn, write_transaction(conn):
            result = conn.execute(delete(credentials).where(credentials.c.name == name))
            if result.rowcount != 1:
                raise NotFound("credentials.unknown", {"name": name})
            audit.append(
                conn,
                [AuditRecord(actor=by, action="credential.delete", target=f"credential:{name}")],
            )

    def list(self) -> list[CredentialInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    credentials.c.name, credentials.c.updated_at, credentials.c.updated_by
                ).order_by(credentials.c.name)
            ).all()
        return [
            CredentialInfo(name=r.name, updated_at=r.updated_at, updated_by=r.updated_by)
            for r in rows
        ]


__all__ = ["CredentialInfo", "CredentialStore", "RobotCredential"]
