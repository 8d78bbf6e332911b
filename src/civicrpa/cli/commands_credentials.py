"""``civicrpa credentials``: the robots' log-ins to the municipal systems (encrypted)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.clock import format_kst
from civicrpa.core.errors import InputRejected
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="로봇 자격 증명(암호화 보관)")


def _secret(secret_env: str | None, *, password_stdin: bool) -> str:
    """The password: from an environment variable, standard input, or typed twice at a terminal
    (without a terminal, typing is impossible: say how else to give it)."""
    if secret_env is not None and password_stdin:
        raise InputRejected("credentials.one_source", field="secret")
    if secret_env is not None:
        secret = os.environ.get(secret_env, "")
    elif password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise InputRejected("credentials.no_terminal", field="secret")
    else:
        secret = typer.prompt("비밀번호", hide_input=True, confirmation_prompt=True)
    if not secret:
        raise InputRejected("credentials.empty", field="secret")
    return secret


def _store(cli: CliApp) -> CredentialStore:
    return CredentialStore(cli.store.engine, cli.sealer.cipher)


@app.command("set")
def set_(
    name: Annotated[str, typer.Argument(metavar="시스템", help="시스템 이름 (예: intake)")],
    username: Annotated[str, typer.Option(metavar="아이디", help="로봇 계정 아이디")],
    secret_env: Annotated[
        str | None,
        typer.Option(
            metavar="변수",
            help="비밀번호를 담은 환경 변수 이름 (자동화용; 없으면 입력 받음)",
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="비밀번호를 표준 입력의 첫 줄에서 읽음 (예: 비밀 보관소 | civicrpa credentials set ...)",
        ),
    ] = False,
) -> None:
    """자격 증명을 등록하거나 바꿉니다. 비밀번호는 화면·기록에 남지 않습니다."""
    secret = _secret(secret_env, password_stdin=password_stdin)
    cli = CliApp()
    try:
        cli.require(Permission.CREDENTIALS_MANAGE)
        _store(cli).set(name, username=username, secret=secret, by=cli.actor)
    finally:
        cli.close()
    console.print(f"'{name}' 자격 증명을 저장했습니다.")


@app.command("list")
def list_() -> None:
    """등록된 자격 증명 이름과 변경 이력을 보여 줍니다 (값은 보여 주지 않음)."""
    cli = CliApp()
    try:
        cli.require(Permission.CREDENTIALS_MANAGE)
        rows = _store(cli).list()
    finally:
        cli.close()
    table = Table("이름", "변경 시각(KST)", "변경한 사람")
    for row in rows:
        table.add_row(row.name, format_kst(row.updated_at), row.updated_by)
    console.print(table)


@app.command("delete")
def delete(name: Annotated[str, typer.Argument(metavar="시스템", help="시스템 이름")]) -> None:
    """자격 증명을 지웁니다."""
    cli = CliApp()
    try:
        cli.require(Permission.CREDENTIALS_MANAGE)
        _store(cli).delete(name, by=cli.actor)
    finally:
        cli.close()
    console.print(f"'{name}' 자격 증명을 지웠습니다.")
