"""Both engines give the same answers over the curated graph, with imports, from files and from a store on disk."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.compare import isomorphic

from kg.csl import import_csl, write_import
from kg.engine import AUTO_BYTES, LOADED_FROM, EngineError, choose_engine, open_engine, to_rdflib

CSL = Path(__file__).resolve().parent / "fixtures" / "csl"

# (query, ordered): an ordered query's rows are compared in order, the others as multisets.
SELECTS = {
    "filter": ("""SELECT ?event ?day WHERE { ?event tp:effectiveDate ?day FILTER(?day >= "2020-01-01"^^xsd:date) }
                  ORDER BY ?day ?event""", True),
    "optional": ("""SELECT ?actor ?country WHERE { ?actor a tp:Company OPTIONAL { ?actor tp:country ?country } }""", False),
    "group-by": ("""SELECT ?type (COUNT(?node) AS ?n) (MIN(?label) AS ?first) WHERE { ?node a ?type ; rdfs:label ?label }
                    GROUP BY ?type ORDER BY DESC(?n) ?type""", True),
    "path": ("""SELECT ?unit WHERE { ?unit tp:partOf+ tpid:us-government }""", False),
    "union-bind": ("""SELECT ?who (STR(?name) AS ?text) (LANG(?name) AS ?lang) WHERE {
                        { ?who a tp:Person } UNION { ?who a tp:GovernmentAgency } ?who rdfs:label ?name }""", False),
    "derived": ("""SELECT ?issuer ?target ?from ?until WHERE { ?edge a tp:DerivedEdge ; rdf:subject ?issuer ;
                     rdf:object ?target ; tp:validFrom ?from OPTIONAL { ?edge tp:validUntil ?until } }""", False),
    "distinct-limit": ("""SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p LIMIT 12""", True),
    "not-exists": ("""SELECT ?agency WHERE { ?agency a tp:GovernmentAgency FILTER NOT EXISTS { ?event tp:targets ?agency } }""",
                   False),
}


GROUP_CONCAT = re.compile(r'GROUP_CONCAT\s*\(.*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s+\?(\w+)', re.I | re.S)
INTEGER_SUBTYPES = {XSD[name] for name in (
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
)}


def same_rows(first, second, ordered: bool) -> bool:
    rows = [tuple(row) for row in first], [tuple(row) for row in second]
    return rows[0] == rows[1] if ordered else Counter(rows[0]) == Counter(rows[1])


@pytest.fixture(scope="module")
def engines(graph):
    return open_engine("rdflib", graph), open_engine("oxigraph", graph)


@pytest.mark.parametrize("name", SELECTS)
def test_selects_give_the_same_rows_on_both_engines(engines, name):
    text, ordered = SELECTS[name]
    slow, fast = (engine.query(text) for engine in engines)
    assert slow.type == fast.type == "SELECT"
    assert [str(v) for v in slow.vars] == [str(v) for v in fast.vars]
    rows = list(slow)
    assert rows, f"{name} should find something in the curated graph"
    assert same_rows(rows, fast, ordered)


@pytest.mark.parametrize(("text", "answer"), [
    ("ASK { tpid:us-bis tp:restricts tpid:huawei }", True),
    ("ASK { tpid:huawei tp:restricts tpid:us-bis }", False),
])
def test_asks_agree(engines, text, answer):
    assert [engine.query(text).askAnswer for engine in engines] == [answer, answer]


def test_constructs_give_isomorphic_graphs(engines):
    text = "CONSTRUCT { ?target tp:restrictedBy ?issuer } WHERE { ?issuer tp:restricts ?target }"
    slow, fast = (engine.query(text) for engine in engines)
    assert fast.type == "CONSTRUCT" and len(fast.graph) > 0
    assert isomorphic(slow.graph, fast.graph)


def comparable(result, text: str) -> Counter:
    """Rows up to what SPARQL leaves open or oxigraph stores differently: the order of GROUP_CONCAT's parts
    (and whether it keeps a shared language tag), and integer subtypes, which oxigraph stores as xsd:integer."""
    separators = {name: separator for separator, name in GROUP_CONCAT.findall(text)}

    def term(name: str, value):
        if name in separators and value is not None:
            return frozenset(str(value).split(separators[name]))
        if isinstance(value, Literal) and value.datatype in INTEGER_SUBTYPES:
            return Literal(str(value), datatype=XSD.integer)
        return value

    return Counter(tuple(term(str(v), value) for v, value in zip(result.vars, row)) for row in result)


@pytest.fixture(scope="module")
def engines_with_import(graph):
    merged = graph + import_csl(CSL / "consolidated.csv", {"0f3a1c5e9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f": "huawei"}).graph
    return open_engine("rdflib", merged), open_engine("oxigraph", merged)


@pytest.mark.parametrize("pair", ["engines", "engines_with_import"])
def test_every_named_question_gives_the_same_answer_on_both_engines(request, pair):
    query = pytest.importorskip("kg.query")
    questions = query.named_queries()
    assert questions
    for name, question in questions.items():
        text = question.bind()
        slow, fast = (engine.query(text) for engine in request.getfixturevalue(pair))
        assert comparable(slow, text) == comparable(fast, text), name


def test_imported_lists_are_queryable_with_identical_answers(engines_with_import):
    text = """SELECT ?listing ?name ?day ?notice WHERE {
                ?listing tp:targets ?party ; tp:frCitation ?notice . ?party tp:sameActorAs tpid:huawei ; rdfs:label ?name
                OPTIONAL { ?listing tp:effectiveDate ?day } }"""
    slow, fast = (engine.query(text) for engine in engines_with_import)
    rows = list(slow)
    assert [(str(r.name), str(r.day), str(r.notice)) for r in rows] == [
        ("Huawei Technologies Co., Ltd.", "2019-05-16", "84 FR 22963")]
    assert same_rows(rows, fast, ordered=True)


@pytest.fixture()
def import_file(tmp_path) -> Path:
    return write_import(import_csl(CSL / "consolidated.csv"), tmp_path / "imports")


def test_both_engines_load_files(import_file):
    slow, fast = open_engine("rdflib", import_file), open_engine("oxigraph", [import_file])
    assert len(slow) == len(fast) == len(import_file.read_text().splitlines())


def test_a_store_on_disk_is_loaded_once_and_reloaded_when_the_files_change(tmp_path, import_file):
    store_dir = tmp_path / "store"
    first = open_engine("oxigraph", import_file, store_dir)
    count = len(first)
    del first  # release the store's lock
    assert (store_dir / LOADED_FROM).is_file()
    reused = open_engine("oxigraph", import_file, store_dir)
    assert len(reused) == count
    with pytest.raises(RuntimeError, match="read-write"):  # reused as it was: opened read-only, not loaded again
        reused.store.clear()
    del reused
    lines = import_file.read_text().splitlines(keepends=True)
    import_file.write_text("".join(lines[: len(lines) // 2]))
    reloaded = open_engine("oxigraph", import_file, store_dir)
    assert len(reloaded) == len(import_file.read_text().splitlines()) < count
    import_file.write_text("")  # changed again while the store is still open: reloading it must wait its turn
    with pytest.raises(EngineError, match=r"cannot open the store in .* \(is another kg using it\?\)"):
        open_engine("oxigraph", import_file, store_dir)


def test_auto_picks_oxigraph_for_a_store_or_a_large_input(tmp_path, graph):
    assert choose_engine(graph) == "rdflib"
    assert choose_engine(graph, tmp_path / "store") == "oxigraph"
    big = tmp_path / "big.nt"
    with big.open("wb") as handle:
        handle.truncate(AUTO_BYTES)  # a sparse file: only its size matters
    assert choose_engine(big) == "oxigraph"
    assert open_engine("auto", graph).name == "rdflib"


@pytest.mark.parametrize(("call", "message"), [
    (lambda g: open_engine("sparql", g), "unknown engine 'sparql' (choose rdflib, oxigraph or auto)"),
    (lambda g: open_engine("rdflib", g, "store"), "a store directory is for the oxigraph engine"),
    (lambda g: open_engine("oxigraph", "missing.nt"), "no such RDF file: missing.nt"),
    (lambda g: open_engine("rdflib", g).query("SELECT ?x WHERE {"), "query failed"),
    (lambda g: open_engine("oxigraph", g).query("SELECT ?x WHERE {"), "query failed"),
])
def test_errors_are_engine_errors(graph, call, message):
    with pytest.raises(EngineError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(graph)


@pytest.mark.parametrize("name", ["rdflib", "oxigraph"])
def test_a_file_that_does_not_parse_is_an_engine_error(tmp_path, name):
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n")
    with pytest.raises(EngineError, match=f"cannot load {bad}"):
        open_engine(name, bad)


def test_terms_convert_to_rdflib_as_rdflib_parses_them():
    import pyoxigraph as ox

    assert to_rdflib(ox.NamedNode("http://example.org/a")) == URIRef("http://example.org/a")
    assert to_rdflib(ox.BlankNode("b1")) == BNode("b1")
    assert to_rdflib(ox.Literal("Huawei", language="en")) == Literal("Huawei", lang="en")
    assert to_rdflib(ox.Literal("plain")) == Literal("plain") and Literal("plain").datatype is None
    day = ox.Literal("2019-05-16", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert to_rdflib(day).toPython().isoformat() == "2019-05-16"



def test_the_scale_benchmark_prints_its_table_at_a_tiny_size():
    import subprocess
    import sys

    bench = Path(__file__).resolve().parent.parent / "bench" / "scale_bench.py"
    done = subprocess.run([sys.executable, str(bench), "--sizes", "2k", "--oxigraph-only", "2k"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # rich wraps titles and captions to the table's width
    assert "selective query ms" in text and "oxigraph / rdflib" in text
    assert "both engines gave the same answers" in text and "oxigraph only, store on disk" in text
