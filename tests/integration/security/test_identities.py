"""Registered identities on the real databases: changes audited, who acts resolved by the rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from civicrpa.config import Settings, load_settings
from civicrpa.core.errors import InputRejected, NotFound, StateConflict
from civicrpa.db.engine import create_engine_for
from civicrpa.security import audit
from civicrpa.security.identities import Identities, os_account, resolve_person, robot_identity
from civicrpa.security.models import audit_log
from civicrpa.security.rbac import (
    AccessDenied,
    IdentityKind,
    Permission,
    Role,
    Standing,
    authorize,
)

NOW = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
ADMIN = "person:setup"


def _identities(engine: Engine) -> Identities:
    return Identities(engine, clock=lambda: NOW)


def _audit(engine: Engine) -> list[tuple[str, str, str, dict[str, object]]]:
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    return [(row.actor, row.action, row.target, dict(row.detail)) for row in rows]


def _settings(environment: str) -> Settings:
    return load_settings(environment=environment)


def test_add_list_get(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("admin", "person", "rpa_admin", "관리자", by=ADMIN)
    kim = ids.add("kim", "person", "department_reviewer", "김민수", by=ADMIN)
    assert (kim.name, kim.kind, kim.role, kim.disabled) == (
        "kim",
        IdentityKind.PERSON,
        Role.DEPARTMENT_REVIEWER,
        False,
    )
    ids.add("robot:host-1-1", IdentityKind.ROBOT, Role.ROBOT, "로봇 1호", by=ADMIN)
    ids.add("auditor.lee", "person", "auditor", "이감사", by=ADMIN)
    assert [(i.name, i.role.value) for i in ids.list()] == [
        ("admin", "rpa_admin"),
        ("auditor.lee", "auditor"),
        ("kim", "department_reviewer"),
        ("robot:host-1-1", "robot"),
    ]
    assert ids.get("kim") == kim
    with pytest.raises(NotFound) as caught:
        ids.get("nobody")
    assert caught.value.message_ko == "'nobody' 사용자를 찾을 수 없습니다."


def test_every_change_is_in_the_audit_trail_without_the_real_name(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("admin1", "person", "rpa_admin", "관리자 하나", by=ADMIN)
    ids.add("kim", "person", "process_developer", "김민수", by="person:admin1")
    ids.set_role("kim", "department_reviewer", by="person:admin1")
    ids.set_role("kim", "department_reviewer", by="person:admin1")  # no change, no entry
    ids.disable("kim", by="person:admin1")
    ids.disable("kim", by="person:admin1")  # already disabled, no entry
    assert _audit(engine) == [
        (ADMIN, "identity.add", "identity:admin1", {"kind": "person", "role": "rpa_admin"}),
        (
            "person:admin1",
            "identity.add",
            "identity:kim",
            {"kind": "person", "role": "process_developer"},
        ),
        (
            "person:admin1",
            "identity.role",
            "identity:kim",
            {"from": "process_developer", "to": "department_reviewer"},
        ),
        ("person:admin1", "identity.disable", "identity:kim", {"role": "department_reviewer"}),
    ]
    assert "김민수" not in str(_audit(engine))
    assert audit.verify(engine).intact
    kim = ids.get("kim")
    assert (kim.role, kim.disabled) == (Role.DEPARTMENT_REVIEWER, True)


def test_a_name_is_registered_once(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("admin", "person", "rpa_admin", "관리자", by=ADMIN)
    ids.add("kim", "person", "auditor", "김민수", by=ADMIN)
    with pytest.raises(InputRejected) as caught:
        ids.add("kim", "person", "rpa_admin", "김민수", by=ADMIN)
    assert caught.value.message_ko == "'kim' 사용자는 이미 등록되어 있습니다."
    assert ids.get("kim").role is Role.AUDITOR
    assert len(_audit(engine)) == 2


@pytest.mark.parametrize(
    ("name", "kind", "role", "display", "code"),
    [
        ("kim lee", "person", "auditor", "김", "security.bad_identity_name"),
        ("", "person", "auditor", "김", "security.bad_identity_name"),
        ("robot:w1", "person", "auditor", "김", "security.bad_identity_name"),
        ("w1", "robot", "robot", "로봇", "security.bad_identity_name"),
        ("kim", "person", "robot", "김", "security.kind_role_mismatch"),
        ("robot:w1", "robot", "rpa_admin", "로봇", "security.kind_role_mismatch"),
        ("kim", "person", "superuser", "김", "security.unknown_role"),
        ("kim", "alien", "auditor", "김", "security.unknown_kind"),
        ("kim", "person", "auditor", "  ", "security.bad_display_name"),
        ("kim", "person", "auditor", "김" * 101, "security.bad_display_name"),
    ],
)
def test_bad_registrations_are_refused(
    engine: Engine, name: str, kind: str, role: str, display: str, code: str
) -> None:
    with pytest.raises(InputRejected) as caught:
        _identities(engine).add(name, kind, role, display, by=ADMIN)
    assert caught.value.code == code
    assert _identities(engine).list() == []
    assert _audit(engine) == []


def test_roles_follow_the_kind_and_unknown_names_are_named(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("robot:w1", "robot", "robot", "로봇", by=ADMIN)
    with pytest.raises(InputRejected) as caught:
        ids.set_role("robot:w1", "rpa_admin", by=ADMIN)
    assert caught.value.code == "security.kind_role_mismatch"
    with pytest.raises(NotFound):
        ids.set_role("nobody", "auditor", by=ADMIN)
    with pytest.raises(NotFound):
        ids.disable("nobody", by=ADMIN)


def test_the_last_active_administrator_stays(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("admin1", "person", "rpa_admin", "관리자 하나", by=ADMIN)
    with pytest.raises(StateConflict) as caught:
        ids.disable("admin1", by=ADMIN)
    assert caught.value.code == "security.last_admin"
    assert "마지막 RPA 관리자" in caught.value.message_ko
    with pytest.raises(StateConflict):
        ids.set_role("admin1", "auditor", by=ADMIN)
    ids.add("admin2", "person", "rpa_admin", "관리자 둘", by=ADMIN)
    ids.disable("admin1", by="person:admin2")
    with pytest.raises(StateConflict):
        ids.set_role("admin2", "auditor", by="person:admin2")
    assert [(i.name, i.disabled) for i in ids.list()] == [("admin1", True), ("admin2", False)]


@pytest.mark.parametrize(
    ("environment", "standing"),
    [
        ("development", Standing.BOOTSTRAP),
        ("test", Standing.BOOTSTRAP),
        ("production", Standing.INSTALLER),
    ],
)
def test_without_any_person_the_user_gets_a_provisional_standing(
    engine: Engine, environment: str, standing: Standing
) -> None:
    # A robot alone does not end it: robots never manage anything.
    _identities(engine).add("robot:w1", "robot", "robot", "로봇", by=ADMIN)
    me = resolve_person(engine, "setup", _settings(environment))
    assert (me.name, me.role, me.standing) == ("setup", Role.RPA_ADMIN, standing)
    authorize(me, Permission.DB_MIGRATE)
    authorize(me, Permission.USERS_MANAGE)
    with pytest.raises(AccessDenied):
        authorize(me, Permission.ITEM_DECIDE)
    if standing is Standing.BOOTSTRAP:
        for needed in ("process.run", "queue.add", "queue.read_personal", "item.requeue"):
            authorize(me, Permission(needed))
    else:
        with pytest.raises(AccessDenied):
            authorize(me, Permission.PROCESS_RUN)


def test_before_the_migrations_there_is_no_person_either(tmp_path: Path) -> None:
    fresh = create_engine_for(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert resolve_person(fresh, "setup", _settings("development")).standing is (
            Standing.BOOTSTRAP
        )
        assert resolve_person(fresh, "setup", _settings("production")).standing is (
            Standing.INSTALLER
        )
    finally:
        fresh.dispose()


@pytest.mark.parametrize("environment", ["development", "production"])
def test_once_a_person_is_registered_only_registered_people_act(
    engine: Engine, environment: str
) -> None:
    ids = _identities(engine)
    ids.add("lee", "person", "rpa_admin", "이관리", by=ADMIN)
    ids.add("kim", "person", "auditor", "김민수", by=ADMIN)
    settings = _settings(environment)
    kim = resolve_person(engine, "kim", settings)
    assert (kim.role, kim.standing) == (Role.AUDITOR, None)
    authorize(kim, Permission.AUDIT_READ)
    with pytest.raises(AccessDenied) as refused:
        authorize(kim, Permission.PROCESS_RUN)
    assert refused.value.message_ko == (
        "'감사 담당자' 역할에는 '업무 실행(로봇 가동)' 권한이 없습니다."
    )
    with pytest.raises(AccessDenied) as unknown:
        resolve_person(engine, "park", settings)
    assert unknown.value.code == "security.unknown_identity"
    assert "'park' 사용자는 등록되어 있지 않습니다" in unknown.value.message_ko
    # A robot's name is not a person's log-in.
    ids.add("robot:w1", "robot", "robot", "로봇", by=ADMIN)
    with pytest.raises(AccessDenied):
        resolve_person(engine, "robot:w1", settings)


def test_disabled_people_are_refused_and_do_not_reopen_the_bootstrap(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("admin", "person", "rpa_admin", "관리자", by=ADMIN)
    ids.add("kim", "person", "department_reviewer", "김민수", by=ADMIN)
    ids.disable("kim", by=ADMIN)
    settings = _settings("development")
    kim = resolve_person(engine, "kim", settings)
    assert kim.disabled
    with pytest.raises(AccessDenied) as caught:
        authorize(kim, Permission.QUEUE_READ)
    assert caught.value.code == "security.identity_disabled"
    with pytest.raises(AccessDenied):
        resolve_person(engine, "someone_else", settings)


def test_the_first_person_must_be_an_administrator(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("robot:w1", "robot", "robot", "로봇", by=ADMIN)  # robots do not end the bootstrap
    with pytest.raises(InputRejected) as caught:
        ids.add("kim", "person", "department_reviewer", "김민수", by=ADMIN)
    assert caught.value.code == "security.first_person_admin"
    assert "처음 등록하는 사람은 RPA 관리자여야 합니다" in caught.value.message_ko
    assert [i.name for i in ids.list()] == ["robot:w1"]
    ids.add("lee", "person", "rpa_admin", "이관리", by=ADMIN)
    ids.add("kim", "person", "department_reviewer", "김민수", by=ADMIN)


def test_recovery_makes_an_active_administrator_and_is_audited(engine: Engine) -> None:
    ids = _identities(engine)
    ids.add("lee", "person", "rpa_admin", "이관리", by=ADMIN)
    ids.add("kim", "person", "auditor", "김민수", by=ADMIN)
    ids.add("park", "person", "rpa_admin", "박관리", by=ADMIN)
    ids.disable("lee", by="person:park")
    restored = ids.recover("kim", by="os:root", reason="관리자 부재, 정보팀 요청")
    assert (restored.role, restored.disabled) == (Role.RPA_ADMIN, False)
    new = ids.recover("choi", by="os:root", reason="신규 관리자")
    assert (new.role, new.kind) == (Role.RPA_ADMIN, IdentityKind.PERSON)
    entries = [e for e in _audit(engine) if e[1] == "identity.recover"]
    assert [(e[0], e[2]) for e in entries] == [
        ("os:root", "identity:kim"),
        ("os:root", "identity:choi"),
    ]
    assert entries[0][3]["reason"] == "관리자 부재, 정보팀 요청"
    with pytest.raises(InputRejected):
        ids.recover("kim", by="os:root", reason="  ")
    assert audit.verify(engine).intact


def test_os_account_reads_the_real_user_id_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import pwd

    real = pwd.getpwuid(os.getuid()).pw_name
    monkeypatch.setenv("LOGNAME", "kim")
    monkeypatch.setenv("USER", "kim")
    assert os_account() == real
    assert os_account(2**31 - 7).startswith("uid-")  # no account entry: named by its number


def test_robot_identities() -> None:
    robot = robot_identity("host-4242-1")
    assert (robot.name, robot.kind, robot.role) == (
        "robot:host-4242-1",
        IdentityKind.ROBOT,
        Role.ROBOT,
    )
    assert robot.actor == "robot:host-4242-1"
    assert robot_identity("robot:w1").name == "robot:w1"
    authorize(robot, Permission.CREDENTIALS_USE)
    with pytest.raises(AccessDenied):
        authorize(robot, Permission.QUEUE_READ_PERSONAL)
    with pytest.raises(InputRejected):
        robot_identity("bad name")
