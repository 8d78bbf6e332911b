"""A robot's hands on one municipal system: open pages, fill forms, press buttons, read tables.

Elements are found the way a person finds them: by their label, role and visible Korean text
(``get_by_label``, ``get_by_role``), never by ids, which the systems change on every load. CSS
selectors appear only as a last resort and only through :attr:`Screen.page`.

Two ways to fill a form: :meth:`Screen.fill` / :meth:`Screen.choose` (one field, one Playwright
call: as cheap as raw Playwright) and :meth:`Screen.fill_form` (every field in one browser
round trip, verified; like Playwright's own actions it waits, within the step's timeout, for a
form that is not there yet). A step that may meet a stale page, a 5xx or an expired log-in runs
inside :meth:`Screen.attempt`, which logs in again and retries it a bounded number of times.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from civicrpa.core.errors import PageNotFound, ScreenChanged, SystemFault, TargetUnavailable
from civicrpa.runtime.browser.errors import SessionExpired, TransientPageError, translated
from civicrpa.runtime.browser.login import DEFAULT_LOGIN, Login
from civicrpa.runtime.browser.scripts import FILL_FORM, READ_TABLES
from civicrpa.security.credentials import RobotCredential
from civicrpa.security.pii import mask_text

T = TypeVar("T")

#: Milliseconds between two looks at a form that is not ready yet.
_POLL_MS = 50


class FormRejected(SystemFault):
    """The system re-showed the form with error messages (they are in ``params['detail']``)."""

    default_code = "browser.form_rejected"


class Screen:
    """One system (base URL + log-in) seen through one browser page."""

    def __init__(
        self,
        page: Page,
        *,
        system: str,
        base_url: str,
        credential: Callable[[], RobotCredential] | None = None,
        activate: Callable[[], None] | None = None,
        login: Login = DEFAULT_LOGIN,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
    ) -> None:
        self.page = page
        self.system = system
        self.base_url = base_url.rstrip("/")
        self._credential = credential
        self._activate = activate
        #: How this system logs a robot in (:mod:`civicrpa.runtime.browser.login`).
        self.login = login
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        #: Log-ins done by this screen (the first one included).
        self.logins = 0

    # -- navigation ----------------------------------------------------------------------------

    def attempt(self, step: str, action: Callable[[], T]) -> T:
        """Run ``action`` (which must start by opening its page) up to :attr:`attempts` times.

        A transient failure (page gone, HTTP 5xx, log-in expired and renewed) is retried after
        a short pause; once the attempts are spent it becomes :class:`TargetUnavailable` naming
        the step. Any other error passes through at once.
        """
        for number in range(1, self.attempts + 1):
            try:
                return action()
            except TransientPageError as exc:
                if number == self.attempts:
                    params = {"system": self.system, "step": step, "attempts": self.attempts}
                    raise TargetUnavailable("browser.retries_spent", params) from exc
                time.sleep(self.backoff_seconds * number)
        raise AssertionError("unreachable")  # pragma: no cover

    def open(self, path: str, *, step: str) -> Response | None:
        """Go to ``path`` (logging in first when the system asks), checking the answer."""
        if self._activate is not None:
            self._activate()  # the session's other tabs go to the background
        with translated(self.system, step):
            response = self.page.goto(self.base_url + path, wait_until="domcontentloaded")
        self._check(response, step)  # a 5xx page (log-in page included) is worth another try
        if self.on_login_page():
            self.log_in(step=step)  # the log-in form sends the robot on to ``path``
            if self.on_login_page():
                raise SystemFault("browser.login_failed", {"system": self.system})
            return None
        return response

    def on_login_page(self) -> bool:
        return self.login.is_login_page(self.page)

    @property
    def path(self) -> str:
        """The path of the page shown now (no query: queries may hold search terms)."""
        return urlsplit(self.page.url).path

    def log_in(self, *, step: str = "log_in") -> None:
        """Log in with the robot's credential for this system (never written anywhere)."""
        if self._credential is None:
            raise SystemFault("browser.login_failed", {"system": self.system})
        credential = self._credential()
        with translated(self.system, step):
            answer = self.login.log_in(self.page, self.base_url, credential)
        self._check(answer, step)  # a 5xx on the log-in post is worth another try
        if self.on_login_page():
            raise SystemFault("browser.login_failed", {"system": self.system})
        self.logins += 1

    def _check(self, response: Response | None, step: str) -> None:
        if response is not None and response.status >= 500:
            raise TransientPageError(
                "browser.server_error",
                {"system": self.system, "step": step, "status": response.status},
            )
        if response is not None and response.status == 404:
            # Not a changed screen: the page asked for is not there (the query, which may hold
            # search terms, is left out).
            path = mask_text(urlsplit(response.url).path)
            raise PageNotFound(
                "browser.page_not_found", {"system": self.system, "step": step, "path": path}
            )

    # -- finding things ------------------------------------------------------------------------

    def field(self, label: str) -> Locator:
        """The form control a label names (exact text)."""
        return self.page.get_by_label(label, exact=True)

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True)

    # -- one field at a time -------------------------------------------------------------------

    def fill(self, label: str, value: str, *, step: str = "fill") -> None:
        with translated(self.system, step):
            self.field(label).fill(value)

    def choose(self, label: str, option: str, *, step: str = "choose") -> None:
        """Pick the option whose visible text is ``option``."""
        with translated(self.system, step):
            self.field(label).select_option(label=option)

    # -- a whole form at once ------------------------------------------------------------------

    def fill_form(
        self, values: Mapping[str, str | bool], *, scope: str | None = None, step: str = "fill_form"
    ) -> None:
        """Set every ``label -> value`` in one round trip, then check what the page holds.

        A form not ready yet (a page that draws or redraws its form by script, a dialog still
        opening, options still loading) is waited for, as Playwright's own actions wait, up to
        the page's default timeout (``browser_timeout_ms``); a form that never gets ready is
        :class:`ScreenChanged` naming what is missing.
        """
        with translated(self.system, step):
            self._set_form(values, scope=scope, step=step)

    def _set_form(self, values: Mapping[str, str | bool], *, scope: str | None, step: str) -> None:
        arg = [dict(values), scope, True]
        # The common case costs one round trip: the form is there, the script fills it at once.
        answer: dict[str, Any] | None = self.page.evaluate(FILL_FORM, arg)
        if answer is None:
            answer = self._fill_when_ready(arg)
        problems: list[str] = []
        if answer.get("scopeMissing"):
            problems.append(f"form {scope!r} not on the page")
        else:
            problems += [f"no field labelled {name!r}" for name in answer["missing"]]
            problems += [f"several fields labelled {name!r}" for name in answer["ambiguous"]]
            problems += [f"no option {values[name]!r} in {name!r}" for name in answer["noOption"]]
            problems += [f"value too long for {name!r}" for name in answer["tooLong"]]
            held = answer["values"]
            # The values themselves stay out of the message: they may be personal.
            problems += [
                f"{name!r} did not take its value"
                for name, wanted in values.items()
                if name in held and held[name] != wanted
            ]
        if problems:
            raise ScreenChanged(
                "browser.element_missing",
                {"system": self.system, "step": step, "detail": mask_text("; ".join(problems))},
            )

    def _fill_when_ready(self, arg: list[Any]) -> dict[str, Any]:
        """Poll until the form is ready and fill it in that same poll (so a redraw between a
        check and the fill cannot come in between); at the timeout, fill what there is, whose
        answer names what is missing."""
        try:
            # An interval, not animation frames: those stop in a tab that is not in front.
            handle = self.page.wait_for_function(FILL_FORM, arg=arg, polling=_POLL_MS)
        except PlaywrightTimeoutError:
            late: dict[str, Any] = self.page.evaluate(FILL_FORM, [arg[0], arg[1], False])
            return late
        try:
            answer: dict[str, Any] = handle.json_value()
        finally:
            handle.dispose()
        return answer

    def submit(self, button: str, *, step: str, confirm: bool = False) -> Response | None:
        """Press ``button`` and wait for the page it leads to; accept a confirm() if asked.

        A post the system bounced to its log-in page (the session expired) logs in again and
        raises :class:`SessionExpired` so :meth:`attempt` repeats the step from its start.
        """
        if confirm:
            self.page.once("dialog", lambda dialog: dialog.accept())
        with translated(self.system, step):
            with self.page.expect_navigation(wait_until="domcontentloaded") as navigation:
                self.button(button).click()
            response = navigation.value
        if self.on_login_page():
            self.log_in(step=step)
            raise SessionExpired("browser.session_expired", {"system": self.system, "step": step})
        self._check(response, step)
        if response is not None and response.status in (400, 409, 422):
            raise FormRejected(
                "browser.form_rejected",
                {"system": self.system, "step": step, "detail": "; ".join(self.alerts())},
            )
        return response

    def follow(self, target: Locator, *, step: str) -> Response | None:
        """Click a link (or anything that navigates) and check the page it leads to."""
        with translated(self.system, step):
            with self.page.expect_navigation(wait_until="domcontentloaded") as navigation:
                target.click()
            response = navigation.value
        if self.on_login_page():
            self.log_in(step=step)
            raise SessionExpired("browser.session_expired", {"system": self.system, "step": step})
        self._check(response, step)
        return response

    def alerts(self) -> list[str]:
        """Texts of the page's alerts (validation messages), masked."""
        texts = self.page.get_by_role("alert").all_inner_texts()
        return [mask_text(" ".join(text.split())) for text in texts if text.strip()]

    def download(self, button: str, *, step: str) -> bytes:
        """Press ``button`` and return the file it downloads (the temporary copy is deleted)."""
        with translated(self.system, step):
            with self.page.expect_download() as info:
                self.button(button).click()
            download = info.value
            try:
                path = download.path()
                data = path.read_bytes()
            finally:
                download.delete()
        if self.on_login_page():
            self.log_in(step=step)
            raise SessionExpired("browser.session_expired", {"system": self.system, "step": step})
        return data

    # -- reading -------------------------------------------------------------------------------

    def record(self, table: str, *, step: str = "read") -> dict[str, str]:
        """A detail table (``th``/``td`` rows) by its ``aria-label``, as ``{header: cell}``."""
        return self._pairs(table, self._read([table], step)[table], step)

    def rows(self, table: str, *, step: str = "read") -> list[dict[str, str]]:
        """A list table (``thead`` + rows) by its ``aria-label``, one dict per row."""
        return self._listed(table, self._read([table], step)[table], step)

    def tables(
        self, *names: str, step: str = "read", optional: bool = False
    ) -> dict[str, dict[str, str] | list[dict[str, str]] | None]:
        """Several tables in one round trip: a record or rows each (None when ``optional``
        and the table is not on the page)."""
        answers = self._read(list(names), step, optional=optional)
        result: dict[str, dict[str, str] | list[dict[str, str]] | None] = {}
        for name, answer in answers.items():
            if answer["found"] == 0 and optional:
                result[name] = None
            elif "header" in answer:
                result[name] = self._listed(name, answer, step)
            else:
                result[name] = self._pairs(name, answer, step)
        return result

    def has_table(self, table: str) -> bool:
        return self.page.get_by_role("table", name=table, exact=True).count() == 1

    def _read(
        self, names: list[str], step: str, *, optional: bool = False
    ) -> dict[str, dict[str, Any]]:
        with translated(self.system, step):
            answers: dict[str, dict[str, Any]] = self.page.evaluate(READ_TABLES, names)
        for name, answer in answers.items():
            if answer["found"] != 1 and not (optional and answer["found"] == 0):
                raise self._missing(step, f"table {name!r} found {answer['found']} times")
        return answers

    def _pairs(self, name: str, answer: dict[str, Any], step: str) -> dict[str, str]:
        if "pairs" not in answer:
            raise self._missing(step, f"table {name!r} has a header row")
        pairs: dict[str, str] = answer["pairs"]
        return pairs

    def _listed(self, name: str, answer: dict[str, Any], step: str) -> list[dict[str, str]]:
        if "header" not in answer:
            raise self._missing(step, f"table {name!r} has no header row")
        header: list[str] = answer["header"]
        return [dict(zip(header, row, strict=False)) for row in answer["rows"]]

    def _missing(self, step: str, detail: str) -> ScreenChanged:
        return ScreenChanged(
            "browser.element_missing", {"system": self.system, "step": step, "detail": detail}
        )


__all__ = ["FormRejected", "Screen"]
