"""Each command imports what it needs and no more: start-up is part of every command's
time (`cx-mapper --version` took 0.6 s when every command loaded scipy, SQLAlchemy
and Alembic), and numpy's BLAS runs on one thread unless the user says otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import RETAIL_SAMPLE, ROOT

HEAVY = ("scipy", "sqlalchemy", "alembic", "PySide6", "pyqtgraph", "duckdb", "networkx")

#: Runs the command in a fresh interpreter, then names the heavy packages it loaded.
_PROBE = """
import sys
from cx_mapper.cli import main
try:
    code = main(sys.argv[1:])
finally:  # --version leaves through SystemExit
    print("LOADED", *sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY)))
sys.exit(code)
""".replace("HEAVY", repr(HEAVY))


def loaded_by(*argv: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
    return set(line.split()[1:])


def test_the_version_loads_nothing_heavy() -> None:
    assert loaded_by("--version") == set()


def test_analysing_a_json_file_needs_no_database() -> None:
    assert loaded_by("analyze", str(RETAIL_SAMPLE)) == {"scipy"}


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("json", "json", set()),
    ("json", "cxmap", {"sqlalchemy"}),
    ("cxmap", "json", {"sqlalchemy"}),
])
def test_converting_loads_only_the_formats_involved(
        tmp_path: Path, source: str, target: str, expected: set[str]) -> None:
    origin = RETAIL_SAMPLE if source == "json" else RETAIL_SAMPLE.with_suffix(".cxmap")
    assert loaded_by("convert", str(origin), str(tmp_path / f"out.{target}")) == expected


_THREADS = """
import json
import os
from cx_mapper.cli import _one_blas_thread
_one_blas_thread()
import numpy
print(os.environ["OPENBLAS_NUM_THREADS"])
"""


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_blas_runs_on_one_thread_unless_the_user_chose(given: str | None,
                                                       expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True,
                          cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, timeout=60,
                          check=True)
    assert done.stdout.strip() == expected


# -- the end of a run --------------------------------------------------------------------
def command(*argv: str, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """`python -m cx_mapper ...`, as the `cx-mapper` command runs (cli.run)."""
    return subprocess.run([sys.executable, "-m", "cx_mapper", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_analyze_ends_at_once_with_all_its_output_and_its_exit_code(tmp_path: Path) -> None:
    """analyze leaves without tearing down what it built; nothing it printed is lost."""
    done = command("analyze", str(RETAIL_SAMPLE), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["journey"] == "current"  # every byte, to the last "}"
    assert done.stderr == b""
    table = command("analyze", str(RETAIL_SAMPLE))
    assert table.returncode == 0 and b"Loyalty index" in table.stdout

    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    refused = command("analyze", str(bad))
    assert refused.returncode == 2
    assert refused.stderr.decode().startswith(f"cx-mapper: {bad}") and refused.stdout == b""


def test_analyze_into_a_reader_that_left_ends_quietly() -> None:
    reader = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    assert reader.stdin is not None
    done = command("analyze", str(RETAIL_SAMPLE), "--json", stdout=reader.stdin.fileno())
    reader.stdin.close()
    reader.wait(timeout=60)
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr
