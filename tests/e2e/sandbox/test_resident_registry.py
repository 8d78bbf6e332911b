"""The resident registry in real Chromium: log-in, look-up with a reason, faults, bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from playwright.sync_api import Page, expect

from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import bypass_browser_checks, log_in, sandbox_post, truth

pytestmark = pytest.mark.e2e


@pytest.fixture
def registry(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("resident_registry")


def _a_resident_with_household(registry: RunningSystem) -> dict[str, Any]:
    for resident_id in range(1, 60):
        person = cast(dict[str, Any], truth(registry, f"/residents/{resident_id}"))
        if len(person["household"]) >= 3 and not person["moved_out"]:
            return person
    raise AssertionError("seed has no household of three")


def _search(page: Page, name: str, rrn: str = "", detail: str = "출산장려금 요건 확인") -> None:
    page.get_by_label("성명").fill(name)
    page.get_by_label("주민등록번호").fill(rrn)
    page.get_by_label("조회 사유").select_option(label="복지·수당 지급 요건 확인")
    page.get_by_label("상세 사유").fill(detail)
    page.get_by_role("button", name="조회").click()


def test_log_in_look_up_and_read_the_record(page: Page, registry: RunningSystem) -> None:
    person = _a_resident_with_household(registry)
    page.goto(f"{registry.url}/search")
    expect(page).to_have_url(f"{registry.url}/login?next=/search")
    log_in(page, registry)
    expect(page.get_by_role("heading", name="주민등록 조회")).to_be_visible()
    first_id = page.get_by_label("성명").get_attribute("id")
    page.reload()
    assert page.get_by_label("성명").get_attribute("id") != first_id  # ids change per load

    _search(page, person["name"], person["rrn"])
    assert person["rrn"] not in page.url
    rows = page.get_by_role("table", name="조회 결과").locator("tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="상세").click()
    expect(page.get_by_role("heading", name=f"주민 상세: {person['name']}")).to_be_visible()
    expect(page.get_by_role("table", name="인적 사항")).to_contain_text(person["moved_in"])
    members = page.get_by_role("table", name="세대 구성원").locator("tbody tr")
    expect(members).to_have_count(len(person["household"]))
    history = page.get_by_role("table", name="주소 변동 이력").locator("tbody tr")
    expect(history).to_have_count(len(person["history"]))

    (lookup,) = cast(list[dict[str, Any]], truth(registry, "/lookups"))
    assert lookup["username"] == "clerk01"
    assert lookup["reason_code"] == "benefit"
    assert lookup["reason_detail"] == "출산장려금 요건 확인"
    assert lookup["query_birth_date"] is None  # not searched by birth date: null, not "None"


def test_a_look_up_without_a_reason_is_refused(page: Page, registry: RunningSystem) -> None:
    log_in(page, registry)
    page.goto(f"{registry.url}/search")
    bypass_browser_checks(page)
    page.get_by_label("성명").fill("<script>alert(1)</script>")
    page.get_by_label("주민등록번호").fill("12345-1234567")
    page.get_by_role("button", name="조회").click()
    expect(page.get_by_text("조회 사유을(를) 목록에서 고르십시오.")).to_be_visible()
    expect(page.get_by_text("상세 사유을(를) 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("성명은(는) 20자 이내로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("주민등록번호의 형식이 올바르지 않습니다.")).to_be_visible()
    assert page.get_by_label("성명").input_value() == "<script>alert(1)</script>"  # escaped
    assert truth(registry, "/lookups") == []


def test_expired_session_sends_back_to_log_in(page: Page, registry: RunningSystem) -> None:
    log_in(page, registry)
    page.goto(f"{registry.url}/search")
    sandbox_post(registry, "/sessions/expire")
    page.reload()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    log_in(page, registry)
    page.goto(f"{registry.url}/search")
    expect(page.get_by_role("heading", name="주민등록 조회")).to_be_visible()


def test_injected_faults_are_seen(page: Page, registry: RunningSystem) -> None:
    log_in(page, registry)
    sandbox_post(registry, "/faults", {"error_rate": 1.0})
    response = page.goto(f"{registry.url}/search")
    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", name="일시적인 시스템 오류")).to_be_visible()
    sandbox_post(registry, "/faults", {"maintenance": True})
    response = page.goto(f"{registry.url}/search")
    assert response is not None
    assert response.status == 503
    expect(page.get_by_role("heading", name="시스템 점검 중")).to_be_visible()
    sandbox_post(registry, "/faults", {})
    response = page.goto(f"{registry.url}/search")
    assert response is not None
    assert response.status == 200


def test_a_form_without_its_csrf_token_is_refused(page: Page, registry: RunningSystem) -> None:
    log_in(page, registry)
    response = page.request.post(
        f"{registry.url}/search",
        form={"name": "홍길동", "reason": "benefit", "reason_detail": "x"},
    )
    assert response.status == 403
    assert "요청이 만료되었습니다" in response.text()


def test_a_post_after_the_session_expired_asks_to_log_in_again(
    page: Page, registry: RunningSystem
) -> None:
    log_in(page, registry)
    page.goto(f"{registry.url}/search")
    sandbox_post(registry, "/sessions/expire")
    _search(page, "홍길동")
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    assert page.url.startswith(f"{registry.url}/login?next=/search")
    assert truth(registry, "/lookups") == []
