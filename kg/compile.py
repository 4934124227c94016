"""Compile loaded records into an rdflib graph.

Besides the triples written in the facts, the compiler adds two kinds of node: a citation per
quoted use of a source (``tp:citation`` → ``tp:Citation``), and a derived edge per issuer and
target of each action with an effect (the "truthy" ``issuer tp:restricts target`` triple, plus a
``tp:DerivedEdge`` node saying which event implies it, from which sources, and the days it holds).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from kg.load import Position, Record, Reference
from kg.namespaces import ENTITY, VOCAB, entity_iri, new_graph, slug
from kg.schema import Field, Schema, load_schema, local_name

TP_CITATION = URIRef(VOCAB + "citation")
TP_CITED_SOURCE = URIRef(VOCAB + "citedSource")
TP_IMPLIED_BY = URIRef(VOCAB + "impliedBy")
TP_VALID_FROM = URIRef(VOCAB + "validFrom")
TP_VALID_UNTIL = URIRef(VOCAB + "validUntil")
ENDING_LINKS = ("rescinds", "reverses", "supersedes")


@dataclass(frozen=True)
class Origin:
    """The record a node was compiled from, to map validation results back to YAML."""

    record: Record

    def position(self, key: str | None) -> Position:
        return self.record.positions.get(key, self.record.position) if key else self.record.position


@dataclass
class Compiled:
    graph: Graph
    origins: dict[URIRef, Origin]


FIRST_DATE_KEYS = ("announced_date", "effective_date", "published_date")
"""An event's first date, which places it in time for as-of questions: the first of these it has."""
IN_FORCE_KEYS = ("effective_date", "announced_date", "published_date")
"""The day an action's direct edges start to hold (``tp:validFrom``): the first of these it has."""


def first_date(record: Record, order: tuple[str, ...] = IN_FORCE_KEYS) -> dt.date | None:
    """The first of the given date keys that the record has."""
    return next((record.values[k] for k in order if k in record.values), None)


def date_properties(keys: tuple[str, ...] = FIRST_DATE_KEYS) -> tuple[URIRef, ...]:
    """The graph properties of date keys, in the same order."""
    fields = load_schema().types["Action"].fields
    return tuple(fields[key].path for key in keys)


def compile_graph(records: list[Record], schema: Schema | None = None) -> Compiled:
    """Turn records (already checked by the loader) into a graph, with each node's origin."""
    schema = schema or load_schema()
    graph = new_graph()
    origins: dict[URIRef, Origin] = {}
    labels = {r.id: r.values["label"] for r in records if "label" in r.values}
    for record in records:
        subject = entity_iri(record.id)
        origins[subject] = Origin(record)
        graph.add((subject, RDF.type, record.type.iri))
        for key, value in record.values.items():
            spec = record.type.fields[key]
            for item in value if isinstance(value, list) else [value]:
                graph.add((subject, spec.path, _term(spec, item)))
                if spec.kind == "term":
                    describe_term(graph, schema, item)
                if isinstance(item, Reference) and item.qualifiers:
                    _add_citation(graph, origins, record, spec, item, labels)
    endings = _endings(records)
    for record in records:
        _add_derived_edges(graph, origins, schema, record, endings.get(record.id, []), labels)
    return Compiled(graph, origins)


def describe_term(graph: Graph, schema: Schema, term: URIRef) -> None:
    """Copy a controlled value's type, label and notation from the ontology, so the data is self-describing."""
    for predicate in (RDF.type, RDFS.label, SKOS.notation):
        for value in schema.ontology.objects(term, predicate):
            graph.add((term, predicate, value))


def _term(spec: Field, item):
    if isinstance(item, Reference):
        return entity_iri(item.slug)
    if isinstance(item, URIRef):
        return item
    if spec.kind == "iri":
        return URIRef(item)
    if spec.datatype == RDF.langString:
        return Literal(item, lang="en")
    if spec.datatype in (None, XSD.string):
        return Literal(item)
    return Literal(item, datatype=spec.datatype)


def _add_citation(graph: Graph, origins, record: Record, spec: Field, reference: Reference, labels) -> None:
    citation = URIRef(f"{ENTITY}citation/{record.id}/{reference.slug}")
    origins[citation] = Origin(record)
    graph.add((entity_iri(record.id), TP_CITATION, citation))
    graph.add((citation, RDF.type, spec.qualifier.iri))
    graph.add((citation, RDFS.label, Literal(f"{labels[record.id]}, as supported by {labels[reference.slug]}", lang="en")))
    graph.add((citation, TP_CITED_SOURCE, entity_iri(reference.slug)))
    for key, value in reference.qualifiers:
        graph.add((citation, spec.qualifier.fields[key].path, _term(spec.qualifier.fields[key], value)))


def _add_derived_edges(graph: Graph, origins, schema: Schema, record: Record, endings, labels) -> None:
    effect = record.values.get("effect")
    predicate = schema.derived_predicate(effect) if effect is not None else None
    if predicate is None:
        return
    event = entity_iri(record.id)
    valid_from = first_date(record)
    valid_until = min([*endings, *([record.values["end_date"]] if "end_date" in record.values else [])], default=None)
    sources = [ref.slug for ref in record.values.get("sources", [])]
    verb = str(schema.ontology.value(predicate, RDFS.label))
    for issuer in record.values.get("issued_by", []):
        for target in record.values.get("targets", []):
            label = f"{labels[issuer.slug]} {verb} {labels[target.slug]} ({labels[record.id]})"
            edge = add_derived_edge(graph, event, entity_iri(issuer.slug), predicate, entity_iri(target.slug), label,
                                    [entity_iri(s) for s in sources], valid_from, valid_until)
            origins[edge] = Origin(record)


def add_derived_edge(graph: Graph, event: URIRef, issuer: URIRef, predicate: URIRef, target: URIRef, label: str,
                     sources: list[URIRef], valid_from: dt.date | None, valid_until: dt.date | None) -> URIRef:
    """Add the truthy triple ``issuer predicate target`` and the ``tp:DerivedEdge`` node that describes it
    (the event that implies it, its sources, the days it holds); return the edge node."""
    graph.add((issuer, predicate, target))
    edge = URIRef(f"{ENTITY}edge/{slug(event)}/{slug(issuer)}/{local_name(predicate)}/{slug(target)}")
    for p, o in (
        (RDF.type, URIRef(VOCAB + "DerivedEdge")),
        (RDFS.label, Literal(label, lang="en")),
        (RDF.subject, issuer),
        (RDF.predicate, predicate),
        (RDF.object, target),
        (TP_IMPLIED_BY, event),
        *((PROV.wasDerivedFrom, source) for source in sources),
        *(((TP_VALID_FROM, Literal(valid_from, datatype=XSD.date)),) if valid_from else ()),
        *(((TP_VALID_UNTIL, Literal(valid_until, datatype=XSD.date)),) if valid_until else ()),
    ):
        graph.add((edge, p, o))
    return edge


def _endings(records: list[Record]) -> dict[str, list[dt.date]]:
    """For each event that a later event rescinds, reverses or supersedes: the day before each such event."""
    endings: dict[str, list[dt.date]] = {}
    for other in records:
        day = first_date(other)
        for key in ENDING_LINKS:
            for ref in other.values.get(key, []) if day else []:
                endings.setdefault(ref.slug, []).append(day - dt.timedelta(days=1))
    return endings
