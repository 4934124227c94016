"""The CLI reference (docs/cli.md), generated from the real ``--help`` of every command.

Regenerate with ``make docs``; a test fails when docs/cli.md differs from this output.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

WIDTH = 100


def cli_reference() -> str:
    """Markdown with the help text of ``kg`` and of each of its commands, in name order."""
    from kg.cli import cli

    root = click.Context(cli, info_name="kg", terminal_width=WIDTH, max_content_width=WIDTH, **cli.context_settings)
    sections = ["# kg command reference", "",
                "Generated from `kg --help` and `kg COMMAND --help` by `make docs`; do not edit by hand.", "",
                "```", cli.get_help(root), "```"]
    for name, context in contexts(root):
        sections += ["", f"## {name}", "", "```", context.command.get_help(context), "```"]
    return "\n".join(sections) + "\n"


def contexts(parent: click.Context) -> Iterator[tuple[str, click.Context]]:
    """A context for every command below ``parent``'s group, with its full name; subcommands after their group."""
    group = parent.command
    for name in sorted(getattr(group, "commands", {})):
        context = click.Context(group.commands[name], info_name=name, parent=parent)
        yield context.command_path, context
        yield from contexts(context)


if __name__ == "__main__":
    print(cli_reference(), end="")
