"""The interactive HTML view: one offline page to explore the graph, safe whatever the facts contain.

:func:`view_model` turns the rdflib graph into what a person explores: actors, jurisdictions and
events as nodes; their relations, and the derived ``restricts``/``eases``/``excludes`` edges (with
the days they hold), as edges; each with the details its tooltip shows. :func:`render_html` hands
them to pyvis for the vis-network options and renders our template (``kg/view_assets/``) with
vis-network inlined from pyvis's own copy, so the page requests nothing from any host.

Safety: fact text reaches the page only as JSON inside ``<script type="application/json">``
(escaped by Jinja's ``tojson``); our script shows it with ``textContent`` and only ever makes
links of http(s) URLs; a Content-Security-Policy allows no other script and no request.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
import re
import textwrap
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from kg.compile import date_properties
from kg.export import exporter
from kg.namespaces import ENTITY, slug
from kg.schema import TP, Schema, load_schema, local_name

SCHEMA = Namespace("https://schema.org/")
ASSETS = Path(__file__).resolve().parent / "view_assets"
TITLE = "techpolicy-kg: Huawei and 5G policy graph"
# Above this many nodes, positions are computed in Python and physics is off. Measured with
# bench/view_bench.py: tuned physics settles in 0.9 s for 100 nodes, 1.8 s for 300 and 6.6 s for 1 000;
# precomputed positions open 1 000 nodes in 0.5 s and 10 000 in 5.6 s.
PHYSICS_LIMIT = 300
SHOWN_ROOTS = ("Actor", "Jurisdiction", "Event")
HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


@dataclass(frozen=True)
class Style:
    color: str
    shape: str


# The nearest styled ancestor of a node's class decides its colour and shape: dots for actors,
# squares for places, diamonds for actions and triangles for statements.
CLASS_STYLES = {
    "Government": Style("#1d3557", "dot"),
    "GovernmentAgency": Style("#457b9d", "dot"),
    "Company": Style("#e63946", "dot"),
    "StandardsBody": Style("#2a9d8f", "dot"),
    "Organization": Style("#6d597a", "dot"),
    "Person": Style("#e9c46a", "dot"),
    "Actor": Style("#6d597a", "dot"),
    "Jurisdiction": Style("#8d99ae", "square"),
    "EntityListAction": Style("#f77f00", "diamond"),
    "Rule": Style("#fcbf49", "diamond"),
    "ExecutiveOrder": Style("#9d0208", "diamond"),
    "Legislation": Style("#3a0ca3", "diamond"),
    "License": Style("#52b788", "diamond"),
    "GovernmentDecision": Style("#4361ee", "diamond"),
    "Guidance": Style("#90be6d", "diamond"),
    "LegalAction": Style("#b5179e", "diamond"),
    "CorporateDecision": Style("#ff8fa3", "diamond"),
    "ServiceLaunch": Style("#4cc9f0", "diamond"),
    "Action": Style("#adb5bd", "diamond"),
    "Statement": Style("#9b5de5", "triangle"),
    "Event": Style("#adb5bd", "diamond"),
}
RELATION_KINDS = {
    **dict.fromkeys(("restricts", "eases", "excludes"), "effect"),
    **dict.fromkeys(("issuedBy", "announcedBy", "targets", "beneficiary"), "action"),
    **dict.fromkeys(("speaker", "spokesperson", "about"), "statement"),
    **dict.fromkeys(("amends", "extends", "rescinds", "reverses", "supersedes", "respondsTo", "implements"), "event link"),
}
EDGE_STYLES = {
    "restricts": {"color": "#d00000", "width": 3},
    "eases": {"color": "#2d6a4f", "width": 3},
    "excludes": {"color": "#f77f00", "width": 3},
    "action": {"color": "#6c757d", "width": 1.2},
    "statement": {"color": "#9b5de5", "width": 1.2, "dashes": [2, 4]},
    "event link": {"color": "#1d3557", "width": 1.6, "dashes": [8, 4]},
    "structure": {"color": "#ced4da", "width": 1, "dashes": [1, 3]},
}
EDGE_KINDS = ("effect", "action", "statement", "event link", "structure")  # the order of the edge legend
# The direct triples are drawn from their tp:DerivedEdge nodes instead, which carry the days they hold.
DERIVED_PREDICATES = {TP.restricts, TP.eases, TP.excludes}
# Shown otherwise than as a row of the tooltip: as its heading, sources, quotes, or the edge itself.
HIDDEN_PREDICATES = {RDF.type, RDFS.label, PROV.wasDerivedFrom, TP.citation, TP.quote,
                     RDF.subject, RDF.predicate, RDF.object, TP.impliedBy}


@dataclass
class ViewNode:
    """An actor, jurisdiction or event; ``date`` is an event's first date, ``details`` its tooltip."""

    id: str
    label: str
    cls: str
    date: str | None
    aliases: list[str]
    details: dict


