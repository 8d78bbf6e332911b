"""Where the audit chain's anchors are kept: out of reach of whoever can write the database.

An anchor is the chain's head (number, hash, key id) at one moment. ``verify`` checks that the
chain still has that hash at that number, which catches what the chain alone cannot show: its
newest entries cut off, or the chain rewritten by someone who holds the audit key. That only
works if the anchor is somewhere the database's writer cannot change it, so the place is a
setting (:class:`~civicrpa.config.Settings`): a file (``CIVICRPA_AUDIT_ANCHOR_PATH``, e.g. a
disk mounted from another host or an append-only share) and/or a command that receives each
anchor on its standard input (``CIVICRPA_AUDIT_ANCHOR_COMMAND``, e.g. a WORM store's client or
``ssh`` to another host). With neither, anchors go to ``<data dir>/audit/anchors.jsonl``,
beside the database: accepted in development with a warning, refused in ``production``.

Anchor files are created readable by their owner only (600, their folder 700).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from civicrpa.config import Settings
from civicrpa.core.clock import utcnow
from civicrpa.core.errors import ConfigurationError, SystemFault
from civicrpa.core.messages import render
from civicrpa.security.models import audit_head, audit_log

#: Seconds the anchor command may take.
COMMAND_TIMEOUT = 60


class AnchorNotKept(SystemFault):
    """The anchor command failed or timed out: the anchor was not kept there."""

    default_code = "security.anchor_command_failed"


@dataclass(frozen=True, kw_only=True)
class AnchorPlace:
    """Where anchors are written (a file, a command, or both) and read back (the file)."""

    path: Path | None = None
    command: tuple[str, ...] = ()
    #: The file is in the data folder or beside the SQLite database (development only).
    beside_database: bool = False

    def describe(self) -> str:
        """The place, for the person at the terminal (the command by its program name only:
        its arguments may hold a host or an account)."""
        places = [str(self.path)] if self.path is not None else []
        if self.command:
            places.append(render("audit.anchor_command", {"name": Path(self.command[0]).name}))
        return ", ".join(places)


def _database_places(settings: Settings) -> list[Path]:
    places = [settings.data_dir.resolve()]
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        places.append(Path(url.database).resolve().parent)
    return places


def anchor_place(settings: Settings, *, path: Path | None = None) -> AnchorPlace:
    """The configured place (``path`` given on the command line wins over the setting).

    Raises :class:`ConfigurationError` in production when the file would sit beside the
    database (in the data folder or the SQLite database's folder).
    """
    command = tuple(shlex.split(settings.audit_anchor_command or ""))
    chosen = path or settings.audit_anchor_path
    if chosen is None and not command:
        chosen = settings.data_dir / "audit" / "anchors.jsonl"
    beside = chosen is not None and any(
        chosen.resolve().is_relative_to(place) for place in _database_places(settings)
    )
    if beside and settings.environment == "production":
        raise ConfigurationError("security.anchor_beside_database", {"path": str(chosen)})
    return AnchorPlace(path=chosen, command=command, beside_database=beside)


@dataclass(frozen=True, kw_only=True)
class Anchor:
    """The chain's head when it was anchored."""

    seq: int
    hash: str
    #: The audit key id of the head entry (None: an unkeyed entry, or an empty chain).
    key_id: str | None

    def line(self) -> str:
        """One JSON line, as the file and the command receive it."""
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "key": self.key_id, "at": utcnow().isoformat()}
        )


def _append_private(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _send(command: tuple[str, ...], line: str) -> None:
    name = Path(command[0]).name
    try:
        # The administrator's own setting, run without a shell.
        result = subprocess.run(
            command,
            input=line + "\n",
            text=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AnchorNotKept(
            "security.anchor_command_failed", {"command": name, "detail": type(exc).__name__}
        ) from exc
    if result.returncode != 0:
        raise AnchorNotKept(
            "security.anchor_command_failed",
            {"command": name, "detail": f"exit {result.returncode}"},
        )


def export_anchor(engine: Engine, place: AnchorPlace) -> Anchor:
    """Keep the chain's current head at ``place`` (the file first, then the command)."""
    with engine.connect() as conn:
        head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).one()
        key_id = conn.execute(
            select(audit_log.c.key_id).where(audit_log.c.seq == head.seq)
        ).scalar_one_or_none()
    anchor = Anchor(seq=int(head.seq), hash=str(head.hash), key_id=key_id)
    line = anchor.line()
    if place.path is not None:
        _append_private(place.path, line)
    if place.command:
        _send(place.command, line)
    return anchor


def read_anchors(path: Path | None) -> dict[int, str]:
    """Hashes by entry number from an anchor file (none when there is no file yet)."""
    if path is None or not path.exists():
        return {}
    anchors: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            mark = json.loads(line)
            anchors[int(mark["seq"])] = str(mark["hash"])
    return anchors


__all__ = [
    "Anchor",
    "AnchorNotKept",
    "AnchorPlace",
    "anchor_place",
    "export_anchor",
    "read_anchors",
]
