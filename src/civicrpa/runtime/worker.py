"""A robot: claims items of its processes' queues one at a time and runs their handlers.

Each attempt ends in exactly one store call (complete, business failure, system failure with a
retry decision, postpone, review, release). Personal data never reaches the logs or the stored
messages unmasked. Database hiccups (a locked file, a dropped connection) do not kill the robot:
it logs them, waits and tries again; an item it held returns through its lease.
"""

from __future__ import annotations

import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError

from civicrpa.config import Settings
from civicrpa.core.errors import (
    BusinessRuleError,
    CivicRpaError,
    ConfigurationError,
    InputRejected,
    NotEligible,
    SystemFault,
)
from civicrpa.core.messages import render
from civicrpa.queue import queries
from civicrpa.queue.records import Claim, RunOutcome, StepTiming
from civicrpa.queue.store import EFFECT_UNVERIFIED, LeaseLost, QueueStore
from civicrpa.runtime.artifacts import ArtifactStore
from civicrpa.runtime.context import ItemContext
from civicrpa.runtime.lease import LeaseKeeper
from civicrpa.runtime.logs import get_logger
from civicrpa.runtime.preflight import preflight
from civicrpa.runtime.process import Output
from civicrpa.runtime.registry import AnyProcess
from civicrpa.runtime.settings import ProcessSettings, load_process_settings
from civicrpa.runtime.signals import AskReview, Postpone, StopRequested
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.crypto import DecryptionError
from civicrpa.security.pii import mask_text

#: How often a robot returns items whose robot vanished, even while it is busy.
REAP_INTERVAL_SECONDS = 5.0
#: An item due this soon keeps a draining robot waiting for it.
DRAIN_HORIZON = timedelta(seconds=120)
#: Waits before writing a finished attempt again after the database failed the write (a
#: dropped connection, a locked file): about 15 s in all, well inside any lease. The lease
#: token fences the write, so trying again can never overwrite another robot's attempt.
FINISH_RETRY_WAITS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


@dataclass
class WorkerStats:
    """What one robot did."""

    outcomes: Counter[str] = field(default_factory=Counter)
    lease_lost: int = 0
    database_errors: int = 0

    @property
    def attempts(self) -> int:
        return sum(self.outcomes.values())


def _output_dict(output: Output) -> dict[str, Any] | None:
    if output is None:
        return None
    if isinstance(output, BaseModel):
        return output.model_dump(mode="json")
    return dict(output)


def _detail(error: BaseException) -> str:
    """Masked developer detail: type, message and a short traceback."""
    lines = traceback.format_exception(type(error), error, error.__traceback__, limit=8)
    return mask_text("".join(lines))[-4000:]


