"""The intake system's own checks of what a citizen or an official submits.

The shared :class:`~civicrpa.sandbox.common.forms.Form` gives the generic checks (required,
length, pattern, dates); this module adds the portal's rules and their wording:

- 주민등록번호: 13 digits, a sex digit 1-8 and a real calendar date in the past. The check digit
  is *not* enforced: numbers issued since 2020-10-05 carry none (주민등록법 시행규칙 Art. 2 as
  amended in 2020; see the shared domain note on resident numbers).
- 아기 생년월일: not after today and at most 365 days before it. The portal refuses older births
  outright (the incentive is applied for around the birth); the stricter 90-day limit of
  산후조리비용 is a business rule the official or the robot judges, so late applications do
  reach the inbox.
- 산후조리비용 only: 산후조리 지원 구분 and 관내 산후조리원 이용 from their lists, 산후조리원
  이용 일수 a whole number of 0-30 days (at least 1 for a centre in the city). They are ignored
  for the 출산장려금. 다태아 is a check box of both kinds.
- 계좌번호: digits and hyphens, with as many digits as the chosen bank issues. Banks, their
  clearing codes and lengths are the sandbox's one table (``civicrpa.sandbox.common.banks``),
  so the finance system accepts every account this portal does, in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from civicrpa.core.resident_number import parse_resident_number
from civicrpa.sandbox.common.banks import BANK_CHOICES, account_number
from civicrpa.sandbox.common.forms import Form, add_messages
from civicrpa.sandbox.intake.workflow import (
    CARE_GROUP_LABELS,
    KIND_LABELS,
    NEEDS_MEMO,
    STATUS_LABELS,
    CareGroup,
    Kind,
    Status,
    can_move,
)

#: The intake system's own wording, as ``intake.<code>``: its rules' errors (the common
#: messages cover the generic checks) and the notices it shows after a step.
add_messages(
    "intake",
    {
        "status_changed": "상태를 '{status}'(으)로 변경했습니다.",
        "memo_added": "메모를 추가했습니다.",
        "rrn_date": "{label}의 생년월일 또는 성별 자리가 올바르지 않습니다.",
        "child_too_old": "{label}은(는) 신청일 기준 {days}일 이내여야 합니다.",
        "memo_required_for": "'{status}'(으)로 변경할 때는 메모(사유)를 입력하십시오.",
        "invalid_transition": "'{source}' 상태에서 '{target}'(으)로 변경할 수 없습니다.",
        "care_days_for_centre": "관내 산후조리원을 이용했다면 {label}은(는) 1일 이상이어야 합니다.",
        "export_reason": "내려받기 사유를 목록에서 고르십시오. 개인정보가 담긴 파일은 사유를 남겨야 내려받을 수 있습니다.",
        "stale": "다른 사용자가 먼저 상태를 변경했습니다(현재 '{current}'). 화면을 새로 고친 뒤 다시 시도하십시오.",
    },
)
#: How old a baby may be when the portal still takes the application.
MAX_CHILD_AGE_DAYS = 365
RRN_PATTERN = r"\d{6}-?\d{7}"
PHONE_PATTERN = r"01[016789]-?\d{3,4}-?\d{4}"
#: Hangul or Latin letters, spaces, middle dots, dots and hyphens: no markup in a name.
NAME_PATTERN = r"[가-힣A-Za-z][가-힣A-Za-z .·-]*"
MEMO_MAX = 500
#: Longest stay in a postnatal-care centre the form accepts.
MAX_CARE_DAYS = 30
#: 관내 산후조리원 이용: the select's options.
YES_NO = {"yes": "예", "no": "아니오"}
#: The value the 다태아 check box sends when ticked.
CHECKED = "yes"


def rrn_birth_date(rrn: str) -> date | None:
    """The birth date a well-formed number encodes, or None for no such date or sex digit."""
    parts = parse_resident_number(rrn)
    return None if parts is None else parts.birth_date


@dataclass(frozen=True, kw_only=True)
class ApplicationInput:
    """A citizen's application once every field passed; personal numbers stay out of repr."""

    kind: Kind
    applicant_name: str
    applicant_rrn: str = field(repr=False)
    phone: str = field(repr=False)
    address: str = field(repr=False)
    child_name: str
    child_birth_date: date
    bank: str
    account_no: str = field(repr=False)
    account_holder: str
    multiple_birth: bool = False
    #: 산후조리비용 only (None for the 출산장려금).
    care_group: CareGroup | None = None
    centre_in_city: bool | None = None
    care_days: int | None = None


def _resident_number(form: Form, name: str, label: str, today: date) -> str:
    value = form.text(name, label, max_length=14, pattern=RRN_PATTERN)
    if not value or name in form.errors:
        return ""
    parts = parse_resident_number(value)
    if parts is None or parts.birth_date > today:
        form.fail(name, "intake.rrn_date", label=label)
        return ""
    return parts.number


