"""The schema of facts/*.yaml, read from the ontology and its SHACL shapes.

Nothing here is hand-written per class: a record type is an ontology class not marked
``tp:inFacts false``; its keys are the paths of the property shapes that target the class or
an ancestor, named by ``tp:yamlKey`` or else by the property's local name in snake_case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from kg.namespaces import VOCAB

TP = Namespace(VOCAB)
"""The vocabulary: ``TP.issuedBy``, ``TP["scope-5g"]``."""
TP_IN_FACTS = URIRef(VOCAB + "inFacts")
TP_YAML_KEY = URIRef(VOCAB + "yamlKey")
TP_QUALIFIED_BY = URIRef(VOCAB + "qualifiedBy")
TP_DERIVED_PREDICATE = URIRef(VOCAB + "derivedPredicate")

DATATYPE_KINDS = {
    RDF.langString: "text",
    XSD.string: "text",
    XSD.date: "date",
    XSD.anyURI: "url",
    XSD.boolean: "boolean",
    XSD.integer: "integer",
    XSD.nonNegativeInteger: "integer",
}


@dataclass
class Field:
    """One YAML key of a record type and what its values must be."""

    key: str
    path: URIRef
    kind: str = "text"  # text | date | url | boolean | integer | iri | reference | term
    datatype: URIRef | None = None
    target_class: URIRef | None = None
    terms: dict[str, URIRef] = field(default_factory=dict)
    qualifier: RecordType | None = None
    required: bool = False
    multiple: bool = True

    @property
    def reference_field(self) -> Field | None:
        """For a qualified reference: the qualifier's key that names the referenced node."""
        if self.qualifier is None:
            return None
        return next(f for f in self.qualifier_fields.values() if f.kind == "reference")

    @property
    def qualifier_fields(self) -> dict[str, Field]:
        """The keys a qualified reference may carry: those of the qualifier class's own shape."""
        if self.qualifier is None:
            return {}
        return {k: f for k, f in self.qualifier.fields.items() if k in self.qualifier.own_keys}


@dataclass
class RecordType:
    """A class as written in facts: its name, IRI and keys."""

    name: str
    iri: URIRef
    fields: dict[str, Field]
    in_facts: bool
    own_keys: set[str] = field(default_factory=set)


def ontology_dir() -> Path:
    """The folder holding techpolicy.ttl and shapes.ttl (package data, or the repository's)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "ontology", here.parent / "ontology"):
        if (candidate / "shapes.ttl").exists():
            return candidate
    raise FileNotFoundError("ontology/techpolicy.ttl and shapes.ttl not found")


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def local_name(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


class Schema:
    """The ontology and shapes graphs and the record types derived from them."""

    def __init__(self, ontology: Graph, shapes: Graph):
        self.ontology = ontology
        self.shapes = shapes
        self.types: dict[str, RecordType] = {}
        self.keys: dict[URIRef, str] = {}
        for cls in sorted(set(ontology.subjects(RDF.type, OWL.Class))):
            if str(cls).startswith(VOCAB):
                self._record_type(cls)

    @property
    def record_types(self) -> dict[str, RecordType]:
        """The types a record in facts/*.yaml may have."""
        return {name: t for name, t in self.types.items() if t.in_facts}

    def ancestors(self, cls: URIRef) -> list[URIRef]:
        """``cls`` and every class it is a subclass of, nearest first."""
        return list(self.ontology.transitive_objects(cls, RDFS.subClassOf))

    def is_a(self, cls: URIRef, ancestor: URIRef) -> bool:
        return ancestor in self.ancestors(cls)

    def key_for(self, path: URIRef) -> str | None:
        """The YAML key that writes a property, if any."""
        return self.keys.get(path)

    def derived_predicate(self, effect: URIRef) -> URIRef | None:
        value = self.ontology.value(effect, TP_DERIVED_PREDICATE)
        return value if isinstance(value, URIRef) else None

    def _record_type(self, cls: URIRef) -> RecordType:
        name = local_name(cls)
        if name in self.types:
            return self.types[name]
        in_facts = self.ontology.value(cls, TP_IN_FACTS) != Literal(False)
        record = RecordType(name, cls, {}, in_facts)
        self.types[name] = record
        for ancestor in reversed(self.ancestors(cls)):
            for shape in self.shapes.subjects(SH.targetClass, ancestor):
                for prop in self.shapes.objects(shape, SH.property):
                    key = self._merge_property(record, prop)
                    if key and ancestor == cls:
                        record.own_keys.add(key)
        return record

    def _merge_property(self, record: RecordType, prop) -> str | None:
        path = self.shapes.value(prop, SH.path)
        if not isinstance(path, URIRef):
            return None
        key = self._key(path)
        if key is None:
            return None
        self.keys[path] = key
        spec = record.fields.get(key) or Field(key, path)
        value = self.shapes.value
        if (datatype := value(prop, SH.datatype)) is not None:
            spec.kind, spec.datatype = DATATYPE_KINDS[datatype], datatype
        if value(prop, SH.nodeKind) == SH.IRI and spec.kind == "text":
            spec.kind = "iri"
        if (target := value(prop, SH["class"])) is not None:
            spec.target_class = target
            spec.terms = {
                str(self.ontology.value(term, SKOS.notation)): term
                for term in self.ontology.subjects(RDF.type, target)
                if self.ontology.value(term, SKOS.notation) is not None
            }
            spec.kind = "term" if spec.terms else "reference"
        if (minimum := value(prop, SH.minCount)) is not None and int(minimum) > 0:
            spec.required = True
        if (maximum := value(prop, SH.maxCount)) is not None and int(maximum) == 1:
            spec.multiple = False
        if (qualifier := self.ontology.value(path, TP_QUALIFIED_BY)) is not None:
            spec.qualifier = self._record_type(qualifier)
        record.fields[key] = spec
        return key

    def _key(self, path: URIRef) -> str | None:
        if self.ontology.value(path, TP_IN_FACTS) == Literal(False):
            return None
        explicit = self.ontology.value(path, TP_YAML_KEY)
        if explicit is not None:
            return str(explicit)
        if str(path).startswith(VOCAB):
            return snake_case(local_name(path))
        return None


@lru_cache(maxsize=4)
def load_schema(directory: Path | None = None) -> Schema:
    """Parse the ontology and shapes once per process."""
    directory = directory or ontology_dir()
    ontology = Graph().parse(directory / "techpolicy.ttl", format="turtle")
    shapes = Graph().parse(directory / "shapes.ttl", format="turtle")
    return Schema(ontology, shapes)