class Worker:
    """One robot serving one or more processes."""

    def __init__(
        self,
        *,
        store: QueueStore,
        processes: Sequence[AnyProcess],
        settings: Settings,
        name: str,
        artifacts: ArtifactStore,
        stop_requested: Callable[[], bool] = lambda: False,
        parent_pid: int | None = None,
    ) -> None:
        if not processes:
            raise ValueError("a worker needs at least one process")
        self.store = store
        self.processes = list(processes)
        self.settings = settings
        self.name = name
        self.artifacts = artifacts
        self.stop_requested = stop_requested
        self.stats = WorkerStats()
        self.log = get_logger(worker=name)
        self._keeper = LeaseKeeper(store, parent_pid=parent_pid)
        self._credentials = CredentialStore(store.engine, store.sealer.cipher)
        self._sessions: dict[str, Any] = {}
        #: Each process's own settings, read once (by :meth:`run`'s preflight).
        self._process_settings: dict[str, ProcessSettings] = {}
        self._exit = ExitStack()
        self._last_reap = 0.0
        #: A configuration mistake an item met: the robot stops (see :meth:`run`).
        self.config_error: ConfigurationError | None = None

    # -- the loop -----------------------------------------------------------------------------

    def run(self, *, until_empty: bool = False) -> WorkerStats:
        """Work until asked to stop (or, with ``until_empty``, until no work is due soon).

        Raises :class:`ConfigurationError` before the first item when a process is not ready
        (:func:`~civicrpa.runtime.preflight.preflight`), and stops with one when an item meets
        a configuration mistake (that item goes back to the queue, unspent).
        """
        self._process_settings = preflight(self.processes, self.settings, self._credentials)
        self._keeper.start()
        self.log.info("worker.started", processes=[p.name for p in self.processes])
        try:
            with self._exit:
                while not self.stop_requested():
                    if self._work_once():
                        if self.config_error is not None:
                            detail = self.config_error.message_ko
                            raise ConfigurationError("runtime.config_in_item", {"detail": detail})
                        continue
                    if until_empty and self._drained():
                        break
                    time.sleep(self.settings.idle_poll_seconds)
        finally:
            self._keeper.stop()
            self.log.info("worker.stopped", attempts=self.stats.attempts)
        return self.stats

    def _work_once(self) -> bool:
        """Claim and handle one item of any of the processes; False when none was due."""
        self._maybe_reap()
        for process in self.processes:
            try:
                claim = self.store.claim(
                    process.queue, process=process.name, worker=self.name, lease=process.lease
                )
            except DBAPIError as exc:
                self._database_error("claim", exc)
                return False
            if claim is not None:
                self.handle(process, claim)
                return True
        return False

    def _maybe_reap(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_reap < REAP_INTERVAL_SECONDS:
            return
        self._last_reap = now
        for process in self.processes:
            try:
                returned = self.store.reap_expired(
                    process.queue,
                    max_attempts=process.retry.max_attempts,
                    settle_attempts=process.retry.settle_attempts if process.effect_check else 0,
                    by=f"robot:{self.name}",
                )
            except DBAPIError as exc:
                self._database_error("reap", exc)
                return
            if returned:
                self.log.warning("queue.lease_expired", queue=process.queue, items=returned)

    def _drained(self) -> bool:
        self._maybe_reap(force=True)
        for process in self.processes:
            try:
                pending = queries.pending(self.store.engine, process.queue, horizon=DRAIN_HORIZON)
            except DBAPIError as exc:
                self._database_error("drain_check", exc)
                return False
            if pending.in_progress or pending.due_soon:
                return False
        return True

    def _database_error(self, where: str, exc: DBAPIError) -> None:
        self.stats.database_errors += 1
        self.log.error("worker.database_error", where=where, error=type(exc.orig).__name__)
        time.sleep(min(5.0, self.settings.idle_poll_seconds * 4))

    # -- one attempt --------------------------------------------------------------------------

    def handle(self, process: AnyProcess, claim: Claim) -> RunOutcome | None:
        """Run ``process``'s handler on ``claim`` and record how it ended."""
        started = time.perf_counter()
        self._keeper.watch(claim, process.lease)
        ctx: ItemContext[Any] | None = None
        try:
            if claim.unreadable is not None:
                raise claim.unreadable
            payload = process.payload.model_validate(claim.payload)
            ctx = ItemContext(
                claim=claim,
                payload=payload,
                process=process.name,
                settings=self._settings_of(process),
                robot_log=self.log,
                session=self._session(process),
                _store=self.store,
                _artifacts=self.artifacts,
                _installation=self.settings,
                _credentials=self._credentials,
                _stop_requested=self.stop_requested,
                _lease_lost=lambda: self._keeper.lost,
            )
            with _item_scope(ctx):
                output = process.handler(ctx)
            outcome = self._record(process, claim, ctx, output=_output_dict(output))
        except Exception as error:  # noqa: BLE001 - every end of an attempt is recorded
            outcome = self._record(process, claim, ctx, error=error)
        finally:
            self._keeper.unwatch()
        if outcome is not None:
            self.stats.outcomes[outcome.value] += 1
        self.log.info(
            "item.finished",
            process=process.name,
            item_id=claim.item_id,
            run_id=claim.run_id,
            attempt=claim.attempt,
            outcome=outcome.value if outcome else "lease_lost",
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return outcome

    def _record(
        self,
        process: AnyProcess,
        claim: Claim,
        ctx: ItemContext[Any] | None,
        *,
        output: Mapping[str, Any] | None = None,
        error: Exception | None = None,
    ) -> RunOutcome | None:
        """Write how the attempt ended, trying again on a new connection if the write fails.

        A finished attempt is not thrown away because the database dropped the connection at
        the last moment: the write is repeated (:data:`FINISH_RETRY_WAITS`). If an earlier try
        had in fact committed, the repeat finds the lease gone and the run already closed.
        """
        for tried, wait in enumerate((0.0, *FINISH_RETRY_WAITS)):
            if wait:
                time.sleep(wait)
            try:
                return self._record_once(process, claim, ctx, output=output, error=error)
            except LeaseLost:
                if tried and (written := self._written_outcome(claim)) is not None:
                    return written
                self.stats.lease_lost += 1
                self.log.warning("item.lease_lost", item_id=claim.item_id, run_id=claim.run_id)
                return None
            except DBAPIError as exc:
                self.stats.database_errors += 1
                self.log.error(
                    "worker.database_error",
                    where="finish",
                    error=type(exc.orig).__name__,
                    item_id=claim.item_id,
                    tried=tried + 1,
                )
        # Still failing: the item stays in progress and returns through its lease.
        self.log.error("item.finish_not_written", item_id=claim.item_id, run_id=claim.run_id)
        return None

    def _written_outcome(self, claim: Claim) -> RunOutcome | None:
        """The outcome an earlier try wrote to this attempt's run, if it did commit."""
        try:
            outcome = self.store.run_outcome(claim.run_id)
        except DBAPIError:
            return None
        return None if outcome in (None, RunOutcome.LEASE_EXPIRED) else outcome

    def _record_once(
        self,
        process: AnyProcess,
        claim: Claim,
        ctx: ItemContext[Any] | None,
        *,
        output: Mapping[str, Any] | None,
        error: Exception | None,
    ) -> RunOutcome:
        steps = ctx.steps if ctx is not None else []
        store = self.store
        if error is None:
            try:
                store.complete(claim, output=output, steps=steps)
            except InputRejected as exc:  # the handler returned what JSON cannot hold
                fault = SystemFault("system.output_invalid", {"detail": exc.params.get("detail")})
                return self._system_failure(process, claim, ctx, fault, steps)
            return RunOutcome.SUCCESSFUL
        if isinstance(error, StopRequested):
            store.release(claim, steps=steps)
            return RunOutcome.RELEASED
        if isinstance(error, ConfigurationError) and not isinstance(error, DecryptionError):
            # Every item would meet the same mistake: give this one back unspent and stop,
            # rather than fail the whole queue one item at a time (a payload sealed for another
            # item is that item's problem, not the robot's: it fails below).
            store.release(claim, steps=steps)
            self.config_error = error
            return RunOutcome.RELEASED
        if isinstance(error, Postpone):
            message = mask_text(render(error.code, error.params))
            store.defer_claimed(
                claim, until=error.until, code=error.code, message=message, steps=steps
            )
            return RunOutcome.DEFERRED
        if isinstance(error, AskReview):
            review = ctx.review if ctx is not None else None
            if review is not None and review.approves(error.code):
                # The reviewer already said yes to this very question: asking again would
                # loop between robot and reviewer for ever (ctx.ask_review avoids it).
                error = BusinessRuleError("review.asked_again", {"code": error.code})
            else:
                message = mask_text(render(error.code, error.params))
                store.ask_review(claim, code=error.code, message=message, steps=steps)
                return RunOutcome.NEEDS_REVIEW
        if isinstance(error, ValidationError) and ctx is None:  # the payload, not the handler
            fields = ", ".join(sorted({str(e["loc"][0]) for e in error.errors() if e["loc"]}))
            error = BusinessRuleError("queue.payload_invalid", {"detail": fields})
        if isinstance(error, BusinessRuleError):
            store.fail_business(
                claim,
                code=error.code,
                message=mask_text(error.message_ko),
                detail=_detail(error),
                steps=steps,
                kind="refusal" if isinstance(error, NotEligible) else "business",
            )
            return RunOutcome.BUSINESS_EXCEPTION
        return self._system_failure(process, claim, ctx, error, steps)

    def _system_failure(
        self,
        process: AnyProcess,
        claim: Claim,
        ctx: ItemContext[Any] | None,
        error: Exception,
        steps: list[StepTiming],
    ) -> RunOutcome:
        if isinstance(error, CivicRpaError):
            code, message = error.code, error.message_ko
        else:
            code = "system.unexpected"
            message = render(code, {"error_type": type(error).__name__})
        now = self.store.now()
        decision = process.retry.decide(attempt=claim.attempt, error=error, now=now)
        if decision.retry_at is None and ctx is not None and process.effect_check is not None:
            # Before an item is failed, its system of record is asked whether the effect (the
            # payment) happened: an item whose money left is never failed.
            effect = self._effect_happened(process, ctx, steps)
            if effect is not False:
                decision = process.retry.decide(
                    attempt=claim.attempt, error=error, now=now, settling=True
                )
                if decision.retry_at is None:
                    review = "queue.effect_done_unrecorded" if effect else EFFECT_UNVERIFIED
                    self.store.ask_review(
                        claim,
                        code=review,
                        message=render(review, {}),
                        steps=steps,
                        error=(code, _detail(error)),
                    )
                    self.log.warning(
                        "item.effect_to_review", item_id=claim.item_id, code=code, effect=effect
                    )
                    return RunOutcome.NEEDS_REVIEW
        state = self.store.fail_system(
            claim,
            code=code,
            message=mask_text(message),
            detail=_detail(error),
            retry_at=decision.retry_at,
            steps=steps,
        )
        self.log.warning(
            "item.system_exception",
            item_id=claim.item_id,
            code=code,
            error_type=type(error).__name__,
            next_state=state.value,
        )
        return RunOutcome.SYSTEM_EXCEPTION

    def _effect_happened(
        self, process: AnyProcess, ctx: ItemContext[Any], steps: list[StepTiming]
    ) -> bool | None:
        """The process's answer whether the item's effect happened; None when it cannot tell."""
        assert process.effect_check is not None
        started = time.perf_counter()
        answer: bool | None = None
        try:
            answer = bool(process.effect_check(ctx))
        except Exception as exc:  # noqa: BLE001 - an unanswered check counts as "maybe"
            self.log.warning(
                "item.effect_check_failed", item_id=ctx.item_id, error=type(exc).__name__
            )
        steps.append(
            StepTiming(
                name="check_effect",
                ms=(time.perf_counter() - started) * 1000,
                ok=answer is not None,
            )
        )
        return answer

    def _session(self, process: AnyProcess) -> Any:
        if process.session is None:
            return None
        if process.name not in self._sessions:
            opened = process.session(self.settings, process.systems)
            self._sessions[process.name] = self._exit.enter_context(opened)
        return self._sessions[process.name]

    def _settings_of(self, process: AnyProcess) -> ProcessSettings:
        """The process's own settings (read now when the robot was not started by :meth:`run`,
        as a test's single :meth:`handle` is)."""
        if process.name not in self._process_settings:
            self._process_settings[process.name] = load_process_settings(process, self.settings)
        return self._process_settings[process.name]


__all__ = ["DRAIN_HORIZON", "FINISH_RETRY_WAITS", "Worker", "WorkerStats"]


def _item_scope(ctx: ItemContext[Any]) -> AbstractContextManager[None]:
    """The session's wrapper around one attempt (a browser's trace and evidence), if it has one."""
    scope = getattr(ctx.session, "item_scope", None)
    return scope(ctx) if callable(scope) else nullcontext()
