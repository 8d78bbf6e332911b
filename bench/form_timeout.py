"""How long ``Screen.fill_form`` takes to give up on a form that never comes.

A step's timeout is what a robot waits for a screen before it calls it changed
(:class:`~civicrpa.core.errors.ScreenChanged`). ``tests/e2e/robots/test_screen.py`` checks that
it waits at least that long; how much longer it takes (the overshoot: polling, the last
round trip, raising) is measured here rather than asserted there, where a loaded machine made
any upper bound flaky. Real Chromium (Debian's, headless) on a page served by the bench itself,
``ROUNDS`` tries after one warm-up. The last line is the headline: the median overshoot.
"""

from __future__ import annotations

import os
import statistics
import time

from playwright.sync_api import Route

from civicrpa.core.errors import ScreenChanged
from civicrpa.runtime.browser import Screen
from civicrpa.runtime.browser.launch import acquire_playwright, default_chromium, release_playwright

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
TIMEOUT_MS = 1_500
SITE = "http://forms.test"
NO_FORM = '<!doctype html><html lang="ko"><body><p>점검 중입니다.</p></body></html>'


def main() -> None:
    chromium = default_chromium(headless=True)
    if chromium is None:
        raise SystemExit("chromium is not installed (scripts/setup.sh installs it)")
    playwright = acquire_playwright()
    browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
    try:
        page = browser.new_context(locale="ko-KR").new_page()

        def serve(route: Route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NO_FORM)

        page.route(f"{SITE}/**", serve)
        screen = Screen(page, system="forms", base_url=SITE)
        screen.open("/maintenance", step="open_form")
        page.set_default_timeout(TIMEOUT_MS)
        waits = []
        for round_no in range(ROUNDS + 1):
            started = time.perf_counter()
            try:
                screen.fill_form({"성명": "홍길동"}, step="apply")
            except ScreenChanged:
                pass
            else:
                raise SystemExit("fill_form found a form on a page that has none")
            if round_no:  # the first round warms the page up
                waits.append((time.perf_counter() - started) * 1000)
    finally:
        browser.close()
        release_playwright()
    median = statistics.median(waits)
    print(f"timeout {TIMEOUT_MS} ms, {ROUNDS} rounds")
    print(f"gave up after: median {median:.0f} ms, min {min(waits):.0f}, max {max(waits):.0f}")
    print(f"fill_form_timeout_overshoot: {median - TIMEOUT_MS:.0f} ms")


if __name__ == "__main__":
    main()
