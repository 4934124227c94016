"""kg.query and the `kg query` / `kg queries` commands: checks, formats, timeouts, as-of views, named questions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.build import build, export_files, write_exports
from kg.cli import cli
from kg.export import render_exports
from kg.namespaces import VOCAB, entity_iri
from kg.query import (
    QueryError, QueryTimeout, as_of, check_query, current_export, named_queries, named_query, read_export, run_query,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "query"
FACTS = Path(__file__).resolve().parent.parent / "facts"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TP = lambda name: URIRef(VOCAB + name)  # noqa: E731


@pytest.fixture(scope="module")
def small():
    """The query fixture's graph: a listing, a licence extended until it expired, a UK decision reversed."""
    return build(FIXTURE).graph


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def fixture_args(tmp_path: Path) -> list[str]:
    return ["--facts", str(FIXTURE), "--exports", str(tmp_path / "no-exports")]


def labels(answer) -> list[str]:
    return [str(row[0]) for row in answer.rows]


# ---------------------------------------------------------------- checks


def test_syntax_error_has_line_column_and_caret():
    with pytest.raises(QueryError) as caught:
        check_query("SELECT ?s WHERE {\n  ?s ?p ?o ?x }")
    error = caught.value
    assert (error.line, error.column) == (2, 12)
    assert str(error).splitlines()[-2:] == ["    ?s ?p ?o ?x }", "             ^"]


def test_syntax_error_at_the_very_end_points_past_the_last_line():
    with pytest.raises(QueryError) as caught:
        check_query("SELECT * WHERE { ?s ?p ?o\n")
    assert str(caught.value).splitlines()[1:] == ["line 2, column 1:", "  ", "  ^"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SELECTWHRAKsp?{}.;:<>\"'\n #()tp_0123")) | st.characters(), max_size=60))
def test_any_text_is_a_query_or_a_query_error_with_a_printable_message(text):
    try:
        check_query(text)
    except QueryError as error:
        assert str(error)


def test_unknown_prefix_is_named_and_known_ones_listed():
    with pytest.raises(QueryError) as caught:
        check_query("SELECT ?s WHERE {\n ?s ex:name ?o }")
    message = str(caught.value)
    assert "unknown prefix 'ex:'" in message and "tp:, tpid:" in message
    assert (caught.value.line, caught.value.column) == (2, 5)


def test_predeclared_prefixes_need_no_prefix_lines():
    assert check_query("SELECT ?a WHERE { ?a tp:targets tpid:huawei ; rdfs:label ?l ; prov:wasDerivedFrom ?s }")


@pytest.mark.parametrize("text", ["", "  \n", "PREFIX ex: <http://example.org/>"])
def test_an_empty_query_is_a_syntax_error_not_an_update(text):
    with pytest.raises(QueryError, match="syntax error: Expected"):
        check_query(text)


READ_ONLY, NO_SERVICE = "refused: the graph is read-only", "SERVICE is refused"


@pytest.mark.parametrize("query, message", [
    ("INSERT DATA { tpid:a tp:targets tpid:b }", READ_ONLY),
    ("DELETE WHERE { ?s ?p ?o }", READ_ONLY),
    ("LOAD <http://example.org/data.ttl>", READ_ONLY),
    ("DROP ALL", READ_ONLY),
    ("CLEAR DEFAULT", READ_ONLY),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", NO_SERVICE),
    ("SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }", NO_SERVICE),
    ("SELECT * WHERE { ?x ?y ?z . SERVICE ?x { ?s ?p ?o } }", NO_SERVICE),
    ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/> { ?s ?p ?o } } }", NO_SERVICE),
    ("ASK { OPTIONAL { SERVICE <http://example.org/> { ?s ?p ?o } } }", NO_SERVICE),
])
def test_updates_and_service_are_refused_wherever_they_hide(query, message):
    with pytest.raises(QueryError, match=message):
        check_query(query)


def test_from_graphs_are_never_fetched():
    import rdflib.plugins.sparql

    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


# ---------------------------------------------------------------- evaluation and formats


