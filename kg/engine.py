"""Two SPARQL engines behind one small interface: rdflib (pure Python, in memory) and pyoxigraph (Rust).

:func:`open_engine` returns an engine whose :meth:`query` gives an :class:`rdflib.query.Result` either
way, so callers handle one kind of answer: rows of rdflib terms for SELECT, ``askAnswer`` for ASK,
``graph`` for CONSTRUCT. The project's prefixes are predeclared. With ``"auto"``, :func:`choose_engine`
picks oxigraph for a store directory or a large input, else rdflib.

An oxigraph engine opened with a ``store_dir`` keeps its store on disk: the files are bulk-loaded
once, and later opens reuse the store (read-only) for as long as the files are unchanged.

Engines evaluate what they are given: callers refuse updates and ``SERVICE`` before calling
:meth:`query` (:func:`kg.query.check_query`), since both engines would reach the network.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.util import guess_format

from kg.namespaces import PREFIXES, new_graph

ENGINES = ("rdflib", "oxigraph")
AUTO_TRIPLES = 100_000  # "auto" picks oxigraph from this many triples in a graph ...
AUTO_BYTES = 15_000_000  # ... or this many bytes of files (about 100,000 N-Triples lines)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LOADED_FROM = "loaded-from.json"

Source = Graph | Path | str | Sequence[Path | str]


class EngineError(Exception):
    """An engine cannot be opened, or a query fails in it."""


class Engine(Protocol):
    name: str

    def query(self, text: str) -> Result: ...

    def __len__(self) -> int: ...


class RdflibEngine:
    """rdflib's SPARQL engine over an in-memory graph."""

    name = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def query(self, text: str) -> Result:
        """Evaluate a SPARQL query (the project's prefixes predeclared)."""
        try:
            return self.graph.query(text, initNs=PREFIXES)
        except Exception as error:  # rdflib raises pyparsing errors, and bare Exceptions for unknown prefixes
            raise EngineError(f"query failed: {error}") from error

    def __len__(self) -> int:
        return len(self.graph)


class OxigraphEngine:
    """pyoxigraph's SPARQL engine over a store in memory or on disk; answers come back as rdflib terms."""

    name = "oxigraph"

    def __init__(self, store):
        self.store = store

    def query(self, text: str) -> Result:
        """Evaluate a SPARQL query (the project's prefixes predeclared); DESCRIBE answers are typed CONSTRUCT."""
        import pyoxigraph as ox

        try:
            answer = self.store.query(text, prefixes=PREFIXES)
            if isinstance(answer, ox.QueryBoolean):
                result = Result("ASK")
                result.askAnswer = bool(answer)
            elif isinstance(answer, ox.QueryTriples):
                result = Result("CONSTRUCT")
                result.graph = new_graph()
                for triple in answer:
                    result.graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            else:
                result = Result("SELECT")
                result.vars = [Variable(v.value) for v in answer.variables]
                result.bindings = [
                    {var: to_rdflib(term) for var, term in zip(result.vars, solution) if term is not None}
                    for solution in answer
                ]
        except (SyntaxError, OSError) as error:
            raise EngineError(f"query failed: {error}") from error
        return result

    def __len__(self) -> int:
        return len(self.store)


def to_rdflib(term):
    """The rdflib term for a pyoxigraph term; plain strings lose their explicit ``xsd:string`` as in rdflib."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def choose_engine(source: Source, store_dir: Path | str | None = None) -> str:
    """The engine "auto" means: oxigraph with a store directory, or for a graph of at least
    :data:`AUTO_TRIPLES` triples or files of at least :data:`AUTO_BYTES` bytes; rdflib otherwise."""
    if store_dir is not None:
        return "oxigraph"
    if isinstance(source, Graph):
        return "oxigraph" if len(source) >= AUTO_TRIPLES else "rdflib"
    return "oxigraph" if sum(path.stat().st_size for path in _paths(source)) >= AUTO_BYTES else "rdflib"


def open_engine(name: str, source: Source, store_dir: Path | str | None = None) -> Engine:
    """An engine (``"rdflib"``, ``"oxigraph"`` or ``"auto"``) over a graph or RDF files (.nt, .ttl, ...).

    ``store_dir`` (oxigraph only) keeps the store on disk so that files are loaded once.
    """
    if name == "auto":
        name = choose_engine(source, store_dir)
    if name == "rdflib":
        if store_dir is not None:
            raise EngineError("a store directory is for the oxigraph engine: rdflib keeps its graph in memory")
        return RdflibEngine(source if isinstance(source, Graph) else _parse(_paths(source)))
    if name == "oxigraph":
        return OxigraphEngine(_store(source, store_dir))
    raise EngineError(f"unknown engine '{name}' (choose {', '.join(ENGINES)} or auto)")


def _paths(source: Source) -> list[Path]:
    paths = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise EngineError(f"no such RDF file: {', '.join(missing)}")
    return paths


def _parse(paths: list[Path]) -> Graph:
    graph = new_graph()
    for path in paths:
        try:
            graph.parse(path, format=guess_format(str(path)) or "nt")
        except Exception as error:  # each rdflib parser raises its own kind of error
            raise EngineError(f"cannot load {path}: {error}") from None
    return graph


def _store(source: Source, store_dir: Path | str | None):
    """A pyoxigraph store holding the source: new in memory, or reused from ``store_dir`` when up to date."""
    import pyoxigraph as ox

    if store_dir is None:
        store = ox.Store()
    else:
        store_dir = Path(store_dir)
        fingerprint = _fingerprint(source)
        marker = store_dir / LOADED_FROM
        if fingerprint and marker.is_file() and json.loads(marker.read_text()) == fingerprint:
            return _open_store(ox.Store.read_only, store_dir)
        store_dir.mkdir(parents=True, exist_ok=True)
        marker.unlink(missing_ok=True)
        store = _open_store(ox.Store, store_dir)
        store.clear()
    if isinstance(source, Graph):
        store.load(source.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    else:
        for path in _paths(source):
            try:
                store.bulk_load(path=str(path))  # the format follows the file's extension
            except (SyntaxError, ValueError, OSError) as error:
                raise EngineError(f"cannot load {path}: {error}") from None
    if store_dir is not None:
        store.flush()
        if fingerprint:
            marker.write_text(json.dumps(fingerprint))
    return store


def _open_store(opener, store_dir: Path):
    try:
        return opener(str(store_dir / "store"))
    except OSError as error:
        raise EngineError(f"cannot open the store in {store_dir} (is another kg using it?): {error}") from None


def _fingerprint(source: Source) -> dict | None:
    """What the store was loaded from: each file's path, size and modification time (None for a graph)."""
    if isinstance(source, Graph):
        return None
    return {str(p.resolve()): [p.stat().st_size, p.stat().st_mtime_ns] for p in _paths(source)}
