"""`kg lint`: each problem planted in tests/fixtures/analysis-lint is found at its file and line."""

from __future__ import annotations

import re

import pytest

from kg.load import load_facts
from kg.lint import lint

from conftest import FACTS, FIXTURES
from test_analyze import in_repository, run  # noqa: F401  (in_repository is an autouse fixture)

PLANTED = FIXTURES / "analysis-lint"
EXPECTED = [
    ("actors.yaml", 27, "duplicate", "'huawei-technologies' may duplicate 'huawei'"),
    ("actors.yaml", 37, "duplicate", "'zte-2' may duplicate 'zte'"),
    ("actors.yaml", 42, "untouched-actor", "no event involves actor 'lonely-regulator'"),
    ("events.yaml", 21, "early-effective", "effective_date 2019-06-01 precedes announced_date 2019-06-10"),
    ("events.yaml", 42, "no-primary-source", "government action 'uk-decision' cites no primary source"),
    ("events.yaml", 44, "quote-not-in-source", "quote not found in the stored text of 'news'"),
    ("sources.yaml", 21, "duplicate", "'news-again' has the same url as 'news'"),
    ("sources.yaml", 25, "unused-source", "source 'orphan' supports nothing"),
]


@pytest.fixture(scope="module")
def findings():
    return lint(load_facts(PLANTED / "facts").records, PLANTED / "sources")


def test_every_planted_problem_and_nothing_else(findings):
    found = [(f.file.rsplit("/", 1)[-1], f.line, re.search(r"\[([a-z-]+)\]$", f.message).group(1)) for f in findings]
    assert found == [(file, line, code) for file, line, code, _message in EXPECTED]
    for finding, (_file, _line, _code, message) in zip(findings, EXPECTED, strict=True):
        assert message in finding.message and finding.severity == "warning"


def test_without_stored_texts_quotes_are_not_checked():
    found = lint(load_facts(PLANTED / "facts").records, None)
    assert len(found) == len(EXPECTED) - 1 and not any("quote-not-in-source" in f.message for f in found)


def test_lint_command_warns_and_strict_fails():
    warned = run("lint", "--facts", str(PLANTED / "facts"))
    assert warned.exit_code == 0
    assert "tests/fixtures/analysis-lint/facts/actors.yaml:42:3: no event involves actor 'lonely-regulator'" \
           " [untouched-actor] (warning)" in warned.output
    assert "8 findings" in warned.output
    strict = run("lint", "--facts", str(PLANTED / "facts"), "--strict")
    assert strict.exit_code == 1 and "(error)" in strict.output and "lint failed (--strict)" in strict.output
    clean = run("lint", "--facts", str(FIXTURES / "mini"), "--strict")
    assert clean.exit_code == 0 and "0 findings" in clean.output


def test_quotes_of_the_curated_facts_are_in_the_stored_cnet_article():
    found = lint(load_facts(FACTS).records, FACTS.parent / "sources")
    assert (FACTS.parent / "sources" / "cnet-2020-06-huawei-5g-standards.txt").is_file()
    assert not [str(f) for f in found if "quote-not-in-source" in f.message]
