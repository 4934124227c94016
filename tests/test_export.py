"""Exports parse back to the same graph, also in an independent parser."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export import jsonld, ntriples, statements_csv, turtle


def test_turtle_round_trips_isomorphic(graph):
    assert isomorphic(Graph().parse(data=turtle(graph), format="turtle"), graph)


def test_ntriples_and_jsonld_round_trip(graph):
    assert isomorphic(Graph().parse(data=ntriples(graph), format="nt"), graph)
    assert isomorphic(Graph().parse(data=jsonld(graph), format="json-ld"), graph)


def test_turtle_parses_in_an_independent_parser(graph):
    triples = list(pyoxigraph.parse(turtle(graph), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(graph)


def test_ntriples_are_sorted_and_one_per_line(graph):
    lines = ntriples(graph).decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(graph)


def test_jsonld_uses_the_project_prefixes(graph):
    document = json.loads(jsonld(graph))
    assert document["@context"]["tp"] == "https://w3id.org/techpolicy-kg/ontology#"
    assert all(node["@id"].startswith(("tpid:", "tp:", "https://w3id.org/")) for node in document["@graph"])


def test_statements_csv_has_one_row_per_fact_and_source(graph):
    rows = list(csv.DictReader(io.StringIO(statements_csv(graph).decode())))
    kelly = [r for r in rows if r["by"] == "huawei" and "sincere discussions" in r["quote"]]
    assert kelly and kelly[0]["announced_date"] == "2020-06-16"
    listing = [r for r in rows if r["identifiers"].startswith("84 FR 22961")]
    assert {r["effective_date"] for r in listing} == {"2019-05-16"}
    assert all(r["source_url"].startswith("http") for r in rows)
