"""`kg query --engine`, `--store`, `--with-imports` and `kg build --with-imports`: same answers either way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

REPO = Path(__file__).resolve().parent.parent
CSL = REPO / "tests" / "fixtures" / "csl" / "consolidated.csv"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the facts with fresh exports and an imported screening list."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "facts", root / "facts")
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--facts", str(root / "facts"), "--out", str(root / "exports")]).exit_code == 0
    imported = runner.invoke(cli, ["import", "csl", str(CSL), "--facts", str(root / "facts"),
                                   "--out", str(root / "exports" / "imports"), "--retrieved", "2026-11-25"])
    assert imported.exit_code == 0, imported.output
    return root


def ask(project: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["query", "--facts", str(project / "facts"), "--exports", str(project / "exports"),
                                      "--format", "json", *args])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    rows = document["results"]["bindings"]
    return {"vars": document["head"]["vars"], "rows": sorted(json.dumps(r, sort_keys=True) for r in rows)}


# Named questions whose answers are identical term for term (tests/test_engine.py compares all of them,
# allowing for GROUP_CONCAT order and integer subtypes, which SPARQL leaves open).
EXACT = ("action-chain", "edge-history", "restrictions-5g", "restrictions-in-force", "source-supports", "statements-by")


@pytest.mark.parametrize("name", EXACT)
def test_named_questions_same_on_both_engines_from_the_cli(project, name):
    assert ask(project, "--named", name, "--engine", "rdflib") == ask(project, "--named", name, "--engine", "oxigraph")


def test_imports_are_queryable_only_when_asked(project):
    count = "SELECT (COUNT(?l) AS ?n) WHERE { ?l a tp:ScreeningListing }"
    without = ask(project, count, "--engine", "oxigraph")
    with_imports = [ask(project, count, "--with-imports", "--engine", e) for e in ("rdflib", "oxigraph")]
    assert json.loads(without["rows"][0])["n"]["value"] == "0"
    assert with_imports[0] == with_imports[1] and json.loads(with_imports[0]["rows"][0])["n"]["value"] != "0"


def test_on_disk_store_is_reused(project, tmp_path):
    store = tmp_path / "store"
    first = ask(project, "--named", "actions-against", "--store", str(store))
    assert store.is_dir() and any(store.iterdir())
    assert ask(project, "--named", "actions-against", "--store", str(store)) == first


def test_store_with_rdflib_is_refused(project, tmp_path):
    result = CliRunner().invoke(cli, ["query", "--facts", str(project / "facts"), "--exports", str(project / "exports"),
                                      "--engine", "rdflib", "--store", str(tmp_path / "s"), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 1 and "store directory is for the oxigraph engine" in result.output


def test_build_with_imports_adds_the_lists_to_every_export(project, tmp_path):
    out = project / "exports"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--facts", str(project / "facts"), "--out", str(out), "--check"]).exit_code == 0
    stale = runner.invoke(cli, ["build", "--facts", str(project / "facts"), "--out", str(out), "--check", "--with-imports"])
    assert stale.exit_code == 1 and "techpolicy.ttl" in stale.output


def test_matches_file_in_facts_is_not_read_as_facts(tmp_path, mini_facts):
    (mini_facts / "matches.yaml").write_text("- slug: acme\n  list_entry: abc\n")
    assert CliRunner().invoke(cli, ["validate", "--facts", str(mini_facts)]).exit_code == 0


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_ontology_is_queryable_beside_the_data(project, engine):
    counted = ask(project, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a/rdfs:subClassOf* tp:Action }", "--engine", engine)
    actions = ask(project, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s tp:issuedBy ?by }", "--engine", engine)
    assert counted == actions and json.loads(counted["rows"][0])["n"]["value"] != "0"
