"""민원 접수 (intake): where applications arrive and officials (and robots) decide them.

What a robot does there: download the received applications of a kind as a spreadsheet
(:meth:`Intake.export_open_applications`), open an application and take it into review
(:meth:`Intake.start_review`), move it to a status with a memo (:meth:`Intake.move`), and add a
memo to its history (:meth:`Intake.add_memo`). Every action opens its page first, so
:meth:`Screen.attempt` can repeat it whole after a stale page, a 5xx or an expired log-in, and
each is idempotent: a retried step or attempt writes nothing twice.

A robot's memos start with :data:`ROBOT_MARK`, so an official (and the robot's next attempt)
tells the robot's entries from people's; the adapter adds it and cuts a memo to what the
system keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from civicrpa.core.errors import ScreenChanged
from civicrpa.runtime.system import System

if TYPE_CHECKING:
    from civicrpa.runtime.browser import BrowserSession, Screen

SYSTEM = System("intake")
#: What the robot's memos begin with.
ROBOT_MARK = "[RPA]"
#: Characters the intake keeps of a memo.
MEMO_LIMIT = 500
#: 내려받기 사유 stated for an export, unless the process states its own.
EXPORT_REASON = "복지급여 지급 심사"


class Status(StrEnum):
    """An application's status, by the label the intake shows."""

    RECEIVED = "접수"  #: arrived, nobody looked yet
    REVIEWING = "검토중"  #: taken into review
    SUPPLEMENT = "보완요청"  #: sent back to the applicant to complete
    APPROVED = "승인"  #: approved (and, for a payment, registered in finance)
    REJECTED = "반려"  #: refused by an official
    PAID = "지급완료"  #: paid


#: Statuses somebody decided.
DECIDED = frozenset({Status.APPROVED, Status.REJECTED, Status.PAID, Status.SUPPLEMENT})


@dataclass(frozen=True, kw_only=True)
class Opened:
    """An application as the robot found it when it opened it."""

    status: str
    #: The last change of status was the robot's own (its memo carries :data:`ROBOT_MARK`):
    #: an earlier attempt decided, and was perhaps killed before recording it in the queue.
    decided_by_robot: bool


def marked(memo: str) -> str:
    """``memo`` as the robot writes it: marked, one line, cut to :data:`MEMO_LIMIT`."""
    text = " ".join(memo.split())
    if not text.startswith(ROBOT_MARK):
        text = f"{ROBOT_MARK} {text}"
    return text[:MEMO_LIMIT]


class Intake:
    """The intake as a robot works in it, through one screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    @classmethod
    def on(cls, session: BrowserSession) -> Intake:
        """The intake's tab of ``session``."""
        return cls(session.screen(SYSTEM.id))

    def export_open_applications(self, kind: str, *, reason: str = EXPORT_REASON) -> bytes:
        """The .xlsx of received (접수) applications of ``kind``, stating why."""
        screen = self.screen

        def run() -> bytes:
            query = urlencode({"status": "received", "kind": kind})
            screen.open(f"/inbox?{query}", step="export_applications")
            screen.fill_form({"내려받기 사유": reason}, step="export_applications")
            return screen.download("엑셀 내려받기", step="export_applications")

        return screen.attempt("export_applications", run)

    def start_review(self, number: str, memo: str) -> Opened:
        """Open the application; a received (접수) one moves to 검토중. Returns what was found."""
        screen = self.screen

        def run() -> Opened:
            screen.open(f"/applications/{quote(number)}", step="open_application")
            status, events = self._history("open_application")
            if status == Status.RECEIVED:
                self._change_status(Status.REVIEWING, marked(memo), step="open_application")
            changes = [e for e in events if e.get("상태 변경", "-") not in ("", "-")]
            by_robot = bool(changes) and changes[-1].get("메모", "").startswith(ROBOT_MARK)
            return Opened(status=status, decided_by_robot=by_robot)

        return screen.attempt("open_application", run)

    def move(self, number: str, target: Status, memo: str) -> None:
        """Change the status to ``target`` with ``memo`` (a no-op when it is already there)."""
        screen = self.screen

        def run() -> None:
            screen.open(f"/applications/{quote(number)}", step="change_status")
            if screen.record("신청 정보", step="change_status")["상태"] == target:
                return
            self._change_status(target, marked(memo), step="change_status")

        screen.attempt("change_status", run)

    def add_memo(self, number: str, memo: str) -> None:
        """Add ``memo`` to the history, unless the same memo is there already (a retried step
        or attempt adds it once)."""
        screen = self.screen
        text = marked(memo)

        def run() -> None:
            screen.open(f"/applications/{quote(number)}", step="add_memo")
            _status, events = self._history("add_memo")
            if any(" ".join(event.get("메모", "").split()) == text for event in events):
                return
            screen.fill_form({"추가 메모": text}, step="add_memo")
            screen.submit("메모 추가", step="add_memo")

        screen.attempt("add_memo", run)

    def _history(self, step: str) -> tuple[str, list[dict[str, str]]]:
        read = self.screen.tables("신청 정보", "처리 이력", step=step, optional=True)
        record, events = read["신청 정보"], read["처리 이력"]
        if not isinstance(record, dict):
            raise ScreenChanged(
                "browser.element_missing",
                {"system": SYSTEM.id, "step": step, "detail": "신청 정보"},
            )
        return record["상태"], events if isinstance(events, list) else []

    def _change_status(self, target: str, memo: str, *, step: str) -> None:
        screen = self.screen
        screen.button("상태 변경").click()
        screen.fill_form({"상태": target, "메모": memo}, scope="dialog[open]", step=step)
        screen.submit("저장", step=step, confirm=True)


__all__ = ["DECIDED", "ROBOT_MARK", "SYSTEM", "Intake", "Opened", "Status", "marked"]
