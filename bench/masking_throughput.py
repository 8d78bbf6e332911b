"""Masking throughput: log lines with and without the masking processor, in one run.

Every string value of every log event goes through :func:`civicrpa.security.pii.mask_text`
(:func:`civicrpa.runtime.logs.mask_processor`) before it is rendered, so masking is paid on every
line a robot writes. This prints log lines per second for:

- ``masked``: civicrpa's real logging configuration, ``configure_logging`` writing JSON lines to
  a temporary file (mask processor, log level, ISO timestamp, orjson renderer, one unbuffered
  append per line);
- ``plain``: the same processors, wrapper and kind of file, without the mask processor;

for three events: ``item.finished`` as the worker writes it after every attempt (process, item,
run, attempt, outcome, ms), a Korean note holding a resident number and a phone number, and a
system exception with its traceback (about 800 characters, a resident number in the error
message, the item's number in the last line: each line's traceback is a new string, as
``traceback.format_exception`` makes one for every failure, which matters because orjson keeps
the UTF-8 form of a Korean string once made and a string reused on every line would reach the
plain pipeline already encoded); and for a mix of the three in equal parts, which weighs tracebacks far above their
real share. Each workload runs ``LINES`` lines per round, masked and plain interleaved (their
order alternating by round), for ``ROUNDS`` rounds; medians are reported.

It also times encrypting and then decrypting 100,000 field values with
:class:`civicrpa.security.crypto.FieldCipher` (AES-256-GCM, a fresh nonce per value).

The last line is the headline: the mix's time per line, masked over plain (target <= 1.5 x).
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog

from civicrpa.runtime.logs import configure_logging, get_logger, mask_processor, reset_logging
from civicrpa.security.crypto import FieldCipher, KeyRing

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
LINES = int(os.environ.get("BENCH_LINES", "10000"))
FIELDS = 100_000
RRN = "900101-1234568"


def _traceback_text() -> str:
    """A system exception's traceback, as ``traceback.format_exception`` writes it."""

    def parse(value: str) -> None:
        raise ValueError(f"cannot parse resident number {value} (신청인 홍길동, 010-1234-5678)")

    def step() -> None:
        try:
            parse(RRN)
        except ValueError as exc:
            raise RuntimeError("step 'check_residency' failed on item 48213, attempt 2") from exc

    try:
        step()
    except RuntimeError as exc:
        return "".join(traceback.format_exception(exc))
    raise AssertionError("unreachable")


TRACEBACK = _traceback_text()
#: The item number in the traceback's last line, replaced by each line's own.
ITEM_IN_TRACEBACK = "48213"


def finished(log: Any, i: int) -> None:
    log.info(
        "item.finished",
        process="childbirth_incentive",
        item_id=48_000 + i,
        run_id=91_000 + i,
        attempt=1,
        outcome="successful",
        ms=1234.56,
    )


def korean_note(log: Any, i: int) -> None:
    log.info(
        "applicant.checked",
        process="childbirth_incentive",
        item_id=48_000 + i,
        reference="2025-출산-000123",
        note=f"신청인 홍길동({RRN}) 연락처 010-1234-5678, 관내 거주기간 3년 2개월 확인",
    )


def system_exception(log: Any, i: int) -> None:
    log.warning(
        "item.system_exception",
        item_id=48_000 + i,
        code="system.unexpected",
        error_type="RuntimeError",
        next_state="retried",
        detail=TRACEBACK.replace(ITEM_IN_TRACEBACK, str(48_000 + i)),
    )


def mix(log: Any, i: int) -> None:
    (finished, korean_note, system_exception)[i % 3](log, i)


WORKLOADS: dict[str, Callable[[Any, int], None]] = {
    "item.finished": finished,
    "korean note + RRN": korean_note,
    "traceback": system_exception,
    "mix (equal parts)": mix,
}


def _loggers(workdir: Path) -> tuple[Any, Any, Any]:
    """(masked logger, plain logger, plain file), bound as a worker binds its logger."""
    configure_logging(level="INFO", log_file=workdir / "masked.jsonl")
    masked = get_logger(worker="rpa01-4242-1")
    config = structlog.get_config()
    processors = [p for p in config["processors"] if p is not mask_processor]
    assert len(processors) == len(config["processors"]) - 1, "mask_processor not configured"
    plain_file = (workdir / "plain.jsonl").open("ab", buffering=0)
    plain = structlog.wrap_logger(
        structlog.BytesLogger(plain_file),
        processors=processors,
        wrapper_class=config["wrapper_class"],
    ).bind(worker="rpa01-4242-1")
    return masked, plain, plain_file