def test_select_rows_and_every_result_format(small):
    answer = run_query(small, "SELECT ?label WHERE { ?e tp:targets tpid:vendor ; rdfs:label ?label } ORDER BY ?label")
    assert answer.total == 6 and labels(answer)[0] == "Temporary general licence extended to August 2020"
    document = json.loads(answer.serialize("json"))
    assert document["head"]["vars"] == ["label"] and len(document["results"]["bindings"]) == 6
    root = ET.fromstring(answer.serialize("xml"))
    assert len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 6
    rows = list(csv.reader(io.StringIO(answer.serialize("csv").decode())))
    assert rows[0] == ["label"] and len(rows) == 7
    tsv = answer.serialize("tsv").decode().splitlines()
    assert tsv[0] == "?label" and tsv[1] == '"Temporary general licence extended to August 2020"@en'


def test_ask_and_construct(small):
    assert run_query(small, "ASK { tpid:us-bis tp:eases tpid:vendor }").boolean is True
    assert json.loads(run_query(small, "ASK { tpid:vendor tp:eases ?x }").serialize("json"))["boolean"] is False
    construct = run_query(small, "CONSTRUCT { ?i tp:restricts ?t } WHERE { ?i tp:restricts ?t }")
    graph = Graph().parse(data=construct.serialize("turtle"), format="turtle")
    assert set(graph.subjects()) == {entity_iri("us-bis"), entity_iri("uk-government")}
    with pytest.raises(QueryError, match="is a graph"):
        construct.serialize("csv")


def test_max_rows_caps_rows_but_counts_all(small):
    answer = run_query(small, "SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(answer.rows) == 5 and answer.total == len(small) and answer.truncated


def test_timeout_kills_the_worker(small):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="timed out after 0.5 s"):
        run_query(small, SLOW, timeout=0.5)
    assert time.monotonic() - started < 3
    assert multiprocessing.active_children() == []


# ---------------------------------------------------------------- as-of views

def eases_on(graph: Graph, day: str) -> bool:
    return (entity_iri("us-bis"), TP("eases"), entity_iri("vendor")) in as_of(graph, dt.date.fromisoformat(day))


def edges_on(graph: Graph, day: str) -> set[str]:
    view = as_of(graph, dt.date.fromisoformat(day))
    return {str(view.value(edge, TP("impliedBy"))).rsplit("/", 1)[-1] for edge in view.subjects(None, TP("DerivedEdge"))}


def test_licence_in_force_while_extended_and_gone_after_expiry(small):
    assert eases_on(small, "2019-06-01") and eases_on(small, "2020-08-01") and eases_on(small, "2020-08-13")
    assert not eases_on(small, "2020-09-01") and not eases_on(small, "2019-05-19")


def test_reversed_decision_drops_out_and_later_one_holds(small):
    assert {"uk-january", "listing"} <= edges_on(small, "2020-03-01") and "uk-july" not in edges_on(small, "2020-03-01")
    august = edges_on(small, "2020-08-01")
    assert "uk-july" in august and "uk-january" not in august


def test_later_events_and_their_citations_are_absent(small):
    view = as_of(small, dt.date(2020, 3, 1))
    assert (entity_iri("uk-january"), None, None) in view
    assert (entity_iri("uk-july"), None, None) not in view and (None, None, entity_iri("uk-july")) not in view
    assert not any("uk-july" in str(s) for s in view.subjects())
    assert (entity_iri("vendor"), None, None) in view  # actors stay


def test_events_stay_after_their_edges_end(small):
    view = as_of(small, dt.date(2030, 1, 1))
    assert set(view.subjects(TP("announcedDate"))) | set(view.subjects(TP("effectiveDate"))) == set(
        small.subjects(TP("announcedDate"))) | set(small.subjects(TP("effectiveDate")))
    assert edges_on(small, "2030-01-01") == {"listing", "uk-july"}


# ---------------------------------------------------------------- which graph is read


