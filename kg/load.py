"""Load facts/*.yaml into records that remember where each value was written.

The YAML is composed into nodes (never constructed into Python objects by the YAML library),
so every key and value keeps its line and column, anchors and aliases are refused before they
can be expanded, and each value is typed by the schema derived from the ontology.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kg.problems import Problem
from kg.schema import Field, RecordType, Schema, load_schema

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YAML11_BOOLEANS = {
    v for word in ("y", "yes", "n", "no", "on", "off") for v in (word, word.capitalize(), word.upper())
}
NULLS = {"", "~", "null", "Null", "NULL"}
RESERVED_KEYS = ("id", "type")
NOT_FACTS = {"matches.yaml"}  # the reviewed list matches of `kg import`, not records


@dataclass(frozen=True)
class Position:
    """Where something was written: file, line and column (from 1)."""

    file: str
    line: int
    column: int

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.column, message)


@dataclass(frozen=True)
class Reference:
    """A reference to another record by slug, possibly qualified (a citation with its quote)."""

    slug: str
    position: Position
    qualifiers: tuple[tuple[str, Any], ...] = ()


@dataclass
class Record:
    """One record of a facts file, with its values typed by the schema."""

    id: str
    type: RecordType
    position: Position
    values: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)

    def references(self):
        """Every (field, reference) pair of this record."""
        for key, value in self.values.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Reference):
                    yield self.type.fields[key], item


@dataclass
class LoadResult:
    records: list[Record]
    problems: list[Problem]


def load_facts(directory: Path | str, schema: Schema | None = None) -> LoadResult:
    """Read every ``*.yaml`` file of ``directory`` (sorted) and check it against the schema.

    Problems never raise: they are returned, all of them, each with its file, line and column.
    """
    schema = schema or load_schema()
    loader = _Loader(schema)
    paths = facts_files(directory)
    if not paths:
        loader.problems.append(Problem(str(directory), 1, 1, "no facts: the folder has no *.yaml files"))
    for path in paths:
        loader.load_file(path)
    loader.check_references()
    return LoadResult(loader.records, sorted(loader.problems))


def parse_day(text: str) -> dt.date | None:
    """The day written ``YYYY-MM-DD`` (the only form dates take in facts and on the command line), else None."""
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return None


def facts_files(directory: Path | str) -> list[Path]:
    """The facts files of a folder: its ``*.yaml`` and ``*.yml`` files but ``matches.yaml``, sorted."""
    directory = Path(directory)
    return sorted(p for p in [*directory.glob("*.yaml"), *directory.glob("*.yml")] if p.name not in NOT_FACTS)


def suggestion(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Loader:
    def __init__(self, schema: Schema):
        self.schema = schema
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.by_id: dict[str, Record] = {}

    def load_file(self, path: Path) -> None:
        name = str(path)
        data = path.read_bytes()
        if not data.strip():
            self.problems.append(Problem(name, 1, 1, "file is empty: expected a list of records"))
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            before = data[: error.start]
            line, column = before.count(b"\n") + 1, error.start - (before.rfind(b"\n") + 1) + 1
            self.problems.append(
                Problem(name, line, column, f"not UTF-8: byte 0x{data[error.start]:02x} cannot be decoded")
            )
            return
        try:
            root = YAML(typ="rt").compose(text)
        except YAMLError as error:
            self.problems.append(_syntax_problem(name, error))
            return
        except RecursionError:
            self.problems.append(Problem(name, 1, 1, "YAML nesting is too deep"))
            return
        if root is None:
            self.problems.append(Problem(name, 1, 1, "file is empty: expected a list of records"))
            return
        if not self._no_anchors(name, root, set()):
            return
        if not isinstance(root, SequenceNode):
            self.problems.append(_at(name, root).problem("expected a list of records (each starting with '- id:')"))
            return
        for item in root.value:
            self._record(name, item)

    def _no_anchors(self, name: str, node: Node, seen: set[int]) -> bool:
        """Refuse anchors and aliases: a repeated node is only reachable through an alias."""
        if id(node) in seen or getattr(node, "anchor", None):
            self.problems.append(_at(name, node).problem("anchors and aliases (&, *) are not allowed in facts"))
            return False
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            return all(self._no_anchors(name, child, seen) for child in node.value)
        if isinstance(node, MappingNode):
            return all(self._no_anchors(name, k, seen) and self._no_anchors(name, v, seen) for k, v in node.value)
        return True

    def _record(self, name: str, node: Node) -> None:
        where = _at(name, node)
        if not isinstance(node, MappingNode):
            self.problems.append(where.problem("expected a record (a mapping with 'id' and 'type')"))
            return
        entries = self._entries(name, node)
        if entries is None:
            return
        slug = self._identifier(where, entries)
        record_type = self._record_type(where, entries)
        if slug is None or record_type is None:
            return
        record = Record(slug, record_type, where)
        self._fill(record, record_type.fields, entries)
        if slug in self.by_id:
            first = self.by_id[slug].position
            self.problems.append(where.problem(f"duplicate id '{slug}' (first defined at {_short(first)})"))
            return
        self.by_id[slug] = record
        self.records.append(record)

    def _entries(self, name: str, node: MappingNode) -> dict[str, tuple[Position, Node]] | None:
        entries: dict[str, tuple[Position, Node]] = {}
        for key_node, value_node in node.value:
            where = _at(name, key_node)
            if not isinstance(key_node, ScalarNode):
                self.problems.append(where.problem("keys must be plain words"))
                return None
            if key_node.value in entries:
                first = entries[key_node.value][0]
                self.problems.append(where.problem(f"duplicate key '{key_node.value}' (first at line {first.line})"))
                continue
            entries[key_node.value] = (where, value_node)
        return entries

    def _reserved(self, where: Position, entries, key: str) -> tuple[Position, str] | None:
        """The position and text of a reserved key (``id`` or ``type``), which every record needs."""
        if key not in entries:
            self.problems.append(where.problem(f"missing required field '{key}'"))
            return None
        position, node = entries[key]
        text = self._text(position, node, key)
        return None if text is None else (position, text)

    def _identifier(self, where: Position, entries) -> str | None:
        found = self._reserved(where, entries, "id")
        if found and not SLUG.match(found[1]):
            self.problems.append(found[0].problem(f"id '{found[1]}' must be a slug: lowercase letters, digits and '-'"))
            return None
        return found and found[1]

    def _record_type(self, where: Position, entries) -> RecordType | None:
        found = self._reserved(where, entries, "type")
        if found is None:
            return None
        position, name = found
        types = self.schema.record_types
        if name not in types:
            self.problems.append(position.problem(f"unknown type '{name}'{suggestion(name, types)}"))
            return None
        return types[name]

    def _fill(self, record: Record, fields: dict[str, Field], entries) -> None:
        for key, (position, node) in entries.items():
            if key in RESERVED_KEYS:
                continue
            if key not in fields:
                hint = suggestion(key, fields) or f" ({record.type.name} takes: {', '.join(sorted(fields))})"
                self.problems.append(position.problem(f"unknown field '{key}'{hint}"))
                continue
            value = self._value(fields[key], position, node)
            if value is not None:
                record.values[key] = value
                record.positions[key] = position
        for key, spec in fields.items():
            if spec.required and key not in record.values and key not in entries:
                self.problems.append(record.position.problem(f"missing required field '{key}'"))

    def _value(self, spec: Field, position: Position, node: Node):
        if isinstance(node, SequenceNode):
            if not spec.multiple:
                self.problems.append(position.problem(f"{spec.key}: expects one value, not a list"))
                return None
            placed = [(_at(position.file, child), child) for child in node.value]
            items = [self._item(spec, where, child) for where, child in placed]
            if not items:
                message = "is empty" + (" but required" if spec.required else "")
                self.problems.append(position.problem(f"{spec.key}: {message}"))
                return None
            if None in items:
                return None
            return items if self._no_repeats(spec, items, [where for where, _child in placed]) else None
        item = self._item(spec, position, node)
        if item is None:
            return None
        return [item] if spec.multiple else item

    def _no_repeats(self, spec: Field, items: list, positions: list[Position]) -> bool:
        """A list names each value once (a source cited twice would be two citations of one node)."""
        seen: set = set()
        for item, where in zip(items, positions):
            key = item.slug if isinstance(item, Reference) else item
            if key in seen:
                self.problems.append(where.problem(f"{spec.key}: '{key}' is listed twice; list it once"))
                return False
            seen.add(key)
        return True

    def _item(self, spec: Field, position: Position, node: Node):
        if isinstance(node, MappingNode) and spec.qualifier is not None:
            return self._qualified(spec, position, node)
        text = self._text(position, node, spec.key)
        if text is None:
            return None
        return self._typed(spec, position, text, node)

    def _typed(self, spec: Field, position: Position, text: str, node: ScalarNode):
        kind, plain = spec.kind, node.style is None
        if kind == "date":
            return self._date(spec, position, text)
        if kind == "boolean":
            if plain and text in ("true", "false"):
                return text == "true"
            return self._fail(position, f"{spec.key}: expects true or false, not '{text}'")
        if kind == "integer":
            if plain and text.isdigit():
                return int(text)
            return self._fail(position, f"{spec.key}: expects a whole number, not '{text}'")
        if kind in ("url", "iri") and not re.match(r"^https?://\S+$", text):
            return self._fail(position, f"{spec.key}: '{text}' is not an http(s) URL")
        if kind == "reference":
            return Reference(text, position)
        if kind == "term":
            if text not in spec.terms:
                hint = suggestion(text, spec.terms) or f" (one of: {', '.join(sorted(spec.terms))})"
                return self._fail(position, f"{spec.key}: unknown value '{text}'{hint}")
            return spec.terms[text]
        if plain and text in YAML11_BOOLEANS:
            return self._fail(position, f"{spec.key}: '{text}' reads as a boolean in YAML 1.1; quote it (\"{text}\") if you mean text")
        return text

    def _date(self, spec: Field, position: Position, text: str):
        day = parse_day(text)
        return day if day else self._fail(position, f"{spec.key}: '{text}' is not an ISO date (YYYY-MM-DD)")

    def _qualified(self, spec: Field, position: Position, node: MappingNode):
        entries = self._entries(position.file, node)
        if entries is None:
            return None
        fields = spec.qualifier_fields
        reference_key = spec.reference_field.key
        qualifiers: dict[str, Any] = {}
        ok = True
        for key, (where, child) in entries.items():
            if key not in fields:
                self.problems.append(where.problem(f"unknown field '{key}' in {spec.key}{suggestion(key, fields)}"))
                ok = False
                continue
            value = self._value(fields[key], where, child)
            ok = ok and value is not None
            qualifiers[key] = value
        if reference_key not in entries:
            self.problems.append(position.problem(f"{spec.key}: missing required field '{reference_key}'"))
            return None
        if not ok:
            return None
        target = qualifiers.pop(reference_key)
        return Reference(target.slug, target.position, tuple(sorted(qualifiers.items())))

    def _text(self, position: Position, node: Node, key: str) -> str | None:
        if not isinstance(node, ScalarNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            return self._fail(position, f"{key}: expects a single value, not {kind}")
        if node.style is None and node.value in NULLS:
            return self._fail(position, f"{key}: has no value")
        return node.value

    def _fail(self, position: Position, message: str) -> None:
        self.problems.append(position.problem(message))
        return None

    def check_references(self) -> None:
        """Every reference names a record of a fitting class."""
        for record in self.records:
            for spec, reference in record.references():
                target = self.by_id.get(reference.slug)
                if target is None:
                    hint = suggestion(reference.slug, self.by_id)
                    self.problems.append(
                        reference.position.problem(f"{spec.key}: unknown reference '{reference.slug}'{hint}")
                    )
                elif not self.schema.is_a(target.type.iri, spec.target_class):
                    expected = spec.target_class.split("#")[-1]
                    self.problems.append(
                        reference.position.problem(
                            f"{spec.key}: '{reference.slug}' is a {target.type.name}, expected a {expected}"
                        )
                    )


def _at(name: str, node: Node) -> Position:
    mark = node.start_mark
    return Position(name, mark.line + 1, mark.column + 1)


def _short(position: Position) -> str:
    return str(position.problem(""))[:-2]


def _syntax_problem(name: str, error: YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(name, line, column, f"YAML syntax error: {problem}")
