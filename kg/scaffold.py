"""``kg init``: start a new facts folder with the same vocabulary."""

from __future__ import annotations

import shutil
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "scaffold"


def init_facts(directory: Path | str) -> list[Path]:
    """Copy an example actor, event, source and a README into ``directory`` (which must be empty or new)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    directory.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(path, directory / path.name)) for path in sorted(TEMPLATE.iterdir())]
