"""Analysis over a networkx view of the graph: paths, neighbours, centrality and the timeline.

:func:`to_networkx` converts the rdflib graph once into a ``MultiDiGraph`` whose nodes are the
records (attributes named by their YAML keys) and whose edges are their references plus the
derived "truthy" edges. :func:`actor_network` projects it onto actors: two actors are adjacent
when an event involves both, or when one is part, subsidiary or affiliate of the other.

For a day, convert the graph that :func:`kg.query.as_of` gives: the one as-of rule of the project.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from kg.compile import FIRST_DATE_KEYS, TP_IMPLIED_BY, TP_VALID_FROM, TP_VALID_UNTIL
from kg.namespaces import ENTITY, VOCAB, slug
from kg.schema import load_schema, local_name

if TYPE_CHECKING:
    import networkx as nx

KINDS = ("actor", "event", "source", "jurisdiction")
ACTOR_ROLES = ("issued_by", "announced_by", "targets", "beneficiary", "speaker", "spokesperson")
RELATIONS = ("part_of", "subsidiary_of", "affiliation")
IDENTIFIER_KEYS = ("fr_citation", "fr_document", "docket", "rin", "legal_citation")
LEGEND = ("restrictive", "easing", "excluding", "Statement")


COMPILED = ("citation/", "edge/")  # IRIs of the nodes the compiler adds, which are not records


def slug_of(node) -> str | None:
    """The slug of a record's IRI (imported records' slugs contain '/'), or None for other nodes
    (citations, derived edges, vocabulary)."""
    if not isinstance(node, URIRef) or not str(node).startswith(ENTITY):
        return None
    name = slug(node)
    return name if not name.startswith(COMPILED) else None


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Every record as a node (``label``, ``class``, ``kind``, ``date`` and its YAML keys), every reference as
    an edge keyed by its YAML key, and every derived edge as ``restricts|eases|excludes`` with its event and days."""
    import networkx as nx

    schema = load_schema()
    kinds = {kind: URIRef(VOCAB + kind.capitalize()) for kind in KINDS}
    network = nx.MultiDiGraph()
    for subject in sorted({s for s in graph.subjects(RDF.type) if slug_of(s)}):
        cls = graph.value(subject, RDF.type)
        record_type = schema.types[local_name(cls)]
        kind = next((k for k, iri in kinds.items() if schema.is_a(cls, iri)), "other")
        attributes: dict = {"label": str(graph.value(subject, RDFS.label)), "class": record_type.name, "kind": kind}
        for predicate, value in sorted(graph.predicate_objects(subject)):
            key = schema.key_for(predicate)
            if key in (None, "label") or slug_of(value):
                continue
            spec = record_type.fields.get(key)
            text = str(value if isinstance(value, Literal) else schema.ontology.value(value, SKOS.notation) or value)
            attributes.setdefault(key, []).append(text)
            if spec is not None and not spec.multiple:
                attributes[key] = attributes[key][0]
        if kind == "event":
            attributes["date"] = next((attributes[k] for k in FIRST_DATE_KEYS if k in attributes), None)
        network.add_node(slug_of(subject), **attributes)
    for subject, predicate, value in sorted(graph):
        key = schema.key_for(predicate)
        if key and slug_of(subject) and slug_of(value):
            network.add_edge(slug_of(subject), slug_of(value), key=key, relation=key)
    for edge in sorted(graph.subjects(RDF.type, URIRef(VOCAB + "DerivedEdge"))):
        verb = local_name(graph.value(edge, RDF.predicate))
        event = slug_of(graph.value(edge, TP_IMPLIED_BY))
        bounds = (("valid_from", TP_VALID_FROM), ("valid_until", TP_VALID_UNTIL))
        days = {name: str(graph.value(edge, p)) for name, p in bounds if graph.value(edge, p) is not None}
        ends = slug_of(graph.value(edge, RDF.subject)), slug_of(graph.value(edge, RDF.object))
        network.add_edge(*ends, key=f"{verb} {event}", relation=verb, event=event, **days)
    return network


