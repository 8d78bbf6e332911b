"""Fault injection: random HTTP 500s, slow pages and maintenance windows, per system.

Off by default. Tests switch faults on through ``/__sandbox/faults`` (token required) to see
robots retry, wait and give up as they should.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from civicrpa.sandbox.common.config import FaultConfig

#: Paths never disturbed: the ground truth and the fault switch itself.
_EXEMPT_PREFIX = "/__sandbox/"


class FaultInjector:
    """ASGI-level middleware body: decides, per request, whether to misbehave."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._dice = random.Random(config.seed)

    def configure(self, config: FaultConfig) -> None:
        config.validate()
        self.config = config
        self._dice = random.Random(config.seed)

    async def __call__(
        self,
        request: Request,
        call_next: Callable[[Request], Awaitable[Response]],
        render_fault: Callable[[Request, int], Response],
    ) -> Response:
        if request.url.path.startswith(_EXEMPT_PREFIX):
            return await call_next(request)
        config = self.config
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)
        if config.maintenance:
            return render_fault(request, 503)
        if config.error_rate and self._dice.random() < config.error_rate:
            return render_fault(request, 500)
        return await call_next(request)
