"""Scale benchmark: synthetic Consolidated Screening Lists imported at 10k, 100k and 1M triples, queried by both engines.

For each size it writes a synthetic list in trade.gov's CSV format (parties, listings, addresses and Federal
Register notices in the real proportions), imports it with ``kg.csl`` (the ``kg import csl`` code), then loads
the import plus the curated graph into each engine and times a selective, an aggregate and a path query and
N-Triples serialisation. Every step runs in its own process so that its peak memory is its own.

    .venv/bin/python bench/scale_bench.py                 # 10k, 100k and 1M triples
    .venv/bin/python bench/scale_bench.py --sizes 10k,100k
    .venv/bin/python bench/scale_bench.py --sizes 1M --oxigraph-only 10M

Prints one table per size, with the oxigraph / rdflib ratio of each figure, and checks the issue's targets.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("rdflib", "oxigraph")
ENTITY = "https://w3id.org/techpolicy-kg/id/"
LISTS = [  # (source, share of rows, party types), roughly as in the published list
    ("Specially Designated Nationals (SDN) - Treasury Department", 0.55, ("Individual", "Entity", "Entity", "Vessel")),
    ("Entity List (EL) - Bureau of Industry and Security", 0.25, ("",)),
    ("Military End User (MEU) List - Bureau of Industry and Security", 0.04, ("",)),
    ("Denied Persons List (DPL) - Bureau of Industry and Security", 0.04, ("",)),
    ("Unverified List (UVL) - Bureau of Industry and Security", 0.04, ("",)),
    ("Nonproliferation Sanctions (ISN) - State Department", 0.04, ("Entity", "Individual")),
    ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", 0.04, ("Entity",)),
]
COUNTRIES = ("CN", "RU", "IR", "HK", "AE", "TR", "KP", "SY", "GB", "US", "PK", "BY")
QUERIES = {
    "selective": """SELECT ?listing ?label ?day WHERE {{
        ?listing tp:targets <{party}> ; rdfs:label ?label OPTIONAL {{ ?listing tp:effectiveDate ?day }} }}""",
    "aggregate": """SELECT ?list (COUNT(?listing) AS ?n) (MIN(?day) AS ?first) WHERE {{
        ?listing tp:onList ?list OPTIONAL {{ ?listing tp:effectiveDate ?day }} }} GROUP BY ?list ORDER BY DESC(?n)""",
    "path": """SELECT (COUNT(?listing) AS ?n) WHERE {{
        ?listing tp:issuedBy/tp:partOf+ tpid:us-government ; tp:targets/tp:country ?country }}""",
}

STEPS = (  # figure, row label, scale, decimals
    ("load", "load s", 1, 2), ("selective", "selective query ms", 1000, 2), ("aggregate", "aggregate query ms", 1000, 2),
    ("path", "path query ms", 1000, 2), ("serialise", "serialise N-Triples s", 1, 2), ("peak", "peak memory MB", 1, 0),
)


# ---------------------------------------------------------------- synthetic data


def write_synthetic_csl(path: Path, rows: int, seed: int = 6) -> str:
    """Write a CSL CSV of ``rows`` rows; return the entry id of one Entity List party (for the selective query)."""
    from kg.csl import CSV_COLUMNS

    rng = random.Random(seed)
    notices = [f"{rng.randint(80, 90)} FR {rng.randint(1000, 99999)}" for _ in range(max(20, rows // 40))]
    weights = [share for _source, share, _types in LISTS]
    target = ""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        for number in range(rows):
            source, _share, types = rng.choices(LISTS, weights)[0]
            row = {"_id": f"{number:08x}{rng.getrandbits(32):08x}", "source": source, "type": rng.choice(types),
                   "name": f"Example {rng.choice(('Trading', 'Technology', 'Shipping', 'Research'))} Co. {number}",
                   "addresses": "; ".join(f"{rng.randint(1, 999)} Example Road, City {rng.randint(1, 500)}, "
                                          f"{rng.choice(COUNTRIES)}" for _ in range(rng.randint(1, 2))),
                   "alt_names": "; ".join(f"Alias {number}-{k}" for k in range(rng.randint(0, 3))),
                   "source_list_url": "https://example.gov/list", "remarks": "Synthetic row for benchmarks."}
            if "Treasury" not in source:
                day = f"{rng.randint(2005, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                row |= {"start_date": day, "federal_register_notice": ", ".join(rng.sample(notices, rng.randint(1, 3))),
                        "license_requirement": "For all items subject to the EAR.",
                        "license_policy": "Presumption of denial."}
            else:
                row["programs"] = "; ".join(rng.sample(("SDGT", "IRAN", "RUSSIA-EO14024", "DPRK3", "CYBER2"), 2))
            target = target or (row["_id"] if source.startswith("Entity List") else "")
            writer.writerow(row)
    return target


# ---------------------------------------------------------------- workers (one process each)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_worker(csv_path: Path, out_dir: Path) -> dict:
    """Import the list as ``kg import csl`` does, and write curated.nt beside csl.nt."""
    from kg.build import build, write_exports
    from kg.csl import import_csl, write_import
    from kg.export import ntriples
    from kg.problems import FactsError

    started = time.perf_counter()
    result = import_csl(csv_path)
    written = write_import(result, out_dir)
    seconds = time.perf_counter() - started
    try:
        curated = ntriples(build(REPO / "facts").graph)
    except FactsError:  # the facts are being edited: benchmark the import alone
        curated = b""
    write_exports({"curated.nt": curated}, out_dir)
    return {"import": seconds, "triples": len(result.graph), "rows": len(result.entries),
            "bytes": written.stat().st_size, "peak": peak_mb()}


def engine_worker(name: str, files: list[Path], party: str, store_dir: Path | None = None) -> dict:
    """Load the files into one engine (oxigraph: on disk with ``store_dir``), then time queries and serialisation."""
    from kg.engine import open_engine

    started = time.perf_counter()
    engine = open_engine(name, files, store_dir)
    figures = {"load": time.perf_counter() - started, "triples": len(engine)}
    for query, text in QUERIES.items():
        rows = lambda: list(engine.query(text.format(party=ENTITY + "csl/" + party)))  # noqa: E731
        figures[query], figures[f"{query} answer"] = timed(rows), [[str(term) for term in row] for row in rows()]
    figures["serialise"] = timed(lambda: serialise(engine), repeat=1)
    figures["peak"] = peak_mb()
    return figures


def serialise(engine) -> bytes:
    if engine.name == "rdflib":
        return engine.graph.serialize(format="nt", encoding="utf-8")
    import pyoxigraph as ox

    return engine.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def timed(call, repeat: int = 5, budget: float = 10.0) -> float:
    """The median time of up to ``repeat`` runs after a warm-up, stopping early once ``budget`` seconds are spent."""
    if repeat > 1:
        call()  # warm-up
    times: list[float] = []
    while len(times) < repeat and sum(times) < budget:
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def in_process(*args: str) -> dict:
    """Run this script as a worker in a new process and return the figures it prints."""
    done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True, text=True, cwd=REPO)
    if done.returncode:
        raise SystemExit(f"worker {' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout)


# ---------------------------------------------------------------- the table


def run_size(triples: int, per_row: float, workdir: Path):
    from rich.table import Table

    rows = max(10, round(triples / per_row))
    csv_path = workdir / f"csl-{triples}.csv"
    started = time.perf_counter()
    party = write_synthetic_csl(csv_path, rows)
    generate = time.perf_counter() - started
    out_dir = workdir / f"imports-{triples}"
    imported = in_process("import", str(csv_path), str(out_dir))
    files = [str(out_dir / "csl.nt"), str(out_dir / "curated.nt")]
    figures = {name: in_process("engine", name, party, "-", *files) for name in ENGINES}
    table = Table(title=f"{figures['rdflib']['triples']:,} triples")
    for column in ("step", "rdflib", "oxigraph", "oxigraph / rdflib"):
        table.add_column(column, justify="left" if column == "step" else "right")
    table.add_row("import (kg.csl, rdflib) s", f"{imported['import']:.2f}", "", "")
    table.add_row("import peak memory MB", f"{imported['peak']:,.0f}", "", "")
    agree = all(sorted(figures["rdflib"][f"{q} answer"]) == sorted(figures["oxigraph"][f"{q} answer"]) for q in QUERIES)
    table.caption = (f"{imported['rows']:,} list rows generated in {generate:.1f} s, {imported['bytes'] / 1e6:.0f} MB "
                     f"of N-Triples; {'both engines gave the same answers' if agree else 'THE ANSWERS DIFFER'}")
    for step, label, scale, digits in STEPS:
        slow, fast = figures["rdflib"][step], figures["oxigraph"][step]
        table.add_row(label, f"{slow * scale:,.{digits}f}", f"{fast * scale:,.{digits}f}", f"{fast / slow:.3f}")
    return table, imported, figures


def run_oxigraph_only(triples: int, per_row: float, workdir: Path):
    """oxigraph alone on a store on disk: an import of up to 1M triples, copied under new IRIs up to ``triples``."""
    from rich.table import Table

    base = min(triples, 1_000_000)
    csv_path = workdir / "csl-base.csv"
    party = write_synthetic_csl(csv_path, round(base / per_row))
    out_dir = workdir / "imports-base"
    in_process("import", str(csv_path), str(out_dir))
    big = workdir / f"csl-{triples}.nt"
    lines = (out_dir / "csl.nt").read_text().splitlines(keepends=True)
    with big.open("w") as handle:
        for copy in range(max(1, round(triples / len(lines)))):  # copy 0 keeps its IRIs, for the selective query
            handle.writelines(lines if copy == 0 else (line.replace("/id/csl/", f"/id/csl/c{copy}-") for line in lines))
    figures = in_process("engine", "oxigraph", party, str(workdir / "store"), str(big), str(out_dir / "curated.nt"))
    table = Table(title=f"{figures['triples']:,} triples, oxigraph only, store on disk")
    table.add_column("step")
    table.add_column("oxigraph", justify="right")
    for step, label, scale, digits in STEPS:
        table.add_row(label, f"{figures[step] * scale:,.{digits}f}")
    return table


def parse_size(text: str) -> int:
    """A triple count written like 10k or 1M."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(float(text.rstrip("kKmM")) * scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="triple counts, such as 10k,100k,1M")
    parser.add_argument("--oxigraph-only", metavar="SIZE", help="also time oxigraph alone at this size, such as 10M")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        figures = import_worker(Path(rest[0]), Path(rest[1])) if kind == "import" else engine_worker(
            rest[0], [Path(p) for p in rest[3:]], rest[1], None if rest[2] == "-" else Path(rest[2]))
        print(json.dumps(figures))
        return
    from rich.console import Console

    console = Console()
    sizes = [parse_size(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as directory:
        workdir = Path(directory)
        sample = workdir / "sample.csv"
        write_synthetic_csl(sample, 1000)
        from kg.csl import import_csl

        per_row = len(import_csl(sample).graph) / 1000
        console.print(f"synthetic list: {per_row:.1f} triples per row")
        for triples in sizes:
            table, imported, figures = run_size(triples, per_row, workdir)
            console.print(table)
            if triples >= 1_000_000:
                report_targets(console, imported, figures)
        if args.oxigraph_only:
            console.print(run_oxigraph_only(parse_size(args.oxigraph_only), per_row, workdir))


def report_targets(console, imported: dict, figures: dict) -> None:
    fast, slow = figures["oxigraph"], figures["rdflib"]
    checks = (
        ("import + oxigraph load under 60 s", imported["import"] + fast["load"], 60, "s"),
        ("selective query at least 20x faster", slow["selective"] / fast["selective"], 20, "x"),
        ("oxigraph peak memory under 4 GiB", fast["peak"] / 1024, 4, "GiB"),
        ("rdflib peak memory under 4 GiB", slow["peak"] / 1024, 4, "GiB"),
    )
    for label, value, limit, unit in checks:
        met = value >= limit if unit == "x" else value < limit
        console.print(f"{'met' if met else 'MISSED'}: {label} ({value:,.2f} {unit})")


if __name__ == "__main__":
    main()
