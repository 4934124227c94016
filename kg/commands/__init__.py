"""Commands of the ``kg`` CLI, one module per area; each module lists its commands in ``COMMANDS``.

``kg.cli`` adds the commands of every module here whose name does not start with ``_``.
Modules import only click at the top, and the heavy libraries inside the commands.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

FACTS_OPTION = click.option(
    "--facts", "facts_dir", default="facts", show_default=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of facts/*.yaml.",
)


class DataError(click.ClickException):
    """Invalid facts: printed one problem per line, exit code 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def run_build(facts_dir: Path):
    """Build the graph or stop with exit 1 and one line per problem."""
    from kg.build import build
    from kg.problems import FactsError

    try:
        result = build(facts_dir)
    except FactsError as error:
        count = len(error.problems)
        raise DataError(f"{error}\n{count} problem{'s' if count != 1 else ''} found") from None
    for warning in result.warnings:
        click.echo(f"{warning} (warning)", err=True)
    return result


def console(stream=None):
    """A rich console that fits a terminal, and does not wrap tables when writing to a pipe or a file."""
    from rich.console import Console

    stream = stream or sys.stdout
    return Console(file=stream, highlight=False, width=None if stream.isatty() else 10_000)


def print_table(columns: list[str], rows, title: str | None = None, stream=None) -> None:
    """A table of text cells; cell text is never read as rich markup (facts may contain "[...]")."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title)
    for index, column in enumerate(columns):
        table.add_column(escape(column), no_wrap=index < 2, overflow="fold")
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console(stream).print(table)


class Day(click.ParamType):
    """A day written YYYY-MM-DD, exactly as dates are written in the facts."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> dt.date:
        from kg.load import parse_day

        day = value if isinstance(value, dt.date) else parse_day(value)
        if day is None:
            self.fail(f"'{value}' is not a date (YYYY-MM-DD)", param, ctx)
        return day


DAY = Day()
