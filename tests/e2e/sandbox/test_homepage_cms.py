"""The homepage CMS in real Chromium: post a notice with attachments, see it as a citizen."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from playwright.sync_api import Dialog, Page, expect

from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import (
    TOKEN,
    bypass_browser_checks,
    log_in,
    sandbox_post,
    truth,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def cms(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("homepage_cms")


def _today() -> date:
    return CITY_DAY


def _hwpx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", "<hs:sec><hp:t>공고문</hp:t></hs:sec>")
    return path


def _pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    return path


def _notices(cms: RunningSystem, title: str = "") -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], truth(cms, f"/notices?title={title}"))


def _fill_notice(page: Page, title: str, body: str, day: date, files: list[Path]) -> None:
    page.get_by_label("제목").fill(title)
    page.get_by_label("본문").fill(body)
    page.get_by_label("담당 부서").select_option(label="문화관광과")
    page.get_by_label("게시일").fill(day.isoformat())
    if files:
        page.get_by_label("첨부파일").set_input_files(files)


def _post_notice(page: Page, cms: RunningSystem, title: str, day: date) -> int:
    page.goto(f"{cms.url}/admin/notices/new")
    _fill_notice(page, title, "본문입니다.", day, [])
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return int(page.url.rsplit("/", 1)[-1])


def test_post_a_notice_and_download_its_attachment_as_a_citizen(
    page: Page, cms: RunningSystem, tmp_path: Path
) -> None:
    page.goto(f"{cms.url}/admin/notices")
    expect(page).to_have_url(f"{cms.url}/login?next=/admin/notices")
    log_in(page, cms)
    expect(page.get_by_role("heading", name="공지사항 관리")).to_be_visible()
    page.get_by_role("link", name="새 공지 등록").click()
    hwpx, pdf = _hwpx(tmp_path / "공고문.hwpx"), _pdf(tmp_path / "붙임1 신청서.pdf")
    title = "2025년 정남진 문화제 참가자 모집 공고"
    _fill_notice(page, title, "1. 목적: 문화제\n2. 기간: 10월", _today(), [hwpx, pdf])
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text(f"공지사항을 등록했습니다(게시: {_today()}).")).to_be_visible()

    (notice,) = _notices(cms, title)
    assert notice["public"] is True
    assert notice["body"] == "1. 목적: 문화제\n2. 기간: 10월"
    assert [(a["filename"], a["size"], a["sha256"]) for a in notice["attachments"]] == [
        (p.name, p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest()) for p in (hwpx, pdf)
    ]

    citizen = page.context.browser.new_page() if page.context.browser else page
    citizen.goto(f"{cms.url}/notices")
    stats = cast(dict[str, int], truth(cms, "/stats"))
    expect(citizen.get_by_text(f"(전체 {stats['public']}건)")).to_be_visible()
    first = citizen.get_by_role("table", name="공지사항").locator("tbody tr").first
    expect(first).to_contain_text(title)
    first.get_by_role("link", name=title).click()
    expect(citizen.get_by_role("heading", name=title)).to_be_visible()
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="붙임1 신청서.pdf").click()
    download = info.value
    assert download.suggested_filename == "붙임1 신청서.pdf"
    assert Path(download.path()).read_bytes() == pdf.read_bytes()
    citizen.close()


def test_a_scheduled_notice_is_not_public_before_its_day(page: Page, cms: RunningSystem) -> None:
    log_in(page, cms)
    day = _today() + timedelta(days=7)
    notice_id = _post_notice(page, cms, "상수도 공사 예정 안내", day)
    expect(page.get_by_role("table", name="공지사항 정보")).to_contain_text("예약")

    page.goto(f"{cms.url}/admin/notices?q=상수도 공사 예정")
    expect(page.get_by_role("table", name="공지사항 목록")).to_contain_text("예약")
    page.goto(f"{cms.url}/notices?q=상수도 공사 예정")
    expect(page.get_by_text("게시된 공지사항이 없습니다.")).to_be_visible()
    response = page.goto(f"{cms.url}/notices/{notice_id}")
    assert response is not None
    assert response.status == 404
    assert _notices(cms, "상수도 공사 예정")[0]["public"] is False


def test_edit_then_delete_only_when_the_confirm_is_accepted(
    page: Page, cms: RunningSystem, tmp_path: Path
) -> None:
    log_in(page, cms)
    notice_id = _post_notice(page, cms, "도서관 휴관 안내", _today())
    page.get_by_role("link", name="수정").click()
    page.get_by_label("제목").fill("도서관 임시 휴관 안내")
    page.get_by_label("첨부파일").set_input_files([_pdf(tmp_path / "휴관 일정.pdf")])
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_text("공지사항을 수정했습니다.")).to_be_visible()
    (edited,) = _notices(cms, "도서관 임시 휴관")
    assert edited["updated_by"] == "clerk01"
    assert [a["filename"] for a in edited["attachments"]] == ["휴관 일정.pdf"]

    asked: list[str] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def handle(dialog: Dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    page.get_by_role("button", name="삭제").click()
    expect(page.get_by_role("heading", name="도서관 임시 휴관 안내")).to_be_visible()
    assert asked == ["이 공지사항을 삭제하시겠습니까? 첨부파일도 함께 삭제됩니다."]
    assert _notices(cms, "도서관 임시 휴관")

    page.once("dialog", answer(True))
    page.get_by_role("button", name="삭제").click()
    expect(page.get_by_text("공지사항을 삭제했습니다: 도서관 임시 휴관 안내")).to_be_visible()
    assert _notices(cms, "도서관 임시 휴관") == []
    gone = httpx.get(
        f"{cms.url}/__sandbox/truth/notices/{notice_id}", headers={"X-Sandbox-Token": TOKEN}
    )
    assert gone.status_code == 404


def test_bad_input_is_refused_in_korean_and_nothing_is_stored(
    page: Page, cms: RunningSystem, tmp_path: Path
) -> None:
    before = truth(cms, "/stats")
    log_in(page, cms)
    page.goto(f"{cms.url}/admin/notices/new")
    bypass_browser_checks(page)
    memo = tmp_path / "메모.txt"
    memo.write_text("hello")
    page.get_by_label("제목").fill("가" * 101)
    page.get_by_label("게시일").fill((_today() - timedelta(days=1)).isoformat())
    page.get_by_label("첨부파일").set_input_files([memo])
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="등록").click()
    assert posted.value.status == 422
    expect(page.get_by_text("제목은(는) 100자 이내로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("본문을(를) 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("담당 부서을(를) 목록에서 고르십시오.")).to_be_visible()
    expect(page.get_by_text("게시일은(는) 오늘 이전일 수 없습니다.")).to_be_visible()
    expect(page.get_by_text("첨부파일은(는) .hwpx, .pdf 파일만 올릴 수 있습니다.")).to_be_visible()
    assert page.get_by_label("제목").input_value() == "가" * 101

    bypass_browser_checks(page)
    fake_pdf = tmp_path / "위장.pdf"
    fake_pdf.write_text("not a pdf")
    page.evaluate(
        """() => {
            const day = document.querySelector("input[name=publish_on]");
            day.type = "text";
            const select = document.querySelector("select[name=department]");
            select.add(new Option("없는 부서", "nowhere"));
        }"""
    )
    page.get_by_label("제목").fill("")
    page.get_by_label("본문").fill("가" * 20_001)
    page.get_by_label("담당 부서").select_option("nowhere")
    page.get_by_label("게시일").fill("2025-13-45")
    page.get_by_label("첨부파일").set_input_files([fake_pdf])
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text("제목을(를) 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("본문은(는) 20000자 이내로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("담당 부서을(를) 목록에서 고르십시오.")).to_be_visible()
    expect(page.get_by_text("게시일은(는) 2025-03-31 형식의 날짜로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("첨부파일은(는) .hwpx, .pdf 파일만 올릴 수 있습니다.")).to_be_visible()
    assert truth(cms, "/stats") == before

    page.goto(f"{cms.url}/admin/notices?q={'가' * 101}")
    expect(page.get_by_text("제목은(는) 100자 이내로 입력하십시오.")).to_be_visible()


def test_markup_in_a_notice_is_shown_as_text_on_the_public_page(
    page: Page, cms: RunningSystem
) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    log_in(page, cms)
    title = '<script>alert("제목")</script> 안내'
    page.goto(f"{cms.url}/admin/notices/new")
    _fill_notice(page, title, "<script>alert(1)</script><b>굵게</b>", _today(), [])
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    notice_id = page.url.rsplit("/", 1)[-1]
    page.goto(f"{cms.url}/notices/{notice_id}")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script><b>굵게</b>")).to_be_visible()
    assert page.locator("b", has_text="굵게").count() == 0
    assert dialogs == []


def test_expired_session_sends_back_to_log_in(page: Page, cms: RunningSystem) -> None:
    log_in(page, cms)
    page.goto(f"{cms.url}/admin/notices/new")
    sandbox_post(cms, "/sessions/expire")
    page.reload()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    page.get_by_label("아이디").fill("clerk01")
    page.get_by_label("비밀번호").fill("sandbox-1234")
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", name="새 공지 등록")).to_be_visible()


def test_injected_faults_are_seen(page: Page, cms: RunningSystem) -> None:
    log_in(page, cms)
    sandbox_post(cms, "/faults", {"error_rate": 1.0})
    for path in ("/admin/notices", "/notices"):
        response = page.goto(f"{cms.url}{path}")
        assert response is not None
        assert response.status == 500
        expect(page.get_by_role("heading", name="일시적인 시스템 오류")).to_be_visible()
    sandbox_post(cms, "/faults", {})
    response = page.goto(f"{cms.url}/notices")
    assert response is not None
    assert response.status == 200


def _newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Notices in the boards' order: 게시일 newest first, then the later id first."""
    return sorted(rows, key=lambda n: (n["publish_on"], n["id"]), reverse=True)


