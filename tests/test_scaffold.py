"""`kg init` scaffolds facts that validate and build at once."""

from __future__ import annotations

from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.cli import cli
from kg.namespaces import VOCAB, entity_iri


def test_init_then_build(tmp_path):
    runner = CliRunner()
    facts, out = tmp_path / "facts", tmp_path / "exports"
    created = runner.invoke(cli, ["init", str(facts)])
    assert created.exit_code == 0
    assert sorted(p.name for p in facts.iterdir()) == ["README.md", "actors.yaml", "events.yaml", "sources.yaml"]
    built = runner.invoke(cli, ["build", "--facts", str(facts), "--out", str(out)])
    assert built.exit_code == 0, built.output
    graph = Graph().parse(out / "techpolicy.ttl")
    assert (entity_iri("example-regulator"), URIRef(VOCAB + "restricts"), entity_iri("example-vendor")) in graph


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.yaml").write_text("- id: x\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "is not empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.yaml"]
