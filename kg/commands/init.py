"""``kg init``: scaffold a new facts folder."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a facts folder with an example actor, event and source that validate at once.

    Example: kg init my-policy-graph/facts && kg build --facts my-policy-graph/facts --out my-policy-graph/exports
    """
    from kg.scaffold import init_facts

    try:
        written = init_facts(directory)
    except FileExistsError as error:
        raise click.UsageError(str(error)) from None
    for path in written:
        click.echo(f"wrote {path}")


COMMANDS = [init]
