"""Files the command line writes for a person: reports, exports, an item's attachments.

They hold personal data (a report's names, an export's payloads, an opened trace), so they are
written as the data folder is: readable by the account that runs civicrpa only (600), whatever
the umask says. A place that cannot be written is one Korean line, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from civicrpa.core.clock import to_kst, utcnow
from civicrpa.core.errors import InputRejected

#: Mode of every file written here: the owner reads and writes, nobody else.
PRIVATE_MODE = 0o600


def reports_folder(data_dir: Path) -> Path:
    """Where files for departments go unless a person says otherwise: ``<data dir>/reports``."""
    return data_dir / "reports"


def stamp() -> str:
    """The moment on the Korean wall clock, as file names carry it (``20251103-091500``)."""
    return to_kst(utcnow()).strftime("%Y%m%d-%H%M%S")


def target(out: Path | None, default_folder: Path, default_name: str) -> Path:
    """The file to write: ``out``; inside it when it is a folder; else the default."""
    if out is None:
        return default_folder / default_name
    if out.is_dir():
        return out / default_name
    return out


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (its folders made), readable by this account only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE_MODE)  # a file that was there keeps no wider mode
            handle.write(data)
    except OSError as exc:
        raise InputRejected("cli.file_unwritable", {"path": str(path)}, field="out") from exc
    return path


__all__ = ["PRIVATE_MODE", "reports_folder", "stamp", "target", "write_private"]
