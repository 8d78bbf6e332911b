"""The robot's hands in the three systems: intake (민원 접수), registry (주민등록), finance (재정).

Every step opens its page first, so :meth:`Screen.attempt` can repeat it whole after a stale
page, a 5xx or an expired log-in. Elements are found by label, role and Korean text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from civicrpa.core.errors import ScreenChanged
from civicrpa.runtime.browser import Screen, TransientPageError

INTAKE, REGISTRY, FINANCE = "intake", "resident_registry", "finance"
#: Intake statuses by their Korean labels (the robot reads and sets them by label).
RECEIVED, REVIEWING, SUPPLEMENT, APPROVED, REJECTED, PAID = (
    "접수",
    "검토중",
    "보완요청",
    "승인",
    "반려",
    "지급완료",
)
#: 조회 사유 and 내려받기 사유 the robot states (the systems record them).
LOOKUP_REASON = "복지·수당 지급 요건 확인"
EXPORT_REASON = "복지급여 지급 심사"
BUDGET_ITEMS = {"childbirth_incentive": "출산장려금 지원", "postnatal_care": "산후조리비 지원"}


# -- intake ------------------------------------------------------------------------------------


def export_open_applications(screen: Screen, kind: str) -> bytes:
    """The intake's .xlsx of received (접수) applications of ``kind``."""

    def run() -> bytes:
        query = urlencode({"status": "received", "kind": kind})
        screen.open(f"/inbox?{query}", step="export_applications")
        screen.fill_form({"내려받기 사유": EXPORT_REASON}, step="export_applications")
        return screen.download("엑셀 내려받기", step="export_applications")

    return screen.attempt("export_applications", run)


#: What the robot's memos begin with, so an official (and the robot's next attempt) can tell
#: the robot's entries in the history from people's.
ROBOT_MARK = "[RPA]"


@dataclass(frozen=True, kw_only=True)
class Opened:
    """An application as the robot found it when it opened it."""

    status: str
    #: The last change of status was the robot's own (its memo carries :data:`ROBOT_MARK`):
    #: an earlier attempt decided, and was perhaps killed before recording it in the queue.
    decided_by_robot: bool


def _history(screen: Screen, step: str) -> tuple[str, list[dict[str, str]]]:
    read = screen.tables("신청 정보", "처리 이력", step=step, optional=True)
    record, events = read["신청 정보"], read["처리 이력"]
    if not isinstance(record, dict):
        raise ScreenChanged(
            "browser.element_missing", {"system": INTAKE, "step": step, "detail": "신청 정보"}
        )
    return record["상태"], events if isinstance(events, list) else []


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def start_review(screen: Screen, number: str, memo: str) -> Opened:
    """Open the application; a received (접수) one moves to 검토중. Returns what was found."""

    def run() -> Opened:
        screen.open(f"/applications/{quote(number)}", step="open_application")
        status, events = _history(screen, "open_application")
        if status == RECEIVED:
            _change_status(screen, REVIEWING, memo, step="open_application")
        changes = [e for e in events if e.get("상태 변경", "-") not in ("", "-")]
        by_robot = bool(changes) and changes[-1].get("메모", "").startswith(ROBOT_MARK)
        return Opened(status=status, decided_by_robot=by_robot)

    return screen.attempt("open_application", run)


def _change_status(screen: Screen, target: str, memo: str, *, step: str) -> None:
    screen.button("상태 변경").click()
    screen.fill_form({"상태": target, "메모": memo}, scope="dialog[open]", step=step)
    screen.submit("저장", step=step, confirm=True)


def move_application(screen: Screen, number: str, target: str, memo: str) -> None:
    """Change the status to ``target`` with ``memo`` (a no-op when it is already there)."""

    def run() -> None:
        screen.open(f"/applications/{quote(number)}", step="change_status")
        if screen.record("신청 정보", step="change_status")["상태"] == target:
            return
        _change_status(screen, target, memo, step="change_status")

    screen.attempt("change_status", run)


def add_memo(screen: Screen, number: str, memo: str) -> None:
    """Add ``memo`` to the history, unless the same memo is there already (a retried step or
    attempt adds it once)."""

    def run() -> None:
        screen.open(f"/applications/{quote(number)}", step="add_memo")
        _status, events = _history(screen, "add_memo")
        if any(_same_text(event.get("메모", ""), memo) for event in events):
            return
        screen.fill_form({"추가 메모": memo}, step="add_memo")
        screen.submit("메모 추가", step="add_memo")

    screen.attempt("add_memo", run)


# -- resident registry -------------------------------------------------------------------------


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


def look_up_resident(screen: Screen, *, name: str, rrn: str, purpose: str) -> ResidentRecord | None:
    """Search by name and resident number, stating why; None when nobody matches."""

    def run() -> ResidentRecord | None:
        found = _search(screen, {"성명": name, "주민등록번호": rrn}, purpose, "registry_search")
        if not found:
            return None
        if len(found) != 1:  # name and number together name one person
            raise ScreenChanged(
                "browser.element_missing",
                {"system": REGISTRY, "step": "registry_search", "detail": "not one result"},
            )
        link = screen.page.get_by_role("table", name="조회 결과").get_by_role("link", name="상세")
        screen.follow(link, step="registry_search")
        return _resident(screen)

    return screen.attempt("registry_search", run)


