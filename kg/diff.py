"""Compare two versions of the graph in human terms: entities added, removed or changed, by label.

Each side is an exported RDF file (Turtle, N-Triples, JSON-LD...), a facts folder, or a git
revision of the facts folder. The graphs are compared with :func:`rdflib.compare.graph_diff` on
their canonical forms, and the differing triples grouped by the entity they describe.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.util import guess_format

from kg.build import build
from kg.namespaces import ENTITY
from kg.schema import load_schema


class UnknownSide(ValueError):
    """A side of the diff that is neither an RDF file, a folder nor a git revision of the facts."""


@dataclass
class Entity:
    id: str
    label: str
    type: str


@dataclass
class Change:
    """The values of one property that one side has and the other has not."""

    property: str
    removed: list[str]
    added: list[str]


@dataclass
class Changed(Entity):
    changes: list[Change] = field(default_factory=list)


@dataclass
class GraphDiff:
    added: list[Entity] = field(default_factory=list)
    removed: list[Entity] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def load_side(side: str, facts_dir: Path | str = "facts") -> Graph:
    """The graph of an RDF file, of a facts folder, or of ``facts_dir`` at the git revision ``side``."""
    path = Path(side)
    if path.is_file():
        try:
            return Graph().parse(path, format=guess_format(str(path)) or "turtle")
        except Exception as error:  # each rdflib parser raises its own kind of error
            reason = " ".join(str(error).split("\n")[:2]).strip() or type(error).__name__
            raise UnknownSide(f"cannot read {side} as RDF: {reason}") from None
    if path.is_dir():
        return build(path).graph
    result = subprocess.run(["git", "-C", str(facts_dir), "archive", "--format=tar", "--end-of-options", side],
                            capture_output=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["git failed"]
        raise UnknownSide(f"'{side}' is not a file, a folder or a git revision of {facts_dir}/ ({reason[0]})")
    with tempfile.TemporaryDirectory() as temporary, tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(temporary, filter="data")
        return build(temporary).graph


def diff_graphs(old: Graph, new: Graph) -> GraphDiff:
    """What ``new`` adds to, removes from and changes in ``old``, node by node (records, citations and derived
    edges; the vocabulary terms a graph copies from the ontology are left out)."""
    from rdflib.compare import graph_diff, to_isomorphic

    _both, only_old, only_new = graph_diff(to_isomorphic(old), to_isomorphic(new))
    namer = _Namer(old, new)
    result = GraphDiff()
    for subject in sorted({s for s, _p, _o in (*only_old, *only_new) if str(s).startswith(ENTITY)}):
        entity = namer.entity(subject)
        if (subject, RDF.type, None) not in old:
            result.added.append(entity)
        elif (subject, RDF.type, None) not in new:
            result.removed.append(entity)
        else:
            predicates = sorted({p for p in (*only_old.predicates(subject), *only_new.predicates(subject))})
            changes = [Change(namer.property(p), namer.values(only_old, subject, p), namer.values(only_new, subject, p))
                       for p in predicates]
            result.changed.append(Changed(entity.id, entity.label, entity.type, changes))
    return result


def format_diff(diff: GraphDiff) -> str:
    """The diff as lines: ``+`` added, ``-`` removed, ``~`` changed with one line per property."""
    if not diff:
        return "no differences"
    lines = []
    for sign, entities in (("+", diff.added), ("-", diff.removed), ("~", diff.changed)):
        for entity in entities:
            lines.append(f"{sign} {entity.id}: {entity.label} ({entity.type})")
            for change in getattr(entity, "changes", []):
                if len(change.removed) == len(change.added) == 1:
                    lines.append(f"    {change.property}: {change.removed[0]} \u2192 {change.added[0]}")
                else:
                    values = [f"+ {v}" for v in change.added] + [f"- {v}" for v in change.removed]
                    lines.append(f"    {change.property}: {'; '.join(values)}")
    counts = f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    return "\n".join([*lines, counts])


class _Namer:
    """Labels for the nodes and properties of either side."""

    def __init__(self, old: Graph, new: Graph):
        self.sides = (new, old)
        self.ontology = load_schema().ontology
        self.qname = new.namespace_manager.normalizeUri

    def _value(self, node, predicate):
        return next((v for g in (*self.sides, self.ontology) if (v := g.value(node, predicate)) is not None), None)

    def name(self, node) -> str:
        if isinstance(node, Literal):
            return str(node)
        label = self._value(node, RDFS.label)
        return str(label) if label is not None else self.id(node)

    def id(self, node) -> str:
        text = str(node)
        return text[len(ENTITY):] if text.startswith(ENTITY) else self.qname(node)

    def entity(self, node: URIRef) -> Entity:
        kind = self._value(node, RDF.type)
        return Entity(self.id(node), self.name(node), self.qname(kind).split(":")[-1] if kind is not None else "")

    def property(self, predicate: URIRef) -> str:
        label = self.ontology.value(predicate, RDFS.label)
        return str(label) if label is not None else self.qname(predicate)

    def values(self, graph: Graph, subject, predicate) -> list[str]:
        return sorted(self.name(v) for v in graph.objects(subject, predicate))
