"""The VoID/DCAT description counts what is really in the graph."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, VOID

from kg.void import DATASET, describe_dataset, void_turtle


def test_counts_match_the_graph(graph):
    description = Graph().parse(data=void_turtle(graph), format="turtle")
    assert description.value(DATASET, VOID.triples).toPython() == len(graph)
    assert description.value(DATASET, VOID.entities).toPython() == len(set(graph.subjects(RDF.type)))
    partition = URIRef(f"{DATASET}/class/Statement")
    statements = len(set(graph.subjects(RDF.type, URIRef("https://w3id.org/techpolicy-kg/ontology#Statement"))))
    assert description.value(partition, VOID.entities).toPython() == statements > 0


def test_licence_dates_examples_and_endpoint(graph):
    description = describe_dataset(graph, endpoint="http://127.0.0.1:7878/sparql")
    assert str(description.value(DATASET, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(description.value(DATASET, DCTERMS.modified)) >= "2022-11-25"
    assert URIRef("https://w3id.org/techpolicy-kg/id/huawei") in set(description.objects(DATASET, VOID.exampleResource))
    assert str(description.value(DATASET, VOID.sparqlEndpoint)) == "http://127.0.0.1:7878/sparql"