def _phone(form: Form, name: str, label: str) -> str:
    value = form.text(name, label, max_length=13, pattern=PHONE_PATTERN)
    if not value or name in form.errors:
        return ""
    digits = value.replace("-", "")
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


def _account(form: Form, bank: str) -> str:
    """The account as the citizen typed it (hyphens kept: the office reads it so), if valid."""
    if not account_number(form, bank, "account_no", "계좌번호"):
        return ""
    return form.raw["account_no"].strip()


def _multiple_birth(form: Form) -> bool:
    value = form.raw.get("multiple_birth", "").strip()
    if value not in ("", CHECKED):
        form.fail("multiple_birth", "pattern", label="다태아")
    return value == CHECKED


@dataclass(frozen=True)
class PostnatalInput:
    """The 산후조리 part of a 산후조리비용 application."""

    care_group: CareGroup
    centre_in_city: bool
    care_days: int


def read_postnatal(form: Form) -> PostnatalInput | None:
    """산후조리 지원 구분, 관내 산후조리원 이용 and 이용 일수; None (errors set) if any fails."""
    groups = {g.value: label for g, label in CARE_GROUP_LABELS.items()}
    group = form.choice("care_group", "산후조리 지원 구분", groups)
    centre = form.choice("centre_in_city", "관내 산후조리원 이용", YES_NO)
    label = "산후조리원 이용 일수"
    days = form.integer("care_days", label, minimum=0, maximum=MAX_CARE_DAYS)
    if centre == "yes" and days == 0:
        form.fail("care_days", "intake.care_days_for_centre", label=label)
    if not group or not centre or days is None or "care_days" in form.errors:
        return None
    return PostnatalInput(CareGroup(group), centre == "yes", days)


def read_application(form: Form, today: date) -> ApplicationInput | None:
    """Check every field of the citizen's form; None (with ``form.errors`` set) if any fails."""
    kind = form.choice("kind", "신청 종류", {k.value: v for k, v in KIND_LABELS.items()})
    name = form.text("applicant_name", "신청인 성명", max_length=20, pattern=NAME_PATTERN)
    rrn = _resident_number(form, "applicant_rrn", "신청인 주민등록번호", today)
    phone = _phone(form, "phone", "연락처(휴대전화)")
    address = form.text("address", "주소", max_length=200, min_length=5)
    child_name = form.text("child_name", "아기 성명", max_length=20, pattern=NAME_PATTERN)
    born = form.day("child_birth_date", "아기 생년월일", past_only=True, today=today)
    if born is not None and born < today - timedelta(days=MAX_CHILD_AGE_DAYS):
        form.fail("child_birth_date", "intake.child_too_old", label="아기 생년월일", days=365)
    bank = form.choice("bank", "입금 은행", BANK_CHOICES)
    account = _account(form, bank)
    holder = form.text("account_holder", "예금주", max_length=20, pattern=NAME_PATTERN)
    multiple = _multiple_birth(form)
    postnatal = read_postnatal(form) if kind == Kind.POSTNATAL_CARE.value else None
    if not form.ok or born is None:
        return None
    return ApplicationInput(
        kind=Kind(kind),
        applicant_name=name,
        applicant_rrn=rrn,
        phone=phone,
        address=address,
        child_name=child_name,
        child_birth_date=born,
        bank=bank,
        account_no=account,
        account_holder=holder,
        multiple_birth=multiple,
        care_group=postnatal.care_group if postnatal else None,
        centre_in_city=postnatal.centre_in_city if postnatal else None,
        care_days=postnatal.care_days if postnatal else None,
    )


def read_status_change(form: Form, current: Status) -> tuple[Status, str] | None:
    """The new status and memo an official chose, if the step is allowed from ``current``."""
    choices = {s.value: label for s, label in STATUS_LABELS.items()}
    chosen = form.choice("status", "상태", choices)
    memo = form.text("memo", "메모", required=False, max_length=MEMO_MAX)
    expected = form.raw.get("expected_status", "")
    if expected and expected != current.value:
        form.fail("status", "intake.stale", current=STATUS_LABELS[current])
    if chosen and "status" not in form.errors:
        target = Status(chosen)
        if not can_move(current, target):
            form.fail(
                "status",
                "intake.invalid_transition",
                source=STATUS_LABELS[current],
                target=STATUS_LABELS[target],
            )
        elif target in NEEDS_MEMO and not memo and "memo" not in form.errors:
            form.fail("memo", "intake.memo_required_for", status=STATUS_LABELS[target])
    if not form.ok:
        return None
    return Status(chosen), memo
