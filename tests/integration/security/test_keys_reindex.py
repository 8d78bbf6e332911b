"""``civicrpa keys reindex`` run as an operator runs it: items added before search keys existed
are found again, a second run changes nothing, and only the key administrator may run it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.queue.records import NewItem
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.crypto import FieldCipher, KeyRing
from tests.support.cli import (
    ME,
    become,
    civicrpa_ok,
    civicrpa_refused,
    cli_env,
    keyed_engine,
    register_me,
)

RRN = "900101-1234568"
#: Every fifth item holds RRN; the others another resident's number; five hold none at all.
WITH_RRN = [f"r{i:02d}" for i in range(0, 25, 5)]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A migrated database holding 30 encrypted items, whose search keys are then deleted."""
    data = tmp_path / "var"
    keys = data / "keys" / "keyring.json"
    KeyRing.generate("k1").save(keys)
    engine = create_engine_for(f"sqlite:///{data / 'civicrpa.db'}")
    migrate.upgrade(engine)
    store = QueueStore(engine, sealer=PayloadSealer(FieldCipher(KeyRing.load(keys))))
    try:
        store.add_many(
            "q",
            [
                NewItem(
                    reference=f"r{i:02d}",
                    payload={"n": i, "applicant_rrn": RRN if i % 5 == 0 else f"8505052{i:06d}"},
                )
                for i in range(25)
            ]
            + [NewItem(reference=f"plain{i}", payload={"n": i}) for i in range(5)],
        )
    finally:
        store.close()
        engine.dispose()
    return data


def _search_keys(data: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(data / "civicrpa.db") as conn:
        return conn.execute(
            "SELECT item_id, kind, digest FROM item_search_keys ORDER BY item_id, kind, digest"
        ).fetchall()


def _reindex_entries(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "civicrpa.db") as conn:
        return conn.execute(
            "SELECT actor, target FROM audit_log WHERE action = 'search_keys.reindex' ORDER BY seq"
        ).fetchall()


@pytest.mark.slow
def test_reindex_finds_items_added_before_search_keys_again(data: Path, tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(data)})
    register_me(env, tmp_path)
    added = _search_keys(data)
    assert len(added) == 25  # one resident number in each of 25 items, none in the others
    with sqlite3.connect(data / "civicrpa.db") as conn:
        conn.execute("DELETE FROM item_search_keys")  # as every item added before revision 0006
    find = ("privacy", "find", "--rrn", RRN, "--reason", "열람 요구 2025-1호")
    become(data, "privacy_officer")
    assert "담긴 작업이 없습니다" in civicrpa_ok(*find, env=env, cwd=tmp_path)

    become(data, "rpa_admin")
    out = civicrpa_ok("keys", "reindex", "--batch", "10", env=env, cwd=tmp_path)
    assert "작업 항목 30건을 살펴 검색 키 25건을 새로 만들고 0건을 지웠습니다" in out
    assert _search_keys(data) == added
    become(data, "privacy_officer")
    found = civicrpa_ok(*find, env=env, cwd=tmp_path)
    assert "주민등록번호 900101-1******이(가) 담긴 작업: 5건" in found
    for reference in WITH_RRN:
        assert reference in found
    assert "r01" not in found
    # One audit entry per batch of ten, by the person who ran it.
    assert _reindex_entries(data) == [
        (f"person:{ME}", "work_items:1-10"),
        (f"person:{ME}", "work_items:11-20"),
        (f"person:{ME}", "work_items:21-30"),
    ]

    # Running it again (after an interruption, or by mistake) changes and records nothing.
    become(data, "rpa_admin")
    again = civicrpa_ok("keys", "reindex", env=env, cwd=tmp_path)
    assert "검색 키 0건을 새로 만들고 0건을 지웠습니다(그대로 둔 키 25건)" in again
    assert _search_keys(data) == added
    become(data, "privacy_officer")
    assert "담긴 작업: 5건" in civicrpa_ok(*find, env=env, cwd=tmp_path)
    assert len(_reindex_entries(data)) == 3

    engine = create_engine_for(f"sqlite:///{data / 'civicrpa.db'}")
    try:
        assert audit.verify(keyed_engine(engine, data)).intact
    finally:
        engine.dispose()


@pytest.mark.slow
def test_reindex_needs_the_key_administrator(data: Path, tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(data)})
    register_me(env, tmp_path)
    with sqlite3.connect(data / "civicrpa.db") as conn:
        conn.execute("DELETE FROM item_search_keys")

    # The privacy officer searches with the keys, but does not decrypt every payload to make them.
    become(data, "privacy_officer")
    line = civicrpa_refused("keys", "reindex", env=env, cwd=tmp_path)
    assert "'개인정보 보호책임자' 역할에는 '암호 키 관리' 권한이 없습니다" in line
    become(data, "department_reviewer")
    line = civicrpa_refused("keys", "reindex", env=env, cwd=tmp_path)
    assert "'부서 검토자' 역할에는 '암호 키 관리' 권한이 없습니다" in line
    assert _search_keys(data) == []
    assert _reindex_entries(data) == []


def test_reindex_of_an_empty_queue_says_so(tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})
    civicrpa_ok("db", "upgrade", env=env, cwd=tmp_path)
    out = civicrpa_ok("keys", "reindex", env=env, cwd=tmp_path)
    assert "검색 키를 만들 작업 항목이 없습니다." in out
