"""Analysis and curation commands: path, neighbors, centrality, timeline, why, diff, lint, export."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import click

from kg.commands import DAY, FACTS_OPTION, DataError, print_table, run_build

EXPORT_FORMATS = ("graphml", "gexf", "csv", "jsonld", "nt", "ttl")
MEASURES = ("degree", "betweenness", "pagerank")
SHOWN_LINKS = 3


def day_option(name: str, help_text: str):
    return click.option(name, type=DAY, help=help_text)


AS_OF = day_option("--as-of", "Only events whose first date is on or before this day.")


def _network(facts_dir: Path, as_of: dt.date | None = None):
    """The network of the facts, as the world stood on ``as_of`` (the rule of :func:`kg.query.as_of`)."""
    from kg.analyze import to_networkx
    from kg.query import as_of as graph_as_of

    graph = run_build(facts_dir).graph
    return to_networkx(graph_as_of(graph, as_of) if as_of else graph)


def _actor(network, name: str, param: str) -> str:
    from kg.analyze import names
    from kg.resolve import UnknownName, resolve

    try:
        return resolve(name, names(network), "actor")
    except UnknownName as error:
        raise click.BadParameter(str(error), param_hint=param) from None


def _hop_lines(network, hop) -> list[str]:
    lines = [f"  {network.nodes[hop.source]['label']} \u2192 {network.nodes[hop.target]['label']}"]
    lines += [f"      via {link}" for link in hop.links[:SHOWN_LINKS]]
    if len(hop.links) > SHOWN_LINKS:
        lines.append(f"      (and {len(hop.links) - SHOWN_LINKS} more)")
    return lines


@click.command()
@click.argument("start")
@click.argument("end")
@click.option("--max", "limit", default=3, show_default=True, type=click.IntRange(min=1), help="Most paths to show.")
@AS_OF
@FACTS_OPTION
def path(start: str, end: str, limit: int, as_of: dt.date | None, facts_dir: Path) -> None:
    """Show the shortest connections between two actors, each hop with its events, dates and sources.

    Actors are named by slug, label or alias (any case). Two actors are one hop apart when an event
    involves both (issuer, target, beneficiary, speaker...) or one is part, subsidiary or affiliate of the other.

    Example: kg path uk-government "Commerce Department" --max 2
    """
    from kg.analyze import actor_network, paths

    network = _network(facts_dir, as_of)
    a, b = _actor(network, start, "START"), _actor(network, end, "END")
    if a == b:
        raise click.BadParameter(f"START and END are both {a}", param_hint="END")
    found = paths(actor_network(network), a, b, limit)
    if not found:
        raise DataError(f"no connection between {a} and {b}" + (f" as of {as_of}" if as_of else ""))
    for number, hops in enumerate(found, 1):
        chain = " \u2192 ".join(network.nodes[n]["label"] for n in [hops[0].source, *(h.target for h in hops)])
        click.echo(f"path {number} ({len(hops)} hop{'s' if len(hops) != 1 else ''}): {chain}")
        for hop in hops:
            click.echo("\n".join(_hop_lines(network, hop)))


@click.command()
@click.argument("actor")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=1), help="Most hops away.")
@AS_OF
@FACTS_OPTION
def neighbors(actor: str, depth: int, as_of: dt.date | None, facts_dir: Path) -> None:
    """List the actors within DEPTH hops of an actor, nearest first, with the events that link them.

    Example: kg neighbors huawei --depth 2
    """
    from kg.analyze import actor_network
    from kg.analyze import neighbors as reach

    network = _network(facts_dir, as_of)
    slug = _actor(network, actor, "ACTOR")
    rows = []
    for n in reach(actor_network(network), slug, depth):
        first, more = n.hop.links[0], len(n.hop.links) - 1
        via = f"{n.hop.source}: {first.via or first.label}" + (f" ({first.date})" if first.date else "")
        rows.append([str(n.distance), n.actor, network.nodes[n.actor]["label"], network.nodes[n.actor]["class"],
                     via + (f" and {more} more" if more else "")])
    print_table(["hops", "actor", "label", "class", "via"], rows, f"neighbours of {network.nodes[slug]['label']}")


@click.command()
@click.option("--measure", type=click.Choice(MEASURES), default="degree", show_default=True)
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many actors to list.")
@AS_OF
@FACTS_OPTION
def centrality(measure: str, top: int, as_of: dt.date | None, facts_dir: Path) -> None:
    """Rank actors by degree, betweenness or PageRank centrality in the actor network.

    Example: kg centrality --measure betweenness --top 5
    """
    from kg.analyze import actor_network
    from kg.analyze import centrality as rank

    network = _network(facts_dir, as_of)
    scores = rank(actor_network(network), measure, top)
    rows = [[str(i), slug, network.nodes[slug]["label"], f"{score:.3f}"] for i, (slug, score) in enumerate(scores, 1)]
    print_table(["#", "actor", "label", measure], rows, f"{measure} centrality")


@click.command()
@click.option("--actor", help="Only events involving this actor (slug, label or alias).")
@day_option("--from", "Only events on or after this day.")
@day_option("--to", "Only events on or before this day.")
@click.option("--format", "form", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: stdout).")
@FACTS_OPTION
def timeline(actor: str | None, form: str, output, facts_dir: Path, **days: dt.date | None) -> None:
    """List events in date order with their type, actors, identifiers and sources.

    The html form is one self-contained page (no scripts, no network) with the events on a time axis.

    Example: kg timeline --actor huawei --from 2019-01-01 --format html -o timeline.html
    """
    from kg.analyze import timeline as events
    from kg.analyze import timeline_html

    network = _network(facts_dir)
    slug = _actor(network, actor, "--actor") if actor else None
    entries = events(network, slug, days["from"], days["to"])
    label = {n: a["label"] for n, a in network.nodes(data=True)}
    if form == "json":
        output.write(json.dumps([asdict(e) for e in entries], indent=2, ensure_ascii=False) + "\n")
    elif form == "html":
        output.write(timeline_html(entries, label, f"Timeline of {label[slug]}" if slug else "techpolicy-kg timeline"))
    else:
        rows = [[e.date, e.id, e.type, e.label,
                 "; ".join(f"{role}: {', '.join(s)}" for role, s in e.actors.items()),
                 "; ".join(e.identifiers), "; ".join(e.sources) if form == "csv" else str(len(e.sources))]
                for e in entries]
        columns = ["date", "id", "type", "label", "actors", "identifiers", "sources"]
        if form == "csv":
            import csv

            csv.writer(output, lineterminator="\n").writerows([columns, *rows])
        else:
            print_table(columns, rows, f"{len(entries)} events")


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--format", "form", type=click.Choice(["text", "json"]), default="text", show_default=True)
@FACTS_OPTION
def why(name: tuple[str, ...], form: str, facts_dir: Path) -> None:
    """Show every source behind a fact, with its quote and the facts file:line that cites it.

    NAME is a record (slug, label or alias), or a derived edge written ISSUER restricts|eases|excludes TARGET.

    Example: kg why us-bis restricts huawei
    """
    from kg.resolve import UnknownName, resolve
    from kg.why import VERBS, explain, explain_edge, format_explanation, record_names

    result = run_build(facts_dir)
    names = record_names(result.records)
    try:
        if len(name) == 3 and name[1] in VERBS:
            found = explain_edge(result, resolve(name[0], names), name[1], resolve(name[2], names))
        else:
            found = [explain(result, resolve(" ".join(name), names))]
    except UnknownName as error:
        raise click.BadParameter(str(error), param_hint="NAME") from None
    if form == "json":
        click.echo(json.dumps([asdict(e) for e in found], indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(format_explanation(e) for e in found))


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "form", type=click.Choice(["text", "json"]), default="text", show_default=True)
@FACTS_OPTION
def diff(old: str, new: str, form: str, facts_dir: Path) -> None:
    """Show what changed between two versions of the graph: entities added, removed and changed, by label.

    OLD and NEW are each a git revision of the facts folder, a facts folder, or an exported RDF file.

    Example: kg diff HEAD~1 HEAD
    """
    from kg.diff import UnknownSide, diff_graphs, format_diff, load_side
    from kg.problems import FactsError

    try:
        graphs = [load_side(side, facts_dir) for side in (old, new)]
    except UnknownSide as error:
        raise click.BadParameter(str(error)) from None
    except FactsError as error:
        raise DataError(str(error)) from None
    changes = diff_graphs(*graphs)
    click.echo(json.dumps(asdict(changes), indent=2, ensure_ascii=False) if form == "json" else format_diff(changes))


@click.command()
@click.option("--strict", is_flag=True, help="Treat every finding as an error (exit 1).")
@click.option("--texts", "texts_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of stored source texts, <source-slug>.txt  [default: sources/ beside the facts folder]")
@FACTS_OPTION
def lint(strict: bool, texts_dir: Path | None, facts_dir: Path) -> None:
    """Warn about likely duplicates, untouched actors, unused sources, missing primary sources, early
    effective dates and quotes missing from stored source texts; each with its file:line.

    Example: kg lint --strict
    """
    from kg.lint import lint as check

    findings = check(run_build(facts_dir).records, texts_dir or facts_dir.resolve().parent / "sources")
    for finding in findings:
        click.echo(f"{finding} ({'error' if strict else 'warning'})")
    click.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", err=True)
    if strict and findings:
        raise DataError("lint failed (--strict)")


@click.command()
@click.option("--format", "form", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("-o", "--output",
              help="File to write, '-' for stdout; for csv a folder  [default: exports/techpolicy.FORMAT]")
@FACTS_OPTION
def export(form: str, output: str | None, facts_dir: Path) -> None:
    """Write the graph as GraphML, GEXF (Gephi, Cytoscape), CSV (nodes.csv + edges.csv), JSON-LD, N-Triples or Turtle.

    Example: kg export --format graphml -o huawei.graphml
    """
    from kg import export as rdf
    from kg import graphml
    from kg.build import write_exports

    graph = run_build(facts_dir).graph
    if form == "csv":
        if output == "-":
            raise click.UsageError("csv writes two files (nodes.csv, edges.csv): give a folder with -o")
        files, folder = graphml.csv_tables(graph), Path(output or "exports")
    else:
        render = {"graphml": graphml.graphml, "gexf": graphml.gexf, "jsonld": rdf.jsonld, "nt": rdf.ntriples,
                  "ttl": rdf.turtle}[form]
        if output == "-":
            click.echo(render(graph), nl=False)
            return
        target = Path(output or f"exports/techpolicy.{form}")
        files, folder = {target.name: render(graph)}, target.parent
    for written in write_exports(files, folder):
        click.echo(f"wrote {written} ({written.stat().st_size:,} bytes)", err=True)


COMMANDS = [path, neighbors, centrality, timeline, why, diff, lint, export]
