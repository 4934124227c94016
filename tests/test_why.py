"""`kg why`: the sources behind a fact, with quotes and the facts file:line citing them."""

from __future__ import annotations

import json

from kg.why import explain, explain_edge, format_explanation

from conftest import FACTS, FIXTURES
from test_analyze import in_repository, run  # noqa: F401  (in_repository is an autouse fixture)

MINI = FIXTURES / "mini"
ROSS = "ross-2020-06-15-standards-rule"
CNET = "cnet-2020-06-huawei-5g-standards"


def line_of(path, text: str, after: int = 0) -> int:
    """The first line number (from 1) after line ``after`` that contains ``text``."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > after and text in line)


def test_ross_quote_points_at_its_source_and_facts_line(built):
    statements = FACTS / "statements.yaml"
    record_line = line_of(statements, f"- id: {ROSS}")
    explanation = explain(built, ROSS)
    assert (explanation.type, explanation.date) == ("Statement", "2020-06-15")
    assert explanation.where.endswith(f"facts/statements.yaml:{record_line}")
    assert explanation.quote.startswith("The United States will not cede leadership in global innovation")
    cnet = next(s for s in explanation.supports if s.source == CNET)
    assert cnet.where.endswith(f"facts/statements.yaml:{line_of(statements, f'source: {CNET}', record_line)}")
    assert cnet.url.startswith("https://www.cnet.com/") and cnet.publisher == "CNET"
    assert "Wilbur Ross said in statement published Monday" in cnet.quote


def test_why_command_for_the_ross_quote():
    result = run("why", ROSS)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{ROSS}: ")
    assert f"source {CNET}: " in result.output and "    cited at facts/statements.yaml:" in result.output


def test_why_a_truthy_edge_lists_each_event_implying_it(built):
    found = explain_edge(built, "us-bis", "restricts", "huawei")
    assert "entity-list-huawei-2019" in [e.id for e in found]
    listing = next(e for e in found if e.id == "entity-list-huawei-2019")
    assert listing.edge.startswith("Bureau of Industry and Security restricts Huawei Technologies Co., Ltd.")
    assert all(s.where.startswith("facts/events-us.yaml:") for s in listing.supports)
    result = run("why", "BIS", "restricts", "Huawei")
    assert result.exit_code == 0 and "  implied by entity-list-huawei-2019: " in result.output


def test_explanation_text_on_the_mini_facts():
    from kg.build import build

    text = format_explanation(explain(build(MINI), "doe-says"))
    assert text.splitlines() == [
        "doe-says: Jane Doe on the listing (Statement, 2019-05-15)",
        "  written at tests/fixtures/mini/statements.yaml:1",
        "  quote: \u201cThis protects national security.\u201d",
        "  source register: Addition of Acme to the Entity List (Federal Register, 2019-05-21, primary)",
        "    https://www.federalregister.gov/documents/2019/05/21/example",
        "    \u201cDoe said: This protects national security.\u201d",
        "    cited at tests/fixtures/mini/statements.yaml:10",
    ]


def test_why_json_and_unknown_names():
    [edge] = json.loads(run("why", "--facts", str(MINI), "--format", "json", "us-bis", "eases", "acme").output)
    assert edge["id"] == "licence" and edge["edge"].endswith("holds 2019-05-20 to 2019-06-30")
    assert edge["supports"][0]["where"] == "tests/fixtures/mini/events.yaml:25"
    unknown = run("why", "--facts", str(MINI), "listng")
    assert unknown.exit_code == 2 and "unknown name 'listng'; closest: listing" in unknown.output
    no_edge = run("why", "--facts", str(MINI), "acme", "restricts", "us-bis")
    assert no_edge.exit_code == 2 and "no event implies 'acme restricts us-bis'" in no_edge.output
