"""The library in real Chromium: catalogue, loans, overdue export, a supplier's list."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Dialog, Page, expect

from civicrpa.sandbox.common.clock import CITY_DAY
from civicrpa.sandbox.library.rules import isbn_check_digit
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import (
    TOKEN,
    bypass_browser_checks,
    log_in,
    sandbox_post,
    truth,
)

pytestmark = pytest.mark.e2e
HEADER = ["ISBN", "서명", "저자", "출판사", "발행연도", "가격", "수량"]


@pytest.fixture
def library(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("library")


def _today() -> date:
    return CITY_DAY


def _isbn(body: str) -> str:
    """A valid ISBN-13 from its first twelve digits."""
    return f"{body}{isbn_check_digit(body)}"


def _truth_status(system: RunningSystem, path: str) -> int:
    response = httpx.get(f"{system.url}/__sandbox/truth{path}", headers={"X-Sandbox-Token": TOKEN})
    return response.status_code


def _rows(page: Page, table: str) -> Any:
    return page.get_by_role("table", name=table).locator("tbody tr")


def _sheet(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_search_the_catalogue_page_by_page(page: Page, library: RunningSystem) -> None:
    page.goto(f"{library.url}/books")
    expect(page).to_have_url(f"{library.url}/login?next=/books")
    log_in(page, library)
    expected = cast(list[dict[str, Any]], truth(library, "/books?title=이야기"))
    assert len(expected) > 20
    page.get_by_label("서명").fill("이야기")
    page.get_by_role("button", name="검색").click()
    expect(page.get_by_text(f"1 / 2 쪽 (전체 {len(expected)}건)")).to_be_visible()
    expect(_rows(page, "도서 목록")).to_have_count(20)
    page.get_by_role("link", name="다음").click()
    expect(page.get_by_text(f"2 / 2 쪽 (전체 {len(expected)}건)")).to_be_visible()
    expect(_rows(page, "도서 목록")).to_have_count(len(expected) - 20)

    wanted = expected[-1]
    hyphenated = f"{wanted['isbn'][:3]}-{wanted['isbn'][3:5]}-{wanted['isbn'][5:]}"
    page.get_by_label("서명").fill("")
    page.get_by_label("ISBN").fill(hyphenated)
    page.get_by_role("button", name="검색").click()
    expect(_rows(page, "도서 목록")).to_have_count(1)
    page.get_by_role("link", name=wanted["title"]).click()
    expect(page.get_by_role("table", name="도서 정보")).to_contain_text(wanted["isbn"])
    expect(_rows(page, "소장 자료")).to_have_count(wanted["copies"])


def test_lend_and_return_a_copy(page: Page, library: RunningSystem) -> None:
    members = cast(list[dict[str, Any]], truth(library, "/members"))
    member = next(m for m in members if m["open_loans"] == 0 and not m["suspended_until"])
    books = cast(list[dict[str, Any]], truth(library, "/books"))
    book = next(b for b in books if b["copies"] - b["on_loan"] >= 2)
    held = cast(dict[str, Any], truth(library, f"/books/{book['isbn']}"))["copies"]
    first, second = [c["barcode"] for c in held if not c["on_loan"]][:2]
    due = _today() + timedelta(days=14)

    log_in(page, library)
    page.goto(f"{library.url}/members")
    page.get_by_label("회원번호").fill(member["member_no"])
    page.get_by_role("button", name="검색").click()
    rows = _rows(page, "회원 목록")
    expect(rows).to_have_count(1)
    phone = member["phone"]
    expect(rows).to_contain_text(f"{phone[:3]}-****-{phone[-4:]}")
    expect(rows).not_to_contain_text(phone)
    rows.get_by_role("link", name=member["member_no"]).click()
    page.get_by_role("link", name="이 회원에게 대출").click()
    assert page.get_by_label("회원번호").input_value() == member["member_no"]
    page.get_by_label("등록번호").fill(first)
    page.get_by_role("button", name="대출").click()
    expect(page.get_by_text(f"대출했습니다: {book['title']} (반납 예정일 {due})")).to_be_visible()
    expect(_rows(page, "대출 현황")).to_have_count(1)
    loans = cast(list[dict[str, Any]], truth(library, "/loans?open_only=true"))
    (loan,) = [x for x in loans if x["member_no"] == member["member_no"]]
    assert (loan["barcode"], loan["due_on"]) == (first, due.isoformat())

    _rows(page, "대출 현황").get_by_role("button", name="반납").click()
    expect(page.get_by_text(f"반납했습니다: {book['title']}")).to_be_visible()
    expect(_rows(page, "대출 현황")).to_have_text(["대출 중인 자료가 없습니다."])

    page.get_by_role("link", name="대출 처리").click()
    page.get_by_label("회원번호").fill(member["member_no"])
    page.get_by_label("등록번호").fill(second.lower())
    page.get_by_role("button", name="대출").click()
    page.get_by_role("link", name="반납 처리").click()
    page.get_by_label("등록번호").fill(second)
    page.get_by_role("button", name="반납").click()
    expect(page.get_by_text(f"반납했습니다: {book['title']}")).to_be_visible()
    mine = [
        x
        for x in cast(list[dict[str, Any]], truth(library, "/loans"))
        if x["member_no"] == member["member_no"] and x["loaned_on"] == _today().isoformat()
    ]
    assert [(x["barcode"], x["returned_on"]) for x in mine] == [
        (first, _today().isoformat()),
        (second, _today().isoformat()),
    ]


def test_overdue_list_and_its_export(page: Page, library: RunningSystem, tmp_path: Path) -> None:
    loans = cast(list[dict[str, Any]], truth(library, "/loans?open_only=true"))
    overdue = [x for x in loans if x["days_overdue"] > 0]
    assert 0 < len(overdue) <= 20
    phones = {m["member_no"]: m["phone"] for m in truth_members(library)}
    log_in(page, library)
    page.get_by_role("link", name="연체 목록").click()
    rows = _rows(page, "연체 목록")
    expect(rows).to_have_count(len(overdue))
    m000002 = rows.filter(has=page.get_by_role("cell", name="M000002", exact=True))
    expect(m000002.locator("td").last).to_have_text("6")
    most = str(max(x["days_overdue"] for x in overdue))
    expect(rows.first.locator("td").last).to_have_text(most)

    with page.expect_download() as info:
        page.get_by_role("link", name="엑셀로 내려받기").click()
    download = info.value
    assert download.suggested_filename == f"연체목록_{_today():%Y%m%d}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet is not None
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("회원번호", "성명", "전화번호", "등록번호")
    assert header[-1] == "연체 일수"
    assert sorted((r[0], r[3], r[-1]) for r in lines) == sorted(
        (x["member_no"], x["barcode"], x["days_overdue"]) for x in overdue
    )
    assert all(r[2] == phones[str(r[0])] for r in lines)


def truth_members(library: RunningSystem) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], truth(library, "/members"))


def test_register_new_books_from_a_supplier_list(
    page: Page, library: RunningSystem, tmp_path: Path
) -> None:
    known = cast(list[dict[str, Any]], truth(library, "/books"))[0]
    new, twice = _isbn("979118000001"), _isbn("979118000002")
    wrong = _isbn("979118000003")[:-1] + str((int(_isbn("979118000003")[-1]) + 1) % 10)
    next_year = _today().year + 1
    sheet = _sheet(
        tmp_path / "납품목록.xlsx",
        [
            [
                f"{new[:3]}-{new[3:5]}-{new[5:]}",
                "장흥의 숲",
                "김숲",
                "정남진출판",
                2024,
                "18,000",
                2,
            ],
            [int(known["isbn"]), known["title"], known["author"], "남도문화사", 2020, 15000, 1],
            [wrong, "틀린 번호", "이저자", "출판", 2023, 12000, 1],
            [_isbn("979118000004"), "", "박저자", "출판", 2023, 12000, 1],
            [_isbn("979118000005"), "가격 오류", "최저자", "출판", 2023, "만오천원", 1],
            [_isbn("979118000006"), "수량 오류", "정저자", "출판", 2023, 9000, "두 권"],
            [_isbn("979118000007"), "미래의 책", "한저자", "출판", next_year, 9000, 1],
            [twice, "중복 1", "오저자", "출판", 2022, 9000, 1],
            [twice, "중복 2", "오저자", "출판", 2022, 9000, 1],
        ],
    )
    log_in(page, library)
    page.get_by_role("link", name="신착 도서 등록").click()
    page.get_by_label("납품 목록").set_input_files(sheet)
    page.get_by_role("button", name="미리보기").click()
    expect(page.get_by_role("heading", name="납품 목록 미리보기")).to_be_visible()
    expect(page.get_by_text("전체 9행 중 등록 가능 2행(복본 3권), 오류 7행")).to_be_visible()
    preview = page.get_by_role("table", name="납품 목록 미리보기")
    for problem in (
        "ISBN의 검증 숫자(마지막 자리)가 맞지 않습니다.",
        "서명이 비어 있습니다.",
        "가격은(는) 숫자여야 합니다.",
        "수량은(는) 숫자여야 합니다.",
        "발행연도가 올해보다 뒤입니다.",
        "파일 안에 같은 ISBN이 여러 번 있습니다(행 9, 10).",
    ):
        expect(preview).to_contain_text(problem)
    expect(preview.locator("tbody tr").nth(0)).to_contain_text("신규 도서")
    expect(preview.locator("tbody tr").nth(1)).to_contain_text("복본 추가")
    assert _truth_status(library, f"/books/{new}") == 404

    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="등록").click()
    assert truth(library, "/acquisitions/last") is None
    assert asked == [
        "오류가 없는 2행(복본 3권)을 등록하시겠습니까? 오류가 있는 행은 등록되지 않습니다."
    ]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text("등록했습니다: 신규 도서 1종, 복본 3권")).to_be_visible()
    expect(page.get_by_role("button", name="등록")).to_have_count(0)
    created = cast(dict[str, Any], truth(library, f"/books/{new}"))
    assert (created["title"], created["price"], created["year"]) == ("장흥의 숲", 18000, 2024)
    assert len(created["copies"]) == 2
    grown = cast(dict[str, Any], truth(library, f"/books/{known['isbn']}"))
    assert len(grown["copies"]) == known["copies"] + 1
    last = cast(dict[str, Any], truth(library, "/acquisitions/last"))
    assert (last["books_created"], last["copies_added"], last["registered_by"]) == (
        1,
        3,
        "clerk01",
    )
    assert [line["outcome"] for line in last["lines"]] == ["new_book", "added_copies"] + [None] * 7
    for isbn in (wrong, twice, _isbn("979118000007")):
        assert _truth_status(library, f"/books/{isbn}") == 404


def test_bad_input_is_refused_in_korean_and_nothing_is_stored(
    page: Page, library: RunningSystem, tmp_path: Path
) -> None:
    before = truth(library, "/stats")
    log_in(page, library)
    page.goto(f"{library.url}/acquisitions")
    text = tmp_path / "목록.xlsx"
    text.write_text("ISBN,서명\n")
    hwpx = tmp_path / "한글.xlsx"
    with zipfile.ZipFile(hwpx, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
    cases = [
        (text, "납품 목록은(는) .xlsx 파일만 올릴 수 있습니다."),
        (_sheet(tmp_path / "목록.csv", []), "납품 목록은(는) .xlsx 파일만 올릴 수 있습니다."),
        (hwpx, "엑셀(.xlsx) 파일을 읽을 수 없습니다. 파일을 확인하십시오."),
        (
            _sheet(tmp_path / "열부족.xlsx", [["9791180000011", "책"]], HEADER[:5]),
            "납품 목록에 필요한 열이 없습니다: 가격, 수량",
        ),
        (_sheet(tmp_path / "빈목록.xlsx", []), "납품 목록에 자료 행이 없습니다."),
    ]
    for upload, message in cases:
        page.get_by_label("납품 목록").set_input_files(upload)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="미리보기").click()
        assert posted.value.status == 422
        expect(page.get_by_text(message)).to_be_visible()
    bypass_browser_checks(page)
    page.get_by_role("button", name="미리보기").click()
    expect(page.get_by_text("납품 목록 파일을 첨부하십시오.")).to_be_visible()

    page.goto(f"{library.url}/loans/new")
    bypass_browser_checks(page)
    page.get_by_role("button", name="대출").click()
    expect(page.get_by_text("회원번호을(를) 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("등록번호을(를) 입력하십시오.")).to_be_visible()
    bypass_browser_checks(page)
    page.get_by_label("회원번호").fill("M0000011111")
    page.get_by_label("등록번호").fill("<script>alert(1)</script>")
    page.get_by_role("button", name="대출").click()
    expect(page.get_by_text("회원번호은(는) 10자 이내로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("등록번호은(는) 12자 이내로 입력하십시오.")).to_be_visible()
    assert page.get_by_label("등록번호").input_value() == "<script>alert(1)</script>"
    lent, free = truth_loans(library)[0]["barcode"], _free_barcode(library)
    for member_no, barcode, message in (
        ("M999999", free, "회원번호에 해당하는 회원이 없습니다."),
        ("M000003", "EM9999999", "등록번호에 해당하는 자료가 없습니다."),
        ("M000001", free, "1인 대출 한도(5권)를 넘을 수 없습니다."),
        ("M000002", free, "연체 중인 자료가 있는 회원에게는 대출할 수 없습니다."),
        ("M000003", lent, "이미 대출 중인 자료입니다. 먼저 반납 처리하십시오."),
    ):
        page.get_by_label("회원번호").fill(member_no)
        page.get_by_label("등록번호").fill(barcode)
        page.get_by_role("button", name="대출").click()
        expect(page.get_by_text(message)).to_be_visible()

    page.goto(f"{library.url}/loans/return")
    page.get_by_label("등록번호").fill(free)
    page.get_by_role("button", name="반납").click()
    expect(page.get_by_text("대출 중인 자료가 아닙니다.")).to_be_visible()

    page.goto(f"{library.url}/books")
    page.get_by_label("ISBN").fill("97911-abc")
    page.get_by_label("서명").fill("<script>alert(1)</script>")
    page.get_by_role("button", name="검색").click()
    expect(page.get_by_text("ISBN은(는) 숫자와 '-'만 입력할 수 있습니다.")).to_be_visible()
    page.get_by_label("ISBN").fill("")
    page.get_by_role("button", name="검색").click()
    expect(page.get_by_text("조건에 맞는 자료가 없습니다.")).to_be_visible()
    assert page.get_by_label("서명").input_value() == "<script>alert(1)</script>"
    assert truth(library, "/stats") == before


def truth_loans(library: RunningSystem) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], truth(library, "/loans?open_only=true"))


def _free_barcode(library: RunningSystem) -> str:
    for book in cast(list[dict[str, Any]], truth(library, "/books")):
        if book["on_loan"] == 0:
            held = cast(dict[str, Any], truth(library, f"/books/{book['isbn']}"))
            return str(held["copies"][0]["barcode"])
    raise AssertionError("every book is on loan")


def test_expired_session_sends_back_to_log_in(page: Page, library: RunningSystem) -> None:
    log_in(page, library)
    page.goto(f"{library.url}/loans/overdue")
    sandbox_post(library, "/sessions/expire")
    page.reload()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    log_in(page, library)
    page.goto(f"{library.url}/loans/overdue")
    expect(page.get_by_role("heading", name="연체 목록")).to_be_visible()


def test_injected_faults_are_seen(page: Page, library: RunningSystem) -> None:
    log_in(page, library)
    sandbox_post(library, "/faults", {"error_rate": 1.0})
    response = page.goto(f"{library.url}/books")
    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", name="일시적인 시스템 오류")).to_be_visible()
    sandbox_post(library, "/faults", {})
    response = page.goto(f"{library.url}/books")
    assert response is not None
    assert response.status == 200
