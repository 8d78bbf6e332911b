"""Enabling a disabled user again: audited like disabling, refused when there is nothing to do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from civicrpa.core.errors import NotFound, StateConflict
from civicrpa.db import migrate
from civicrpa.db.engine import create_engine_for
from civicrpa.security import audit
from civicrpa.security.audit import AuditKey
from civicrpa.security.crypto import KeyRing
from civicrpa.security.identities import Identities
from civicrpa.security.models import audit_log
from civicrpa.security.rbac import Permission, Role, authorize

NOW = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
ADMIN = "person:admin1"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civicrpa.db'}")
    migrate.upgrade(engine)
    yield audit.keyed(engine, AuditKey.from_ring(KeyRing.generate()))
    engine.dispose()


@pytest.fixture
def ids(engine: Engine) -> Identities:
    ids = Identities(engine, clock=lambda: NOW)
    ids.add("admin1", "person", "rpa_admin", "관리자", by="person:setup")
    ids.add("kim", "person", "department_reviewer", "김민수", by=ADMIN)
    return ids


def _actions(engine: Engine) -> list[tuple[str, str, str, dict[str, object]]]:
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    return [(row.actor, row.action, row.target, dict(row.detail)) for row in rows]


def test_a_disabled_user_is_enabled_with_the_role_they_had(ids: Identities) -> None:
    ids.disable("kim", by=ADMIN)
    enabled = ids.enable("kim", by=ADMIN)
    assert (enabled.name, enabled.role, enabled.disabled) == (
        "kim",
        Role.DEPARTMENT_REVIEWER,
        False,
    )
    assert enabled.display_name == "김민수"
    kim = ids.get("kim")
    assert kim == enabled
    authorize(kim, Permission.ITEM_DECIDE)  # acts again


def test_enabling_is_in_the_audit_trail_like_disabling(ids: Identities, engine: Engine) -> None:
    ids.disable("kim", by=ADMIN)
    ids.enable("kim", by=ADMIN)
    assert _actions(engine)[-2:] == [
        (ADMIN, "identity.disable", "identity:kim", {"role": "department_reviewer"}),
        (ADMIN, "identity.enable", "identity:kim", {"role": "department_reviewer"}),
    ]
    assert "김민수" not in str(_actions(engine))
    assert audit.verify(engine).intact


def test_an_unknown_name_is_refused_in_korean(ids: Identities, engine: Engine) -> None:
    entries = len(_actions(engine))
    with pytest.raises(NotFound) as caught:
        ids.enable("nobody", by=ADMIN)
    assert caught.value.message_ko == "'nobody' 사용자를 찾을 수 없습니다."
    assert len(_actions(engine)) == entries


def test_an_enabled_user_is_not_enabled_twice(ids: Identities, engine: Engine) -> None:
    entries = len(_actions(engine))
    with pytest.raises(StateConflict) as caught:
        ids.enable("kim", by=ADMIN)
    assert caught.value.code == "security.identity_not_disabled"
    assert caught.value.message_ko == "'kim' 사용자는 사용 중지되어 있지 않습니다(이미 사용 중)."
    ids.disable("kim", by=ADMIN)
    ids.enable("kim", by=ADMIN)
    with pytest.raises(StateConflict):
        ids.enable("kim", by=ADMIN)
    assert [action for _, action, _, _ in _actions(engine)[entries:]] == [
        "identity.disable",
        "identity.enable",
    ]


def test_a_robot_is_enabled_too(ids: Identities) -> None:
    ids.add("robot:w1", "robot", "robot", "로봇 1호", by=ADMIN)
    ids.disable("robot:w1", by=ADMIN)
    assert ids.enable("robot:w1", by=ADMIN).role is Role.ROBOT
    assert not ids.get("robot:w1").disabled
