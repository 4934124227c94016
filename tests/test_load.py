"""Every class of bad input gets its own file:line:column message, all problems at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kg.load import load_facts

SOURCE = """\
- id: register
  type: Source
  label: Register notice
  title: Addition of Acme to the Entity List
  url: https://www.federalregister.gov/documents/2019/05/21/example
  publisher: Federal Register
  date: 2019-05-21
"""
ACTOR = """\
- id: acme
  type: Company
  label: Acme Telecom
"""


def problems_for(tmp_path: Path, text: str | bytes, name: str = "events.yaml") -> list[str]:
    """Load ``text`` as facts/<name> beside a valid source and actor; the problems as printed."""
    facts = tmp_path / "facts"
    facts.mkdir(exist_ok=True)
    (facts / "sources.yaml").write_text(SOURCE)
    (facts / "actors.yaml").write_text(ACTOR)
    target = facts / name
    target.write_bytes(text if isinstance(text, bytes) else textwrap.dedent(text).encode())
    result = load_facts(facts)
    return [f"{Path(p.file).name}:{p.line}:{p.column}: {p.message}" for p in result.problems]


def event(extra: str = "", **replace: str) -> str:
    fields = {
        "id": "listing",
        "type": "EntityListAddition",
        "label": "Acme added",
        "issued_by": "[acme]",
        "effective_date": "2019-05-16",
        "sources": "[register]",
    }
    fields.update(replace)
    lines = [f"- id: {fields.pop('id')}"] + [f"  {k}: {v}" for k, v in fields.items() if v is not None]
    return "\n".join(lines) + "\n" + extra


def test_valid_facts_load_without_problems(tmp_path):
    assert problems_for(tmp_path, event()) == []


def test_syntax_error_names_line_and_column(tmp_path):
    assert problems_for(tmp_path, "- id: x\n  label: [unclosed\n") == [
        "events.yaml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"
    ]


def test_duplicate_key(tmp_path):
    text = event() + "  label: Again\n"
    assert problems_for(tmp_path, text) == ["events.yaml:7:3: duplicate key 'label' (first at line 3)"]


def test_duplicate_id_across_files(tmp_path):
    text = event(id="acme")
    assert problems_for(tmp_path, text) == [
        "events.yaml:1:3: duplicate id 'acme' (first defined at " + str(tmp_path / "facts" / "actors.yaml") + ":1:3)"
    ]


def test_unknown_field_message_is_exact(tmp_path):
    text = event() + "  efective_date: 2019-05-16\n"
    assert problems_for(tmp_path, text) == [
        "events.yaml:7:3: unknown field 'efective_date' (did you mean 'effective_date'?)"
    ]


def test_missing_required_field(tmp_path):
    assert problems_for(tmp_path, event(issued_by=None)) == ["events.yaml:1:3: missing required field 'issued_by'"]


def test_fact_without_a_source(tmp_path):
    assert problems_for(tmp_path, event(sources=None)) == ["events.yaml:1:3: missing required field 'sources'"]


def test_empty_source_list(tmp_path):
    assert problems_for(tmp_path, event(sources="[]")) == ["events.yaml:6:3: sources: is empty but required"]


@pytest.mark.parametrize("value", ["2019-5-16", "16/05/2019", "2019-02-30", "'May 16, 2019'"])
def test_non_iso_date(tmp_path, value):
    shown = value.strip("'")
    assert problems_for(tmp_path, event(effective_date=value)) == [
        f"events.yaml:5:3: effective_date: '{shown}' is not an ISO date (YYYY-MM-DD)"
    ]


def test_yaml11_boolean_where_text_is_meant(tmp_path):
    assert problems_for(tmp_path, event(label="no")) == [
        "events.yaml:3:3: label: 'no' reads as a boolean in YAML 1.1; quote it (\"no\") if you mean text"
    ]


def test_quoted_no_is_text(tmp_path):
    assert problems_for(tmp_path, event(label='"no"')) == []


def test_wrong_type_for_a_number(tmp_path):
    assert problems_for(tmp_path, event(affiliates_count="sixty-eight")) == [
        "events.yaml:7:3: affiliates_count: expects a whole number, not 'sixty-eight'"
    ]


def test_list_where_one_value_is_expected(tmp_path):
    assert problems_for(tmp_path, event(label="[a, b]")) == ["events.yaml:3:3: label: expects one value, not a list"]


def test_unknown_type_suggests(tmp_path):
    assert problems_for(tmp_path, event(type="EntityListAdition")) == [
        "events.yaml:2:3: unknown type 'EntityListAdition' (did you mean 'EntityListAddition'?)"
    ]


def test_unknown_term_value(tmp_path):
    assert problems_for(tmp_path, event(effect="restrictve")) == [
        "events.yaml:7:3: effect: unknown value 'restrictve' (did you mean 'restrictive'?)"
    ]


def test_dangling_reference_points_at_the_item(tmp_path):
    assert problems_for(tmp_path, event(issued_by="[acme, acmee]")) == [
        "events.yaml:4:21: issued_by: unknown reference 'acmee' (did you mean 'acme'?)"
    ]


def test_reference_to_the_wrong_class(tmp_path):
    assert problems_for(tmp_path, event(issued_by="[register]")) == [
        "events.yaml:4:15: issued_by: 'register' is a Source, expected a Actor"
    ]


def test_qualified_citation_with_unknown_key(tmp_path):
    text = event(sources=None) + "  sources:\n    - source: register\n      qoute: \"x\"\n"
    assert problems_for(tmp_path, text) == [
        "events.yaml:8:7: unknown field 'qoute' in sources (did you mean 'quote'?)"
    ]


def test_non_http_url_is_refused(tmp_path):
    bad = SOURCE.replace("https://www.federalregister.gov/documents/2019/05/21/example", "javascript:alert(1)")
    assert problems_for(tmp_path, bad.replace("id: register", "id: other"), name="more.yaml") == [
        "more.yaml:5:3: url: 'javascript:alert(1)' is not an http(s) URL"
    ]


def test_anchors_and_aliases_are_refused(tmp_path):
    text = "- id: a\n  type: Company\n  label: &name Acme\n  aliases: [*name]\n"
    assert problems_for(tmp_path, text) == ["events.yaml:3:10: anchors and aliases (&, *) are not allowed in facts"]


def test_billion_laughs_is_refused_quickly(tmp_path):
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    text = "- id: bomb\n  type: Company\n  label: x\n  " + "\n  ".join(levels) + "\n"
    problems = problems_for(tmp_path, text)
    assert any("anchors and aliases" in p for p in problems)


def test_file_that_is_not_utf8(tmp_path):
    assert problems_for(tmp_path, b"- id: acme2\n  label: Caf\xe9\n") == [
        "events.yaml:2:13: not UTF-8: byte 0xe9 cannot be decoded"
    ]


def test_empty_file(tmp_path):
    assert problems_for(tmp_path, "\n\n") == ["events.yaml:1:1: file is empty: expected a list of records"]


def test_top_level_must_be_a_list(tmp_path):
    assert problems_for(tmp_path, "id: x\ntype: Company\n") == [
        "events.yaml:1:1: expected a list of records (each starting with '- id:')"
    ]


def test_all_problems_are_reported_at_once(tmp_path):
    text = event(effective_date="2019-5-1", issued_by="[nobody]") + "  colour: red\n"
    assert len(problems_for(tmp_path, text)) == 3


def test_records_keep_their_positions(tmp_path):
    problems_for(tmp_path, event())
    result = load_facts(tmp_path / "facts")
    listing = next(r for r in result.records if r.id == "listing")
    assert (listing.position.line, listing.positions["effective_date"].line) == (1, 5)
    assert str(listing.values["effective_date"]) == "2019-05-16"


def test_folder_without_facts_is_a_problem(tmp_path):
    assert [(p.line, p.message) for p in load_facts(tmp_path).problems] == [(1, "no facts: the folder has no *.yaml files")]


def test_a_value_listed_twice(tmp_path):
    text = event(sources=None) + "  sources:\n    - register\n    - source: register\n      quote: \"x\"\n"
    assert problems_for(tmp_path, text) == ["events.yaml:8:7: sources: 'register' is listed twice; list it once"]
