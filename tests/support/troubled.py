"""Processes that cannot work: for the checks a runner makes before and while robots run.

``needy`` logs in to the intake system (its address and log-in must be set); ``misconfigured``
meets a configuration mistake inside its first item; ``doomed`` kills its robot when it opens
its session (as a Chromium that cannot start can); ``failing`` fails every item.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from civicrpa.config import Settings
from civicrpa.core.errors import ConfigurationError
from civicrpa.queue.retry import RetryPolicy
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process
from civicrpa.runtime.system import System


class Item(BaseModel):
    note: str = ""


def _ok(ctx: ItemContext[Item]) -> dict[str, object]:
    return {"done": True}


def _misconfigured(ctx: ItemContext[Item]) -> dict[str, object]:
    raise ConfigurationError("browser.unknown_system", {"system": "intake"})


def _failing(ctx: ItemContext[Item]) -> dict[str, object]:
    raise RuntimeError("the screen never loads")


def _doomed_session(settings: Settings, systems: Sequence[System]) -> AbstractContextManager[Any]:
    os._exit(5)
    return nullcontext()  # pragma: no cover - never reached


_FAST = RetryPolicy(max_attempts=2, base=timedelta(milliseconds=10), jitter=0.0)

NEEDY = Process(
    name="needy",
    title_ko="시스템이 필요한 업무",
    payload=Item,
    handler=_ok,
    systems=(System("intake"),),
)
MISCONFIGURED = Process(
    name="misconfigured", title_ko="설정이 틀린 업무", payload=Item, handler=_misconfigured
)
DOOMED = Process(
    name="doomed", title_ko="로봇이 죽는 업무", payload=Item, handler=_ok, session=_doomed_session
)
FAILING = Process(
    name="failing", title_ko="늘 실패하는 업무", payload=Item, handler=_failing, retry=_FAST
)

PROCESSES = [NEEDY, MISCONFIGURED, DOOMED, FAILING]
