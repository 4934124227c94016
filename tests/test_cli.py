"""The kg command line: exit codes, messages, lazy imports, documented commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

REPO = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_build_writes_every_export_and_says_so(tmp_path, mini_facts):
    result = run("build", "--facts", str(mini_facts), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    for name in ("techpolicy.ttl", "techpolicy.nt", "techpolicy.jsonld", "statements.csv"):
        assert f"wrote {tmp_path / 'out' / name}" in result.output


def test_build_check_fails_when_stale_and_passes_when_fresh(tmp_path, mini_facts):
    out = str(tmp_path / "out")
    stale = run("build", "--facts", str(mini_facts), "--out", out, "--check")
    assert stale.exit_code == 1 and "stale exports" in stale.output and not (tmp_path / "out").exists()
    run("build", "--facts", str(mini_facts), "--out", out)
    assert run("build", "--facts", str(mini_facts), "--out", out, "--check").exit_code == 0


def test_invalid_facts_exit_1_with_one_line_per_problem_and_write_nothing(tmp_path, mini_facts):
    events = mini_facts / "events.yaml"
    events.write_text(events.read_text().replace("effective_date: 2019-05-16", "efective_date: 2019-05-16"))
    result = run("build", "--facts", str(mini_facts), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{events}:9:3: unknown field 'efective_date' (did you mean 'effective_date'?)",
        "1 problem found",
    ]
    assert not (tmp_path / "out").exists()


def test_missing_facts_folder_is_a_usage_error():
    result = run("validate", "--facts", "/nonexistent/facts")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_validate_reports_counts(mini_facts):
    result = run("validate", "--facts", str(mini_facts))
    assert result.exit_code == 0 and "ok: 9 records" in result.output


def test_stats_counts_classes(mini_facts):
    result = run("stats", "--facts", str(mini_facts))
    assert result.exit_code == 0
    rows = {tuple(cell.strip() for cell in line.split("│")[1:3]) for line in result.output.splitlines()}
    assert ("tp:DerivedEdge", "2") in rows and ("tp:Statement", "1") in rows


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("kg, version ")


def test_help_imports_no_heavy_library():
    code = "import sys; from kg.cli import cli; heavy = {'rdflib', 'pyshacl', 'pyvis', 'networkx', 'starlette'}; " \
           "print(sorted(heavy & set(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_an_example_in_its_help(name):
    result = run(name, "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def test_unwritable_output_is_one_line_and_exit_2(tmp_path, mini_facts):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--facts", str(mini_facts), "--out", str(blocker / "out")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"Error: Not a directory: {blocker / 'out'}"]


@pytest.mark.parametrize("command", [["query", "ASK {}", "--as-of"], ["path", "a", "b", "--as-of"],
                                     ["view", "--as-of"], ["timeline", "--from"]])
def test_every_date_option_takes_only_iso_days(command):
    result = run(*command, "20200101")
    assert result.exit_code == 2 and "'20200101' is not a date (YYYY-MM-DD)" in result.output
