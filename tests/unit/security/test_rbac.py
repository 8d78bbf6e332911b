"""Roles and permissions: every role against every permission, written out by hand.

The expected table below is the policy as the safeguards issue states it; it is deliberately
not derived from ``MATRIX``, so a change to the matrix has to be made twice, on purpose.
"""

from __future__ import annotations

import pytest

from civicrpa.core.errors import CivicRpaError, InputRejected
from civicrpa.security.rbac import (
    AccessDenied,
    Identity,
    IdentityKind,
    Permission,
    Role,
    Standing,
    authorize,
    parse_role,
)

ALL = [
    "queue.add",
    "queue.read",
    "queue.read_personal",
    "item.decide",
    "item.requeue",
    "process.run",
    "schedule.run",
    "db.migrate",
    "keys.manage",
    "audit.read",
    "access_log.read",
    "retention.run",
    "privacy.find",
    "credentials.manage",
    "credentials.use",
    "users.manage",
    "sandbox.run",
]

EXPECTED: dict[str, set[str]] = {
    # runs robots, schedules and the installation; no personal data, no decisions, no audit
    "rpa_admin": {
        "queue.add",
        "queue.read",
        "item.requeue",
        "process.run",
        "schedule.run",
        "db.migrate",
        "keys.manage",
        "credentials.manage",
        "users.manage",
        "sandbox.run",
    },
    "process_developer": {"process.run", "sandbox.run", "queue.read"},
    "department_reviewer": {"queue.read", "queue.read_personal", "item.decide", "item.requeue"},
    "auditor": {"audit.read", "access_log.read", "queue.read"},
    # finds which items hold a data subject's number (PIPA Art. 35-36), never reads a payload
    "privacy_officer": {"access_log.read", "retention.run", "audit.read", "privacy.find"},
    "robot": {"process.run", "queue.add", "credentials.use"},
}

BOOTSTRAP = EXPECTED["rpa_admin"] | {"queue.read_personal", "audit.read"}
INSTALLER = {"db.migrate", "users.manage"}


def _who(role: str, *, disabled: bool = False, standing: Standing | None = None) -> Identity:
    robot = role == "robot"
    return Identity(
        name="robot:w1" if robot else "kim",
        kind=IdentityKind.ROBOT if robot else IdentityKind.PERSON,
        role=Role(role),
        display_name="김민수",
        disabled=disabled,
        standing=standing,
    )


def test_the_lists_cover_every_role_and_permission() -> None:
    assert sorted(ALL) == sorted(p.value for p in Permission)
    assert sorted(EXPECTED) == sorted(r.value for r in Role)


@pytest.mark.parametrize("permission", ALL)
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_holds_exactly_its_permissions(role: str, permission: str) -> None:
    identity = _who(role)
    if permission in EXPECTED[role]:
        authorize(identity, Permission(permission))
    else:
        with pytest.raises(AccessDenied):
            authorize(identity, Permission(permission))


@pytest.mark.parametrize("permission", ALL)
@pytest.mark.parametrize(
    ("standing", "allowed"), [(Standing.BOOTSTRAP, BOOTSTRAP), (Standing.INSTALLER, INSTALLER)]
)
def test_provisional_standings(standing: Standing, allowed: set[str], permission: str) -> None:
    identity = _who("rpa_admin", standing=standing)
    if permission in allowed:
        authorize(identity, Permission(permission))
    else:
        with pytest.raises(AccessDenied):
            authorize(identity, Permission(permission))


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_a_disabled_identity_may_do_nothing(role: str) -> None:
    identity = _who(role, disabled=True)
    for permission in Permission:
        with pytest.raises(AccessDenied) as caught:
            authorize(identity, permission)
        assert caught.value.code == "security.identity_disabled"
    assert identity.permissions == frozenset()


def test_nobody_but_robots_uses_credentials_and_robots_read_nothing_personal() -> None:
    holders = {role for role, perms in EXPECTED.items() if "credentials.use" in perms}
    assert holders == {"robot"}
    readers = {role for role, perms in EXPECTED.items() if "queue.read_personal" in perms}
    assert readers == {"department_reviewer"}
    assert "queue.read_personal" in BOOTSTRAP
    assert not {"item.decide", "access_log.read", "credentials.use", "privacy.find"} & BOOTSTRAP


def test_only_the_privacy_officer_searches_by_personal_values() -> None:
    holders = {role for role, perms in EXPECTED.items() if "privacy.find" in perms}
    assert holders == {"privacy_officer"}
    with pytest.raises(AccessDenied) as caught:
        authorize(_who("department_reviewer"), Permission.PRIVACY_FIND)
    assert caught.value.message_ko == (
        "'부서 검토자' 역할에는 '개인정보로 작업 찾기(정보주체 열람·정정·삭제 요구 처리)' "
        "권한이 없습니다."
    )


def test_the_refusal_names_the_role_and_the_action_in_korean() -> None:
    with pytest.raises(AccessDenied) as caught:
        authorize(_who("auditor"), Permission.PROCESS_RUN)
    error = caught.value
    assert isinstance(error, CivicRpaError)
    assert error.code == "security.access_denied"
    assert error.message_ko == "'감사 담당자' 역할에는 '업무 실행(로봇 가동)' 권한이 없습니다."
    assert str(error) == "security.access_denied"


def test_a_disabled_refusal_and_a_provisional_one_read_well() -> None:
    with pytest.raises(AccessDenied) as disabled:
        authorize(_who("rpa_admin", disabled=True), Permission.KEYS_MANAGE)
    assert disabled.value.message_ko == (
        "사용자 'kim'은 사용 중지되어 '암호 키 관리' 작업을 할 수 없습니다."
    )
    with pytest.raises(AccessDenied) as installer:
        authorize(_who("rpa_admin", standing=Standing.INSTALLER), Permission.PROCESS_RUN)
    assert installer.value.message_ko == (
        "'설치 담당자' 역할에는 '업무 실행(로봇 가동)' 권한이 없습니다."
    )


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("rpa_admin", "RPA 관리자"),
        ("process_developer", "업무 개발자"),
        ("department_reviewer", "부서 검토자"),
        ("auditor", "감사 담당자"),
        ("privacy_officer", "개인정보 보호책임자"),
        ("robot", "로봇 서비스 계정"),
    ],
)
def test_role_labels(role: str, label: str) -> None:
    assert Role(role).label_ko == label


def test_every_permission_has_a_korean_label() -> None:
    labels = [p.label_ko for p in Permission]
    assert all(labels)
    assert len(set(labels)) == len(labels)


def test_actor_names_follow_the_audit_trail() -> None:
    assert _who("auditor").actor == "person:kim"
    assert _who("robot").actor == "robot:w1"


def test_parse_role_names_the_known_roles() -> None:
    assert parse_role(" auditor ") is Role.AUDITOR
    with pytest.raises(InputRejected) as caught:
        parse_role("superuser")
    assert "알 수 없는 역할 'superuser'" in caught.value.message_ko
    assert "privacy_officer(개인정보 보호책임자)" in caught.value.message_ko
