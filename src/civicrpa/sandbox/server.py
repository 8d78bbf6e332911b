"""Start the sandbox systems on loopback: all six from one command, or a few for a test.

Each system runs its own uvicorn server (its own port, like a separate host) inside one event
loop, in the foreground for ``civicrpa sandbox up`` or in a background thread for tests.
"""

from __future__ import annotations

import asyncio
import importlib
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD, ensure_accounts
from civicrpa.sandbox.common.app import SystemSpec, create_system_app
from civicrpa.sandbox.common.config import DEFAULT_PORTS, SystemConfig

#: System name -> module holding its ``SPEC``; systems not built yet are simply absent.
SYSTEM_MODULES = {
    "intake": "civicrpa.sandbox.intake.system",
    "resident_registry": "civicrpa.sandbox.resident_registry.system",
    "finance": "civicrpa.sandbox.finance.system",
    "hr_attendance": "civicrpa.sandbox.hr_attendance.system",
    "homepage_cms": "civicrpa.sandbox.homepage_cms.system",
    "library": "civicrpa.sandbox.library.system",
}


def available_systems() -> list[str]:
    """Systems whose module exists in this version."""
    names = []
    for name, module in SYSTEM_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        names.append(name)
    return names


def spec_of(name: str) -> SystemSpec:
    spec: SystemSpec = importlib.import_module(SYSTEM_MODULES[name]).SPEC
    return spec


def build_app(
    name: str, config: SystemConfig, *, seed_size: int = 200, password: str = SANDBOX_PASSWORD
) -> FastAPI:
    """One system, with its accounts and (on an empty database) its seed data."""
    spec = spec_of(name)
    app = create_system_app(spec, config)
    if ensure_accounts(app.state.db, app.state.users, password) and spec.seed is not None:
        spec.seed(app.state.db, seed_size)
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningSystem:
    name: str
    app: FastAPI
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Sandbox:
    """Several systems served on loopback from one event loop."""

    def __init__(
        self,
        config: SystemConfig,
        names: Iterable[str] | None = None,
        *,
        ports: dict[str, int] | None = None,
        seed_size: int = 200,
        password: str = SANDBOX_PASSWORD,
    ) -> None:
        chosen = list(names) if names is not None else available_systems()
        ports = ports if ports is not None else {n: DEFAULT_PORTS[n] for n in chosen}
        self.systems = {
            name: RunningSystem(
                name, build_app(name, config, seed_size=seed_size, password=password), ports[name]
            )
            for name in chosen
        }
        self._servers = [
            uvicorn.Server(
                uvicorn.Config(
                    system.app,
                    host="127.0.0.1",
                    port=system.port,
                    log_level="warning",
                    access_log=False,
                    lifespan="off",
                )
            )
            for system in self.systems.values()
        ]
        self._thread: threading.Thread | None = None

    async def serve(self) -> None:
        await asyncio.gather(*(server.serve() for server in self._servers))

    def run(self) -> None:
        """Serve in the foreground until interrupted."""
        asyncio.run(self.serve())

    def start(self, timeout: float = 20) -> Sandbox:
        """Serve in a background thread; returns once every system accepts connections."""
        self._thread = threading.Thread(target=self.run, name="sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not all(server.started for server in self._servers):
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        for system in self.systems.values():
            system.app.state.db.dispose()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
