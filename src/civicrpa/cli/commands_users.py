"""``civicrpa users``: register people and robots with a role, change the role, disable them
and enable them again.

People are registered under their log-in (OS) user name, robots as ``robot:<name>``. Every change
is in the audit trail; nobody is deleted. Which role may do what: ``civicrpa/security/rbac.py``.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.errors import InputRejected
from civicrpa.core.korean import attach
from civicrpa.security.identities import Identities
from civicrpa.security.rbac import IdentityKind, Permission, Role

app = KoreanTyper(help="사용자와 역할")

_ROLES_HELP = ", ".join(f"{role.value}({role.label_ko})" for role in Role)
Name = Annotated[
    str, typer.Argument(metavar="사용자", help="사용자 이름 (로그인 이름, 로봇은 robot:이름)")
]
_KIND_KO = {IdentityKind.PERSON: "사람", IdentityKind.ROBOT: "로봇"}


def _identities(cli: CliApp) -> Identities:
    return Identities(cli.migrated_engine)


@app.command("add")
def add(
    name: Name,
    role: Annotated[str, typer.Option("--role", metavar="역할", help=f"역할: {_ROLES_HELP}")],
    display_name: Annotated[
        str | None, typer.Option("--name", help="표시 이름 (기본: 사용자 이름)")
    ] = None,
) -> None:
    """사용자(사람 또는 로봇)를 역할과 함께 등록합니다."""
    cli = CliApp()
    try:
        me = cli.require(Permission.USERS_MANAGE)
        kind = IdentityKind.ROBOT if name.startswith("robot:") else IdentityKind.PERSON
        added = _identities(cli).add(name, kind, role, display_name or name, by=cli.actor)
    finally:
        cli.close()
    console.print(
        f"{attach(f'{added.name}({added.display_name})', '을(를)')} "
        f"{attach(added.role.label_ko, '(으)로')} 등록했습니다.",
        highlight=False,
    )
    if me.standing is not None and added.kind is IdentityKind.PERSON and added.name != me.name:
        # Registering the first person ends the provisional standing, for this user too.
        console.print(
            f"이제 등록된 사람만 명령을 쓸 수 있습니다. 현재 사용자 '{me.name}'도 등록하십시오.",
            highlight=False,
        )


@app.command("list")
def list_() -> None:
    """등록된 사용자와 역할을 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.USERS_MANAGE)
        everyone = _identities(cli).list()
    finally:
        cli.close()
    table = Table("이름", "표시 이름", "종류", "역할", "상태")
    for identity in everyone:
        table.add_row(
            identity.name,
            identity.display_name,
            _KIND_KO[identity.kind],
            identity.role.label_ko,
            "사용 중지" if identity.disabled else "사용",
        )
    console.print(table)


@app.command("role")
def role(
    name: Name,
    new_role: Annotated[str, typer.Argument(metavar="역할", help=f"새 역할: {_ROLES_HELP}")],
) -> None:
    """사용자의 역할을 바꿉니다."""
    cli = CliApp()
    try:
        cli.require(Permission.USERS_MANAGE)
        changed = _identities(cli).set_role(name, new_role, by=cli.actor)
    finally:
        cli.close()
    console.print(f"{changed.name}의 역할은 이제 {changed.role.label_ko}입니다.", highlight=False)


@app.command("disable")
def disable(name: Name) -> None:
    """사용자를 사용 중지합니다 (감사 기록을 위해 삭제하지 않음)."""
    cli = CliApp()
    try:
        cli.require(Permission.USERS_MANAGE)
        disabled = _identities(cli).disable(name, by=cli.actor)
    finally:
        cli.close()
    console.print(f"{attach(disabled.name, '을(를)')} 사용 중지했습니다.", highlight=False)


@app.command("enable")
def enable(name: Name) -> None:
    """사용 중지한 사용자를 다시 사용하게 합니다 (역할은 그대로)."""
    cli = CliApp()
    try:
        cli.require(Permission.USERS_MANAGE)
        enabled = _identities(cli).enable(name, by=cli.actor)
    finally:
        cli.close()
    console.print(
        f"{attach(enabled.name, '을(를)')} 다시 사용하게 했습니다(역할: {enabled.role.label_ko}).",
        highlight=False,
    )


@app.command("recover")
def recover(
    name: Name,
    reason: Annotated[str, typer.Option("--reason", "-r", help="복구 사유 (감사 기록에 남음)")],
) -> None:
    """RPA 관리자를 잃었을 때: 서버의 시스템 관리자(root)가 NAME을 RPA 관리자로 되살립니다."""
    cli = CliApp()
    try:
        # The machine's administrator can edit the database anyway; this way it is audited.
        if os.getuid() != 0:
            raise InputRejected("security.recover_needs_root", {"name": cli.username})
        restored = Identities(cli.migrated_engine).recover(
            name, by=f"os:{cli.username}", reason=reason
        )
    finally:
        cli.close()
    console.print(
        f"{attach(restored.name, '을(를)')} RPA 관리자로 복구했습니다. 이 복구는 감사 기록에 남았습니다.",
        highlight=False,
    )
