"""Explain a fact: every source behind it, with its quote and the facts file and line that cite it."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, RDFS, URIRef

from kg.build import Build
from kg.compile import FIRST_DATE_KEYS, TP_IMPLIED_BY, TP_VALID_FROM, TP_VALID_UNTIL, first_date
from kg.load import Position, Record
from kg.namespaces import VOCAB, entity_iri, slug
from kg.problems import display_path
from kg.resolve import UnknownName

VERBS = ("restricts", "eases", "excludes")


@dataclass
class Support:
    """One source cited by a fact, with the passage that supports it and where the citation is written."""

    source: str
    title: str
    url: str
    publisher: str
    date: str | None
    primary: bool | None
    quote: str | None
    where: str


@dataclass
class Explanation:
    """A record (or a derived edge, through the event implying it) and its sources."""

    id: str
    label: str
    type: str
    date: str | None
    where: str
    quote: str | None = None
    edge: str | None = None
    supports: list[Support] = field(default_factory=list)


def record_names(records: list[Record]) -> dict[str, list[str]]:
    """Label and aliases of every record, for :func:`kg.resolve.resolve`."""
    return {r.id: [r.values.get("label", r.id), *r.values.get("aliases", [])] for r in records}


def explain(build: Build, slug: str) -> Explanation:
    """The sources of the record ``slug``, each with its quote and the ``file:line`` citing it."""
    by_id = {r.id: r for r in build.records}
    record = by_id[slug]
    date = first_date(record, FIRST_DATE_KEYS)
    supports = [_support(by_id[ref.slug], ref.qualifiers, ref.position) for ref in record.values.get("sources", [])]
    return Explanation(record.id, record.values["label"], record.type.name, date and date.isoformat(),
                       place(record.position), record.values.get("quote"), supports=supports)


def explain_edge(build: Build, subject: str, verb: str, target: str) -> list[Explanation]:
    """One explanation per event implying the derived edge ``subject verb target``; raise if there is none."""
    graph = build.graph
    found = []
    for edge in sorted(graph.subjects(RDF.predicate, URIRef(VOCAB + verb))):
        if (graph.value(edge, RDF.subject), graph.value(edge, RDF.object)) == (entity_iri(subject), entity_iri(target)):
            explanation = explain(build, slug(graph.value(edge, TP_IMPLIED_BY)))
            start, until = (graph.value(edge, p) for p in (TP_VALID_FROM, TP_VALID_UNTIL))
            days = f"holds {start} to {until}" if until else f"holds from {start}"
            explanation.edge = f"{graph.value(edge, RDFS.label)}, {days}"
            found.append(explanation)
    if not found:
        raise UnknownName(f"no event implies '{subject} {verb} {target}'")
    return found


def format_explanation(explanation: Explanation) -> str:
    """The explanation as indented text."""
    dated = f"{explanation.type}, {explanation.date}" if explanation.date else explanation.type
    head = f"{explanation.id}: {explanation.label} ({dated})"
    lines = [*([explanation.edge, f"  implied by {head}"] if explanation.edge else [head]),
             f"  written at {explanation.where}"]
    if explanation.quote:
        lines.append(f"  quote: \u201c{explanation.quote}\u201d")
    for support in explanation.supports:
        kind = "primary" if support.primary else "secondary"
        about = f"{support.publisher}, {support.date or 'undated'}, {kind}"
        lines += [f"  source {support.source}: {support.title} ({about})", f"    {support.url}"]
        lines += [f"    \u201c{support.quote}\u201d"] if support.quote else []
        lines.append(f"    cited at {support.where}")
    return "\n".join(lines)


def _support(source: Record, qualifiers, position: Position) -> Support:
    values = source.values
    quote = dict(qualifiers).get("quote") or values.get("quote")
    return Support(source.id, values.get("title", ""), values.get("url", ""), values.get("publisher", ""),
                   values["date"].isoformat() if "date" in values else None, values.get("primary"), quote,
                   place(position))


def place(position: Position) -> str:
    """``file:line`` of a position, the file relative to the working directory when below it."""
    return f"{display_path(position.file)}:{position.line}"
