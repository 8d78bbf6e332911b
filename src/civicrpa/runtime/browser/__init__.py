"""Browser robots: Playwright driving Debian's Chromium, with masked evidence on failure."""

from civicrpa.runtime.browser.errors import SessionExpired, TransientPageError, translated
from civicrpa.runtime.browser.evidence import masked_screenshot, open_artifact, seal_artifact
from civicrpa.runtime.browser.launch import CHROMIUM_ARGS, find_chromium
from civicrpa.runtime.browser.screen import FormRejected, Screen
from civicrpa.runtime.browser.session import BrowserSession, browser_session, with_urls

__all__ = [
    "CHROMIUM_ARGS",
    "BrowserSession",
    "FormRejected",
    "Screen",
    "SessionExpired",
    "TransientPageError",
    "browser_session",
    "find_chromium",
    "masked_screenshot",
    "open_artifact",
    "seal_artifact",
    "translated",
    "with_urls",
]
