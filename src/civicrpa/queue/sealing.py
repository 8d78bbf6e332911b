"""Work items' payloads and outputs are stored encrypted, bound to their item.

A payload may hold an applicant's resident number and bank account; in the database it is a
``v1.<key id>....`` token (AES-256-GCM, :mod:`civicrpa.security.crypto`) whose associated data
names the queue, the reference and the column, so a ciphertext moved to another item or column
does not decrypt. Payloads written before encryption (plain JSON objects) are still read, and
re-encrypted by ``civicrpa keys rotate``.

The sealer also carries the key ring's audit key (:class:`~civicrpa.security.audit.AuditKey`,
built once), with which the store seals the audit trail of every change it makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from civicrpa.security.audit import AuditKey
from civicrpa.security.crypto import FieldCipher


def _context(column: str, queue: str, reference: str) -> str:
    return f"work_items.{column}:{queue}\x00{reference}"


class PayloadSealer:
    """Seals and opens the ``payload`` and ``output`` columns of work items."""

    def __init__(self, cipher: FieldCipher) -> None:
        self.cipher = cipher
        #: Seals the audit trail's entries (the same ring, never the database).
        self.audit_key = AuditKey.from_ring(cipher.ring)

    def seal(
        self, column: str, queue: str, reference: str, data: Mapping[str, Any] | None
    ) -> str | None:
        if data is None:
            return None
        return self.cipher.encrypt(
            orjson.dumps(dict(data)).decode(), context=_context(column, queue, reference)
        )

    def open(self, column: str, queue: str, reference: str, stored: Any) -> dict[str, Any] | None:
        if stored is None:
            return None
        if isinstance(stored, dict):
            return stored  # written before encryption; rotation seals it
        plain = self.cipher.decrypt(str(stored), context=_context(column, queue, reference))
        opened: dict[str, Any] = orjson.loads(plain)
        return opened

    def is_current(self, stored: Any) -> bool:
        """Whether ``stored`` is sealed under the active key (or empty)."""
        return stored is None or (isinstance(stored, str) and self.cipher.is_current(stored))


__all__ = ["PayloadSealer"]
