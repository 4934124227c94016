"""Commands that publish to a SPARQL server: ``kg push``."""

from __future__ import annotations

import os
from pathlib import Path

import click

PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"
CREDENTIAL_OPTIONS = (
    click.option("--user", envvar="KG_ENDPOINT_USER", help="User name (or set KG_ENDPOINT_USER)."),
    click.option("--password-env", default=PASSWORD_ENV, show_default=True, metavar="VAR",
                 help="Environment variable that holds the password (never pass it on the command line)."),
)


def credential_options(command):
    """Add --user and --password-env to a command."""
    for option in reversed(CREDENTIAL_OPTIONS):
        command = option(command)
    return command


def credentials(user: str | None, password_env: str):
    """The login for ``user``, with the password read from the environment; None without a user."""
    from kg.remote import Credentials

    return Credentials(user, _password(password_env)) if user else None


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL Update endpoint, e.g. Virtuoso's http://localhost:8890/sparql-auth.")
@click.option("--store", metavar="URL",
              help="Graph Store endpoint. [default: Virtuoso's /sparql-graph-crud-auth for an endpoint ending in "
                   "/sparql or /sparql-auth, else the endpoint itself]")
@click.option("--graph", "graph_iri", metavar="IRI",
              help="Named graph to replace. [default: https://w3id.org/techpolicy-kg/graph]")
@credential_options
@click.option("--exports", "exports_dir", default="exports", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder written by 'kg build'.")
@click.option("--with-imports", is_flag=True, help="Also upload the imported lists, exports/imports/*.nt.")
@click.option("--batch-size", default=50_000, show_default=True, type=click.IntRange(min=1),
              help="Triples per upload request.")
def push(endpoint: str, store: str | None, graph_iri: str | None, user: str | None, password_env: str,
         exports_dir: Path, with_imports: bool, batch_size: int) -> None:
    """Replace a named graph on a SPARQL server with the exports and the ontology (Graph Store Protocol, then one MOVE).

    The triples go to a temporary graph first; the named graph is replaced only once all of them are
    uploaded, so a failed or interrupted push leaves the previous graph as it was.

    Example: KG_ENDPOINT_PASSWORD=dba kg push --endpoint http://localhost:8890/sparql-auth --user dba
    """
    from rich.console import Console
    from rich.progress import Progress

    from kg.remote import RemoteError
    from kg.remote import push as push_graph

    files = _export_files(exports_dir, with_imports)
    login = credentials(user, password_env)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("uploading", total=None)

        def show(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description="uploading" if done < total else "replacing the graph")

        try:
            pushed = push_graph(files, endpoint, graph_iri, store=store, credentials=login, batch_size=batch_size,
                                progress=show)
        except RemoteError as error:
            raise click.ClickException(str(error)) from None
    requests = f"{pushed.batches} request{'s' if pushed.batches != 1 else ''}"
    click.echo(f"replaced <{pushed.graph}> with {pushed.triples:,} triples ({requests}) at {endpoint}")


def _export_files(exports_dir: Path, with_imports: bool) -> list[Path]:
    curated = exports_dir / "techpolicy.nt"
    if not curated.is_file():
        raise click.UsageError(f"{curated} not found: run 'kg build' first")
    from kg.build import import_files
    from kg.schema import ontology_dir

    imports = import_files(exports_dir / "imports") if with_imports else []
    if with_imports and not imports:
        raise click.UsageError(f"--with-imports: no {exports_dir / 'imports'}/*.nt to upload (run 'kg import' first)")
    return [curated, ontology_dir() / "techpolicy.ttl", *imports]  # the ontology too, for rdfs:subClassOf* questions


def _password(variable: str) -> str:
    password = os.environ.get(variable)
    if password is None:
        raise click.UsageError(f"--user needs a password in the environment variable {variable}")
    return password


COMMANDS = [push]
