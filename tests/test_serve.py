"""`kg serve`: the real server on a free port, queried with SPARQLWrapper, plain HTTP and Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, Graph, Namespace
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from kg.query import named_queries

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "query"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LABELS = "SELECT ?label WHERE { ?e tp:targets tpid:vendor ; rdfs:label ?label } ORDER BY ?label"
TIMEOUT = 1.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`kg serve` on the query fixture, with small limits so each one can be hit."""
    log = tmp_path_factory.mktemp("serve") / "server.log"
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "kg"), "serve", "--port", str(port), "--facts", str(FIXTURE),
        "--exports", str(log.parent / "none"), "--timeout", str(TIMEOUT), "--max-rows", "5",
        "--max-concurrent", "1", "--max-body", "2000",
    ]
    with log.open("w") as stream:
        process = subprocess.Popen(command, stdout=stream, stderr=stream)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/void", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"server did not start: {log.read_text()}")
    yield type("Server", (), {"url": base, "sparql": base + "/sparql", "process": process, "log": log})
    process.terminate()
    process.wait(timeout=10)


def wrapper(server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(POST if method != "GET" else "GET")
    if method == "POSTDIRECTLY":
        client.setRequestMethod(POSTDIRECTLY)
    return client


def children(pid: int) -> list[str]:
    return [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


# ---------------------------------------------------------------- SPARQLWrapper


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_sparqlwrapper_select_json_with_every_method(server, method):
    result = wrapper(server, LABELS, JSON, method).queryAndConvert()
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    assert labels[0] == "Temporary general licence extended to August 2020" and len(labels) == 5


def test_sparqlwrapper_xml_csv_tsv_and_ask(server):
    xml = wrapper(server, LABELS, XML).queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == 5
    rows = list(csv.reader(io.StringIO(wrapper(server, LABELS, CSV).queryAndConvert().decode())))
    assert rows[0] == ["label"] and len(rows) == 6
    tsv = wrapper(server, LABELS, TSV).queryAndConvert().decode().splitlines()
    assert tsv[0] == "?label" and tsv[1].endswith('"@en')
    assert wrapper(server, "ASK { tpid:us-bis tp:eases tpid:vendor }", JSON).queryAndConvert()["boolean"] is True


def test_sparqlwrapper_graph_results(server):
    turtle = wrapper(server, "CONSTRUCT WHERE { tpid:vendor ?p ?o }", TURTLE).queryAndConvert()
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) == 3
    jsonld = wrapper(server, "DESCRIBE tpid:vendor", JSONLD).queryAndConvert()
    assert len(jsonld) == 3


# ---------------------------------------------------------------- plain HTTP: formats and negotiation


@pytest.mark.parametrize("accept, content_type, check", [
    ("application/sparql-results+json", "application/sparql-results+json", lambda b: json.loads(b)["head"]["vars"] == ["label"]),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: ET.fromstring(b).tag.endswith("sparql")),
    ("text/csv", "text/csv", lambda b: b.splitlines()[0] == b"label"),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.splitlines()[0] == b"?label"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
    ("text/html, */*;q=0.8", "application/sparql-results+json", lambda b: b"bindings" in b),
    (None, "application/sparql-results+json", lambda b: b"bindings" in b),
])
def test_result_formats_by_accept(server, accept, content_type, check):
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(server.sparql, params={"query": LABELS}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith(content_type)
    assert check(response.content) and response.headers["x-result-count"] == "6"


@pytest.mark.parametrize("accept, parse", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
])
def test_graph_formats_by_accept(server, accept, parse):
    response = httpx.post(server.sparql, data={"query": "DESCRIBE tpid:vendor"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=response.text, format=parse)) == 3


