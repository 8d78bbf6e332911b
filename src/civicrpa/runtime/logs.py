"""Structured logs: one JSON object a line, every string value masked first.

Workers bind ``process``, ``queue``, ``item_id``, ``run_id`` and ``worker`` to their logger, so a
run's lines can be found in ``var/logs/civicrpa.jsonl`` by its id. Messages are English event
names; Korean text is for people and lives in the message catalogue. Several worker processes
append to the same file: each line is written with one ``write`` on an ``O_APPEND`` file, which
Linux keeps whole. A new log file is readable by its owner only (600, its folder 700).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import structlog

from civicrpa.security.pii import mask_in_place, mask_text

_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
#: The log file this process writes to, closed when logging is configured again or reset.
_open_file: BinaryIO | None = None


def _dumps(value: Any, **_kwargs: Any) -> bytes:
    return orjson.dumps(value, default=_masked_str)


def _masked_str(value: Any) -> str:
    """What orjson writes for a value it cannot (an exception, a path): its text, masked."""
    return mask_text(str(value))


def mask_processor(
    logger: Any, method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask personal data in every value of the event but its name.

    An exception (``exc_info``, as ``log.exception`` sets it) is first written out as structlog
    does, under ``exception``, so that its traceback is masked as the text it becomes.
    """
    if "exc_info" in event_dict:
        event_dict = structlog.processors.format_exc_info(logger, method, event_dict)
    mask_in_place(event_dict, skip="event")
    return event_dict


def configure_logging(
    *, level: str = "INFO", log_file: Path | None = None, console: bool = False
) -> None:
    """Send JSON lines to ``log_file`` (appending) or, without one, to standard error."""
    global _open_file
    _close_file()
    processors: list[Any] = [
        mask_processor,  # before the timestamp and level, which hold nothing personal
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    factory: Any
    if console and log_file is None:
        processors.append(structlog.dev.ConsoleRenderer(colors=False))
        factory = structlog.PrintLoggerFactory(file=sys.stderr)
    else:
        # orjson writes UTF-8 bytes (Korean stays readable) several times faster than json.
        processors.append(structlog.processors.JSONRenderer(serializer=_dumps))
        if log_file is not None:
            # Readable by its owner only (masked values still say who was processed when).
            for folder in reversed([p for p in log_file.parents if not p.exists()]):
                folder.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            _open_file = os.fdopen(fd, "ab", buffering=0)
            factory = structlog.BytesLoggerFactory(file=_open_file)
        else:
            factory = structlog.BytesLoggerFactory(file=sys.stderr.buffer)
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS.get(level, logging.INFO)),
        logger_factory=factory,
        cache_logger_on_first_use=True,
    )


def reset_logging() -> None:
    """Close the log file and go back to structlog's defaults."""
    _close_file()
    structlog.reset_defaults()


def _close_file() -> None:
    global _open_file
    if _open_file is not None:
        _open_file.close()
        _open_file = None


def get_logger(**bound: Any) -> Any:
    """A structlog logger with ``bound`` context."""
    return structlog.get_logger().bind(**bound)


__all__ = ["configure_logging", "get_logger", "mask_processor", "reset_logging"]
