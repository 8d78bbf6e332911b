"""The books stay right when robots, their supervisor and the database fail at random.

A few dozen applications of a city of their own, the sandbox's faults on (20 % server errors,
100 ms latency on every page), two robots in real Chromium under ``civicrpa run``, SIGKILLed at
random moments (robots, then their supervisor), on SQLite and on PostgreSQL (where the robots'
database connections are also dropped). Afterwards, whatever happened:

- every application is in exactly one final state, none in progress or waiting;
- finance's payments equal the queue's paid items, in count, references and sum, and no
  reference is paid twice; no failed or abandoned item has a payment;
- every paid incentive has its four later instalments queued and five lines on the
  beneficiary list; every paid application is 승인 in the intake;
- no memo is written twice.

The kill moments come from a seeded generator (printed), so a failure can be looked at again;
the timing of the robots still varies from run to run, which is the point.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicrpa.config import Settings
from civicrpa.processes.childbirth_incentive.process import PROCESS, payment_reference
from civicrpa.processes.childbirth_incentive.report import beneficiary_rows
from civicrpa.queue import queries
from civicrpa.queue.records import RunOutcome
from civicrpa.queue.states import SETTLED, ItemState
from civicrpa.queue.store import QueueStore
from tests.conftest import fresh_pg_schema, require_service
from tests.e2e.robots.childbirth_city import (
    City,
    application,
    city_settings,
    city_store,
    release,
)
from tests.e2e.robots.childbirth_city import start_city as start_city_systems
from tests.e2e.sandbox.conftest import sandbox_post, truth
from tests.support.cli import cli_env, start_civicrpa
from tests.support.paying import terminate_backends
from tests.support.reports import report_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SIZE = 1_500
SEED = int(os.environ.get("CIVICRPA_CHAOS_SEED", "20261203"))
#: Robot kills per database, then one kill of the supervisor.
ROBOT_KILLS = 3
ROBOT_NAME = "chaos-robot"


@pytest.fixture(scope="module")
def chaos_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    with start_city_systems(tmp_path_factory.mktemp("chaos"), SIZE) as city:
        for system in city.systems.values():
            sandbox_post(system, "/faults", {"error_rate": 0.2, "latency_ms": 100, "seed": SEED})
        yield city


def _robots_of(pid: int) -> list[int]:
    """The supervisor's robot processes (multiprocessing's spawned children, not its tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and "spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _numbers(city: City, half: int) -> list[str]:
    every = sorted(city.rows)
    return every[half::2]


def _run_with_chaos(
    city: City, tmp_path: Path, database_url: str, numbers: list[str], *, drop_connections: bool
) -> None:
    settings = city_settings(tmp_path, city.systems, database_url=database_url)
    store = city_store(settings)
    try:
        _chaos(city, settings, store, database_url, numbers, drop_connections=drop_connections)
    finally:
        release(store)


def _chaos(
    city: City,
    settings: Settings,
    store: QueueStore,
    database_url: str,
    numbers: list[str],
    *,
    drop_connections: bool,
) -> None:
    store.add_many(PROCESS.queue, [city.rows[n] for n in numbers])
    robot_url = database_url
    if drop_connections:
        robot_url += ("&" if "?" in robot_url else "?") + f"application_name={ROBOT_NAME}"
    env = cli_env(
        {
            "CIVICRPA_DATABASE_URL": robot_url,
            "CIVICRPA_DATA_DIR": str(settings.data_dir),
            "CIVICRPA_KEYRING_PATH": str(settings.keyring_path),
            "CIVICRPA_PROCESS_MODULES": "tests.support.childbirth_fast",
            "CIVICRPA_SYSTEM_URLS": ",".join(f"{n}={s.url}" for n, s in city.systems.items()),
            "CIVICRPA_PROCESS_DATE": str(settings.process_date),
            "CIVICRPA_CHROMIUM_PATH": str(settings.chromium_path),
            "CIVICRPA_BROWSER_TIMEOUT_MS": "8000",
            "CIVICRPA_IDLE_POLL_SECONDS": "0.1",
            "CIVICRPA_STOP_GRACE_SECONDS": "5",
        }
    )
    rng = random.Random(f"{SEED}-{database_url.split(':')[0]}")
    print(f"chaos seed {SEED}")
    run = ("run", PROCESS.name, "--workers", "2")
    supervisor = start_civicrpa(*run, env=env, cwd=settings.data_dir.parent)
    orphans: list[int] = []
    try:
        for kill in range(ROBOT_KILLS + 1):
            time.sleep(rng.uniform(3.0, 7.0))
            if supervisor.poll() is not None:
                break  # drained before every kill was spent
            robots = _robots_of(supervisor.pid)
            if drop_connections:
                terminate_backends(ROBOT_NAME)
            if kill < ROBOT_KILLS and robots:
                os.kill(rng.choice(robots), signal.SIGKILL)
            else:
                orphans = robots
                supervisor.send_signal(signal.SIGKILL)
        supervisor.wait(timeout=60)
        # The robots of a killed supervisor notice and leave; then a new run finishes the work.
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in orphans) and time.monotonic() < deadline:
            time.sleep(0.2)
        again = start_civicrpa(*run, env=env, cwd=settings.data_dir.parent)
        out, err = again.communicate(timeout=600)
        print(out)  # the run's summary, shown when the test fails
        assert "Traceback" not in err, err
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        supervisor.communicate()
    _check_the_books(city, store, numbers)


