"""Commands that build and check the graph: ``kg build``, ``kg validate``, ``kg stats``."""

from __future__ import annotations

from pathlib import Path

import click

from kg.commands import FACTS_OPTION, DataError, print_table, run_build

@click.command()
@FACTS_OPTION
@click.option("--out", "out_dir", default="exports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the exports to.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any export is missing or stale.")
@click.option("--with-imports", is_flag=True, help="Add the imported lists (OUT/imports/*.nt, from 'kg import') to the graph.")
def build(facts_dir: Path, out_dir: Path, check: bool, with_imports: bool) -> None:
    """Validate the facts and write every export (Turtle, N-Triples, JSON-LD, CSV, ...).

    Nothing is written unless the whole build succeeds; files are replaced atomically.

    Example: kg build --facts facts --out exports
    """
    from kg.build import add_imports, export_files, import_files, stale_exports, write_exports

    graph = run_build(facts_dir).graph
    imports = import_files(out_dir / "imports") if with_imports else []
    add_imports(graph, imports)
    files = export_files(graph, facts_dir, imports)
    if check:
        stale = stale_exports(files, out_dir)
        if stale:
            raise DataError(f"stale exports in {out_dir}/ (run 'kg build'): {', '.join(stale)}")
        click.echo(f"{len(files)} exports in {out_dir}/ are up to date", err=True)
        return
    for path in write_exports(files, out_dir):
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@click.command()
@FACTS_OPTION
def validate(facts_dir: Path) -> None:
    """Check the facts (YAML, schema, references, SHACL) without writing anything.

    Example: kg validate --facts facts
    """
    result = run_build(facts_dir)
    click.echo(f"ok: {len(result.records)} records, {len(result.graph)} triples", err=True)


@click.command()
@FACTS_OPTION
def stats(facts_dir: Path) -> None:
    """Count nodes by class and triples by property.

    Example: kg stats
    """
    from kg.stats import graph_stats

    counts = graph_stats(run_build(facts_dir).graph)
    for title, rows in (("class", counts.classes), ("property", counts.properties)):
        print_table([title, "count"], [[name, str(count)] for name, count in rows], f"by {title}")


COMMANDS = [build, validate, stats]
