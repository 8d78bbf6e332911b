"""The structure STYLE.md §2 describes, held by tests rather than by memory.

Which way imports go is written as import-linter contracts in ``pyproject.toml``
(``[tool.importlinter]``; ``lint-imports`` shows the same report): the layers, the sandbox
reached only through a browser or HTTP, and pure rule and decision modules. What import-linter
cannot say is checked here from the source: ``cli/`` assembles the app and names no process,
so what it shows of one comes from its ``Process`` declaration (cf. httpx
``tests/test_exported_members.py``, a structure kept by a test).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

from civicrpa.runtime.registry import BUILTIN_MODULE, load_registry

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "src" / "civicrpa" / "cli"
#: The one module of ``civicrpa.processes`` the command line may import: the runtime's own.
BUILTIN = BUILTIN_MODULE


def test_imports_follow_the_contracts_in_pyproject(capsys: pytest.CaptureFixture[str]) -> None:
    # no_cache: import-linter would otherwise leave a cache folder in the working tree.
    code = lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True)
    report = capsys.readouterr().out
    assert code == 0, report


def _process_names() -> set[str]:
    """The names of the processes this package offers, less the runtime's own."""
    builtin = {process.name for process in load_registry([])}
    return {process.name for process in load_registry(["civicrpa.processes"])} - builtin


def _imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every module an import statement names, at any depth (function-local ones too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            yield node.lineno, node.module
            if node.module in ("civicrpa", "civicrpa.processes"):  # from a package, a module
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"


def _names_a_process_module(module: str) -> bool:
    if module == "civicrpa.processes":  # the package imports every process it offers
        return True
    return module.startswith("civicrpa.processes.") and not (
        module == BUILTIN or module.startswith(f"{BUILTIN}.")
    )


def _cli_findings() -> dict[str, dict[str, list[str]]]:
    names = _process_names()
    findings: dict[str, dict[str, list[str]]] = {}
    for path in sorted(CLI.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found: dict[str, list[str]] = {}
        imports = [
            f"line {line}: {module}"
            for line, module in _imported(ast.parse(text))
            if _names_a_process_module(module)
        ]
        if imports:
            found["imports"] = imports
        named = [
            f"line {number}: {name}"
            for number, line in enumerate(text.splitlines(), start=1)
            for name in sorted(names)
            if name in line
        ]
        if named:
            found["names"] = named
        if found:
            findings[path.name] = found
    return findings


def test_there_are_processes_to_look_for() -> None:
    # Guards the test below against passing because it looks for nothing.
    assert {"childbirth_incentive", "sample_document_check"} <= _process_names()


def test_the_command_line_names_no_process() -> None:
    found = _cli_findings()
    assert not found, (
        "cli/ assembles the app and never names a process: what it shows of one comes from "
        f"its Process declaration (STYLE.md §2). Found: {found}"
    )


def test_the_check_sees_a_function_local_import() -> None:
    source = (
        "from civicrpa.processes import builtin\n"
        "def demo():\n"
        "    from civicrpa.processes.sample.process import seed_applications\n"
        "    from civicrpa.processes import childbirth_incentive\n"
    )
    modules = [module for _line, module in _imported(ast.parse(source))]
    assert [m for m in modules if _names_a_process_module(m)] == [
        "civicrpa.processes",
        "civicrpa.processes.sample.process",
        "civicrpa.processes",
        "civicrpa.processes.childbirth_incentive",
    ]
