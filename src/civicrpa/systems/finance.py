"""재정 (finance, 지방재정 지출관리): where payments are registered, once each.

A payment is registered under a reference derived from the case (the application and the
instalment), and finance refuses a second payment under the same reference. The robot:

- looks the reference up (:meth:`Finance.find_payment`) before paying whenever an earlier
  attempt may have paid (killed between paying and recording);
- checks the account's holder with the bank (예금주 조회, :meth:`Finance.check_account`);
- pays with :meth:`Finance.pay_once`: look up, check the lease, 예금주 조회, register; after a
  rejected form it looks again (the form may have gone through before the page failed). Never
  twice.

Whether the bank answered is read from the dialog's state (``data-outcome``), not from the
words of its message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from civicrpa.core.messages import render
from civicrpa.runtime.browser.errors import TransientPageError
from civicrpa.runtime.browser.screen import FormRejected
from civicrpa.runtime.system import System
from civicrpa.systems.values import Revealable, clear

if TYPE_CHECKING:
    from civicrpa.runtime.browser import BrowserSession, Screen

SYSTEM = System("finance")
#: Characters finance keeps of a payment's 적요.
MEMO_LIMIT = 100


@dataclass(frozen=True, kw_only=True)
class HolderCheck:
    """The bank register's answer to 예금주 조회."""

    found: bool
    message: str


@dataclass(frozen=True, kw_only=True)
class PaymentOrder:
    """A payment to register. ``repr`` hides the account."""

    payee: str
    bank: str
    account_no: Revealable | str
    holder: str
    amount: int
    budget_item: str
    reference: str
    memo: str

    def __repr__(self) -> str:
        return f"PaymentOrder({self.reference!r}, amount={self.amount})"


@dataclass(frozen=True, kw_only=True)
class Paid:
    """How :meth:`Finance.pay_once` ended."""

    #: The bank's answer about the account (``None``: not asked, the payment was there).
    check: HolderCheck | None
    #: True when this call registered the payment; False when it was there already or the
    #: account check failed (then nothing was paid: see :attr:`check`).
    paid_now: bool

    @property
    def paid(self) -> bool:
        """Whether finance holds the payment now."""
        return self.check is None or self.check.found


class Finance:
    """Finance as a robot pays through it, on one screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen

    @classmethod
    def on(cls, session: BrowserSession) -> Finance:
        """Finance's tab of ``session``."""
        return cls(session.screen(SYSTEM.id))

    def find_payment(self, reference: str) -> bool:
        """True when finance already holds a payment under ``reference``."""
        screen = self.screen

        def run() -> bool:
            screen.open(f"/payments?{urlencode({'reference': reference})}", step="find_payment")
            rows = screen.tables("지급 목록", step="find_payment", optional=True)["지급 목록"]
            return isinstance(rows, list) and any(row.get("참조번호") == reference for row in rows)

        return screen.attempt("find_payment", run)

    def check_account(self, order: PaymentOrder) -> HolderCheck:
        """예금주 조회 only: whether the bank knows the account under the holder's name."""
        screen = self.screen

        def run() -> HolderCheck:
            screen.open("/payments/new", step="check_account")
            return self._holder_check(order)

        return screen.attempt("check_account", run)

    def pay_once(
        self,
        order: PaymentOrder,
        *,
        ensure_lease: Callable[[], None],
        look_first: bool = True,
    ) -> Paid:
        """Register ``order`` unless finance holds its reference already; never twice.

        ``ensure_lease`` is called right before the payment (``ctx.ensure_lease``: nobody else
        may have taken the item over). ``look_first=False`` skips the first look-up where no
        earlier attempt can have paid (finance would refuse the duplicate in any case).
        """
        if look_first and self.find_payment(order.reference):
            return Paid(check=None, paid_now=False)
        ensure_lease()
        try:
            check = self._register(order)
        except FormRejected:
            if self.find_payment(order.reference):  # registered by a step that was retried
                return Paid(check=None, paid_now=True)
            raise
        return Paid(check=check, paid_now=check.found)

    def _register(self, order: PaymentOrder) -> HolderCheck:
        """예금주 조회, then 지급 등록; returns the check (a payment is made only when found)."""
        screen = self.screen

        def run() -> HolderCheck:
            screen.open("/payments/new", step="register_payment")
            check = self._holder_check(order)
            if not check.found:
                return check
            screen.fill_form(
                {
                    "예금주": order.holder,
                    "금액(원)": str(order.amount),
                    "예산 과목": order.budget_item,
                    "참조번호": order.reference,
                    "적요": " ".join(order.memo.split())[:MEMO_LIMIT],
                },
                step="register_payment",
            )
            screen.submit("지급 등록", step="register_payment", confirm=True)
            return check

        return screen.attempt("register_payment", run)

    def _holder_check(self, order: PaymentOrder) -> HolderCheck:
        """On the open 지급 등록 form: 예금주 조회 for the order's account, read the answer."""
        screen = self.screen
        screen.fill_form(
            {"지급 대상자": order.payee, "은행": order.bank, "계좌번호": clear(order.account_no)},
            step="register_payment",
        )
        screen.button("예금주 조회").click()
        dialog = screen.page.get_by_role("dialog", name="계좌 확인 결과")
        message = " ".join(dialog.get_by_role("status").inner_text().split())
        outcome = dialog.get_attribute("data-outcome")
        holder = (
            dialog.get_by_role("table", name="계좌 확인 내용").locator("td").nth(2).inner_text()
        )
        dialog.get_by_role("button", name="확인").click()
        if outcome not in ("found", "not_found"):  # no answer from the bank: try the step again
            raise TransientPageError(
                "browser.server_error", {"system": SYSTEM.id, "step": "holder_check", "status": 500}
            )
        if outcome == "not_found" or "".join(holder.split()) in ("", "-"):
            return HolderCheck(found=False, message=message)
        if "".join(holder.split()) != "".join(order.holder.split()):
            return HolderCheck(found=False, message=render("finance.holder_mismatch"))
        return HolderCheck(found=True, message=message)


__all__ = ["SYSTEM", "Finance", "HolderCheck", "Paid", "PaymentOrder"]
