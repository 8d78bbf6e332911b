"""The empty process the queue benchmark runs: it measures the runtime, not a robot's work."""

from __future__ import annotations

from pydantic import BaseModel

from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.process import Process


class Empty(BaseModel):
    i: int = 0


def handle(ctx: ItemContext[Empty]) -> None:
    return None


PROCESSES = [
    Process(name="bench_empty", title_ko="벤치마크 빈 업무", payload=Empty, handler=handle)
]
