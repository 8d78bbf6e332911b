"""The Korean guides under ``docs/`` stay true: their commands work and the paths they cite exist.

How a guide marks its commands (docs/시작하기.md, 운영.md, 검토자_안내.md):

- In a block fenced ```` ```bash ````, every line that starts with ``civicrpa`` is a documented
  command (also after ``sudo``, as ``.venv/bin/civicrpa``, or after ``NAME=value`` settings; a
  line ending in ``\\`` goes on). Each must exist with every option it names: it is run with
  ``--help`` appended, which makes the command line parser read the whole line (an unknown
  command or option is refused with exit 2) and then show the help instead of acting. One
  ``civicrpa`` process runs all of them through the script's entry point
  (:func:`civicrpa.cli.main.main`): a process per line would spend a minute importing.
- A block fenced ```` ```bash run ```` is run for real as well, in the order of
  :data:`RUN_ORDER`, in one scratch data folder, each command exiting 0; ``$(id -un)`` stands
  for the account running the test, as the shell would make it. Its lines hold no placeholders.
- A block fenced ```` ```bash no-run ```` is not checked (other programs, files or accounts this
  machine does not have).

Every repository path cited in ``docs/*.md`` and ``README.md`` (a code span such as
``scripts/setup.sh`` or ``processes/sample/process.py``) must name a tracked file or folder, and
every ``civicrpa.…`` name an importable module or an object in one.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.cli import ME, REPO, become, civicrpa_ok, cli_env

DOCS = REPO / "docs"
GETTING_STARTED = DOCS / "시작하기.md"
OPERATIONS = DOCS / "운영.md"
REVIEWERS = DOCS / "검토자_안내.md"
GUIDES = (GETTING_STARTED, OPERATIONS, REVIEWERS)
#: The guides whose ``bash run`` blocks run, in this order: the administrator sets up and runs
#: the robot, then a reviewer decides (the operations guide's commands need a server's set-up).
RUN_ORDER = (GETTING_STARTED, REVIEWERS)
#: What the shell would put in place of these in a documented command.
SHELL_VALUES = {"$(id -un)": ME}

#: Cited paths known not to be in the repository (none: every citation must resolve).
NOT_IN_REPOSITORY: set[str] = set()
#: File endings of what civicrpa writes at run time (the data folder's database, logs, reports):
#: such names are examples, not citations.
_DATA_ENDINGS = {"jsonl", "json", "db", "xlsx", "csv", "log", "dump", "gz"}
#: File endings of what a citation of a repository file ends in.
_SOURCE_ENDINGS = {"py", "md", "toml", "sh", "cfg", "ini", "yml", "yaml", "html", "txt", "lock"}
#: Beginnings of paths that are not in the repository by nature: the data folder, the virtual
#: environment, absolute paths and URL paths.
_NOT_REPOSITORY_PREFIXES = ("var/", ".venv/", "./", "../", "/", "~")

_FENCE = re.compile(r"^```(?P<info>.*)$")
_SPAN = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\]\((?P<target>[^)\s#]+)[^)]*\)")
_PATH_LIKE = re.compile(r"[\w가-힣.\-/]+")
_DOTTED = re.compile(r"civicrpa(\.\w+)+")
_SETTING = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*")


@dataclass(frozen=True, kw_only=True)
class Command:
    """One documented ``civicrpa`` command line."""

    guide: str
    line_no: int
    text: str
    #: The arguments after ``civicrpa``.
    args: tuple[str, ...]
    #: ``NAME=value`` settings written before the command.
    settings: tuple[tuple[str, str], ...]
    #: In a ``bash run`` block: run for real.
    run: bool

    def where(self) -> str:
        return f"{self.guide}:{self.line_no}: {self.text}"


def _fenced_lines(path: Path) -> Iterator[tuple[str, int, str]]:
    """``(fence info, line number, line)`` for each line inside a fenced block of ``path``."""
    info: str | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = _FENCE.match(line.strip())
        if fence:
            info = fence["info"].strip() if info is None else None
        elif info is not None:
            yield info, number, line


def _joined(path: Path) -> Iterator[tuple[str, int, str]]:
    """Fenced lines with ``\\`` continuations joined (numbered by their first line)."""
    pending: tuple[str, int, str] | None = None
    for info, number, line in _fenced_lines(path):
        if pending is not None:
            info, number, line = pending[0], pending[1], pending[2] + " " + line.strip()
            pending = None
        if line.rstrip().endswith("\\"):
            pending = (info, number, line.rstrip()[:-1])
            continue
        yield info, number, line


def _command(path: Path, number: int, line: str, *, run: bool) -> Command | None:
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    words = shlex.split(text)
    settings: list[tuple[str, str]] = []
    while words and (words[0] == "sudo" or _SETTING.fullmatch(words[0])):
        word = words.pop(0)
        if word != "sudo":
            name, value = word.split("=", 1)
            settings.append((name, value))
    if not words or Path(words[0]).name != "civicrpa":
        return None
    args = tuple(SHELL_VALUES.get(word, word) for word in words[1:])
    return Command(
        guide=path.name, line_no=number, text=text, args=args, settings=tuple(settings), run=run
    )


def documented_commands(path: Path) -> list[Command]:
    """The ``civicrpa`` commands of ``path``'s ``bash`` and ``bash run`` blocks, in order."""
    commands = []
    for info, number, line in _joined(path):
        words = info.split()
        if not words or words[0] != "bash":
            continue
        mode = words[1] if len(words) > 1 else ""
        assert mode in ("", "run", "no-run"), f"{path.name}:{number}: unknown block ```{info}"
        if mode == "no-run":
            continue
        command = _command(path, number, line, run=mode == "run")
        if command is not None:
            commands.append(command)
    return commands


