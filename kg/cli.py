"""The ``kg`` command line: a thin shell over the kg package.

Exit codes: 0 ok, 1 invalid facts (or stale exports with --check), 2 usage or load errors.
Heavy libraries (rdflib, pySHACL, pyvis) are imported inside the commands, so ``kg --help`` is instant.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from kg import __version__, commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kg")
def cli() -> None:
    """techpolicy-kg: a cited knowledge graph of tech-policy actions around Huawei and 5G.

    Example: kg build && kg query --named restrictions-in-force --param date=2020-01-01
    """


for _module in pkgutil.iter_modules(commands.__path__):
    if not _module.name.startswith("_"):
        for _command in importlib.import_module(f"kg.commands.{_module.name}").COMMANDS:
            cli.add_command(_command)


def main() -> None:
    """Run the CLI; a file or folder that cannot be read or written ends in one line and exit code 2."""
    try:
        cli(prog_name="kg")
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        click.echo(f"Error: {error.strerror or error}{where}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
