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
    for name in sorted(cli.commands):
        sections += ["", f"## kg {name}", "", "```", _help(cli.commands[name], f"kg {name}"), "```"]
    return "\n".join(sections) + "\n"


def _help(command: click.Command, name: str) -> str:
    context = click.Context(command, info_name=name, terminal_width=WIDTH, max_content_width=WIDTH)
    return command.get_help(context)


if __name__ == "__main__":
    print(cli_reference(), end="")
