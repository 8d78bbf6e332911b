"""The intake system in real Chromium: a citizen applies, an official works the inbox.

Covers the portal (valid application with uploads, every kind of bad input refused with its
Korean message and nothing stored), the officials' inbox (filters, pagination), the detail
screen (masked resident number, downloads), status steps through the modal dialog and the
browser's confirm, memos, session expiry and injected faults. Ground truth is read through
``/__sandbox/truth`` only to judge what the screens did.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog, FilePayload, Page, expect

from civicrpa.sandbox.common.accounts import SANDBOX_PASSWORD
from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.common.db import SandboxDatabase
from civicrpa.sandbox.common.synthetic import fictional_rrn
from civicrpa.sandbox.intake.documents import tiny_pdf, tiny_png
from civicrpa.sandbox.intake.models import metadata
from civicrpa.sandbox.intake.seed import seed_applications, target_count
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import bypass_browser_checks, log_in, sandbox_post, truth

pytestmark = pytest.mark.e2e

TODAY = CITY_DAY  # the day the whole synthetic city stands on
#: A fictional number (wrong check digit, as every synthetic one): the portal must accept it.
RRN = fictional_rrn(TODAY.replace(year=TODAY.year - 33), male=False, rng=random.Random(7))
CERTIFICATE = tiny_pdf("Birth certificate (e2e)")
BANKBOOK = tiny_png()
VALID = {
    "신청인 성명": "한지우",
    "신청인 주민등록번호": RRN,
    "연락처(휴대전화)": "010-2345-6789",
    "주소": "전라남도 광양시 중마동 중마로 12",
    "아기 성명": "한별",
    "아기 생년월일": (TODAY - timedelta(days=20)).isoformat(),
    "계좌번호": "301-2345-6789-01",
    "예금주": "한지우",
}


@pytest.fixture
def intake(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("intake", seed_size=400)


def _file(name: str, content: bytes, mime: str) -> FilePayload:
    return {"name": name, "mimeType": mime, "buffer": content}


def _fill(
    page: Page,
    *,
    kind: str | None = "출산장려금",
    bank: str | None = "농협은행",
    files: dict[str, FilePayload | None] | None = None,
    **fields: str,
) -> None:
    """Fill the citizen's form with valid values, then the overrides (by label)."""
    if kind is not None:
        page.get_by_label("신청 종류").select_option(label=kind)
    if bank is not None:
        page.get_by_label("입금 은행").select_option(label=bank)
    for label, value in {**VALID, **fields}.items():
        page.get_by_label(label, exact=True).fill(value)
    chosen = {
        "출생증명서": _file("출생증명서.pdf", CERTIFICATE, "application/pdf"),
        "통장 사본": _file("통장사본.png", BANKBOOK, "image/png"),
        **(files or {}),
    }
    for label, payload in chosen.items():
        if payload is not None:
            page.get_by_label(label).set_input_files(payload)


def _submit(page: Page) -> None:
    page.get_by_role("button", name="신청서 제출").click()
    page.wait_for_load_state()


def _one(system: RunningSystem, number: str) -> dict[str, Any]:
    return cast(dict[str, Any], truth(system, f"/applications/{quote(number)}"))


def _counts(system: RunningSystem) -> dict[str, Any]:
    return cast(dict[str, Any], truth(system, "/counts"))


def _first(system: RunningSystem, status: str) -> dict[str, Any]:
    rows = cast(list[dict[str, Any]], truth(system, f"/applications?status={status}"))
    return rows[0]


def _confirm(page: Page, accept: bool) -> list[str]:
    """Answer the next confirm dialog; the list receives its message."""
    seen: list[str] = []

    def answer(dialog: Dialog) -> None:
        seen.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return seen


def _change_status(page: Page, status: str, memo: str = "", *, accept: bool = True) -> list[str]:
    page.get_by_role("button", name="상태 변경").click()
    dialog = page.get_by_role("dialog", name="상태 변경")
    dialog.get_by_label("상태").select_option(label=status)
    dialog.get_by_label("메모").fill(memo)
    seen = _confirm(page, accept)
    dialog.get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    page.evaluate("1")  # the confirm has been answered once the page runs script again
    return seen


