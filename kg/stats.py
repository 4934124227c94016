"""Counts of nodes by class and triples by property."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import RDF, Graph


@dataclass
class Stats:
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]


def graph_stats(graph: Graph) -> Stats:
    """Nodes per class and triples per property, most frequent first, names as prefixed names."""
    qname = graph.namespace_manager.normalizeUri
    classes = Counter(qname(o) for o in graph.objects(None, RDF.type))
    properties = Counter(qname(p) for p in graph.predicates())
    return Stats(_most_first(classes), _most_first(properties))


def _most_first(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))