def test_unacceptable_accept_is_406(server):
    response = httpx.get(server.sparql, params={"query": LABELS}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and "offered" in response.text


def test_rows_beyond_the_limit_are_cut_and_said(server):
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert len(response.text.splitlines()) == 6
    assert response.headers["x-result-truncated"] == f"only the first 5 of {served_triples()} are returned"


def test_as_of_parameter(server):
    query = "ASK { tpid:us-bis tp:eases tpid:vendor }"
    assert httpx.get(server.sparql, params={"query": query, "as-of": "2020-08-01"}).json()["boolean"] is True
    assert httpx.get(server.sparql, params={"query": query, "as-of": "2020-09-01"}).json()["boolean"] is False
    assert httpx.get(server.sparql, params={"query": query, "as-of": "soon"}).status_code == 400


# ---------------------------------------------------------------- errors and limits


@pytest.mark.parametrize("request_args, status, message", [
    ({"params": {"query": "SELECT * WHERE {\n ?s ?p }"}}, 400, "syntax error"),
    ({"params": {"query": "SELECT * WHERE { ?s ex:p ?o }"}}, 400, "unknown prefix 'ex:'"),
    ({"params": {"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}}, 400, "SERVICE is refused"),
    ({"params": {"query": "SELECT * WHERE { SERVICE SILENT ?x { ?s ?p ?o } }"}}, 400, "SERVICE is refused"),
    ({"params": {"query": "LOAD <http://example.org/x.ttl>"}}, 400, "read-only"),
    ({"method": "POST", "data": {"update": "DROP ALL"}}, 400, "read-only"),
    ({"method": "POST", "content": "INSERT DATA { tpid:a tp:b tpid:c }", "headers": {"Content-Type": "application/sparql-query"}}, 400, "read-only"),
    ({"method": "POST", "data": {"nothing": "here"}}, 400, "no 'query' field"),
    ({"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "application/sparql-query"),
    ({"method": "POST", "data": {"query": "ASK {} #" + "x" * 3000}}, 413, "over 2000 bytes"),
    ({"method": "PUT", "content": "x"}, 405, ""),
])
def test_bad_requests_get_a_clear_status_and_no_trace(server, request_args, status, message):
    method = request_args.pop("method", "GET")
    response = httpx.request(method, server.sparql, **request_args)
    assert response.status_code == status and message in response.text
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_syntax_error_shows_line_and_caret(server):
    response = httpx.get(server.sparql, params={"query": "SELECT * WHERE {\n  ?s ?p ?o ?x }"})
    assert response.text.splitlines()[1:] == ["line 2, column 12:", "    ?s ?p ?o ?x }", "             ^"]


def test_timeout_is_503_and_the_worker_is_killed(server):
    started = time.monotonic()
    response = httpx.get(server.sparql, params={"query": SLOW}, timeout=30)
    assert response.status_code == 503 and f"timed out after {TIMEOUT:g} s" in response.text
    assert time.monotonic() - started < TIMEOUT + 3
    assert children(server.process.pid) == []
    assert httpx.get(server.sparql, params={"query": LABELS}).status_code == 200


def test_queries_beyond_the_limit_get_503_busy(server):
    slow = threading.Thread(target=httpx.get, args=(server.sparql,), kwargs={"params": {"query": SLOW}, "timeout": 30})
    slow.start()
    time.sleep(0.5)
    busy = httpx.get(server.sparql, params={"query": LABELS})
    slow.join()
    assert busy.status_code == 503 and "busy" in busy.text
    assert httpx.get(server.sparql, params={"query": LABELS}).status_code == 200


# ---------------------------------------------------------------- descriptions, page, logs


def test_service_description_and_void(server):
    description = Graph().parse(data=httpx.get(server.sparql).text, format="turtle")
    service = next(description.subjects(RDF.type, SD.Service))
    assert str(service) == server.sparql and (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    void = Graph().parse(data=httpx.get(server.url + "/void").text, format="turtle")
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    assert int(void.value(dataset, VOID.triples)) == served_triples()
    assert str(void.value(dataset, VOID.sparqlEndpoint)) == server.sparql
    assert (service, SD.defaultDataset, dataset) in description


def test_named_questions_are_served_with_their_defaults(server):
    served = httpx.get(server.url + "/queries").json()
    assert [q["name"] for q in served] == list(named_queries())
    assert all("$" not in q["query"].split("\nSELECT", 1)[-1] for q in served)


def test_one_named_question_bound_with_parameters(server):
    text = httpx.get(server.url + "/queries/actions-against", params={"entity": "vendor"}).text
    assert "tp:targets <https://w3id.org/techpolicy-kg/id/vendor>" in text
    answer = httpx.post(server.sparql, content=text, headers={"Content-Type": "application/sparql-query"})
    assert answer.headers["x-result-count"] == "6"
    bad = httpx.get(server.url + "/queries/events-between", params={"from": "yesterday"})
    assert bad.status_code == 400 and "is not a date" in bad.text
    assert httpx.get(server.url + "/queries/nope").status_code == 404


def test_page_works_offline_in_chromium(server, artifacts):
    from playwright.sync_api import sync_playwright

    outside = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ])
        page = browser.new_page()
        page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
        page.goto(server.url + "/")
        page.click("button[data-name='events-between']")
        page.wait_for_selector("#results td")
        cells = page.locator("#results td").all_inner_texts()
        page.fill("#params input[name=from]", "2020-07-01")
        page.wait_for_function("document.querySelectorAll('#results tr').length === 2")
        narrowed = page.locator("#results td").all_inner_texts()
        page.screenshot(path=str(artifacts / "serve-page-results.png"), full_page=True)
        page.fill("#query", "SELECT * WHERE { ?s ?p }")
        page.click("button[type=submit]")
        page.wait_for_selector("#error:has-text('syntax error')")
        page.screenshot(path=str(artifacts / "serve-page-error.png"), full_page=True)
        browser.close()
    assert "tpid:uk-january" in cells and "tpid:uk-july" in cells
    assert "tpid:uk-july" in narrowed and "tpid:uk-january" not in narrowed
    assert outside == []


def test_one_log_line_per_request(server):
    before = server.log.read_text().count("\n")
    httpx.get(server.url + "/void")
    time.sleep(0.2)
    lines = server.log.read_text().splitlines()[before:]
    assert len(lines) == 1 and re.search(r'127\.0\.0\.1 "GET /void" 200 \d+ms$', lines[0])


def test_binds_localhost_by_default():
    from kg.commands.query import serve

    assert {p.name: p.default for p in serve.params}["host"] == "127.0.0.1"


def served_triples() -> int:
    """The fixture's triples with the ontology that kg query and kg serve load beside them."""
    from kg.build import build
    from kg.schema import load_schema

    return len(build(FIXTURE).graph + load_schema().ontology)