def test_current_export_is_used_only_when_built_from_these_facts(tmp_path, mini_facts):
    exports = tmp_path / "exports"
    assert current_export(mini_facts, exports) is None
    write_exports(render_exports(build(mini_facts).graph), exports)
    assert current_export(mini_facts, exports) is None  # no manifest of its inputs: not trusted
    write_exports(export_files(build(mini_facts).graph, mini_facts), exports)
    export = current_export(mini_facts, exports)
    assert export == exports / "techpolicy.nt" and len(read_export(export)) == len(build(mini_facts).graph)
    assert current_export(FACTS, exports) is None  # another facts folder
    (mini_facts / "events.yaml").write_text((mini_facts / "events.yaml").read_text() + "\n")
    assert current_export(mini_facts, exports) is None  # changed facts


def test_cli_says_which_graph_it_reads(tmp_path, mini_facts):
    exports = tmp_path / "exports"
    args = ["query", "ASK { ?s ?p ?o }", "--facts", str(mini_facts), "--exports", str(exports)]
    assert "building in memory" in run(*args).stderr
    write_exports(export_files(build(mini_facts).graph, mini_facts), exports)
    assert run(*args).stderr.strip() == f"reading {exports / 'techpolicy.nt'}"


# ---------------------------------------------------------------- the query command


def test_query_prints_a_table_with_a_row_count(tmp_path):
    result = run("query", "SELECT ?label WHERE { ?e tp:targets tpid:vendor ; rdfs:label ?label }", *fixture_args(tmp_path))
    assert result.exit_code == 0
    assert "Vendor added to the Entity List" in result.stdout and "6 rows" in result.stdout


def test_table_rows_are_limited_with_a_note(tmp_path):
    result = run("query", "SELECT * WHERE { ?s ?p ?o }", "--max-rows", "3", *fixture_args(tmp_path))
    assert result.exit_code == 0 and f"first 3 of {served_triples()} rows (--max-rows 0 shows all)" in result.stdout


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.splitlines()[0] == "label"),
    ("tsv", lambda out: out.splitlines()[0] == "?label"),
    ("json", lambda out: json.loads(out)["head"]["vars"] == ["label"]),
    ("xml", lambda out: ET.fromstring(out).tag.endswith("sparql")),
])
def test_query_result_formats(tmp_path, fmt, check):
    result = run("query", "SELECT ?label WHERE { tpid:vendor rdfs:label ?label }", "--format", fmt, *fixture_args(tmp_path))
    assert result.exit_code == 0 and check(result.stdout)


def test_graph_formats_and_output_file(tmp_path):
    out = tmp_path / "answer.nt"
    result = run("query", "DESCRIBE tpid:vendor", "--format", "nt", "-o", str(out), *fixture_args(tmp_path))
    assert result.exit_code == 0 and result.stdout == ""
    assert (entity_iri("vendor"), None, None) in Graph().parse(out, format="nt")
    jsonld = run("query", "CONSTRUCT WHERE { tpid:vendor ?p ?o }", "--format", "jsonld", *fixture_args(tmp_path))
    assert json.loads(jsonld.stdout)
    assert "@prefix" in run("query", "DESCRIBE tpid:vendor", *fixture_args(tmp_path)).stdout


def test_query_from_file_and_stdin(tmp_path):
    (tmp_path / "q.rq").write_text("SELECT ?l WHERE { tpid:vendor rdfs:label ?l }")
    assert "Vendor Co." in run("query", "-f", str(tmp_path / "q.rq"), *fixture_args(tmp_path)).stdout
    piped = CliRunner().invoke(cli, ["query", "-f", "-", "--format", "csv", *fixture_args(tmp_path)],
                               input="ASK { tpid:vendor a tp:Company }")
    assert piped.stdout == "true\n"


def test_ask_exit_status(tmp_path):
    yes = run("query", "ASK { tpid:us-bis tp:eases tpid:vendor }", "--exit-status", *fixture_args(tmp_path))
    no = run("query", "ASK { tpid:us-bis tp:eases tpid:vendor }", "--exit-status", "--as-of", "2020-09-01", *fixture_args(tmp_path))
    assert (yes.exit_code, yes.stdout) == (0, "true\n") and (no.exit_code, no.stdout) == (1, "false\n")