def _time_lines(log: Any, write: Callable[[Any, int], None]) -> float:
    """Seconds per line for ``LINES`` lines."""
    gc.collect()
    started = time.perf_counter()
    for i in range(LINES):
        write(log, i)
    return (time.perf_counter() - started) / LINES


def measure_logging(workdir: Path) -> dict[str, tuple[float, float]]:
    """Median seconds per line (masked, plain) for each workload."""
    masked, plain, plain_file = _loggers(workdir)
    times: dict[str, dict[str, list[float]]] = {
        name: {"masked": [], "plain": []} for name in WORKLOADS
    }
    try:
        for write in WORKLOADS.values():  # warm up: imports, caches, first file blocks
            write(masked, 0)
            write(plain, 0)
        for round_no in range(ROUNDS):
            order = ("masked", "plain") if round_no % 2 == 0 else ("plain", "masked")
            for name, write in WORKLOADS.items():
                for mode in order:
                    log = masked if mode == "masked" else plain
                    times[name][mode].append(_time_lines(log, write))
            _check_and_truncate(workdir)
    finally:
        plain_file.close()
        reset_logging()
    return {
        name: (statistics.median(t["masked"]), statistics.median(t["plain"]))
        for name, t in times.items()
    }


def _check_and_truncate(workdir: Path) -> None:
    """The masked file holds no resident number and the plain one does; then empty both."""
    masked = (workdir / "masked.jsonl").read_bytes()
    plain = (workdir / "plain.jsonl").read_bytes()
    assert RRN.encode() not in masked, "masking did not run"
    assert b"900101-1******" in masked, "masking did not run"
    assert RRN.encode() in plain, "the plain pipeline masked"
    for name in ("masked.jsonl", "plain.jsonl"):
        os.truncate(workdir / name, 0)


def measure_crypto() -> tuple[float, float]:
    """Seconds to encrypt, then to decrypt, ``FIELDS`` values (resident numbers, accounts)."""
    cipher = FieldCipher(KeyRing.generate("k1"))
    values = [
        f"{900101 + i % 2000:06d}-{1 + i % 4}{i % 1_000_000:06d}"
        if i % 2
        else f"110-{i % 1000:03d}-{i:06d}"
        for i in range(FIELDS)
    ]
    gc.collect()
    started = time.perf_counter()
    tokens = [cipher.encrypt(value, context="applicants.personal") for value in values]
    encrypted = time.perf_counter() - started
    gc.collect()
    started = time.perf_counter()
    opened = [cipher.decrypt(token, context="applicants.personal") for token in tokens]
    decrypted = time.perf_counter() - started
    assert opened == values
    return encrypted, decrypted


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="civicrpa-bench-masking-"))
    try:
        results = measure_logging(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{ROUNDS} rounds of {LINES:,} lines per workload and pipeline; medians")
    print(
        f"{'workload':<20}{'masked/s':>11}{'plain/s':>11}{'masked µs':>11}{'plain µs':>10}"
        f"{'+µs':>7}{'ratio':>7}"
    )
    for name, (masked, plain) in results.items():
        print(
            f"{name:<20}{1 / masked:>11,.0f}{1 / plain:>11,.0f}{masked * 1e6:>11.2f}"
            f"{plain * 1e6:>10.2f}{(masked - plain) * 1e6:>7.2f}{masked / plain:>7.2f}"
        )
    encrypted, decrypted = measure_crypto()
    print(
        f"FieldCipher, {FIELDS:,} values: encrypt {encrypted:.2f} s "
        f"({encrypted / FIELDS * 1e6:.1f} µs/field), decrypt {decrypted:.2f} s "
        f"({decrypted / FIELDS * 1e6:.1f} µs/field)"
    )
    masked, plain = results["mix (equal parts)"]
    print("target: masking_over_plain <= 1.50 x (mix of the three events in equal parts)")
    print(f"masking_over_plain: {masked / plain:.2f} x")


if __name__ == "__main__":
    main()
