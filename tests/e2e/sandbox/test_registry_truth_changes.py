"""The registry's test-only events (``POST /__sandbox/truth/residents/{id}/registration``).

Robot tests make the cases the seed does not give (moved in after a birth, moved away, another
household) through this endpoint, so here it is checked that the residents row and its address
history change together, that the screens the robots read show the change, and that an event
that does not fit the record is refused and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

import httpx
import pytest
from playwright.sync_api import Page, expect

from civicrpa.sandbox.resident_registry.seed import TODAY
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import TOKEN, log_in, truth

pytestmark = pytest.mark.e2e

SEED_SIZE = 60


@pytest.fixture
def registry(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("resident_registry", seed_size=SEED_SIZE)


def _change(
    registry: RunningSystem, resident_id: int, body: object, *, token: str = TOKEN
) -> httpx.Response:
    return httpx.post(
        f"{registry.url}/__sandbox/truth/residents/{resident_id}/registration",
        json=body,
        headers={"X-Sandbox-Token": token},
    )


def _resident(registry: RunningSystem, resident_id: int) -> dict[str, Any]:
    """The record without the resident number (a failing comparison prints it)."""
    found = cast(dict[str, Any], truth(registry, f"/residents/{resident_id}"))
    return {k: v for k, v in found.items() if k != "rrn"}


def _number(registry: RunningSystem, resident_id: int) -> str:
    """The resident number, to search with on the screen (never in an assertion)."""
    found = cast(dict[str, Any], truth(registry, f"/residents/{resident_id}"))
    return str(found["rrn"])


def _first(registry: RunningSystem, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    for resident_id in range(1, SEED_SIZE + 1):
        person = _resident(registry, resident_id)
        if wanted(person):
            return person
    raise AssertionError("the seed has no such resident")


def _day(text: str) -> date:
    return date.fromisoformat(text)


def test_a_move_in_date_moves_the_current_address_and_ends_the_one_before(
    registry: RunningSystem,
) -> None:
    person = _first(
        registry,
        lambda p: (
            len(p["history"]) >= 2
            and p["moved_out"] is None
            and _day(p["moved_in"]) < TODAY - timedelta(days=10)
        ),
    )
    day = _day(person["moved_in"]) + (TODAY - _day(person["moved_in"])) // 2
    response = _change(registry, person["id"], {"moved_in": day.isoformat()})
    assert response.status_code == 200, response.status_code
    changed = {k: v for k, v in response.json().items() if k != "rrn"}
    assert changed == _resident(registry, person["id"])
    assert changed["moved_in"] == day.isoformat()
    assert changed["moved_out"] is None
    assert (changed["address"], changed["household_id"]) == (
        person["address"],
        person["household_id"],
    )
    *earlier, before, current = changed["history"]
    assert earlier == person["history"][:-2]
    assert (current["address"], current["moved_in"], current["moved_out"]) == (
        person["address"],
        day.isoformat(),
        None,
    )
    assert (before["address"], before["moved_in"]) == (
        person["history"][-2]["address"],
        person["history"][-2]["moved_in"],
    )
    assert before["moved_out"] == day.isoformat()


def test_a_move_out_ends_the_current_address_and_shows_in_the_household(
    registry: RunningSystem,
) -> None:
    person = _first(registry, lambda p: p["moved_out"] is None and len(p["household"]) >= 2)
    response = _change(registry, person["id"], {"moved_out": TODAY.isoformat()})
    assert response.status_code == 200, response.status_code
    changed = _resident(registry, person["id"])
    assert changed["moved_out"] == TODAY.isoformat()
    assert changed["moved_in"] == person["moved_in"]
    assert changed["history"][:-1] == person["history"][:-1]
    assert changed["history"][-1]["moved_out"] == TODAY.isoformat()
    (me,) = [m for m in changed["household"] if m["id"] == person["id"]]
    assert me["moved_out"] == TODAY.isoformat()


def test_a_household_change_moves_the_resident_to_its_address_on_the_screens(
    registry: RunningSystem, page: Page
) -> None:
    child = _first(
        registry,
        lambda p: (
            p["relation"] == "자녀"
            and p["moved_out"] is None
            and _day(p["moved_in"]) < TODAY - timedelta(days=10)
        ),
    )
    other = _first(registry, lambda p: p["household_id"] != child["household_id"])
    day = TODAY - timedelta(days=5)
    body = {"household_id": other["household_id"], "moved_in": day.isoformat()}
    response = _change(registry, child["id"], body)
    assert response.status_code == 200, response.status_code
    changed = _resident(registry, child["id"])
    assert changed["household_id"] == other["household_id"]
    assert changed["address"] == other["address"]
    assert (changed["moved_in"], changed["moved_out"]) == (day.isoformat(), None)
    *kept, ended, started = changed["history"]
    assert kept == child["history"][:-1]
    assert ended == {**child["history"][-1], "moved_out": day.isoformat()}
    assert (started["address"], started["moved_in"], started["moved_out"]) == (
        other["address"],
        day.isoformat(),
        None,
    )
    assert child["id"] in {m["id"] for m in changed["household"]}
    assert {m["id"] for m in changed["household"]} == {m["id"] for m in other["household"]} | {
        child["id"]
    }
    former = next(m["id"] for m in child["household"] if m["id"] != child["id"])
    assert child["id"] not in {m["id"] for m in _resident(registry, former)["household"]}

    # What a robot reads: 인적 사항, 주소 변동 이력 and 세대 구성원 of the record.
    log_in(page, registry)
    page.goto(f"{registry.url}/search")
    page.get_by_label("성명").fill(child["name"])
    page.get_by_label("주민등록번호").fill(_number(registry, child["id"]))
    page.get_by_label("조회 사유").select_option(label="복지·수당 지급 요건 확인")
    page.get_by_label("상세 사유").fill("세대 변경 확인")
    page.get_by_role("button", name="조회").click()
    page.get_by_role("table", name="조회 결과").get_by_role("link", name="상세").click()
    person = page.get_by_role("table", name="인적 사항")
    expect(person).to_contain_text(other["address"])
    expect(person).to_contain_text(day.isoformat())
    history = page.get_by_role("table", name="주소 변동 이력").locator("tbody tr")
    expect(history).to_have_count(len(changed["history"]))
    expect(history.last).to_contain_text(other["address"])
    members = page.get_by_role("table", name="세대 구성원").locator("tbody tr")
    expect(members).to_have_count(len(changed["household"]))


REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("nothing to change", {}),
    ("unknown field", {"address": "서울특별시 어딘가"}),
    ("not a date", {"moved_in": "2025-13-01"}),
    ("moved out before moving in", {"moved_in": "2025-03-01", "moved_out": "2025-02-28"}),
    ("after the sandbox's today", {"moved_out": (TODAY + timedelta(days=1)).isoformat()}),
    ("moved out before the current move-in", {"moved_out": "1901-01-01"}),
    ("moved in before birth or the address before", {"moved_in": "1901-01-01"}),
    ("household change without a day", {"household_id": 1}),
    ("unknown household", {"household_id": 999_999, "moved_in": TODAY.isoformat()}),
    ("household id not positive", {"household_id": 0, "moved_in": TODAY.isoformat()}),
]


def test_events_that_do_not_fit_the_record_are_refused_and_change_nothing(
    registry: RunningSystem,
) -> None:
    person = _first(registry, lambda p: p["moved_out"] is None)
    for case, body in REFUSED:
        response = _change(registry, person["id"], body)
        assert response.status_code == 422, case
    same_household = {"household_id": person["household_id"], "moved_in": TODAY.isoformat()}
    assert _change(registry, person["id"], same_household).status_code == 422
    assert _change(registry, 999_999, {"moved_out": TODAY.isoformat()}).status_code == 404
    without_token = _change(registry, person["id"], {"moved_out": "2025-01-01"}, token="wrong")
    assert without_token.status_code == 404
    assert _resident(registry, person["id"]) == person
