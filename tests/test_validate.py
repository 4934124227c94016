"""SHACL validation of the compiled graph, with results mapped back to YAML lines."""

from __future__ import annotations

from rdflib import PROV, Literal, URIRef
from rdflib.namespace import XSD

from kg.compile import compile_graph
from kg.load import load_facts
from kg.namespaces import VOCAB, entity_iri
from kg.validate import validate_graph


def compiled(facts):
    loaded = load_facts(facts)
    assert loaded.problems == []
    return compile_graph(loaded.records)


def test_the_mini_facts_conform(mini_facts):
    result = compiled(mini_facts)
    assert validate_graph(result.graph, result.origins) == []


def test_shacl_catches_an_event_without_a_source(mini_facts):
    result = compiled(mini_facts)
    result.graph.remove((entity_iri("listing"), PROV.wasDerivedFrom, None))
    problems = validate_graph(result.graph, result.origins)
    assert [(p.line, p.message) for p in problems if p.file.endswith("events.yaml")] == [
        (13, "sources: cites no source: every fact needs at least one source")
    ]


def test_effective_after_end_is_mapped_to_the_line_of_the_key(mini_facts):
    text = (mini_facts / "events.yaml").read_text().replace("end_date: 2019-08-19", "end_date: 2019-05-01")
    (mini_facts / "events.yaml").write_text(text)
    result = compiled(mini_facts)
    problems = validate_graph(result.graph, result.origins)
    messages = {(p.file.rsplit("/", 1)[-1], p.line, p.column, p.message) for p in problems}
    assert messages == {
        ("events.yaml", 23, 3, "effective_date is after end_date"),
        ("events.yaml", 17, 3, "its direct edge would end before it starts: check end_date and the dates"
         " of events that rescind, reverse or supersede it"),
    }


def test_result_is_mapped_to_the_line_of_its_key(mini_facts):
    result = compiled(mini_facts)
    result.graph.remove((entity_iri("doe-says"), URIRef(VOCAB + "announcedDate"), None))
    problems = validate_graph(result.graph, result.origins)
    assert [str(p).split("statements.yaml:")[1] for p in problems] == [
        "6:3: announced_date: a statement needs the announced_date it was made"
    ]


def test_action_without_any_date_is_reported(mini_facts):
    result = compiled(mini_facts)
    for key in ("announcedDate", "effectiveDate", "publishedDate"):
        result.graph.remove((entity_iri("listing"), URIRef(VOCAB + key), None))
    messages = [p.message for p in validate_graph(result.graph, result.origins)]
    assert "needs at least one of announced_date, effective_date or published_date" in messages


def test_wrong_datatype_is_caught_by_shacl(mini_facts):
    result = compiled(mini_facts)
    node = entity_iri("listing")
    result.graph.set((node, URIRef(VOCAB + "publishedDate"), Literal("21 May 2019", datatype=XSD.string)))
    problems = validate_graph(result.graph, result.origins)
    assert any(p.line == 10 and p.message.startswith("published_date:") for p in problems)
