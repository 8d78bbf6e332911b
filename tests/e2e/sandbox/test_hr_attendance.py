"""The HR and attendance system in real Chromium: overtime order and approval, trips, trainings,
monthly results, the attendance export, bad input, expiry and faults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Dialog, Page, expect

from civicrpa.sandbox.hr_attendance.attendance import HEADER
from civicrpa.sandbox.server import RunningSystem
from tests.e2e.sandbox.conftest import bypass_browser_checks, log_in, sandbox_post, truth

pytestmark = pytest.mark.e2e

#: Labels of the select boxes on the entry forms (filled by option text).
SELECTS = {"출장 구분", "공용차량 사용", "교육 구분", "부서"}


@pytest.fixture
def hr(start_system: Callable[..., RunningSystem]) -> RunningSystem:
    return start_system("hr_attendance")


def _rows(hr: RunningSystem, path: str) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], truth(hr, path))


def _fill(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        if label in SELECTS:
            page.get_by_label(label).select_option(label=value)
        else:
            page.get_by_label(label).fill(value)


def _answer(page: Page, *, accept: bool = True) -> list[str]:
    """Answer the next confirm dialog; returns the messages seen."""
    seen: list[str] = []

    def answer(dialog: Dialog) -> None:
        seen.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return seen


def _free_weekday(hr: RunningSystem, staff_no: str) -> dict[str, Any]:
    """A weekday of 2025-10 with a clock-out and no overtime order of this person."""
    taken = {o["work_date"] for o in _rows(hr, f"/overtime?staff_no={staff_no}")}
    for record in _rows(hr, f"/attendance?month=2025-10&staff_no={staff_no}"):
        if (
            record["day_type"] == "weekday"
            and record["clock_out"]
            and record["work_date"] not in taken
        ):
            return record
    raise AssertionError("no free weekday")


def test_enter_and_approve_overtime_then_export_the_month(
    page: Page, hr: RunningSystem, tmp_path: Path
) -> None:
    person = cast(dict[str, Any], truth(hr, "/staff/E00003"))
    record = _free_weekday(hr, "E00003")
    page.goto(f"{hr.url}/staff")
    expect(page).to_have_url(f"{hr.url}/login?next=/staff")
    log_in(page, hr)
    expect(page.get_by_role("heading", name="직원 목록")).to_be_visible()
    page.get_by_label("성명").fill(person["name"])
    page.get_by_role("button", name="검색").click()
    row = page.get_by_role("table", name="직원 목록").locator("tbody tr").filter(has_text="E00003")
    row.get_by_role("link", name="상세").click()
    expect(page.get_by_role("heading", name=f"직원 상세: {person['name']}")).to_be_visible()
    expect(page.get_by_role("table", name="인사 정보")).to_contain_text(person["grade"])
    expect(page.get_by_role("table", name="출퇴근 기록")).to_contain_text(record["work_date"])

    page.get_by_role("link", name="초과근무 신청하기").click()
    expect(page.get_by_label("직원번호")).to_have_value("E00003")
    reason = "<b>예산</b> 자료 작성"
    _fill(
        page,
        {"근무일": record["work_date"], "시작 시각": "18:00", "종료 시각": "21:00", "사유": reason},
    )
    page.get_by_role("button", name="신청").click()
    expect(page.get_by_text("초과근무 신청이 등록되었습니다.")).to_be_visible()
    line = (
        page.get_by_role("table", name="초과근무 신청 목록")
        .locator("tbody tr")
        .filter(has_text=record["work_date"])
    )
    expect(line).to_contain_text(reason)  # shown as text, not markup
    expect(line).to_contain_text("대기")
    seen = _answer(page)
    line.get_by_role("button", name="승인").click()
    expect(page.get_by_text("초과근무 신청을 승인했습니다.")).to_be_visible()
    assert seen == ["초과근무를 승인하시겠습니까?"]
    (order,) = _rows(hr, "/overtime?staff_no=E00003&status=approved&month=2025-10")[-1:]
    assert (order["work_date"], order["start_time"], order["end_time"]) == (
        record["work_date"],
        "18:00:00",
        "21:00:00",
    )
    assert (order["reason"], order["decided_by"], order["requested_by"]) == (
        reason,
        "clerk01",
        "clerk01",
    )

    page.get_by_role("link", name="근태 자료 내려받기").click()
    _fill(page, {"근무 월": "2025-10", "부서": person["department"]})
    with page.expect_download() as download:
        page.get_by_role("button", name="엑셀 내려받기").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"근태_2025-10_{person['department']}.xlsx"
    sheet = load_workbook(saved).active
    assert sheet is not None
    header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(header) == HEADER
    colleagues = {
        s["staff_no"] for s in _rows(hr, "/staff") if s["department"] == person["department"]
    }
    expected = [r for r in _rows(hr, "/attendance?month=2025-10") if r["staff_no"] in colleagues]
    assert len(lines) == len(expected)
    assert {line[2] for line in lines} == {person["department"]}
    (mine,) = [x for x in lines if x[0] == "E00003" and x[5] == record["work_date"]]
    assert mine[1:5] == [person["name"], person["department"], person["grade"], person["step"]]
    assert mine[7:] == [
        "평일",
        record["clock_in"][:5],
        record["clock_out"][:5],
        "18:00",
        "21:00",
        "승인",
        "Y",
    ]


def test_a_dismissed_approval_changes_nothing_and_a_refusal_is_kept(
    page: Page, hr: RunningSystem
) -> None:
    pending = _rows(hr, "/overtime?status=pending")[0]
    month = pending["work_date"][:7]
    log_in(page, hr)
    page.goto(f"{hr.url}/overtime?staff_no={pending['staff_no']}&month={month}&status=pending")
    line = (
        page.get_by_role("table", name="초과근무 신청 목록")
        .locator("tbody tr")
        .filter(has_text=pending["work_date"])
    )
    _answer(page, accept=False)
    line.get_by_role("button", name="승인").click()
    expect(line).to_contain_text("대기")
    assert cast(
        dict[str, Any], _rows(hr, f"/overtime?staff_no={pending['staff_no']}&status=pending")
    )
    assert (
        next(o for o in _rows(hr, "/overtime") if o["id"] == pending["id"])["status"] == "pending"
    )
    seen = _answer(page)
    line.get_by_role("button", name="반려").click()
    expect(page.get_by_text("초과근무 신청을 반려했습니다.")).to_be_visible()
    assert seen == ["초과근무 신청을 반려하시겠습니까?"]
    assert (
        next(o for o in _rows(hr, "/overtime") if o["id"] == pending["id"])["status"] == "rejected"
    )


def test_trips_trainings_and_monthly_results(page: Page, hr: RunningSystem) -> None:
    log_in(page, hr)
    page.goto(f"{hr.url}/trips/new?staff_no=E00002")
    trip = {
        "출장 시작일": "2025-10-27",
        "시작 시각": "08:00",
        "출장 종료일": "2025-10-28",
        "종료 시각": "19:00",
        "출장지": "정부서울청사",
        "출장 구분": "관외(서울)",
        "공용차량 사용": "아니오",
        "운임(원)": "119,600",
        "숙박비(원)": "120000",
        "출장 목적": "회의 참석",
    }
    _fill(page, trip)
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text("출장이 등록되었습니다.")).to_be_visible()
    expect(page.get_by_role("table", name="출장 목록")).to_contain_text("정부서울청사")
    new_trip = _rows(hr, "/trips?staff_no=E00002")[-1]
    assert (new_trip["start_at"], new_trip["end_at"], new_trip["area"]) == (
        "2025-10-27T08:00:00",
        "2025-10-28T19:00:00",
        "seoul",
    )
    assert (new_trip["fare"], new_trip["lodging"], new_trip["official_car"]) == (
        119_600,
        120_000,
        0,
    )

    before = len(_rows(hr, "/trainings"))
    course = {
        "직원번호": "E00002",
        "과정코드": "CY-9001",
        "과정명": "데이터 분석 기초",
        "교육기관": "나라배움터",
        "교육 구분": "사이버교육",
        "교육 시작일": "2025-10-06",
        "수료일": "2025-10-24",
        "인정 시간": "12",
    }
    for attempt in range(2):
        page.goto(f"{hr.url}/trainings/new")
        _fill(page, course)
        page.get_by_role("button", name="등록").click()
        if attempt == 0:
            expect(page.get_by_role("table", name="교육 이수 목록")).to_contain_text(
                "데이터 분석 기초"
            )
    expect(
        page.get_by_text("이미 등록된 교육 이수 실적입니다(같은 과정코드와 시작일).")
    ).to_be_visible()
    assert len(_rows(hr, "/trainings")) == before + 1
    assert _rows(hr, "/trainings")[-1]["hours"] == 12

    entries = (
        (
            "초과근무수당 입력",
            {"직원번호": "E00002", "대상 월": "2025-10", "인정 시간": "10", "금액(원)": "98,680"},
        ),
        (
            "급량비 입력",
            {"직원번호": "E00002", "대상 월": "2025-10", "식수": "5", "금액(원)": "45000"},
        ),
        (
            "출장여비 입력",
            {"직원번호": "E00002", "출장번호": str(new_trip["id"]), "금액(원)": "439600"},
        ),
    )
    for link, values in entries:
        page.get_by_role("link", name=link).click()
        for attempt in range(2):
            _fill(page, values)
            page.get_by_role("button", name="저장").click()
            if attempt == 0:
                expect(page.get_by_text("저장되었습니다.")).to_be_visible()
                expect(page.get_by_role("table", name="입력된 결과")).to_contain_text(
                    f"{int(values['금액(원)'].replace(',', '')):,}"
                )
    expect(page.get_by_text("이 출장의 여비가 이미 입력되어 있습니다.")).to_be_visible()
    other = _rows(hr, "/trips?staff_no=E00001")[0]
    _fill(page, {"출장번호": str(other["id"])})
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_text("이 직원의 출장번호가 아닙니다.")).to_be_visible()
    results = cast(dict[str, list[dict[str, Any]]], truth(hr, "/results"))
    assert [(r["month"], r["hours"], r["amount"]) for r in results["overtime_pay"]] == [
        ("2025-10", 10, 98_680)
    ]
    assert [(r["month"], r["meals"], r["amount"]) for r in results["meal_allowance"]] == [
        ("2025-10", 5, 45_000)
    ]
    assert [(r["trip_id"], r["amount"]) for r in results["travel_expenses"]] == [
        (new_trip["id"], 439_600)
    ]


def test_bad_input_is_refused_with_korean_messages(page: Page, hr: RunningSystem) -> None:
    stats = truth(hr, "/stats")
    record = _free_weekday(hr, "E00004")
    busy = _rows(hr, "/overtime?staff_no=E00005&status=approved")[0]
    seeded_trip = _rows(hr, "/trips")[0]
    log_in(page, hr)
    page.goto(f"{hr.url}/overtime/new")
    bypass_browser_checks(page)
    page.get_by_role("button", name="신청").click()
    for label in ("직원번호", "근무일", "시작 시각", "종료 시각", "사유"):
        expect(page.get_by_text(f"{label}을(를) 입력하십시오.")).to_be_visible()
    bypass_browser_checks(page)
    _fill(
        page,
        {
            "직원번호": "E99999",
            "근무일": "2025-13-01",
            "시작 시각": "25:00",
            "종료 시각": "21:00",
            "사유": "가" * 101,
        },
    )
    page.get_by_role("button", name="신청").click()
    expect(page.get_by_text("등록되지 않은 직원번호입니다.")).to_be_visible()
    expect(page.get_by_text("근무일은(는) 2025-03-31 형식의 날짜로 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("시작 시각의 형식이 올바르지 않습니다.")).to_be_visible()
    expect(page.get_by_text("사유은(는) 100자 이내로 입력하십시오.")).to_be_visible()
    for values, message in (
        (
            {"근무일": record["work_date"], "시작 시각": "10:00", "종료 시각": "12:00"},
            "평일 초과근무는 근무시간(09:00~18:00) 밖이어야 합니다.",
        ),
        (
            {"시작 시각": "21:00", "종료 시각": "19:00"},
            "종료 시각은(는) 시작 시각보다 늦어야 합니다.",
        ),
        (
            {"직원번호": "E00005", "근무일": busy["work_date"], "시작 시각": "18:00"},
            "같은 날 신청된 초과근무가 있습니다(반려된 신청 제외).",
        ),
    ):
        bypass_browser_checks(page)
        _fill(page, {"직원번호": "E00004", "사유": "<script>alert(1)</script>", **values})
        page.get_by_role("button", name="신청").click()
        expect(page.get_by_text(message)).to_be_visible()
        assert page.get_by_label("사유").input_value() == "<script>alert(1)</script>"

    page.goto(f"{hr.url}/trips/new")
    trip = {
        "직원번호": "E00004",
        "출장 시작일": "2025-11-12",
        "시작 시각": "09:00",
        "출장 종료일": "2025-11-12",
        "종료 시각": "13:00",
        "출장지": "<script>alert(1)</script>",
        "출장 구분": "관내",
        "출장 목적": "현장 점검",
    }
    for values, message in (
        ({"출장 종료일": "2025-11-11"}, "출장 종료일은(는) 출장 시작일보다 빠를 수 없습니다."),
        ({"출장 종료일": "2025-11-13"}, "관내 출장은 하루 안에 끝나야 합니다."),
        ({"숙박비(원)": "50000"}, "관내 출장에는 숙박비를 입력할 수 없습니다."),
        ({"운임(원)": "만원"}, "운임(원)은(는) 숫자로 입력하십시오."),
        (
            {
                "출장 시작일": "2025-11-12",
                "출장 종료일": "2025-11-12",
                "출장 구분": "관외(기타 지역)",
                "시작 시각": "13:00",
                "종료 시각": "09:00",
            },
            "종료 시각은(는) 시작 시각보다 늦어야 합니다.",
        ),
        (
            {
                "직원번호": seeded_trip["staff_no"],
                "출장 시작일": seeded_trip["start_at"][:10],
                "출장 종료일": seeded_trip["end_at"][:10],
                "시작 시각": "00:00",
                "종료 시각": "23:59",
                "출장 구분": "관외(기타 지역)",
            },
            "같은 기간에 등록된 출장이 있습니다.",
        ),
    ):
        bypass_browser_checks(page)
        _fill(page, {**trip, "운임(원)": "", "숙박비(원)": "", **values})
        page.get_by_role("button", name="등록").click()
        expect(page.get_by_text(message)).to_be_visible()
        assert page.get_by_label("출장지").input_value() == "<script>alert(1)</script>"

    page.goto(f"{hr.url}/trainings/new")
    bypass_browser_checks(page)
    _fill(
        page,
        {
            "직원번호": "E00004",
            "과정코드": "한글코드",
            "과정명": "청렴",
            "교육기관": "x",
            "교육 구분": "집합교육",
            "교육 시작일": "2025-09-10",
            "수료일": "2099-01-01",
            "인정 시간": "열두",
        },
    )
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text("과정코드의 형식이 올바르지 않습니다.")).to_be_visible()
    expect(page.get_by_text("수료일은(는) 오늘 이후일 수 없습니다.")).to_be_visible()
    expect(page.get_by_text("인정 시간은(는) 숫자로 입력하십시오.")).to_be_visible()
    bypass_browser_checks(page)
    _fill(page, {"과정코드": "GJ-1", "수료일": "2025-09-01", "인정 시간": "0"})
    page.get_by_role("button", name="등록").click()
    expect(page.get_by_text("수료일은(는) 교육 시작일보다 빠를 수 없습니다.")).to_be_visible()
    expect(page.get_by_text("인정 시간은(는) 1에서 200 사이여야 합니다.")).to_be_visible()

    page.goto(f"{hr.url}/results/overtime-pay")
    bypass_browser_checks(page)
    _fill(page, {"직원번호": "E00004", "대상 월": "2099-01", "인정 시간": "58", "금액(원)": "-5"})
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_text("대상 월은(는) 이번 달 이후일 수 없습니다.")).to_be_visible()
    expect(page.get_by_text("인정 시간은(는) 0에서 57 사이여야 합니다.")).to_be_visible()
    expect(page.get_by_text("금액(원)은(는) 0에서 5,000,000 사이여야 합니다.")).to_be_visible()
    bypass_browser_checks(page)
    _fill(page, {"대상 월": "2025/10", "인정 시간": "", "금액(원)": "1" * 20})
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_text("대상 월의 형식이 올바르지 않습니다.")).to_be_visible()
    expect(page.get_by_text("인정 시간을(를) 입력하십시오.")).to_be_visible()
    expect(page.get_by_text("금액(원)은(는) 숫자로 입력하십시오.")).to_be_visible()

    page.goto(f"{hr.url}/attendance")
    bypass_browser_checks(page)
    page.get_by_label("근무 월").fill("2025-13")
    page.get_by_role("button", name="엑셀 내려받기").click()
    expect(page.get_by_text("근무 월의 형식이 올바르지 않습니다.")).to_be_visible()

    assert truth(hr, "/stats") == stats
    assert truth(hr, "/results") == {
        "overtime_pay": [],
        "meal_allowance": [],
        "travel_expenses": [],
    }


def test_expired_session_sends_back_to_log_in(page: Page, hr: RunningSystem) -> None:
    log_in(page, hr)
    page.goto(f"{hr.url}/overtime/new")
    sandbox_post(hr, "/sessions/expire")
    page.reload()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    log_in(page, hr)
    page.goto(f"{hr.url}/overtime/new")
    expect(page.get_by_role("heading", name="초과근무 신청")).to_be_visible()
    stats = truth(hr, "/stats")
    _fill(page, {"직원번호": "E00001", "근무일": "2025-11-03", "시작 시각": "18:00"})
    _fill(page, {"종료 시각": "20:00", "사유": "행사 준비"})
    sandbox_post(hr, "/sessions/expire")  # expired while the form was being filled
    page.get_by_role("button", name="신청").click()
    expect(page.get_by_text("세션이 만료되었습니다. 다시 로그인하십시오.")).to_be_visible()
    assert truth(hr, "/stats") == stats


def test_injected_faults_are_seen(page: Page, hr: RunningSystem) -> None:
    log_in(page, hr)
    sandbox_post(hr, "/faults", {"error_rate": 1.0})
    response = page.goto(f"{hr.url}/staff")
    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", name="일시적인 시스템 오류")).to_be_visible()
    sandbox_post(hr, "/faults", {})
    response = page.goto(f"{hr.url}/staff")
    assert response is not None
    assert response.status == 200
