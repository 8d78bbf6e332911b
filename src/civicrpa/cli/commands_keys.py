"""``civicrpa keys``: rotate the data key and re-encrypt work items under it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.db.engine import write_transaction
from civicrpa.queue.rekey import key_usage, reencrypt_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.crypto import FieldCipher
from civicrpa.security.keys import add_key, keyring_path
from civicrpa.security.rbac import Permission

app = typer.Typer(help="암호 키 관리", no_args_is_help=True)
Batch = Annotated[int, typer.Option(min=10, max=10_000, help="한 번에 다시 암호화할 건수")]


@app.command("status")
def status() -> None:
    """현재 키와, 키별 작업 항목 수를 보여 줍니다."""
    cli = CliApp()
    try:
        cli.require(Permission.KEYS_MANAGE)
        active = cli.sealer.cipher.ring.active
        usage = key_usage(cli.store.engine)
    finally:
        cli.close()
    table = Table("키", "작업 항목 수", title=f"현재 키: {active}", title_justify="left")
    for key, count in sorted(usage.items()):
        table.add_row(key + (" (현재)" if key == active else ""), f"{count:,}")
    console.print(table)


def _reencrypt(cli: CliApp, sealer: PayloadSealer, batch: int) -> None:
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("다시 암호화", total=None)
        report = reencrypt_items(
            cli.store.engine,
            sealer,
            actor=cli.actor,
            batch=batch,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(
        f"작업 항목 {report.scanned:,}건을 살펴 {report.resealed:,}건을 키 {report.key_id}(으)로 "
        "다시 암호화했습니다."
    )


@app.command("rotate")
def rotate(batch: Batch = 500) -> None:
    """새 키를 만들고 모든 작업 항목을 새 키로 다시 암호화합니다 (옛 키는 읽기용으로 남김)."""
    cli = CliApp()
    try:
        cli.require(Permission.KEYS_MANAGE)
        _ = cli.store  # refuses an unmigrated database first
        ring = add_key(cli.settings)
        with cli.store.engine.connect() as conn, write_transaction(conn):
            audit.append(
                conn,
                [
                    AuditRecord(
                        actor=cli.actor,
                        action="key.rotate",
                        target="keyring",
                        detail={"active": ring.active, "keys": len(ring.keys)},
                    )
                ],
            )
        console.print(f"새 키 {ring.active}를 {keyring_path(cli.settings)}에 추가했습니다.")
        _reencrypt(cli, PayloadSealer(FieldCipher(ring)), batch)
        console.print("실행 중인 로봇은 다시 시작해야 새 키로 암호화합니다.")
    finally:
        cli.close()


@app.command("reencrypt")
def reencrypt(batch: Batch = 500) -> None:
    """중단된 재암호화를 이어서 마칩니다 (이미 현재 키인 항목은 건너뜀)."""
    cli = CliApp()
    try:
        cli.require(Permission.KEYS_MANAGE)
        _reencrypt(cli, cli.sealer, batch)
    finally:
        cli.close()
