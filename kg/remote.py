"""Publish the graph to a SPARQL server and query it there.

:func:`push` uploads triples through the SPARQL 1.1 Graph Store HTTP Protocol into a fresh temporary
graph, in batches, then replaces the target graph with one SPARQL Update ``MOVE``: on servers that run an
update as one transaction (Virtuoso and Oxigraph do), readers see the old graph or the new one, never half. If the upload fails or is interrupted, the temporary graph is
dropped (best effort) and the target graph is left as it was.

:func:`query_endpoint` runs a query over the SPARQL 1.1 Protocol and returns an rdflib
:class:`~rdflib.query.Result`, the same shape as ``Graph.query`` gives.

Every failure (unreachable server, refused credentials, rejected request) raises :class:`RemoteError`
with a one-line message that includes what the server said. Credentials are never part of a message.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from rdflib import Graph
from rdflib.query import Result

from kg.namespaces import sparql_prologue

DEFAULT_GRAPH = "https://w3id.org/techpolicy-kg/graph"
BATCH_SIZE = 50_000
TIMEOUT = 120.0
NTRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
GRAPH_FORMS = ("ConstructQuery", "DescribeQuery")
GRAPH_TYPES = {NTRIPLES: "nt", "text/plain": "nt", "text/turtle": "turtle", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld"}
# Virtuoso 7 answers ASK as a one-row SELECT of this variable (1 for true, no row for false).
VIRTUOSO_ASK_VARIABLE = "__ASK_RETVAL"


class RemoteError(Exception):
    """The server could not be reached, refused the credentials, or rejected the request."""


@dataclass(frozen=True)
class Credentials:
    """A user name and password, sent with HTTP Digest or Basic auth, whichever the server asks for."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Pushed:
    """What :func:`push` did: the graph it replaced and how many triples and requests it sent."""

    graph: str
    triples: int
    batches: int


Source = Graph | Path


def push(
    sources: Source | Iterable[Source],
    endpoint: str,
    graph: str | None = None,
    *,
    store: str | None = None,
    credentials: Credentials | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> Pushed:
    """Replace ``graph`` (default :data:`DEFAULT_GRAPH`) on the server with the triples of ``sources``.

    ``sources`` are rdflib graphs or RDF files. ``endpoint`` is the SPARQL Update endpoint, ``store``
    the Graph Store endpoint (by default :func:`default_store` of ``endpoint``). ``progress`` is called
    with (triples uploaded, total) before the first batch and after each one. Triples with blank nodes
    go in one request per source, so that each blank node stays one node.
    """
    graph = _iri(graph or DEFAULT_GRAPH)
    store = store or default_store(endpoint)
    sources = [_readable(source) for source in _as_list(sources)]
    total = sum(len(source) if isinstance(source, Graph) else sum(1 for _ in _file_lines(source)) for source in sources)
    report = progress or (lambda done, total: None)
    temporary = f"urn:techpolicy-kg:push:{uuid.uuid4()}"
    done = requests = 0
    with _client(credentials) as client:
        # Fails fast, before any upload, if the endpoint refuses these credentials or updates.
        _update(client, endpoint, f"DROP SILENT GRAPH <{temporary}>")
        try:
            report(0, total)
            for batch in (batch for source in sources for batch in _batches(_ntriples(source), batch_size)):
                _send(client, "PUT" if requests == 0 else "POST", store, params={"graph": temporary},
                      content="".join(batch).encode("utf-8"), headers={"Content-Type": NTRIPLES})
                done, requests = done + len(batch), requests + 1
                report(done, total)
            _update(client, endpoint, f"MOVE <{temporary}> TO <{graph}>" if requests else f"DROP SILENT GRAPH <{graph}>")
        except BaseException:
            _drop_quietly(client, endpoint, temporary)
            raise
    return Pushed(graph, done, requests)


def query_endpoint(
    endpoint: str,
    sparql: str,
    *,
    graph: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = TIMEOUT,
) -> Result:
    """Run ``sparql`` on a remote SPARQL endpoint and return an rdflib Result.

    ``graph`` becomes the query's default graph (the protocol's ``default-graph-uri``); without it the
    server decides (Virtuoso queries the union of all its graphs, including its own system graphs).
    """
    form = _query_form(sparql)
    accept = NTRIPLES if form in GRAPH_FORMS else SPARQL_JSON
    data = {"query": sparql, **({"default-graph-uri": graph} if graph else {})}
    with _client(credentials, timeout) as client:
        response = _send(client, "POST", endpoint, data=data, headers={"Accept": accept})
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type in (SPARQL_JSON, "application/json"):
        return _fix_virtuoso_ask(Result.parse(io.BytesIO(response.content), format="json"))
    if content_type not in GRAPH_TYPES:
        raise RemoteError(f"{endpoint} answered with {content_type or 'no content type'}, not SPARQL results")
    result = Result("CONSTRUCT")
    result.graph = Graph().parse(data=response.content, format=GRAPH_TYPES[content_type])
    return result


@dataclass(frozen=True)
class RemoteEngine:
    """A remote endpoint as a :mod:`kg.engine` engine, so :func:`kg.query.run_query` can ask it.

    The project's prefixes are predeclared; ``graph`` is the default graph of every query.
    """

    url: str
    graph: str | None = DEFAULT_GRAPH
    credentials: Credentials | None = None
    name: str = "remote"

    def query(self, text: str) -> Result:
        return query_endpoint(self.url, sparql_prologue() + text, graph=self.graph, credentials=self.credentials)

    def __len__(self) -> int:
        return int(next(iter(self.query("SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }")))[0])


def default_store(endpoint: str) -> str:
    """The Graph Store endpoint next to a SPARQL endpoint.

    Virtuoso's ``…/sparql`` or ``…/sparql-auth`` → ``…/sparql-graph-crud-auth``; any other URL is
    returned unchanged (Apache Jena Fuseki serves both protocols at the dataset's URL).
    """
    parts = urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last in ("sparql", "sparql-auth"):
        return urlunsplit(parts._replace(path=f"{head}/sparql-graph-crud-auth"))
    return endpoint


def _as_list(sources: Source | Iterable[Source]) -> list[Source]:
    return [sources] if isinstance(sources, (Graph, Path)) else list(sources)


def _readable(source: Source) -> Graph | Path:
    """An N-Triples file as it is (read line by line, never parsed), anything else as a graph."""
    return source if isinstance(source, Graph) or source.suffix == ".nt" else Graph().parse(source)


def _file_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip() and not line.lstrip().startswith("#"):
                yield line if line.endswith("\n") else line + "\n"


def _ntriples(source: Graph | Path) -> Iterator[str]:
    if isinstance(source, Path):
        return _file_lines(source)
    return iter(source.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines(keepends=True))


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    """Batches of at most ``size`` lines as they are read, then every line with a blank node in one last batch."""
    batch: list[str] = []
    blank: list[str] = []
    for line in lines:
        (blank if "_:" in line else batch).append(line)
        if len(batch) == size:
            yield batch
            batch = []
    yield from (part for part in (batch, blank) if part)


def _query_form(sparql: str) -> str | None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(sparql)[1].name
    except ParseException:
        return None  # let the server judge syntax it may extend


def _fix_virtuoso_ask(result: Result) -> Result:
    if result.type != "SELECT" or [str(v) for v in result.vars or ()] != [VIRTUOSO_ASK_VARIABLE]:
        return result
    answer = Result("ASK")
    answer.askAnswer = any(str(row[0]) not in ("0", "false") for row in result)
    return answer


def _iri(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value):
        raise RemoteError(f"not an absolute IRI: {value!r}")
    return value


class _ChallengeAuth(httpx.Auth):
    """Answer a 401 with Digest or Basic auth, whichever scheme the server's challenge names."""

    def __init__(self, credentials: Credentials):
        self._schemes = {
            "digest": httpx.DigestAuth(credentials.user, credentials.password),
            "basic": httpx.BasicAuth(credentials.user, credentials.password),
        }
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request):
        if self._chosen is None:
            response = yield request
            scheme = response.headers.get("www-authenticate", "").split(" ")[0].lower()
            if response.status_code != 401 or scheme not in self._schemes:
                return
            self._chosen = self._schemes[scheme]
            if scheme == "digest":  # answer the challenge in hand rather than send the body a third time
                flow = self._chosen.auth_flow(request)
                next(flow)
                yield flow.send(response)
                return
        yield from self._chosen.auth_flow(request)


