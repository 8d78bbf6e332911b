"""Where the key ring comes from: a file beside the data, or the environment.

In development a missing ring is created on first use (readable by its owner only); several
robot processes starting together agree on one ring because creation is exclusive (the first
link wins, the others read it). In production a missing ring stops start-up: data encrypted
under a key nobody kept is data lost.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import structlog

from civicrpa.config import Settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.security.crypto import FieldCipher, KeyRing


def keyring_path(settings: Settings) -> Path:
    """The key ring file: ``CIVICRPA_KEYRING_PATH`` or ``<data dir>/keys/keyring.json``."""
    return settings.keyring_path or settings.data_dir / "keys" / "keyring.json"


def _create_exclusive(path: Path) -> KeyRing:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    ring = KeyRing.generate("k1")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    ring.save(tmp)
    try:
        os.link(tmp, path)  # fails if another process created the ring first
    except FileExistsError:
        return KeyRing.load(path)
    finally:
        tmp.unlink(missing_ok=True)
    structlog.get_logger().warning("security.keyring_created", path=str(path))
    return ring


def load_keyring(settings: Settings) -> KeyRing:
    """The installation's key ring (see the module docstring for where it comes from)."""
    if settings.keyring is not None:
        return KeyRing.from_json(settings.keyring.get_secret_value())
    path = keyring_path(settings)
    if path.exists():
        return KeyRing.load(path)
    if settings.environment == "production":
        raise ConfigurationError("security.keyring_missing", {"path": str(path)})
    return _create_exclusive(path)


def load_cipher(settings: Settings) -> FieldCipher:
    return FieldCipher(load_keyring(settings))


def add_key(settings: Settings) -> KeyRing:
    """Add a new active key to the ring file (old keys stay, to read old ciphertexts)."""
    if settings.keyring is not None:
        raise ConfigurationError("security.keyring_from_environment")
    ring = load_keyring(settings)
    number = 1 + max(int(k[1:]) for k in ring.keys if k[1:].isdigit() and k.startswith("k"))
    rotated = ring.with_new_key(f"k{number}")
    rotated.save(keyring_path(settings))
    return rotated


__all__ = ["add_key", "keyring_path", "load_cipher", "load_keyring"]
