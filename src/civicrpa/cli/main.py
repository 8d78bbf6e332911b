"""``civicrpa``: the command line of the RPA team.

Mistakes (a wrong process name, a bad file, an unmigrated database) end in one Korean line and
exit code 2, never a traceback; a traceback means a bug and is worth a report.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from civicrpa.cli import (
    commands_audit,
    commands_credentials,
    commands_db,
    commands_demo,
    commands_keys,
    commands_privacy,
    commands_queue,
    commands_run,
    commands_sandbox,
    commands_schedule,
    commands_users,
)
from civicrpa.cli.console_output import err_console
from civicrpa.core.errors import CivicRpaError

app = typer.Typer(
    name="civicrpa",
    help="civicrpa: 지자체 행정업무 자동화 로봇(RPA) 플랫폼",
    no_args_is_help=True,
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


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="버전을 보여 줍니다.")] = False,
) -> None:
    if version:
        from civicrpa import __version__

        typer.echo(__version__)
        raise typer.Exit()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``civicrpa`` script."""
    try:
        app(args=argv)
    except CivicRpaError as exc:
        err_console.print(f"[bold red]오류:[/] {exc.message_ko}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("중단했습니다.")
        sys.exit(130)


if __name__ == "__main__":
    main()
