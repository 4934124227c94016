"""A human-readable reference of the ontology, written to ``exports/ontology.html`` by ``kg build``.

Generated from the same ontology and shapes the loader reads, so the YAML keys it lists are
exactly the ones ``kg validate`` accepts.
"""

from __future__ import annotations

from html import escape

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.export import exporter
from kg.namespaces import PREFIXES, VOCAB
from kg.schema import RecordType, Schema, load_schema

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{margin-bottom:.2rem} h2{border-bottom:2px solid #dde3ea;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin:1.8rem 0 .3rem} code{background:#f2f4f7;padding:0 .25rem;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0} td,th{border:1px solid #dde3ea;padding:.25rem .5rem;
text-align:left;vertical-align:top} th{background:#f6f8fa} .meta{color:#5b6776} nav li{display:inline;margin-right:.6rem}
"""


def ontology_reference(schema: Schema | None = None) -> str:
    """The reference page as HTML: classes with their YAML keys, properties, controlled values."""
    schema = schema or load_schema()
    onto = schema.ontology
    header = next(onto.subjects(RDF.type, OWL.Ontology))
    classes = _terms(onto, OWL.Class)
    properties = _terms(onto, OWL.ObjectProperty) + _terms(onto, OWL.DatatypeProperty)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(_text(onto, header, DCTERMS.title))}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(_text(onto, header, DCTERMS.title))}</h1>",
        f'<p class="meta">Version {escape(_text(onto, header, OWL.versionInfo))} · '
        f'licence <a href="{escape(_text(onto, header, DCTERMS.license))}">{escape(_text(onto, header, DCTERMS.license))}</a></p>',
        f"<p>{escape(_text(onto, header, DCTERMS.description))}</p>",
        "<h2>Namespaces</h2><table><tr><th>prefix</th><th>IRI</th></tr>",
        *(f"<tr><td><code>{p}:</code></td><td><code>{escape(ns)}</code></td></tr>" for p, ns in PREFIXES.items()),
        "</table>",
        "<nav><ul>", *(f'<li><a href="#{_local(c)}">{_local(c)}</a></li>' for c in classes), "</ul></nav>",
        "<h2>Classes</h2>",
        *(_class_section(schema, cls) for cls in classes),
        "<h2>Properties</h2>",
        *(_property_section(onto, prop) for prop in properties),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _class_section(schema: Schema, cls: URIRef) -> str:
    onto = schema.ontology
    record = schema.types[_local(cls)]
    parents = ", ".join(_link(p) for p in sorted(onto.objects(cls, RDFS.subClassOf)))
    values = sorted(onto.subjects(RDF.type, cls))
    lines = [
        f'<h3 id="{_local(cls)}">{escape(_text(onto, cls, RDFS.label))} <code>tp:{_local(cls)}</code></h3>',
        f"<p>{escape(_text(onto, cls, RDFS.comment))}</p>",
        f'<p class="meta">Subclass of {parents}.</p>' if parents else "",
        _keys_table(record) if record.in_facts else '<p class="meta">Not written as a record in facts/*.yaml.</p>',
    ]
    if values:
        lines.append("<table><tr><th>YAML value</th><th>term</th><th>meaning</th></tr>")
        lines += [
            f"<tr><td><code>{escape(_text(onto, v, SKOS.notation))}</code></td><td><code>tp:{_local(v)}</code></td>"
            f"<td>{escape(_text(onto, v, RDFS.comment))}</td></tr>"
            for v in values
        ]
        lines.append("</table>")
    return "\n".join(line for line in lines if line)


def _keys_table(record: RecordType) -> str:
    rows = ["<table><tr><th>YAML key</th><th>property</th><th>value</th><th>required</th><th>many</th></tr>"]
    for key in ("id", "type"):
        rows.append(f"<tr><td><code>{key}</code></td><td>{'the node IRI' if key == 'id' else '<code>rdf:type</code>'}"
                    f"</td><td>{'slug' if key == 'id' else record.name}</td><td>yes</td><td>no</td></tr>")
    for key, spec in record.fields.items():
        kind = f"reference to {_link(spec.target_class)}" if spec.kind == "reference" else spec.kind
        if spec.kind == "term":
            kind = "one of " + ", ".join(f"<code>{escape(v)}</code>" for v in sorted(spec.terms))
        rows.append(
            f"<tr><td><code>{escape(key)}</code></td><td>{_link(spec.path)}</td><td>{kind}</td>"
            f"<td>{'yes' if spec.required else ''}</td><td>{'yes' if spec.multiple else 'no'}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _property_section(onto: Graph, prop: URIRef) -> str:
    facts = [
        ("Subproperty of", ", ".join(_link(p) for p in sorted(onto.objects(prop, RDFS.subPropertyOf)))),
        ("Domain", ", ".join(_link(p) for p in sorted(onto.objects(prop, RDFS.domain)))),
        ("Range", ", ".join(_link(p) for p in sorted(onto.objects(prop, RDFS.range)))),
    ]
    meta = " · ".join(f"{name}: {value}" for name, value in facts if value)
    return (
        f'<h3 id="{_local(prop)}">{escape(_text(onto, prop, RDFS.label))} <code>tp:{_local(prop)}</code></h3>\n'
        f"<p>{escape(_text(onto, prop, RDFS.comment))}</p>\n" + (f'<p class="meta">{meta}</p>' if meta else "")
    )


def _terms(onto: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(t for t in onto.subjects(RDF.type, kind) if str(t).startswith(VOCAB))


def _text(onto: Graph, subject, predicate) -> str:
    return str(onto.value(subject, predicate) or "")


def _local(iri: URIRef) -> str:
    return str(iri)[len(VOCAB):] if str(iri).startswith(VOCAB) else str(iri)


def _link(iri: URIRef) -> str:
    if str(iri).startswith(VOCAB):
        return f'<a href="#{_local(iri)}"><code>tp:{_local(iri)}</code></a>'
    for prefix, namespace in PREFIXES.items():
        if str(iri).startswith(namespace):
            return f'<a href="{escape(str(iri))}"><code>{prefix}:{escape(str(iri)[len(namespace):])}</code></a>'
    return f'<a href="{escape(str(iri))}"><code>{escape(str(iri))}</code></a>'


@exporter("ontology.html")
def ontology_html(_graph: Graph) -> bytes:
    return ontology_reference().encode("utf-8")
