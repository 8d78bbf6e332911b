"""The sandbox's list of systems: kept once, and a system that cannot load is an error."""

from __future__ import annotations

import sys

import pytest

from civicrpa.core.errors import ConfigurationError
from civicrpa.sandbox.common import config
from civicrpa.sandbox.common.systems import (
    DEFAULT_PORTS,
    SYSTEM_NAMES,
    SystemUnavailable,
    check_systems,
    load_spec,
    module_of,
)
from civicrpa.sandbox.server import available_systems


def test_every_listed_system_loads_under_its_own_name() -> None:
    assert available_systems() == list(SYSTEM_NAMES)
    assert [load_spec(name).name for name in SYSTEM_NAMES] == list(SYSTEM_NAMES)


def test_the_ports_follow_the_list_and_are_the_ones_config_gives() -> None:
    # 8101 for the first system, one more for each after it (the README's addresses).
    assert DEFAULT_PORTS == {
        "intake": 8101,
        "resident_registry": 8102,
        "finance": 8103,
        "hr_attendance": 8104,
        "homepage_cms": 8105,
        "library": 8106,
    }
    assert config.DEFAULT_PORTS is DEFAULT_PORTS


def test_a_name_not_in_the_list_has_no_module() -> None:
    with pytest.raises(KeyError):
        module_of("tax_office")


def _without(monkeypatch: pytest.MonkeyPatch, module: str, system: str) -> None:
    """Make ``module`` unimportable and forget ``system``'s modules, so that they import again.

    Everything is put back after the test: the modules and their parents' attributes (an
    import binds a submodule to its package).
    """
    package = f"civicrpa.sandbox.{system}"
    loaded = [m for m in sys.modules if m == package or m.startswith(f"{package}.")]
    for name in sorted(loaded, reverse=True):  # submodules before their package
        parent, _, child = name.rpartition(".")
        monkeypatch.setattr(sys.modules[parent], child, sys.modules[name], raising=False)
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, module, None)  # ``import`` now raises ModuleNotFoundError


def test_a_missing_dependency_names_the_system_and_the_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # HR counts public holidays with the ``holidays`` package.
    _without(monkeypatch, "holidays", "hr_attendance")
    with pytest.raises(SystemUnavailable) as raised:
        available_systems()
    error = raised.value
    assert error.missing == {"hr_attendance": "holidays"}
    assert isinstance(error, ConfigurationError)  # the CLI stops with one line
    detail = "sandbox systems cannot be loaded (hr_attendance needs 'holidays'): not installed"
    assert str(error) == detail
    assert error.message_ko.startswith("모의 시스템을 띄울 수 없습니다.")
    assert "hr_attendance(holidays)" in error.message_ko
    assert isinstance(error.__cause__, ModuleNotFoundError)
    # The other systems still load on their own.
    assert check_systems(["intake", "library"]) == ["intake", "library"]


def test_every_system_that_cannot_load_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    _without(monkeypatch, "civicrpa.sandbox.library.system", "library")
    _without(monkeypatch, "holidays", "hr_attendance")
    with pytest.raises(SystemUnavailable) as raised:
        check_systems(SYSTEM_NAMES)
    assert raised.value.missing == {
        "hr_attendance": "holidays",
        "library": "civicrpa.sandbox.library.system",
    }