def _settings(command: Command, cwd: Path) -> Iterator[tuple[str, str]]:
    """The command's ``NAME=value`` settings, a data folder relative to ``cwd`` made absolute."""
    for name, value in command.settings:
        yield name, str(cwd / value) if name == "CIVICRPA_DATA_DIR" else value


def _env(base: Mapping[str, str], command: Command, cwd: Path) -> dict[str, str]:
    return {**base, **dict(_settings(command, cwd))}


def test_the_guides_mark_their_commands() -> None:
    for guide in GUIDES:
        commands = documented_commands(guide)
        assert commands, f"{guide.name} documents no civicrpa command"
        for command in commands:
            if command.run:
                assert not any("<" in arg for arg in command.args), command.where()
    assert any(c.run for c in documented_commands(GETTING_STARTED))
    assert any(c.run for c in documented_commands(REVIEWERS))


#: Runs each command line read from standard input (JSON: arguments and settings) with ``--help``
#: through the ``civicrpa`` script's entry point; writes one JSON line per command to the file
#: named by its argument: the exit code and what the command wrote to standard error.
_HELP_DRIVER = """
import contextlib, io, json, os, sys
from civicrpa.cli.main import main
answers = open(sys.argv[1], "w", encoding="utf-8")
for args, settings in json.load(sys.stdin):
    os.environ.update(settings)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            main([*args, "--help"])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:
            code, err = 99, io.StringIO(repr(exc))
    for name in settings:
        del os.environ[name]
    answers.write(json.dumps({"code": code, "stderr": err.getvalue()}) + "\\n")
answers.close()
"""


