"""One robot's browser: launched once, reused by every item the robot works on.

A process asks for it with ``Process(session=browser_session())``; the worker opens it when the
robot takes its first item and closes it when the robot stops. Each municipal system gets its
own tab (:meth:`BrowserSession.screen`), so a robot stays logged in to all of them between items.
A process that wants nothing carried over (cookies, storage) between items asks for
``browser_session(fresh_context=True)``, or calls :meth:`BrowserSession.fresh_context`.

Around every item (:meth:`BrowserSession.item_scope`, called by the worker) the session records a
Playwright trace chunk; when the item fails with a system exception it attaches a masked
screenshot of each open tab and the encrypted trace to the run. Business exceptions and signals
(postpone, review, stop) leave no evidence: the reason recorded on the item is the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import TYPE_CHECKING, Any

import structlog
from playwright.sync_api import Browser, BrowserContext, Playwright

from civicrpa.config import Settings
from civicrpa.core.errors import BusinessRuleError, ConfigurationError
from civicrpa.runtime.browser.evidence import (
    SEALED_MEDIA_TYPE,
    masked_screenshot,
    seal_artifact,
    trace_chunk,
)
from civicrpa.runtime.browser.launch import (
    CONTEXT_OPTIONS,
    acquire_playwright,
    launch,
    release_playwright,
)
from civicrpa.runtime.browser.login import DEFAULT_LOGIN, Login
from civicrpa.runtime.browser.screen import Screen
from civicrpa.runtime.signals import AskReview, Postpone, StopRequested
from civicrpa.security.credentials import RobotCredential
from civicrpa.security.crypto import FieldCipher

if TYPE_CHECKING:
    from civicrpa.runtime.context import ItemContext
    from civicrpa.runtime.system import System

#: Finds the robot's log-in for a system by the system's name.
CredentialSource = Callable[[str], RobotCredential]
_NO_EVIDENCE = (BusinessRuleError, Postpone, AskReview, StopRequested)
_log = structlog.get_logger("civicrpa.browser")


class BrowserSession:
    """A browser, one context, and a tab per system, for one robot."""

    def __init__(
        self,
        settings: Settings,
        *,
        credentials: CredentialSource | None = None,
        fresh_context_per_item: bool = False,
        cipher: Callable[[], FieldCipher] | None = None,
        logins: Mapping[str, Login] | None = None,
    ) -> None:
        self.settings = settings
        #: Each system's own log-in; a system not named here logs in with the usual form.
        self.logins = dict(logins or {})
        self.fresh_context_per_item = fresh_context_per_item
        self._credentials = credentials
        self._cipher_factory = cipher
        self._cipher: FieldCipher | None = None
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._screens: dict[str, Screen] = {}
        self._chunk_open = False
        self._front: str | None = None
        #: Browsers launched by this session (1 unless a browser crashed and was replaced).
        self.launches = 0

    def __enter__(self) -> BrowserSession:
        self._playwright = acquire_playwright()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._close_context()
        if self._browser is not None:
            _quietly(self._browser.close)
            self._browser = None
        if self._playwright is not None:
            self._playwright = None
            _quietly(release_playwright)

    # -- browser, context, tabs ----------------------------------------------------------------

    @property
    def browser(self) -> Browser:
        if self._playwright is None:
            raise RuntimeError("BrowserSession is not open: use it as a context manager")
        if self._browser is None or not self._browser.is_connected():
            self._screens.clear()
            self._context = None
            self._browser = launch(self._playwright, self.settings)
            self.launches += 1
        return self._browser

    @property
    def context(self) -> BrowserContext:
        if self._context is None:
            context = self.browser.new_context(**CONTEXT_OPTIONS)  # type: ignore[arg-type]
            context.set_default_timeout(self.settings.browser_timeout_ms)
            context.set_default_navigation_timeout(self.settings.browser_timeout_ms * 3)
            if self.settings.browser_trace:
                context.tracing.start(
                    snapshots=self.settings.browser_trace_snapshots,
                    screenshots=False,
                    sources=False,
                )
            self._context = context
        return self._context

    def fresh_context(self) -> None:
        """Forget cookies, storage and tabs: the next screen starts a new context."""
        self._close_context()

    def _close_context(self) -> None:
        self._screens.clear()
        self._front = None
        self._chunk_open = False
        if self._context is not None:
            _quietly(self._context.close)
            self._context = None

    def url_of(self, system: str) -> str:
        url = self.settings.system_urls.get(system)
        if not url:
            raise ConfigurationError("browser.unknown_system", {"system": system})
        return url

    def screen(self, system: str) -> Screen:
        """The tab for ``system`` (opened on first use), logged in on demand."""
        screen = self._screens.get(system)
        if screen is None or screen.page.is_closed():
            page = self.context.new_page()
            screen = Screen(
                page,
                system=system,
                base_url=self.url_of(system),
                credential=lambda: self._credential(system),
                activate=lambda: self._activate(system),
                login=self.logins.get(system, DEFAULT_LOGIN),
            )
            self._screens[system] = screen
            self._front = system  # a new tab opens in front
        self._activate(system)
        return screen

    def _activate(self, system: str) -> None:
        """Bring ``system``'s tab to the front. Chromium throttles background tabs (a confirmed
        form post there takes seconds), so the tab the robot works in is always in front."""
        if self._front != system:
            self._screens[system].page.bring_to_front()
            self._front = system

    def _credential(self, system: str) -> RobotCredential:
        if self._credentials is None:
            raise ConfigurationError("browser.unknown_system", {"system": system})
        return self._credentials(system)

    # -- around one item -----------------------------------------------------------------------

    def item_scope(self, ctx: ItemContext[Any]) -> AbstractContextManager[None]:
        """Wrap one attempt: trace it, and leave evidence on the run if it fails."""
        if self._credentials is None:
            self._credentials = ctx.credential
        return self._scope(ctx)

    @contextmanager
    def _scope(self, ctx: ItemContext[Any]) -> Iterator[None]:
        if self.fresh_context_per_item:
            self.fresh_context()
        self._start_chunk()
        try:
            yield
        except _NO_EVIDENCE:
            self._end_chunk(keep=False)
            raise
        except Exception:
            self._leave_evidence(ctx)
            raise
        else:
            self._end_chunk(keep=False)

    def _start_chunk(self) -> None:
        if not self.settings.browser_trace or self._browser is None or self._context is None:
            return  # the first item's context starts tracing itself when it is created
        try:
            self._context.tracing.start_chunk()
            self._chunk_open = True
        except Exception:  # noqa: BLE001 - evidence must never fail the item
            self._chunk_open = False

    def _end_chunk(self, *, keep: bool) -> bytes | None:
        if not self.settings.browser_trace or self._context is None:
            return None
        try:
            return trace_chunk(self._context, keep=keep)
        except Exception:  # noqa: BLE001 - a crashed browser has no trace to give
            return None
        finally:
            self._chunk_open = False

    def _leave_evidence(self, ctx: ItemContext[Any]) -> None:
        for system, screen in list(self._screens.items()):
            try:
                if not screen.page.is_closed():
                    name = f"screenshot-{system}-attempt{ctx.attempt}.png"
                    ctx.attach(name, masked_screenshot(screen.page), "image/png")
            except Exception as exc:  # noqa: BLE001 - evidence must never fail the item
                _log.warning("browser.screenshot_failed", system=system, error=type(exc).__name__)
        trace = self._end_chunk(keep=True)
        if trace is not None:
            name = f"trace-attempt{ctx.attempt}.zip.sealed"
            try:
                sealed = seal_artifact(self._cipher_now(), trace, item_id=ctx.item_id, name=name)
                ctx.attach(name, sealed, SEALED_MEDIA_TYPE)
            except Exception as exc:  # noqa: BLE001
                _log.warning("browser.trace_failed", error=type(exc).__name__)
        if self._browser is not None and not self._browser.is_connected():
            self._browser = None  # crashed: the next item launches a new one

    def _cipher_now(self) -> FieldCipher:
        if self._cipher is None:
            if self._cipher_factory is not None:
                self._cipher = self._cipher_factory()
            else:
                from civicrpa.security.keys import load_cipher

                self._cipher = load_cipher(self.settings)
        return self._cipher


def _quietly(close: Callable[[], Any]) -> None:
    # Closing a dead browser may fail; there is nothing left to keep.
    with suppress(Exception):
        close()


def browser_session(
    *, fresh_context: bool = False
) -> Callable[[Settings, Sequence[System]], AbstractContextManager[BrowserSession]]:
    """A ``Process.session`` factory: each robot gets one :class:`BrowserSession`, logging in
    to each of the process's systems with that system's own log-in."""

    def open_session(
        settings: Settings, systems: Sequence[System] = ()
    ) -> AbstractContextManager[BrowserSession]:
        logins = {system.id: system.login for system in systems if system.login is not None}
        return BrowserSession(settings, fresh_context_per_item=fresh_context, logins=logins)

    return open_session


def with_urls(settings: Settings, urls: Mapping[str, str]) -> Settings:
    """``settings`` with ``urls`` added to the systems robots know."""
    return settings.model_copy(update={"system_urls": {**settings.system_urls, **urls}})


__all__ = ["BrowserSession", "CredentialSource", "browser_session", "with_urls"]
