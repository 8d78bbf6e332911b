"""Run the ``civicrpa`` command as a separate process, as an operator would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import Engine

from civicrpa.db.engine import create_engine_for
from civicrpa.security import audit
from civicrpa.security.audit import AuditKey
from civicrpa.security.crypto import KeyRing
from civicrpa.security.identities import Identities, os_account

REPO = Path(__file__).resolve().parents[2]
#: The person at the terminal, as civicrpa sees them: this process's OS account.
ME = os_account()


def become(data_dir: Path, role: str) -> None:
    """Give ``ME`` another role in the SQLite queue of ``data_dir`` (a test's set-up, audited).

    The CLI takes its person from the OS account, so a test plays another person by changing
    its own role, as an administrator would; another active administrator must exist.
    """
    engine = create_engine_for(f"sqlite:///{data_dir / 'civicrpa.db'}")
    try:
        Identities(keyed_engine(engine, data_dir)).set_role(ME, role, by="person:test-setup")
    finally:
        engine.dispose()


def register_me(env: Mapping[str, str], cwd: Path) -> None:
    """Register the test's OS account (``ME``) and a spare as RPA administrators: the last
    administrator can never be re-roled, so :func:`become` needs the spare."""
    for name in (ME, "spare"):
        civicrpa_ok("users", "add", name, "--role", "rpa_admin", env=env, cwd=cwd)


def copy_data_dir(template: Path, data_dir: Path) -> None:
    """A data folder as ``template`` was left by the commands that made it (its database and
    key ring; not its log, which names the template's own paths). Each test gets its own."""
    shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns("logs"))


def keyed_engine(engine: Engine, data_dir: Path) -> Engine:
    """``engine`` bound to the audit key of ``data_dir``'s key ring (as the CLI binds its own)."""
    ring = KeyRing.load(data_dir / "keys" / "keyring.json")
    return audit.keyed(engine, AuditKey.from_ring(ring))


def cli_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The environment of a civicrpa process: this one's, plus ``CIVICRPA_*`` settings."""
    # COLUMNS and LINES go too: output to a pipe is then as wide as a user's piped output.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CIVICRPA_") and k not in ("COLUMNS", "LINES")
    }
    env.update(settings)
    env["PYTHONPATH"] = str(REPO)
    return env


def civicrpa(
    *args: str, env: Mapping[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``civicrpa ARGS`` to the end."""
    return subprocess.run(
        [sys.executable, "-m", "civicrpa.cli.main", *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_civicrpa(*args: str, env: Mapping[str, str], cwd: Path) -> subprocess.Popen[str]:
    """Start ``civicrpa ARGS`` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "civicrpa.cli.main", *args],
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], *, timeout: float = 30, what: str = "") -> None:
    """Poll ``condition`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


def civicrpa_ok(*args: str, env: Mapping[str, str], cwd: Path) -> str:
    """Run ``civicrpa ARGS``; it must succeed without a traceback. Returns standard output."""
    result = civicrpa(*args, env=env, cwd=cwd)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    return result.stdout


def civicrpa_refused(*args: str, env: Mapping[str, str], cwd: Path) -> str:
    """Run ``civicrpa ARGS``; it must refuse in exactly one line (exit 2). Returns that line."""
    result = civicrpa(*args, env=env, cwd=cwd)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]
