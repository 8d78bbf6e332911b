"""The closing summary of a run as an official reads it on an 80-column terminal."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from rich.cells import cell_len
from rich.console import Console, RenderableType

import civicrpa.processes.childbirth_incentive.messages  # noqa: F401 - the codes' texts
from civicrpa.cli.console_output import reason_lines, summary_table
from civicrpa.core.messages import render
from civicrpa.queue.queries import AwaitingDecision, BusinessReason, RunSummary
from civicrpa.queue.states import ItemState
from civicrpa.runtime.runner import RunReport

MISMATCH = render("childbirth.applicant_mismatch")
CERTIFICATE = render("childbirth.documents_missing", {"documents": "출생증명서"})
BANKBOOK = render("childbirth.documents_missing", {"documents": "통장 사본"})
LATE = render(
    "childbirth.postnatal_deadline_passed",
    {"deadline_days": 90, "last_day": "2025-08-01", "elapsed": 131},
)


def _not_resident(items: int, *, dates: int = 5) -> BusinessReason:
    """``items`` business exceptions of one code, spread over ``dates`` birth dates."""
    births = [f"2025-05-0{day}" for day in range(1, dates + 1)]
    counts = [items // dates + (1 if i < items % dates else 0) for i in range(dates)]
    return BusinessReason(
        code="childbirth.not_resident_on_birth",
        messages=tuple(
            (render("childbirth.not_resident_on_birth", {"birth_date": date}), n)
            for date, n in zip(births, counts, strict=True)
        ),
    )


def _lines(renderable: RenderableType) -> list[str]:
    console = Console(record=True, width=80)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


#: The demo's run as the example in the brief: 182 processed, 388 instalments for later.
DEMO = RunSummary(
    states=Counter({ItemState.SUCCESSFUL: 114, ItemState.BUSINESS_EXCEPTION: 68}),
    later=388,
    later_in_queue=388,
    business_reasons=(
        BusinessReason(code="childbirth.applicant_mismatch", messages=((MISMATCH, 16),)),
        _not_resident(14),
        BusinessReason(
            code="childbirth.documents_missing", messages=((CERTIFICATE, 9), (BANKBOOK, 3))
        ),
        BusinessReason(code="childbirth.postnatal_deadline_passed", messages=((LATE, 26),)),
    ),
    system_exceptions=2,
    attempts=184,
    output_totals={"amount": 260_956_000},
    output_counts={"amount": 114},
)


def _render_demo(summary: RunSummary) -> list[str]:
    return _lines(
        summary_table(
            "시연 결과",
            summary,
            RunReport(seconds=60.0),
            manual_minutes=12,
            amount_field="amount",
        )
    )


def test_the_main_table_counts_processed_items_and_the_later_ones_apart() -> None:
    lines = _render_demo(DEMO)
    main = lines[: lines.index("보완 요청 등 업무 예외 사유") - 1]
    assert main[0] == "시연 결과"
    assert lines[len(main)] == ""
    rows = [[cell.strip() for cell in line.strip("│").split("│")] for line in main[2:-1]]
    assert rows == [
        ["처리한 건수", "182"],
        ["완료", "114"],
        ["업무 예외", "68"],
        ["이후 예정(분할 지급 등)", "388"],
        ["지급 건수", "114"],
        ["지급액 합계", "260,956,000원"],
        ["시스템 예외(시도 기준, 재시도 포함)", "2"],
        ["총 시도 횟수", "184"],
        ["걸린 시간", "60.0초"],
        ["처리 속도", "182건/분"],
        ["절감 추정 시간", "22.8시간 (완료 114건 × 수작업 12분)"],
    ]
    # The later items are their own row, not a sub-line of the processed ones.
    assert "│ 이후 예정(분할 지급 등)" in main[5]
    assert not any("대기" in line for line in main)
    # No reason in the main table: it stays narrow.
    assert max(cell_len(line) for line in main) < 80


def test_reasons_follow_in_their_own_table_most_frequent_first() -> None:
    lines = _render_demo(DEMO)
    reasons = lines[lines.index("보완 요청 등 업무 예외 사유") :]
    assert [cell.strip() for cell in reasons[2].split("┃")[1:-1]] == ["건수", "사유"]
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in reasons[4:-1]]
    assert rows == [
        # Too long for one line: wrapped between words, inside the reason column.
        ["26", "산후조리비용 신청기한(출생일로부터 90일, 2025-08-01까지)이"],
        ["", "지났습니다. 출생 후 131일째에 신청했습니다."],
        ["16", "신청인의 성명·주민등록번호가 주민등록 정보와 일치하지 않습니다."],
        # Five birth dates: one line for the code, its template standing for them.
        ["14", "출생일(…) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다."],
        # Two documents: each said.
        ["9", "제출 서류가 빠졌습니다: 출생증명서"],
        ["3", "제출 서류가 빠졌습니다: 통장 사본"],
    ]
    assert reasons[-1].startswith("└")
    assert all(cell_len(line) == 80 for line in reasons[1:])
    assert all(cell_len(line) <= 80 for line in lines)


def test_without_business_exceptions_there_is_no_reason_table() -> None:
    lines = _render_demo(
        replace(
            DEMO,
            states=Counter({ItemState.SUCCESSFUL: 5}),
            later=0,
            later_in_queue=0,
            business_reasons=(),
            output_totals={},
        )
    )
    assert not any("사유" in line or "이후 예정" in line for line in lines)
    assert lines[-1].startswith("└")


def test_later_items_of_earlier_runs_are_told_apart() -> None:
    # The progress bar's "이후 예정" counted the whole queue: 484 with earlier runs' instalments.
    lines = _render_demo(replace(DEMO, later=96, later_in_queue=484))
    assert any(
        line.startswith("│ 이후 예정(분할 지급 등) ") and line.endswith(" 96 (대기열 전체 484) │")
        for line in lines
    )
    lines = _render_demo(replace(DEMO, later=96, later_in_queue=96))
    assert any(
        line.startswith("│ 이후 예정(분할 지급 등) ") and line.endswith(" 96 │") for line in lines
    )


def test_due_items_left_untouched_are_counted_apart() -> None:
    summary = replace(
        DEMO, states=Counter({ItemState.SUCCESSFUL: 3, ItemState.NEW: 7}), business_reasons=()
    )
    lines = _render_demo(summary)
    assert summary.processed == 3
    assert any(line.startswith("│ 처리한 건수 ") and line.endswith(" 3 │") for line in lines)
    assert any(line.startswith("│ 처리하지 못한 대기 건수 ") and " 7 │" in line for line in lines)


def test_a_code_lists_a_few_distinct_messages_and_groups_figures() -> None:
    # Four birth dates are more than three: the template stands for them, with the total.
    assert reason_lines([_not_resident(4, dates=4)]) == [
        ("출생일(…) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다.", 4)
    ]
    # Three birth dates: still one reason, grouped (not 2, 1, 1 by date).
    assert reason_lines([_not_resident(4, dates=3)]) == [
        ("출생일(…) 현재 신청인이 관내에 주민등록이 되어 있지 않습니다.", 4)
    ]
    three = BusinessReason(
        code="childbirth.documents_missing",
        messages=((CERTIFICATE, 5), (BANKBOOK, 2), ("제출 서류가 빠졌습니다: 신분증", 1)),
    )
    assert reason_lines([three]) == [
        (CERTIFICATE, 5),
        (BANKBOOK, 2),
        ("제출 서류가 빠졌습니다: 신분증", 1),
    ]


def test_lines_go_by_count_and_a_code_keeps_its_lines_together_on_ties() -> None:
    documents = BusinessReason(
        code="childbirth.documents_missing", messages=((CERTIFICATE, 9), (BANKBOOK, 1))
    )
    mismatch = BusinessReason(code="childbirth.applicant_mismatch", messages=((MISMATCH, 5),))
    address = BusinessReason(
        code="childbirth.address_mismatch",
        messages=((render("childbirth.address_mismatch"), 1),),
    )
    assert reason_lines([address, mismatch, documents]) == [
        (CERTIFICATE, 9),
        (MISMATCH, 5),
        # Equal counts: the line of the more frequent code first.
        (BANKBOOK, 1),
        (render("childbirth.address_mismatch"), 1),
    ]


def test_a_code_outside_the_catalogue_shows_its_commonest_message() -> None:
    odd = BusinessReason(code="x.unknown", messages=tuple((f"사유 {i}", 5 - i) for i in range(4)))
    assert reason_lines([odd]) == [("사유 0 외 3가지", 14)]
    assert reason_lines([BusinessReason(code="-", messages=(("", 2),))]) == [("-", 2)]


def test_only_past_fifteen_lines_are_the_rest_summed() -> None:
    def codes(count: int) -> list[BusinessReason]:
        return [
            BusinessReason(code=f"c.{i:02}", messages=((f"사유 {i}", 100 - i),))
            for i in range(count)
        ]

    assert len(reason_lines(codes(15))) == 15
    lines = reason_lines(codes(17))
    assert len(lines) == 15
    assert lines[13] == ("사유 13", 87)
    assert lines[14] == ("기타 사유 3가지", 86 + 85 + 84)


def test_refusals_are_apart_from_supplement_requests_and_wait_for_an_official() -> None:
    # Before, one "업무 예외" row mixed applications sent back to be completed with refusals
    # an official must confirm, and time saved counted the exceptions as if done.
    not_resident = _not_resident(14)
    summary = replace(
        DEMO,
        business_reasons=tuple(r for r in DEMO.business_reasons if r.code != not_resident.code),
        refusal_reasons=(not_resident,),
        awaiting_decision=tuple(
            AwaitingDecision(
                id=n, reference=f"CB-{n:04d}", state=ItemState.BUSINESS_EXCEPTION, reason="거주"
            )
            for n in range(1, 15)
        ),
    )
    lines = _render_demo(summary)
    rows = {
        cells[0]: cells[1]
        for line in lines
        if len(cells := [c.strip() for c in line.strip("│").split("│")]) == 2
    }
    assert rows["보완 요청 등 업무 예외"] == "54"
    assert rows["요건 미충족(담당자 결정 필요)"] == "14"
    assert "업무 예외" not in rows
    assert rows["절감 추정 시간"] == "22.8시간 (완료 114건 × 수작업 12분)"
    assert "요건 미충족 사유" in lines
    assert "담당자 결정 대기" in lines
    assert any("CB-0014" in line for line in lines)
    said = " ".join(lines)
    assert "14건은 담당자 결정이 필요합니다:" in said
    # Refusals are decided in the process's own system: the queue has no verb for them.
    assert "요건 미충족 14건은 업무 시스템" in said
    assert "approve" not in said
