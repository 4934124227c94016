"""How the HTML view scales: time to write the page and time until the network is stable in Chromium.

Synthetic graphs shaped like the real one (actors, and events that are issued by one actor, target
two and sometimes amend an earlier event) of 100, 1 000 and 10 000 nodes. Each size is opened twice
when it can be: with tuned physics, and with positions computed in Python and physics off; this is
how kg.view.PHYSICS_LIMIT was chosen. Prints a table and the ratio of each figure to the smallest graph's.

Usage: .venv/bin/python bench/view_bench.py [SIZE ...]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Literal, Namespace

import kg.view
from kg.namespaces import VOCAB, entity_iri, new_graph

TP = Namespace(VOCAB)
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = (100, 1_000, 10_000)
SETTLE_TIMEOUT = 120  # seconds; physics on 10 000 nodes never settles


def synthetic_graph(size: int, seed: int = 1):
    """``size`` nodes: two fifths companies and agencies, the rest dated events linking them."""
    rng = random.Random(seed)
    graph = new_graph()
    actors = [entity_iri(f"actor-{i}") for i in range(size * 2 // 5)]
    for i, actor in enumerate(actors):
        graph.add((actor, RDF.type, TP.Company if i % 3 else TP.GovernmentAgency))
        graph.add((actor, RDFS.label, Literal(f"Actor {i}", lang="en")))
    events = [entity_iri(f"event-{i}") for i in range(size - len(actors))]
    for i, event in enumerate(events):
        graph.add((event, RDF.type, TP.EntityListAddition))
        graph.add((event, RDFS.label, Literal(f"Event {i}", lang="en")))
        graph.add((event, TP.announcedDate, Literal(f"20{18 + i % 5}-0{1 + i % 9}-1{i % 10}", datatype=XSD.date)))
        graph.add((event, TP.issuedBy, rng.choice(actors)))
        for target in rng.sample(actors, 2):
            graph.add((event, TP.targets, target))
        if i and rng.random() < 0.3:
            graph.add((event, TP.amends, rng.choice(events[:i])))
    return graph


def time_to_stable(browser, page_file: Path) -> float | None:
    """Seconds from opening the file until the page says its layout is stable (None: not within the timeout)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        start = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_function("() => window.kgView && window.kgView.stable", timeout=SETTLE_TIMEOUT * 1000)
        return time.perf_counter() - start
    except Exception:  # Playwright's TimeoutError: the layout never settled
        return None
    finally:
        page.close()


def measure(browser, size: int, folder: Path) -> dict[str, float | None]:
    graph = synthetic_graph(size)
    figures: dict[str, float | None] = {}
    for mode, limit in (("physics", size), ("positions", size - 1)):
        if mode == "physics" and size > 1_000:
            continue  # vis-network's physics on 10 000 nodes does not settle within minutes
        kg.view.PHYSICS_LIMIT = limit
        start = time.perf_counter()
        html = kg.view.render_html(kg.view.view_model(graph))
        figures[f"write ({mode})"] = time.perf_counter() - start
        page_file = folder / f"view-{size}-{mode}.html"
        page_file.write_text(html, encoding="utf-8")
        figures[mode] = time_to_stable(browser, page_file)
    return figures


def main(sizes: tuple[int, ...]) -> None:
    from playwright.sync_api import sync_playwright

    columns = ("write (positions)", "positions", "write (physics)", "physics")
    rows = {}
    kg.view.render_html(kg.view.view_model(synthetic_graph(10)))  # warm up: imports, ontology
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size in sizes:
            rows[size] = measure(browser, size, Path(folder))
            print(f"measured {size} nodes", file=sys.stderr)
        browser.close()
    smallest = rows[sizes[0]]
    print(f"{'nodes':>7} | " + " | ".join(f"{c + ' s':>20}" for c in columns) + " |  ratios to smallest")
    for size, figures in rows.items():
        cells = [f"{figures[c]:>20.2f}" if figures.get(c) else f"{f'> {SETTLE_TIMEOUT}' if c in figures else 'not run':>20}"
                 for c in columns]
        ratios = [f"{figures[c] / smallest[c]:.1f}x" if figures.get(c) and smallest.get(c) else "—" for c in columns]
        print(f"{size:>7} | " + " | ".join(cells) + " |  " + " ".join(ratios))
    print("write = view_model + render_html; positions/physics = seconds until the network is stable in Chromium")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
