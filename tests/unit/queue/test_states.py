"""Every pair of states: allowed exactly where the life of a work item draws an arrow."""

from __future__ import annotations

import itertools

import pytest

from civicrpa.core.errors import InputRejected
from civicrpa.queue.states import TRANSITIONS, Action, ItemState, allowed, parse_states

S = ItemState
#: The arrows, written out by hand from the issue's state machine (not derived from the code).
EXPECTED: set[tuple[ItemState, ItemState]] = {
    (S.NEW, S.IN_PROGRESS),
    (S.RETRIED, S.IN_PROGRESS),
    (S.DEFERRED, S.IN_PROGRESS),
    (S.NEW, S.DEFERRED),
    (S.RETRIED, S.DEFERRED),
    (S.DEFERRED, S.DEFERRED),
    (S.IN_PROGRESS, S.DEFERRED),
    (S.IN_PROGRESS, S.SUCCESSFUL),
    (S.IN_PROGRESS, S.BUSINESS_EXCEPTION),
    (S.IN_PROGRESS, S.RETRIED),
    (S.IN_PROGRESS, S.FAILED),
    (S.IN_PROGRESS, S.ABANDONED),
    (S.IN_PROGRESS, S.NEEDS_REVIEW),
    (S.IN_PROGRESS, S.NEW),
    (S.NEEDS_REVIEW, S.NEW),
    (S.NEEDS_REVIEW, S.BUSINESS_EXCEPTION),
    (S.NEEDS_REVIEW, S.SUCCESSFUL),
    (S.FAILED, S.NEW),
    (S.ABANDONED, S.NEW),
    (S.BUSINESS_EXCEPTION, S.NEW),
}


@pytest.mark.parametrize(("source", "goal"), list(itertools.product(ItemState, repeat=2)))
def test_every_pair_of_states(source: ItemState, goal: ItemState) -> None:
    assert allowed(source, goal) is ((source, goal) in EXPECTED)


def test_successful_is_final() -> None:
    assert not any(allowed(S.SUCCESSFUL, goal) for goal in ItemState)


def test_every_action_has_sources_and_a_target() -> None:
    assert set(TRANSITIONS) == set(Action)
    for sources, goal in TRANSITIONS.values():
        assert sources
        assert isinstance(goal, ItemState)


def test_parse_states_rejects_unknown_names_in_korean() -> None:
    assert parse_states(["new", " failed "]) == [S.NEW, S.FAILED]
    with pytest.raises(InputRejected) as caught:
        parse_states(["done"])
    assert "알 수 없는 상태 'done'" in caught.value.message_ko
