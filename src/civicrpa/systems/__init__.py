"""The municipal systems robots drive, seen from the robot's side.

Each system has an id (``intake``, ``finance`` ...) used in settings (``CIVICRPA_SYSTEM_URLS``),
in the robots' stored log-ins and in a process's ``systems``, and a Korean title people read
(:data:`TITLES_KO`). A city's real systems keep these ids; their titles are what officials call
them.
"""

from __future__ import annotations

#: The Korean name of each system, for sentences people read ("'재정' 시스템 주소가 ...").
TITLES_KO: dict[str, str] = {
    "intake": "민원 접수",
    "resident_registry": "주민등록 조회",
    "finance": "재정(지출)",
    "hr_attendance": "근태 관리",
    "homepage_cms": "홈페이지 관리",
    "library": "도서관",
}


def title_ko(system: str) -> str:
    """The Korean title of ``system`` (its id when it is not a known system)."""
    return TITLES_KO.get(system, system)


__all__ = ["TITLES_KO", "title_ko"]
