"""Shared fixtures: the repository's facts built once per session, and small fixture folders."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "facts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def built():
    """The curated facts, loaded, compiled and validated once for the whole session."""
    from kg.build import build

    return build(FACTS)


@pytest.fixture(scope="session")
def graph(built):
    return built.graph


@pytest.fixture()
def mini_facts(tmp_path: Path) -> Path:
    """A copy of the small fixture facts that a test may change."""
    target = tmp_path / "facts"
    target.mkdir()
    for path in (FIXTURES / "mini").glob("*.yaml"):
        (target / path.name).write_text(path.read_text())
    return target


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """A folder for screenshots and other test artefacts (kept after the run)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
