"""The CLI reference (docs/cli.md), generated from the real ``--help`` of every command.

Regenerate with ``make docs``; a test fails when docs/cli.md differs from this output.
"""

from __future__ import annotations

import click

WIDTH = 100


def cli_reference() -> str:
    """Markdown with the help text of ``kg`` and of each of its commands, in name order."""
    from kg.cli import cli

    sections = ["# kg command reference", "",
                "Generated from `kg --help` and `kg COMMAND --help` by `make docs`; do not edit by hand.", "",
                "```", _help(cli, "kg"), "```"]
    for name, command in commands_of(cli, "kg"):
        sections += ["", f"## {name}", "", "```", _help(command, name), "```"]
    return "\n".join(sections) + "\n"


def commands_of(group: click.Group, prefix: str):
    """Every command below ``group`` with its full name, subcommands after their group."""
    for name in sorted(group.commands):
        command = group.commands[name]
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands_of(command, f"{prefix} {name}")


def _help(command: click.Command, name: str) -> str:
    context = click.Context(command, info_name=name, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(context)


if __name__ == "__main__":
    print(cli_reference(), end="")
