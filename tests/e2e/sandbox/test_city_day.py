"""One synthetic city day for every system, seen in real Chromium as a clerk or citizen sees it.

The machine's calendar is far from the city's (the test would catch a system that followed it):
the citizens' form, the library's overdue list, the CMS's new notice, HR's months, the
registry's search and finance's stamps all stand on :data:`CITY_DAY`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.library.rules import LOAN_DAYS
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import log_in

pytestmark = pytest.mark.e2e

StartSystem = Callable[..., RunningSystem]


def test_the_citizens_form_and_the_registry_search_end_on_the_city_day(
    page: Page, start_system: StartSystem
) -> None:
    intake = start_system("intake")
    page.goto(f"{intake.url}/apply")
    birth = page.get_by_label("아기 생년월일")
    assert birth.get_attribute("max") == CITY_DAY.isoformat()
    assert birth.get_attribute("min") == (CITY_DAY - timedelta(days=365)).isoformat()

    registry = start_system("resident_registry")
    log_in(page, registry)
    for day, refused in ((CITY_DAY, False), (CITY_DAY + timedelta(days=1), True)):
        page.goto(f"{registry.url}/search")
        page.get_by_label("성명", exact=True).fill("홍길동")
        page.get_by_label("생년월일").fill(day.isoformat())
        page.get_by_label("조회 사유").select_option(index=1)
        page.get_by_label("상세 사유").fill("출산장려금 신청 확인")
        page.get_by_role("button", name="조회").click()
        page.wait_for_load_state()
        future = page.get_by_text("생년월일은(는) 오늘 이후일 수 없습니다.")
        if refused:
            expect(future).to_be_visible()
        else:
            expect(future).to_have_count(0)
            expect(page).to_have_url(re.compile(r"/lookups/\d+$"))  # searched


def test_the_library_counts_overdue_days_on_the_city_day(
    page: Page, start_system: StartSystem
) -> None:
    library = start_system("library")
    log_in(page, library)
    page.goto(f"{library.url}/loans/overdue")
    expect(page.get_by_text(f"{CITY_DAY} 기준")).to_be_visible()
    row = page.get_by_role("table", name="연체 목록").locator("tr", has_text="M000002")
    cells = row.locator("td").all_inner_texts()
    # M000002's book was lent LOAN_DAYS + 6 days before the city's day: six days late on it.
    assert cells[-3:] == [
        (CITY_DAY - timedelta(days=LOAN_DAYS + 6)).isoformat(),
        (CITY_DAY - timedelta(days=6)).isoformat(),
        "6",
    ]


def test_the_cms_and_hr_stand_on_the_city_day(page: Page, start_system: StartSystem) -> None:
    cms = start_system("homepage_cms")
    log_in(page, cms)
    page.goto(f"{cms.url}/admin/notices/new")
    expect(page.get_by_label("게시일")).to_have_value(CITY_DAY.isoformat())

    hr = start_system("hr_attendance")
    log_in(page, hr)
    following = (CITY_DAY.replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
    page.goto(f"{hr.url}/attendance/export?month={following}")
    expect(page.get_by_text("근무 월은(는) 이번 달 이후일 수 없습니다.")).to_be_visible()
