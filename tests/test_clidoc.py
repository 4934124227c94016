"""docs/cli.md is the real help of every command, so it cannot go stale."""

from __future__ import annotations

from pathlib import Path

from kg.cli import cli
from kg.clidoc import cli_reference

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
README = Path(__file__).resolve().parent.parent / "README.md"


def test_cli_reference_is_current():
    assert DOC.read_text() == cli_reference(), "docs/cli.md is stale: run `make docs`"


def test_every_command_is_in_the_reference_and_the_readme():
    readme = README.read_text()
    for name in cli.commands:
        assert f"## kg {name}\n" in DOC.read_text()
        assert f"kg {name}" in readme, f"README.md does not show `kg {name}`"
