"""``civicrpa``: the command line of the RPA team.

Mistakes (a wrong process name, a bad file, an unmigrated database) end in one Korean line and
exit code 2, never a traceback; a traceback means a bug and is worth a report.
"""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer
from rich.markup import escape
from sqlalchemy.exc import OperationalError
from typer._click import exceptions as click_errors
from typer.main import get_command

from civicrpa.cli import (
    commands_audit,
    commands_credentials,
    commands_db,
    commands_demo,
    commands_keys,
    commands_privacy,
    commands_produce,
    commands_queue,
    commands_queue_files,
    commands_report,
    commands_run,
    commands_sandbox,
    commands_schedule,
    commands_users,
)
from civicrpa.cli.app import database_unreachable, error_line
from civicrpa.cli.console_output import err_console
from civicrpa.cli.help import KoreanTyper
from civicrpa.cli.usage import usage_line
from civicrpa.core.errors import CivicRpaError
from civicrpa.core.messages import render

app = KoreanTyper(
    name="civicrpa",
    help="civicrpa: 지자체 행정업무 자동화 로봇(RPA) 플랫폼",
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(commands_db.app, name="db")
app.add_typer(commands_queue.app, name="queue")
app.add_typer(commands_schedule.app, name="schedule")
app.add_typer(commands_sandbox.app, name="sandbox")
app.add_typer(commands_audit.app, name="audit")
app.add_typer(commands_keys.app, name="keys")
app.add_typer(commands_credentials.app, name="credentials")
app.add_typer(commands_privacy.app, name="privacy")
app.add_typer(commands_users.app, name="users")
app.command("run")(commands_run.run)
app.command("worker")(commands_run.worker)
app.command("demo")(commands_demo.demo)
app.command("produce")(commands_produce.produce)
app.command("report")(commands_report.report)
commands_queue.app.command("export")(commands_queue_files.export)
commands_queue.app.command("artifact")(commands_queue_files.artifact)


def _show_version(value: bool) -> None:
    if value:
        from civicrpa import __version__

        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="버전을 보여 줍니다.", is_eager=True, callback=_show_version
        ),
    ] = False,
) -> None:
    """civicrpa: 지자체 행정업무 자동화 로봇(RPA) 플랫폼"""


def _refuse(line: str) -> NoReturn:
    """One Korean line on standard error, exit code 2: what a mistake ends in."""
    err_console.print(f"[bold red]오류:[/] {escape(line)}", highlight=False, soft_wrap=True)
    sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``civicrpa`` script."""
    command = get_command(app)
    try:
        code = command.main(args=argv, prog_name="civicrpa", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help(), err=True)
        sys.exit(2)
    except click_errors.UsageError as exc:
        _refuse(usage_line(exc))
    except CivicRpaError as exc:
        _refuse(error_line(exc))
    except typer.Abort:
        err_console.print(render("cli.aborted"))
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print(render("cli.interrupted"))
        sys.exit(130)
    except OperationalError as exc:  # the database went away in the middle of a command
        _refuse(error_line(database_unreachable(exc)))
    except PermissionError as exc:  # another account's data folder, database or key ring
        _refuse(render("cli.permission_denied", {"path": exc.filename or "-"}))
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
