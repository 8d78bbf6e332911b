"""What a failed item leaves behind: a masked screenshot of every open page and a sealed trace.

Screenshots are taken with personal data painted over *before* capture: cells of tables the
system marks personal (``data-personal``), and any element whose text or input value holds a
number of ten or more digits or an e-mail address (:data:`~civicrpa.runtime.browser.scripts.
MARK_PERSONAL`). A Playwright trace holds the pages' DOM and what the robot typed, so it cannot
be masked; it is encrypted with the installation's field key before it is stored, bound to its
item, and a person opens it only through a reasoned, logged read. File names carry the system,
the attempt and the step kind, never a value from the page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from civicrpa.runtime.browser.scripts import MARK_PERSONAL
from civicrpa.runtime.sealed import (
    SEALED_MEDIA_TYPE,
    artifact_context,
    open_artifact,
    seal_artifact,
)

#: Elements painted over in every screenshot.
PERSONAL_SELECTORS = ("[data-personal] td", "td[data-personal]", "[data-civicrpa-mask]")
MASK_COLOR = "#000000"


def masked_screenshot(page: Page) -> bytes:
    """A PNG of ``page`` (whole page) with every personal element painted over."""
    page.evaluate(MARK_PERSONAL)
    masks = [page.locator(selector) for selector in PERSONAL_SELECTORS]
    return page.screenshot(full_page=True, mask=masks, mask_color=MASK_COLOR, type="png")


def trace_chunk(context: BrowserContext, *, keep: bool) -> bytes | None:
    """End the current trace chunk; its zip when ``keep``, else nothing (discarded)."""
    if not keep:
        context.tracing.stop_chunk()
        return None
    with tempfile.TemporaryDirectory(prefix="civicrpa-trace-") as folder:
        path = Path(folder) / "trace.zip"
        context.tracing.stop_chunk(path=str(path))
        return path.read_bytes()


__all__ = [
    "MASK_COLOR",
    "PERSONAL_SELECTORS",
    "SEALED_MEDIA_TYPE",
    "artifact_context",
    "masked_screenshot",
    "open_artifact",
    "seal_artifact",
    "trace_chunk",
]
