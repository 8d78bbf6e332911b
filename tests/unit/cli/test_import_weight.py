"""Starting ``civicrpa`` loads what a command line needs, not the web, browser or data stacks.

Every command, and every test that runs one as a subprocess, pays the import of
``civicrpa.cli.main``: the sandbox's web framework, the browser driver, the seed generator and
the spreadsheet library are loaded by the commands that use them, when they run. Measured in a
fresh interpreter, as an operator starts it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import cli_env

#: Loaded only by the commands that use them (and none is needed to show a help screen).
HEAVY = (
    "playwright",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "faker",
    "openpyxl",
    "celery",
    "kiwipiepy",
    "statsmodels",
)

#: Shows every help screen of the command line in one interpreter, then names what it loaded.
_EVERY_HELP_SCREEN = """
import contextlib, io, json, sys
from typer.core import TyperGroup
from typer.main import get_command
from civicrpa.cli.main import app, main

def paths(command, path=()):
    yield path
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from paths(sub, (*path, name))

for argv in [[], ["--version"], ["queue", "lst"], *([*p, "--help"] for p in paths(get_command(app)))]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(argv)
        except SystemExit:
            pass
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_by(code: str, tmp_path: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")}),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stdout.splitlines()[-1])
    return set(modules)


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


def _processes(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.startswith("civicrpa.processes"))


def test_importing_the_command_line_loads_nothing_heavy(tmp_path: Path) -> None:
    code = "import json, sys, civicrpa.cli.main; print(json.dumps(sorted(sys.modules)))"
    loaded = _loaded_by(code, tmp_path)
    assert "civicrpa.cli.main" in loaded
    assert not _heavy(loaded)
    # The processes are loaded by the commands that run them (the registry), not at start.
    assert not _processes(loaded)


def test_help_screens_and_usage_mistakes_stay_light(tmp_path: Path) -> None:
    loaded = _loaded_by(_EVERY_HELP_SCREEN, tmp_path)
    assert "civicrpa.cli.help" in loaded
    assert not _heavy(loaded)
    assert not _processes(loaded)


@pytest.mark.parametrize("module", HEAVY[:3])
def test_the_heavy_list_names_installed_packages(module: str) -> None:
    # Guards the tests above against passing because a name is misspelt.
    __import__(module)