def _search(screen: Screen, query: dict[str, str], purpose: str, step: str) -> list[dict[str, str]]:
    """The registry's 조회 결과 rows for ``query``, searched with the reason stated."""
    screen.open("/search", step=step)
    screen.fill_form({**query, "조회 사유": LOOKUP_REASON, "상세 사유": purpose}, step=step)
    screen.submit("조회", step=step)
    found = screen.tables("조회 결과", step=step, optional=True)["조회 결과"]
    if isinstance(found, dict):
        raise ScreenChanged(
            "browser.element_missing",
            {"system": REGISTRY, "step": step, "detail": "table layout changed"},
        )
    return found or []


def _resident(screen: Screen) -> ResidentRecord:
    read = screen.tables("인적 사항", "주소 변동 이력", "세대 구성원", step="registry_record")
    person, moves, members = read["인적 사항"], read["주소 변동 이력"], read["세대 구성원"]
    if not isinstance(person, dict) or not isinstance(moves, list) or not isinstance(members, list):
        raise ScreenChanged(
            "browser.element_missing",
            {"system": REGISTRY, "step": "registry_record", "detail": "table layout changed"},
        )
    moved_in = _day(person["전입일"])
    birth = _day(person["생년월일"])
    if moved_in is None or birth is None:
        raise ScreenChanged(
            "browser.element_missing",
            {"system": REGISTRY, "step": "registry_record", "detail": "no 전입일/생년월일"},
        )
    history = tuple(
        Move(
            address=row["주소"],
            moved_in=_day(row["전입일"]) or moved_in,
            moved_out=_day(row["전출일"]),
        )
        for row in moves
    )
    household = tuple(_member(row, birth) for row in members)
    return ResidentRecord(
        name=person["성명"],
        birth_date=birth,
        address=person["주소"],
        moved_in=moved_in,
        moved_out=_day(person["전출일"]),
        history=history,
        household=household,
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


def child_registered(screen: Screen, *, name: str, birth_date: date, purpose: str) -> bool:
    """Whether a child of that name and birth date is registered in the city (in any household).

    Searched by name and birth date (a baby's resident number is not on the application),
    stating why; only residents still registered (거주) count.
    """

    def run() -> bool:
        query = {"성명": name, "생년월일": birth_date.isoformat()}
        return any(
            _day(row["생년월일"]) == birth_date and row["상태"] == "거주"
            for row in _search(screen, query, purpose, "child_search")
        )

    return screen.attempt("child_search", run)


# -- finance -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class HolderCheck:
    """The bank register's answer to 예금주 조회."""

    found: bool
    message: str


def payment_exists(screen: Screen, reference: str) -> bool:
    """True when finance already holds a payment under ``reference``."""

    def run() -> bool:
        screen.open(f"/payments?{urlencode({'reference': reference})}", step="find_payment")
        rows = screen.tables("지급 목록", step="find_payment", optional=True)["지급 목록"]
        return isinstance(rows, list) and any(row.get("참조번호") == reference for row in rows)

    return screen.attempt("find_payment", run)


@dataclass(frozen=True, kw_only=True)
class PaymentOrder:
    """A payment to register. ``repr`` hides the account."""

    payee: str
    bank: str
    account_no: str
    holder: str
    amount: int
    budget_item: str
    reference: str
    memo: str

    def __repr__(self) -> str:
        return f"PaymentOrder({self.reference!r}, amount={self.amount})"


def _holder_check(screen: Screen, order: PaymentOrder) -> HolderCheck:
    """On the open 지급 등록 form: 예금주 조회 for the order's account, read the answer."""
    screen.fill_form(
        {"지급 대상자": order.payee, "은행": order.bank, "계좌번호": order.account_no},
        step="register_payment",
    )
    screen.button("예금주 조회").click()
    dialog = screen.page.get_by_role("dialog", name="계좌 확인 결과")
    message = " ".join(dialog.get_by_role("status").inner_text().split())
    holder = dialog.get_by_role("table", name="계좌 확인 내용").locator("td").nth(2).inner_text()
    dialog.get_by_role("button", name="확인").click()
    if "오류" in message or "만료" in message:  # the check itself failed: try the step again
        raise TransientPageError(
            "browser.server_error", {"system": FINANCE, "step": "holder_check", "status": 500}
        )
    if "".join(holder.split()) in ("", "-"):
        return HolderCheck(found=False, message=message)
    if "".join(holder.split()) != "".join(order.holder.split()):
        return HolderCheck(found=False, message="예금주가 예금주 조회 결과와 다릅니다.")
    return HolderCheck(found=True, message=message)


def check_account(screen: Screen, order: PaymentOrder) -> HolderCheck:
    """예금주 조회 only: whether the bank knows the account under the holder's name."""

    def run() -> HolderCheck:
        screen.open("/payments/new", step="check_account")
        return _holder_check(screen, order)

    return screen.attempt("check_account", run)


def register_payment(screen: Screen, order: PaymentOrder) -> HolderCheck:
    """예금주 조회, then 지급 등록; returns the check (a payment is made only when found)."""

    def run() -> HolderCheck:
        screen.open("/payments/new", step="register_payment")
        check = _holder_check(screen, order)
        if not check.found:
            return check
        screen.fill_form(
            {
                "예금주": order.holder,
                "금액(원)": str(order.amount),
                "예산 과목": order.budget_item,
                "참조번호": order.reference,
                "적요": order.memo,
            },
            step="register_payment",
        )
        screen.submit("지급 등록", step="register_payment", confirm=True)
        return check

    return screen.attempt("register_payment", run)


__all__ = [
    "ROBOT_MARK",
    "HolderCheck",
    "Member",
    "Move",
    "Opened",
    "PaymentOrder",
    "ResidentRecord",
    "check_account",
    "child_registered",
    "export_open_applications",
    "look_up_resident",
    "move_application",
    "payment_exists",
    "register_payment",
    "start_review",
]
