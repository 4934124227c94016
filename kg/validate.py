"""Validate a compiled graph with pySHACL and map each result back to its YAML line."""

from __future__ import annotations

import re

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from kg.compile import Origin
from kg.namespaces import ENTITY, PREFIXES
from kg.problems import Problem
from kg.schema import Schema, load_schema

IRI_IN_MESSAGE = re.compile(r"<([^<>\s]+)>")


def validate_graph(graph: Graph, origins: dict[URIRef, Origin], schema: Schema | None = None) -> list[Problem]:
    """Run the SHACL shapes (with the ontology's class hierarchy) and return one problem per result."""
    from pyshacl import validate

    schema = schema or load_schema()
    _conforms, results, _text = validate(
        graph,
        shacl_graph=schema.shapes,
        ont_graph=schema.ontology,
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    return sorted(_problem(results, result, origins, schema) for result in results.subjects(RDF.type, SH.ValidationResult))


def _problem(results: Graph, result, origins: dict[URIRef, Origin], schema: Schema) -> Problem:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    message = str(results.value(result, SH.resultMessage) or "violates a shape")
    message = IRI_IN_MESSAGE.sub(lambda m: _short_name(m.group(1)), message)
    key = schema.key_for(path) if isinstance(path, URIRef) else None
    severity = "warning" if results.value(result, SH.resultSeverity) in (SH.Warning, SH.Info) else "error"
    origin = origins.get(focus)
    text = f"{key}: {message}" if key and not message.startswith(key) else message
    if origin is None:
        return Problem("<graph>", 0, 0, f"{focus}: {text}", severity)
    position = origin.position(key)
    return Problem(position.file, position.line, position.column, text, severity)


def _short_name(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}" if namespace != ENTITY else iri[len(namespace):]
    return f"<{iri}>"
