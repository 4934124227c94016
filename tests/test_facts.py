"""The curated facts: the seed article and the dossier's verified facts are in the graph."""

from __future__ import annotations

from kg.namespaces import sparql_prologue


def select(graph, query: str) -> list[tuple]:
    return [tuple(str(v) if v is not None else None for v in row) for row in graph.query(sparql_prologue() + query)]


def test_ross_quote_on_the_standards_rule_and_its_date(graph):
    rows = select(graph, """
        SELECT ?date ?quote ?url WHERE {
          ?s a tp:Statement ; tp:speaker tpid:wilbur-ross ; tp:announcedDate ?date ; tp:quote ?quote ;
             prov:wasDerivedFrom/schema:url ?url .
          FILTER(CONTAINS(?quote, "will not cede leadership in global innovation"))
        }""")
    assert ("2020-06-15",) == tuple({r[0] for r in rows})
    assert "https://www.cnet.com/tech/mobile/us-firms-now-allowed-to-work-with-huawei-on-5g-standards/" in {r[2] for r in rows}


def test_joe_kelly_emailed_statement(graph):
    rows = select(graph, """
        SELECT ?date ?quote WHERE {
          ?s a tp:Statement ; tp:spokesperson tpid:joe-kelly ; tp:speaker tpid:huawei ;
             tp:announcedDate ?date ; tp:quote ?quote .
        }""")
    assert ("2020-06-16", "We would like to continue holding sincere discussions in relation to standards for new"
            " technologies with our counterparts, including those in the US, contributing to the technological"
            " advancement of society at large.") in rows


def test_may_2019_listing_dates_and_affiliates(graph):
    rows = select(graph, """
        SELECT ?announced ?effective ?published ?count WHERE {
          ?e a tp:EntityListAddition ; tp:frCitation "84 FR 22961" ; tp:targets tpid:huawei ;
             tp:announcedDate ?announced ; tp:effectiveDate ?effective ; tp:publishedDate ?published ;
             tp:affiliatesCount ?count .
        }""")
    assert rows == [("2019-05-15", "2019-05-16", "2019-05-21", "68")]


def test_standards_rule_announced_monday_15_june_2020(graph):
    rows = select(graph, """
        SELECT ?announced ?effect WHERE {
          ?e a tp:InterimFinalRule ; tp:scope tp:scope-standards ; tp:targets tpid:huawei ;
             tp:announcedDate ?announced ; tp:effect ?effect .
        }""")
    assert ("2020-06-15", "https://w3id.org/techpolicy-kg/ontology#easing") in rows


def test_every_fact_has_a_source_with_a_url(graph):
    rows = select(graph, """
        SELECT ?fact WHERE {
          ?fact a ?class . ?class rdfs:subClassOf* tp:Fact .
          FILTER NOT EXISTS { ?fact prov:wasDerivedFrom/schema:url ?url }
        }""")
    assert rows == []


def test_every_node_has_exactly_one_english_label(graph):
    rows = select(graph, """
        SELECT ?node (COUNT(?label) AS ?n) WHERE {
          ?node a ?type . OPTIONAL { ?node rdfs:label ?label FILTER(LANG(?label) = "en") }
        } GROUP BY ?node HAVING (COUNT(?label) != 1)""")
    assert rows == []


def test_dates_are_xsd_dates(graph):
    rows = select(graph, """
        SELECT ?s ?p ?o WHERE {
          ?s ?p ?o . FILTER(isLiteral(?o) && REGEX(STR(?o), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
                            && DATATYPE(?o) != xsd:date)
        }""")
    assert rows == []


def test_truthy_edges_trace_to_their_event(graph):
    rows = select(graph, """
        SELECT ?event WHERE {
          tpid:us-bis tp:restricts tpid:huawei .
          ?edge a tp:DerivedEdge ; rdf:subject tpid:us-bis ; rdf:predicate tp:restricts ;
                rdf:object tpid:huawei ; tp:impliedBy ?event .
        }""")
    assert len(rows) >= 3


def test_tgl_chain_expires_2020_08_13(graph):
    rows = select(graph, """
        SELECT (MAX(?end) AS ?last) WHERE {
          ?ext tp:extends+ ?tgl . ?tgl a tp:License . ?ext tp:endDate ?end .
        }""")
    assert rows == [("2020-08-13",)]


def test_uk_july_2020_decision_reverses_january(graph):
    rows = select(graph, """
        SELECT ?july ?january WHERE {
          ?j a tp:GovernmentDecision ; tp:reverses ?jan ; tp:announcedDate ?july .
          ?jan tp:announcedDate ?january ; tp:issuedBy tpid:uk-government .
        }""")
    assert ("2020-07-14", "2020-01-28") in rows
