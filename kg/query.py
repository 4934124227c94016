"""Read-only SPARQL over the built graph: checked queries, a hard timeout, as-of views and named questions.

Every query is parsed with the project's prefixes predeclared (:data:`kg.namespaces.PREFIXES`), refused if it
would write or reach the network (UPDATE, LOAD, SERVICE), then evaluated by rdflib in a forked worker process
that is killed when the timeout passes, so a runaway query stops using CPU.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import rdflib.plugins.sparql
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from kg.compile import date_properties
from kg.engine import Engine
from kg.load import parse_day
from kg.namespaces import PREFIXES, entity_iri, new_graph
from kg.schema import TP, TP_DERIVED_PREDICATE, load_schema

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM <url> graphs

EXPORT_NAME = "techpolicy.nt"
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "nt", "json-ld")
QUERIES_DIR = Path(__file__).resolve().parent / "queries"


class QueryError(Exception):
    """A query that cannot run: bad syntax, an unknown prefix, a refused form or a failed evaluation."""

    def __init__(self, message: str, text: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.text, self.line, self.column = message, text, line, column

    def __str__(self) -> str:
        if self.line is None or self.text is None:
            return self.message
        lines = self.text.split("\n")
        source = lines[self.line - 1] if 0 < self.line <= len(lines) else ""
        return f"{self.message}\nline {self.line}, column {self.column}:\n  {source}\n  {' ' * (self.column - 1)}^"


class QueryTimeout(QueryError):
    """The query ran longer than its timeout and its worker was killed."""


# ---------------------------------------------------------------- checking


def check_query(text: str) -> Query:
    """Parse a query with the project's prefixes; refuse updates, LOAD and SERVICE."""
    try:
        query = prepareQuery(text, initNs=PREFIXES)
    except Exception as error:  # rdflib raises pyparsing errors, and bare Exceptions for unknown prefixes
        raise _parse_error(text, error) from None
    if _mentions_service(query.algebra):
        raise QueryError("SERVICE is refused: queries run against this graph only, never the network")
    return query


def _parse_error(text: str, error: Exception) -> QueryError:
    if _is_update(text):
        return QueryError("updates (INSERT, DELETE, LOAD, CLEAR, ...) are refused: the graph is read-only")
    unknown = re.fullmatch(r"Unknown namespace prefix : (.*)", str(error))
    if unknown:
        prefix = unknown.group(1)
        known = ", ".join(f"{p}:" for p in PREFIXES)
        line, column = _locate(text, re.compile(rf"(?<![\w:]){re.escape(prefix)}:"))
        return QueryError(f"unknown prefix '{prefix}:' (predeclared: {known})", text, line, column)
    if hasattr(error, "lineno") and hasattr(error, "col"):
        message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", str(error))
        return QueryError(f"syntax error: {message}", text, error.lineno, error.col)
    return QueryError(f"invalid query: {error}")


def _is_update(text: str) -> bool:
    """Whether the text is a SPARQL update with at least one operation (an empty text parses as an empty update)."""
    try:
        return isinstance(parseUpdate(text).get("request"), list)
    except Exception:  # not an update either: the query's own error is reported
        return False


def _locate(text: str, pattern: re.Pattern) -> tuple[int | None, int | None]:
    match = pattern.search(text)
    if not match:
        return None, None
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1


def _mentions_service(node) -> bool:
    """Whether any part of the algebra (patterns, filters, EXISTS) is a SERVICE pattern."""
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_mentions_service(value) for value in node.values())
    if isinstance(node, (list, tuple)):
        return any(_mentions_service(value) for value in node)
    return False


# ---------------------------------------------------------------- evaluating