@dataclass
class ViewEdge:
    """A relation between two nodes; a derived edge has the first and last day it holds."""

    id: str
    source: str
    target: str
    relation: str
    valid_from: str | None
    valid_until: str | None
    details: dict


@dataclass
class View:
    """What the page shows: nodes and edges with their tooltip details, and the names of classes and relations."""

    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    classes: dict[str, str] = field(default_factory=dict)  # class name -> label
    relations: dict[str, str] = field(default_factory=dict)  # relation name -> label

    @property
    def description(self) -> str:
        dates = sorted(n.date for n in self.nodes if n.date)
        events = len(dates)
        span = f", {dates[0]} to {dates[-1]}" if dates else ""
        return (f"{len(self.nodes) - events} actors and places, {events} events{span}. "
                "Hover for details and sources, click to highlight neighbours, drag the slider to go back in time.")


def view_model(graph: Graph, schema: Schema | None = None) -> View:
    """Every actor, jurisdiction and event of ``graph`` as nodes, and the relations between them as edges."""
    schema = schema or load_schema()
    describe = _Describer(graph, schema)
    node_classes = {c for c in set(graph.objects(None, RDF.type)) if any(schema.is_a(c, TP[root]) for root in SHOWN_ROOTS)}
    shown = {s: local_name(o) for s, o in graph.subject_objects(RDF.type) if o in node_classes and str(s).startswith(ENTITY)}
    nodes = [describe.node(iri, cls) for iri, cls in shown.items()]
    edges = [describe.edge(s, p, o) for s, p, o in graph if s in shown and o in shown and p not in DERIVED_PREDICATES]
    edges += [describe.derived_edge(e) for e in graph.subjects(RDF.type, TP.DerivedEdge)]
    classes = {cls: describe.label(TP[cls]) for cls in sorted(set(shown.values()))}
    relations = {e.relation: e.details["type"] for e in edges}
    return View(TITLE, sorted(nodes, key=lambda n: n.id), sorted(edges, key=lambda e: e.id),
                classes, dict(sorted(relations.items())))


def visible_as_of(view: View, day: dt.date | str) -> View:
    """The view as of ``day``: events whose first date is on or before it, and edges in force on it."""
    day = str(day)
    nodes = [n for n in view.nodes if n.date is None or n.date <= day]
    ids = {n.id for n in nodes}
    edges = [e for e in view.edges if e.source in ids and e.target in ids
             and (e.valid_from or "") <= day and (e.valid_until is None or e.valid_until >= day)]
    return replace(view, title=f"{view.title}, as of {day}", nodes=nodes, edges=edges)