def _check_the_books(city: City, store: QueueStore, numbers: list[str]) -> None:
    items = {
        i.reference: i for i in queries.list_items(store.engine, queue=PROCESS.queue, limit=100_000)
    }
    firsts = {n: queries.get_item(store.engine, items[n].id, sealer=store.sealer) for n in numbers}
    states = Counter(item.state for item in firsts.values())
    print(f"final states {dict(states)}")
    failed = {
        n: (i.failure_code, i.attempts) for n, i in firsts.items() if i.failure_kind == "system"
    }
    print(f"system failures {failed}")
    # The faults really hit: some attempts met them (system exceptions or killed robots' lost
    # leases) and were tried again.
    troubled = [
        run.outcome
        for item in firsts.values()
        for run in queries.runs_of(store.engine, item.id)
        if run.outcome in (RunOutcome.SYSTEM_EXCEPTION, RunOutcome.LEASE_EXPIRED)
    ]
    assert troubled, "no attempt met a fault or a kill: the test saw no chaos"
    assert set(states) <= SETTLED, states
    assert ItemState.ABANDONED not in states
    assert ItemState.NEEDS_REVIEW not in states, {
        n: i.failure_code for n, i in firsts.items() if i.state is ItemState.NEEDS_REVIEW
    }

    every_payment = truth(city.systems["finance"], "/payments")
    assert isinstance(every_payment, list)
    ours = {payment_reference(n, 1): n for n in numbers}
    paid_in_finance = [p for p in every_payment if p["reference"] in ours]
    references = Counter(p["reference"] for p in paid_in_finance)
    assert all(count == 1 for count in references.values()), references  # never paid twice
    paid_items = {
        n: item
        for n, item in firsts.items()
        if item.state is ItemState.SUCCESSFUL
        and item.output is not None
        and item.output.get("decision") == "paid"
    }
    assert {ours[r] for r in references} == set(paid_items)
    assert sum(p["amount"] for p in paid_in_finance) == sum(
        int(i.output["amount"]) for i in paid_items.values() if i.output is not None
    )
    assert paid_items, "no application was paid: the test saw nothing"

    rows = beneficiary_rows(report_context(store, PROCESS))
    for number, item in paid_items.items():
        assert item.output is not None
        assert application(city, number)["status"] == "approved"
        if item.output["kind"] == "childbirth_incentive":
            later = sorted(r for r in items if r.startswith(f"{number}#"))
            assert later == [f"{number}#{k}" for k in range(2, 6)], number
            lines = [r for r in rows if r.case_id == number]
            assert [r.instalment_no for r in lines] == [1, 2, 3, 4, 5], number
    for number in numbers:
        memos = [e["memo"] for e in application(city, number)["history"] if e["memo"]]
        assert len(memos) == len(set(memos)), (number, memos)


def test_the_books_stay_right_on_sqlite(chaos_city: City, tmp_path: Path) -> None:
    _run_with_chaos(
        chaos_city,
        tmp_path,
        f"sqlite:///{tmp_path / 'civicrpa.db'}",
        _numbers(chaos_city, 0),
        drop_connections=False,
    )


@pytest.mark.postgres
def test_the_books_stay_right_on_postgresql(
    chaos_city: City, tmp_path: Path, pg_available: bool
) -> None:
    require_service("PostgreSQL", pg_available)
    with fresh_pg_schema() as url:
        _run_with_chaos(chaos_city, tmp_path, url, _numbers(chaos_city, 1), drop_connections=True)
