"""Query benchmark: what the forked, killable worker and the as-of view cost on the curated graph.

For every named question it times the check (parse + refusal walk), the evaluation in this process, and
``kg.query.run_query`` (the same evaluation in a forked worker with a timeout). It also times ``as_of`` on the graph
and on copies of it scaled 10× and 50×, with fresh entity IRIs for each copy.

    .venv/bin/python bench/query_bench.py [--facts facts] [--repeat 5]

Prints medians in milliseconds and the fork / in-process ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from rdflib import URIRef

from kg.build import build
from kg.namespaces import ENTITY, new_graph
from kg.query import as_of, check_query, named_queries, run_query


def median_ms(action: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def scaled(graph, copies: int):
    """``copies`` copies of the graph, each with its entity IRIs renamed, so the sizes add up."""
    big = new_graph()
    for copy in range(copies):
        rename = lambda term: URIRef(f"{term}-{copy}") if isinstance(term, URIRef) and term.startswith(ENTITY) else term  # noqa: E731
        for s, p, o in graph:
            big.add((rename(s), p, rename(o)))
    return big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", default="facts")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    graph = build(args.facts).graph
    print(f"graph: {len(graph)} triples\n")
    print(f"{'question':<26}{'check':>8}{'in-process':>12}{'forked':>9}{'ratio':>7}")
    ratios = []
    for name, question in named_queries().items():
        text = question.bind()
        prepared = check_query(text)
        check = median_ms(lambda: check_query(text), args.repeat)
        inline = median_ms(lambda: list(graph.query(prepared)), args.repeat)
        forked = median_ms(lambda: run_query(graph, text, timeout=60), args.repeat)
        ratios.append(forked / inline)
        print(f"{name:<26}{check:>8.1f}{inline:>12.1f}{forked:>9.1f}{forked / inline:>7.2f}")
    print(f"\nmedian fork / in-process ratio: {statistics.median(ratios):.2f}\n")
    day = dt.date(2020, 8, 1)
    for copies in (1, 10, 50):
        big = graph if copies == 1 else scaled(graph, copies)
        print(f"as_of on {len(big):>7} triples: {median_ms(lambda: as_of(big, day), max(1, args.repeat // 2)):8.1f} ms")


if __name__ == "__main__":
    main()
