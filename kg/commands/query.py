"""Commands that ask the graph questions: ``kg query``, ``kg queries``, ``kg serve``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kg.commands import DAY, FACTS_OPTION, DataError, print_table, run_build
from kg.commands.remote import credential_options, credentials

EXPORTS_OPTION = click.option(
    "--exports", "exports_dir", default="exports", show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the built exports; the graph is rebuilt in memory when they are missing or stale.",
)
AS_OF_OPTION = click.option(
    "--as-of", "as_of_day", type=DAY,
    help="Answer as the world stood that day: later events are absent, and only edges in force that day remain.",
)
ENGINE_OPTIONS = (
    click.option("--engine", type=click.Choice(["auto", "rdflib", "oxigraph"]), default="auto", show_default=True,
                 help="SPARQL engine: auto picks oxigraph for a store or a large graph, else rdflib."),
    click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                 help="Keep an oxigraph store on disk here, loaded once and reused while the exports are unchanged."),
    click.option("--with-imports", is_flag=True, help="Include the imported lists (EXPORTS/imports/*.nt, from 'kg import')."),
)


def engine_options(command):
    for option in reversed(ENGINE_OPTIONS):
        command = option(command)
    return command


FORMATS = {"table": None, "csv": "csv", "tsv": "tsv", "json": "json", "xml": "xml",
           "turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


def load_graph(facts_dir: Path, exports_dir: Path, as_of_day: dt.date | None = None, with_imports: bool = False):
    """The graph from the exports when they are up to date, else built in memory (say which on stderr), with
    the ontology beside it so that ``?class rdfs:subClassOf* tp:Action`` and the like can be asked."""
    from kg.build import add_imports, import_files
    from kg.query import EXPORT_NAME, as_of, current_export, read_export
    from kg.schema import load_schema

    export = current_export(facts_dir, exports_dir)
    if export:
        click.echo(f"reading {export}", err=True)
        graph = read_export(export)
    else:
        click.echo(f"{exports_dir / EXPORT_NAME} was not built from {facts_dir}/ as it is now: building in memory", err=True)
        graph = run_build(facts_dir).graph
    if with_imports:
        add_imports(graph, import_files(exports_dir / "imports"))
    for triple in load_schema().ontology:
        graph.add(triple)
    return as_of(graph, as_of_day) if as_of_day else graph


def load_engine(facts_dir: Path, exports_dir: Path, as_of_day, with_imports: bool, engine: str, store_dir: Path | None):
    """An engine over the graph. Up-to-date exports go to the engine as files (oxigraph parses them itself);
    an as-of view or stale exports go through an rdflib graph first."""
    from kg.build import import_files
    from kg.engine import EngineError, open_engine
    from kg.query import current_export
    from kg.schema import ontology_dir

    export = current_export(facts_dir, exports_dir)
    try:
        if export and not as_of_day:
            click.echo(f"reading {export}", err=True)
            imports = import_files(exports_dir / "imports") if with_imports else []
            files = [export, ontology_dir() / "techpolicy.ttl", *imports]
            return open_engine(engine, files, store_dir)
        return open_engine(engine, load_graph(facts_dir, exports_dir, as_of_day, with_imports), store_dir)
    except EngineError as error:
        raise DataError(str(error)) from None


@click.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file ('-' for stdin).")
@click.option("-n", "--named", metavar="NAME", help="Run a named question (see 'kg queries').")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A named question's parameter; repeatable.")
@AS_OF_OPTION
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)),
              help="Output format [default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE].")
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True), help="Write to FILE ('-' is stdout).")
@click.option("--exit-status", is_flag=True, help="For ASK: exit 0 when true and 1 when false.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Seconds before the query is stopped.")
@click.option("--max-rows", default=100, show_default=True, type=click.IntRange(min=0), help="Rows shown by the table format (0: all).")
@FACTS_OPTION
@EXPORTS_OPTION
@engine_options
@click.option("--endpoint", metavar="URL", help="Ask a remote SPARQL endpoint (e.g. a Virtuoso 'kg push' loaded) instead.")
@click.option("--graph", "graph_iri", metavar="IRI", help="With --endpoint: the named graph to query. [default: the one 'kg push' writes]")
@credential_options
def query(sparql, query_file, named, params, as_of_day, output_format, output, exit_status, timeout, max_rows,
          facts_dir, exports_dir, engine, store_dir, with_imports, endpoint, graph_iri, user, password_env) -> None:
    """Run a read-only SPARQL query, or a named question, against the graph (or a remote endpoint).

    The prefixes tp:, tpid:, rdf:, rdfs:, xsd:, owl:, skos:, dcterms:, prov:, schema: and org: are predeclared.

    Example: kg query 'SELECT ?label WHERE { ?action tp:targets tpid:huawei ; rdfs:label ?label }'
    """
    from kg.query import QueryError, check_query, run_query

    text = _query_text(sparql, query_file, named, params)
    try:
        kind = check_query(text).algebra.name.removesuffix("Query").upper()
    except QueryError as error:
        raise DataError(str(error)) from None
    output_format = output_format or ("turtle" if kind in ("CONSTRUCT", "DESCRIBE") else "table")
    if (kind in ("CONSTRUCT", "DESCRIBE")) != (output_format in ("turtle", "nt", "jsonld")):
        raise click.BadParameter(f"'{output_format}' does not fit a {kind} query", param_hint="--format")
    if endpoint:
        target = _remote(endpoint, graph_iri, credentials(user, password_env), as_of_day)
    else:
        target = load_engine(facts_dir, exports_dir, as_of_day, with_imports, engine, store_dir)
    try:
        answer = run_query(target, text, timeout=timeout)
    except QueryError as error:
        raise DataError(str(error)) from None
    with click.open_file(output, "w" if output_format == "table" else "wb", encoding="utf-8" if output_format == "table" else None) as stream:
        if output_format == "table":
            _print_answer(answer, stream, max_rows)
        else:
            stream.write(answer.serialize(FORMATS[output_format]))
    if exit_status and kind == "ASK" and not answer.boolean:
        raise SystemExit(1)


def _remote(endpoint: str, graph_iri: str | None, login, as_of_day):
    from kg.remote import DEFAULT_GRAPH, RemoteEngine

    if as_of_day:
        raise click.UsageError("--as-of filters the local graph: it does not go with --endpoint")
    return RemoteEngine(endpoint, graph_iri or DEFAULT_GRAPH, login)


def _query_text(sparql: str | None, query_file, named: str | None, params: tuple[str, ...]) -> str:
    from kg.query import QueryError, named_query

    if sum(x is not None for x in (sparql, query_file, named)) != 1:
        raise click.UsageError("give exactly one of: a query, -f FILE or --named NAME")
    if params and not named:
        raise click.UsageError("--param goes with --named")
    if not named:
        return sparql if sparql is not None else query_file.read()
    pairs = [p.partition("=") for p in params]
    if any(not sep or not key for key, sep, _ in pairs):
        raise click.BadParameter("write parameters as KEY=VALUE", param_hint="--param")
    try:
        return named_query(named).bind({key: value for key, _sep, value in pairs})
    except QueryError as error:
        raise click.UsageError(str(error)) from None


def _print_answer(answer, stream, max_rows: int) -> None:
    from kg.query import display

    if answer.kind == "ASK":
        click.echo(str(answer.boolean).lower(), file=stream)
        return
    shown = answer.rows[:max_rows] if max_rows else answer.rows
    count = f"{answer.total} row{'s' if answer.total != 1 else ''}"
    print_table(answer.variables, [[display(term) for term in row] for row in shown], stream=stream)
    click.echo(f"first {len(shown)} of {count} (--max-rows 0 shows all)" if len(shown) < answer.total else count, file=stream)


@click.command()
@click.argument("name", required=False)
def queries(name: str | None) -> None:
    """List the named questions, or print one question's SPARQL.

    Example: kg queries actions-against
    """
    from kg.query import QueryError, named_queries, named_query

    if name:
        try:
            click.echo(named_query(name).text, nl=False)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
        return
    rows = [[q.name, q.title, ", ".join(f"{p.name}={p.default}" for p in q.params)] for q in named_queries().values()]
    print_table(["name", "title", "parameters (default)"], rows)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; 0.0.0.0 exposes it to the network.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Seconds before a query is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Rows (or triples) returned at most.")
@click.option("--max-concurrent", default=2, show_default=True, type=click.IntRange(min=1), help="Queries run at once; more get 503.")
@click.option("--max-body", default=65_536, show_default=True, type=click.IntRange(min=1), help="Largest request body in bytes.")
@AS_OF_OPTION
@FACTS_OPTION
@EXPORTS_OPTION
@engine_options
def serve(host, port, timeout, max_rows, max_concurrent, max_body, as_of_day, facts_dir, exports_dir,
          engine, store_dir, with_imports) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at /.

    The rdflib graph is always loaded (for as-of views and the service description); with --engine
    oxigraph the other queries run on oxigraph.

    Example: kg serve --port 7878
    """
    from kg.engine import EngineError, open_engine
    from kg.serve import Limits, serve as run_server

    graph = load_graph(facts_dir, exports_dir, as_of_day, with_imports)
    try:
        fast = open_engine(engine, graph, store_dir)
    except EngineError as error:
        raise DataError(str(error)) from None
    run_server(graph, host, port, Limits(timeout, max_rows, max_concurrent, max_body), engine=fast)


COMMANDS = [query, queries, serve]
