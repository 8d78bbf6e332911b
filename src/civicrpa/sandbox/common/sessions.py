"""Log-in sessions that expire, and the CSRF token each session carries.

Sessions live in the server's memory, like many legacy systems: a restart logs everybody out.
A session unused for ``session_minutes`` is gone; the next page sends the browser back to the
log-in screen with a notice, which is what robots must learn to handle.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Session:
    """One browser's session; ``user`` is None until it logs in."""

    token: str
    csrf: str
    expires: float
    user: str | None = None
    display_name: str | None = None
    flash: list[str] = field(default_factory=list)


class SessionStore:
    """Sessions by token, with sliding expiry."""

    def __init__(self, minutes: float) -> None:
        self.lifetime = minutes * 60
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def new(self) -> Session:
        session = Session(
            token=secrets.token_urlsafe(24),
            csrf=secrets.token_urlsafe(24),
            expires=time.monotonic() + self.lifetime,
        )
        with self._lock:
            self._sessions[session.token] = session
        return session

    def get(self, token: str | None) -> Session | None:
        """The live session for ``token`` (its expiry pushed back), or None."""
        if not token:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if session.expires < now:
                del self._sessions[token]
                return None
            session.expires = now + self.lifetime
            return session

    def drop(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)

    def expire_all(self) -> int:
        """End every session now (tests use it to see robots log in again)."""
        with self._lock:
            count = len(self._sessions)
            self._sessions.clear()
        return count


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """scrypt hash as ``salt$hash`` (hex)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    salt_hex, _, digest_hex = stored.partition("$")
    expected = hash_password(password, salt=bytes.fromhex(salt_hex)).partition("$")[2]
    return hmac.compare_digest(expected, digest_hex)