def test_a_citizen_applies_and_an_official_moves_it_on(page: Page, intake: RunningSystem) -> None:
    page.goto(f"{intake.url}/apply")
    _fill(page)
    _submit(page)
    expect(page.get_by_role("heading", name="신청이 접수되었습니다")).to_be_visible()
    number = page.get_by_role("table", name="접수 내역").locator("tr", has_text="접수번호")
    number_text = number.locator("td").inner_text()
    assert re.fullmatch(rf"{TODAY.year}-출산-\d{{6}}", number_text)
    for shown in (page.content(), page.url):
        assert RRN not in shown
        assert RRN.replace("-", "") not in shown

    stored = _one(intake, number_text)
    assert stored["status"] == "received"
    assert stored["applicant_rrn"] == RRN  # the check digit was not held against it
    assert {a["kind"]: a["sha256"] for a in stored["attachments"]} == {
        "birth_certificate": hashlib.sha256(CERTIFICATE).hexdigest(),
        "bankbook": hashlib.sha256(BANKBOOK).hexdigest(),
    }

    log_in(page, intake)
    rows = page.get_by_role("table", name="접수 목록").locator("tbody tr")
    expect(rows.first).to_contain_text(number_text)  # newest first
    page.get_by_label("상태").select_option(label="접수")
    page.get_by_label("신청 종류").select_option(label="출산장려금")
    page.get_by_role("button", name="검색").click()
    expect(page).to_have_url(re.compile(r"status=received&kind=childbirth_incentive"))
    wanted = truth(intake, "/applications?status=received&kind=childbirth_incentive")
    expect(page.get_by_role("navigation", name="페이지")).to_contain_text(
        f"(전체 {len(cast(list[Any], wanted))}건)"
    )
    for cell in page.get_by_role("table", name="접수 목록").locator("tbody tr td:last-child").all():
        expect(cell).to_have_text("접수")
    page.get_by_role("link", name=number_text).click()

    expect(page.get_by_role("heading", name=f"신청 상세: {number_text}")).to_be_visible()
    applicant = page.get_by_role("table", name="신청인 정보")
    expect(applicant).to_contain_text(RRN[:8] + "******")
    assert RRN not in page.content()
    assert RRN[8:] not in page.content()  # not even the hidden digits alone
    files = page.get_by_role("table", name="첨부 파일")
    with page.expect_download() as download:
        files.locator("tr", has_text="출생증명서").get_by_role("link", name="내려받기").click()
    assert Path(download.value.path()).read_bytes() == CERTIFICATE

    seen = _change_status(page, "검토중", "서류 확인 시작")
    assert seen == ["상태를 변경하시겠습니까?"]
    expect(page.get_by_role("status")).to_have_text("상태를 '검토중'(으)로 변경했습니다.")
    expect(page.get_by_role("table", name="신청 정보")).to_contain_text("검토중")
    expect(page.get_by_role("table", name="처리 이력")).to_contain_text("접수 → 검토중")
    stored = _one(intake, number_text)
    assert stored["status"] == "reviewing"
    last = stored["history"][-1]
    assert (last["from_status"], last["to_status"]) == ("received", "reviewing")
    assert (last["username"], last["memo"]) == ("clerk01", "서류 확인 시작")


def test_dismissing_the_confirm_changes_nothing(page: Page, intake: RunningSystem) -> None:
    target = _first(intake, "received")
    before = _counts(intake)
    log_in(page, intake)
    page.goto(f"{intake.url}/applications/{quote(target['application_no'])}")
    seen = _change_status(page, "검토중", "확인", accept=False)
    assert seen == ["상태를 변경하시겠습니까?"]
    expect(page.get_by_role("dialog", name="상태 변경")).to_be_visible()  # still open
    assert _one(intake, target["application_no"])["status"] == "received"
    assert _counts(intake) == before


