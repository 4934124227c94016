"""Import the US Consolidated Screening List (CSL) exactly as trade.gov publishes it, as CSV or JSON.

Each row of the file is one entry of one source list. It becomes a listed party (an actor: an
organisation, a person, or a vessel or aircraft) and its listing (an event): a ``tp:EntityListAddition``
for a dated Entity List entry, which restricts the party like a curated addition does, otherwise a
``tp:ScreeningListing``. Listings are dated by the list's ``start_date`` and cite the Federal Register
notices the row names and the list file itself (a ``tp:Source`` with its retrieval date and SHA-256).

Imported parties are linked to curated actors only through a reviewed match file
(``facts/matches.yaml``: actor slug ↔ list entry id), and to curated jurisdictions only by exact ISO
code; names are never matched. Imports go to their own file (``exports/imports/csl.nt``);
:func:`kg.build.add_imports` adds such files (:func:`kg.build.import_files`) to a built graph when asked.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rdflib import PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.compile import add_derived_edge, describe_term
from kg.namespaces import ENTITY, VOCAB, entity_iri, new_graph
from kg.schema import TP, load_schema

CSV_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag",
    "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships", "dates_of_birth",
    "nationalities", "places_of_birth", "source_information_url", "ids",
)
REQUIRED_COLUMNS = ("_id", "source", "name")
TEXT_COLUMNS = (  # the single-valued columns the import uses; the multi-valued ones are read as lists
    "_id", "source", "type", "name", "title", "federal_register_notice", "start_date", "end_date",
    "license_requirement", "license_policy", "remarks", "source_list_url",
)
ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"
DOWNLOAD_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.{format}"
PUBLISHER = "International Trade Administration, US Department of Commerce"
FR_PUBLISHER = "Office of the Federal Register"
CURATED_AGENCIES = {"Bureau of Industry and Security": "us-bis"}
FALLBACK_ISSUER = "us-government"
PARTY_CLASSES = {"": "Organization", "entity": "Organization", "individual": "Person", "vessel": "Conveyance",
                 "aircraft": "Conveyance"}
FR_NOTICE = re.compile(r"\b(\d{1,3})\s*F\.?\s?R\.?\s+(\d{1,6})\b")
ISO_CODE = re.compile(r"^[A-Z]{2}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
IMPORT_FILE = "csl.nt"
SCHEMA = "https://schema.org/"


class CslError(Exception):
    """The list file cannot be read as a list at all: unreadable, not JSON, missing columns."""

    exit_code = 2


class CslDataError(CslError):
    """Bad data stops the import: malformed rows under ``strict``, a bad match file, facts that do not load."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class RowProblem:
    """A malformed row: ``row`` is the line a CSV record starts on, or the position of a JSON result."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class Entry:
    """One row of the list, checked and normalised (the same for CSV and JSON)."""

    row: int
    id: str
    source: str
    kind: str
    name: str
    alt_names: tuple[str, ...] = ()
    title: str = ""
    addresses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    license_requirement: str = ""
    license_policy: str = ""
    remarks: str = ""
    source_list_url: str = ""

    @property
    def is_entity_list_addition(self) -> bool:
        return self.source == ENTITY_LIST and self.start_date is not None


@dataclass(frozen=True)
class ListFile:
    """The list file as read: its name, format, SHA-256 and the day it was retrieved."""

    path: Path
    format: str
    sha256: str
    retrieved: dt.date


@dataclass
class CslImport:
    """The imported graph and what happened on the way."""

    graph: Graph
    file: ListFile
    entries: list[Entry]
    problems: list[RowProblem]
    linked: dict[str, str] = field(default_factory=dict)
    unused_matches: list[str] = field(default_factory=list)

    def summary(self) -> str:
        additions = sum(entry.is_entity_list_addition for entry in self.entries)
        return (
            f"{len(self.entries) + len(self.problems):,} rows: {len(self.entries):,} entries imported "
            f"({additions:,} Entity List additions), {len(self.problems):,} malformed rows skipped, "
            f"{len(self.linked):,} linked to curated actors; {len(self.graph):,} triples"
        )


# ---------------------------------------------------------------- reading


def read_list(path: Path | str, retrieved: dt.date | None = None) -> tuple[ListFile, list[Entry | RowProblem]]:
    """Read a CSL file (JSON when it starts with ``{`` or ``[``, else CSV) into entries and row problems.

    ``retrieved`` defaults to the file's modification day, when it was downloaded.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except OSError as error:
        raise CslError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise CslError(f"{path}: not UTF-8 (byte {error.start})") from None
    is_json = text.lstrip()[:1] in ("{", "[")
    rows = _json_rows(path, text) if is_json else _csv_rows(path, text)
    retrieved = retrieved or dt.date.fromtimestamp(path.stat().st_mtime)
    listed = ListFile(path, "json" if is_json else "csv", hashlib.sha256(data).hexdigest(), retrieved)
    return listed, _checked(rows)


def _csv_rows(path: Path, text: str) -> Iterable[tuple[int, dict | str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CslError(f"{path}: not a Consolidated Screening List CSV: no column {', '.join(missing)} in the header")
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, f"unreadable CSV: {error}"
            continue
        if not fields:
            continue
        if len(fields) != len(header):
            yield line, f"has {len(fields)} fields, the header has {len(header)}"
            continue
        yield line, dict(zip(header, fields))


def _json_rows(path: Path, text: str) -> Iterable[tuple[int, dict | str]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CslError(f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise CslError(f"{path}: not a Consolidated Screening List JSON: no \"results\" list")
    for number, result in enumerate(results, 1):
        if not isinstance(result, dict):
            yield number, f"is a {type(result).__name__}, not an object"
        else:
            yield number, {("_id" if key == "id" else key): value for key, value in result.items()}


def _checked(rows: Iterable[tuple[int, dict | str]]) -> list[Entry | RowProblem]:
    out: list[Entry | RowProblem] = []
    first_row: dict[str, int] = {}
    for row, raw in rows:
        try:
            if isinstance(raw, str):
                raise ValueError(raw)
            entry = _entry(row, raw)
            if entry.id in first_row:
                raise ValueError(f"duplicate entry id {entry.id} (first on row {first_row[entry.id]})")
        except ValueError as error:
            out.append(RowProblem(row, str(error)))
            continue
        first_row[entry.id] = row
        out.append(entry)
    return out


def _entry(row: int, raw: dict) -> Entry:
    text = {key: _text(raw, key) for key in TEXT_COLUMNS}
    for key in REQUIRED_COLUMNS:
        if not text[key]:
            raise ValueError(f"{key} is empty")
    kind = PARTY_CLASSES.get(text["type"].lower())
    if kind is None:
        raise ValueError(f"type '{text['type']}' is not Entity, Individual, Vessel or Aircraft")
    addresses = [_address(item) for item in _items(raw, "addresses", objects=True)]
    start, end = _date(text, "start_date"), _date(text, "end_date")
    if start and end and end < start:
        raise ValueError(f"end_date {end} is before start_date {start}")
    notices = dict.fromkeys(f"{volume} FR {page}" for volume, page in FR_NOTICE.findall(text["federal_register_notice"]))
    return Entry(
        row, text["_id"], text["source"], kind, text["name"],
        alt_names=tuple(dict.fromkeys(n for n in _items(raw, "alt_names") if n != text["name"])),
        title=text["title"],
        addresses=tuple(dict.fromkeys(a for a, _country in addresses if a)),
        countries=tuple(sorted({c for _address, c in addresses if ISO_CODE.match(c)})),
        programs=tuple(dict.fromkeys(_items(raw, "programs"))),
        notices=tuple(notices), start_date=start, end_date=end,
        license_requirement=text["license_requirement"], license_policy=text["license_policy"],
        remarks=text["remarks"], source_list_url=text["source_list_url"],
    )


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return _checked_text(key, str(value))
    raise ValueError(f"{key} is a {type(value).__name__}, not text")


def _items(raw: dict, key: str, objects: bool = False) -> list:
    """A multi-valued field: a JSON list of text (or, with ``objects``, of mappings), or CSV text separated by
    semicolons; anything else makes the row malformed."""
    value = raw.get(key) or []
    if isinstance(value, str):
        return [_checked_text(key, item) for item in value.split(";") if item.strip()]
    if not isinstance(value, list):
        raise ValueError(f"{key} is a {type(value).__name__}, not a list")
    for item in value:
        if not isinstance(item, str) and not (objects and isinstance(item, dict)):
            raise ValueError(f"{key} holds a {type(item).__name__}, not text")
    return [_checked_text(key, item) if isinstance(item, str) else item for item in value if item]


def _checked_text(key: str, text: str) -> str:
    """The text stripped; refused when it holds a control character other than tab or line breaks."""
    control = CONTROL.search(text)
    if control:
        raise ValueError(f"{key} holds the control character U+{ord(control.group()):04X}")
    return text.strip()


def _address(item) -> tuple[str, str]:
    """An address as one line, and its country code: a JSON object's parts, or CSV text ending in the code."""
    if isinstance(item, dict):
        parts = [str(item.get(part) or "").strip() for part in ADDRESS_PARTS]
        return ", ".join(p for p in parts if p), parts[-1]
    if isinstance(item, str):
        return item, item.rsplit(",", 1)[-1].strip()
    raise ValueError(f"an address is a {type(item).__name__}, not an object or text")


def _date(text: dict, key: str) -> dt.date | None:
    if not text[key]:
        return None
    try:
        return dt.date.fromisoformat(text[key])
    except ValueError:
        raise ValueError(f"{key} '{text[key]}' is not a date (YYYY-MM-DD)") from None


# ---------------------------------------------------------------- mapping


def import_csl(
    path: Path | str,
    matches: dict[str, str] | None = None,
    jurisdictions: dict[str, str] | None = None,
    strict: bool = False,
    retrieved: dt.date | None = None,
    track: Callable[[Sequence[Entry]], Iterable[Entry]] = iter,
) -> CslImport:
    """Read a CSL file and map it to a graph of parties, listings, their lists, issuers and sources.

    ``matches`` maps list entry ids to curated actor slugs (see :func:`load_matches`); ``jurisdictions``
    maps ISO codes to curated jurisdiction slugs. Malformed rows are skipped and reported, or with
    ``strict`` the import raises :class:`CslDataError` naming them all. ``track`` wraps the entries, for
    example in a progress bar.
    """
    matches = matches or {}
    listed, rows = read_list(path, retrieved)
    entries = [row for row in rows if isinstance(row, Entry)]
    problems = sorted(row for row in rows if isinstance(row, RowProblem))
    if strict and problems:
        lines = [f"{listed.path}: {problem}" for problem in problems]
        raise CslDataError("\n".join([*lines, f"{len(problems)} malformed rows: nothing imported (--strict)"]))
    mapper = _Mapper(listed, matches, jurisdictions or {})
    for entry in track(entries):
        mapper.add(entry)
    linked = {entry.id: matches[entry.id] for entry in entries if entry.id in matches}
    unused = sorted(set(matches) - set(linked))
    return CslImport(mapper.graph, listed, entries, problems, linked, unused)


class _Mapper:
    """Adds entries to a graph, making each list, issuer and Federal Register source once."""

    def __init__(self, listed: ListFile, matches: dict[str, str], jurisdictions: dict[str, str]):
        self.graph = new_graph()
        self.matches, self.jurisdictions = matches, jurisdictions
        self.made: set[URIRef] = set()  # nodes described once for all the entries that share them
        self.file = URIRef(f"{ENTITY}csl/file/{listed.sha256[:16]}")
        self._describe(self.file, (
            *self._source_pairs(f"Consolidated Screening List ({listed.path.name}, retrieved {listed.retrieved})",
                                "Consolidated Screening List", PUBLISHER, DOWNLOAD_URL.format(format=listed.format)),
            (TP["retrievedDate"], Literal(listed.retrieved, datatype=XSD.date)),
            (TP["checksum"], Literal(f"sha256:{listed.sha256}")),
        ))
        schema = load_schema()
        for term in (TP["restrictive"], TP["scope-exports"]):  # the controlled values Entity List additions use
            describe_term(self.graph, schema, term)

    def add(self, entry: Entry) -> None:
        party = URIRef(f"{ENTITY}csl/{quote(entry.id, safe='')}")
        listing = URIRef(f"{party}/listing")
        list_name, _, agency = entry.source.partition(" - ")
        issuer = self._issuer(agency)
        sources = [self._notice(notice) for notice in entry.notices] + [self.file]
        self._party(party, entry)
        cls = TP["EntityListAddition"] if entry.is_entity_list_addition else TP["ScreeningListing"]
        label = f"{entry.name} on the {list_name}"
        self._describe(listing, (
            (RDF.type, cls), (RDFS.label, Literal(label, lang="en")), (TP["issuedBy"], issuer),
            (TP["targets"], party), (TP["onList"], self._list(list_name, entry.source_list_url)),
            (TP["listEntry"], Literal(entry.id)),
            *((TP["program"], Literal(program)) for program in entry.programs),
            *((PROV.wasDerivedFrom, source) for source in sources),
        ))
        self._optional(listing, (
            (TP["effectiveDate"], entry.start_date), (TP["endDate"], entry.end_date),
            (TP["frCitation"], entry.notices[0] if entry.notices else None),
            (TP["licenseRequirement"], entry.license_requirement), (TP["licensePolicy"], entry.license_policy),
            (SKOS.note, entry.remarks),
        ))
        if entry.is_entity_list_addition:
            self._restriction(entry, listing, label, issuer, agency, party, sources)

    def _party(self, party: URIRef, entry: Entry) -> None:
        only = entry.countries[0] if len(entry.countries) == 1 else None  # tp:country holds one jurisdiction
        country = self.jurisdictions.get(only)
        self._describe(party, (
            (RDF.type, URIRef(VOCAB + entry.kind)), (RDFS.label, Literal(entry.name, lang="en")),
            (TP["listEntry"], Literal(entry.id)), (PROV.wasDerivedFrom, self.file),
            *((SKOS.altLabel, Literal(name, lang="en")) for name in entry.alt_names),
            *((URIRef(SCHEMA + "address"), Literal(address)) for address in entry.addresses),
            *(((TP["country"], entity_iri(country)),) if country else ()),
            *(((TP["sameActorAs"], entity_iri(self.matches[entry.id])),) if entry.id in self.matches else ()),
        ))
        if entry.kind == "Person":
            self._optional(party, ((URIRef(SCHEMA + "jobTitle"), entry.title),))

    def _restriction(self, entry: Entry, listing, label: str, issuer, agency: str, party, sources) -> None:
        """An Entity List addition restricts its party, like a curated one: a truthy edge and its description."""
        self._describe(listing, ((TP["effect"], TP["restrictive"]), (TP["scope"], TP["scope-exports"])))
        add_derived_edge(self.graph, listing, issuer, TP["restricts"], party, f"{agency} restricts {entry.name} ({label})",
                         list(sources), entry.start_date, entry.end_date)

    def _issuer(self, agency: str) -> URIRef:
        if not agency or agency in CURATED_AGENCIES:
            return entity_iri(CURATED_AGENCIES.get(agency, FALLBACK_ISSUER))
        node = URIRef(f"{ENTITY}csl/agency/{_slug(agency)}")
        self._describe_once(node, lambda: (
            (RDF.type, TP["GovernmentAgency"]), (RDFS.label, Literal(agency, lang="en")),
            (TP["country"], entity_iri("us")), (TP["partOf"], entity_iri(FALLBACK_ISSUER)),
            (PROV.wasDerivedFrom, self.file),
        ))
        return node

    def _list(self, name: str, url: str) -> URIRef:
        abbreviation = re.search(r"\(([^)]+)\)", name)
        node = URIRef(f"{ENTITY}csl/list/{_slug(abbreviation.group(1) if abbreviation else name)}")
        link = (URIRef(SCHEMA + "url"), Literal(url, datatype=XSD.anyURI))
        self._describe_once(node, lambda: (
            (RDF.type, TP["ScreeningList"]), (RDFS.label, Literal(name, lang="en")),
            *((link,) if url.startswith(("http://", "https://")) else ()),
        ))
        return node

    def _notice(self, notice: str) -> URIRef:
        node = URIRef(f"{ENTITY}csl/fr/{_slug(notice)}")
        self._describe_once(node, lambda: self._source_pairs(
            notice, notice, FR_PUBLISHER, f"https://www.federalregister.gov/citation/{notice.replace(' ', '-')}"))
        return node

    @staticmethod
    def _source_pairs(label: str, title: str, publisher: str, url: str) -> tuple:
        return (
            (RDF.type, TP["Source"]), (RDFS.label, Literal(label, lang="en")), (DCTERMS.title, Literal(title)),
            (DCTERMS.publisher, Literal(publisher)), (URIRef(SCHEMA + "url"), Literal(url, datatype=XSD.anyURI)),
            (TP["primary"], Literal(True)),
        )

    def _optional(self, subject: URIRef, pairs) -> None:
        """Add the pairs whose value is given: dates as xsd:date, text as plain literals."""
        self._describe(subject, (
            (predicate, Literal(value, datatype=XSD.date) if isinstance(value, dt.date) else Literal(value))
            for predicate, value in pairs if value
        ))

    def _describe_once(self, node: URIRef, pairs: Callable[[], Iterable]) -> None:
        """Describe a node shared by many entries the first time only."""
        if node not in self.made:
            self.made.add(node)
            self._describe(node, pairs())

    def _describe(self, subject: URIRef, pairs: Iterable) -> None:
        for predicate, value in pairs:
            self.graph.add((subject, predicate, value))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------- matches, curated index, files


def load_matches(path: Path | str, actors: set[str]) -> dict[str, str]:
    """Read the reviewed match file: ``csl:`` then a list of ``{actor: SLUG, entry: LIST ENTRY ID, note: ...}``.

    Returns entry id → actor slug. A missing file means no matches; an unknown actor, a missing key or
    an entry matched twice raises :class:`CslDataError` with the file and line.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    path = Path(path)
    if not path.is_file():
        return {}
    try:
        document = YAML(typ="rt").load(path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as error:
        raise CslDataError(f"{path}: not readable YAML: {error}") from None
    items = document.get("csl") if hasattr(document, "get") else None
    if not isinstance(items, list):
        raise CslDataError(f"{path}:1: expected a mapping with a 'csl:' list of matches")
    matches: dict[str, str] = {}
    for number, item in enumerate(items):
        line = items.lc.item(number)[0] + 1
        actor, entry = (str(item.get(k) or "") if hasattr(item, "get") else "" for k in ("actor", "entry"))
        if not actor or not entry:
            raise CslDataError(f"{path}:{line}: a match needs both 'actor' and 'entry'")
        if actor not in actors:
            raise CslDataError(f"{path}:{line}: unknown actor '{actor}'")
        if entry in matches:
            raise CslDataError(f"{path}:{line}: entry {entry} is already matched to '{matches[entry]}'")
        matches[entry] = actor
    return matches


def curated_index(facts_dir: Path | str) -> tuple[set[str], dict[str, str]]:
    """The curated actor slugs, and jurisdiction slugs by ISO code, read from the facts (without SHACL)."""
    from kg.load import load_facts

    schema = load_schema()
    loaded = load_facts(facts_dir, schema)
    if loaded.problems:
        raise CslDataError(f"{facts_dir}: the facts do not load ({len(loaded.problems)} problems): run 'kg validate'")
    actors = {r.id for r in loaded.records if schema.is_a(r.type.iri, URIRef(VOCAB + "Actor"))}
    jurisdictions = {r.values["iso_code"]: r.id for r in loaded.records if "iso_code" in r.values}
    return actors, jurisdictions


def write_import(result: CslImport, out_dir: Path | str) -> Path:
    """Write the import as sorted N-Triples to ``out_dir/csl.nt``, atomically."""
    from kg.build import write_exports
    from kg.export import ntriples

    return write_exports({IMPORT_FILE: ntriples(result.graph)}, out_dir)[0]
