"""``kg serve``: the graph as a read-only SPARQL 1.1 Protocol endpoint, a query page and a VoID description.

Routes: ``/sparql`` (GET ``?query=``, POST form or ``application/sparql-query``; with no query, the service
description), ``/`` (the query page, no external resources), ``/queries`` (the named questions as JSON),
``/queries/NAME?param=value`` (one question's SPARQL with its parameters) and ``/void`` (the VoID description).
Each query runs in a forked worker killed at the timeout (:func:`kg.query.run_query`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import parse_qs

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.engine import Engine
from kg.query import Answer, QueryError, QueryTimeout, as_of, named_queries, named_query, run_query

LOG = logging.getLogger("kg.serve")
PAGE = Path(__file__).resolve().parent / "serve.html"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
# Media types offered for result sets and for graphs, best first: media type -> rdflib format.
RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "nt", "application/ld+json": "json-ld",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "nt": "application/n-triples", "json-ld": "application/ld+json",
}
W3C_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "nt": "N-Triples", "json-ld": "JSON-LD"}


@dataclass(frozen=True)
class Limits:
    """What one query may cost: seconds, rows returned, queries at once, request body bytes."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_concurrent: int = 2
    max_body: int = 65_536


class HTTPError(Exception):
    """A request the endpoint answers with ``status`` and a one-line plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Endpoint:
    """The request handlers, sharing one graph (and its as-of views) and a count of running queries."""

    def __init__(self, graph: Graph, limits: Limits, engine: Engine | None = None):
        self.graph, self.limits, self.engine = graph, limits, engine
        self.view = lru_cache(maxsize=8)(partial(as_of, graph))  # as-of views of the last days asked for
        self.running = 0

    async def sparql(self, request: Request) -> Response:
        text, params = await self._query_of(request)
        if text is None:
            return self._describe(request)
        if self.running >= self.limits.max_concurrent:
            raise HTTPError(503, f"busy: {self.running} queries are running (limit {self.limits.max_concurrent}); retry later")
        self.running += 1
        try:
            target = await run_in_threadpool(self._target, params.get("as-of"))
            answer = await run_in_threadpool(run_query, target, text, self.limits.timeout, self.limits.max_rows)
        finally:
            self.running -= 1
        return await self._answer_response(request, answer)

    async def _query_of(self, request: Request) -> tuple[str | None, dict[str, str]]:
        """The query text and the other parameters, from the URL, a form or a sparql-query body."""
        params = {key: value for key, value in request.query_params.items()}
        if request.method == "GET":
            return params.pop("query", None), params
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await self._body(request)
        if media == "application/sparql-query":
            return body.decode("utf-8", errors="replace"), params
        if media != "application/x-www-form-urlencoded":
            raise HTTPError(415, "POST a form (application/x-www-form-urlencoded) or application/sparql-query")
        form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", errors="replace")).items()}
        params.update(form)
        if "update" in params:
            raise HTTPError(400, "updates are refused: the graph is read-only")
        if "query" not in params:
            raise HTTPError(400, "the form has no 'query' field")
        return params.pop("query"), params

    async def _body(self, request: Request) -> bytes:
        if int(request.headers.get("content-length") or 0) > self.limits.max_body:
            raise HTTPError(413, f"request body over {self.limits.max_body} bytes")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.limits.max_body:
                raise HTTPError(413, f"request body over {self.limits.max_body} bytes")
        return body

    def _target(self, value: str | None) -> Graph | Engine:
        """The engine for today's graph, or the rdflib view as of the day asked for."""
        if not value:
            return self.engine or self.graph
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise HTTPError(400, f"as-of: '{value}' is not a date (YYYY-MM-DD)") from None
        return self.view(day)

    async def _answer_response(self, request: Request, answer: Answer) -> Response:
        offers, default = (GRAPH_TYPES, "turtle") if answer.is_graph else (RESULT_TYPES, "json")
        format = negotiate(request.headers.get("accept"), offers, default)
        headers = {"X-Result-Count": str(answer.total), "Vary": "Accept"}
        if answer.truncated:
            headers["X-Result-Truncated"] = f"only the first {self.limits.max_rows} of {answer.total} are returned"
        body = await run_in_threadpool(answer.serialize, format)
        return Response(body, media_type=CONTENT_TYPES[format], headers=headers)

    def _describe(self, request: Request) -> Response:
        format = negotiate(request.headers.get("accept"), GRAPH_TYPES, "turtle")
        description = describe(self.graph, str(request.url_for("sparql")), self.limits)
        return Response(description.serialize(format=format, encoding="utf-8"), media_type=CONTENT_TYPES[format])

    async def void(self, request: Request) -> Response:
        return self._describe(request)

    async def page(self, request: Request) -> Response:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def queries(self, request: Request) -> Response:
        return JSONResponse([
            {"name": q.name, "title": q.title, "description": q.description, "query": q.bind(),
             "params": [{"name": p.name, "default": p.default, "type": p.type, "description": p.description} for p in q.params]}
            for q in named_queries().values()
        ])

    async def named(self, request: Request) -> Response:
        """One named question's SPARQL with the URL's parameters (and defaults for the others)."""
        try:
            question = named_query(request.path_params["name"])
        except QueryError as error:
            raise HTTPError(404, str(error)) from None
        return PlainTextResponse(question.bind(dict(request.query_params)), media_type="application/sparql-query")