def _client(credentials: Credentials | None, timeout: float = TIMEOUT) -> httpx.Client:
    return httpx.Client(auth=_ChallengeAuth(credentials) if credentials else None, timeout=timeout)


def _send(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    if urlsplit(url).password is not None:
        raise RemoteError("an endpoint URL must not carry a password: pass credentials separately")
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise RemoteError(f"{url} did not answer within {client.timeout.read:.0f} s") from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise RemoteError(f"cannot reach {url}: {error or type(error).__name__}") from None
    if response.status_code in (401, 403):
        reason = {401: "refused the credentials" if client.auth else "needs a login", 403: "forbids this request"}[
            response.status_code]
        raise RemoteError(f"{url} {reason} (HTTP {response.status_code}): {_server_message(response)}")
    if response.status_code >= 400:
        raise RemoteError(f"{url} rejected the request (HTTP {response.status_code}): {_server_message(response)}")
    return response


def _update(client: httpx.Client, endpoint: str, update: str) -> None:
    _send(client, "POST", endpoint, data={"update": update}, headers={"Accept": SPARQL_JSON})


def _drop_quietly(client: httpx.Client, endpoint: str, graph: str) -> None:
    try:
        _update(client, endpoint, f"DROP SILENT GRAPH <{graph}>")
    except RemoteError:
        pass  # the upload's own error is the one to report


def _server_message(response: httpx.Response) -> str:
    """The server's explanation in one line: Virtuoso puts it in <xmp> in HTML pages, before the echoed query in text."""
    text = response.text
    if "html" in response.headers.get("content-type", ""):
        found = re.search(r"<xmp>(.*?)</xmp>", text, re.S | re.I)
        text = found.group(1) if found else re.sub(r"<head>.*?</head>|<[^>]+>", " ", text, flags=re.S | re.I)
    first = text.strip().split("\n\n")[0]
    message = " ".join(first.split())
    return (message[:300] + "…" if len(message) > 300 else message) or response.reason_phrase
