"""The project's namespaces and prefixes, declared once for every export and query."""

from __future__ import annotations

VOCAB = "https://w3id.org/techpolicy-kg/ontology#"
ENTITY = "https://w3id.org/techpolicy-kg/id/"

PREFIXES: dict[str, str] = {
    "tp": VOCAB,
    "tpid": ENTITY,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
}


def new_graph():
    """An empty rdflib graph bound to exactly the project's prefixes."""
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def entity_iri(slug: str):
    """The IRI of the node with this slug."""
    from rdflib import URIRef

    return URIRef(ENTITY + slug)


def slug(node) -> str:
    """The slug of an entity IRI (the part after ``tpid:``); any other node as its text."""
    return str(node).removeprefix(ENTITY)


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, to put before a user's query."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
