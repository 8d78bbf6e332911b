"""Sandbox page times at 100,000 residents: p50/p95 per page, next to a static-page baseline.

Starts ``civicrpa sandbox up --seed-size 100000`` in a separate process (so the client does not
share a GIL with the servers), reports how long seeding and start-up took, logs in to each
system as a robot would (form, CSRF token, cookie) and times the pages robots use most, on
loopback. The baseline is the same server's log-in page (a template and no query), measured the
same way in the same run. The last line is the headline: the worst p95 over the pages.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx

from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.config import DEFAULT_PORTS
from civicrpa.sandbox.resident_registry.seed import generate_population

RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
REPO = Path(__file__).resolve().parents[1]
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _url(system: str, path: str = "") -> str:
    return f"http://127.0.0.1:{DEFAULT_PORTS[system]}{path}"


def log_in(client: httpx.Client, system: str) -> None:
    page = client.get(_url(system, "/login"))
    token = _CSRF.search(page.text)
    assert token is not None, "no CSRF token on the log-in page"
    response = client.post(
        _url(system, "/login"),
        data={
            "username": "robot01",
            "password": SANDBOX_PASSWORD,
            "next": "/",
            "csrf_token": token.group(1),
        },
    )
    assert response.status_code in (200, 303), response.status_code


def csrf_of(client: httpx.Client, url: str) -> str:
    token = _CSRF.search(client.get(url).text)
    assert token is not None
    return token.group(1)


def time_page(client: httpx.Client, url: str, requests: int = REQUESTS) -> list[float]:
    """Milliseconds per GET of ``url`` (after two warm-up requests)."""
    for _ in range(2):
        client.get(url).raise_for_status()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def registry_pages(client: httpx.Client) -> dict[str, str]:
    """The registry's pages robots use: search form, a results page, a resident's record."""
    population = generate_population(RESIDENTS)
    common, _ = Counter(p["name"] for p in population.residents).most_common(1)[0]
    person = next(p for p in population.residents if p["relation"] == "자녀")
    pages = {"registry: search form": _url("resident_registry", "/search")}
    for label, name, rrn in (
        ("registry: results, most common name", common, ""),
        ("registry: record by name + number", person["name"], person["rrn"]),
    ):
        response = client.post(
            _url("resident_registry", "/search"),
            data={
                "name": name,
                "rrn": rrn,
                "reason": "benefit",
                "reason_detail": "성능 측정",
                "csrf_token": csrf_of(client, _url("resident_registry", "/search")),
            },
        )
        assert response.status_code == 303, response.status_code
        results = _url("resident_registry", response.headers["location"])
        pages[label] = results
        if rrn:
            detail = re.search(r'href="(/lookups/\d+/residents/\d+)"', client.get(results).text)
            assert detail is not None
            pages["registry: resident record"] = _url("resident_registry", detail.group(1))
    return pages


def _first_link(client: httpx.Client, url: str, pattern: str) -> str:
    match = re.search(pattern, client.get(url).text)
    assert match is not None, f"no link matching {pattern} on {url}"
    return match.group(1)


def intake_pages(client: httpx.Client) -> dict[str, str]:
    inbox = _url("intake", "/inbox")
    detail = _first_link(client, inbox, r'href="(/applications/[^"/]+)"')
    return {
        "intake: inbox, first page": inbox,
        "intake: inbox, page 200": _url("intake", "/inbox?page=200"),
        "intake: application": _url("intake", detail),
    }


def cms_pages(client: httpx.Client) -> dict[str, str]:
    return {
        "cms: admin notice list": _url("homepage_cms", "/admin/notices"),
        "cms: public notice board": _url("homepage_cms", "/notices"),
    }


def library_pages(client: httpx.Client) -> dict[str, str]:
    catalogue = _url("library", "/books")
    book = _first_link(client, catalogue, r'href="(/books/\d{13})"')
    return {
        "library: catalogue": catalogue,
        "library: search by author": _url("library", "/books?author=%EA%B9%80"),
        "library: book": _url("library", book),
        "library: overdue loans": _url("library", "/loans/overdue"),
    }


def finance_pages(client: httpx.Client) -> dict[str, str]:
    payments = _url("finance", "/payments")
    detail = _first_link(client, payments, r'href="(/payments/\d+)"')
    return {
        "finance: payments": payments,
        "finance: search by reference": _url("finance", "/payments?reference=F2025-00001"),
        "finance: payment": _url("finance", detail),
    }


def hr_pages(client: httpx.Client) -> dict[str, str]:
    staff = _url("hr_attendance", "/staff")
    person = _first_link(client, staff, r'href="(/staff/E\d{5})')
    return {
        "hr: staff list": staff,
        "hr: staff member, a month": _url("hr_attendance", f"{person}?month=2025-10"),
        "hr: overtime orders": _url("hr_attendance", "/overtime"),
    }


#: System -> function giving its timed pages once logged in (systems present in this version).
PAGES: dict[str, Callable[[httpx.Client], dict[str, str]]] = {
    "intake": intake_pages,
    "resident_registry": registry_pages,
    "finance": finance_pages,
    "hr_attendance": hr_pages,
    "homepage_cms": cms_pages,
    "library": library_pages,
}


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="civicrpa-sandbox-bench-"))
    env = {**os.environ, "CIVICRPA_DATA_DIR": str(workdir), "PYTHONPATH": str(REPO)}
    systems = list(PAGES)
    command = [
        sys.executable,
        "-m",
        "civicrpa.cli.main",
        "sandbox",
        "up",
        "--seed-size",
        str(RESIDENTS),
    ]
    for system in systems:
        command += ["--system", system]
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        with httpx.Client(timeout=30, follow_redirects=False) as probe:
            while True:
                try:
                    if all(probe.get(_url(s, "/login")).status_code == 200 for s in systems):
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise SystemExit("the sandbox did not start")
                time.sleep(0.2)
        print(f"seed + start-up, {RESIDENTS:,} residents: {time.perf_counter() - started:.1f} s")
        print(f"{'page':<42}{'p50 ms':>9}{'p95 ms':>9}")
        worst = 0.0
        for system in systems:
            with httpx.Client(timeout=30) as client:
                log_in(client, system)
                baseline = time_page(client, _url(system, "/login"))
                print(
                    f"{system + ': log-in page (baseline)':<42}"
                    f"{statistics.median(baseline):>9.1f}{percentile(baseline, 95):>9.1f}"
                )
                for label, url in PAGES[system](client).items():
                    times = time_page(client, url)
                    p95 = percentile(times, 95)
                    worst = max(worst, p95)
                    print(
                        f"{label:<42}{statistics.median(times):>9.1f}{p95:>9.1f}"
                        f"   ({p95 / percentile(baseline, 95):.1f}x baseline)",
                        flush=True,
                    )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    print("target: p95 < 200 ms on loopback")
    print(f"sandbox_p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()
