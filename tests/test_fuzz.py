"""Mutated YAML never lets a traceback escape: every outcome is a clean build or problem lines."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
FILES = sorted(p.name for p in MINI.glob("*.yaml"))
SNIPPETS = [":", "- ", "  ", "\n", "[", "]", "{", "}", "&a", "*a", "'", '"', "#", "no", "2019-13-45",
            "\t", "\x00", "\xe9", "id", "type", "sources", "!!python/object:os.system", "? ", "|", ">"]


@st.composite
def mutations(draw):
    name = draw(st.sampled_from(FILES))
    text = (MINI / name).read_text()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate-line"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        else:
            lines = text.splitlines(keepends=True) or [""]
            index = at % len(lines)
            text = "".join(lines[: index + 1] + lines[index:])
    return name, text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=mutations())
def test_mutated_yaml_gives_problems_not_tracebacks(tmp_path_factory, mutation):
    name, text = mutation
    facts = tmp_path_factory.mktemp("facts")
    for other in FILES:
        (facts / other).write_text((MINI / other).read_text())
    (facts / name).write_bytes(text.encode("utf-8", "surrogatepass"))
    result = CliRunner().invoke(cli, ["validate", "--facts", str(facts)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        *problems, summary = result.output.splitlines()
        assert problems and summary.endswith("found")
        assert all(re.match(r"^\S+\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S", line) for line in problems), problems
