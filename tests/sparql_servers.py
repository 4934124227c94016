"""Throwaway SPARQL servers for tests: Virtuoso and Oxigraph, each with its own directory and free ports.

Each is started on a fresh, empty database and stopped (and its directory deleted) when done. Used as
test fixtures, and by hand to try ``kg push`` (stop it with Ctrl-C)::

    .venv/bin/python tests/sparql_servers.py virtuoso
"""

from __future__ import annotations

import os
import shutil
import socket
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from kg.remote import Credentials

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
TransactionAfterImageLimit = 1500000000
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class Server:
    """A running server's endpoints, and the login that may write to it (None: anyone may)."""

    name: str
    query: str
    update: str
    store: str
    credentials: Credentials | None = None


def executable(name: str) -> str | None:
    """Where a program is, looking next to this Python too (a virtualenv's bin/ need not be on PATH)."""
    return shutil.which(name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_virtuoso() -> Iterator[Server]:
    """``virtuoso-t`` in the foreground with its own virtuoso.ini; a fresh database's login is dba/dba.

    Queries go to ``/sparql`` (anonymous, read-only); updates to ``/sparql-auth`` and Graph Store
    requests to ``/sparql-graph-crud-auth``, both behind HTTP Digest auth.
    """
    with tempfile.TemporaryDirectory(prefix="kg-virtuoso-") as directory:
        http_port = free_port()
        ini = Path(directory) / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=free_port(), http_port=http_port))
        base = f"http://127.0.0.1:{http_port}"
        server = Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                        Credentials("dba", "dba"))
        with _running([executable("virtuoso-t"), "+configfile", str(ini), "+foreground"], directory, server):
            yield server


@contextmanager
def running_oxigraph(read_only: bool = False) -> Iterator[Server]:
    """``oxigraph serve`` (from the ``oxigraph`` package) on an on-disk store, without authentication."""
    with tempfile.TemporaryDirectory(prefix="kg-oxigraph-") as directory:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")
        if read_only:
            subprocess.run([executable("oxigraph"), "load", "--location", directory, "--file", os.devnull,
                            "--format", "nt"], check=True, capture_output=True)
        mode = "serve-read-only" if read_only else "serve"
        with _running([executable("oxigraph"), mode, "--location", directory, "--bind", f"127.0.0.1:{port}"],
                      directory, server):
            yield server


@contextmanager
def _running(command: list[str], directory: str, server: Server, ready_within: float = 60.0) -> Iterator[None]:
    log = Path(directory) / "stdout.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(command, cwd=directory, stdout=stream, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # Ctrl-C stops us; we stop the server
    try:
        _wait_until_ready(server, process, ready_within, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(server: Server, process: subprocess.Popen, within: float, log: Path) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(server.query, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} was not ready within {within:.0f} s")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the server on kill/timeout as on Ctrl-C
    with {"virtuoso": running_virtuoso, "oxigraph": running_oxigraph}[sys.argv[1]]() as running:
        print(running, "\nCtrl-C stops it", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
