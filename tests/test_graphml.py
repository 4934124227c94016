"""GraphML, GEXF and CSV exports: attributes survive a round trip through networkx; output is deterministic."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from kg.build import build
from kg.export import render_exports
from kg.graphml import csv_tables, gexf, graphml

from conftest import FIXTURES
from test_analyze import in_repository, run  # noqa: F401  (in_repository is an autouse fixture)

MINI = FIXTURES / "mini"


@pytest.fixture(scope="module")
def mini_graph():
    return build(MINI).graph


def test_graphml_round_trips_with_attributes(mini_graph):
    network = nx.read_graphml(io.BytesIO(graphml(mini_graph)), force_multigraph=True)
    assert dict(network.nodes["listing"]) == {
        "label": "Acme added to the Entity List", "class": "EntityListAddition", "kind": "event",
        "date": "2019-05-15", "announced_date": "2019-05-15", "effective_date": "2019-05-16",
        "published_date": "2019-05-21", "fr_citation": "84 FR 22961", "affiliates_count": "68",
        "effect": "restrictive", "scope": "exports",
    }
    assert network.nodes["us-bis"]["aliases"] == "BIS"
    assert network.edges["us-bis", "acme", "eases licence"] == {
        "relation": "eases", "event": "licence", "valid_from": "2019-05-20", "valid_until": "2019-06-30"}
    assert network.edges["listing", "acme", "targets"] == {"relation": "targets"}
    assert network.number_of_nodes() == 9 and network.is_directed()


def test_gexf_round_trips_and_has_no_date_stamp(mini_graph):
    data = gexf(mini_graph)
    assert b"lastmodifieddate" not in data
    network = nx.read_gexf(io.BytesIO(data))
    assert network.nodes["licence"]["label"] == "Temporary licence for Acme"
    assert network.nodes["licence"]["end_date"] == "2019-08-19"
    assert {d["relation"] for _a, _b, d in network.edges(data=True)} >= {"restricts", "eases", "issued_by"}


def test_csv_is_a_nodes_file_and_an_edges_file(mini_graph):
    tables = csv_tables(mini_graph)
    nodes = list(csv.DictReader(io.StringIO(tables["nodes.csv"].decode())))
    edges = list(csv.DictReader(io.StringIO(tables["edges.csv"].decode())))
    assert {"id": "acme", "label": "Acme Telecom", "class": "Company", "kind": "actor", "date": ""} in nodes
    assert {"source": "us-bis", "target": "acme", "relation": "restricts", "event": "listing",
            "valid_from": "2019-05-16", "valid_until": ""} in edges
    assert {e["source"] for e in edges} <= {n["id"] for n in nodes}


def test_renderings_are_deterministic_and_build_writes_graphml(mini_graph):
    again = build(MINI).graph
    assert graphml(mini_graph) == graphml(again) and gexf(mini_graph) == gexf(again)
    assert csv_tables(mini_graph) == csv_tables(again)
    assert render_exports(mini_graph)["techpolicy.graphml"] == graphml(mini_graph)


def test_export_command(tmp_path):
    to_stdout = run("export", "--facts", str(MINI), "--format", "graphml", "-o", "-")
    assert to_stdout.exit_code == 0 and to_stdout.output.startswith("<graphml ")
    target = tmp_path / "mini.gexf"
    assert run("export", "--facts", str(MINI), "--format", "gexf", "-o", str(target)).exit_code == 0
    assert nx.read_gexf(target).number_of_nodes() == 9
    assert run("export", "--facts", str(MINI), "--format", "csv", "-o", str(tmp_path / "csv")).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["edges.csv", "nodes.csv"]
    turtle = run("export", "--facts", str(MINI), "--format", "ttl", "-o", "-")
    assert "tpid:listing" in turtle.output
    refused = run("export", "--facts", str(MINI), "--format", "csv", "-o", "-")
    assert refused.exit_code == 2 and "give a folder with -o" in refused.output
