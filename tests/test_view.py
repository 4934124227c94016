"""The HTML view: its model and filters in Python, the `kg view` command, and the page in a real headless Chromium.

Browser tests open the page from a file with every non-file request aborted and recorded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Literal, Namespace

from kg.cli import cli
from kg.namespaces import VOCAB, entity_iri, new_graph
from kg.view import (PHYSICS_LIMIT, View, ViewEdge, ViewNode, around, of_types, radial_layout, render_html, view_model,
                     visible_as_of)

MINI = str(Path(__file__).parent / "fixtures" / "mini")
TP = Namespace(VOCAB)
SCHEMA = Namespace("https://schema.org/")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def mini_view():
    from kg.build import build

    return view_model(build(MINI).graph)


# ---------------------------------------------------------------- the model

def test_model_has_actors_places_and_events_but_not_sources(mini_view):
    ids = ["acme", "doe-says", "jane-doe", "licence", "listing", "removal", "us", "us-bis"]
    assert [n.id for n in mini_view.nodes] == ids
    assert {n.id: n.cls for n in mini_view.nodes}["listing"] == "EntityListAddition"


def test_event_details_have_dates_identifier_quotes_and_sources(mini_view):
    listing = next(n for n in mini_view.nodes if n.id == "listing")
    assert listing.date == "2019-05-15"
    assert listing.details["rows"][:4] == [["announced date", "2019-05-15"], ["effective date", "2019-05-16"],
                                           ["published date", "2019-05-21"], ["Federal Register citation", "84 FR 22961"]]
    source, = listing.details["sources"]
    assert source == {"title": "Addition of Acme to the Entity List",
                      "url": "https://www.federalregister.gov/documents/2019/05/21/example",
                      "meta": "Federal Register, 2019-05-21", "quote": "Acme was added to the Entity List."}
    statement = next(n for n in mini_view.nodes if n.id == "doe-says")
    assert statement.details["quotes"] == ["This protects national security."]


def test_derived_edges_carry_the_days_they_hold(mini_view):
    derived = {e.relation: e for e in mini_view.edges if e.id.startswith("edge/")}
    assert (derived["restricts"].source, derived["restricts"].target) == ("us-bis", "acme")
    assert (derived["restricts"].valid_from, derived["restricts"].valid_until) == ("2019-05-16", None)
    # the licence runs from 2019-05-20 and is rescinded on 2019-07-01, so it holds through 2019-06-30
    assert (derived["eases"].valid_from, derived["eases"].valid_until) == ("2019-05-20", "2019-06-30")
    assert ["implied by", "Temporary licence for Acme"] in derived["eases"].details["rows"]


@pytest.mark.parametrize(("day", "events", "effects"), [
    ("2019-05-14", set(), set()),
    ("2019-05-15", {"listing", "doe-says"}, set()),
    ("2019-05-16", {"listing", "doe-says"}, {"restricts"}),
    ("2019-06-30", {"listing", "doe-says", "licence"}, {"restricts", "eases"}),
    ("2019-07-01", {"listing", "doe-says", "licence", "removal"}, {"restricts"}),
])
def test_as_of_shows_earlier_events_and_edges_in_force(mini_view, day, events, effects):
    seen = visible_as_of(mini_view, day)
    assert {n.id for n in seen.nodes if n.date} == events
    assert {e.relation for e in seen.edges if e.id.startswith("edge/")} == effects
    assert seen.title.endswith(f"as of {day}")


def test_every_class_a_node_can_have_is_styled():
    from kg.schema import load_schema
    from kg.view import SHOWN_ROOTS, TP, _style

    schema = load_schema()
    names = [name for name, t in schema.types.items() if any(schema.is_a(t.iri, TP[root]) for root in SHOWN_ROOTS)]
    assert len(names) > 20
    assert all(_style(name).shape in ("dot", "square", "diamond", "triangle") for name in names)


def test_types_and_focus_narrow_the_view(mini_view):
    assert {n.id for n in of_types(mini_view, ["Action"]).nodes} == {"licence", "listing", "removal"}
    assert {n.id for n in around(mini_view, "jane-doe", 1).nodes} == {"jane-doe", "doe-says", "us-bis"}
    with pytest.raises(ValueError, match="unknown class Nope"):
        of_types(mini_view, ["Nope"])
    with pytest.raises(ValueError, match="no node with id 'nope'"):
        around(mini_view, "nope", 1)


def synthetic_view(size: int) -> View:
    """A view of ``size`` companies in a ring with chords: big enough to test the no-physics path."""
    details = {"heading": "", "type": "company", "rows": [], "quotes": [], "sources": []}
    nodes = [ViewNode(f"n{i}", f"Company {i}", "Company", None, [], details) for i in range(size)]
    edges = [ViewEdge(f"e{i}-{j}", f"n{i}", f"n{j}", "subsidiaryOf", None, None, details)
             for i in range(size) for j in {(i + 1) % size, (i * 7) % size} - {i}]
    return View("synthetic", nodes, edges, {"Company": "company"}, {"subsidiaryOf": "subsidiary of"})


def test_radial_layout_places_every_node_apart_and_is_stable():
    view = synthetic_view(500)
    positions = radial_layout(view)
    assert set(positions) == {n.id for n in view.nodes}
    assert len(set(positions.values())) == len(positions)
    assert positions == radial_layout(view)


def test_big_views_get_positions_and_no_physics():
    html = render_html(synthetic_view(PHYSICS_LIMIT + 1))
    data = page_data(html)
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    small = page_data(render_html(synthetic_view(50)))
    assert small["options"]["physics"]["enabled"] is True and "x" not in small["nodes"][0]


def page_data(html: str) -> dict:
    import json

    return json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S).group(1))


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_page_is_self_contained_and_deterministic(mini_view):
    html = render_html(mini_view)
    assert html == render_html(mini_view)
    parser = TagCollector()
    parser.feed(html)
    loading = [(tag, attrs) for tag, attrs in parser.tags if tag in ("link", "img", "iframe") or {"src", "href"} & set(attrs)]
    assert loading == []
    csp = next(attrs["content"] for tag, attrs in parser.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'; script-src 'sha256-")


def test_page_is_byte_identical_whatever_the_hash_seed(tmp_path):
    kg = Path(sys.executable).parent / "kg"
    for seed in ("1", "2"):
        subprocess.run([kg, "view", "--facts", MINI, "--out", tmp_path / f"{seed}.html"], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    assert (tmp_path / "1.html").read_bytes() == (tmp_path / "2.html").read_bytes()


def test_build_writes_the_page_with_the_other_exports(graph):
    from kg.export import EXPORTER_MODULES, render_exports

    assert "kg.view" in EXPORTER_MODULES
    files = render_exports(graph)
    assert files["graph.html"] == render_html(view_model(graph)).encode("utf-8")


# ---------------------------------------------------------------- the command

def test_view_command_writes_the_page(tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["view", "--facts", MINI, "--out", str(out), "--focus", "listing", "--depth", "1",
                                      "--as-of", "2019-06-01"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (4 nodes, 5 edges)\n"
    assert {n["id"] for n in page_data(out.read_text())["nodes"]} == {"listing", "us-bis", "acme", "doe-says"}


@pytest.mark.parametrize(("arguments", "message"), [
    (["--focus", "nope"], "Error: unknown node 'nope'"),
    (["--types", "Nope"], "Error: unknown class Nope"),
    (["--as-of", "2019-13-01"], "Invalid value for '--as-of'"),
])
def test_view_command_rejects_bad_input(tmp_path, arguments, message):
    result = CliRunner().invoke(cli, ["view", "--facts", MINI, "--out", str(tmp_path / "x.html"), *arguments])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


# ---------------------------------------------------------------- in Chromium

@dataclass
class OpenPage:
    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def run(self, script: str, argument=None):
        return self.page.evaluate(script, argument)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def open_view(browser, tmp_path):
    """Open an HTML string in a fresh page with the network blocked; wait until the layout is stable."""
    contexts = []

    def opener(html: str) -> OpenPage:
        path = tmp_path / f"view{len(contexts)}.html"
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        opened = OpenPage(context.new_page())
        page = opened.page
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: message.type in ("error", "warning") and opened.errors.append(message.text))
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))

        def block(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                opened.blocked.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        page.goto(path.as_uri())
        page.wait_for_function("() => window.kgView && window.kgView.stable", timeout=60_000)
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def real_view(graph):
    return view_model(graph)


@pytest.fixture()
def real_page(open_view, real_view):
    return open_view(render_html(real_view))


VISIBLE = "kind => window.kgView[kind].get({filter: item => !item.hidden}).map(item => item.id).sort()"


def test_page_loads_offline_with_every_node_and_edge(real_page, real_view, artifacts):
    assert real_page.blocked == [] and real_page.errors == []
    assert len(real_page.requests) == 1 and real_page.requests[0].startswith("file:")
    assert real_page.run(VISIBLE, "nodes") == sorted(n.id for n in real_view.nodes)
    assert real_page.run(VISIBLE, "edges") == sorted(e.id for e in real_view.edges)
    legend = real_page.page.locator("#class-filters li").all_inner_texts()
    assert sorted(text.strip() for text in legend) == sorted(real_view.classes.values())
    real_page.page.screenshot(path=artifacts / "view.png")


def test_search_by_label_or_alias_focuses_the_node(real_page):
    page = real_page.page
    for text, wanted in (("Huawei", "huawei"), ("bis", "us-bis")):
        page.fill("#search", text)
        page.press("#search", "Enter")
        assert real_page.run("() => window.kgView.network.getSelectedNodes()") == [wanted]
    assert page.locator("#details").inner_text().startswith("Bureau of Industry and Security")
    page.fill("#search", "no such thing")
    page.press("#search", "Enter")
    assert "nothing found" in page.locator("#status").inner_text()


def test_class_filter_hides_its_nodes_and_their_edges(real_page, real_view):
    companies = {n.id for n in real_view.nodes if n.cls == "Company"}
    real_page.page.locator("#class-filters label", has_text="company").uncheck()
    visible = set(real_page.run(VISIBLE, "nodes"))
    assert visible == {n.id for n in real_view.nodes} - companies
    edges = {e.id: e for e in real_view.edges}
    shown = [edges[e] for e in real_page.run(VISIBLE, "edges")]
    assert all(e.source not in companies and e.target not in companies for e in shown)
    real_page.page.locator("#class-filters label", has_text="company").check()
    assert len(real_page.run(VISIBLE, "nodes")) == len(real_view.nodes)


def test_relation_filter_hides_its_edges(real_page, real_view):
    real_page.page.locator("#relation-filters label", has_text="issued by").uncheck()
    assert set(real_page.run(VISIBLE, "edges")) == {e.id for e in real_view.edges if e.relation != "issuedBy"}


def test_date_slider_shows_the_graph_as_of_a_day(real_page, real_view):
    real_page.run("""() => { const slider = document.getElementById('date-slider');
        slider.value = String(Math.floor(slider.max / 2)); slider.dispatchEvent(new Event('input')); }""")
    day = real_page.page.locator("#date-label").inner_text()
    expected = visible_as_of(real_view, day)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
    assert 0 < len(expected.nodes) < len(real_view.nodes)
    assert real_page.run(VISIBLE, "nodes") == sorted(n.id for n in expected.nodes)
    assert real_page.run(VISIBLE, "edges") == sorted(e.id for e in expected.edges)


def drawn_at(opened: OpenPage, canvas_point: str, item_id: str) -> tuple[float, float]:
    """Page coordinates of a point of the canvas, given as JavaScript of the network ``n`` and the item ``id``."""
    return opened.run(f"""id => {{ const n = window.kgView.network, box = n.body.container.getBoundingClientRect();
        const p = n.canvasToDOM({canvas_point}); return [box.left + p.x, box.top + p.y]; }}""", item_id)


def node_point(opened: OpenPage, node_id: str) -> tuple[float, float]:
    return drawn_at(opened, "n.getPosition(id)", node_id)


def edge_point(opened: OpenPage, edge_id: str) -> tuple[float, float]:
    """The middle of the edge's drawn line (vis-network's own point on its curve)."""
    return drawn_at(opened, "n.body.edges[id].edgeType.getPoint(0.5)", edge_id)


DIMMED = "() => window.kgView.nodes.get({filter: n => n.color.startsWith('rgba(190')}).map(n => n.id)"


def test_click_highlights_the_neighbourhood_and_reset_restores(real_page, real_view):
    page = real_page.page
    page.fill("#search", "Huawei")
    page.press("#search", "Enter")
    page.wait_for_timeout(600)  # the focus animation
    page.mouse.click(*node_point(real_page, "huawei"))
    near = set(real_page.run("() => window.kgView.network.getConnectedNodes('huawei')")) | {"huawei"}
    dimmed = set(real_page.run(DIMMED))
    assert dimmed and not dimmed & near
    assert page.locator("#details").inner_text().startswith("Huawei Technologies")
    links = page.locator("#details a").evaluate_all("links => links.map(a => a.href)")
    assert links and all(link.startswith("https://") for link in links)
    page.locator("#class-filters label", has_text="person").uncheck()
    page.click("#reset")
    assert real_page.run(DIMMED) == [] and len(real_page.run(VISIBLE, "nodes")) == len(real_view.nodes)
    assert page.locator("#details").is_hidden() and page.locator("#date-label").inner_text() == "all dates"


def test_big_graph_opens_at_the_positions_computed_in_python(open_view):
    view = synthetic_view(PHYSICS_LIMIT + 1)
    opened = open_view(render_html(view))
    assert opened.run("() => window.kgView.network.physics.options.enabled") is False
    drawn = opened.run("() => window.kgView.network.getPositions()")
    assert {id: (p["x"], p["y"]) for id, p in drawn.items()} == radial_layout(view)
    assert opened.errors == []


def test_hover_shows_details_with_sources_as_links(real_page):
    page = real_page.page
    page.mouse.move(*node_point(real_page, "huawei"))
    tooltip = page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.locator("strong").inner_text() == "Huawei Technologies Co., Ltd."
    links = tooltip.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert links and all(link.startswith("https://") for link in links)


# ---------------------------------------------------------------- safety

PAYLOAD = " ".join((
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '"><script>window.__pwned=2;alert(2)</script>',
    "</script><script>window.__pwned=3</script>",
    "javascript:window.__pwned=4",
    "' onmouseover='window.__pwned=5' x='",
    "{{7*7}} <!--",
))
GOOD_URL = "https://example.org/source"
URLS = ("javascript:window.__pwned=6", "data:text/html,<script>alert(7)</script>",
        'https://example.org/"><script>alert(8)</script>', " JavaScript:alert(9)", GOOD_URL)


def payload_graph():
    """A graph with the payload in every text a fact can carry, and hostile URLs on its sources."""
    graph = new_graph()
    agency, company, person = entity_iri("agency"), entity_iri("company"), entity_iri("person")
    event, statement, edge = entity_iri("event"), entity_iri("statement"), entity_iri("edge/event/agency/restricts/company")
    for node, cls in ((agency, TP.GovernmentAgency), (company, TP.Company), (person, TP.Person),
                      (event, TP.EntityListAddition), (statement, TP.Statement), (edge, TP.DerivedEdge)):
        graph.add((node, RDF.type, cls))
        graph.add((node, RDFS.label, Literal(f"{node.split('/')[-1]} {PAYLOAD}", lang="en")))
        graph.add((node, DCTERMS.description, Literal(PAYLOAD, lang="en")))
    graph.add((company, SKOS.altLabel, Literal(PAYLOAD, lang="en")))
    graph.add((person, SCHEMA.jobTitle, Literal(PAYLOAD, lang="en")))
    for p, o in ((TP.issuedBy, agency), (TP.targets, company), (TP.effect, TP.restrictive),
                 (TP.announcedDate, Literal("2020-01-01", datatype=XSD.date)), (TP.frCitation, Literal(PAYLOAD))):
        graph.add((event, p, o))
    for p, o in ((TP.speaker, person), (TP.about, event), (TP.quote, Literal(PAYLOAD)), (TP.medium, Literal(PAYLOAD)),
                 (TP.announcedDate, Literal("2020-01-02", datatype=XSD.date))):
        graph.add((statement, p, o))
    for p, o in ((RDF.subject, agency), (RDF.predicate, TP.restricts), (RDF.object, company), (TP.impliedBy, event),
                 (TP.validFrom, Literal("2020-01-01", datatype=XSD.date))):
        graph.add((edge, p, o))
    for number, url in enumerate(URLS):
        source, citation = entity_iri(f"source{number}"), entity_iri(f"citation{number}")
        for p, o in ((RDF.type, TP.Source), (RDFS.label, Literal(PAYLOAD, lang="en")), (SCHEMA.url, Literal(url)),
                     (DCTERMS.title, Literal(PAYLOAD)), (DCTERMS.publisher, Literal(PAYLOAD))):
            graph.add((source, p, o))
        for fact in (event, statement, company):
            graph.add((fact, PROV.wasDerivedFrom, source))
        graph.add((event, TP.citation, citation))
        graph.add((citation, TP.citedSource, source))
        graph.add((citation, TP.quote, Literal(PAYLOAD)))
    return graph


def test_no_fact_text_can_run_script_or_make_a_bad_link(open_view):
    view = view_model(payload_graph())
    assert (len(view.nodes), len(view.edges)) == (5, 5)
    opened = open_view(render_html(view))
    page = opened.page
    tooltip = page.locator(".vis-tooltip")
    points = [node_point(opened, n.id) for n in view.nodes] + [edge_point(opened, e.id) for e in view.edges]
    for point in points:
        page.mouse.move(0, 0)
        page.mouse.move(*point)
        tooltip.wait_for(state="visible")
        assert PAYLOAD in tooltip.inner_text()
    for node in view.nodes:
        page.mouse.click(*node_point(opened, node.id))
        assert PAYLOAD in page.locator("#details").inner_text()
    for text in (PAYLOAD, "javascript:"):
        page.fill("#search", text)
        page.press("#search", "Enter")
    assert opened.run("() => window.__pwned") is None
    assert opened.dialogs == [] and opened.blocked == [] and len(opened.requests) == 1
    assert opened.run("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    handlers = "() => [...document.querySelectorAll('*')].flatMap(e => e.getAttributeNames()).filter(a => a.startsWith('on'))"
    assert opened.run(handlers) == []
    hrefs = opened.run("""() => [document, ...window.kgView.nodes.get().concat(window.kgView.edges.get()).map(i => i.title)]
        .flatMap(root => [...root.querySelectorAll('[href]')]).map(e => e.getAttribute('href'))""")
    assert hrefs and set(hrefs) == {GOOD_URL}
    assert page.title() == view.title


def test_focus_resolves_a_label_and_a_filtered_view_does_not_replace_the_full_page(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["view", "--facts", MINI, "--focus", "ACME TELECOM", "--depth", "1"])
    assert result.exit_code == 0 and result.output.startswith("wrote graph.html")
    assert "acme" in {n["id"] for n in page_data((tmp_path / "graph.html").read_text())["nodes"]}
    assert not (tmp_path / "exports").exists()


def test_a_retroactive_rule_is_shown_from_its_announcement_as_kg_query_as_of_does(mini_facts):
    import datetime as dt

    from rdflib import URIRef

    from kg.build import build
    from kg.query import as_of

    events = mini_facts / "events.yaml"
    events.write_text(events.read_text().replace("effective_date: 2019-05-16", "effective_date: 2019-05-10"))
    graph = build(mini_facts).graph
    [restricts] = [e for e in view_model(graph).edges if e.relation == "restricts"]
    assert restricts.valid_from == "2019-05-15"
    for day in ("2019-05-12", "2019-05-15"):
        in_query = bool(list(as_of(graph, dt.date.fromisoformat(day)).subjects(RDF.predicate, URIRef(VOCAB + "restricts"))))
        assert in_query == (restricts in visible_as_of(view_model(graph), day).edges)
