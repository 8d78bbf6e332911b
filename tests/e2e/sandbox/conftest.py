from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.server import RunningSystem, Sandbox, free_port

TOKEN = "test-truth-token"


@pytest.fixture
def start_system(tmp_path: Path) -> Iterator[Callable[..., RunningSystem]]:
    """Start one sandbox system on a free port; stopped after the test."""
    started: list[Sandbox] = []

    def start(name: str, *, seed_size: int = 60, session_minutes: float = 30) -> RunningSystem:
        config = SystemConfig(
            data_dir=tmp_path / name, session_minutes=session_minutes, truth_token=TOKEN
        )
        sandbox = Sandbox(config, [name], ports={name: free_port()}, seed_size=seed_size).start()
        started.append(sandbox)
        return sandbox.systems[name]

    yield start
    for sandbox in started:
        sandbox.stop()


def truth(system: RunningSystem, path: str) -> object:
    """GET ground truth (token sent)."""
    response = httpx.get(f"{system.url}/__sandbox/truth{path}", headers={"X-Sandbox-Token": TOKEN})
    response.raise_for_status()
    return response.json()


def sandbox_post(system: RunningSystem, path: str, body: object = None) -> None:
    response = httpx.post(
        f"{system.url}/__sandbox{path}", json=body, headers={"X-Sandbox-Token": TOKEN}
    )
    response.raise_for_status()


def log_in(page: Page, system: RunningSystem, username: str = "clerk01") -> None:
    page.goto(f"{system.url}/login")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(SANDBOX_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def bypass_browser_checks(page: Page) -> None:
    """Drop the browser's own form checks, as a hostile client would: the server must judge."""
    page.evaluate(
        """() => {
            document.querySelectorAll("form").forEach(f => { f.noValidate = true; });
            document.querySelectorAll("[maxlength]").forEach(e => e.removeAttribute("maxlength"));
        }"""
    )
