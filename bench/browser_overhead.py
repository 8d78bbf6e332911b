"""Browser overhead: filling the same form three ways, in one run, interleaved.

The form is the finance system's 지급 등록 (eight labelled fields: text inputs and selects whose
ids change on every load, so every way finds them by their Korean labels). One *round* of a way
is ``SUBMISSIONS`` payments: open the form, fill the eight fields (the timed part), ask the bank
register for the holder (예금주 조회), submit behind the browser's confirm dialog and land on the
registered payment. The three ways:

- ``raw``: Playwright itself, ``page.get_by_label(label, exact=True).fill(value)`` (or
  ``select_option(label=...)``) per field: the baseline;
- ``per_field``: civicrpa's :meth:`Screen.fill` / :meth:`Screen.choose` per field;
- ``whole_form``: civicrpa's :meth:`Screen.fill_form`: every field located by its label, set,
  its ``input``/``change`` events fired and its value read back for verification, in one
  browser round trip.

Ways are interleaved within each run (their order rotating), ``RUNS`` runs each, one browser and
one logged-in context for all, after one warm-up round each. Printed: the median per-form fill
time and per-submission time of each way, the ratios to raw. Targets: per-field at most 1.10 x
raw; whole-form at least 3 x faster than raw. The last line is the headline: the per-field ratio.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr

from civicrpa.config import load_settings
from civicrpa.runtime.browser import BrowserSession, Screen
from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.banks import BANKS
from civicrpa.sandbox.common.config import SystemConfig
from civicrpa.sandbox.finance.seed import generate_accounts
from civicrpa.sandbox.server import Sandbox, free_port
from civicrpa.security.credentials import RobotCredential

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "10"))
SEED_SIZE = 500
SELECTS = {"은행", "예산 과목"}

Filler = Callable[[Screen, dict[str, str]], None]


def _raw(screen: Screen, values: dict[str, str]) -> None:
    page = screen.page
    for label, value in values.items():
        field = page.get_by_label(label, exact=True)
        if label in SELECTS:
            field.select_option(label=value)
        else:
            field.fill(value)


def _per_field(screen: Screen, values: dict[str, str]) -> None:
    for label, value in values.items():
        if label in SELECTS:
            screen.choose(label, value)
        else:
            screen.fill(label, value)


def _whole_form(screen: Screen, values: dict[str, str]) -> None:
    screen.fill_form(values)


WAYS: dict[str, Filler] = {"raw": _raw, "per_field": _per_field, "whole_form": _whole_form}


def names_index(way: str) -> str:
    """A letter for ``way`` in payment references (letters, digits and hyphens only)."""
    return "ABC"[list(WAYS).index(way)]


def _payees() -> list[tuple[str, str, str]]:
    """(holder, bank name, account) of open accounts the finance seed creates."""
    rows = generate_accounts(SEED_SIZE)
    return [
        (row["holder"], BANKS[row["bank_code"]].name, row["account_number"])
        for row in rows
        if row["status"] == "active"
    ]


def _round(screen: Screen, fill: Filler, payees: list[tuple[str, str, str]], tag: str) -> float:
    """``SUBMISSIONS`` payments; returns the seconds spent filling forms."""
    filling = 0.0
    for number in range(SUBMISSIONS):
        holder, bank, account = payees[number % len(payees)]
        values = {
            "지급 대상자": holder,
            "은행": bank,
            "계좌번호": account,
            "예금주": holder,
            "금액(원)": "2000000",
            "예산 과목": "출산장려금 지원",
            "참조번호": f"BENCH-{tag}-{number:03d}",
            "적요": "출산장려금 1회차 (벤치마크)",
        }
        screen.open("/payments/new", step="open_form")
        started = time.perf_counter()
        fill(screen, values)
        filling += time.perf_counter() - started
        screen.button("예금주 조회").click()
        dialog = screen.page.get_by_role("dialog")
        dialog.get_by_role("button", name="확인").click()
        try:
            screen.submit("지급 등록", step="register", confirm=True)
        except Exception as exc:
            raise SystemExit(f"payment {tag}-{number}: {getattr(exc, 'params', exc)}") from exc
        if not screen.path.startswith("/payments/") or screen.path == "/payments/new":
            raise SystemExit(f"payment {tag}-{number} was not registered: {screen.alerts()}")
    return filling


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="civicrpa-bench-browser-"))
    config = SystemConfig(data_dir=folder / "finance")
    sandbox = Sandbox(config, ["finance"], ports={"finance": free_port()}, seed_size=SEED_SIZE)
    sandbox.start()
    settings = load_settings(
        data_dir=folder / "var",
        system_urls={"finance": sandbox.systems["finance"].url},
        browser_trace=False,
    )
    credential = RobotCredential(username="robot01", secret=SecretStr(SANDBOX_PASSWORD))
    payees = _payees()
    fills: dict[str, list[float]] = {way: [] for way in WAYS}
    cycles: dict[str, list[float]] = {way: [] for way in WAYS}
    try:
        with BrowserSession(settings, credentials=lambda _system: credential) as session:
            screen = session.screen("finance")
            for way, fill in WAYS.items():  # warm-up: log-in, caches, JIT
                _round(screen, fill, payees, f"W{names_index(way)}")
            names = list(WAYS)
            for run in range(RUNS):
                order = names[run % 3 :] + names[: run % 3]
                for way in order:
                    started = time.perf_counter()
                    filling = _round(screen, WAYS[way], payees, f"R{run}{names_index(way)}")
                    total = time.perf_counter() - started
                    fills[way].append(filling * 1000 / SUBMISSIONS)
                    cycles[way].append(total * 1000 / SUBMISSIONS)
    finally:
        sandbox.stop()
    fill_median = {way: statistics.median(values) for way, values in fills.items()}
    cycle_median = {way: statistics.median(values) for way, values in cycles.items()}
    print(
        f"form: finance 지급 등록, 8 labelled fields; {SUBMISSIONS} submissions a round, {RUNS} runs"
    )
    print(
        f"{'way':<12}{'fill ms/form':>14}{'ms/field':>10}{'submission ms':>15}{'fill vs raw':>13}"
    )
    for way in WAYS:
        ratio = fill_median[way] / fill_median["raw"]
        print(
            f"{way:<12}{fill_median[way]:>14.1f}{fill_median[way] / 8:>10.1f}"
            f"{cycle_median[way]:>15.1f}{ratio:>12.2f}x"
        )
    speedup = fill_median["raw"] / fill_median["whole_form"]
    print(f"whole_form_speedup: {speedup:.2f} x (target >= 3)")
    print(f"per_field_over_raw: {fill_median['per_field'] / fill_median['raw']:.2f} x")


if __name__ == "__main__":
    main()