def test_the_inbox_pages_through_twenty_at_a_time(page: Page, intake: RunningSystem) -> None:
    counts = _counts(intake)
    pages = -(-counts["total"] // 20)
    assert pages >= 3
    log_in(page, intake)
    rows = page.get_by_role("table", name="접수 목록").locator("tbody tr")
    pager = page.get_by_role("navigation", name="페이지")
    expect(rows).to_have_count(20)
    expect(pager).to_contain_text(f"1 / {pages} 쪽 (전체 {counts['total']}건)")
    pager.get_by_role("link", name="다음").click()
    expect(pager).to_contain_text(f"2 / {pages} 쪽")
    expect(rows).to_have_count(20)

    paid = counts["by_status"]["paid"]
    page.get_by_label("상태").select_option(label="지급완료")
    page.get_by_role("button", name="검색").click()
    expect(pager).to_contain_text(f"(전체 {paid}건)")
    pager.get_by_role("link", name="다음").click()
    expect(page).to_have_url(re.compile(r"status=paid&page=2"))
    expect(rows).to_have_count(min(20, paid - 20))
    expect(page.get_by_label("상태")).to_have_value("paid")  # the filter stays chosen


_TOO_OLD = (TODAY - timedelta(days=366)).isoformat()
_BAD_DATE_RRN = "990230-1" + RRN[-6:]  # there is no 30 February


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"신청인 성명": ""}, "신청인 성명을(를) 입력하십시오."),
        ({"주소": "광" * 201}, "주소은(는) 200자 이내로 입력하십시오."),
        ({"신청인 성명": "<b>홍</b>"}, "신청인 성명의 형식이 올바르지 않습니다."),
        ({"아기 성명": "<script>alert(1)</script>"}, "아기 성명은(는) 20자 이내로 입력하십시오."),
        ({"kind": None}, "신청 종류을(를) 목록에서 고르십시오."),
        (
            {"신청인 주민등록번호": "12345-1234567"},
            "신청인 주민등록번호의 형식이 올바르지 않습니다.",
        ),
        (
            {"신청인 주민등록번호": _BAD_DATE_RRN},
            "신청인 주민등록번호의 생년월일 또는 성별 자리가 올바르지 않습니다.",
        ),
        (
            {"아기 생년월일": (TODAY + timedelta(days=1)).isoformat()},
            "아기 생년월일은(는) 오늘 이후일 수 없습니다.",
        ),
        ({"아기 생년월일": _TOO_OLD}, "아기 생년월일은(는) 신청일 기준 365일 이내여야 합니다."),
        ({"연락처(휴대전화)": "02-123-4567"}, "연락처(휴대전화)의 형식이 올바르지 않습니다."),
        ({"계좌번호": "301-ABCD"}, "계좌번호은(는) 숫자와 '-'만 입력할 수 있습니다."),
        ({"계좌번호": "301-2345"}, "농협은행 계좌번호는 11, 12, 13 또는 14자리여야 합니다."),
        ({"files": {"출생증명서": None}}, "출생증명서 파일을 첨부하십시오."),
        (
            {"files": {"출생증명서": _file("출생증명서.png", BANKBOOK, "image/png")}},
            "출생증명서은(는) .pdf 파일만 올릴 수 있습니다.",
        ),
        (
            {"files": {"통장 사본": _file("통장.pdf", b"MZ not a pdf", "application/pdf")}},
            "통장 사본은(는) .pdf, .png, .jpg 파일만 올릴 수 있습니다.",
        ),
        (
            {
                "files": {
                    "통장 사본": _file("통장.pdf", b"%PDF" + b"0" * 6 * 2**20, "application/pdf")
                }
            },
            "통장 사본은(는) 5MB 이하여야 합니다.",
        ),
    ],
)
def test_bad_citizen_input_is_refused_and_nothing_is_stored(
    page: Page, intake: RunningSystem, changes: dict[str, Any], message: str
) -> None:
    before = _counts(intake)
    page.goto(f"{intake.url}/apply")
    bypass_browser_checks(page)
    _fill(page, **changes)
    with page.expect_response(f"{intake.url}/apply") as answer:
        _submit(page)
    assert answer.value.status == 422
    expect(page.get_by_text(message, exact=True)).to_be_visible()
    for label, value in changes.items():
        if label in VALID and label != "신청인 주민등록번호":
            expect(page.get_by_label(label, exact=True)).to_have_value(value)  # shown as text
    expect(page.get_by_label("신청인 주민등록번호")).to_have_value("")  # never echoed
    assert page.evaluate("document.querySelectorAll('main script, main b').length") == 0
    assert _counts(intake) == before


