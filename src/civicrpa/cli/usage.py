"""Usage mistakes (a mistyped option, a missing argument, a bad number) said in one Korean line.

Click raises them in English (``No such option: --wrokers``) with the facts attached: the
option, the parameter, the close matches. This module turns those facts into the catalogue's
Korean sentence, naming a parameter as the help screen does (:func:`civicrpa.cli.help.value_name`)
and ending with where to read the command's help.
"""

from __future__ import annotations

import difflib
import re

from typer import _click
from typer._click import exceptions as click_errors

from civicrpa.cli.help import value_name
from civicrpa.core.messages import render

_NO_SUCH_COMMAND = re.compile(r"^No such command '(?P<name>[^']*)'")
_EXTRA_ARGUMENTS = re.compile(r"unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)")
_INTEGER_TYPES = (int,)


def _suggestion(name: str, candidates: list[str]) -> str:
    matches = difflib.get_close_matches(name, candidates, n=2)
    if not matches:
        return ""
    listed = " 또는 ".join(f"'{match}'" for match in matches)
    return " " + render("cli.did_you_mean", {"suggestion": listed})


def _param_name(param: _click.Parameter) -> str:
    if param.param_type_name == "argument":
        return value_name(param)
    return f"'{max(param.opts, key=len)}'"


def _expected(param: _click.Parameter) -> str:
    """What a parameter's value must be, in Korean, from its declared type and bounds."""
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    choices = getattr(descriptor, "choices", None)
    if choices:
        return render("cli.expected_choice", {"choices": ", ".join(map(str, choices))})
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return render("cli.expected_range", {"min": low, "max": high})
    if low is not None:
        return render("cli.expected_at_least", {"min": low})
    if high is not None:
        return render("cli.expected_at_most", {"max": high})
    if annotation in _INTEGER_TYPES:
        return render("cli.expected_integer")
    if annotation is float:
        return render("cli.expected_number")
    return render("cli.expected_value")


def _sentence(exc: click_errors.UsageError) -> str:
    ctx = exc.ctx
    if isinstance(exc, click_errors.NoSuchOption):
        candidates = [] if ctx is None else [o for p in ctx.command.params for o in p.opts]
        candidates += (
            [] if ctx is None else [o for p in ctx.command.params for o in p.secondary_opts]
        )
        return render("cli.no_such_option", {"option": exc.option_name}) + _suggestion(
            exc.option_name, [*candidates, "--help"]
        )
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        param = exc.param
        help_text = getattr(param, "help", None) or value_name(param)
        if param.param_type_name == "argument":
            return render("cli.missing_argument", {"name": value_name(param), "help": help_text})
        return render("cli.missing_option", {"option": max(param.opts, key=len), "help": help_text})
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        return render(
            "cli.bad_value", {"name": _param_name(exc.param), "expected": _expected(exc.param)}
        )
    if isinstance(exc, click_errors.BadOptionUsage):
        return render("cli.option_needs_value", {"option": exc.option_name})
    found = _NO_SUCH_COMMAND.search(exc.message)
    if found and ctx is not None:
        known = ctx.command.list_commands(ctx) if hasattr(ctx.command, "list_commands") else []
        name = found.group("name")
        suggestion = _suggestion(name, known)
        listed = " " + render("cli.known_commands", {"known": ", ".join(known)})
        return render("cli.no_such_command", {"name": name}) + (suggestion or listed)
    if exc.message == "Missing command." and ctx is not None:
        known = ctx.command.list_commands(ctx) if hasattr(ctx.command, "list_commands") else []
        return (
            render("cli.missing_command")
            + " "
            + render("cli.known_commands", {"known": ", ".join(known)})
        )
    extra = _EXTRA_ARGUMENTS.search(exc.message)
    if extra:
        return render("cli.extra_arguments", {"args": extra.group("args")})
    return render("cli.usage_invalid")


def usage_line(exc: click_errors.UsageError) -> str:
    """The one Korean line for a usage mistake, ending with where its help is."""
    command = exc.ctx.command_path if exc.ctx is not None else "civicrpa"
    return f"{_sentence(exc)} {render('cli.help_hint', {'command': command})}"


__all__ = ["usage_line"]
