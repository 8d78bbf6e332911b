"""Files attached to runs (screenshots, traces, documents), stored once by their SHA-256.

The same screenshot attached by a thousand runs takes the disk once. Files are written to a
temporary name and renamed into place, so a crash never leaves half a file under a real hash.
Names shown to people go through the masking of :mod:`civicrpa.security.pii` and a character
whitelist, so a file name never carries a resident number.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from civicrpa.security.pii import mask_text

_UNSAFE = re.compile(r"[^\w.\-가-힣]+")


def safe_name(name: str, *, max_length: int = 120) -> str:
    """A file name with personal data masked and path characters removed."""
    masked = mask_text(name).replace("*", "x")
    cleaned = _UNSAFE.sub("_", masked).strip("._") or "artifact"
    return cleaned[:max_length]


@dataclass(frozen=True, kw_only=True)
class StoredFile:
    """Where an artifact's content lives."""

    sha256: str
    size: int
    path: Path


class ArtifactStore:
    """A content-addressed folder: ``<root>/<first two hex digits>/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> StoredFile:
        """Store ``data`` (once) and return its hash, size and path."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return StoredFile(sha256=digest, size=len(data), path=path)

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def delete(self, sha256: str) -> bool:
        """Remove a file no run refers to any more (retention); False if it was not there."""
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True


__all__ = ["ArtifactStore", "StoredFile", "safe_name"]
