"""The officials' and robots' accounts every sandbox system starts with.

The sandbox is for laptops, CI and demos; its accounts share one documented password
(``SANDBOX_PASSWORD``, or the one given to ``civicrpa sandbox up``). Robots read it from their
credential store like any other log-in, never from code.
"""

from __future__ import annotations

from sqlalchemy import Table, func, insert, select

from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.sessions import hash_password

#: The documented sandbox password (override with ``civicrpa sandbox up --password``).
SANDBOX_PASSWORD = "sandbox-1234"  # noqa: S105 - documented, sandbox only

#: username -> (display name, department)
ACCOUNTS: dict[str, tuple[str, str]] = {
    "clerk01": ("김민원", "민원봉사과"),
    "reviewer01": ("이검토", "인구정책과"),
    "robot01": ("RPA 로봇 1", "디지털정보과"),
    "robot02": ("RPA 로봇 2", "디지털정보과"),
}


def ensure_accounts(db: SandboxDatabase, users: Table, password: str = SANDBOX_PASSWORD) -> bool:
    """Create the accounts in an empty system; False when it already had users."""
    with db.session() as session:
        if session.execute(select(func.count()).select_from(users)).scalar_one():
            return False
        hashed = hash_password(password)
        session.execute(
            insert(users),
            [
                {
                    "username": name,
                    "password_hash": hashed,
                    "display_name": shown,
                    "department": department,
                }
                for name, (shown, department) in ACCOUNTS.items()
            ],
        )
    return True
