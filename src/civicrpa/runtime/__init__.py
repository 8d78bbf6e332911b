"""The one import a process author needs: ``from civicrpa.runtime import Process, ItemContext``.

What a process declares (:class:`Process`, :class:`Demo`, :class:`Summary`, :class:`Report`,
:class:`ProcessSettings`, :class:`RetryPolicy`, schedule rules), what its handler gets
(:class:`ItemContext`) and gives (:class:`NewItem` for follow-up items, the signals
:class:`Postpone` and :class:`AskReview`, the errors :class:`BusinessRuleError`,
:class:`InputRejected`, :class:`NotEligible`, :class:`SystemFault` and their kin), and the
browser and spreadsheet helpers (:func:`browser_session`, :class:`BrowserSession`,
:class:`Screen`, :func:`read_rows`), the payload types whose ``repr`` is masked
(:class:`ResidentNumber`, :class:`PhoneNumber`, :class:`AccountNumber`), money formatting, the
clock (Korean time) and, for demos and tests, :func:`fictional_rrn`. The robot-side adapters of the municipal systems are the
other import, :mod:`civicrpa.systems`.

Names load on first use (PEP 562), so importing this package (as every command does) loads no
browser and no spreadsheet library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civicrpa.core.clock import KST, to_kst, utcnow
    from civicrpa.core.errors import (
        BusinessRuleError,
        ConfigurationError,
        InputRejected,
        NotEligible,
        ScreenChanged,
        StateConflict,
        SystemFault,
        TargetUnavailable,
    )
    from civicrpa.core.messages import Catalogue
    from civicrpa.core.money import format_won, format_won_formal
    from civicrpa.core.personal import AccountNumber, PhoneNumber, ResidentNumber
    from civicrpa.core.resident_number import fictional_rrn
    from civicrpa.queue.records import NewItem
    from civicrpa.queue.retry import RetryPolicy
    from civicrpa.runtime.browser.login import FormLogin, Login
    from civicrpa.runtime.browser.screen import FormRejected, Screen
    from civicrpa.runtime.browser.session import BrowserSession, browser_session
    from civicrpa.runtime.context import ItemContext
    from civicrpa.runtime.process import Demo, Output, Process, ProduceContext, Report, Summary
    from civicrpa.runtime.reports import ItemResult, ReportContext, Results
    from civicrpa.runtime.schedules import CronRule, DailyBusinessDayRule, MonthlyBusinessDayRule
    from civicrpa.runtime.settings import ProcessSettings
    from civicrpa.runtime.sheets import TypedRows, read_rows
    from civicrpa.runtime.signals import AskReview, Postpone
    from civicrpa.runtime.system import System

#: Where each public name lives.
_HOMES = {
    "KST": "civicrpa.core.clock",
    "to_kst": "civicrpa.core.clock",
    "utcnow": "civicrpa.core.clock",
    "BusinessRuleError": "civicrpa.core.errors",
    "ConfigurationError": "civicrpa.core.errors",
    "InputRejected": "civicrpa.core.errors",
    "NotEligible": "civicrpa.core.errors",
    "ScreenChanged": "civicrpa.core.errors",
    "StateConflict": "civicrpa.core.errors",
    "SystemFault": "civicrpa.core.errors",
    "TargetUnavailable": "civicrpa.core.errors",
    "Catalogue": "civicrpa.core.messages",
    "format_won": "civicrpa.core.money",
    "format_won_formal": "civicrpa.core.money",
    "AccountNumber": "civicrpa.core.personal",
    "PhoneNumber": "civicrpa.core.personal",
    "ResidentNumber": "civicrpa.core.personal",
    "fictional_rrn": "civicrpa.core.resident_number",
    "NewItem": "civicrpa.queue.records",
    "RetryPolicy": "civicrpa.queue.retry",
    "FormLogin": "civicrpa.runtime.browser.login",
    "Login": "civicrpa.runtime.browser.login",
    "FormRejected": "civicrpa.runtime.browser.screen",
    "Screen": "civicrpa.runtime.browser.screen",
    "BrowserSession": "civicrpa.runtime.browser.session",
    "browser_session": "civicrpa.runtime.browser.session",
    "ItemContext": "civicrpa.runtime.context",
    "Demo": "civicrpa.runtime.process",
    "Output": "civicrpa.runtime.process",
    "Process": "civicrpa.runtime.process",
    "ProduceContext": "civicrpa.runtime.process",
    "Report": "civicrpa.runtime.process",
    "Summary": "civicrpa.runtime.process",
    "ItemResult": "civicrpa.runtime.reports",
    "ReportContext": "civicrpa.runtime.reports",
    "Results": "civicrpa.runtime.reports",
    "CronRule": "civicrpa.runtime.schedules",
    "DailyBusinessDayRule": "civicrpa.runtime.schedules",
    "MonthlyBusinessDayRule": "civicrpa.runtime.schedules",
    "ProcessSettings": "civicrpa.runtime.settings",
    "TypedRows": "civicrpa.runtime.sheets",
    "read_rows": "civicrpa.runtime.sheets",
    "AskReview": "civicrpa.runtime.signals",
    "Postpone": "civicrpa.runtime.signals",
    "System": "civicrpa.runtime.system",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'civicrpa.runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "KST",
    "AccountNumber",
    "AskReview",
    "BrowserSession",
    "BusinessRuleError",
    "Catalogue",
    "ConfigurationError",
    "CronRule",
    "DailyBusinessDayRule",
    "Demo",
    "FormLogin",
    "FormRejected",
    "InputRejected",
    "ItemContext",
    "ItemResult",
    "Login",
    "MonthlyBusinessDayRule",
    "NewItem",
    "NotEligible",
    "Output",
    "PhoneNumber",
    "Postpone",
    "Process",
    "ProcessSettings",
    "ProduceContext",
    "Report",
    "ReportContext",
    "ResidentNumber",
    "Results",
    "RetryPolicy",
    "Screen",
    "ScreenChanged",
    "StateConflict",
    "Summary",
    "System",
    "SystemFault",
    "TargetUnavailable",
    "TypedRows",
    "browser_session",
    "fictional_rrn",
    "format_won",
    "format_won_formal",
    "read_rows",
    "to_kst",
    "utcnow",
]
