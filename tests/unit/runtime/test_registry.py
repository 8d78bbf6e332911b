"""Which processes an installation loads, and what it says when a module cannot be loaded."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicrpa.core.errors import ConfigurationError
from civicrpa.runtime.registry import load_registry


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path`` for process modules written by the test."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [n for n in sys.modules if n.startswith("city_")]:
        del sys.modules[name]


def _names(modules: list[str], **kwargs: bool) -> list[str]:
    return [p.name for p in load_registry(modules, **kwargs)]


def test_the_built_in_destruction_stays_when_a_city_lists_only_its_own_modules() -> None:
    # Before, naming one module dropped the nightly 파기 process and its schedule.
    assert _names(["tests.support.processes"]) == ["retention", "probe"]
    assert _names(["tests.support.processes"], builtins=False) == ["probe"]
    # The package lists the built-in one too: it is loaded once.
    assert sorted(_names(["civicrpa.processes"])) == [
        "childbirth_incentive",
        "retention",
        "sample_document_check",
    ]


def test_a_typo_inside_a_module_names_the_file_and_line(modules: Path) -> None:
    (modules / "city_typo.py").write_text("PROCESSES = [\n    PROCESS,\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        load_registry(["city_typo"])
    assert raised.value.code == "process.module_syntax"
    assert "city_typo.py" in raised.value.message_ko


def test_an_error_while_importing_names_its_place_not_a_missing_module(modules: Path) -> None:
    (modules / "city_broken.py").write_text(
        "import json\nimport city_no_such_helper\nPROCESSES = []\n", encoding="utf-8"
    )
    (modules / "city_raises.py").write_text("RATE = 1 / 0\nPROCESSES = []\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as broken:
        load_registry(["city_broken"])
    assert broken.value.code == "process.module_failed"
    assert "city_no_such_helper" in broken.value.message_ko
    with pytest.raises(ConfigurationError) as raises:
        load_registry(["city_raises"])
    assert raises.value.code == "process.module_failed"
    assert "city_raises.py 1번째 줄" in raises.value.message_ko
    assert "ZeroDivisionError" in raises.value.message_ko
    with pytest.raises(ConfigurationError) as missing:
        load_registry(["city_not_there"])
    assert missing.value.code == "process.module_missing"


def test_a_module_without_processes_is_refused(modules: Path) -> None:
    (modules / "city_empty.py").write_text("PROCESS = None\n", encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        load_registry(["city_empty"])
    assert raised.value.code == "process.module_without_processes"
    assert "PROCESSES" in raised.value.message_ko
