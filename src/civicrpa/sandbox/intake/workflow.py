"""What an application is and how it moves: its kinds, its statuses and the allowed steps.

The intake office works an application from 접수 to 지급완료 or 반려. The arrows are drawn
here once; the status screen, the store's conditional UPDATE and the seed all follow them, so a
robot that tries a step not drawn here is refused exactly as an official would be.
"""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    """신청 종류: which benefit is applied for."""

    #: 출산장려금 (Gwangyang childbirth incentive, paid in yearly instalments).
    CHILDBIRTH_INCENTIVE = "childbirth_incentive"
    #: 산후조리비용 (postnatal care cost, applied for within 90 days of the birth).
    POSTNATAL_CARE = "postnatal_care"


class Status(enum.StrEnum):
    """처리 상태 of an application."""

    #: 접수: submitted, nobody has looked at it yet.
    RECEIVED = "received"
    #: 검토중: an official (or robot) is checking documents and eligibility.
    REVIEWING = "reviewing"
    #: 보완요청: the applicant must send a missing or corrected document.
    SUPPLEMENT_REQUESTED = "supplement_requested"
    #: 승인: eligible; waiting for payment.
    APPROVED = "approved"
    #: 반려: refused; final.
    REJECTED = "rejected"
    #: 지급완료: paid; final.
    PAID = "paid"


class CareGroup(enum.StrEnum):
    """산후조리 지원 구분: which cap of the 산후조리비용 applies (the applicant states it)."""

    #: 기초생활수급자(의료급여 포함)·중증장애인.
    BASIC = "basic"
    #: 차상위계층·경증장애인.
    NEAR_POOR = "near_poor"
    #: 일반: every other mother.
    GENERAL = "general"


class Channel(enum.StrEnum):
    """접수 경로: how the application reached the office."""

    #: 온라인: the citizen filled in the portal's form.
    ONLINE = "online"
    #: 방문: a paper form handed in at the counter, typed in by a clerk (typos happen).
    VISIT = "visit"


KIND_LABELS: dict[Kind, str] = {
    Kind.CHILDBIRTH_INCENTIVE: "출산장려금",
    Kind.POSTNATAL_CARE: "산후조리비용",
}
#: The middle part of an application number (``2025-출산-000123``).
KIND_PREFIXES: dict[Kind, str] = {
    Kind.CHILDBIRTH_INCENTIVE: "출산",
    Kind.POSTNATAL_CARE: "산후",
}
STATUS_LABELS: dict[Status, str] = {
    Status.RECEIVED: "접수",
    Status.REVIEWING: "검토중",
    Status.SUPPLEMENT_REQUESTED: "보완요청",
    Status.APPROVED: "승인",
    Status.REJECTED: "반려",
    Status.PAID: "지급완료",
}

CARE_GROUP_LABELS: dict[CareGroup, str] = {
    CareGroup.BASIC: "기초생활수급자·중증장애인",
    CareGroup.NEAR_POOR: "차상위·경증장애인",
    CareGroup.GENERAL: "일반",
}
CHANNEL_LABELS: dict[Channel, str] = {Channel.ONLINE: "온라인", Channel.VISIT: "방문"}

#: Status -> the statuses it may move to. 반려 and 지급완료 are final. An approval may still be
#: withdrawn back to 검토중 before payment; a supplemented application goes back to 검토중.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.REVIEWING, Status.SUPPLEMENT_REQUESTED, Status.REJECTED}),
    Status.REVIEWING: frozenset({Status.SUPPLEMENT_REQUESTED, Status.APPROVED, Status.REJECTED}),
    Status.SUPPLEMENT_REQUESTED: frozenset({Status.REVIEWING, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.PAID, Status.REVIEWING}),
    Status.REJECTED: frozenset(),
    Status.PAID: frozenset(),
}
#: Steps that must say why (the applicant is told the reason): a memo is required.
NEEDS_MEMO: frozenset[Status] = frozenset({Status.SUPPLEMENT_REQUESTED, Status.REJECTED})


def can_move(source: Status, target: Status) -> bool:
    """True when ``source`` -> ``target`` is an arrow of :data:`TRANSITIONS`."""
    return target in TRANSITIONS[source]


def path_to(target: Status) -> list[Status]:
    """The usual steps from 접수 to ``target`` (the seed writes one history row per step)."""
    paths = {
        Status.RECEIVED: [],
        Status.REVIEWING: [Status.REVIEWING],
        Status.SUPPLEMENT_REQUESTED: [Status.REVIEWING, Status.SUPPLEMENT_REQUESTED],
        Status.APPROVED: [Status.REVIEWING, Status.APPROVED],
        Status.REJECTED: [Status.REVIEWING, Status.REJECTED],
        Status.PAID: [Status.REVIEWING, Status.APPROVED, Status.PAID],
    }
    return paths[target]


def application_no(year: int, kind: Kind, serial: int) -> str:
    """접수번호 such as ``2025-출산-000123``: a serial per year and kind."""
    return f"{year}-{KIND_PREFIXES[kind]}-{serial:06d}"


def mask_rrn(rrn: str) -> str:
    """``YYMMDD-S******``: birth date and sex digit only, as officials' screens show it."""
    digits = rrn.replace("-", "")
    return f"{digits[:6]}-{digits[6:7]}******"
