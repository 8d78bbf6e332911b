"""주민등록 조회 (resident registry): who lives where, with whom, since when.

A robot searches by name and resident number stating why (the registry records every look-up
with its reason) and reads the record: the person, the address history and the household
(:meth:`ResidentRegistry.look_up`); or asks whether somebody of a name and birth date is
registered in the city at all (:meth:`ResidentRegistry.is_registered`), for a baby whose number
is not on the application. The records are plain values: decision modules take them without
importing a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from civicrpa.core.errors import ScreenChanged
from civicrpa.runtime.system import System
from civicrpa.systems.values import Revealable, clear

if TYPE_CHECKING:
    from civicrpa.runtime.browser import BrowserSession, Screen

SYSTEM = System("resident_registry")
#: 조회 사유 (the registry's list of reasons) for welfare and allowance checks.
WELFARE_CHECK = "복지·수당 지급 요건 확인"


@dataclass(frozen=True, kw_only=True)
class Member:
    """A member of the household as the registry lists it."""

    relation: str
    name: str
    birth_date: date
    moved_in: date
    #: 전출일: the day the member left the city; None while registered.
    moved_out: date | None


@dataclass(frozen=True, kw_only=True)
class Move:
    """One line of the address history."""

    address: str
    moved_in: date
    moved_out: date | None


@dataclass(frozen=True, kw_only=True)
class ResidentRecord:
    """What the registry shows of a resident (the number itself is not kept)."""

    name: str
    birth_date: date
    address: str
    moved_in: date
    moved_out: date | None
    history: tuple[Move, ...]
    household: tuple[Member, ...]

    def __repr__(self) -> str:
        return f"ResidentRecord(moves={len(self.history)}, household={len(self.household)})"


def _day(text: str) -> date | None:
    text = text.strip()
    return None if text in ("", "-") else date.fromisoformat(text)


class ResidentRegistry:
    """The registry as a robot searches it, through one screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    @classmethod
    def on(cls, session: BrowserSession) -> ResidentRegistry:
        """The registry's tab of ``session``."""
        return cls(session.screen(SYSTEM.id))

    def look_up(
        self,
        *,
        name: str,
        rrn: Revealable | str,
        reason: str,
        category: str = WELFARE_CHECK,
    ) -> ResidentRecord | None:
        """Search by name and resident number, stating why; None when nobody matches."""
        screen = self.screen

        def run() -> ResidentRecord | None:
            query = {"성명": name, "주민등록번호": clear(rrn)}
            found = self._search(query, category, reason, "registry_search")
            if not found:
                return None
            if len(found) != 1:  # name and number together name one person
                raise ScreenChanged(
                    "browser.element_missing",
                    {"system": SYSTEM.id, "step": "registry_search", "detail": "not one result"},
                )
            table = screen.page.get_by_role("table", name="조회 결과")
            screen.follow(table.get_by_role("link", name="상세"), step="registry_search")
            return self._record()

        return screen.attempt("registry_search", run)

    def is_registered(
        self, *, name: str, birth_date: date, reason: str, category: str = WELFARE_CHECK
    ) -> bool:
        """Whether somebody of that name and birth date is registered in the city (in any
        household), searched by name and birth date stating why; only residents still
        registered (거주) count."""

        def run() -> bool:
            query = {"성명": name, "생년월일": birth_date.isoformat()}
            return any(
                _day(row["생년월일"]) == birth_date and row["상태"] == "거주"
                for row in self._search(query, category, reason, "child_search")
            )

        return self.screen.attempt("child_search", run)

    def _search(
        self, query: dict[str, str], category: str, reason: str, step: str
    ) -> list[dict[str, str]]:
        """The 조회 결과 rows for ``query``, searched with the reason stated."""
        screen = self.screen
        screen.open("/search", step=step)
        screen.fill_form({**query, "조회 사유": category, "상세 사유": reason}, step=step)
        screen.submit("조회", step=step)
        found = screen.tables("조회 결과", step=step, optional=True)["조회 결과"]
        if isinstance(found, dict):
            raise ScreenChanged(
                "browser.element_missing",
                {"system": SYSTEM.id, "step": step, "detail": "table layout changed"},
            )
        return found or []

    def _record(self) -> ResidentRecord:
        read = self.screen.tables(
            "인적 사항", "주소 변동 이력", "세대 구성원", step="registry_record"
        )
        person, moves, members = read["인적 사항"], read["주소 변동 이력"], read["세대 구성원"]
        if (
            not isinstance(person, dict)
            or not isinstance(moves, list)
            or not isinstance(members, list)
        ):
            raise self._changed("table layout changed")
        moved_in = _day(person["전입일"])
        birth = _day(person["생년월일"])
        if moved_in is None or birth is None:
            raise self._changed("no 전입일/생년월일")
        history = tuple(
            Move(
                address=row["주소"],
                moved_in=_day(row["전입일"]) or moved_in,
                moved_out=_day(row["전출일"]),
            )
            for row in moves
        )
        return ResidentRecord(
            name=person["성명"],
            birth_date=birth,
            address=person["주소"],
            moved_in=moved_in,
            moved_out=_day(person["전출일"]),
            history=history,
            household=tuple(_member(row, birth) for row in members),
        )

    @staticmethod
    def _changed(detail: str) -> ScreenChanged:
        return ScreenChanged(
            "browser.element_missing",
            {"system": SYSTEM.id, "step": "registry_record", "detail": detail},
        )


def _member(row: dict[str, str], birth: date) -> Member:
    born = _day(row["생년월일"]) or birth
    moved_in = _day(row["전입일"]) or born
    moved_out = _day(row.get("전출일", ""))
    if moved_out is None and row["상태"] == "전출":
        # Left, on a day the screen does not show: taken as never registered, so that no rule
        # counts on the member; the refusal goes to an official, who sees the record.
        moved_out = moved_in
    return Member(
        relation=row["관계"],
        name=row["성명"],
        birth_date=born,
        moved_in=moved_in,
        moved_out=moved_out,
    )


__all__ = ["SYSTEM", "WELFARE_CHECK", "Member", "Move", "ResidentRecord", "ResidentRegistry"]
