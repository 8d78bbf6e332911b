"""The intake's 산후조리 fields and the inbox's .xlsx export, in real Chromium.

A citizen applies for 산후조리비용 with the new fields (and is told in Korean what is wrong),
an official sees them on the detail screen, and downloads the inbox as .xlsx after choosing a
reason: the file is opened with openpyxl and judged against ground truth, as a robot reading a
행복e음 export would be.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Download, Page, expect

from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.common.synthetic import fictional_rrn
from civicrpa.sandbox.intake.documents import tiny_pdf, tiny_png
from civicrpa.sandbox.intake.export import EXPORT_HEADER
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import bypass_browser_checks, log_in, truth

pytestmark = pytest.mark.e2e

TODAY = CITY_DAY  # the day the whole synthetic city stands on
RRN = fictional_rrn(TODAY.replace(year=TODAY.year - 31), male=False, rng=random.Random(11))
VALID = {
    "신청인 성명": "윤서아",
    "신청인 주민등록번호": RRN,
    "연락처(휴대전화)": "010-3456-7890",
    "주소": "전라남도 광양시 광양읍 매화로 7",
    "아기 성명": "윤하람",
    "아기 생년월일": (TODAY - timedelta(days=15)).isoformat(),
    "계좌번호": "301-2345-6789-01",
    "예금주": "윤서아",
    "산후조리원 이용 일수": "12",
}


@pytest.fixture
def intake(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    # size 2,000: the first city size with every kind of malformed application
    return start_system("intake", seed_size=2000)


def _apply_for_postnatal_care(
    page: Page,
    *,
    group: str | None = "차상위·경증장애인",
    centre: str | None = "예",
    twins: bool = True,
    **fields: str,
) -> None:
    page.get_by_label("신청 종류").select_option(label="산후조리비용")
    page.get_by_label("입금 은행").select_option(label="농협은행")
    if group is not None:
        page.get_by_label("산후조리 지원 구분").select_option(label=group)
    if centre is not None:
        page.get_by_label("관내 산후조리원 이용").select_option(label=centre)
    if twins:
        page.get_by_label("다태아").check()
    for label, value in {**VALID, **fields}.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("출생증명서").set_input_files(
        {"name": "출생증명서.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("e2e")}
    )
    page.get_by_label("통장 사본").set_input_files(
        {"name": "통장사본.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    page.get_by_role("button", name="신청서 제출").click()
    page.wait_for_load_state()


def _applications(system: RunningSystem, query: str = "") -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], truth(system, f"/applications{query}"))


def test_a_postnatal_application_shows_its_care_details(page: Page, intake: RunningSystem) -> None:
    page.goto(f"{intake.url}/apply")
    _apply_for_postnatal_care(page)
    expect(page.get_by_role("heading", name="신청이 접수되었습니다")).to_be_visible()
    number = page.get_by_role("table", name="접수 내역").locator("tr", has_text="접수번호")
    number_text = number.locator("td").inner_text()
    stored = cast(dict[str, Any], truth(intake, f"/applications/{quote(number_text)}"))
    assert (stored["care_group"], stored["centre_in_city"], stored["care_days"]) == (
        "near_poor",
        True,
        12,
    )
    assert (stored["multiple_birth"], stored["channel"]) == (True, "online")

    log_in(page, intake)
    page.goto(f"{intake.url}/applications/{quote(number_text)}")
    care = page.get_by_role("table", name="산후조리 정보")
    expect(care.locator("tr", has_text="지원 구분")).to_contain_text("차상위·경증장애인")
    expect(care.locator("tr", has_text="관내 산후조리원 이용")).to_contain_text("예")
    expect(care.locator("tr", has_text="산후조리원 이용 일수")).to_contain_text("12일")
    expect(
        page.get_by_role("table", name="아기 정보").locator("tr", has_text="다태아")
    ).to_contain_text("예")
    expect(page.get_by_role("table", name="신청 정보")).to_contain_text("온라인")

    incentive = _applications(intake, "?kind=childbirth_incentive")[0]
    page.goto(f"{intake.url}/applications/{quote(incentive['application_no'])}")
    expect(page.get_by_role("table", name="아기 정보")).to_contain_text("다태아")
    expect(page.get_by_role("table", name="산후조리 정보")).to_have_count(0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"group": None}, "산후조리 지원 구분을(를) 목록에서 고르십시오."),
        ({"centre": None}, "관내 산후조리원 이용을(를) 목록에서 고르십시오."),
        (
            {"산후조리원 이용 일수": "31"},
            "산후조리원 이용 일수은(는) 0에서 30 사이여야 합니다.",
        ),
        (
            {"산후조리원 이용 일수": "0"},
            "관내 산후조리원을 이용했다면 산후조리원 이용 일수은(는) 1일 이상이어야 합니다.",
        ),
        ({"산후조리원 이용 일수": ""}, "산후조리원 이용 일수을(를) 입력하십시오."),
    ],
)
def test_bad_postnatal_fields_are_refused(
    page: Page, intake: RunningSystem, changes: dict[str, Any], message: str
) -> None:
    before = truth(intake, "/counts")
    page.goto(f"{intake.url}/apply")
    bypass_browser_checks(page)
    with page.expect_response(f"{intake.url}/apply") as answer:
        _apply_for_postnatal_care(page, **changes)
    assert answer.value.status == 422
    expect(page.get_by_text(message, exact=True)).to_be_visible()
    expect(page.get_by_label("신청 종류")).to_have_value("postnatal_care")  # kept for the fix
    expect(page.get_by_label("다태아")).to_be_checked()
    assert truth(intake, "/counts") == before


def _download(page: Page, reason: str) -> Download:
    page.get_by_label("내려받기 사유").select_option(label=reason)
    with page.expect_download() as download:
        page.get_by_role("button", name="엑셀 내려받기").click()
    return download.value


def test_an_official_downloads_the_open_applications(
    page: Page, intake: RunningSystem, tmp_path: Path
) -> None:
    log_in(page, intake)
    page.get_by_label("상태").select_option(label="접수")
    page.get_by_role("button", name="검색").click()
    download = _download(page, "복지급여 지급 심사")
    assert download.suggested_filename == f"신청목록_{TODAY:%Y%m%d}.xlsx"
    saved = tmp_path / "inbox.xlsx"
    download.save_as(saved)

    book = load_workbook(saved)
    assert book.sheetnames == ["신청 목록"]
    header, *rows = [list(row) for row in book["신청 목록"].iter_rows(values_only=True)]
    assert tuple(header) == EXPORT_HEADER
    wanted = _applications(intake, "?status=received")
    assert [row[0] for row in rows] == [a["application_no"] for a in wanted]  # oldest first
    assert len(rows) > 20  # every row, not one page
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for app in wanted:
        assert by_number[app["application_no"]]["신청인 주민등록번호"] == app["applicant_rrn"]
    # a number the clerk mistyped reaches the robot exactly as typed
    mistyped = next(a for a in wanted if a["seed_anomaly"] == "malformed_rrn")
    assert re.fullmatch(r"\d{6}-\d{7}", mistyped["applicant_rrn"]) is None
    assert by_number[mistyped["application_no"]]["신청인 주민등록번호"] == mistyped["applicant_rrn"]
    missing = next(a for a in wanted if a["seed_anomaly"] == "missing_birth_certificate")
    assert by_number[missing["application_no"]]["출생증명서"] == "미제출"
    assert by_number[missing["application_no"]]["통장 사본"] == "제출"
    assert {row["상태"] for row in by_number.values()} == {"접수"}

    log = cast(list[dict[str, Any]], truth(intake, "/downloads"))
    assert len(log) == 1
    assert (log[0]["username"], log[0]["reason"], log[0]["row_count"]) == (
        "clerk01",
        "benefit_review",
        len(rows),
    )
    assert (log[0]["filter_status"], log[0]["filter_kind"]) == ("received", "")
    # the screens themselves keep the number masked
    page.goto(f"{intake.url}/applications/{quote(wanted[0]['application_no'])}")
    assert wanted[0]["applicant_rrn"] not in page.content()


def test_without_a_reason_there_is_no_file(page: Page, intake: RunningSystem) -> None:
    log_in(page, intake)
    page.get_by_label("신청 종류").select_option(label="산후조리비용")
    page.get_by_role("button", name="검색").click()
    downloads: list[Download] = []
    page.on("download", lambda download: downloads.append(download))
    with page.expect_response(f"{intake.url}/inbox/export") as answer:
        page.get_by_role("button", name="엑셀 내려받기").click()
    assert answer.value.status == 422
    form = page.get_by_role("form", name="엑셀 내려받기")
    expect(form.get_by_role("alert").first).to_have_text("엑셀 파일을 내려받지 못했습니다.")
    expect(
        page.get_by_text(
            "내려받기 사유를 목록에서 고르십시오. 개인정보가 담긴 파일은 사유를 남겨야 내려받을 수 있습니다."
        )
    ).to_be_visible()
    expect(page.get_by_label("내려받기 사유")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("신청 종류")).to_have_value("postnatal_care")  # filters kept
    assert downloads == []
    assert truth(intake, "/downloads") == []

    download = _download(page, "감사·점검")  # the same form, now with a reason
    assert download.suggested_filename.endswith(".xlsx")
    log = cast(list[dict[str, Any]], truth(intake, "/downloads"))
    assert [(d["reason"], d["filter_kind"]) for d in log] == [("audit", "postnatal_care")]
