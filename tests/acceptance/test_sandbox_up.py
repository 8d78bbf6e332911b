"""``civicrpa sandbox up`` and its ground-truth token, as an operator starts it: a real process.

The ground truth (``/__sandbox/truth/``) and the fault switch (``/__sandbox/faults``) answer only
to the token in ``X-Sandbox-Token``: the one set in ``CIVICRPA_SANDBOX_TRUTH_TOKEN``, or, when
it is unset, a token made for the run and printed once.
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from civicrpa.sandbox.common.config import DEFAULT_PORTS
from civicrpa.sandbox.server import free_port
from tests.support.cli import cli_env, start_civicrpa, wait_for

pytestmark = pytest.mark.slow

SYSTEM = "homepage_cms"
TOKEN = "city-hall-test-token-7f3a"
_RANDOM = re.compile(r"이번 실행에만 쓰는 토큰을 만들었습니다: (\S+)")


class Started:
    """A running ``sandbox up`` with one system; its output is read line by line as it comes."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        port = free_port()
        base = port - (DEFAULT_PORTS[SYSTEM] - min(DEFAULT_PORTS.values()))
        self.url = f"http://127.0.0.1:{port}"
        self.process = start_civicrpa(
            "sandbox", "up", "--system", SYSTEM, "--seed-size", "50", "--port-base", str(base),
            env={**env, "PYTHONUNBUFFERED": "1"}, cwd=cwd,
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        wait_for(self._answers, timeout=60, what="the CMS to answer")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError("".join(self.lines))
        try:
            return httpx.get(f"{self.url}/notices").status_code == 200
        except httpx.HTTPError:
            return False

    @property
    def out(self) -> str:
        return "".join(self.lines)

    def printed_token(self) -> str:
        """The run's own token, from the line that gives it."""
        wait_for(lambda: _RANDOM.search(self.out) is not None, timeout=10, what="the token line")
        found = _RANDOM.search(self.out)
        assert found is not None
        return found.group(1)

    def stop(self) -> str:
        """Interrupt it as Ctrl-C would; all it printed."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)
        assert self.process.stderr is not None
        err = self.process.stderr.read()
        self.close()
        assert self.process.returncode == 0, err
        assert "Traceback" not in err
        return self.out

    def close(self) -> None:
        """Stop it if it still runs and close its pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=10)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()

    def truth(self, token: str | None) -> int:
        headers = {"X-Sandbox-Token": token} if token is not None else {}
        return httpx.get(f"{self.url}/__sandbox/truth/stats", headers=headers).status_code


@pytest.fixture
def started() -> Iterator[list[Started]]:
    running: list[Started] = []
    yield running
    for one in running:
        one.close()


def test_the_configured_token_opens_the_truth_and_the_fault_switch(
    tmp_path: Path, started: list[Started]
) -> None:
    env = cli_env(
        {"CIVICRPA_DATA_DIR": str(tmp_path / "var"), "CIVICRPA_SANDBOX_TRUTH_TOKEN": TOKEN}
    )
    sandbox = Started(env, tmp_path)
    started.append(sandbox)
    assert sandbox.truth(TOKEN) == 200
    stats = httpx.get(
        f"{sandbox.url}/__sandbox/truth/stats", headers={"X-Sandbox-Token": TOKEN}
    ).json()
    assert stats["notices"] >= 30
    assert sandbox.truth("a-guess") == 404
    assert sandbox.truth(None) == 404
    switched = httpx.post(
        f"{sandbox.url}/__sandbox/faults",
        json={"maintenance": True},
        headers={"X-Sandbox-Token": TOKEN},
    )
    assert switched.status_code == 200
    down = httpx.get(f"{sandbox.url}/notices")
    assert down.status_code == 503
    assert "점검" in down.text
    out = sandbox.stop()
    assert "X-Sandbox-Token 헤더가 필요합니다" in out
    assert "CIVICRPA_SANDBOX_TRUTH_TOKEN에 설정한 값을 쓰십시오" in out
    assert TOKEN not in out  # a configured secret is never printed


def test_without_a_configured_token_each_run_makes_one_and_prints_it(
    tmp_path: Path, started: list[Started]
) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})
    sandbox = Started(env, tmp_path)
    started.append(sandbox)
    token = sandbox.printed_token()
    assert sandbox.truth(token) == 200
    assert sandbox.truth(TOKEN) == 404
    sandbox.stop()
    again = Started(env, tmp_path)  # the same data folder: a new run, a new token
    started.append(again)
    assert again.truth(token) == 404
    assert again.truth(again.printed_token()) == 200
    again.stop()
