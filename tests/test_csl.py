"""The Consolidated Screening List importer, on fixture files in trade.gov's CSV and JSON formats."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import PROV, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import XSD

from kg.build import add_imports, import_files
from kg.cli import cli
from kg.csl import (
    CSV_COLUMNS, CslDataError, CslError, RowProblem, curated_index, import_csl, load_matches, read_list,
    write_import,
)
from kg.namespaces import ENTITY, VOCAB, entity_iri
from kg.validate import validate_graph

CSL = Path(__file__).resolve().parent / "fixtures" / "csl"
FACTS = CSL / "facts"
HUAWEI_ENTRY = "0f3a1c5e9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f"
RETRIEVED = dt.date(2026, 11, 25)
TP = {name: URIRef(VOCAB + name) for name in (
    "EntityListAddition", "ScreeningListing", "Person", "Conveyance", "Organization", "effectiveDate", "endDate",
    "frCitation", "targets", "issuedBy", "sameActorAs", "country", "checksum", "retrievedDate", "restricts",
    "DerivedEdge", "validFrom", "onList", "program",
)}


def party(entry: str) -> URIRef:
    return URIRef(f"{ENTITY}csl/{entry}")


def listing(entry: str) -> URIRef:
    return URIRef(f"{ENTITY}csl/{entry}/listing")


@pytest.fixture(scope="module")
def curated():
    actors, jurisdictions = curated_index(FACTS)
    return load_matches(CSL / "matches.yaml", actors), jurisdictions


@pytest.fixture(scope="module")
def imported(curated):
    matches, jurisdictions = curated
    return import_csl(CSL / "consolidated.csv", matches, jurisdictions, retrieved=RETRIEVED)


def test_the_fixture_header_is_the_published_one():
    assert (CSL / "consolidated.csv").read_text().splitlines()[0] == ",".join(CSV_COLUMNS)
    assert len(CSV_COLUMNS) == 29


def test_every_row_becomes_a_party_and_a_listing(imported):
    graph = imported.graph
    assert len(imported.entries) == 7 and imported.problems == []
    assert imported.summary().startswith("7 rows: 7 entries imported (3 Entity List additions), 0 malformed rows skipped")
    assert graph.value(listing(HUAWEI_ENTRY), RDF.type) == TP["EntityListAddition"]
    assert graph.value(listing(HUAWEI_ENTRY), TP["targets"]) == party(HUAWEI_ENTRY)
    assert graph.value(listing(HUAWEI_ENTRY), TP["issuedBy"]) == entity_iri("us-bis")
    assert graph.value(listing(HUAWEI_ENTRY), TP["effectiveDate"]) == Literal(dt.date(2019, 5, 16), datatype=XSD.date)
    assert graph.value(party(HUAWEI_ENTRY), RDFS.label) == Literal("Huawei Technologies Co., Ltd.", lang="en")
    assert set(graph.objects(party(HUAWEI_ENTRY), SKOS.altLabel)) == {
        Literal("Huawei", lang="en"), Literal("Huawei Technologies", lang="en")}


def test_listings_cite_every_federal_register_notice_and_the_file(imported):
    graph = imported.graph
    sources = {str(s).removeprefix(ENTITY) for s in graph.objects(listing(HUAWEI_ENTRY), PROV.wasDerivedFrom)}
    file_node = f"csl/file/{imported.file.sha256[:16]}"
    assert sources == {"csl/fr/84-fr-22963", "csl/fr/84-fr-43493", "csl/fr/85-fr-29853", file_node}
    assert graph.value(listing(HUAWEI_ENTRY), TP["frCitation"]) == Literal("84 FR 22963")
    notice = URIRef(ENTITY + "csl/fr/84-fr-22963")
    assert str(graph.value(notice, URIRef("https://schema.org/url"))) == "https://www.federalregister.gov/citation/84-FR-22963"
    checksum = hashlib.sha256((CSL / "consolidated.csv").read_bytes()).hexdigest()
    assert graph.value(URIRef(ENTITY + file_node), TP["checksum"]) == Literal(f"sha256:{checksum}")
    assert graph.value(URIRef(ENTITY + file_node), TP["retrievedDate"]) == Literal(RETRIEVED, datatype=XSD.date)


def test_the_progress_hook_sees_every_entry(curated):
    seen = []

    def track(entries):
        seen.append(len(entries))
        return iter(entries)

    import_csl(CSL / "malformed.csv", *curated, track=track)
    assert seen == [2]  # the well-formed rows, the ones that are mapped


def test_old_style_notices_are_normalised():
    entries = [e for e in read_list(CSL / "consolidated.csv")[1] if e.source.startswith("Denied Persons")]
    assert entries[0].notices == ("82 FR 48792",)


def test_parties_are_typed_by_the_list_type(imported):
    graph = imported.graph
    assert graph.value(party("9001"), RDF.type) == TP["Person"]
    assert str(graph.value(party("9001"), URIRef("https://schema.org/jobTitle"))) == "Director General"
    assert graph.value(party("9002"), RDF.type) == TP["Conveyance"]
    assert graph.value(party(HUAWEI_ENTRY), RDF.type) == TP["Organization"]


def test_undated_and_other_lists_are_generic_listings_by_their_agency(imported):
    graph = imported.graph
    assert graph.value(listing("9001"), RDF.type) == TP["ScreeningListing"]
    assert graph.value(listing("9001"), TP["effectiveDate"]) is None
    assert graph.value(listing("9001"), TP["issuedBy"]) == URIRef(ENTITY + "csl/agency/treasury-department")
    assert set(graph.objects(listing("9001"), TP["program"])) == {Literal("SDGT"), Literal("IRAN")}
    assert graph.value(listing("9001"), TP["onList"]) == URIRef(ENTITY + "csl/list/sdn")


def test_links_to_curated_actors_come_only_from_the_match_file_and_iso_codes(imported):
    graph = imported.graph
    assert imported.linked == {HUAWEI_ENTRY: "huawei"}
    assert imported.unused_matches == ["not-in-the-file"]
    assert set(graph.subject_objects(TP["sameActorAs"])) == {(party(HUAWEI_ENTRY), entity_iri("huawei"))}
    assert graph.value(party(HUAWEI_ENTRY), TP["country"]) == entity_iri("cn")
    assert graph.value(party("1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"), TP["country"]) == entity_iri("gb")
    assert graph.value(party("2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"), TP["country"]) is None  # CN and HK
    assert graph.value(party("9001"), TP["country"]) is None  # IR is not curated


def test_entity_list_additions_restrict_their_party_with_a_described_edge(imported):
    graph = imported.graph
    assert (entity_iri("us-bis"), TP["restricts"], party(HUAWEI_ENTRY)) in graph
    [edge] = graph.subjects(URIRef(VOCAB + "impliedBy"), listing(HUAWEI_ENTRY))
    assert str(edge).startswith(f"{ENTITY}edge/") and graph.value(edge, RDF.type) == TP["DerivedEdge"]
    assert graph.value(edge, TP["validFrom"]) == Literal(dt.date(2019, 5, 16), datatype=XSD.date)
    assert not list(graph.subjects(RDF.object, party("9001")))


def test_json_and_csv_of_the_same_list_give_the_same_graph(imported, curated):
    from_json = import_csl(CSL / "consolidated.json", *curated, retrieved=RETRIEVED)

    def without_file(result):
        file_node = URIRef(f"{ENTITY}csl/file/{result.file.sha256[:16]}")
        return {(s, p, o) for s, p, o in result.graph if file_node not in (s, o)}

    assert from_json.file.format == "json" and imported.file.format == "csv"
    assert without_file(from_json) == without_file(imported)


def test_the_import_conforms_to_the_shapes_with_the_curated_graph(graph, imported):
    from kg.build import build

    for curated_graph in (graph, build(FACTS).graph):
        merged = curated_graph + imported.graph
        assert [p for p in validate_graph(merged, {}) if p.severity == "error"] == []


@pytest.mark.parametrize(("name", "problems", "rows"), [
    ("malformed.csv", [  # CSV rows are numbered by the line they start on (the header is line 1)
        "row 3: start_date '2019-13-45' is not a date (YYYY-MM-DD)",
        "row 4: name is empty",
        "row 5: has 6 fields, the header has 29",
        f"row 6: duplicate entry id {HUAWEI_ENTRY} (first on row 2)",
        "row 7: type 'Spaceship' is not Entity, Individual, Vessel or Aircraft",
        "row 8: end_date 2019-01-01 is before start_date 2020-01-01",
    ], [2, 9]),
    ("malformed.json", [  # JSON rows are numbered by their position in "results"
        "row 2: is a str, not an object",
        "row 3: start_date '16 May 2019' is not a date (YYYY-MM-DD)",
        "row 4: alt_names is a int, not a list",
    ], [1]),
])
def test_malformed_rows_are_skipped_and_reported_by_row(curated, name, problems, rows):
    result = import_csl(CSL / name, *curated)
    assert [str(p) for p in result.problems] == problems
    assert [e.row for e in result.entries] == rows
    assert f"{len(problems)} malformed rows skipped" in result.summary()


def test_control_characters_and_oversized_fields_are_row_problems(tmp_path):
    good = ",".join(["x1", "Entity List (EL) - Bureau of Industry and Security", "", "Entity", "", "Good Co."] + [""] * 23)
    rows = [good, good.replace("x1", "x2").replace("Good", "Bad\0"),
            good.replace("x1", "x3").replace("Good Co.", '"' + "y" * 140_000 + '"'), good.replace("x1", "x4")]
    path = tmp_path / "odd.csv"
    path.write_text("\n".join([",".join(CSV_COLUMNS), *rows]) + "\n")
    _file, read = read_list(path)
    assert [str(row) if isinstance(row, RowProblem) else row.id for row in read] == [
        "x1", "row 3: name holds the control character U+0000",
        "row 4: unreadable CSV: field larger than field limit (131072)", "x4"]


def test_strict_stops_at_malformed_rows_naming_them_all(curated):
    with pytest.raises(CslDataError) as caught:
        import_csl(CSL / "malformed.csv", *curated, strict=True)
    lines = str(caught.value).splitlines()
    assert len(lines) == 7 and lines[0].endswith("malformed.csv: row 3: start_date '2019-13-45' is not a date (YYYY-MM-DD)")
    assert lines[-1] == "6 malformed rows: nothing imported (--strict)"


@pytest.mark.parametrize(("name", "message"), [
    ("not-json.json", "not-json.json:3:1: invalid JSON: Expecting property name enclosed in double quotes"),
    ("wrong-columns.csv", "not a Consolidated Screening List CSV: no column _id, source, name in the header"),
])
def test_files_that_are_not_the_list_are_refused(name, message):
    with pytest.raises(CslError) as caught:
        read_list(CSL / name)
    assert str(caught.value).endswith(message) and caught.value.exit_code == 2


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(CSV_COLUMNS).encode() + b"\n1,S\xe9,x\n")
    with pytest.raises(CslError, match="not UTF-8"):
        read_list(path)


@pytest.mark.parametrize(("text", "message"), [
    ("csl:\n  - actor: huawei\n    entry: x\n  - actor: nobody\n    entry: y\n", ":4: unknown actor 'nobody'"),
    ("csl:\n  - actor: huawei\n", ":2: a match needs both 'actor' and 'entry'"),
    ("csl:\n  - {actor: huawei, entry: x}\n  - {actor: zte, entry: x}\n", ":3: entry x is already matched to 'huawei'"),
    ("- actor: huawei\n", ":1: expected a mapping with a 'csl:' list of matches"),
])
def test_bad_match_files_are_refused_with_their_line(tmp_path, text, message):
    path = tmp_path / "matches.yaml"
    path.write_text(text)
    with pytest.raises(CslDataError) as caught:
        load_matches(path, {"huawei", "zte"})
    assert str(caught.value) == f"{path}{message}"


def test_a_missing_match_file_means_no_matches(tmp_path):
    assert load_matches(tmp_path / "none.yaml", {"huawei"}) == {}


def test_the_import_file_is_deterministic_and_added_on_request(tmp_path, imported, curated, mini_facts):
    first = write_import(imported, tmp_path / "a").read_bytes()
    again = write_import(import_csl(CSL / "consolidated.csv", *curated, retrieved=RETRIEVED), tmp_path / "b")
    assert again.read_bytes() == first and again.name == "csl.nt"
    assert first.decode().splitlines() == sorted(first.decode().splitlines())
    from kg.build import build

    curated_graph = build(mini_facts).graph
    size = len(curated_graph)
    add_imports(curated_graph, import_files(tmp_path / "a"))
    assert len(curated_graph) == size + len(imported.graph - build(mini_facts).graph)


# ---------------------------------------------------------------- the command


def run(*args: str):
    return CliRunner().invoke(cli, ["import", "csl", *args], catch_exceptions=False)


def test_cli_imports_and_reports(tmp_path):
    result = run(str(CSL / "consolidated.json"), "--facts", str(FACTS), "--matches", str(CSL / "matches.yaml"),
                 "--out", str(tmp_path), "--retrieved", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "7 rows: 7 entries imported (3 Entity List additions)" in result.stdout
    assert f"wrote {tmp_path / 'csl.nt'}" in result.stdout
    assert "entry not-in-the-file (matched to 'zte') is not in" in result.stderr
    assert '"2026-11-25"^^<http://www.w3.org/2001/XMLSchema#date>' in (tmp_path / "csl.nt").read_text()


def test_cli_skips_malformed_rows_with_their_row_number(tmp_path):
    result = run(str(CSL / "malformed.csv"), "--facts", str(FACTS), "--out", str(tmp_path))
    assert result.exit_code == 0
    assert "malformed.csv: row 4: name is empty (skipped)" in result.stderr
    assert "6 malformed rows skipped" in result.stdout


def test_cli_strict_writes_nothing_and_exits_1(tmp_path):
    result = run(str(CSL / "malformed.csv"), "--facts", str(FACTS), "--out", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "6 malformed rows: nothing imported (--strict)"
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_file_that_is_not_the_list_with_exit_2(tmp_path):
    result = run(str(CSL / "not-json.json"), "--facts", str(FACTS), "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "invalid JSON" in result.stderr and "Traceback" not in result.output


def test_cli_refuses_a_bad_match_file_with_exit_1(tmp_path):
    matches = tmp_path / "matches.yaml"
    matches.write_text("csl:\n  - actor: nobody\n    entry: x\n")
    result = run(str(CSL / "consolidated.csv"), "--facts", str(FACTS), "--matches", str(matches), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{matches}:2: unknown actor 'nobody'"


def test_non_text_items_in_a_json_list_are_row_problems(tmp_path, curated):
    document = json.loads((CSL / "consolidated.json").read_text())
    document["results"][0]["alt_names"] = [5, {"a": 1}]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(document))
    result = import_csl(path, *curated)
    assert [str(p) for p in result.problems] == ["row 1: alt_names holds a int, not text"]
