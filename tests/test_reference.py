"""Every ontology term is documented, and the reference page lists the YAML keys."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS

from kg.namespaces import VOCAB
from kg.reference import ontology_reference
from kg.schema import load_schema

ONTOLOGY = load_schema().ontology
TERMS = sorted(
    t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for t in ONTOLOGY.subjects(RDF.type, kind) if str(t).startswith(VOCAB)
)


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[-1])
def test_every_term_has_an_english_label_and_a_one_sentence_definition(term):
    labels = [l for l in ONTOLOGY.objects(term, RDFS.label) if l.language == "en"]
    comments = [str(c) for c in ONTOLOGY.objects(term, RDFS.comment)]
    assert len(labels) == 1
    assert len(comments) == 1 and comments[0].endswith(".")
    assert not re.search(r"(?<!No)\.\s+[A-Z]", comments[0]), "one sentence only"


def test_reference_lists_classes_and_their_keys():
    page = ontology_reference()
    assert '<h3 id="EntityListAddition">' in page
    assert "<code>effective_date</code>" in page and "<code>restrictive</code>" in page
    assert "http" not in page.split("<body>")[0].replace("https://w3id.org", "")  # no external CSS or scripts
