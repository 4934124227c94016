"""Curation checks beyond the SHACL shapes; each finding is a warning at a facts file and line.

Stored source texts: a folder (by default ``sources/`` beside ``facts/``) may hold a plain-text copy
of a source as ``<source-slug>.txt``. When it does, every quote cited from that source must appear
in it, and every sentence of a statement's own quote in one of the statement's stored sources, ignoring
case, spacing, curly quotes, ``...`` elisions and ``[bracketed]`` insertions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

from rdflib import URIRef

from kg.load import Position, Record
from kg.namespaces import VOCAB
from kg.problems import Problem
from kg.schema import load_schema
from kg.why import place

CORPORATE_WORDS = {"the", "of", "inc", "ltd", "co", "corp", "corporation", "company", "limited", "llc", "plc"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
GAPS = re.compile(r"\.\.\.|\u2026|\[[^\]]*\]")
FOLDS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def lint(records: list[Record], texts_dir: Path | str | None = None) -> list[Problem]:
    """Every finding, sorted by file and line; ``texts_dir`` holds stored source texts (see module doc)."""
    texts = {p.stem: p.read_text("utf-8") for p in Path(texts_dir).glob("*.txt")} if texts_dir else {}
    checks = (likely_duplicates, untouched_actors, effective_before_announced, unused_sources,
              secondary_sources_only)
    found = [problem for check in checks for problem in check(records)]
    return sorted([*found, *quotes_not_in_texts(records, texts)])


def _warning(position: Position, code: str, message: str) -> Problem:
    return Problem(position.file, position.line, position.column, f"{message} [{code}]", "warning")


def _is(record: Record, class_name: str) -> bool:
    return load_schema().is_a(record.type.iri, URIRef(VOCAB + class_name))


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"\w+", name.casefold()) if w not in CORPORATE_WORDS)


def _similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same words in any order, or the same words but one misspelt (both at least four letters long)."""
    if sorted(a) == sorted(b):
        return bool(a)
    if len(a) != len(b):
        return False
    different = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(different) != 1:
        return False
    x, y = different[0]
    return min(len(x), len(y)) >= 4 and SequenceMatcher(None, x, y).ratio() >= 0.8


def likely_duplicates(records: list[Record]) -> Iterator[Problem]:
    """Actors or jurisdictions named alike (label or alias), and sources with the same URL."""
    named = [r for r in records if _is(r, "Actor") or _is(r, "Jurisdiction")]
    for first, second in itertools.combinations(named, 2):
        pairs = itertools.product([first.values["label"], *first.values.get("aliases", [])],
                                  [second.values["label"], *second.values.get("aliases", [])])
        same = next(((a, b) for a, b in pairs if _similar(_tokens(a), _tokens(b))), None)
        if same:
            message = f"'{second.id}' may duplicate '{first.id}' ({place(first.position)}): '{same[1]}' ~ '{same[0]}'"
            yield _warning(second.position, "duplicate", message)
    sources = [r for r in records if "url" in r.values]
    for first, second in itertools.combinations(sources, 2):
        if first.values["url"].rstrip("/") == second.values["url"].rstrip("/"):
            yield _warning(second.positions["url"], "duplicate",
                           f"'{second.id}' has the same url as '{first.id}' ({place(first.position)})")


def untouched_actors(records: list[Record]) -> Iterator[Problem]:
    """Actors that no event issues, targets, benefits, announces or quotes."""
    touched = {ref.slug for r in records if _is(r, "Event") for _spec, ref in r.references()}
    for record in records:
        if _is(record, "Actor") and record.id not in touched:
            yield _warning(record.position, "untouched-actor", f"no event involves actor '{record.id}'")


def effective_before_announced(records: list[Record]) -> Iterator[Problem]:
    """Events that took effect before they were announced, with no ``note`` saying why."""
    for record in records:
        values = record.values
        dated = {"effective_date", "announced_date"} <= values.keys()
        if dated and values["effective_date"] < values["announced_date"] and "note" not in values:
            yield _warning(record.positions["effective_date"], "early-effective",
                           f"effective_date {values['effective_date']} precedes announced_date "
                           f"{values['announced_date']}; add a note explaining it")


def unused_sources(records: list[Record]) -> Iterator[Problem]:
    """Sources that no record cites."""
    cited = {ref.slug for r in records for _spec, ref in r.references()}
    for record in records:
        if _is(record, "Source") and record.id not in cited:
            yield _warning(record.position, "unused-source", f"source '{record.id}' supports nothing")


def secondary_sources_only(records: list[Record]) -> Iterator[Problem]:
    """Actions issued by a government or agency that cite no source marked ``primary: true``."""
    by_id = {r.id: r for r in records}
    for record in records:
        issuers = [by_id[ref.slug] for ref in record.values.get("issued_by", [])]
        if not _is(record, "Action") or not any(_is(i, "Government") or _is(i, "GovernmentAgency") for i in issuers):
            continue
        if not any(by_id[ref.slug].values.get("primary") for ref in record.values.get("sources", [])):
            yield _warning(record.positions.get("sources", record.position), "no-primary-source",
                           f"government action '{record.id}' cites no primary source")


def quotes_not_in_texts(records: list[Record], texts: dict[str, str]) -> Iterator[Problem]:
    """Quotes missing from the stored text of the source they are cited from."""
    folded = {slug: _fold(text) for slug, text in texts.items()}
    for record in records:
        references = record.values.get("sources", [])
        for ref in references:
            quote = dict(ref.qualifiers).get("quote")
            if quote and ref.slug in folded and not _contains(folded[ref.slug], quote):
                yield _warning(ref.position, "quote-not-in-source",
                               f"quote not found in the stored text of '{ref.slug}'")
        own = [record.id] if _is(record, "Source") else [ref.slug for ref in references]
        stored = [folded[slug] for slug in own if slug in folded]
        sentences = SENTENCE_END.split(record.values.get("quote", ""))
        if stored and sentences != [""] and not any(all(_contains(t, s) for s in sentences) for t in stored):
            yield _warning(record.positions["quote"], "quote-not-in-source",
                           f"quote of '{record.id}' not found in the stored text of its sources")


def _fold(text: str) -> str:
    return " ".join(text.translate(FOLDS).casefold().split())


def _contains(folded_text: str, quote: str) -> bool:
    """Every part of the quote between elisions appears in the text, in order."""
    start = 0
    for part in filter(None, (_fold(p).strip(" .,;:\"'") for p in GAPS.split(quote))):
        start = folded_text.find(part, start)
        if start < 0:
            return False
        start += len(part)
    return True