def _board(page: Page, table: str) -> list[tuple[str, str]]:
    """(번호, 제목) of each row of a board table as shown."""
    rows = page.get_by_role("table", name=table).locator("tbody tr")
    return [
        (row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text())
        for row in rows.all()
    ]


def test_the_admin_list_counts_every_notice_and_reaches_the_next_page(
    page: Page, cms: RunningSystem
) -> None:
    every = _newest_first(_notices(cms))
    assert len(every) > 20  # more than one admin page (20 a page)
    log_in(page, cms)
    page.goto(f"{cms.url}/admin/notices")
    pager = page.get_by_role("navigation", name="페이지")
    expect(pager).to_contain_text(f"1 / 2 쪽 (전체 {len(every)}건)")
    assert [title for _number, title in _board(page, "공지사항 목록")] == [
        n["title"] for n in every[:20]
    ]
    pager.get_by_role("link", name="다음").click()
    expect(page).to_have_url(f"{cms.url}/admin/notices?page=2")
    expect(pager).to_contain_text(f"2 / 2 쪽 (전체 {len(every)}건)")
    assert [title for _number, title in _board(page, "공지사항 목록")] == [
        n["title"] for n in every[20:]
    ]
    page.get_by_role("link", name=every[-1]["title"]).click()
    expect(page.get_by_role("heading", name=every[-1]["title"])).to_be_visible()


def test_the_public_board_numbers_notices_by_their_place_newest_highest(
    page: Page, cms: RunningSystem
) -> None:
    public = _newest_first([n for n in _notices(cms) if n["public"]])
    total = len(public)
    assert total > 10  # two pages of ten
    page.goto(f"{cms.url}/notices")
    shown = _board(page, "공지사항")
    assert shown == [(str(total - i), n["title"]) for i, n in enumerate(public[:10])]
    assert [int(number) for number, _title in shown] != [n["id"] for n in public[:10]]
    page.get_by_role("navigation", name="페이지").get_by_role("link", name="다음").click()
    assert _board(page, "공지사항")[0] == (str(total - 10), public[10]["title"])
    # A search numbers what it found, from its own count down to 1.
    found = [n for n in public if "모집" in n["title"]]
    assert found
    page.goto(f"{cms.url}/notices?q=모집")
    numbers = [number for number, _title in _board(page, "공지사항")]
    assert numbers == [str(len(found) - i) for i in range(min(10, len(found)))]
    # The number is not an address: the title still leads to the notice itself.
    page.get_by_role("link", name=found[0]["title"], exact=True).first.click()
    expect(page).to_have_url(f"{cms.url}/notices/{found[0]['id']}")
