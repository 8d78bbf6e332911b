"""A page the system does not have (404) is told apart from a screen that changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from civicrpa.config import Settings
from civicrpa.core.errors import PageNotFound, ScreenChanged
from civicrpa.runtime.browser import BrowserSession
from civicrpa.sandbox.server import RunningSystem

pytestmark = pytest.mark.e2e

StartSystem = Callable[..., RunningSystem]


def test_a_missing_page_is_page_not_found_and_a_missing_element_is_screen_changed(
    start_system: StartSystem,
    robot_settings: Callable[..., Settings],
    open_session: Callable[[Settings], BrowserSession],
) -> None:
    intake = start_system("intake", seed_size=60)
    screen = open_session(robot_settings(intake=intake)).screen("intake")
    with pytest.raises(PageNotFound) as caught:
        screen.open("/applications/2099-출산-999999?q=900101-2345678", step="open_application")
    assert caught.value.params["path"].startswith("/applications/")
    assert "900101" not in caught.value.message_ko  # the query is never repeated
    assert "404" in caught.value.message_ko
    assert not isinstance(caught.value, ScreenChanged)
    screen.open("/inbox", step="inbox")  # a page that is there, without the table asked for
    with pytest.raises(ScreenChanged):
        screen.record("없는 표", step="inbox")
