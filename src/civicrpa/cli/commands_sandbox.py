"""``civicrpa sandbox``: start the simulated municipal systems on loopback."""

from __future__ import annotations

import contextlib
import secrets
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from civicrpa.cli.app import CliApp
from civicrpa.cli.console_output import console
from civicrpa.cli.help import KoreanTyper
from civicrpa.config import Settings, load_settings
from civicrpa.core.errors import InputRejected
from civicrpa.core.messages import render
from civicrpa.sandbox.common.accounts import ACCOUNTS, SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.common.systems import DEFAULT_PORTS, FIRST_PORT, SYSTEM_NAMES

if TYPE_CHECKING:
    from civicrpa.sandbox.server import Sandbox
from civicrpa.security.rbac import Permission

app = KoreanTyper(help="모의 행정 시스템(샌드박스)")

Systems = Annotated[
    list[str] | None,
    typer.Option("--system", metavar="시스템", help="이 시스템만 (여러 번 가능; 기본: 전체)"),
]
SeedSize = Annotated[
    int, typer.Option(min=50, max=100_000, help="빈 데이터베이스에 만들 가상 주민 수")
]


def configured_truth_token(settings: Settings) -> str | None:
    """``CIVICRPA_SANDBOX_TRUTH_TOKEN``, or None when unset or empty (an empty token would let a
    request with an empty ``X-Sandbox-Token`` header through)."""
    token = settings.sandbox_truth_token
    value = token.get_secret_value() if token is not None else ""
    return value or None


def sandbox_config(settings: Settings, *, session_minutes: float = 30) -> SystemConfig:
    """Where the sandbox keeps its systems' databases (``<data dir>/sandbox``) and the token its
    ground truth and fault switch answer to: the configured one, random only when unset."""
    return SystemConfig(
        data_dir=Path(settings.data_dir) / "sandbox",
        session_minutes=session_minutes,
        truth_token=configured_truth_token(settings) or secrets.token_urlsafe(16),
    )


def _chosen(systems: list[str] | None) -> list[str]:
    """The systems named (all by default), each one of the sandbox's list.

    A named system that cannot be loaded (a module it needs is missing) is refused when the
    sandbox is built, naming the system and the module.
    """
    chosen = systems or list(SYSTEM_NAMES)
    unknown = [name for name in chosen if name not in SYSTEM_NAMES]
    if unknown:
        raise InputRejected(
            "sandbox.unknown_system",
            {"name": ", ".join(unknown), "known": ", ".join(SYSTEM_NAMES)},
        )
    return chosen


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


#: ``--port-base`` moves every system's port by the same amount.
PortBase = Annotated[
    int,
    typer.Option(
        min=1024,
        max=65_000,
        help=f"첫 포트 번호 (기본 {FIRST_PORT}; 시스템마다 순서대로 하나씩 더함)",
    ),
]


def ports_from(base: int, names: list[str]) -> dict[str, int]:
    """Each system's port: its default moved so that the first default port becomes ``base``."""
    return {name: DEFAULT_PORTS[name] - FIRST_PORT + base for name in names}


def check_ports(ports: dict[str, int]) -> None:
    """Refuse, in one line, to start on a port another program holds."""
    for name, port in ports.items():
        if not port_is_free(port):
            raise InputRejected("sandbox.port_busy", {"port": port, "system": name})


def describe(sandbox: Sandbox) -> Table:
    """The systems' addresses and accounts, for the person at the terminal."""
    table = Table("시스템", "주소", title="모의 행정 시스템", title_justify="left")
    for system in sandbox.systems.values():
        table.add_row(system.app.state.spec.title_ko, system.url)
    table.caption = f"계정: {', '.join(ACCOUNTS)} / 비밀번호: {SANDBOX_PASSWORD} (샌드박스 전용)"
    return table


@app.command("up")
def up(
    system: Systems = None,
    seed_size: SeedSize = 500,
    session_minutes: Annotated[float, typer.Option(min=0.05, help="세션 유지 시간(분)")] = 30,
    port_base: PortBase = FIRST_PORT,
) -> None:
    """모의 시스템을 모두 띄웁니다 (Ctrl-C로 종료). 데이터베이스가 비어 있으면 가상 데이터를 만듭니다."""
    settings = load_settings()
    cli = CliApp(settings)
    try:
        cli.require(Permission.SANDBOX_RUN)
    finally:
        cli.close()
    chosen = _chosen(system)
    ports = ports_from(port_base, chosen)
    check_ports(ports)
    config = sandbox_config(settings, session_minutes=session_minutes)
    from civicrpa.sandbox.server import Sandbox

    started = time.perf_counter()
    with console.status("가상 데이터 준비 중..."):
        sandbox = Sandbox(
            config,
            chosen,
            ports=ports,
            seed_size=seed_size,
        )
    console.print(f"준비 {time.perf_counter() - started:.1f}초")
    console.print(describe(sandbox))
    if configured_truth_token(settings) is None:
        token_line = render("sandbox.truth_token_random", {"token": config.truth_token})
    else:
        token_line = render("sandbox.truth_token_configured")
    # Unwrapped: a token cut across two lines could not be copied.
    console.print(token_line, highlight=False, soft_wrap=True)
    with contextlib.suppress(KeyboardInterrupt):
        sandbox.run()
    console.print("모의 시스템을 멈췄습니다.")