@pytest.mark.slow
def test_every_documented_command_and_option_exists(tmp_path: Path) -> None:
    env = cli_env({"CIVICRPA_DATA_DIR": str(tmp_path / "var")})
    commands = [c for guide in GUIDES for c in documented_commands(guide)]
    lines = [[list(c.args), dict(_settings(c, tmp_path))] for c in commands]
    result = subprocess.run(
        [sys.executable, "-c", _HELP_DRIVER, str(tmp_path / "answers.jsonl")],
        input=json.dumps(lines),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answered = (tmp_path / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    answers = [json.loads(line) for line in answered]
    assert len(answers) == len(commands), answered
    wrong = [
        f"{command.where()}\n  exit {answer['code']}: {answer['stderr'].strip()}"
        for command, answer in zip(commands, answers, strict=True)
        if answer["code"] != 0 or "Traceback" in answer["stderr"]
    ]
    assert not wrong, "\n".join(wrong)
    assert not list(tmp_path.glob("var/*")), "--help must not touch the data folder"


@pytest.mark.slow
def test_the_getting_started_and_reviewer_sequence_runs(tmp_path: Path) -> None:
    """The ``bash run`` blocks, offline and without a browser, as an administrator and then as
    a reviewer; then the robot finishes the item the reviewer corrected, as the guide says."""
    folder = tmp_path / "var"
    env = cli_env({"CIVICRPA_DATA_DIR": str(folder)})
    shown: dict[str, str] = {}
    for guide in RUN_ORDER:
        if guide is REVIEWERS:
            # The reviewer's own account, played by this one (the guide registered a second
            # administrator, so this account may change role).
            become(folder, "department_reviewer")
        for command in documented_commands(guide):
            if command.run:
                shown[" ".join(command.args)] = civicrpa_ok(
                    *command.args, env=_env(env, command, tmp_path), cwd=tmp_path
                )

    assert "담당자 검토" in shown["run sample_document_check"]
    assert "2025-0002" in shown["queue list"]
    assert "완료" in shown["queue show 1"]
    assert "1920-03-01" in shown["queue show 2 --reason 생년월일 확인"]
    assert "2025-0002" in shown["queue list --state 담당자 검토"]

    become(folder, "rpa_admin")
    civicrpa_ok("run", "sample_document_check", "--workers", "1", env=env, cwd=tmp_path)
    settled = civicrpa_ok("queue", "show", "2", env=env, cwd=tmp_path)
    assert "완료" in settled
    # The decision history: approved, with the corrected field named (its value is not shown).
    assert "승인" in settled
    assert "신청인 생년월일" in settled


def _tracked() -> set[str]:
    """Every tracked file and folder of the repository."""
    # -z: names as they are (Korean ones too), not quoted and escaped.
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    listed = [name for name in listed if name]
    known = set(listed)
    for name in listed:
        parts = name.split("/")
        known.update("/".join(parts[:end]) for end in range(1, len(parts)))
    return known


def _prose(path: Path) -> Iterator[str]:
    """The lines of ``path`` outside fenced blocks."""
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line.strip()):
            inside = not inside
        elif not inside:
            yield line


def _cited(path: Path) -> Iterator[str]:
    """The code spans of ``path``'s prose."""
    for line in _prose(path):
        yield from _SPAN.findall(line)


def _linked(path: Path) -> Iterator[str]:
    """The targets of ``path``'s links to files of the repository (not to the web)."""
    for line in _prose(path):
        for link in _LINK.finditer(line):
            if not re.match(r"[a-z]+:", link["target"]):
                yield link["target"]


def _ending(span: str) -> str:
    name = span.rstrip("/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name.lstrip(".") else ""


def _names_something(dotted: str) -> bool:
    """Whether ``civicrpa.a.b.C`` is a module, or an object reached from the longest module."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        module = ".".join(parts[:end])
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            target: object = importlib.import_module(module)
            for name in parts[end:]:
                if not hasattr(target, name):
                    return False
                target = getattr(target, name)
            return True
    return False


def test_every_cited_path_exists() -> None:
    known = _tracked()
    wrong = []
    for doc in [*sorted(DOCS.glob("*.md")), REPO / "README.md"]:
        for span in _cited(doc):
            ending = _ending(span)
            if ending in _DATA_ENDINGS:
                continue
            if _DOTTED.fullmatch(span):
                if not _names_something(span):
                    wrong.append(f"{doc.name}: `{span}` names no module or object")
                continue
            if not _PATH_LIKE.fullmatch(span) or span.startswith(_NOT_REPOSITORY_PREFIXES):
                continue
            if "/" not in span and ending not in _SOURCE_ENDINGS:
                continue
            cited = span.rstrip("/")
            # A citation may leave out the leading folders (``processes/x/rules.py``).
            if cited in NOT_IN_REPOSITORY or any(
                name == cited or name.endswith("/" + cited) for name in known
            ):
                continue
            wrong.append(f"{doc.name}: `{span}` is not in the repository")
        for target in _linked(doc):
            name = (doc.parent / target).resolve().relative_to(REPO).as_posix()
            if name not in known:
                wrong.append(f"{doc.name}: the link to {target} leads to no file")
    assert not wrong, "\n".join(wrong)
