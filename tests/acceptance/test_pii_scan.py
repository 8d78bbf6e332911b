"""After a whole demo, no resident number, phone number or account number is left unmasked in
any log line, artifact name, database row, database file or command output of the runtime.

The sandbox's own databases are left out: they stand for other agencies' systems, which hold
full numbers by design (robots read them there, and must not carry them out unmasked).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from civicrpa.queue.sealing import PayloadSealer
from civicrpa.security.crypto import FieldCipher, KeyRing
from tests.support.cli import civicrpa, cli_env

#: Unmasked forms (a masked number keeps stars where these need digits). A number glued to
#: Latin letters or digits is part of a hash or a ciphertext, not a number a person wrote;
#: glued to Korean text it is still found.
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
LEAKS = {
    "resident number": re.compile(_EDGE_BEFORE + r"\d{6}[-\s]?[1-8]\d{6}" + _EDGE_AFTER),
    "mobile number": re.compile(_EDGE_BEFORE + r"01[016789][-\s]?\d{3,4}[-\s]?\d{4}" + _EDGE_AFTER),
    "account number": re.compile(_EDGE_BEFORE + r"\d{3}-\d{6}-\d{5}" + _EDGE_AFTER),
}


def _leaks(where: str, text: str) -> list[str]:
    """Each leak with 30 characters of context (masked here too, so the report leaks nothing)."""
    found = []
    for kind, pattern in LEAKS.items():
        for match in pattern.finditer(text):
            context = text[max(match.start() - 30, 0) : match.end() + 10]
            shown = context.replace(match.group(0), "#" * len(match.group(0)))
            found.append(f"{where}: {kind} in {shown!r}")
    return found


def _database_rows(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return "\n".join(
            " | ".join(str(value) for value in row)
            for table in tables
            for row in conn.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from sqlite
        )


def _demo_numbers(database: Path, keyring: Path) -> set[bytes]:
    """Resident, phone and account numbers of the demo's items, as written and digits only."""
    sealer = PayloadSealer(FieldCipher(KeyRing.load(keyring)))
    numbers: set[bytes] = set()
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT queue, reference, payload FROM work_items").fetchall()
    for queue, reference, stored in rows:
        payload = sealer.open("payload", queue, reference, json.loads(stored)) or {}
        for field in ("applicant_rrn", "phone", "account_no"):
            value = payload.get(field)
            if value:
                numbers.add(value.encode())
                numbers.add(value.replace("-", "").encode())
    return numbers


@pytest.mark.slow
def test_the_demo_leaves_no_unmasked_personal_number(tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})
    # Every process's demo: the childbirth robots (browsers, screenshots of failures, registry
    # look-ups) and the sample, in the demo's workspace.
    outputs = [
        civicrpa("demo", "--size", "2000", "--items", "20", env=env, cwd=tmp_path, timeout=600)
    ]
    assert outputs[0].returncode == 0, outputs[0].stderr
    assert "시연 결과" in outputs[0].stdout
    demo_env = {**env, "CIVICRPA_DATA_DIR": str(tmp_path / "var" / "demo")}
    for command in (
        ("queue", "list"),
        ("queue", "show", "1"),
        ("queue", "show", "2", "--reason", "서류 점검 결과 확인"),
        ("audit", "show", "--limit", "200"),
    ):
        outputs.append(civicrpa(*command, env=demo_env, cwd=tmp_path))
        assert outputs[-1].returncode == 0, outputs[-1].stderr

    workspaces = (tmp_path / "var" / "demo",)
    found: list[str] = []
    for number, result in enumerate(outputs):
        found += _leaks(f"command output {number}", result.stdout + result.stderr)
    logs = [path for folder in workspaces for path in (folder / "logs").glob("*.jsonl")]
    log_text = "\n".join(path.read_text(encoding="utf-8") for path in logs)
    assert "sample.applicant_checked" in log_text  # personal data really passed through logging
    assert "childbirth" in log_text
    found += _leaks("log lines", log_text)
    artifacts = [path.name for folder in workspaces for path in folder.rglob("artifacts/**/*")]
    found += _leaks("artifact names", "\n".join(artifacts))
    numbers: set[bytes] = set()
    for folder in workspaces:
        database = folder / "civicrpa.db"
        found += _leaks(f"database rows of {folder.name}", _database_rows(database))
        # The files themselves (free pages, the WAL): adjacent fields run together there, so
        # look for the very numbers the demo used, read back from the encrypted payloads.
        numbers |= _demo_numbers(database, folder / "keys" / "keyring.json")
    assert len(numbers) >= (20 + 20) * 2
    for folder in workspaces:
        for path in folder.glob("civicrpa.db*"):
            raw = path.read_bytes()
            found += [f"database file {path}: a demo number" for n in numbers if n in raw]
    assert found == []
    # The sandbox systems did run, and do hold full numbers: the scan is not vacuous.
    sandbox_rows = _database_rows(workspaces[0] / "sandbox" / "resident_registry.db")
    assert LEAKS["resident number"].search(sandbox_rows)
