"""Paths, neighbours, centrality, the timeline and name resolution, on the mini fixture and the curated facts."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from kg.analyze import actor_network, centrality, names, neighbors, paths, timeline, timeline_html, to_networkx
from kg.build import build
from kg.cli import cli
from kg.query import as_of
from kg.resolve import UnknownName, resolve

from conftest import FACTS, FIXTURES, REPO

MINI = FIXTURES / "mini"


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    """Commands read ``facts/`` and print paths relative to the working directory: run them from the repository."""
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="module")
def mini_network():
    from kg.build import build

    return to_networkx(build(MINI).graph)


@pytest.fixture(scope="module")
def network(graph):
    return to_networkx(graph)


def run(*args: str):
    """Invoke ``kg`` with a wide terminal, so that tables are not wrapped."""
    return CliRunner(env={"COLUMNS": "200"}).invoke(cli, list(args))


def test_records_become_nodes_with_their_yaml_keys(mini_network):
    listing = mini_network.nodes["listing"]
    assert (listing["class"], listing["kind"], listing["date"]) == ("EntityListAddition", "event", "2019-05-15")
    assert (listing["fr_citation"], listing["effect"], listing["scope"]) == ("84 FR 22961", "restrictive", ["exports"])
    assert mini_network.nodes["us-bis"]["aliases"] == ["BIS"]
    assert {"citation/listing/register", "edge/listing/us-bis/restricts/acme"}.isdisjoint(mini_network)


def test_references_and_derived_edges_become_edges(mini_network):
    assert mini_network.has_edge("listing", "acme", key="targets")
    eases = mini_network.edges["us-bis", "acme", "eases licence"]
    assert eases == {"relation": "eases", "event": "licence", "valid_from": "2019-05-20", "valid_until": "2019-06-30"}


def test_events_link_the_actors_they_involve_as_of_a_day(mini_network):
    actors = actor_network(mini_network)
    assert [link.via for link in actors.edges["acme", "us-bis"]["links"]] == ["listing", "licence"]
    assert [link.label for link in actors.edges["jane-doe", "us-bis"]["links"]] == ["affiliation"]
    graph = build(MINI).graph
    before = actor_network(to_networkx(as_of(graph, dt.date(2019, 5, 14))))
    assert not before.has_edge("acme", "us-bis") and before.has_edge("jane-doe", "us-bis")
    on_the_day = actor_network(to_networkx(as_of(graph, dt.date(2019, 5, 15))))
    assert [link.via for link in on_the_day.edges["acme", "us-bis"]["links"]] == ["listing"]


def test_path_neighbors_and_centrality_on_the_mini_facts(mini_network):
    actors = actor_network(mini_network)
    [hops] = paths(actors, "acme", "jane-doe")
    assert [(h.source, h.target) for h in hops] == [("acme", "us-bis"), ("us-bis", "jane-doe")]
    assert [(n.actor, n.distance) for n in neighbors(actors, "acme", depth=2)] == [("us-bis", 1), ("jane-doe", 2)]
    assert [n.actor for n in neighbors(actors, "acme", depth=1)] == ["us-bis"]
    assert centrality(actors, "degree") == [("us-bis", 1.0), ("acme", 0.5), ("jane-doe", 0.5)]
    assert centrality(actors, "betweenness", top=1) == [("us-bis", 1.0)]
    ranked = centrality(actors, "pagerank")
    assert ranked[0][0] == "us-bis" and sum(score for _a, score in ranked) == pytest.approx(1.0)


def test_resolve_by_slug_label_or_alias_ignoring_case():
    known = {"us-commerce": ["United States Department of Commerce", "Commerce Department"],
             "us-bis": ["Bureau of Industry and Security", "BIS"], "uk-government": ["UK government"],
             "us-government": ["US government"], "ca": ["Canada"],
             "canada-government": ["Government of Canada", "Canada"]}
    assert resolve("US-BIS", known) == "us-bis"
    assert resolve("  commerce   department ", known) == "us-commerce"
    assert resolve("bis", known) == "us-bis"
    with pytest.raises(UnknownName, match=r"ambiguous: ca \(Canada\), canada-government"):
        resolve("canada", {k: v for k, v in known.items() if k in ("ca", "canada-government")} | {"zz": ["Canada"]})
    with pytest.raises(UnknownName, match=r"unknown actor 'uk govt'; closest: uk-government \(UK government\)"):
        resolve("uk govt", known, "actor")
    with pytest.raises(UnknownName, match=r"^unknown name 'zzzz'$"):
        resolve("zzzz", known)


def test_path_from_the_uk_government_to_the_commerce_department(network):
    actors = actor_network(network)
    start, end = (resolve(n, names(network)) for n in ("UK government", "commerce department"))
    assert (start, end) == ("uk-government", "us-commerce")
    shortest = paths(actors, start, end)[0]
    assert [(h.source, h.target) for h in shortest] == [("uk-government", "huawei"), ("huawei", "us-commerce")]
    assert "uk-hrv-decision-2020-01" in [link.via for link in shortest[0].links]
    assert "entity-list-huawei-2019" in [link.via for link in shortest[1].links]
    assert all(link.date and link.sources for hop in shortest for link in hop.links)


def test_path_command_shows_each_hop_with_event_date_and_source():
    result = run("path", "uk-government", "Commerce Department", "--max", "1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("path 1 (2 hops): Government of the United Kingdom \u2192 Huawei Technologies Co., Ltd."
                        " \u2192 United States Department of Commerce")
    assert re.search(r"via UK limits .* \[uk-hrv-decision-2020-01\] \(2020-01-28, \S+", result.output)
    assert not any(line.startswith("path 2") for line in lines)


def test_path_as_of_a_day_before_any_link():
    result = run("path", "uk-government", "us-commerce", "--as-of", "2019-01-01")
    assert result.exit_code == 1
    assert "no connection between uk-government and us-commerce as of 2019-01-01" in result.output


@pytest.mark.parametrize("args, message", [
    (["path", "uk-governmnt", "us-commerce"], "unknown actor 'uk-governmnt'; closest: uk-government"),
    (["neighbors", "huawei", "--as-of", "2020-13-01"], "'2020-13-01' is not a date"),
    (["timeline", "--actor", "nobody-at-all"], "unknown actor 'nobody-at-all'"),
    (["centrality", "--measure", "closeness"], "'closeness' is not one of"),
    (["path", "huawei", "Huawei Technologies Co., Ltd."], "START and END are both huawei"),
    (["lint", "--texts", "no-such-folder"], "'no-such-folder' does not exist"),
])
def test_bad_input_is_a_usage_error(args, message):
    result = run(*args, "--facts", str(MINI if args[0] == "centrality" else FACTS))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_neighbors_and_centrality_on_the_curated_facts(network):
    actors = actor_network(network)
    found = neighbors(actors, "huawei", depth=2)
    distance = {n.actor: n.distance for n in found}
    assert distance["us-bis"] == 1 and distance["uk-government"] == 1 and 2 in distance.values()
    assert [n.distance for n in found] == sorted(n.distance for n in found)
    assert all(n.hop.target == n.actor and n.hop.links for n in found)
    assert centrality(actors, "degree", top=1)[0][0] == "huawei"
    result = run("neighbors", "Huawei", "--depth", "2")
    assert result.exit_code == 0 and "neighbours of Huawei Technologies Co., Ltd." in result.output
    top = run("centrality", "--measure", "betweenness", "--top", "1")
    assert top.exit_code == 0 and "\u2502 1 \u2502 huawei " in top.output


def test_huaweis_timeline_is_in_date_order(network):
    entries = timeline(network, actor="huawei")
    ids = [e.id for e in entries]
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert ids.index("entity-list-huawei-2019") < ids.index("tgl-2019-05") < ids.index("fdp-entity-list-rule-2020-08")
    assert all(any("huawei" in slugs for slugs in e.actors.values()) for e in entries)
    listing = entries[ids.index("entity-list-huawei-2019")]
    assert (listing.date, listing.identifiers) == ("2019-05-15", ["84 FR 22961"])
    assert listing.actors["issued_by"] == ["us-bis"]
    window = timeline(network, "huawei", dt.date(2020, 1, 1), dt.date(2020, 6, 30))
    assert window and all("2020-01-01" <= e.date <= "2020-06-30" for e in window)


def test_timeline_command_formats():
    as_json = json.loads(run("timeline", "--facts", str(MINI), "--format", "json").output)
    assert [e["id"] for e in as_json] == ["doe-says", "listing", "licence", "removal"]
    as_csv = run("timeline", "--facts", str(MINI), "--format", "csv", "--actor", "acme", "--from", "2019-05-16").output
    assert as_csv.splitlines() == ["date,id,type,label,actors,identifiers,sources",
                                   "2019-05-20,licence,License,Temporary licence for Acme,"
                                   "issued_by: us-bis; targets: acme,,register"]
    table = run("timeline", "--facts", str(MINI), "--to", "2019-05-15").output
    assert "2 events" in table and "[listing]" not in table and "84 FR 22961" in table


def test_timeline_html_is_self_contained_and_escaped(mini_network):
    entries = timeline(mini_network)
    entries[0].label = "<script>alert(1)</script>"
    page = timeline_html(entries, {"jane-doe": "Jane & co"})
    assert "<script>" not in page and "&lt;script&gt;" in page and "Jane &amp; co" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert page.count('class="event"') == 4
    assert "No events." in timeline_html([], {})


def test_timeline_html_draws_events_left_to_right_in_chromium(tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "timeline.html"
    result = run("timeline", "--actor", "huawei", "--format", "html", "-o", str(page_file))
    assert result.exit_code == 0, result.output
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        xs = page.eval_on_selector_all("g.event circle", "cs => cs.map(c => c.getBoundingClientRect().x)")
        page.screenshot(path=str(artifacts / "timeline.png"), full_page=True)
        browser.close()
    assert len(xs) > 10 and xs == sorted(xs) and xs[-1] > xs[0] + 500
    assert requests == [page_file.as_uri()]
