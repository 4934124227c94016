"""The whole pipeline: load → compile → validate, then write or check the exports atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kg.compile import Origin, compile_graph
from kg.load import Record, load_facts
from kg.problems import FactsError, Problem
from kg.schema import Schema, load_schema
from kg.validate import validate_graph


@dataclass
class Build:
    """A valid graph built from facts, with the records and origins it came from."""

    records: list[Record]
    graph: Graph
    origins: dict[URIRef, Origin]
    warnings: list[Problem]


def build(facts_dir: Path | str, schema: Schema | None = None) -> Build:
    """Load, compile and validate the facts; raise :class:`FactsError` with every problem found."""
    schema = schema or load_schema()
    loaded = load_facts(facts_dir, schema)
    if loaded.problems:
        raise FactsError(loaded.problems)
    compiled = compile_graph(loaded.records, schema)
    problems = validate_graph(compiled.graph, compiled.origins, schema)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise FactsError(errors)
    warnings = [p for p in problems if p.severity != "error"]
    return Build(loaded.records, compiled.graph, compiled.origins, warnings)


MANIFEST = "inputs.json"


def input_manifest(facts_dir: Path | str, imports: list[Path] | tuple = ()) -> bytes:
    """The SHA-256 of every input of a build (facts, ontology, imports), as the JSON ``kg build`` writes
    to ``exports/inputs.json``; readers use the exports only while it matches (:func:`exports_match`)."""
    from kg.load import facts_files
    from kg.schema import ontology_dir

    def digests(paths) -> dict[str, str]:
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(paths)}

    manifest = {"facts": digests(facts_files(facts_dir)), "ontology": digests(ontology_dir().glob("*.ttl")),
                "imports": digests(imports)}
    return (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")


def export_files(graph: Graph, facts_dir: Path | str, imports: list[Path] | tuple = ()) -> dict[str, bytes]:
    """Every export of ``graph`` and the manifest of the inputs it was built from, by file name."""
    from kg.export import render_exports

    return {**render_exports(graph), MANIFEST: input_manifest(facts_dir, imports)}


def exports_match(facts_dir: Path | str, exports_dir: Path | str) -> bool:
    """Whether ``exports_dir`` was built from exactly these facts and this ontology, without imports."""
    manifest = Path(exports_dir) / MANIFEST
    return manifest.is_file() and manifest.read_bytes() == input_manifest(facts_dir)


def import_files(imports_dir: Path | str) -> list[Path]:
    """The N-Triples files that importers (``kg import``) wrote to ``imports_dir``, sorted."""
    return sorted(Path(imports_dir).glob("*.nt"))


def add_imports(graph: Graph, files: list[Path]) -> Graph:
    """Add imported N-Triples files (:func:`import_files`) to ``graph`` (``--with-imports``)."""
    for path in files:
        graph.parse(path, format="nt")
    return graph


def write_exports(files: dict[str, bytes], out_dir: Path | str) -> list[Path]:
    """Write every file or none: all are written to temporary files first, then renamed into place."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mode = 0o666 & ~_umask()  # what open() would give; mkstemp's files are private (0600)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            staged.append((name, Path(temporary)))
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.chmod(temporary, mode)
    except BaseException:
        for _name, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise
    written = []
    for name, temporary in staged:
        os.replace(temporary, out_dir / name)
        written.append(out_dir / name)
    return written


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stale_exports(files: dict[str, bytes], out_dir: Path | str) -> list[str]:
    """Names of the export files that are missing from ``out_dir`` or differ from ``files``."""
    out_dir = Path(out_dir)
    return [name for name, content in files.items() if not (out_dir / name).is_file() or (out_dir / name).read_bytes() != content]
