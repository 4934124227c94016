"""The interactive HTML view: ``kg view``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kg.commands import DAY, FACTS_OPTION, run_build


@click.command()
@FACTS_OPTION
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write. [default: exports/graph.html for the whole graph, graph.html with a filter]")
@click.option("--focus", metavar="NAME", help="Show only the nodes around this one (its slug, label or alias).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=0),
              help="With --focus: how many edges away from it to go.")
@click.option("--types", "types", metavar="CLASS", multiple=True,
              help="Show only nodes of this class or its subclasses (repeatable), e.g. --types Company --types Action.")
@click.option("--as-of", "as_of", type=DAY,
              help="Show the graph as of this day (YYYY-MM-DD): earlier events and the edges in force then.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
def view(facts_dir: Path, out_file: Path, focus: str | None, depth: int, types: tuple[str, ...],
         as_of: dt.date | None, open_page: bool) -> None:
    """Write the graph as one interactive HTML page that works offline.

    Search by label or alias, filter by class and relation, drag the date slider to see the graph
    as of a day, hover for dates, identifiers, quotes and sources, click to highlight neighbours.

    Example: kg view --focus huawei --depth 1 --as-of 2020-01-01 --open
    """
    from kg.build import write_exports
    from kg.resolve import UnknownName, resolve
    from kg.view import around, of_types, render_html, view_model, visible_as_of

    model = view_model(run_build(facts_dir).graph)
    filtered = bool(focus or types or as_of)
    out_file = out_file or Path("graph.html" if filtered else "exports/graph.html")  # kg build owns the full page
    try:
        model = of_types(model, list(types)) if types else model
        if focus:
            slug = resolve(focus, {n.id: [n.label, *n.aliases] for n in model.nodes}, "node")
            model = around(model, slug, depth)
    except (ValueError, UnknownName) as error:
        raise click.UsageError(str(error)) from None
    model = visible_as_of(model, as_of) if as_of else model
    path, = write_exports({out_file.name: render_html(model).encode("utf-8")}, out_file.parent)
    click.echo(f"wrote {path} ({len(model.nodes)} nodes, {len(model.edges)} edges)")
    if open_page:
        click.launch(str(path))


COMMANDS = [view]
