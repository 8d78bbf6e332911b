"""Starting Debian's Chromium through Playwright: which binary, which flags.

Nothing is ever downloaded: the browser is the system's ``chromium`` (installed by
``scripts/setup.sh``) or the file ``CIVICRPA_CHROMIUM_PATH`` names, driven by Playwright
through ``executable_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright

from civicrpa.config import Settings
from civicrpa.core.errors import ConfigurationError

#: Flags for a closed network and a small machine: no background calls to Google's services,
#: no GPU, no sandbox (robots run as service accounts in containers as often as not).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
#: Every page a robot opens speaks Korean and keeps Korean time, as the officials' do.
CONTEXT_OPTIONS = {"locale": "ko-KR", "timezone_id": "Asia/Seoul", "accept_downloads": True}


_shared: Playwright | None = None
_holders = 0


def acquire_playwright() -> Playwright:
    """The process's Playwright driver, started on first use and shared.

    Playwright's sync API allows one driver per thread at a time; every browser session of a
    robot (and a test's own browser) shares this one. Pair with :func:`release_playwright`.
    """
    global _shared, _holders
    if _shared is None:
        _shared = sync_playwright().start()
    _holders += 1
    return _shared


def release_playwright() -> None:
    """Stop the shared driver once its last holder lets go."""
    global _shared, _holders
    _holders = max(0, _holders - 1)
    if _holders == 0 and _shared is not None:
        driver, _shared = _shared, None
        driver.stop()


def find_chromium(settings: Settings) -> Path:
    """The Chromium binary to drive; a clear error when there is none."""
    if settings.chromium_path is not None:
        if settings.chromium_path.is_file():
            return settings.chromium_path
        raise ConfigurationError("browser.no_chromium")
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise ConfigurationError("browser.no_chromium")
    return Path(found)


def launch(playwright: Playwright, settings: Settings) -> Browser:
    """One browser for one robot, reused for all its items."""
    return playwright.chromium.launch(
        executable_path=str(find_chromium(settings)),
        headless=settings.browser_headless,
        slow_mo=settings.browser_slow_mo_ms or None,
        args=list(CHROMIUM_ARGS),
    )


__all__ = [
    "CHROMIUM_ARGS",
    "CONTEXT_OPTIONS",
    "acquire_playwright",
    "find_chromium",
    "launch",
    "release_playwright",
]
