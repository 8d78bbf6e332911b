"""Each process brings its own Korean texts; the registry merges them without ambiguity."""

from __future__ import annotations

import pytest

from civicrpa.core.messages import CATALOGUE, Catalogue, CatalogueError, render, step_title
from civicrpa.runtime.registry import load_registry


def test_every_process_has_its_own_catalogue_under_its_prefix() -> None:
    registry = load_registry(["civicrpa.processes"])
    prefixes = {process.prefix for process in registry}
    for process in registry:
        if process.messages is None:
            continue
        assert process.messages.prefix == process.prefix
        assert all(code.startswith(process.prefix + ".") for code in process.messages.entries)
        assert all(CATALOGUE[code] == text for code, text in process.messages.entries.items())
    # The platform's own catalogue holds none of a process's codes.
    from civicrpa.core import messages

    source = messages.__file__
    assert source is not None
    with open(source, encoding="utf-8") as file:
        text = file.read()
    for prefix in prefixes - {"retention"}:
        assert f'"{prefix}.' not in text, prefix


def test_a_code_outside_the_prefix_is_refused() -> None:
    with pytest.raises(CatalogueError, match="does not start with"):
        Catalogue("kit_probe", {"other.thing": "다른 업무의 문구"})
    assert "other.thing" not in CATALOGUE


def test_a_code_defined_twice_is_refused() -> None:
    with pytest.raises(CatalogueError, match="defined twice"):
        Catalogue("queue", {"queue.item_not_found": "덮어쓰기"})  # the platform's own code
    Catalogue("kit_twice", {"kit_twice.hello": "안녕하세요"})
    Catalogue("kit_twice", {"kit_twice.hello": "안녕하세요"})  # the same again: a no-op
    with pytest.raises(CatalogueError, match="defined twice"):
        Catalogue("kit_twice", {"kit_twice.hello": "다른 문구"})
    assert render("kit_twice.hello") == "안녕하세요"


def test_steps_are_titled_by_the_process_then_the_runtime_then_their_name() -> None:
    load_registry(["civicrpa.processes"])
    assert step_title("pay", "childbirth") == "지급 등록"
    assert step_title("check_effect", "childbirth") == CATALOGUE["step.check_effect"]
    assert step_title("something_new", "childbirth") == "something_new"
