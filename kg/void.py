"""A VoID and DCAT description of the dataset, written to ``exports/void.ttl`` by ``kg build``."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from kg import __version__
from kg.export import EXPORTERS, exporter
from kg.namespaces import ENTITY, VOCAB, new_graph

DATASET = URIRef("https://w3id.org/techpolicy-kg/dataset")
TITLE = "techpolicy-kg: tech-policy actions around Huawei and 5G"
DESCRIPTION = (
    "A hand-curated knowledge graph of the US Entity List actions, Commerce Department rules, allied government "
    "decisions, laws and public statements about Huawei and 5G, 2018-2022; every event cites its sources."
)
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
ISSUED = "2026-11-25"
EXAMPLES = ("huawei", "us-bis", "entity-list-huawei-2019")
MEDIA_TYPES = {
    ".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
    ".csv": "text/csv", ".graphml": "application/graphml+xml", ".html": "text/html",
}


def describe_dataset(graph: Graph, endpoint: str | None = None) -> Graph:
    """VoID statistics and DCAT metadata of ``graph``; ``endpoint`` adds ``void:sparqlEndpoint``.

    ``dcterms:modified`` is the newest date recorded in the data, so the description is stable
    for the same facts.
    """
    description = new_graph()
    description.bind("void", VOID)
    description.bind("dcat", DCAT)
    add = description.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, RDFS.label, Literal("techpolicy-kg", lang="en")))
    add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    add((DATASET, DCTERMS.license, DATA_LICENSE))
    add((DATASET, DCTERMS.issued, Literal(ISSUED, datatype=XSD.date)))
    add((DATASET, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(__version__)))
    dates = [o for o in graph.objects() if isinstance(o, Literal) and o.datatype == XSD.date]
    if dates:
        add((DATASET, DCTERMS.modified, max(dates, key=str)))
    add((DATASET, VOID.uriSpace, Literal(ENTITY)))
    add((DATASET, VOID.vocabulary, URIRef(VOCAB)))
    add((DATASET, VOID.triples, Literal(len(graph))))
    typed = set(graph.subjects(RDF.type))
    add((DATASET, VOID.entities, Literal(len(typed))))
    add((DATASET, VOID.classes, Literal(len(set(graph.objects(None, RDF.type))))))
    add((DATASET, VOID.properties, Literal(len(set(graph.predicates())))))
    for cls in sorted(set(graph.objects(None, RDF.type))):
        partition = URIRef(f"{DATASET}/class/{str(cls).split('#')[-1].split('/')[-1]}")
        add((DATASET, VOID.classPartition, partition))
        add((partition, VOID["class"], cls))
        add((partition, VOID.entities, Literal(len(set(graph.subjects(RDF.type, cls))))))
    for slug in EXAMPLES:
        if URIRef(ENTITY + slug) in typed:
            add((DATASET, VOID.exampleResource, URIRef(ENTITY + slug)))
    for name in sorted(EXPORTERS):
        distribution = URIRef(f"{DATASET}/{name}")
        add((DATASET, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCTERMS.title, Literal(name)))
        suffix = name[name.rfind("."):]
        if suffix in MEDIA_TYPES:
            add((distribution, DCAT.mediaType, Literal(MEDIA_TYPES[suffix])))
    if endpoint:
        add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    return description


@exporter("void.ttl")
def void_turtle(graph: Graph) -> bytes:
    return describe_dataset(graph).serialize(format="turtle", encoding="utf-8")
