"""`kg diff`: two revisions of the facts (folders, exported Turtle, git revisions) compared in human terms."""

from __future__ import annotations

import json
import shutil
import subprocess

from kg.diff import diff_graphs, format_diff, load_side

from conftest import FIXTURES
from test_analyze import in_repository, run  # noqa: F401  (in_repository is an autouse fixture)

OLD, NEW = FIXTURES / "mini", FIXTURES / "analysis-diff"
EXPECTED = [
    "+ beta: Beta Networks (Company)",
    "- removal: Licence removed (FinalRule)",
    "~ doe-says: Jane Doe on the listing (Statement)",
    "    quote: This protects national security. \u2192 This protects our national security.",
    "~ edge/licence/us-bis/eases/acme: Bureau of Industry and Security eases Acme Telecom (Temporary licence for Acme)"
    " (DerivedEdge)",
    "    valid until: 2019-06-30 \u2192 2019-11-18",
    "~ licence: Temporary licence for Acme (License)",
    "    end date: 2019-08-19 \u2192 2019-11-18",
    "~ listing: Acme added to the Entity List (EntityListAddition)",
    "    scope: + 5G networks",
]


def test_two_fixture_revisions_in_human_terms():
    text = format_diff(diff_graphs(load_side(str(OLD)), load_side(str(NEW))))
    assert text.splitlines() == [*EXPECTED, "1 added, 1 removed, 4 changed"]


def test_no_differences_and_the_reverse_diff():
    assert format_diff(diff_graphs(load_side(str(OLD)), load_side(str(OLD)))) == "no differences"
    reverse = diff_graphs(load_side(str(NEW)), load_side(str(OLD)))
    assert ([e.id for e in reverse.added], [e.id for e in reverse.removed]) == (["removal"], ["beta"])


def test_an_exported_turtle_file_is_a_side(tmp_path):
    turtle = tmp_path / "old.ttl"
    assert run("export", "--facts", str(OLD), "--format", "ttl", "-o", str(turtle)).exit_code == 0
    result = run("diff", str(turtle), str(NEW), "--format", "json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    assert [e["id"] for e in changes["added"]] == ["beta"]
    licence = next(c for c in changes["changed"] if c["id"] == "licence")
    assert licence["changes"] == [{"property": "end date", "removed": ["2019-08-19"], "added": ["2019-11-18"]}]


def test_git_revisions_of_the_facts_folder(tmp_path):
    repo, facts = tmp_path / "repo", tmp_path / "repo" / "facts"
    shutil.copytree(OLD, facts)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "facts")
    git("commit", "-q", "-m", "first")
    shutil.rmtree(facts)
    shutil.copytree(NEW, facts)
    git("add", "-A", "facts")
    git("commit", "-q", "-m", "second")
    result = run("diff", "HEAD~1", "HEAD", "--facts", str(facts))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-1] == EXPECTED
    against_folder = run("diff", "HEAD", str(NEW), "--facts", str(facts))
    assert against_folder.output == "no differences\n"


def test_bad_sides(tmp_path):
    unknown = run("diff", "no-such-revision", str(NEW))
    assert unknown.exit_code == 2 and "'no-such-revision' is not a file, a folder or a git revision" in unknown.output
    option_like = run("diff", "--", "--output=/tmp/x", str(NEW))
    assert option_like.exit_code == 2 and "Traceback" not in option_like.output
    (tmp_path / "bad.ttl").write_text("this is not turtle <<<")
    (tmp_path / "bad.jsonld").write_text('{"a": 1')
    for bad in ("bad.ttl", "bad.jsonld"):
        result = run("diff", str(tmp_path / bad), str(NEW))
        assert result.exit_code == 2 and f"cannot read {tmp_path / bad} as RDF: " in result.output
        assert len(result.output.strip().splitlines()[-1]) < 300