def of_types(view: View, types: list[str], schema: Schema | None = None) -> View:
    """Only nodes whose class is one of ``types`` or a subclass of one (names like ``Company`` or ``Action``)."""
    schema = schema or load_schema()
    unknown = [t for t in types if t not in schema.types]
    if unknown:
        raise ValueError(f"unknown class {', '.join(unknown)} (one of: {', '.join(sorted(schema.types))})")
    keep = {n.id for n in view.nodes if any(schema.is_a(TP[n.cls], TP[t]) for t in types)}
    return _subview(view, keep)


def around(view: View, focus: str, depth: int) -> View:
    """Only the nodes within ``depth`` edges of the node ``focus`` (a slug), in either direction."""
    import networkx as nx

    if focus not in {n.id for n in view.nodes}:
        raise ValueError(f"no node with id {focus!r} in the view")
    network = nx.Graph([(e.source, e.target) for e in view.edges])
    network.add_node(focus)
    return _subview(view, set(nx.ego_graph(network, focus, radius=depth)))


def _subview(view: View, keep: set[str]) -> View:
    edges = [e for e in view.edges if e.source in keep and e.target in keep]
    return replace(view, nodes=[n for n in view.nodes if n.id in keep], edges=edges)


class _Describer:
    """Reads labels, rows, quotes and sources from the graph for tooltips."""

    def __init__(self, graph: Graph, schema: Schema):
        self.graph, self.schema = graph, schema
        self.identifiers = set(schema.ontology.transitive_subjects(RDFS.subPropertyOf, TP.officialIdentifier))
        self.labels: dict = {}

    def label(self, term) -> str:
        """The English label of ``term`` in the graph or the ontology, else its YAML key or spaced local name."""
        if term not in self.labels:
            value = self.graph.value(term, RDFS.label) or self.schema.ontology.value(term, RDFS.label)
            fallback = self.schema.key_for(term) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local_name(term)).lower()
            self.labels[term] = str(value) if value is not None else fallback
        return self.labels[term]

    def node(self, iri: URIRef, cls: str) -> ViewNode:
        value = self.graph.value
        date = next((str(value(iri, p)) for p in date_properties() if value(iri, p) is not None), None)
        aliases = sorted(str(a) for a in self.graph.objects(iri, SKOS.altLabel))
        details = {
            "heading": self.label(iri),
            "type": self.label(TP[cls]),
            "rows": self._rows(iri),
            "quotes": sorted(str(q) for q in self.graph.objects(iri, TP.quote)),
            "sources": self._sources(iri),
        }
        return ViewNode(slug(iri), self.label(iri), cls, date, aliases, details)

    def edge(self, subject: URIRef, predicate: URIRef, obj: URIRef) -> ViewEdge:
        relation = local_name(predicate)
        heading = f"{self.label(subject)} → {self.label(predicate)} → {self.label(obj)}"
        details = {"heading": heading, "type": self.label(predicate), "rows": [], "quotes": [], "sources": []}
        source, target = slug(subject), slug(obj)
        return ViewEdge(f"{source} {relation} {target}", source, target, relation, None, None, details)

    def derived_edge(self, edge: URIRef) -> ViewEdge:
        value = self.graph.value
        predicate, event = value(edge, RDF.predicate), value(edge, TP.impliedBy)
        valid_from, valid_until = value(edge, TP.validFrom), value(edge, TP.validUntil)
        details = {
            "heading": self.label(edge),
            "type": self.label(predicate),
            "rows": [*self._rows(edge), ["implied by", self.label(event)]],
            "quotes": [],
            "sources": self._sources(event),
        }
        # Shown from the day it holds and its event is known, as in kg.query.as_of (a retroactive rule's edge
        # appears when the rule is announced).
        known = next((value(event, p) for p in date_properties() if value(event, p) is not None), None)
        shown_from = max(filter(None, (_text(valid_from), _text(known))), default=None)
        return ViewEdge(slug(edge), slug(value(edge, RDF.subject)), slug(value(edge, RDF.object)), local_name(predicate),
                        shown_from, _text(valid_until), details)

    def _rows(self, iri: URIRef) -> list[list[str]]:
        """Name/value pairs: dates first, then official identifiers, then everything else, by name."""
        rows = []
        for predicate, obj in self.graph.predicate_objects(iri):
            if predicate in HIDDEN_PREDICATES:
                continue
            text = str(obj) if isinstance(obj, Literal) else self.label(obj)
            rank = 0 if isinstance(obj, Literal) and obj.datatype == XSD.date else 1 if predicate in self.identifiers else 2
            rows.append((rank, self.label(predicate), text))
        return [[name, text] for _rank, name, text in sorted(rows)]

    def _sources(self, fact: URIRef) -> list[dict]:
        value = self.graph.value
        passages = {value(c, TP.citedSource): value(c, TP.quote) for c in self.graph.objects(fact, TP.citation)}
        sources = []
        for source in sorted(self.graph.objects(fact, PROV.wasDerivedFrom)):
            url = str(value(source, SCHEMA.url) or "")
            published = (value(source, DCTERMS.publisher), value(source, DCTERMS.issued))
            meta = ", ".join(str(v) for v in published if v is not None)
            sources.append({
                "title": str(value(source, DCTERMS.title) or self.label(source)),
                "url": url if HTTP_URL.match(url) else None,
                "meta": meta,
                "quote": _text(passages.get(source)),
            })
        return sources


