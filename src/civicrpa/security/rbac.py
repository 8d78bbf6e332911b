"""Who may do what: roles, the permissions each holds, and the one check every command makes.

A city hall separates duties: the people who run the robots do not read citizens' data nor decide
on their applications, the people who decide do not run robots, and the people who oversee both
read the records of what happened, never the data itself. :data:`MATRIX` writes that down, one
role at a time, with the reason beside it; :func:`authorize` is the only place that reads it.
Robots hold a role of their own (:attr:`Role.ROBOT`) under their service identities
``robot:<worker>``, so a robot can never do what a person does.

Two provisional standings exist for a database that has no person registered yet (see
:func:`civicrpa.security.identities.resolve_person` for when each applies):
:data:`BOOTSTRAP_PERMISSIONS` so that a fresh development checkout runs the demo, and
:data:`INSTALLER_PERMISSIONS` so that a fresh production installation can be migrated and given
its first administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from civicrpa.core.errors import CivicRpaError, InputRejected


class Role(StrEnum):
    """The one role an identity holds (stored in ``identities.role``)."""

    #: Runs the robots, the schedules and the installation (database, keys, credentials, users).
    RPA_ADMIN = "rpa_admin"
    #: Builds and tries processes against the sandbox.
    PROCESS_DEVELOPER = "process_developer"
    #: An official of the department that owns the work: reads items and decides reviews.
    DEPARTMENT_REVIEWER = "department_reviewer"
    #: Checks the audit trail and who looked at personal data.
    AUDITOR = "auditor"
    #: The privacy officer (개인정보 보호책임자): the access log and data retention.
    PRIVACY_OFFICER = "privacy_officer"
    #: A robot's service identity (``robot:<worker>``), never a person.
    ROBOT = "robot"

    @property
    def label_ko(self) -> str:
        """The role's Korean name."""
        return ROLE_LABELS_KO[self]


class Permission(StrEnum):
    """One action that needs a permission (named ``<area>.<verb>``)."""

    #: Add or import work items.
    QUEUE_ADD = "queue.add"
    #: Counts by state, lists of items and schedules: nothing personal.
    QUEUE_READ = "queue.read"
    #: An item's payload and output, its artifacts (recorded in the access log).
    QUEUE_READ_PERSONAL = "queue.read_personal"
    #: Approve, reject or resolve an item waiting for review.
    ITEM_DECIDE = "item.decide"
    #: Requeue or postpone an item.
    ITEM_REQUEUE = "item.requeue"
    #: Start robots: ``run``, ``worker``, ``demo``.
    PROCESS_RUN = "process.run"
    #: Fire the due schedules (``schedule run-due``, ``worker`` with schedules).
    SCHEDULE_RUN = "schedule.run"
    #: Apply the database migrations.
    DB_MIGRATE = "db.migrate"
    #: Rotate the data key, re-encrypt, see key usage.
    KEYS_MANAGE = "keys.manage"
    #: Verify, show and anchor the audit trail.
    AUDIT_READ = "audit.read"
    #: The access log (who looked at whose personal data): the privacy report.
    ACCESS_LOG_READ = "access_log.read"
    #: Delete personal data past its retention period.
    RETENTION_RUN = "retention.run"
    #: Find the items that hold a resident number, account or phone (search keys, never the
    #: payload): a data subject's request to see, correct or delete their data (PIPA Art. 35-36).
    PRIVACY_FIND = "privacy.find"
    #: Set and delete robots' credentials for the municipal systems (never read them).
    CREDENTIALS_MANAGE = "credentials.manage"
    #: Read a credential in clear, to log in: robots only.
    CREDENTIALS_USE = "credentials.use"
    #: Register people and robots, change their role, disable them.
    USERS_MANAGE = "users.manage"
    #: Serve the simulated municipal systems (synthetic data only).
    SANDBOX_RUN = "sandbox.run"

    @property
    def label_ko(self) -> str:
        """The action's Korean name, as a refusal names it."""
        return PERMISSION_LABELS_KO[self]


class IdentityKind(StrEnum):
    """Whether an identity is a person or a robot (``identities.kind``)."""

    #: A person, named by their log-in or OS user name.
    PERSON = "person"
    #: A robot's service identity, named ``robot:<worker>``.
    ROBOT = "robot"


