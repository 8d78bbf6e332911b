"""``civicrpa keys``: rotate the data key, re-encrypt work items under it, rebuild search keys."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.core.korean import attach
from civicrpa.db.engine import write_transaction
from civicrpa.queue.rekey import key_usage, reencrypt_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.search_keys import reindex_items
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.crypto import FieldCipher
from civicrpa.security.keys import add_key, keyring_path
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="암호 키 관리")
Batch = Annotated[int, typer.Option(min=10, max=10_000, help="한 번에 다시 암호화할 건수")]
IndexBatch = Annotated[
    int, typer.Option(min=10, max=10_000, help="한 번에 검색 키를 다시 만들 작업 항목 수")
]


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
        f"작업 항목 {report.scanned:,}건을 살펴 {report.resealed:,}건을 키 {attach(str(report.key_id), '(으)로')} "
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


@app.command("reindex")
def reindex(batch: IndexBatch = 500) -> None:
    """파기되지 않은 모든 작업 항목의 검색 키(개인정보로 작업 찾기용)를 맞춰 다시 만듭니다.

    검색 키 기능이 생기기 전에 등록된 항목이 있을 때와 색인 키를 바꾼 뒤에 씁니다.
    빠진 키만 더하고 낡은 키만 지우므로, 중단된 뒤 다시 실행하거나 여러 번 실행해도 중복되지 않습니다.
    """
    cli = CliApp()
    try:
        cli.require(Permission.KEYS_MANAGE)
        engine = cli.store.engine  # refuses an unmigrated database first
        # reindex_items writes an audit entry for each batch it changes ("search_keys.reindex").
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("검색 키 다시 만들기", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = reindex_items(
                engine, cli.sealer, actor=cli.actor, batch=batch, progress=advance
            )
    finally:
        cli.close()
    if report.items == 0:
        console.print("검색 키를 만들 작업 항목이 없습니다.")
        return
    console.print(
        f"작업 항목 {report.items:,}건을 살펴 검색 키 {report.added:,}건을 새로 만들고 "
        f"{report.removed:,}건을 지웠습니다(그대로 둔 키 {report.kept:,}건). "
        "개인정보가 없는 항목에는 검색 키가 없습니다."
    )