def _text(value) -> str | None:
    return None if value is None else str(value)


def radial_layout(view: View, spacing: float = 60.0) -> dict[str, tuple[int, int]]:
    """Cheap positions for big graphs: breadth-first rings around the best-connected node of each component.

    Each ring is ordered by the angle of the nodes' parents, so neighbours stay close; O(nodes + edges).
    """
    import networkx as nx

    network = nx.Graph([(e.source, e.target) for e in view.edges])
    network.add_nodes_from(sorted(n.id for n in view.nodes))
    roots = [max(sorted(c), key=network.degree) for c in nx.connected_components(network)]
    angle: dict[str, float] = {}
    positions = {}
    for depth, layer in enumerate(nx.bfs_layers(network, sorted(roots))):
        parent_angle = {n: min((angle[p] for p in network[n] if p in angle), default=0.0) for n in layer}
        ring = sorted(layer, key=lambda n: (parent_angle[n], n))
        radius = max(depth * spacing * 2, len(ring) * spacing / (2 * math.pi))
        for index, node in enumerate(ring):
            angle[node] = 2 * math.pi * index / len(ring)
            positions[node] = (round(radius * math.cos(angle[node])), round(radius * math.sin(angle[node])))
    return positions


def render_html(view: View) -> str:
    """The page for ``view``: one self-contained HTML file, byte-identical for the same view."""
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup
    from pyvis.network import Network

    network = Network(directed=True)
    large = len(view.nodes) > PHYSICS_LIMIT
    degree = {n.id: 0 for n in view.nodes}
    for edge in view.edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    positions = radial_layout(view) if large else {}
    # Filled in one pass: pyvis's add_node/add_edge check for duplicates in lists, quadratic on big graphs.
    network.nodes = [_vis_node(node, degree[node.id], positions.get(node.id)) for node in view.nodes]
    network.edges = [_vis_edge(edge, view.relations[edge.relation]) for edge in view.edges]
    network.node_ids = [node.id for node in view.nodes]
    network.force_atlas_2based(gravity=-110, central_gravity=0.012, spring_length=130, spring_strength=0.05, overlap=0.5)
    network.options.physics.stabilization.iterations = 400
    network.toggle_physics(not large)
    nodes, edges, _heading, _height, _width, options = network.get_network_data()
    data = {"nodes": nodes, "edges": edges, "options": _options(json.loads(options), large), **_legend(view)}
    lib = Path(network.template_dir) / "lib" / "vis-9.1.2"
    scripts = {"vis": (lib / "vis-network.min.js").read_text("utf-8"), "view": (ASSETS / "graph.js").read_text("utf-8")}
    environment = Environment(loader=FileSystemLoader(ASSETS), autoescape=True, keep_trailing_newline=True)
    return environment.get_template("graph.html.j2").render(
        title=view.title,
        description=view.description,
        data=data,
        styles=Markup((lib / "vis-network.css").read_text("utf-8") + (ASSETS / "graph.css").read_text("utf-8")),
        scripts={name: Markup(text) for name, text in scripts.items()},
        script_hashes=" ".join(f"'sha256-{_digest(text)}'" for text in scripts.values()),
    )


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _legend(view: View) -> dict[str, list[dict]]:
    """The classes (actors, places, actions, statements) and relations (by kind) with their styles, for the legend."""
    shapes = ("dot", "square", "diamond", "triangle")
    classes = sorted(view.classes.items(), key=lambda item: (shapes.index(_style(item[0]).shape), item[1].lower()))
    relations = sorted(view.relations.items(), key=lambda item: (EDGE_KINDS.index(_edge_style(item[0])["kind"]), item[1]))
    return {"classes": [{"name": name, "label": label, **asdict(_style(name))} for name, label in classes],
            "relations": [{"name": name, "label": label, **_edge_style(name)} for name, label in relations]}


