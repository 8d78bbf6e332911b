"""The finance system's own Korean wording for the rules only it checks.

The generic messages (required, too long, not a number, wrong length for the bank) come from
:mod:`civicrpa.sandbox.common.forms`; these are the ones about holders and references.
"""

from __future__ import annotations

from civicrpa.sandbox.common.forms import Form

MESSAGES = {
    "not_checked": "예금주 조회를 먼저 하십시오.",
    "no_account": "예금주 조회에서 확인되지 않은 계좌입니다.",
    "holder_mismatch": "예금주가 예금주 조회 결과와 다릅니다.",
    "duplicate_reference": "이미 같은 참조번호로 등록된 지급이 있습니다.",
    "found": "예금주가 확인되었습니다.",
    "not_found": "등록되지 않은 계좌입니다.",
    "closed": "해지된 계좌입니다.",
}


def refuse(form: Form, name: str, code: str) -> None:
    """Record one of this system's own errors beside field ``name`` (the first error wins)."""
    form.errors.setdefault(name, MESSAGES[code])
