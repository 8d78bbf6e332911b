"""The life of a work item: its states and the only transitions between them.

A robot claims a due ``new``, ``retried`` or ``deferred`` item and holds it ``in_progress`` under a
lease; from there it ends ``successful``, ``business_exception`` (the item is wrong), ``retried``
(a system exception with attempts left, or a lost lease), ``failed`` / ``abandoned`` (attempts
spent), ``deferred`` (postponed), ``needs_review`` (a person decides), or back to ``new`` when a
stopping robot releases it. People approve, reject or resolve reviews, and requeue failed,
abandoned or rejected items.

Every store operation names its :class:`Action`; :data:`TRANSITIONS` says from which states it may
run and where it leads. The store turns the table into ``WHERE state IN (...)`` so that a race
between two robots can never move an item along an arrow that is not drawn here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from civicrpa.core.errors import InputRejected


class ItemState(enum.StrEnum):
    """Where a work item is in its life."""

    #: Added and waiting for a robot.
    NEW = "new"
    #: Held by one robot under a lease.
    IN_PROGRESS = "in_progress"
    #: Done; the output is attached.
    SUCCESSFUL = "successful"
    #: The item itself is wrong (not eligible, document missing): a person must look at it.
    BUSINESS_EXCEPTION = "business_exception"
    #: A system exception; waiting for its next attempt after a backoff.
    RETRIED = "retried"
    #: System exceptions used up every attempt.
    FAILED = "failed"
    #: Postponed until a given time (by a robot or a person).
    DEFERRED = "deferred"
    #: Its robot vanished (lease expired) and every attempt is spent.
    ABANDONED = "abandoned"
    #: The robot asked a person to decide before it goes on.
    NEEDS_REVIEW = "needs_review"


class Action(enum.StrEnum):
    """What can happen to a work item."""

    #: A robot takes the item under a lease.
    CLAIM = "claim"
    #: The robot finished the item.
    COMPLETE = "complete"
    #: The robot found the item wrong.
    BUSINESS_FAIL = "business_fail"
    #: A system exception with attempts left.
    RETRY = "retry"
    #: A system exception with no attempts left.
    FAIL = "fail"
    #: The lease ran out with attempts left: the item goes back for another robot.
    EXPIRE_RETRY = "expire_retry"
    #: The lease ran out and no attempt is left.
    ABANDON = "abandon"
    #: The lease ran out, no attempt is left, and the item's irreversible effect (a payment)
    #: may have happened: a person checks the system of record before anything else is done.
    EXPIRE_REVIEW = "expire_review"
    #: Put off until a time.
    POSTPONE = "postpone"
    #: A stopping robot hands the item back untouched; the attempt does not count.
    RELEASE = "release"
    #: The robot asks a person to decide.
    ASK_REVIEW = "ask_review"
    #: A reviewer approved: process the item again.
    APPROVE = "approve"
    #: A reviewer rejected the item.
    REJECT = "reject"
    #: A reviewer settled the item by hand.
    RESOLVE = "resolve"
    #: A person sends a failed, abandoned or rejected item back to the queue.
    REQUEUE = "requeue"


S = ItemState
#: Action -> (states it may start from, state it leads to).
TRANSITIONS: dict[Action, tuple[frozenset[ItemState], ItemState]] = {
    Action.CLAIM: (frozenset({S.NEW, S.RETRIED, S.DEFERRED}), S.IN_PROGRESS),
    Action.COMPLETE: (frozenset({S.IN_PROGRESS}), S.SUCCESSFUL),
    Action.BUSINESS_FAIL: (frozenset({S.IN_PROGRESS}), S.BUSINESS_EXCEPTION),
    Action.RETRY: (frozenset({S.IN_PROGRESS}), S.RETRIED),
    Action.FAIL: (frozenset({S.IN_PROGRESS}), S.FAILED),
    Action.EXPIRE_RETRY: (frozenset({S.IN_PROGRESS}), S.RETRIED),
    Action.ABANDON: (frozenset({S.IN_PROGRESS}), S.ABANDONED),
    Action.EXPIRE_REVIEW: (frozenset({S.IN_PROGRESS}), S.NEEDS_REVIEW),
    Action.POSTPONE: (frozenset({S.NEW, S.RETRIED, S.DEFERRED, S.IN_PROGRESS}), S.DEFERRED),
    Action.RELEASE: (frozenset({S.IN_PROGRESS}), S.NEW),
    Action.ASK_REVIEW: (frozenset({S.IN_PROGRESS}), S.NEEDS_REVIEW),
    Action.APPROVE: (frozenset({S.NEEDS_REVIEW}), S.NEW),
    Action.REJECT: (frozenset({S.NEEDS_REVIEW}), S.BUSINESS_EXCEPTION),
    Action.RESOLVE: (frozenset({S.NEEDS_REVIEW}), S.SUCCESSFUL),
    Action.REQUEUE: (frozenset({S.FAILED, S.ABANDONED, S.BUSINESS_EXCEPTION}), S.NEW),
}
del S

#: States a robot may claim from (when the item is due).
CLAIMABLE: frozenset[ItemState] = TRANSITIONS[Action.CLAIM][0]
#: States no robot will touch again without a person.
SETTLED: frozenset[ItemState] = frozenset(
    {
        ItemState.SUCCESSFUL,
        ItemState.BUSINESS_EXCEPTION,
        ItemState.FAILED,
        ItemState.ABANDONED,
        ItemState.NEEDS_REVIEW,
    }
)


def sources(action: Action) -> frozenset[ItemState]:
    """The states ``action`` may start from."""
    return TRANSITIONS[action][0]


def target(action: Action) -> ItemState:
    """The state ``action`` leads to."""
    return TRANSITIONS[action][1]


def allowed(source: ItemState, goal: ItemState) -> bool:
    """Whether any action moves an item from ``source`` to ``goal``."""
    return any(source in srcs and dst is goal for srcs, dst in TRANSITIONS.values())


#: Korean labels for screens and reports.
STATE_LABELS_KO: dict[ItemState, str] = {
    ItemState.NEW: "대기",
    ItemState.IN_PROGRESS: "처리 중",
    ItemState.SUCCESSFUL: "완료",
    ItemState.BUSINESS_EXCEPTION: "업무 예외",
    ItemState.RETRIED: "재시도 대기",
    ItemState.FAILED: "실패",
    ItemState.DEFERRED: "연기",
    ItemState.ABANDONED: "회수 후 중단",
    ItemState.NEEDS_REVIEW: "담당자 검토",
}

#: Korean names of the decisions people make on items, for histories (``queue show``).
DECISION_LABELS_KO: dict[Action, str] = {
    Action.POSTPONE: "연기",
    Action.APPROVE: "승인",
    Action.REJECT: "반려",
    Action.RESOLVE: "직접 처리",
    Action.REQUEUE: "다시 처리",
}


def _spelling(text: str) -> str:
    return "".join(text.split()).casefold()


#: Every way a person may type a state: its value (``business_exception``) or its Korean label
#: as screens show it, spaces ignored (``업무 예외``, ``업무예외``).
_STATE_SPELLINGS: dict[str, ItemState] = {
    **{_spelling(label): state for state, label in STATE_LABELS_KO.items()},
    **{_spelling(state.value): state for state in ItemState},
}


def parse_states(values: Iterable[str]) -> list[ItemState]:
    """States typed by a person, in English (``failed``) or as the screens name them in Korean
    (``실패``, ``업무 예외``); unknown ones are rejected, naming the states there are."""
    states = []
    for value in values:
        state = _STATE_SPELLINGS.get(_spelling(value))
        if state is None:
            known = ", ".join(f"{STATE_LABELS_KO[s]}({s.value})" for s in ItemState)
            raise InputRejected(
                "queue.unknown_state", {"state": value, "known": known}, field="state"
            )
        states.append(state)
    return states