@lru_cache(maxsize=None)
def _style(cls: str) -> Style:
    schema = load_schema()
    return next(CLASS_STYLES[local_name(a)] for a in schema.ancestors(TP[cls]) if local_name(a) in CLASS_STYLES)


def _edge_style(relation: str) -> dict:
    kind = RELATION_KINDS.get(relation, "structure")
    return {"kind": kind, **EDGE_STYLES[relation if relation in EDGE_STYLES else kind]}


def _vis_node(node: ViewNode, degree: int, position: tuple[int, int] | None) -> dict:
    style = _style(node.cls)
    vis = {"id": node.id, "label": _wrapped(node.label), "name": node.label, "shape": style.shape, "color": style.color,
           "value": degree + 1, "group": node.cls, "date": node.date, "aliases": node.aliases, "details": node.details}
    if position:
        vis["x"], vis["y"] = position
    return vis


def _wrapped(label: str, width: int = 32) -> str:
    """A long label on at most two lines of the canvas (the tooltip has it in full)."""
    first, *rest = textwrap.wrap(label, width) or [""]
    return "\n".join([first, textwrap.shorten(" ".join(rest), width, placeholder=" …")] if rest else [first])


def _vis_edge(edge: ViewEdge, label: str) -> dict:
    style = _edge_style(edge.relation)
    return {"id": edge.id, "from": edge.source, "to": edge.target, "label": label, "relation": edge.relation,
            "color": style["color"], "width": style["width"], "dashes": style.get("dashes", False),
            "validFrom": edge.valid_from, "validUntil": edge.valid_until, "details": edge.details}


def _options(options: dict, large: bool) -> dict:
    """pyvis's options plus what it has no setter for: hover, scaling, fixed seed, cheap edges for big graphs."""
    options["edges"] = {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                        "font": {"size": 9, "color": "#555", "strokeWidth": 3, "align": "middle"},
                        "smooth": False if large else {"type": "continuous"}}
    labels = {"enabled": True, "min": 12, "max": 30, "drawThreshold": 5}  # small labels appear as you zoom in
    options["nodes"] = {"font": {"size": 13, "face": "system-ui, sans-serif"}, "borderWidth": 1,
                        "scaling": {"min": 10, "max": 36, "label": labels}}
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True})
    options["layout"] = {"randomSeed": 7, "improvedLayout": not large}
    return options


@exporter("graph.html")
def graph_html(graph: Graph) -> bytes:
    """The interactive view of the whole graph (written by ``kg build`` as exports/graph.html)."""
    return render_html(view_model(graph)).encode("utf-8")
