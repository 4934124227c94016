"""A throwaway Virtuoso server: its own directory, virtuoso.ini and free ports, stopped when done.

Used as a test fixture, and by hand to try ``kg push`` (stop it with Ctrl-C)::

    .venv/bin/python tests/virtuoso.py
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

EXECUTABLE = "virtuoso-t"
USER, PASSWORD = "dba", "dba"  # a fresh database's administrator
INI = """\
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
class Virtuoso:
    """A running server's endpoints and administrator login."""

    base: str
    user: str = USER
    password: str = PASSWORD

    @property
    def query(self) -> str:
        """Anonymous, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        """SPARQL endpoint that accepts updates, behind HTTP Digest auth."""
        return f"{self.base}/sparql-auth"

    @property
    def store(self) -> str:
        """Graph Store endpoint, behind HTTP Digest auth."""
        return f"{self.base}/sparql-graph-crud-auth"


def installed() -> bool:
    return shutil.which(EXECUTABLE) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_virtuoso(ready_within: float = 60.0) -> Iterator[Virtuoso]:
    """Start ``virtuoso-t`` in the foreground on a fresh database; stop it and delete everything after."""
    with tempfile.TemporaryDirectory(prefix="kg-virtuoso-") as directory:
        http_port = free_port()
        ini = Path(directory) / "virtuoso.ini"
        ini.write_text(INI.format(dir=directory, sql_port=free_port(), http_port=http_port))
        with open(Path(directory) / "stdout.log", "wb") as log:
            process = subprocess.Popen([EXECUTABLE, "+configfile", str(ini), "+foreground"], cwd=directory,
                                       stdout=log, stderr=subprocess.STDOUT)
        try:
            server = Virtuoso(f"http://127.0.0.1:{http_port}")
            _wait_until_ready(server, process, ready_within, Path(directory) / "virtuoso.log")
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(server: Virtuoso, process: subprocess.Popen, within: float, log: Path) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(server.query, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"virtuoso-t was not ready within {within:.0f} s")


if __name__ == "__main__":
    with running_virtuoso() as running:
        print(f"Virtuoso at {running.base}: query {running.query}, update {running.update} "
              f"(user {running.user}, password {running.password}); Ctrl-C stops it", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
