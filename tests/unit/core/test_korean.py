"""Particles chosen by how the word before them is read: worked examples a Korean reader checks."""

from __future__ import annotations

import pytest

from civicrpa.core.korean import attach, ending, fix_particles, particle
from civicrpa.core.messages import fill, render


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        # Hangul: the last syllable's final consonant (받침).
        ("업무", "을(를)", "를"),  # 무: no final
        ("대기열", "을(를)", "을"),  # 열: final ㄹ
        ("사용자", "이(가)", "가"),
        ("참조번호", "은(는)", "는"),
        ("작업", "은(는)", "은"),  # 업: final ㅂ
        ("서울", "(으)로", "로"),  # ㄹ takes 로, not 으로
        ("부산", "(으)로", "으로"),
        ("대기", "(으)로", "로"),
        ("실패", "과(와)", "와"),
        ("검토", "을/를", "를"),
        # Digits: numbers as numbers, codes with a leading zero digit by digit.
        ("0006", "(으)로", "으로"),  # 영영영육: 육 has ㄱ
        ("0007", "(으)로", "로"),  # 칠: ㄹ
        ("2", "을(를)", "를"),  # 이
        ("3", "은(는)", "은"),  # 삼
        ("10", "을(를)", "을"),  # 십: ㅂ
        ("1,000", "이(가)", "이"),  # 천: ㄴ
        ("1000000000000", "이(가)", "가"),  # 1조: 조 has no final
        ("A-1", "은(는)", "은"),  # 일: ㄹ
        ("A-1", "(으)로", "로"),
        ("B-2", "은(는)", "는"),  # 이
        ("1.5", "을(를)", "를"),  # 일 점 오
        # Acronyms by their letters' names; lower-case words by their sound.
        ("URL", "을(를)", "을"),  # 유알엘: ㄹ
        ("URL", "(으)로", "로"),
        ("PDF", "을(를)", "를"),  # 에프
        ("CSV", "이(가)", "가"),  # 브이
        ("M", "은(는)", "은"),  # 엠
        ("form", "을(를)", "을"),  # 폼
        ("admin", "(으)로", "으로"),  # 어드민
        ("mail", "(으)로", "로"),  # 메일: ㄹ
        ("string", "이(가)", "이"),  # 스트링
        ("workers", "을(를)", "를"),  # 워커스
        ("worker", "은(는)", "는"),  # 워커
        ("library_overdue", "을(를)", "를"),  # 오버듀
        ("--workers", "을(를)", "를"),
        # Closing quotes and brackets are looked through.
        ("'kim'", "은(는)", "은"),  # 킴
        ("'대기'", "(으)로", "로"),
        ("(1)", "이(가)", "이"),
    ],
)
def test_the_particle_follows_how_the_word_is_read(word: str, pair: str, expected: str) -> None:
    assert particle(word, pair) == expected
    assert attach(word, pair) == word + expected


@pytest.mark.parametrize("word", ["*", "900101-1******", "…", "", "漢"])
def test_an_unreadable_end_keeps_the_pair_as_written(word: str) -> None:
    assert ending(word) is None
    assert particle(word, "을(를)") == "을(를)"
    assert particle(word, "(으)로") == "(으)로"


def test_an_unknown_pair_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not a particle pair"):
        particle("업무", "에서")


def test_a_template_gets_the_particle_after_each_placeholder() -> None:
    assert fix_particles("kim", "'은(는) 사용 중지") == "'은 사용 중지"
    assert fix_particles("kim", " 그리고") == " 그리고"
    assert fill("{a}(으)로 {b}을(를) '{c}'이(가)", {"a": "0006", "b": "URL", "c": "서울"}) == (
        "0006으로 URL을 '서울'이"
    )
    # A missing parameter stays visible, and so does its pair.
    assert fill("{a}을(를)", {}) == "{a}을(를)"
    assert render("process.module_missing", {"module": "library_overdue"}) == (
        "업무 모듈 'library_overdue'를 불러올 수 없습니다."
    )
    assert render("queue.invalid_transition", {"source": "실패", "target": "대기"}) == (
        "작업 상태를 '실패'에서 '대기'로 바꿀 수 없습니다."
    )


def test_a_system_id_is_named_by_its_korean_title() -> None:
    assert render("browser.login_failed", {"system": "library"}).startswith(
        "시립도서관 업무 시스템에 로봇 계정으로"
    )
    assert render("system.screen_changed", {"system": "finance", "element": "지급"}) == (
        "지방재정 지출관리 시스템 화면에서 '지급' 항목을 찾을 수 없습니다."
    )
    # A system without a title in the catalogue keeps the name it was given.
    assert render("system.target_unavailable", {"system": "민원 접수"}) == (
        "민원 접수 시스템에 접속할 수 없습니다."
    )