@dataclass
class Answer:
    """A query's answer, small enough to pass between processes: rows, a boolean or triples."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)

    @property
    def is_graph(self) -> bool:
        return self.kind in ("CONSTRUCT", "DESCRIBE")

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows if not self.is_graph else self.triples)

    def graph(self) -> Graph:
        graph = new_graph()
        for triple in self.triples:
            graph.add(triple)
        return graph

    def serialize(self, format: str) -> bytes:
        """The answer in a W3C results format (json, xml, csv, tsv) or, for graphs, turtle, nt or json-ld."""
        if self.is_graph:
            if format not in GRAPH_FORMATS:
                raise QueryError(f"a {self.kind} answer is a graph: use one of {', '.join(GRAPH_FORMATS)}")
            return self.graph().serialize(format=format, encoding="utf-8")
        if format not in RESULT_FORMATS:
            raise QueryError(f"a {self.kind} answer is a result set: use one of {', '.join(RESULT_FORMATS)}")
        if format == "tsv":
            return self._tsv().encode("utf-8")
        if self.kind == "ASK" and format == "csv":
            return f"{str(self.boolean).lower()}\n".encode()
        result = Result(self.kind)
        if self.kind == "ASK":
            result.askAnswer = self.boolean
        else:
            result.vars = [Variable(v) for v in self.variables]
            result.bindings = [
                {Variable(v): term for v, term in zip(self.variables, row) if term is not None} for row in self.rows
            ]
        return result.serialize(format=format, encoding="utf-8")

    def _tsv(self) -> str:
        if self.kind == "ASK":
            return f"{str(self.boolean).lower()}\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        lines += ["\t".join(_turtle_term(term) for term in row) for row in self.rows]
        return "\n".join(lines) + "\n"


def _turtle_term(term) -> str:
    """A term as the W3C TSV results format writes it: Turtle syntax on one line."""
    if term is None:
        return ""
    if not isinstance(term, Literal):
        return term.n3()
    escaped = str(term).translate({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
    suffix = f"@{term.language}" if term.language else f"^^{term.datatype.n3()}" if term.datatype else ""
    return f'"{escaped}"{suffix}'


def run_query(target: Graph | Engine, text: str, timeout: float = 30.0, max_rows: int | None = None) -> Answer:
    """Check and evaluate a query on a graph or an engine (:mod:`kg.engine`) in a forked worker.

    Raise :class:`QueryTimeout` after ``timeout`` seconds. ``max_rows`` caps the rows (or triples)
    returned; ``Answer.total`` still counts them all.
    """
    query = check_query(text)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    prepared = query if isinstance(target, Graph) else text
    worker = context.Process(target=_evaluate_in_worker, args=(target, prepared, max_rows, sender), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(f"query timed out after {timeout:g} s")
        outcome = receiver.recv()
    except EOFError:
        raise QueryError("the query worker stopped without an answer") from None
    finally:
        worker.kill()
        worker.join()
        receiver.close()
    if isinstance(outcome, str):
        raise QueryError(outcome if outcome.startswith("query failed") else f"query failed: {outcome}")
    return outcome


def _evaluate_in_worker(target: Graph | Engine, query: Query | str, max_rows: int | None, sender) -> None:
    try:
        sender.send(_evaluate(target, query, max_rows))
    except Exception as error:  # any evaluation error goes back to the parent as its message
        sender.send(str(error) or type(error).__name__)


def _evaluate(target: Graph | Engine, query: Query | str, max_rows: int | None) -> Answer:
    result = target.query(query)
    kind = result.type
    if kind == "ASK":
        return Answer(kind, boolean=bool(result.askAnswer))
    if kind in ("CONSTRUCT", "DESCRIBE"):
        triples = list(result.graph)
        return Answer(kind, triples=triples[:max_rows], total=len(triples))
    variables = [str(v) for v in result.vars]
    rows = [tuple(binding.get(Variable(v)) for v in variables) for binding in result.bindings]
    return Answer(kind, variables, rows[:max_rows], len(rows))


# ---------------------------------------------------------------- the graph, now or as of a day


def current_export(facts_dir: Path | str, exports_dir: Path | str) -> Path | None:
    """The N-Triples export when ``kg build`` wrote it from exactly these facts and ontology, else None."""
    from kg.build import exports_match

    export = Path(exports_dir) / EXPORT_NAME
    return export if export.is_file() and exports_match(facts_dir, exports_dir) else None


def read_export(path: Path | str) -> Graph:
    """Parse an N-Triples export into a graph bound to the project's prefixes."""
    return new_graph().parse(path, format="nt")


