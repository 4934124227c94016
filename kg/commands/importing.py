"""Commands that import published lists into their own files: ``kg import csl``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kg.commands import DAY, FACTS_OPTION, DataError


class ImportFailed(DataError):
    """An import that stopped: the message is printed as-is, with the exit code of its cause (1 data, 2 file)."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


@click.group("import")
def import_group() -> None:
    """Import published lists into exports/imports/, kept apart from the curated facts.

    Example: kg import csl consolidated.csv --retrieved 2026-11-25
    """


@import_group.command("csl")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@FACTS_OPTION
@click.option("--matches", "matches_file", default="facts/matches.yaml", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Reviewed links: curated actor slug ↔ list entry id (ignored when missing).")
@click.option("--out", "out_dir", default="exports/imports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write csl.nt to.")
@click.option("--strict", is_flag=True, help="Stop at malformed rows (exit 1, nothing written) instead of skipping them.")
@click.option("--retrieved", type=DAY,
              help="Day the file was downloaded [default: the file's modification day].")
def csl(file: Path, facts_dir: Path, matches_file: Path, out_dir: Path, strict: bool, retrieved: dt.date | None) -> None:
    """Import the Consolidated Screening List (CSV or JSON, as trade.gov publishes it) into OUT/csl.nt.

    Each row becomes a listed party and its listing, dated by start_date and cited to its Federal
    Register notices and to FILE (with FILE's SHA-256). Malformed rows are reported with their row
    number and skipped; nothing is written unless the import succeeds.

    Example: kg import csl consolidated.csv --retrieved 2026-11-25
    """
    from rich.console import Console
    from rich.progress import track

    from kg.csl import CslError, curated_index, import_csl, load_matches, write_import

    console = Console(stderr=True)
    try:
        actors, jurisdictions = curated_index(facts_dir)
        matches = load_matches(matches_file, actors)
        result = import_csl(
            file, matches, jurisdictions, strict, retrieved,
            track=lambda entries: track(entries, description="importing", console=console, transient=True,
                                        disable=not console.is_terminal),
        )
    except CslError as error:
        raise ImportFailed(str(error), error.exit_code) from None
    for problem in result.problems:
        click.echo(f"{file}: {problem} (skipped)", err=True)
    for entry in result.unused_matches:
        click.echo(f"{matches_file}: entry {entry} (matched to '{matches[entry]}') is not in {file}", err=True)
    path = write_import(result, out_dir)
    click.echo(result.summary())
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


COMMANDS = [import_group]
