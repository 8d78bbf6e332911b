"""Starting Debian's Chromium through Playwright: which binary, which flags.

Nothing is ever downloaded: the browser is Debian's (installed by ``scripts/setup.sh``) or the
file ``CIVICRPA_CHROMIUM_PATH`` names, driven by Playwright through ``executable_path``.
Headless robots take ``chromium-headless-shell`` when it is there: Chromium's old headless
mode, without the full browser's window machinery, the build Playwright itself uses for
headless runs. On the childbirth benchmark it spent about a third less CPU a page and two
robots processed about 35 % more applications a minute than with ``chromium --headless``.
A robot one watches (``CIVICRPA_BROWSER_HEADLESS=false``) and a machine without the shell use
``chromium``.
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


#: Binaries looked for on ``PATH``, in order: the headless shell only serves headless robots.
HEADLESS_BINARIES = ("chromium-headless-shell", "chromium", "chromium-browser")
HEADED_BINARIES = ("chromium", "chromium-browser")


def default_chromium(*, headless: bool = True) -> Path | None:
    """The Chromium on ``PATH`` a robot drives (see the module docstring); None without one."""
    for name in HEADLESS_BINARIES if headless else HEADED_BINARIES:
        found = shutil.which(name)
        if found is not None:
            return Path(found)
    return None


def find_chromium(settings: Settings) -> Path:
    """The Chromium binary to drive; a clear error when there is none."""
    if settings.chromium_path is not None:
        if settings.chromium_path.is_file():
            return settings.chromium_path
        raise ConfigurationError("browser.no_chromium")
    found = default_chromium(headless=settings.browser_headless)
    if found is None:
        raise ConfigurationError("browser.no_chromium")
    return found


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
    "HEADED_BINARIES",
    "HEADLESS_BINARIES",
    "acquire_playwright",
    "default_chromium",
    "find_chromium",
    "launch",
    "release_playwright",
]
