"""Exporters: each renders the built graph to the bytes of one file in ``exports/``.

Every exporter is deterministic (same graph, same bytes) so ``kg build --check`` can compare
them with the committed files. Other modules register more exporters with :func:`exporter`.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Callable

from rdflib import PROV, RDF, RDFS, Graph, URIRef

from kg.namespaces import PREFIXES, slug
from kg.schema import TP, load_schema

Render = Callable[[Graph], bytes]
EXPORTERS: dict[str, Render] = {}
# Modules that register more exporters when imported (the HTML view, GraphML, dataset metadata, ...).
EXPORTER_MODULES: tuple[str, ...] = ("kg.void", "kg.reference", "kg.graphml", "kg.view")


def exporter(filename: str) -> Callable[[Render], Render]:
    """Register a function that renders the graph as the file ``filename``."""

    def register(render: Render) -> Render:
        EXPORTERS[filename] = render
        return render

    return register


def render_exports(graph: Graph) -> dict[str, bytes]:
    """The contents of every export file, by file name, sorted."""
    for module in EXPORTER_MODULES:
        importlib.import_module(module)
    return {name: EXPORTERS[name](graph) for name in sorted(EXPORTERS)}


@exporter("techpolicy.ttl")
def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


@exporter("techpolicy.nt")
def ntriples(graph: Graph) -> bytes:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


@exporter("techpolicy.jsonld")
def jsonld(graph: Graph) -> bytes:
    context = dict(sorted(PREFIXES.items()))
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document] if "@id" in document else [])
    normal = {"@context": context, "@graph": sorted((_sorted_values(n) for n in nodes), key=lambda n: n["@id"])}
    return (json.dumps(normal, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _sorted_values(value):
    """JSON-LD arrays of property values are unordered sets: sort them for stable output."""
    if isinstance(value, dict):
        return {k: _sorted_values(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


STATEMENT_COLUMNS = (
    "fact", "type", "label", "by", "targets", "about",
    "announced_date", "effective_date", "published_date", "end_date", "identifiers",
    "source", "source_url", "source_publisher", "source_date", "quote",
)
DC = "http://purl.org/dc/terms/"


@exporter("statements.csv")
def statements_csv(graph: Graph) -> bytes:
    """One row per fact and source it cites, with the fact's dates and the supporting quote."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STATEMENT_COLUMNS)
    rows = [row for fact in _facts(graph) for row in _statement_rows(graph, fact)]
    writer.writerows(sorted(rows, key=lambda r: (r[6] or r[7] or r[8] or "9999", r[0], r[11])))
    return buffer.getvalue().encode("utf-8")


def _facts(graph: Graph):
    fact_classes = set(load_schema().ontology.transitive_subjects(RDFS.subClassOf, TP["Fact"]))
    return sorted({s for s, o in graph.subject_objects(RDF.type) if o in fact_classes})


def _statement_rows(graph: Graph, fact: URIRef):
    value = graph.value

    def joined(*properties: str) -> str:
        return "; ".join(sorted(slug(o) for p in properties for o in graph.objects(fact, TP[p])))

    quotes = {value(c, TP["citedSource"]): str(value(c, TP["quote"]) or "") for c in graph.objects(fact, TP["citation"])}
    base = [
        slug(fact),
        str(value(fact, RDF.type)).split("#")[-1],
        str(value(fact, RDFS.label)),
        joined("issuedBy", "speaker"),
        joined("targets"),
        joined("about"),
        *(str(value(fact, TP[p]) or "") for p in ("announcedDate", "effectiveDate", "publishedDate", "endDate")),
        joined("frCitation", "frDocument", "docket", "rin", "legalCitation"),
    ]
    for source in sorted(graph.objects(fact, PROV.wasDerivedFrom)):
        yield [
            *base,
            slug(source),
            str(value(source, URIRef("https://schema.org/url")) or ""),
            str(value(source, URIRef(DC + "publisher")) or ""),
            str(value(source, URIRef(DC + "issued")) or ""),
            quotes.get(source) or str(value(source, TP["quote"]) or ""),
        ]
