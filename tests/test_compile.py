"""Compiling records: typed literals, citations with their quotes, derived edges and the days they hold."""

from __future__ import annotations

import datetime as dt

from rdflib import PROV, RDF, RDFS, XSD, Literal, URIRef

from kg.compile import compile_graph, first_date
from kg.load import load_facts
from kg.namespaces import ENTITY, VOCAB, entity_iri

TP = {name: URIRef(VOCAB + name) for name in ("restricts", "eases", "validFrom", "validUntil", "impliedBy",
                                               "citation", "citedSource", "quote", "effectiveDate", "restrictive")}


def compiled(mini_facts):
    return compile_graph(load_facts(mini_facts).records)


def test_dates_are_xsd_dates_and_labels_english(mini_facts):
    graph = compiled(mini_facts).graph
    listing = entity_iri("listing")
    assert graph.value(listing, TP["effectiveDate"]) == Literal(dt.date(2019, 5, 16), datatype=XSD.date)
    assert graph.value(listing, RDFS.label) == Literal("Acme added to the Entity List", lang="en")


def test_a_quoted_citation_becomes_a_citation_node(mini_facts):
    graph = compiled(mini_facts).graph
    [citation] = graph.objects(entity_iri("listing"), TP["citation"])
    assert graph.value(citation, TP["citedSource"]) == entity_iri("register")
    assert str(graph.value(citation, TP["quote"])) == "Acme was added to the Entity List."
    assert (entity_iri("listing"), PROV.wasDerivedFrom, entity_iri("register")) in graph


def test_effect_derives_a_truthy_edge_described_by_its_event(mini_facts):
    result = compiled(mini_facts)
    graph = result.graph
    assert (entity_iri("us-bis"), TP["restricts"], entity_iri("acme")) in graph
    edge = URIRef(f"{ENTITY}edge/listing/us-bis/restricts/acme")
    assert graph.value(edge, RDF.type) == URIRef(VOCAB + "DerivedEdge")
    assert graph.value(edge, TP["impliedBy"]) == entity_iri("listing")
    assert graph.value(edge, TP["validFrom"]).toPython() == dt.date(2019, 5, 16)
    assert graph.value(edge, TP["validUntil"]) is None
    assert result.origins[edge].record.id == "listing"


def test_a_rescinding_event_ends_the_edge_the_day_before(mini_facts):
    graph = compiled(mini_facts).graph
    edge = URIRef(f"{ENTITY}edge/licence/us-bis/eases/acme")
    # the licence runs to 2019-08-19, but the removal rescinds it effective 2019-07-01
    assert graph.value(edge, TP["validUntil"]).toPython() == dt.date(2019, 6, 30)


def test_controlled_values_describe_themselves(mini_facts):
    graph = compiled(mini_facts).graph
    assert graph.value(TP["restrictive"], RDFS.label) == Literal("restrictive", lang="en")


def test_first_date_prefers_the_effective_date_unless_told_otherwise(mini_facts):
    listing = next(r for r in load_facts(mini_facts).records if r.id == "listing")
    assert first_date(listing) == dt.date(2019, 5, 16)
    assert first_date(listing, ("announced_date",)) == dt.date(2019, 5, 15)