def names(network: nx.MultiDiGraph, kinds: tuple[str, ...] = ("actor",)) -> dict[str, list[str]]:
    """Label and aliases of each node of the given kinds, for :func:`kg.resolve.resolve`."""
    return {n: [a["label"], *a.get("aliases", [])] for n, a in network.nodes(data=True) if a["kind"] in kinds}


@dataclass(frozen=True)
class Link:
    """Why two actors are adjacent: an event (``via`` its slug) both take part in, or a standing relation."""

    via: str
    label: str
    date: str | None = None
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        more = f" +{len(self.sources) - 1}" if len(self.sources) > 1 else ""
        details = ", ".join(filter(None, [self.date, self.sources[0] + more if self.sources else None]))
        return self.label + (f" [{self.via}]" if self.via else "") + (f" ({details})" if details else "")


def actor_network(network: nx.MultiDiGraph) -> nx.Graph:
    """Actors, with an edge for each pair linked by an event or a relation (for a day, convert the graph
    :func:`kg.query.as_of` gives).

    Each edge has ``links``, a list of :class:`Link` sorted by date.
    """
    import networkx as nx

    actors = nx.Graph()
    actors.add_nodes_from((n, a) for n, a in network.nodes(data=True) if a["kind"] == "actor")

    def link(a: str, b: str, reason: Link) -> None:
        if a != b and a in actors and b in actors:
            if not actors.has_edge(a, b):
                actors.add_edge(a, b, links=[])
            actors.edges[a, b]["links"].append(reason)

    for node, attributes in network.nodes(data=True):
        if attributes["kind"] == "event":
            involved = sorted({t for _s, t, key in network.out_edges(node, keys=True) if key in ACTOR_ROLES})
            reason = Link(node, attributes["label"], attributes["date"], tuple(_targets(network, node, "sources")))
            for a, b in itertools.combinations(involved, 2):
                link(a, b, reason)
    for a, b, key in network.edges(keys=True):
        if key in RELATIONS:
            link(a, b, Link("", key.replace("_", " ")))
    for _a, _b, links in actors.edges(data="links"):
        links.sort(key=lambda reason: (reason.date or "", reason.via))
    return actors


def _targets(network: nx.MultiDiGraph, node: str, key: str) -> list[str]:
    return sorted(t for _s, t, k in network.out_edges(node, keys=True) if k == key)


@dataclass(frozen=True)
class Hop:
    """One step of a path: from one actor to the next, through the links between them."""

    source: str
    target: str
    links: tuple[Link, ...]


def paths(actors: nx.Graph, start: str, end: str, limit: int = 3) -> list[list[Hop]]:
    """Up to ``limit`` simple paths from ``start`` to ``end``, shortest first (none when unconnected)."""
    import networkx as nx

    try:
        found = list(itertools.islice(nx.shortest_simple_paths(actors, start, end), limit))
    except nx.NetworkXNoPath:
        return []
    return [[Hop(a, b, tuple(actors.edges[a, b]["links"])) for a, b in itertools.pairwise(path)] for path in found]


@dataclass(frozen=True)
class Neighbor:
    """An actor within reach, with its distance and the last hop of a shortest path to it."""

    actor: str
    distance: int
    hop: Hop


def neighbors(actors: nx.Graph, start: str, depth: int = 1) -> list[Neighbor]:
    """Actors at most ``depth`` hops from ``start``, nearest first, then by slug."""
    import networkx as nx

    reach = nx.single_source_shortest_path(actors, start, cutoff=depth)
    found = []
    for actor, path in sorted(reach.items(), key=lambda item: (len(item[1]), item[0])):
        if actor != start:
            a, b = path[-2], path[-1]
            found.append(Neighbor(actor, len(path) - 1, Hop(a, b, tuple(actors.edges[a, b]["links"]))))
    return found


