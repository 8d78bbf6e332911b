"""Browser robots against the real sandbox systems, in Debian's Chromium."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from civicrpa.config import Settings, load_settings
from civicrpa.runtime.browser import BrowserSession
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.server import RunningSystem
from civicrpa.security.credentials import RobotCredential
from tests.e2e.conftest import chromium_path
from tests.e2e.robots.childbirth_city import city, robot
from tests.e2e.sandbox.conftest import start_system

# Fixtures of other modules, registered here: the childbirth robot's city (one a session,
# shared by its test modules) and its robot.
__all__ = ["city", "robot", "start_system"]


def robot_credential(system: str) -> RobotCredential:
    return RobotCredential(username="robot01", secret=SecretStr(SANDBOX_PASSWORD))


@pytest.fixture
def robot_settings(tmp_path: Path, keyring_path: Path) -> Callable[..., Settings]:
    def make(**systems: RunningSystem) -> Settings:
        path = chromium_path()
        if path is None:
            if os.environ.get("CI"):
                pytest.fail("Debian's chromium is not installed; scripts/setup.sh installs it")
            pytest.skip("chromium is not installed")
        return load_settings(
            data_dir=tmp_path / "var",
            keyring_path=keyring_path,
            chromium_path=path,
            browser_timeout_ms=5_000,
            system_urls={name: system.url for name, system in systems.items()},
        )

    return make


@pytest.fixture
def open_session() -> Iterator[Callable[[Settings], BrowserSession]]:
    sessions: list[BrowserSession] = []

    def open_(settings: Settings) -> BrowserSession:
        session = BrowserSession(settings, credentials=robot_credential).__enter__()
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.close()
