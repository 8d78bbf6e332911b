"""Start the sandbox systems on loopback: all six from one command, or a few for a test.

Each system runs its own uvicorn server (its own port, like a separate host) inside one event
loop, in the foreground for ``civicrpa sandbox up`` or in a background thread for tests.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD, ensure_accounts
from civicrpa.sandbox.common.app import create_system_app
from civicrpa.sandbox.common.city import DEFAULT_POPULATION
from civicrpa.sandbox.common.config import DEFAULT_PORTS, SystemConfig
from civicrpa.sandbox.common.systems import SYSTEM_NAMES, check_systems, load_spec


def available_systems() -> list[str]:
    """Every sandbox system, once each is known to load.

    A system whose module or one of its dependencies is missing raises
    :class:`~civicrpa.sandbox.common.systems.SystemUnavailable` naming it and the module, rather
    than being left out of the list.
    """
    return check_systems(SYSTEM_NAMES)


def build_app(
    name: str,
    config: SystemConfig,
    *,
    seed_size: int = DEFAULT_POPULATION,
    password: str = SANDBOX_PASSWORD,
) -> FastAPI:
    """One system, with its accounts and (on an empty database) its seed data.

    ``seed_size`` is the synthetic city's population: every system's seed grows with it.
    """
    spec = load_spec(name)
    app = create_system_app(spec, config)
    if ensure_accounts(app.state.db, app.state.users, password) and spec.seed is not None:
        spec.seed(app.state.db, seed_size)
    return app


def free_port() -> int:
    """A loopback port free at this moment (tests and the demo start systems on it)."""
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
        seed_size: int = DEFAULT_POPULATION,
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