def centrality(actors: nx.Graph, measure: str = "degree", top: int = 10) -> list[tuple[str, float]]:
    """The ``top`` actors by degree, betweenness or PageRank (links counted as weights), highest first."""
    import networkx as nx

    for a, b, links in actors.edges(data="links"):
        actors.edges[a, b]["weight"] = len(links)
    scores = {
        "degree": nx.degree_centrality,
        "betweenness": nx.betweenness_centrality,
        "pagerank": lambda g: nx.pagerank(g, weight="weight") if g.number_of_edges() else dict.fromkeys(g, 0.0),
    }[measure](actors)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]


@dataclass
class Entry:
    """One event of the timeline."""

    date: str
    id: str
    type: str
    label: str
    actors: dict[str, list[str]] = field(default_factory=dict)
    identifiers: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    effect: str | None = None


def timeline(network: nx.MultiDiGraph, actor: str | None = None,
             start: dt.date | None = None, end: dt.date | None = None) -> list[Entry]:
    """Events in date order (first date as in the as-of rule), optionally those involving ``actor`` within days."""
    entries = []
    for node, attributes in network.nodes(data=True):
        date = attributes.get("date")
        if attributes["kind"] != "event" or date is None:
            continue
        roles = {role: slugs for role in ACTOR_ROLES if (slugs := _targets(network, node, role))}
        if actor and not any(actor in slugs for slugs in roles.values()):
            continue
        if (start and date < start.isoformat()) or (end and date > end.isoformat()):
            continue
        identifiers = [value for key in IDENTIFIER_KEYS for value in _as_list(attributes.get(key))]
        entries.append(Entry(date, node, attributes["class"], attributes["label"], roles, identifiers,
                             _targets(network, node, "sources"), attributes.get("effect")))
    return sorted(entries, key=lambda e: (e.date, e.id))


def _as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def timeline_html(entries: list[Entry], labels: dict[str, str], title: str = "techpolicy-kg timeline") -> str:
    """A self-contained page (no scripts, no external files) with the events as marks on a time axis."""
    if not entries:
        return _page(title, "<p>No events.</p>")
    first = dt.date.fromisoformat(entries[0].date)
    span = max((dt.date.fromisoformat(entries[-1].date) - first).days, 1)
    width, row, margin = 1000, 22, 40
    marks, years = [], range(first.year, dt.date.fromisoformat(entries[-1].date).year + 2)
    for year in years:
        x = margin + (dt.date(year, 1, 1) - first).days / span * width
        if margin <= x <= margin + width:
            marks.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="100%" class="year"/>'
                         f'<text x="{x + 3:.1f}" y="12" class="year">{year}</text>')
    for index, entry in enumerate(entries):
        x = margin + (dt.date.fromisoformat(entry.date) - first).days / span * width
        y = 30 + index * row
        who = "; ".join(labels.get(s, s) for slugs in entry.actors.values() for s in slugs)
        tooltip = html.escape(f"{entry.date} {entry.label} — {who}")
        marks.append(
            f'<g class="event" data-id="{html.escape(entry.id)}"><title>{tooltip}</title>'
            f'<circle cx="{x:.1f}" cy="{y}" r="5" class="{html.escape(entry.effect or entry.type)}"/>'
            f'<text x="{x + 9:.1f}" y="{y + 4}">{html.escape(entry.date)} {html.escape(entry.label)}</text></g>'
        )
    height = 40 + len(entries) * row
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 2 * margin + 600}" height="{height}" '
           f'role="img" aria-label="{html.escape(title)}">{"".join(marks)}</svg>')
    legend = "".join(f'<span class="{name}">\u25cf</span> {name} ' for name in LEGEND)
    return _page(title, f"<p>{legend}</p>{svg}")


def _page(title: str, body: str) -> str:
    style = ("body{font:13px sans-serif;margin:1em} line.year{stroke:#ccc} text.year{fill:#888} circle{fill:#888}"
             " .restrictive{fill:#b22;color:#b22} .easing{fill:#2a2;color:#2a2} .excluding{fill:#d80;color:#d80}"
             " .Statement{fill:#26a;color:#26a} g.event text{fill:#222}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>\n")
