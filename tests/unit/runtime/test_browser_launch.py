"""Which Chromium a robot drives: the headless shell when headless, the full browser to watch."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicrpa.config import load_settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.runtime.browser.launch import find_chromium


def _install(folder: Path, *names: str) -> None:
    for name in names:
        binary = folder / name
        binary.write_text("#!/bin/sh\n")
        binary.chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def test_headless_robots_take_the_headless_shell(bin_dir: Path, tmp_path: Path) -> None:
    _install(bin_dir, "chromium", "chromium-headless-shell")
    settings = load_settings(data_dir=tmp_path)
    assert find_chromium(settings) == bin_dir / "chromium-headless-shell"
    watched = load_settings(data_dir=tmp_path, browser_headless=False)
    assert find_chromium(watched) == bin_dir / "chromium"


def test_without_the_shell_headless_robots_take_chromium(bin_dir: Path, tmp_path: Path) -> None:
    _install(bin_dir, "chromium")
    assert find_chromium(load_settings(data_dir=tmp_path)) == bin_dir / "chromium"


def test_the_shell_alone_cannot_be_watched(bin_dir: Path, tmp_path: Path) -> None:
    _install(bin_dir, "chromium-headless-shell")
    with pytest.raises(ConfigurationError) as missing:
        find_chromium(load_settings(data_dir=tmp_path, browser_headless=False))
    assert missing.value.code == "browser.no_chromium"


def test_a_configured_path_wins_and_must_exist(bin_dir: Path, tmp_path: Path) -> None:
    _install(bin_dir, "chromium", "chromium-headless-shell")
    mine = tmp_path / "my-chromium"
    _install(tmp_path, "my-chromium")
    assert find_chromium(load_settings(data_dir=tmp_path, chromium_path=mine)) == mine
    with pytest.raises(ConfigurationError):
        find_chromium(load_settings(data_dir=tmp_path, chromium_path=tmp_path / "absent"))