def negotiate(accept: str | None, offers: dict[str, str], default: str) -> str:
    """The format of the best offer the Accept header takes (q-values honoured); 406 when it takes none."""
    if not accept:
        return default
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *options = [part.strip() for part in item.split(";")]
        quality = next((_quality(o[2:]) for o in options if o.startswith("q=")), 1.0)
        if quality > 0:
            ranges.append((-quality, position, media.lower()))
    for _quality_rank, _position, media in sorted(ranges):
        if media in offers:
            return offers[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            match = next((fmt for offer, fmt in offers.items() if offer.startswith(media[:-1])), None)
            if match:
                return match
    raise HTTPError(406, f"cannot answer as {accept}; offered: {', '.join(offers)}")


def _quality(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def describe(graph: Graph, endpoint_url: str, limits: Limits) -> Graph:
    """The SPARQL service description of the endpoint, around the VoID/DCAT description of its dataset
    (:func:`kg.void.describe_dataset`, the one ``kg build`` writes, with ``void:sparqlEndpoint``)."""
    from kg.void import DATASET, describe_dataset

    description = describe_dataset(graph, endpoint=endpoint_url)
    description.bind("sd", SD)
    service = URIRef(endpoint_url)
    triples = [
        (service, RDF.type, SD.Service),
        (service, SD.endpoint, service),
        (service, SD.supportedLanguage, SD.SPARQL11Query),
        (service, SD.defaultDataset, DATASET),
        (DATASET, RDF.type, SD.Dataset),
        (DATASET, URIRef("http://purl.org/dc/terms/accessRights"), Literal(
            f"read-only; queries time out after {limits.timeout:g} s and return at most {limits.max_rows} rows; "
            "default-graph-uri and named-graph-uri are ignored", lang="en")),
        *((service, SD.resultFormat, FORMATS_NS[name]) for name in W3C_FORMATS.values()),
    ]
    for triple in triples:
        description.add(triple)
    return description


async def _http_error(request: Request, error: HTTPError) -> Response:
    return PlainTextResponse(error.message + "\n", status_code=error.status)


async def _query_error(request: Request, error: QueryError) -> Response:
    status = 503 if isinstance(error, QueryTimeout) else 400
    return PlainTextResponse(str(error) + "\n", status_code=status)


async def _server_error(request: Request, error: Exception) -> Response:
    LOG.exception("internal error on %s", request.url.path)
    return PlainTextResponse("internal server error\n", status_code=500)


def create_app(graph: Graph, limits: Limits = Limits(), engine: Engine | None = None) -> Starlette:
    """The ASGI application serving ``graph`` (queried through ``engine`` when given, except as-of views)."""
    endpoint = Endpoint(graph, limits, engine)
    return Starlette(
        routes=[
            Route("/", endpoint.page),
            Route("/sparql", endpoint.sparql, methods=["GET", "POST"], name="sparql"),
            Route("/queries", endpoint.queries),
            Route("/queries/{name}", endpoint.named),
            Route("/void", endpoint.void, name="void"),
        ],
        exception_handlers={HTTPError: _http_error, QueryError: _query_error, Exception: _server_error},
        middleware=[Middleware(BaseHTTPMiddleware, dispatch=_log_request)],
    )


async def _log_request(request: Request, call_next) -> Response:
    started = time.perf_counter()
    response = await call_next(request)
    elapsed = (time.perf_counter() - started) * 1000
    client = request.client.host if request.client else "-"
    LOG.info('%s "%s %s" %d %.0fms', client, request.method, request.url.path, response.status_code, elapsed)
    return response


def serve(graph: Graph, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
          engine: Engine | None = None) -> None:
    """Run the endpoint with uvicorn until interrupted, logging one line per request to stderr."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    LOG.info("serving %d triples at http://%s:%d/sparql", len(graph), host, port)
    uvicorn.run(create_app(graph, limits, engine), host=host, port=port, access_log=False, log_level="warning")
