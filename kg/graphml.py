"""GraphML, GEXF and CSV renderings of the graph for Gephi, Cytoscape and spreadsheets.

Nodes are the records with their label, class, kind, date and YAML keys as attributes (lists joined
with "; "); edges are references and derived edges (with ``event``, ``valid_from``, ``valid_until``).
Every renderer is byte-deterministic.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.analyze import to_networkx
from kg.export import exporter

if TYPE_CHECKING:
    import networkx as nx

NODE_COLUMNS = ("id", "label", "class", "kind", "date")
EDGE_COLUMNS = ("source", "target", "relation", "event", "valid_from", "valid_until")


def flat_network(graph: Graph) -> nx.MultiDiGraph:
    """:func:`kg.analyze.to_networkx` with every attribute a string, as GraphML and GEXF require."""
    network = to_networkx(graph)
    for _node, attributes in network.nodes(data=True):
        for key, value in list(attributes.items()):
            if value is None:
                del attributes[key]
            elif isinstance(value, list):
                attributes[key] = "; ".join(value)
    return network


@exporter("techpolicy.graphml")
def graphml(graph: Graph) -> bytes:
    import networkx as nx

    return ("\n".join(nx.generate_graphml(flat_network(graph))) + "\n").encode("utf-8")


def gexf(graph: Graph) -> bytes:
    """GEXF 1.2 without the writer's "last modified" day, so the same graph gives the same bytes."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(flat_network(graph))
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    return (str(writer).rstrip("\n") + "\n").encode("utf-8")


def csv_tables(graph: Graph) -> dict[str, bytes]:
    """``nodes.csv`` (id, label, class, kind, date) and ``edges.csv`` (source, target, relation, event, days)."""
    network = flat_network(graph)
    nodes = [[node, *(data.get(c, "") for c in NODE_COLUMNS[1:])] for node, data in network.nodes(data=True)]
    edges = [[a, b, *(data.get(c, "") for c in EDGE_COLUMNS[2:])] for a, b, data in network.edges(data=True)]
    return {"nodes.csv": _csv(NODE_COLUMNS, nodes), "edges.csv": _csv(EDGE_COLUMNS, edges)}


def _csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