class Standing(StrEnum):
    """Why an unregistered person may act at all (see the module docstring)."""

    #: Development or test database without any person: enough to run the demo.
    BOOTSTRAP = "bootstrap"
    #: Production database without any person: migrate it and register the administrator.
    INSTALLER = "installer"


ROLE_LABELS_KO: Final = MappingProxyType(
    {
        Role.RPA_ADMIN: "RPA 관리자",
        Role.PROCESS_DEVELOPER: "업무 개발자",
        Role.DEPARTMENT_REVIEWER: "부서 검토자",
        Role.AUDITOR: "감사 담당자",
        Role.PRIVACY_OFFICER: "개인정보 보호책임자",
        Role.ROBOT: "로봇 서비스 계정",
    }
)

PERMISSION_LABELS_KO: Final = MappingProxyType(
    {
        Permission.QUEUE_ADD: "작업 등록",
        Permission.QUEUE_READ: "대기열 조회",
        Permission.QUEUE_READ_PERSONAL: "개인정보가 담긴 작업 내용 조회",
        Permission.ITEM_DECIDE: "검토 작업 승인·반려·완료 처리",
        Permission.ITEM_REQUEUE: "작업 재처리·연기",
        Permission.PROCESS_RUN: "업무 실행(로봇 가동)",
        Permission.SCHEDULE_RUN: "반복 일정 실행",
        Permission.DB_MIGRATE: "데이터베이스 구조 변경",
        Permission.KEYS_MANAGE: "암호 키 관리",
        Permission.AUDIT_READ: "감사 기록 조회",
        Permission.ACCESS_LOG_READ: "개인정보 접근 기록 조회",
        Permission.RETENTION_RUN: "보존 기간 지난 개인정보 파기",
        Permission.PRIVACY_FIND: "개인정보로 작업 찾기(정보주체 열람·정정·삭제 요구 처리)",
        Permission.CREDENTIALS_MANAGE: "로봇 접속 계정 관리",
        Permission.CREDENTIALS_USE: "로봇 접속 계정 사용",
        Permission.USERS_MANAGE: "사용자·역할 관리",
        Permission.SANDBOX_RUN: "모의 행정 시스템 실행",
    }
)

STANDING_LABELS_KO: Final = MappingProxyType(
    {
        Standing.BOOTSTRAP: "초기 설정 사용자",
        Standing.INSTALLER: "설치 담당자",
    }
)

_P = Permission

#: Each role's permissions: what its work needs and no more.
MATRIX: Final[MappingProxyType[Role, frozenset[Permission]]] = MappingProxyType(
    {
        # Operates the installation: runs robots and schedules, fills queues with the batches
        # departments hand over, requeues items after an outage, migrates the database, rotates
        # keys, sets the robots' credentials and registers people. Does not read personal data
        # nor decide reviews (the robots' output is judged by the department, not by the team
        # that ran them), and does not read the audit trail that records its own actions.
        Role.RPA_ADMIN: frozenset(
            {
                _P.QUEUE_ADD,
                _P.QUEUE_READ,
                _P.ITEM_REQUEUE,
                _P.PROCESS_RUN,
                _P.SCHEDULE_RUN,
                _P.DB_MIGRATE,
                _P.KEYS_MANAGE,
                _P.CREDENTIALS_MANAGE,
                _P.USERS_MANAGE,
                _P.SANDBOX_RUN,
            }
        ),
        # Builds processes: runs them and the sandbox, and sees how queues move. Never personal
        # data, and never adds items (a test item in a live queue is a payment to nobody).
        Role.PROCESS_DEVELOPER: frozenset({_P.PROCESS_RUN, _P.SANDBOX_RUN, _P.QUEUE_READ}),
        # Decides the department's applications: must read an item's personal data to decide
        # it, and sends items back (documents to complete) or postpones them. Runs nothing.
        Role.DEPARTMENT_REVIEWER: frozenset(
            {_P.QUEUE_READ, _P.QUEUE_READ_PERSONAL, _P.ITEM_DECIDE, _P.ITEM_REQUEUE}
        ),
        # Oversees: the audit trail, the access log and queue counts to reconcile them with.
        # Never personal data itself, and changes nothing.
        Role.AUDITOR: frozenset({_P.AUDIT_READ, _P.ACCESS_LOG_READ, _P.QUEUE_READ}),
        # Answers for personal data under PIPA: reads who looked at what (access log, audit
        # trail), runs the retention deletion, and answers data subjects' requests by finding
        # which items hold their resident number, account or phone (each search in the access
        # log). Does not read the data: a search shows item numbers, never a payload.
        Role.PRIVACY_OFFICER: frozenset(
            {_P.ACCESS_LOG_READ, _P.RETENTION_RUN, _P.AUDIT_READ, _P.PRIVACY_FIND}
        ),
        # A robot works its queues: runs processes, adds the items its producers find, and reads
        # the credential it logs in with. Nothing else: no decisions, no reading for people.
        Role.ROBOT: frozenset({_P.PROCESS_RUN, _P.QUEUE_ADD, _P.CREDENTIALS_USE}),
    }
)

