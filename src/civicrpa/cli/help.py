"""Help screens in Korean: ``civicrpa queue show --help`` as a civil servant reads it.

Typer's own help shows its type names (``<int range>``, ``{item_id}``) and click's English
(``Usage:``, ``Options``, ``[required]``, ``Show this message and exit.``). Every command of
civicrpa is made with :class:`KoreanTyper`, whose commands draw their help here instead: the
usage line with Korean value names (``작업번호``), each argument and option with its help, its
default, its range, and whether it is required, all in Korean from the catalogue. Rich lays the
columns out, counting a Hangul syllable as two columns, as a terminal shows it.

Typer vendors click (``typer._click``) since 0.2x: its classes are the ones it builds and raises.
"""

from __future__ import annotations

import inspect
import io
import shutil
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer import _click
from typer.core import TyperCommand, TyperGroup

from civicrpa.core.messages import render

#: Widest help screen, even on a wide terminal: longer lines are hard to read.
_MAX_WIDTH = 100
#: A value's name in the usage line when its option or argument names none, by its type.
_TYPE_METAVARS: dict[Any, str] = {
    int: "수",
    float: "수",
    str: "값",
    Path: "파일",
    datetime: "시각",
    date: "날짜",
}


def _annotation(param: _click.Parameter) -> Any:
    """The parameter's Python type; a list's item type for options given several times."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if get_origin(annotation) in (list, tuple):
        return next(iter(get_args(annotation)), None)
    return annotation


def value_name(param: _click.Parameter) -> str:
    """What the usage line calls a parameter's value: its metavar, else a Korean type name."""
    if param.metavar:
        return param.metavar
    return _TYPE_METAVARS.get(_annotation(param), "값")


def _is_flag(param: _click.Parameter) -> bool:
    """Whether an option stands alone (``--version``, ``--sandbox / --no-sandbox``, a counter).

    Such an option takes no value, so its label names none: typer's own help writes its type
    (``--version <bool>``), which says nothing to a civil servant. A ``bool`` option is a flag
    whatever typer made of it.
    """
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return True
    return param.param_type_name == "option" and _annotation(param) is bool


def _is_help(param: _click.Parameter, command: _click.Command, ctx: _click.Context) -> bool:
    return param is command.get_help_option(ctx)


def _visible(params: Iterable[_click.Parameter]) -> list[_click.Parameter]:
    return [p for p in params if not getattr(p, "hidden", False)]


def _usage(command: _click.Command, ctx: _click.Context) -> str:
    pieces = [ctx.command_path, f"[{render('cli.help.options_piece')}]"]
    for param in _visible(command.get_params(ctx)):
        if param.param_type_name != "argument":
            continue
        name = value_name(param) + ("..." if param.nargs == -1 else "")
        pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append(render("cli.help.command_piece"))
    return f"{render('cli.help.usage')}: {' '.join(pieces)}"


def _paragraphs(text: str | None) -> list[str]:
    """A docstring's paragraphs, each joined into one line (the terminal wraps it again)."""
    cleaned = inspect.cleandoc(text or "")
    return [" ".join(block.split()) for block in cleaned.split("\n\n") if block.strip()]


def _number(value: float | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _extras(param: _click.Parameter) -> list[str]:
    """Range, default and "required" of one parameter, in Korean."""
    extras: list[str] = []
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        extras.append(render("cli.help.range", {"min": _number(low), "max": _number(high)}))
    elif low is not None:
        extras.append(render("cli.help.at_least", {"min": _number(low)}))
    elif high is not None:
        extras.append(render("cli.help.at_most", {"max": _number(high)}))
    default = _default(param)
    if default is not None:
        extras.append(render("cli.help.default", {"value": default}))
    if param.required and param.param_type_name == "option":
        extras.append(render("cli.help.required"))
    return extras


def _default(param: _click.Parameter) -> str | None:
    show = getattr(param, "show_default", False)
    if isinstance(show, str):
        return show
    value = param.default
    if not show or value is None or callable(value) or value in ((), [], ""):
        return None
    if _is_flag(param):
        if not param.secondary_opts:
            return None
        return param.opts[0] if value else param.secondary_opts[0]
    return _number(value) if isinstance(value, int | float) else str(value)


def _option_label(param: _click.Parameter) -> str:
    names = sorted(param.opts, key=lambda name: (name.startswith("--"), name))
    label = ", ".join(names)
    if param.secondary_opts:
        label += " / " + ", ".join(param.secondary_opts)
    if _is_flag(param):
        return label
    return f"{label} {value_name(param)}"


def _rows_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for name, text in rows:
        table.add_row(Text(name), Text(text))
    return table


def _command_rows(group: TyperGroup, ctx: _click.Context) -> list[tuple[str, str]]:
    rows = []
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        summary = sub.short_help or next(iter(_paragraphs(sub.help)), "")
        rows.append((name, summary))
    return rows


def render_help(command: _click.Command, ctx: _click.Context) -> str:
    """The whole help screen of ``command``, as text for the terminal."""
    width = min(shutil.get_terminal_size((80, 24)).columns, _MAX_WIDTH)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, emoji=False)
    console.print(Text(_usage(command, ctx)))
    for paragraph in _paragraphs(command.help):
        console.print()
        console.print(Text(paragraph))
    params = _visible(command.get_params(ctx))
    arguments = [
        (value_name(p), " ".join([getattr(p, "help", None) or "", *_extras(p)]).strip())
        for p in params
        if p.param_type_name == "argument"
    ]
    options = []
    for param in params:
        if param.param_type_name != "option":
            continue
        if _is_help(param, command, ctx):
            options.append((_option_label(param), render("cli.help.help_option")))
            continue
        text = " ".join([getattr(param, "help", None) or "", *_extras(param)]).strip()
        options.append((_option_label(param), text))
    sections: list[tuple[str, list[tuple[str, str]]]] = [
        (render("cli.help.arguments"), arguments),
        (render("cli.help.options"), options),
    ]
    if isinstance(command, TyperGroup):
        sections.append((render("cli.help.commands"), _command_rows(command, ctx)))
    for title, rows in sections:
        if rows:
            console.print()
            console.print(Text(title, style="bold"))
            console.print(_rows_table(rows), crop=False)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip().splitlines()) + "\n"


class KoreanCommand(TyperCommand):
    """A command whose ``--help`` is drawn by :func:`render_help`."""

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))


class KoreanGroup(TyperGroup):
    """A group of commands whose ``--help`` is drawn by :func:`render_help`."""

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))


class KoreanTyper(typer.Typer):
    """A :class:`typer.Typer` whose group and commands show their help in Korean."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", KoreanGroup)
        kwargs.setdefault("no_args_is_help", True)
        super().__init__(**kwargs)

    def command(  # type: ignore[override]
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return super().command(name, cls=cls or KoreanCommand, **kwargs)


__all__ = ["KoreanCommand", "KoreanGroup", "KoreanTyper", "render_help", "value_name"]