def as_of(graph: Graph, day: dt.date) -> Graph:
    """A copy of the graph as the world stood on ``day``.

    It keeps the events whose first date (announced, else effective, else published) is on or before ``day``,
    and the derived edges of kept events with ``validFrom <= day`` and no ``validUntil`` before ``day``. Hidden
    events take their citations with them; the truthy triples (``issuer tp:restricts target``, ...) are those
    of the kept derived edges. Actors, sources and controlled values are kept.
    """
    events = {event for cls in _event_classes() for event in graph.subjects(RDF.type, cls)}
    hidden = {event for event in events if (_first_day(graph, event) or day) > day}
    hidden |= {c for event in hidden for c in graph.objects(event, TP["citation"])}
    edges = set(graph.subjects(RDF.type, TP["DerivedEdge"]))
    hidden |= {edge for edge in edges if graph.value(edge, TP["impliedBy"]) in hidden or not _holds(graph, edge, day)}
    truthy = _truthy_predicates()
    view = new_graph()
    for s, p, o in graph:
        if s not in hidden and o not in hidden and p not in truthy:
            view.add((s, p, o))
    for edge in edges - hidden:
        view.add((graph.value(edge, RDF.subject), graph.value(edge, RDF.predicate), graph.value(edge, RDF.object)))
    return view


def _first_day(graph: Graph, event) -> dt.date | None:
    for predicate in date_properties():
        value = graph.value(event, predicate)
        if value is not None:
            return value.toPython()
    return None


def _holds(graph: Graph, edge, day: dt.date) -> bool:
    start, end = graph.value(edge, TP["validFrom"]), graph.value(edge, TP["validUntil"])
    return (start is None or start.toPython() <= day) and (end is None or end.toPython() >= day)


@cache
def _event_classes() -> frozenset[URIRef]:
    return frozenset(load_schema().ontology.transitive_subjects(RDFS.subClassOf, TP["Event"]))


@cache
def _truthy_predicates() -> frozenset[URIRef]:
    return frozenset(load_schema().ontology.objects(None, TP_DERIVED_PREDICATE))


# ---------------------------------------------------------------- named questions

PARAM_LINE = re.compile(r"(\w+)\s*=\s*(\S+)\s*\((entity|date|text)\)\s*(?:—|-)?\s*(.*)")


@dataclass(frozen=True)
class Param:
    """A parameter of a named question: written ``$name`` in its text, replaced by a typed term."""

    name: str
    default: str
    type: str
    description: str

    def term(self, value: str) -> str:
        """The SPARQL term for a value of this parameter; raise QueryError when it does not fit the type."""
        if self.type == "date":
            day = parse_day(value)
            if day is None:
                raise QueryError(f"{self.name}: '{value}' is not a date (YYYY-MM-DD)")
            return Literal(day, datatype=XSD.date).n3()
        if self.type == "entity":
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
                raise QueryError(f"{self.name}: '{value}' is not an entity slug such as huawei")
            return entity_iri(value).n3()
        return Literal(value).n3()


@dataclass(frozen=True)
class NamedQuery:
    """A question shipped in ``kg/queries/NAME.rq``, with a header of ``# title:``, ``# description:``, ``# param:``."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The query text with every ``$param`` replaced by the given value or its default."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            names = ", ".join(p.name for p in self.params) or "none"
            raise QueryError(f"{self.name} has no parameter {', '.join(unknown)} (its parameters: {names})")
        text = self.text
        for param in self.params:
            term = param.term(values.get(param.name, param.default))
            text = re.sub(rf"\${param.name}\b", lambda _match: term, text)
        return text


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named question, by name (the file name without ``.rq``), sorted."""
    return {path.stem: _read_named(path) for path in sorted(QUERIES_DIR.glob("*.rq"))}


def _read_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header = dict.fromkeys(("title", "description"), "")
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"#\s*(title|description|param):\s*(.*)", line)
        if match and match.group(1) == "param":
            params.append(Param(*PARAM_LINE.fullmatch(match.group(2).strip()).groups()))
        elif match:
            header[match.group(1)] = match.group(2).strip()
    return NamedQuery(path.stem, header["title"], header["description"], tuple(params), text)


def named_query(name: str) -> NamedQuery:
    """The named question ``name``; raise QueryError naming the known ones when there is none."""
    try:
        return named_queries()[name]
    except KeyError:
        raise QueryError(f"no named question '{name}' (known: {', '.join(named_queries())})") from None


def display(term) -> str:
    """A term for people: a prefixed name (``tpid:huawei``), a literal's text, or empty for unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _display_graph().namespace_manager.normalizeUri(term)
    return str(term)


@cache
def _display_graph() -> Graph:
    return new_graph()

