"""The whole pipeline: deterministic, atomic exports and the stale check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import export
from kg.build import build, export_files, stale_exports, write_exports
from kg.export import render_exports
from kg.problems import FactsError

REPO = Path(__file__).resolve().parent.parent


def test_two_builds_give_identical_bytes_whatever_the_hash_seed(tmp_path, mini_facts):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", "--facts", str(mini_facts), "--out", str(out)],
            check=True, env=env, capture_output=True, cwd=REPO,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert {"techpolicy.ttl", "techpolicy.nt", "techpolicy.jsonld", "statements.csv"} <= set(outputs[0])


def test_invalid_facts_raise_with_every_problem(mini_facts):
    (mini_facts / "events.yaml").write_text(
        (mini_facts / "events.yaml").read_text().replace("issued_by: [us-bis]", "issued_by: [nobody]")
    )
    with pytest.raises(FactsError) as caught:
        build(mini_facts)
    assert len(caught.value.problems) == 3
    assert all("unknown reference 'nobody'" in p.message for p in caught.value.problems)


def test_failure_while_rendering_leaves_old_exports_untouched(tmp_path, mini_facts, monkeypatch):
    out = tmp_path / "exports"
    write_exports(render_exports(build(mini_facts).graph), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (mini_facts / "events.yaml").write_text((mini_facts / "events.yaml").read_text().replace("Acme added", "Acme listed"))

    def explode(graph):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(export.EXPORTERS, "techpolicy.nt", explode)
    with pytest.raises(RuntimeError):
        write_exports(render_exports(build(mini_facts).graph), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_failure_while_writing_leaves_old_exports_and_no_temporary_files(tmp_path, monkeypatch):
    out = tmp_path / "exports"
    write_exports({"a.txt": b"old a", "b.txt": b"old b"}, out)
    real_fdopen = os.fdopen
    calls = []

    def failing_fdopen(fd, mode="r", *args, **kwargs):
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError("no space left on device")
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(OSError):
        write_exports({"a.txt": b"new a", "b.txt": b"new b"}, out)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]
    assert (out / "a.txt").read_bytes() == b"old a"


def test_stale_exports_are_named(tmp_path):
    write_exports({"a.txt": b"1", "b.txt": b"2"}, tmp_path)
    assert stale_exports({"a.txt": b"1", "b.txt": b"changed", "c.txt": b"new"}, tmp_path) == ["b.txt", "c.txt"]


def test_committed_exports_are_up_to_date(built):
    """exports/ in the repository is what `kg build` writes from facts/ (run `make run` after editing facts)."""
    assert stale_exports(export_files(built.graph, REPO / "facts"), REPO / "exports") == []


def test_exports_are_readable_like_any_written_file(tmp_path):
    (path,) = write_exports({"a.txt": b"x"}, tmp_path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
