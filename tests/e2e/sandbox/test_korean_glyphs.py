"""Korean text on the robots' evidence screenshots is drawn with real glyphs, not boxes.

Without a Korean font (scripts/setup.sh installs Debian's fonts-nanum) Chromium draws every
Hangul syllable as the same missing-glyph box, so a masked screenshot attached to a failed item
shows nothing a civil servant can read. Two different syllables drawn alike mean boxes.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Page

from civicrpa.runtime.browser.evidence import masked_screenshot
from civicrpa.sandbox.server import RunningSystem

pytestmark = pytest.mark.e2e

#: Two syllables whose shapes share nothing but their size: 가 (ㄱ+ㅏ) and 혜 (ㅎ+ㅖ).
SYLLABLES = ("가", "혜")


def _glyph(screenshot: Image.Image, page: Page, index: int) -> Image.Image:
    box = page.locator(f"#glyph-{index}").bounding_box()
    assert box is not None
    left, top = int(box["x"]), int(box["y"])
    return screenshot.crop((left, top, left + int(box["width"]), top + int(box["height"])))


def _ink(image: Image.Image) -> int:
    """How many pixels are darker than mid-grey (the glyph's strokes)."""
    return sum(image.convert("L").histogram()[:128])


def test_evidence_screenshots_draw_korean_glyphs(
    page: Page, start_system: Callable[..., RunningSystem]
) -> None:
    cms = start_system("homepage_cms")
    page.goto(f"{cms.url}/notices")
    # The font stack of every sandbox screen (the body font), each syllable in its own square.
    page.evaluate(
        """(syllables) => syllables.forEach((text, index) => {
            const span = document.createElement("span");
            span.id = `glyph-${index}`;
            span.textContent = text;
            // Whole pixels apart: a box drawn at another sub-pixel offset would differ.
            span.style.cssText = `position:absolute;top:0;left:${index * 100}px;`
                + "width:80px;height:80px;font-size:64px;line-height:80px;"
                + "background:#fff;color:#000;z-index:10";
            document.querySelector("main").append(span);
        })""",
        list(SYLLABLES),
    )
    screenshot = Image.open(io.BytesIO(masked_screenshot(page))).convert("RGB")
    first, second = (_glyph(screenshot, page, index) for index in range(len(SYLLABLES)))

    assert _ink(first) > 100, "nothing was drawn"
    assert _ink(second) > 100, "nothing was drawn"
    assert first.size == second.size
    difference = ImageChops.difference(first, second).convert("L")
    differing = sum(difference.histogram()[65:])
    # Missing-glyph boxes are pixel-identical; 가 and 혜 differ over much of their ink.
    assert differing > 0.3 * min(_ink(first), _ink(second)), (
        "Korean syllables are drawn as identical boxes: no Korean font (apt-get install fonts-nanum)"
    )
