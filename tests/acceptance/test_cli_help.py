"""Every help screen is Korean: no typer type names, no click English, every parameter explained.

The screens are drawn by the ``civicrpa`` entry point itself: the root and a few commands as
a subprocess, every other command in this process (fifty subprocesses would take a minute).
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer import _click
from typer.core import TyperGroup
from typer.main import get_command

from civicrpa.cli.help import value_name
from civicrpa.cli.main import app, main
from tests.support.cli import civicrpa, cli_env

#: What typer and click print when the help is theirs.
FOREIGN = re.compile(
    r"Usage:|Options|Arguments|Commands|Show this message|\[required\]|\[default|"
    r"<[a-z][\w \[\]]*>(?!/)|\{[a-z_]+\}|\b(?:TEXT|INTEGER|FLOAT|PATH|FILE|BOOLEAN|ROLE|NAME)\b"
)
HANGUL = re.compile(r"[가-힣]")


def _commands(
    command: _click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], _click.Command]]:
    yield path, command
    if isinstance(command, TyperGroup):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(get_command(app)))


def _help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as ended:
        main([*path, "--help"])
    assert ended.value.code == 0
    return capsys.readouterr().out


def _foreign(text: str) -> list[str]:
    return FOREIGN.findall(text)


def test_there_are_commands_to_check() -> None:
    paths = {" ".join(path) for path, _command in COMMANDS}
    assert {"", "queue", "queue show", "queue requeue", "run", "demo", "credentials set"} <= paths


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(path) or "civicrpa" for path, _ in COMMANDS]
)
def test_every_help_screen_is_korean(
    path: tuple[str, ...], command: _click.Command, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = _help(path, capsys)
    assert shown.startswith(f"사용법: civicrpa {' '.join(path)}".rstrip() + " "), shown
    assert not _foreign(shown), (_foreign(shown), shown)
    assert "이 도움말을 보여 줍니다." in shown
    ctx = _click.Context(command, info_name=path[-1] if path else "civicrpa")
    for param in command.get_params(ctx):
        if param is command.get_help_option(ctx):
            continue
        # Each argument and option is explained, under a Korean name for its value.
        assert getattr(param, "help", None), (path, param.name)
        assert HANGUL.search(getattr(param, "help", "") or ""), (path, param.name)
        if param.param_type_name == "argument":
            assert HANGUL.search(value_name(param)), (path, param.name)
            assert value_name(param) in shown


def test_a_help_screen_as_the_user_sees_it(tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})
    shown = civicrpa("queue", "show", "--help", env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "사용법: civicrpa queue show [옵션] 작업번호" in out
    assert re.search(r"작업번호\s+작업 번호", out)
    assert re.search(r"-r, --reason 사유\s+개인정보", out)
    listing = civicrpa("queue", "list", "--help", env=env, cwd=tmp_path).stdout
    assert "--limit 건수" in listing
    assert "(1~1,000) [기본: 20]" in listing
    demo = civicrpa("demo", "--help", env=env, cwd=tmp_path).stdout
    assert "--sandbox / --no-sandbox" in demo
    assert "[기본: --sandbox]" in demo
    root = civicrpa("--help", env=env, cwd=tmp_path).stdout
    assert "사용법: civicrpa [옵션] 명령 ..." in root
    assert re.search(r"queue\s+작업 대기열", root)
    assert not _foreign(out + listing + demo + root)


def _in_a_terminal(*args: str, env: dict[str, str], cwd: Path) -> str:
    """What ``civicrpa ARGS`` shows in a terminal (a pseudo-terminal, 100 columns)."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "civicrpa.cli.main", *args],
            env={**env, "COLUMNS": "100", "TERM": "xterm-256color"},
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) == 0, shown
    finally:
        os.close(leader)
    # The terminal's own line ends, and any colour a terminal would be sent, are not the text.
    return re.sub(r"\x1b\[[0-9;]*m", "", shown.decode()).replace("\r\n", "\n")


def test_flags_name_no_type_beside_them_in_a_terminal(tmp_path: Path) -> None:
    # `civicrpa --help` once showed `--version <bool>` and `--help <bool>`: typer's type name
    # for a flag, which takes no value at all.
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})
    root = _in_a_terminal("--help", env=env, cwd=tmp_path)
    lines = root.splitlines()
    assert re.fullmatch(r"--version\s+버전을 보여 줍니다\.", lines[lines.index("옵션") + 1]), root
    assert re.fullmatch(r"--help\s+이 도움말을 보여 줍니다\.", lines[lines.index("옵션") + 2]), root
    assert "<bool>" not in root
    assert not _foreign(root), root
    # A flag with an opposite names both and no value; an option with a value names its value.
    demo = _in_a_terminal("demo", "--help", env=env, cwd=tmp_path)
    assert re.search(r"^--sandbox / --no-sandbox\s+모의", demo, re.MULTILINE), demo
    assert "<bool>" not in demo
    assert not _foreign(demo), demo
