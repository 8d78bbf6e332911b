"""Sealed artifacts: files a run keeps encrypted (a browser trace holds unmasked screens and
typed values), bound to their item and name so one cannot be passed off as another.

Here, not in :mod:`civicrpa.runtime.browser`, so that opening a trace (``civicrpa queue
artifact``) loads no browser.
"""

from __future__ import annotations

import base64

from civicrpa.security.crypto import FieldCipher

#: Media type of an encrypted artifact (base64 AES-GCM token, see :func:`seal_artifact`).
SEALED_MEDIA_TYPE = "application/vnd.civicrpa.sealed"


def artifact_context(item_id: int, name: str) -> str:
    """What a sealed artifact is bound to: it decrypts only as this item's file of this name."""
    return f"artifact:{item_id}:{name}"


def seal_artifact(cipher: FieldCipher, data: bytes, *, item_id: int, name: str) -> bytes:
    """Encrypt a file for storage (AES-256-GCM with the current key, bound to item and name)."""
    text = base64.b64encode(data).decode("ascii")
    return cipher.encrypt(text, context=artifact_context(item_id, name)).encode("ascii")


def open_artifact(cipher: FieldCipher, sealed: bytes, *, item_id: int, name: str) -> bytes:
    """The file :func:`seal_artifact` stored."""
    text = cipher.decrypt(sealed.decode("ascii"), context=artifact_context(item_id, name))
    return base64.b64decode(text)


__all__ = ["SEALED_MEDIA_TYPE", "artifact_context", "open_artifact", "seal_artifact"]
