"""The built wheel carries the ontology, shapes, named queries and scaffold, and works outside the repo."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    return next(out.glob("techpolicy_kg-*.whl"))


def test_wheel_carries_the_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"kg/ontology/techpolicy.ttl", "kg/ontology/shapes.ttl", "kg/scaffold/events.yaml"} <= names
    assert any(n.startswith("kg/queries/") and n.endswith(".rq") for n in names)


def test_wheel_in_a_fresh_virtualenv_builds_a_scaffold(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    # Dependencies come from the project's environment (offline and fast); kg itself only from the wheel.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    kg = str(venv / "bin" / "kg")
    where = subprocess.run([str(python), "-c", "import kg; print(kg.__file__)"], cwd=work, check=True,
                           capture_output=True, text=True).stdout
    assert where.startswith(str(venv))
    subprocess.run([kg, "init", "facts"], cwd=work, check=True, capture_output=True)
    result = subprocess.run([kg, "build", "--facts", "facts", "--out", "exports"], cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (work / "exports" / "techpolicy.ttl").stat().st_size > 0
    assert "example-vendor-restriction" in (work / "exports" / "statements.csv").read_text()
