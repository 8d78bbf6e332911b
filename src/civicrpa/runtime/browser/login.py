"""How a robot logs in to a system: an adapter chosen per system, not labels in ``Screen``.

:class:`FormLogin` is the sandbox's (and most municipal systems') form: a page at ``/login``
with 아이디, 비밀번호 and a 로그인 button that sends the robot on to the page it asked for. A
city whose system logs in through its SSO or a certificate plugs in another :class:`Login`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

    from civicrpa.security.credentials import RobotCredential


class Login(Protocol):
    """A system's log-in, as a robot performs it."""

    def is_login_page(self, page: Page) -> bool:
        """Whether ``page`` shows the log-in (the system asks the robot to log in)."""
        ...

    def log_in(self, page: Page, base_url: str, credential: RobotCredential) -> Response | None:
        """Log in on ``page`` (going to the log-in page first if needed); returns the answer
        to the log-in post. The caller checks the page afterwards."""
        ...


@dataclass(frozen=True, kw_only=True)
class FormLogin:
    """A log-in form found by its labels."""

    path: str = "/login"
    user_label: str = "아이디"
    password_label: str = "비밀번호"  # noqa: S105 - a label, not a password
    button: str = "로그인"

    def is_login_page(self, page: Page) -> bool:
        return urlsplit(page.url).path == self.path

    def log_in(self, page: Page, base_url: str, credential: RobotCredential) -> Response | None:
        if not self.is_login_page(page):
            page.goto(base_url + self.path, wait_until="domcontentloaded")
        page.get_by_label(self.user_label, exact=True).fill(credential.username)
        page.get_by_label(self.password_label, exact=True).fill(
            credential.secret.get_secret_value()
        )
        with page.expect_navigation(wait_until="domcontentloaded") as navigation:
            page.get_by_role("button", name=self.button, exact=True).click()
        return navigation.value


#: The log-in of a system that names none.
DEFAULT_LOGIN = FormLogin()

__all__ = ["DEFAULT_LOGIN", "FormLogin", "Login"]