@pytest.mark.parametrize(
    ("status", "source", "memo", "message", "field"),
    [
        (
            "received",
            "지급완료",
            "",
            "'접수' 상태에서 '지급완료'(으)로 변경할 수 없습니다.",
            "상태",
        ),
        (
            "paid",
            "검토중",
            "재검토",
            "'지급완료' 상태에서 '검토중'(으)로 변경할 수 없습니다.",
            "상태",
        ),
        ("received", "반려", "", "'반려'(으)로 변경할 때는 메모(사유)를 입력하십시오.", "메모"),
        ("received", "검토중", "가" * 501, "메모은(는) 500자 이내로 입력하십시오.", "메모"),
    ],
)
def test_bad_status_changes_are_refused(
    page: Page,
    intake: RunningSystem,
    status: str,
    source: str,
    memo: str,
    message: str,
    field: str,
) -> None:
    target = _first(intake, status)
    before = _counts(intake)
    log_in(page, intake)
    page.goto(f"{intake.url}/applications/{quote(target['application_no'])}")
    _change_status(page, source, memo)
    dialog = page.get_by_role("dialog", name="상태 변경")
    expect(dialog.get_by_text(message)).to_be_visible()
    expect(dialog.get_by_label(field)).to_have_attribute("aria-invalid", "true")
    assert _one(intake, target["application_no"])["status"] == status
    assert _counts(intake) == before


def test_a_stale_screen_cannot_change_the_status(
    page: Page, intake: RunningSystem, browser: Browser
) -> None:
    number = _first(intake, "received")["application_no"]
    url = f"{intake.url}/applications/{quote(number)}"
    log_in(page, intake)
    page.goto(url)
    other = browser.new_context(locale="ko-KR").new_page()
    log_in(other, intake, "reviewer01")
    other.goto(url)
    _change_status(other, "검토중", "먼저 처리")
    other.context.close()
    _change_status(page, "반려", "뒤늦은 처리")
    expect(page.get_by_role("dialog", name="상태 변경")).to_contain_text(
        "다른 사용자가 먼저 상태를 변경했습니다(현재 '검토중')."
    )
    assert _one(intake, number)["status"] == "reviewing"


def test_a_memo_alone_is_recorded(page: Page, intake: RunningSystem) -> None:
    number = _first(intake, "received")["application_no"]
    before = _counts(intake)
    log_in(page, intake)
    page.goto(f"{intake.url}/applications/{quote(number)}")
    page.get_by_role("button", name="메모 추가").click()
    expect(page.get_by_text("추가 메모을(를) 입력하십시오.")).to_be_visible()
    assert _counts(intake) == before
    page.get_by_label("추가 메모").fill("신청인과 통화: 통장 사본 재확인")
    page.get_by_role("button", name="메모 추가").click()
    expect(page.get_by_role("status")).to_have_text("메모를 추가했습니다.")
    last = _one(intake, number)["history"][-1]
    assert (last["from_status"], last["to_status"]) == (None, None)
    assert last["memo"] == "신청인과 통화: 통장 사본 재확인"
    assert _one(intake, number)["status"] == "received"


