"""Find a node by slug, label or alias, case-insensitively, or say which names come closest."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


class UnknownName(LookupError):
    """A name that matches no node, or more than one; the message lists the closest candidates."""


def resolve(name: str, names: Mapping[str, Iterable[str]], what: str = "name") -> str:
    """The slug that ``name`` means, given each candidate slug's label and aliases.

    A slug wins outright; otherwise labels and aliases must match exactly one slug (ignoring case).
    Example: ``resolve("commerce department", {"us-commerce": ["Department of Commerce", "Commerce Department"]})``.
    """
    wanted = _fold(name)
    by_slug = {_fold(slug): slug for slug in names}
    if wanted in by_slug:
        return by_slug[wanted]
    index: dict[str, set[str]] = {}
    for slug, words in names.items():
        for word in words:
            index.setdefault(_fold(word), set()).add(slug)
    matches = sorted(index.get(wanted, ()))
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownName(f"{what} '{name}' is ambiguous: {_describe(matches, names)}")
    close = difflib.get_close_matches(wanted, [*by_slug, *index], n=5, cutoff=0.6)
    close += [word for word in index if wanted in word and word not in close]
    slugs = list(dict.fromkeys(s for word in close for s in sorted(index.get(word, ())) or [by_slug[word]]))[:5]
    hint = f"; closest: {_describe(slugs, names)}" if slugs else ""
    raise UnknownName(f"unknown {what} '{name}'{hint}")


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _describe(slugs: list[str], names: Mapping[str, Iterable[str]]) -> str:
    return ", ".join(f"{slug} ({next(iter(names[slug]), slug)})" for slug in slugs)
