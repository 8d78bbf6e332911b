"""Real Chromium (Debian's, through Playwright) for browser tests of the sandbox and robots."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from civicrpa.runtime.browser.launch import (
    acquire_playwright,
    default_chromium,
    release_playwright,
)

#: Flags for a closed network: no background fetches of Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The browser robots drive here (``CIVICRPA_CHROMIUM`` to test another one)."""
    found = default_chromium(headless=True)
    return os.environ.get("CIVICRPA_CHROMIUM") or (str(found) if found else None)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # The robots' shared driver: tests and robots' sessions in this process use one.
    yield acquire_playwright()
    release_playwright()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; scripts/setup.sh installs it")
        pytest.skip("chromium is not installed")
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