def test_markup_is_shown_as_text(page: Page, intake: RunningSystem) -> None:
    address = '전라남도 광양시 <script>document.title="x"</script><img src=x onerror=alert(1)>'
    page.goto(f"{intake.url}/apply")
    _fill(page, 주소=address)
    _submit(page)
    number = page.get_by_role("table", name="접수 내역").locator("tr", has_text="접수번호")
    number_text = number.locator("td").inner_text()
    log_in(page, intake)
    page.goto(f"{intake.url}/applications/{quote(number_text)}")
    expect(page.get_by_role("table", name="신청인 정보")).to_contain_text(address)
    expect(page).to_have_title("신청 상세 - 민원 접수 시스템")
    assert page.locator("main img").count() == 0


def _log_in_again(page: Page) -> None:
    """On the log-in screen an expiry led to: the form carries where to go back to."""
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    page.get_by_label("아이디").fill("clerk01")
    page.get_by_label("비밀번호").fill(SANDBOX_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def test_expired_session_sends_the_official_back_to_log_in(
    page: Page, intake: RunningSystem
) -> None:
    number = _first(intake, "received")["application_no"]
    log_in(page, intake)
    page.goto(f"{intake.url}/applications/{quote(number)}")
    sandbox_post(intake, "/sessions/expire")
    page.reload()
    _log_in_again(page)
    expect(page.get_by_role("heading", name=f"신청 상세: {number}")).to_be_visible()

    before = _counts(intake)
    page.get_by_role("button", name="상태 변경").click()
    sandbox_post(intake, "/sessions/expire")  # expires while the dialog is open
    dialog = page.get_by_role("dialog", name="상태 변경")
    dialog.get_by_label("상태").select_option(label="검토중")
    _confirm(page, True)
    dialog.get_by_role("button", name="저장").click()
    _log_in_again(page)
    expect(page.get_by_role("heading", name=f"신청 상세: {number}")).to_be_visible()
    expect(page.get_by_role("table", name="신청 정보")).to_contain_text("접수")
    assert _counts(intake) == before  # the expired post changed nothing


def test_injected_faults_are_seen(page: Page, intake: RunningSystem) -> None:
    log_in(page, intake)
    sandbox_post(intake, "/faults", {"error_rate": 1.0})
    for path in ("/inbox", "/apply"):
        response = page.goto(f"{intake.url}{path}")
        assert response is not None
        assert response.status == 500
        expect(page.get_by_role("heading", name="일시적인 시스템 오류")).to_be_visible()
    sandbox_post(intake, "/faults", {})
    response = page.goto(f"{intake.url}/inbox")
    assert response is not None
    assert response.status == 200


def test_forms_without_csrf_and_other_browsers_receipts_are_refused(
    page: Page, intake: RunningSystem, browser: Browser
) -> None:
    page.goto(f"{intake.url}/apply")
    response = page.request.post(
        f"{intake.url}/apply",
        multipart={"kind": "childbirth_incentive", "applicant_name": "홍길동"},
    )
    assert response.status == 403
    _fill(page)
    _submit(page)
    expect(page.get_by_role("heading", name="신청이 접수되었습니다")).to_be_visible()
    stranger = browser.new_context(locale="ko-KR").new_page()
    stranger.goto(f"{intake.url}/apply/receipt")
    expect(stranger).to_have_url(f"{intake.url}/apply")  # a receipt belongs to its session
    stranger.context.close()


@pytest.mark.slow
def test_seeding_a_city_of_100_000_fills_the_intake(tmp_path: Path) -> None:
    db = SandboxDatabase(tmp_path / "intake.db", metadata)
    started = time.perf_counter()
    seed_applications(db, 100_000)
    elapsed = time.perf_counter() - started
    print(
        f"intake seed for 100,000 residents: {target_count(100_000)} applications, {elapsed:.1f} s"
    )
    with db.engine.connect() as connection:
        total = connection.exec_driver_sql("SELECT count(*) FROM applications").scalar_one()
    db.dispose()
    assert total == target_count(100_000)  # how fast: printed above, not asserted (bench/)