#: The unregistered person of a development or test database that has no person yet acts as
#: RPA administrator, plus what the demo and the README's walk-through read: one item
#: (``queue show``: synthetic data in such a database) and the audit trail (``audit verify``).
#: Deciding reviews, the access log, retention, searching by personal values and using robots'
#: credentials stay with the roles that answer for them: register a person for those.
BOOTSTRAP_PERMISSIONS: Final = MATRIX[Role.RPA_ADMIN] | {_P.QUEUE_READ_PERSONAL, _P.AUDIT_READ}

#: The unregistered person of a production database that has no person yet may only bring the
#: schema up to date and register people (the first administrator); nothing that reads or
#: changes work. Whoever runs the command already holds the database's credentials.
INSTALLER_PERMISSIONS: Final = frozenset({_P.DB_MIGRATE, _P.USERS_MANAGE})

_STANDING_PERMISSIONS: Final = MappingProxyType(
    {Standing.BOOTSTRAP: BOOTSTRAP_PERMISSIONS, Standing.INSTALLER: INSTALLER_PERMISSIONS}
)


@dataclass(frozen=True, kw_only=True)
class Identity:
    """A person or robot that acts, as read from the ``identities`` table (or provisional)."""

    #: A person's log-in or OS user name; ``robot:<worker>`` for a robot.
    name: str
    kind: IdentityKind
    role: Role
    display_name: str
    disabled: bool = False
    #: Set for an unregistered person allowed to act while no person is registered.
    standing: Standing | None = None

    @property
    def actor(self) -> str:
        """The name the audit trail gives this identity (``person:kim``, ``robot:w1``)."""
        if self.kind is IdentityKind.ROBOT:
            return self.name
        return f"person:{self.name}"

    @property
    def label_ko(self) -> str:
        """The role (or provisional standing) as a person reads it."""
        if self.standing is not None:
            return STANDING_LABELS_KO[self.standing]
        return self.role.label_ko

    @property
    def permissions(self) -> frozenset[Permission]:
        """What this identity may do now: nothing at all once disabled."""
        if self.disabled:
            return frozenset()
        if self.standing is not None:
            return _STANDING_PERMISSIONS[self.standing]
        return MATRIX[self.role]


class AccessDenied(CivicRpaError):
    """The identity may not do this: its role lacks the permission, or it may not act at all."""

    default_code = "security.access_denied"


def authorize(identity: Identity, permission: Permission) -> None:
    """Return if ``identity`` holds ``permission``; raise :class:`AccessDenied` otherwise."""
    if identity.disabled:
        raise AccessDenied(
            "security.identity_disabled",
            {"name": identity.name, "action": permission.label_ko},
        )
    if permission not in identity.permissions:
        raise AccessDenied(
            "security.access_denied", {"role": identity.label_ko, "action": permission.label_ko}
        )


def parse_role(value: str) -> Role:
    """The role named ``value`` (``rpa_admin``, ...); a clear error names the known ones."""
    try:
        return Role(value.strip())
    except ValueError:
        known = ", ".join(f"{role.value}({role.label_ko})" for role in Role)
        raise InputRejected(
            "security.unknown_role", {"role": value[:40], "known": known}, field="role"
        ) from None


__all__ = [
    "BOOTSTRAP_PERMISSIONS",
    "INSTALLER_PERMISSIONS",
    "MATRIX",
    "PERMISSION_LABELS_KO",
    "ROLE_LABELS_KO",
    "AccessDenied",
    "Identity",
    "IdentityKind",
    "Permission",
    "Role",
    "Standing",
    "authorize",
    "parse_role",
]
