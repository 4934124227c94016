"""docs/cli.md is the real help of every command, so it cannot go stale."""

from __future__ import annotations

import re
from pathlib import Path

from kg.cli import cli
import click

from kg.clidoc import cli_reference, contexts

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
README = Path(__file__).resolve().parent.parent / "README.md"


def test_cli_reference_is_current():
    assert DOC.read_text() == cli_reference(), "docs/cli.md is stale: run `make docs`"


def test_every_command_is_in_the_reference_and_the_readme():
    readme, reference = README.read_text(), DOC.read_text()
    for name, _context in contexts(click.Context(cli, info_name="kg")):
        assert f"## {name}\n" in reference
        assert re.search(rf"{re.escape(name)}(?![\w-])", readme), f"README.md does not show `{name}`"
