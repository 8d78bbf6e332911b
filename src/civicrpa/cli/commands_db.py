"""``civicrpa db``: bring the database schema up to date."""

from __future__ import annotations

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.korean import attach
from civicrpa.core.messages import render
from civicrpa.security import audit
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="데이터베이스 관리")


@app.command("upgrade")
def upgrade() -> None:
    """데이터베이스 구조를 최신으로 올립니다 (Alembic)."""
    from civicrpa.db import migrate  # Alembic is loaded by the commands that migrate, not at start

    cli = CliApp()
    try:
        cli.require(Permission.DB_MIGRATE)
        before = migrate.current_revision(cli.engine)
        migrate.upgrade(cli.engine)
        after = migrate.current_revision(cli.engine)
        # Audit entries from before keying (revision 0007) are sealed by a keyed entry at once,
        # so nobody can add unkeyed ones behind them (the key ring is read only then).
        unkeyed = audit.needs_seal(cli.engine)
        sealed = (
            audit.seal_legacy(audit.keyed(cli.engine, cli.sealer.audit_key), actor=cli.actor)
            if unkeyed
            else None
        )
    finally:
        cli.close()
    if before == after:
        console.print(f"데이터베이스가 이미 최신입니다 (revision {after}).")
    else:
        console.print(
            f"데이터베이스를 {before or '빈 상태'} → {attach(str(after), '(으)로')} 올렸습니다."
        )
    if sealed is not None:
        console.print(render("audit.sealed", {"unkeyed": f"{unkeyed:,}", "seq": sealed}))


@app.command("current")
def current() -> None:
    """현재 데이터베이스 revision을 보여 줍니다."""
    from civicrpa.db import migrate

    cli = CliApp()
    try:
        cli.require(Permission.DB_MIGRATE)  # the schema is the administrator's concern
        revision = migrate.current_revision(cli.engine)
        head = migrate.head_revision(cli.engine)
    finally:
        cli.close()
    state = "최신" if revision == head else f"최신 아님 (최신: {head})"
    console.print(f"revision {revision or '-'} · {state}")
