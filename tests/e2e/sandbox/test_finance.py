"""The finance system in real Chromium: holder check, payment with confirm, search, export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Dialog, Page, expect

from civicrpa.core.clock import KST
from civicrpa.sandbox.common.banks import BANKS
from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.intake.seed import generate_applications
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import bypass_browser_checks, log_in, sandbox_post, truth

pytestmark = pytest.mark.e2e


@pytest.fixture
def finance(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("finance")


def _account(finance: RunningSystem, status: str = "active") -> dict[str, Any]:
    rows = cast(list[dict[str, Any]], truth(finance, f"/accounts?status={status}&limit=1"))
    return rows[0]


def _payments(finance: RunningSystem) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], truth(finance, "/payments"))


def _check_holder(page: Page, account: dict[str, Any], typed: str | None = None) -> None:
    """Choose the bank, type the number (with hyphens), ask the bank, read and close the dialog."""
    digits = account["account_number"]
    page.get_by_label("은행").select_option(label=BANKS[account["bank_code"]].name)
    page.get_by_label("계좌번호").fill(typed or f"{digits[:3]}-{digits[3:7]}-{digits[7:]}")
    page.get_by_role("button", name="예금주 조회").click()
    dialog = page.get_by_role("dialog", name="계좌 확인 결과")
    expect(dialog).to_be_visible()


def _fill(
    page: Page, account: dict[str, Any], reference: str, memo: str = "출산장려금 지급"
) -> None:
    page.get_by_label("지급 대상자").fill(account["holder"])
    _check_holder(page, account)
    dialog = page.get_by_role("dialog", name="계좌 확인 결과")
    expect(dialog).to_contain_text("예금주가 확인되었습니다.")
    expect(dialog.get_by_role("table", name="계좌 확인 내용")).to_contain_text(account["holder"])
    dialog.get_by_role("button", name="확인").click()
    expect(dialog).to_be_hidden()
    page.get_by_label("예금주").fill(account["holder"])
    page.get_by_label("금액(원)").fill("1,000,000")
    page.get_by_label("예산 과목").select_option(label="출산장려금 지원")
    page.get_by_label("참조번호").fill(reference)
    page.get_by_label("적요").fill(memo)


def _submit(page: Page, *, accept: bool = True) -> list[str]:
    seen: list[str] = []

    def answer(dialog: Dialog) -> None:
        seen.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    page.get_by_role("button", name="지급 등록").click()
    page.wait_for_load_state()
    return seen


def test_register_find_and_export_a_payment(
    page: Page, finance: RunningSystem, tmp_path: Path
) -> None:
    account = _account(finance)
    before = len(_payments(finance))
    page.goto(f"{finance.url}/payments/new")
    expect(page).to_have_url(f"{finance.url}/login?next=/payments/new")
    log_in(page, finance)
    expect(page.get_by_role("heading", name="지급 목록")).to_be_visible()  # the home screen
    page.get_by_role("link", name="지급 등록").click()
    expect(page.get_by_role("heading", name="지급 등록")).to_be_visible()
    _fill(page, account, "APP-2025-0001", memo="<script>alert(1)</script> 1차분")
    assert _submit(page) == ["지급을 등록하시겠습니까?"]

    expect(page.get_by_role("heading", name="지급 상세")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        "지급이 등록되었습니다. (참조번호 APP-2025-0001)"
    )
    details = page.get_by_role("table", name="지급 내역")
    expect(details).to_contain_text("<script>alert(1)</script> 1차분")  # shown as text
    expect(details).to_contain_text("1,000,000")
    assert account["account_number"] not in page.url
    paid = cast(dict[str, Any], truth(finance, "/payments/APP-2025-0001"))
    assert paid["account_number"] == account["account_number"]
    assert (paid["holder"], paid["amount"], paid["budget_item"]) == (
        account["holder"],
        1_000_000,
        "childbirth_incentive",
    )
    assert (paid["status"], paid["registered_by"]) == ("pending", "clerk01")
    assert len(_payments(finance)) == before + 1
    (check,) = cast(list[dict[str, Any]], truth(finance, "/holder-checks"))
    assert (check["username"], check["result"], check["holder"]) == (
        "clerk01",
        "found",
        account["holder"],
    )

    page.get_by_role("link", name="지급 목록").click()
    page.get_by_label("참조번호").fill("APP-2025-0001")
    page.get_by_role("button", name="검색").click()
    rows = page.get_by_role("table", name="지급 목록").locator("tbody tr")
    expect(rows).to_have_count(1)
    # Registered on the city's day, at the Korean time of day it was registered.
    stamp = datetime.strptime(rows.first.locator("td").nth(8).inner_text(), "%Y-%m-%d %H:%M")
    now = datetime.now(KST).replace(tzinfo=None)
    assert stamp.date() == CITY_DAY
    apart = (datetime.combine(now.date(), stamp.time()) - now) % timedelta(days=1)
    assert min(apart, timedelta(days=1) - apart) < timedelta(minutes=3)  # across midnight too
    masked = "*" * (len(account["account_number"]) - 4) + account["account_number"][-4:]
    expect(rows.first).to_contain_text(masked)
    with page.expect_download() as download:
        page.get_by_role("link", name="엑셀 내려받기").click()
    assert download.value.suggested_filename == f"지급목록_{CITY_DAY:%Y%m%d}.xlsx"
    saved = tmp_path / "payments.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    sheet = book.active
    assert sheet is not None
    header, *lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:4] == ["참조번호", "지급 대상자", "은행", "계좌번호"]
    assert len(lines) == 1
    assert lines[0][:6] == [
        "APP-2025-0001",
        account["holder"],
        BANKS[account["bank_code"]].name,
        masked,
        account["holder"],
        1_000_000,
    ]

    page.goto(f"{finance.url}/payments?payee={account['holder']}")
    expect(page.get_by_role("table", name="지급 목록")).to_contain_text("APP-2025-0001")


def test_a_dismissed_confirm_or_a_second_reference_stores_nothing(
    page: Page, finance: RunningSystem
) -> None:
    account = _account(finance)
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    before = len(_payments(finance))
    _fill(page, account, "APP-2025-0002")
    assert _submit(page, accept=False) == ["지급을 등록하시겠습니까?"]
    expect(page).to_have_url(f"{finance.url}/payments/new")
    assert len(_payments(finance)) == before

    _submit(page)
    expect(page.get_by_role("heading", name="지급 상세")).to_be_visible()
    assert len(_payments(finance)) == before + 1
    for taken in ("APP-2025-0002", "F2025-00001"):  # ours, and a seeded past payment
        page.goto(f"{finance.url}/payments/new")
        _fill(page, account, taken)
        _submit(page)
        expect(page.get_by_text("이미 같은 참조번호로 등록된 지급이 있습니다.")).to_be_visible()
        assert page.get_by_label("참조번호").input_value() == taken
    assert len(_payments(finance)) == before + 1


def test_the_holder_check_guards_the_payment(page: Page, finance: RunningSystem) -> None:
    account, closed = _account(finance), _account(finance, "closed")
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    _fill(page, account, "APP-2025-0003")
    page.get_by_label("은행").select_option(label=BANKS[closed["bank_code"]].name)
    page.get_by_label("계좌번호").fill(closed["account_number"])
    _submit(page)  # another account than the one checked
    expect(page.get_by_text("예금주 조회를 먼저 하십시오.")).to_be_visible()

    _check_holder(page, closed)
    expect(page.get_by_role("dialog")).to_contain_text("해지된 계좌입니다.")
    page.get_by_role("button", name="확인").click()
    _submit(page)
    expect(page.get_by_text("예금주 조회에서 확인되지 않은 계좌입니다.")).to_be_visible()

    _check_holder(page, account)
    page.get_by_role("button", name="확인").click()
    page.get_by_label("예금주").fill("홍길동")
    _submit(page)
    expect(page.get_by_text("예금주가 예금주 조회 결과와 다릅니다.")).to_be_visible()

    unknown = {**account, "account_number": "9" * len(account["account_number"])}
    _check_holder(page, unknown)
    expect(page.get_by_role("dialog")).to_contain_text("등록되지 않은 계좌입니다.")
    page.get_by_role("button", name="확인").click()

    # An account as an applicant wrote it in the intake system is known to the bank, by its holder.
    application = generate_applications(60).applications[0]
    page.get_by_label("은행").select_option(label=BANKS[application["bank"]].name)
    page.get_by_label("계좌번호").fill(application["account_no"])
    page.get_by_role("button", name="예금주 조회").click()
    expect(page.get_by_role("dialog")).to_contain_text(application["account_holder"])
    assert cast(dict[str, int], truth(finance, "/stats"))["payments"] == len(_payments(finance))
    results = [c["result"] for c in cast(list[dict[str, Any]], truth(finance, "/holder-checks"))]
    assert results == ["found", "closed", "found", "not_found", "found"]
    assert all(p["reference"] != "APP-2025-0003" for p in _payments(finance))


def test_bad_input_is_refused_with_korean_messages(page: Page, finance: RunningSystem) -> None:
    before = len(_payments(finance))
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    page.on("dialog", lambda dialog: dialog.accept())
    bypass_browser_checks(page)
    page.get_by_role("button", name="지급 등록").click()
    for label in ("지급 대상자", "계좌번호", "예금주", "금액(원)", "참조번호", "적요"):
        expect(page.get_by_text(f"{label}을(를) 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("은행을(를) 목록에서 고르십시오.")).to_be_visible()

    bypass_browser_checks(page)
    page.get_by_label("지급 대상자").fill("<script>alert(1)</script>")
    page.get_by_label("은행").select_option(label="우리은행")
    page.get_by_label("계좌번호").fill("123-456-789012")
    page.get_by_label("금액(원)").fill("백만원")
    page.get_by_label("참조번호").fill("APP 2025/1")
    page.get_by_role("button", name="지급 등록").click()
    expect(page.get_by_text("지급 대상자은(는) 20자 이내로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("우리은행 계좌번호는 13자리여야 합니다.")).to_be_visible()
    expect(page.get_by_text("금액(원)은(는) 숫자로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("참조번호의 형식이 올바르지 않습니다.")).to_be_visible()
    assert page.get_by_label("지급 대상자").input_value() == "<script>alert(1)</script>"

    bypass_browser_checks(page)
    page.get_by_label("은행").select_option(label="농협은행")
    page.get_by_label("계좌번호").fill("123-456-789")
    page.get_by_label("금액(원)").fill("0")
    page.get_by_role("button", name="예금주 조회").click()
    expect(page.get_by_role("dialog")).to_contain_text(
        "농협은행 계좌번호는 11, 12, 13 또는 14자리여야 합니다."
    )
    page.get_by_role("button", name="확인").click()
    page.get_by_label("계좌번호").fill("1234-abcd-5678")
    page.get_by_role("button", name="지급 등록").click()
    expect(page.get_by_text("계좌번호은(는) 숫자와 '-'만 입력할 수 있습니다.")).to_be_visible()
    expect(page.get_by_text("금액(원)은(는) 1에서 100,000,000 사이여야 합니다.")).to_be_visible()
    assert len(_payments(finance)) == before
    assert truth(finance, "/holder-checks") == []


def test_expired_session_sends_back_to_log_in(page: Page, finance: RunningSystem) -> None:
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    sandbox_post(finance, "/sessions/expire")
    page.reload()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    expect(page.get_by_role("heading", name="지급 등록")).to_be_visible()

    sandbox_post(finance, "/sessions/expire")  # expired while the form is open
    page.get_by_role("button", name="예금주 조회").click()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    page.get_by_label("지급 대상자").fill("홍길동")
    sandbox_post(finance, "/sessions/expire")  # and again before the payment is sent
    bypass_browser_checks(page)
    _submit(page)
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    assert truth(finance, "/holder-checks") == []


def test_injected_faults_are_seen(page: Page, finance: RunningSystem) -> None:
    log_in(page, finance)
    page.goto(f"{finance.url}/payments/new")
    sandbox_post(finance, "/faults", {"error_rate": 1.0})
    page.get_by_role("button", name="예금주 조회").click()
    expect(page.get_by_role("dialog")).to_contain_text("예금주 조회 중 오류가 발생했습니다.")
    response = page.goto(f"{finance.url}/payments")
    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", name="일시적인 시스템 오류")).to_be_visible()
    sandbox_post(finance, "/faults", {})
    response = page.goto(f"{finance.url}/payments")
    assert response is not None
    assert response.status == 200


def test_past_payments_were_registered_in_office_hours_korean_time(
    page: Page, finance: RunningSystem
) -> None:
    log_in(page, finance)
    page.goto(f"{finance.url}/payments")
    cells = page.get_by_role("table", name="지급 목록").locator("tbody tr td:nth-child(9)")
    stamps = [datetime.strptime(text, "%Y-%m-%d %H:%M") for text in cells.all_inner_texts()]
    assert len(stamps) == len(_payments(finance)) >= 10  # the seed's, all on one page
    assert all(stamp.date() < CITY_DAY for stamp in stamps)
    assert all(time(9, 0) <= stamp.time() < time(18, 0) for stamp in stamps), stamps
