"""Encryption of personal fields at rest (AES-256-GCM) and blind indexes to find them.

PIPA Art. 24-2(2) and the 안전성 확보조치 기준 Art. 7 require resident registration numbers to
be stored encrypted; civicrpa encrypts every field that may hold personal data. Keys never live
in the database: a key ring file (or environment variable) holds them, each with an id; a
ciphertext names the id of its key (``v1.<key id>.<base64 nonce+ciphertext>``), so keys can be
rotated while old ciphertexts stay readable. The field's context (table and column) is bound to
the ciphertext as associated data: a value copied to another column does not decrypt.

Exact-value search (an applicant's resident number) goes through a blind index: a keyed
HMAC-SHA256 of the normalised value, so the database can be searched without decrypting it and
without holding anything a dictionary attack could reverse without the key.

The ring also holds the **audit key** that seals the audit trail's hash chain (HMAC-SHA256,
:mod:`civicrpa.security.audit`), so that whoever can write the database but not read the ring
cannot add or rewrite an entry that verifies. Like the index key it is not rotated with the data
keys (every entry must stay verifiable); it has an id (``a1``), which each entry names. A ring
saved before the audit key existed has none in its file: its audit key is derived from its
index key (HMAC under a fixed label), and written out explicitly the next time the ring is saved
(``civicrpa keys rotate``), after which replacing the index key leaves the audit key alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from civicrpa.core.errors import ConfigurationError

_VERSION = "v1"
_NONCE_BYTES = 12
#: The audit key's id in rings that do not name one.
AUDIT_KEY_ID = "a1"
_AUDIT_KEY_LABEL = b"civicrpa audit chain key v1"


class DecryptionError(ConfigurationError):
    """A ciphertext could not be decrypted: unknown key id, wrong context or tampering."""

    default_code = "security.decrypt_failed"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, kw_only=True)
class KeyRing:
    """Data keys by id, the id that encrypts new values, the blind-index key and the audit key."""

    keys: Mapping[str, bytes] = field(repr=False)
    active: str
    index_key: bytes = field(repr=False)
    #: Seals the audit chain; empty means derived from ``index_key`` (rings from before it).
    audit_key: bytes = field(default=b"", repr=False)
    audit_key_id: str = field(default=AUDIT_KEY_ID, repr=False)

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise ConfigurationError("config.invalid", {"detail": "active key id not in the ring"})
        for key_id, key in self.keys.items():
            if len(key) != 32 or "." in key_id or not key_id:
                raise ConfigurationError(
                    "config.invalid", {"detail": f"key {key_id!r} must be 32 bytes, id without '.'"}
                )
        if len(self.index_key) < 32:
            raise ConfigurationError("config.invalid", {"detail": "index key too short"})
        if not self.audit_key:
            derived = hmac.new(self.index_key, _AUDIT_KEY_LABEL, hashlib.sha256).digest()
            object.__setattr__(self, "audit_key", derived)
        if len(self.audit_key) < 32 or not 0 < len(self.audit_key_id) <= 16:
            raise ConfigurationError(
                "config.invalid", {"detail": "audit key too short, or its id not 1-16 characters"}
            )

    @classmethod
    def generate(cls, key_id: str = "k1") -> KeyRing:
        """A new ring with one random data key, a random index key and a random audit key."""
        return cls(
            keys={key_id: AESGCM.generate_key(bit_length=256)},
            active=key_id,
            index_key=secrets.token_bytes(32),
            audit_key=secrets.token_bytes(32),
        )

    def with_new_key(self, key_id: str) -> KeyRing:
        """This ring plus a fresh active key (old keys stay, to read old ciphertexts; the index
        and audit keys stay as they are)."""
        if key_id in self.keys:
            raise ConfigurationError("config.invalid", {"detail": f"key id {key_id} exists"})
        keys = {**self.keys, key_id: AESGCM.generate_key(bit_length=256)}
        return KeyRing(
            keys=keys,
            active=key_id,
            index_key=self.index_key,
            audit_key=self.audit_key,
            audit_key_id=self.audit_key_id,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {key_id: _b64(key) for key_id, key in self.keys.items()},
                "index_key": _b64(self.index_key),
                "audit_key": {"id": self.audit_key_id, "key": _b64(self.audit_key)},
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            data = json.loads(text)
            audit = data.get("audit_key") or {"id": AUDIT_KEY_ID, "key": ""}
            return cls(
                keys={key_id: _unb64(key) for key_id, key in data["keys"].items()},
                active=data["active"],
                index_key=_unb64(data["index_key"]),
                audit_key=_unb64(audit["key"]),
                audit_key_id=str(audit["id"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError("config.invalid", {"detail": "unreadable key ring"}) from exc

    def save(self, path: Path) -> None:
        """Write the ring readable by its owner only (written aside, then renamed)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        if not path.exists():
            raise ConfigurationError("security.keyring_missing", {"path": str(path)})
        return cls.from_json(path.read_text(encoding="utf-8"))


class FieldCipher:
    """Encrypts and decrypts field values with a key ring."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self._aead = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """``v1.<key id>.<nonce+ciphertext>`` under the active key, bound to ``context``."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead[self.ring.active].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{_VERSION}.{self.ring.active}.{_b64(nonce + sealed)}"

    def decrypt(self, token: str, *, context: str) -> str:
        version, key_id, body = self._split(token)
        aead = self._aead.get(key_id)
        if version != _VERSION or aead is None:
            raise DecryptionError("security.decrypt_failed", {"key_id": key_id})
        raw = _unb64(body)
        try:
            return aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode()).decode()
        except InvalidTag as exc:
            raise DecryptionError("security.decrypt_failed", {"key_id": key_id}) from exc

    @staticmethod
    def key_id_of(token: str) -> str:
        return FieldCipher._split(token)[1]

    @staticmethod
    def _split(token: str) -> tuple[str, str, str]:
        parts = token.split(".", 2)
        if len(parts) != 3:
            raise DecryptionError("security.decrypt_failed", {"key_id": "?"})
        return parts[0], parts[1], parts[2]

    def is_current(self, token: str) -> bool:
        """Whether ``token`` is under the active key (rotation leaves it alone)."""
        return self.key_id_of(token) == self.ring.active

    def blind_index(self, value: str, *, context: str) -> str:
        """Keyed hash of the normalised value, for exact search without decryption."""
        normal = "".join(value.split()).replace("-", "").upper()
        message = f"{context}\x00{normal}".encode()
        return hmac.new(self.ring.index_key, message, hashlib.sha256).hexdigest()


__all__ = ["AUDIT_KEY_ID", "DecryptionError", "FieldCipher", "KeyRing"]