def test_as_of_from_the_command_line(tmp_path):
    query = "SELECT ?e WHERE { ?edge a tp:DerivedEdge ; tp:impliedBy ?e ; rdf:subject tpid:uk-government }"
    march = run("query", query, "--format", "csv", "--as-of", "2020-03-01", *fixture_args(tmp_path)).stdout
    august = run("query", query, "--format", "csv", "--as-of", "2020-08-01", *fixture_args(tmp_path)).stdout
    assert march.split() == ["e", str(entity_iri("uk-january"))] and august.split() == ["e", str(entity_iri("uk-july"))]


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE {\n ?s ?p }", "syntax error"),
    ("SELECT * WHERE { ?s ex:p ?o }", "unknown prefix 'ex:'"),
    ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", "SERVICE is refused"),
])
def test_bad_queries_exit_1_without_traceback(tmp_path, query, message):
    result = run("query", query, *fixture_args(tmp_path))
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_query_timeout_exits_1(tmp_path):
    result = run("query", SLOW, "--timeout", "0.3", *fixture_args(tmp_path))
    assert result.exit_code == 1 and "timed out after 0.3 s" in result.stderr


@pytest.mark.parametrize("args, message", [
    ([], "exactly one of"),
    (["ASK {}", "--named", "actions-against"], "exactly one of"),
    (["ASK {}", "--param", "a=b"], "--param goes with --named"),
    (["--named", "no-such-question"], "no named question 'no-such-question'"),
    (["--named", "actions-against", "--param", "nope=1"], "has no parameter nope"),
    (["--named", "actions-against", "--param", "entity"], "KEY=VALUE"),
    (["SELECT * WHERE { ?s ?p ?o }", "--format", "turtle"], "does not fit a SELECT query"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    result = run("query", *args, *fixture_args(tmp_path))
    assert result.exit_code == 2 and message in result.output


def test_named_question_with_parameter(tmp_path):
    result = run("query", "--named", "actions-against", "--param", "entity=vendor", "--format", "csv", *fixture_args(tmp_path))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["action"].rsplit("/", 1)[-1] for r in rows][:2] == ["listing", "tgl"] and len(rows) == 6


# ---------------------------------------------------------------- named questions: files and listing


def test_there_are_at_least_twelve_named_questions_all_documented_and_valid():
    questions = named_queries()
    assert len(questions) >= 12
    for question in questions.values():
        assert question.title and question.description, question.name
        check_query(question.bind())


def test_parameters_are_typed():
    question = named_query("actions-against")
    assert "<https://w3id.org/techpolicy-kg/id/zte>" in question.bind({"entity": "zte"})
    with pytest.raises(QueryError, match="not an entity slug"):
        question.bind({"entity": "> } DROP ALL"})


def test_queries_command_lists_and_shows(tmp_path):
    listing = run("queries")
    assert listing.exit_code == 0 and all(name in listing.stdout for name in named_queries())
    shown = run("queries", "actions-against")
    assert shown.stdout.startswith("# title: Actions against an entity")
    assert run("queries", "nope").exit_code == 2


# ---------------------------------------------------------------- named questions answered on the curated facts


def ask(graph: Graph, name: str, **params: str) -> list[dict[str, str]]:
    """A named question's rows, each as {variable: displayed value} (slugs as tpid:slug)."""
    from kg.query import display

    answer = run_query(graph, named_query(name).bind(params))
    return [dict(zip(answer.variables, (display(term) for term in row))) for row in answer.rows]


def column(rows: list[dict[str, str]], key: str) -> list[str]:
    return [row[key] for row in rows]


def test_named_actions_against(graph):
    rows = ask(graph, "actions-against", entity="huawei")
    assert column(rows, "date") == sorted(column(rows, "date"))
    listing = next(r for r in rows if r["action"] == "tpid:entity-list-huawei-2019")
    assert listing["date"] == "2019-05-15" and listing["issuedBy"] == "Bureau of Industry and Security"
    assert "commerce.gov" in listing["sources"]
    assert {"tpid:tgl-2019-05", "tpid:uk-huawei-5g-removal-2020-07"} <= set(column(rows, "action"))


def test_named_action_chain_follows_every_licence_extension(graph):
    rows = ask(graph, "action-chain", action="tgl-2019-05")
    assert column(rows, "later")[:5] == [
        "tpid:tgl-ext-2019-08", "tpid:tgl-ext-2019-11", "tpid:tgl-ext-2020-02", "tpid:tgl-ext-2020-03", "tpid:tgl-ext-2020-05",
    ]
    assert set(column(rows, "link")[:5]) == {"tp:extends"} and rows[1]["earlier"] == "tpid:tgl-ext-2019-08"
    ended = next(r for r in rows if r["later"] == "tpid:fdp-entity-list-rule-2020-08")
    assert (ended["date"], ended["link"], ended["earlier"]) == ("2020-08-17", "tp:rescinds", "tpid:tgl-2019-05")


def test_named_statements_about(graph):
    rows = ask(graph, "statements-about", event="entity-list-huawei-2019")
    ross = next(r for r in rows if r["speaker"] == "Wilbur Ross")
    assert ross["date"] == "2019-05-15" and ross["quote"].startswith("This will prevent American technology")
    assert "commerce.gov" in ross["sources"]


def test_named_restrictions_5g(graph):
    rows = ask(graph, "restrictions-5g", vendor="huawei")
    found = {(r["country"], r["date"], r["effect"]) for r in rows}
    assert {("United Kingdom", "2020-01-28", "restrictive"), ("United Kingdom", "2020-07-14", "restrictive"),
            ("Australia", "2018-08-23", "restrictive"), ("Canada", "2020-06-02", "excluding")} <= found
    assert "United States" not in column(rows, "country")  # US actions on Huawei are about exports, not 5G networks
    assert all(source.startswith("http") for source in column(rows, "source"))


def test_named_restrictions_in_force(graph):
    on = {day: set(column(ask(graph, "restrictions-in-force", date=day), "event"))
          for day in ("2019-12-31", "2020-03-01", "2021-01-01")}
    assert "tpid:entity-list-huawei-2019" in on["2019-12-31"] and "tpid:uk-hrv-decision-2020-01" not in on["2019-12-31"]
    assert "tpid:uk-hrv-decision-2020-01" in on["2020-03-01"] and "tpid:uk-huawei-5g-removal-2020-07" not in on["2020-03-01"]
    assert "tpid:uk-huawei-5g-removal-2020-07" in on["2021-01-01"] and "tpid:uk-hrv-decision-2020-01" not in on["2021-01-01"]


def test_named_licences(graph):
    rows = ask(graph, "licences", entity="huawei")
    assert (rows[0]["licence"], rows[0]["from"], rows[0]["until"]) == ("tpid:tgl-2019-05", "2019-05-20", "2019-08-19")
    assert rows[-1]["until"] == "2020-08-13" and rows[-1]["extends"] == "tpid:tgl-ext-2020-03"
    assert all(r["extends"] for r in rows[1:])


def test_named_affiliates(graph):
    rows = {r["action"]: r for r in ask(graph, "affiliates", company="huawei")}
    first = rows["tpid:entity-list-huawei-2019"]
    assert (first["date"], first["affiliates"], first["frCitation"]) == ("2019-05-15", "68", "84 FR 22961")
    assert rows["tpid:entity-list-huawei-affiliates-2019-08"]["affiliates"] == "46"
    assert rows["tpid:fdp-entity-list-rule-2020-08"]["affiliates"] == "38"


def test_named_source_supports(graph):
    rows = ask(graph, "source-supports", source="commerce-2019-05-15-huawei-press-release")
    assert {"tpid:entity-list-huawei-2019", "tpid:ross-2019-05-15-entity-list"} <= set(column(rows, "fact"))
    assert all(r["type"] != "tp:DerivedEdge" for r in rows)


def test_named_without_primary_source(graph):
    rows = ask(graph, "without-primary-source")
    facts = {entity_iri(r["fact"].removeprefix("tpid:")) for r in rows}
    assert rows and entity_iri("entity-list-huawei-2019") not in facts
    for fact in facts:
        assert not any(graph.value(source, TP("primary")) for source in graph.objects(fact, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))


def test_named_country_timeline(graph):
    rows = ask(graph, "country-timeline", country="gb")
    events = column(rows, "event")
    assert events.index("tpid:uk-hrv-decision-2020-01") < events.index("tpid:uk-huawei-5g-removal-2020-07")
    assert column(rows, "date") == sorted(column(rows, "date"))
    assert "tpid:entity-list-huawei-2019" not in events


def test_named_statements_by(graph):
    rows = ask(graph, "statements-by", actor="wilbur-ross")
    first = next(r for r in rows if r["statement"] == "tpid:ross-2019-05-15-entity-list")
    assert first["date"] == "2019-05-15" and first["about"] == "Huawei and 68 non-US affiliates added to the Entity List"


def test_named_federal_register(graph):
    rows = {r["action"]: r for r in ask(graph, "federal-register")}
    listing = rows["tpid:entity-list-huawei-2019"]
    assert (listing["published"], listing["frCitation"]) == ("2019-05-21", "84 FR 22961")
    assert rows["tpid:tgl-ext-2019-11"]["rin"] == "0694-AH97"


def test_named_restrictions_by_country(graph):
    rows = ask(graph, "restrictions-by-country", target="huawei")
    assert rows[0]["country"] == "United States" and int(rows[0]["actions"]) >= 5
    uk = next(r for r in rows if r["country"] == "United Kingdom")
    assert uk["first"] == "2020-01-28"


def test_named_edge_history(graph):
    rows = ask(graph, "edge-history", actor="huawei")
    licence = next(r for r in rows if r["event"] == "tpid:tgl-2019-05")
    assert (licence["verb"], licence["from"], licence["until"]) == ("eases", "2019-05-20", "2019-08-19")
    january = next(r for r in rows if r["event"] == "tpid:uk-hrv-decision-2020-01")
    assert january["until"] == "2020-07-13"


def test_named_events_between(graph):
    rows = ask(graph, "events-between", **{"from": "2020-07-01", "to": "2020-07-31"})
    assert "tpid:uk-huawei-5g-removal-2020-07" in column(rows, "event")
    assert all("2020-07-01" <= day <= "2020-07-31" for day in column(rows, "date"))


def test_every_named_question_is_tested_here():
    tested = {name for name in named_queries() if f'"{name}"' in Path(__file__).read_text()}
    assert tested == set(named_queries())


# ---------------------------------------------------------------- as-of on the curated facts

def implied_on(graph: Graph, day: str) -> set[str]:
    view = as_of(graph, dt.date.fromisoformat(day))
    return {str(view.value(edge, TP("impliedBy"))).rsplit("/", 1)[-1] for edge in view.subjects(None, TP("DerivedEdge"))}


def test_temporary_general_licence_as_of(graph):
    licences = lambda day: {e for e in implied_on(graph, day) if e.startswith("tgl-")}  # noqa: E731
    assert licences("2019-06-01") == {"tgl-2019-05"}
    assert licences("2020-08-01") == {"tgl-ext-2020-05"}
    assert licences("2020-09-01") == set()


def test_uk_decisions_as_of(graph):
    assert "uk-hrv-decision-2020-01" in implied_on(graph, "2020-03-01")
    august = implied_on(graph, "2020-08-01")
    assert "uk-hrv-decision-2020-01" not in august and "uk-huawei-5g-removal-2020-07" in august


def test_a_row_with_every_variable_unbound_is_still_a_row(graph):
    answer = run_query(graph, "SELECT ?x WHERE { OPTIONAL { ?x tp:noSuchProperty ?y } }")
    assert (answer.total, answer.rows) == (1, [(None,)])


def served_triples() -> int:
    """The fixture's triples with the ontology that kg query and kg serve load beside them."""
    from kg.build import build
    from kg.schema import load_schema

    return len(build(FIXTURE).graph + load_schema().ontology)


def test_table_cells_are_text_not_markup():
    result = run("query", 'SELECT ?x WHERE { BIND("[/bold] not [red]markup" AS ?x) }', "--facts", str(FIXTURE))
    assert result.exit_code == 0 and "[/bold] not [red]markup" in result.stdout
