"""``civicrpa db``: bring the database schema up to date."""

from __future__ import annotations

import typer

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.db import migrate
from civicrpa.security.rbac import Permission

app = typer.Typer(help="데이터베이스 관리", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """데이터베이스 구조를 최신으로 올립니다 (Alembic)."""
    cli = CliApp()
    try:
        cli.require(Permission.DB_MIGRATE)
        before = migrate.current_revision(cli.engine)
        migrate.upgrade(cli.engine)
        after = migrate.current_revision(cli.engine)
    finally:
        cli.close()
    if before == after:
        console.print(f"데이터베이스가 이미 최신입니다 (revision {after}).")
    else:
        console.print(f"데이터베이스를 {before or '빈 상태'} → {after}(으)로 올렸습니다.")


@app.command("current")
def current() -> None:
    """현재 데이터베이스 revision을 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.DB_MIGRATE)  # the schema is the administrator's concern
        revision = migrate.current_revision(cli.engine)
        head = migrate.head_revision(cli.engine)
    finally:
        cli.close()
    state = "최신" if revision == head else f"최신 아님 (최신: {head})"
    console.print(f"revision {revision or '-'} · {state}")
