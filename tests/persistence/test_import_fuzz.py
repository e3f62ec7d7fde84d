"""Mutation fuzzing of the data imports: the promise holds for any bytes.

The sample logs in projects/data and small generated Parquet files are damaged at
random (bytes changed, cut short, quotes, delimiters and control characters put in,
numbers made absurd, a field made huge, the file gzipped or its gzip cut) and read.
The only outcomes allowed: a journey whose every number is finite and which a
project file accepts, or a ProjectFileError of one short line naming the file. A
few cases go through the command line as a subprocess: exit 0, or exit 2 with one
stderr line and no traceback.

The default run is a few hundred cases with a fixed seed; `-m fuzz` runs many more.
"""

from __future__ import annotations

import gzip
import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import ImportedLog, LogColumns, read_event_log
from cx_mapper.persistence.files import write_any_project
from cx_mapper.persistence.path_data import ImportedPaths, read_path_data
from tests.factories import ROOT
from tests.persistence.event_logs import write_parquet

DATA = ROOT / "projects" / "data"
RETAIL = LogColumns(satisfaction="csat", public="shared", revenue="revenue", stage="stage",
                    channel="channel")
PARQUET = LogColumns(satisfaction="csat", revenue="revenue")
SEED = 20261203
#: Longest message allowed, and the longest any one case may take.
MESSAGE_LIMIT, SECONDS_LIMIT = 500, 20.0
#: A field longer than DuckDB's line limit.
HUGE = 2_100_000

Imported = ImportedLog | ImportedPaths
Reader = Callable[[Path, bool], Imported]


# -- mutations ---------------------------------------------------------------------------
def _spot(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def cut_short(rng: random.Random, data: bytes) -> bytes:
    return data[:_spot(rng, data)]


def drop_a_range(rng: random.Random, data: bytes) -> bytes:
    start = _spot(rng, data)
    return data[:start] + data[start + rng.randint(1, 200):]


def insert(rng: random.Random, data: bytes, pieces: list[bytes]) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        at = _spot(rng, out)
        out = out[:at] + rng.choice(pieces) + out[at:]
    return out


def quotes(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, [b'"', b'""', b'"x"y', b"'"])


def delimiters(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, [b",", b";", b"\t", b"|", b">", b" > ", b",,", b";;"])


def control_characters(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, [b"\x00", b"\r", b"\n", b"\r\n", b"\x0b", b"\x1b[31m", b"\x7f",
                              b"\xff", b"\xc3", b"\xef\xbb\xbf", "\u2028".encode()])


def absurd_numbers(rng: random.Random, data: bytes) -> bytes:
    return insert(rng, data, [b",nan", b";nan", b"inf", b"-inf", b"1.7e308", b"-1e309",
                              b"1e-320", b"99999999999999999999", b"0x10", b"-0", b"NaN"])


def huge_field(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    at = rng.randrange(1, max(2, len(lines)))
    lines.insert(at, lines[min(at, len(lines) - 1)] + b"x" * HUGE)
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    flip_bytes, cut_short, drop_a_range, quotes, delimiters, control_characters,
    absurd_numbers, swap_lines]


def mutate(rng: random.Random, data: bytes, *, huge: bool) -> tuple[bytes, str]:
    """Bytes damaged by one to three mutations; sometimes gzipped, sometimes cut after."""
    names = []
    for mutation in rng.sample(MUTATIONS, rng.randint(1, 3)):
        data = mutation(rng, data)
        names.append(mutation.__name__)
    if huge:
        data = huge_field(rng, data)
        names.append("huge_field")
    suffix = ".csv"
    if rng.random() < 0.1:
        data, suffix = gzip.compress(data), ".csv.gz"
        names.append("gzip")
        if rng.random() < 0.3:
            data = data[:rng.randrange(len(data))]
            names.append("cut_gzip")
    return data, suffix if rng.random() < 0.9 else ".txt"


# -- the promise ---------------------------------------------------------------------------
def assert_kept(outcome: Imported | None, error: ProjectFileError | None, path: Path,
                folder: Path) -> None:
    """A finite journey a project file accepts, or one short line naming the file."""
    if error is not None:
        message = str(error)
        assert message.startswith(str(path)), message
        assert len(message) <= MESSAGE_LIMIT, message
        assert len(message.splitlines()) == 1, message
        assert "Traceback" not in message
        return
    assert outcome is not None
    journey = outcome.journey
    assert isinstance(journey, Journey)
    for touchpoint in journey.touchpoints.values():
        numbers = (touchpoint.satisfaction, touchpoint.visibility, touchpoint.value,
                   touchpoint.entry)
        assert all(math.isfinite(n) for n in numbers), touchpoint
    assert all(0.0 <= t.probability <= 1.0 for t in journey.transitions.values())
    write_any_project(Project(name="fuzz", journeys=[journey]), folder / "out.json")


def read_case(reader: Reader, path: Path, skip: bool, folder: Path) -> None:
    started = time.monotonic()
    outcome: Imported | None = None
    error: ProjectFileError | None = None
    try:
        outcome = reader(path, skip)
    except ProjectFileError as caught:
        error = caught
    assert time.monotonic() - started < SECONDS_LIMIT
    assert_kept(outcome, error, path, folder)


def read_log(path: Path, skip: bool) -> Imported:
    columns = PARQUET if path.suffix == ".parquet" else RETAIL
    return read_event_log(path, columns, skip_bad_rows=skip, memory_limit="256MB")


def read_paths(path: Path, skip: bool) -> Imported:
    return read_path_data(path, skip_bad_rows=skip)


def seed_text(name: str, lines: int | None) -> bytes:
    data = (DATA / name).read_bytes()
    if lines is None:
        return data
    return b"\n".join(data.split(b"\n")[:lines]) + b"\n"


def run_text_cases(tmp_path: Path, reader: Reader, seed: bytes, cases: int, salt: int,
                   huge_every: int) -> None:
    rng = random.Random(SEED + salt)
    for case in range(cases):
        data, suffix = mutate(rng, seed, huge=huge_every > 0 and case % huge_every == 0)
        path = tmp_path / f"case{case}{suffix}"
        path.write_bytes(data)
        read_case(reader, path, rng.random() < 0.5, tmp_path)
        path.unlink()


# -- Parquet ---------------------------------------------------------------------------------
ODD_NUMBERS = [math.nan, math.inf, -math.inf, 1.7e308, -1e300, 1e-320, 0.0, -0.0, 3.0, 11.0,
               None]


def random_parquet(rng: random.Random, path: Path) -> Path:
    start = datetime(2026, 1, 1)
    rows = []
    for i in range(rng.randint(1, 40)):
        rows.append((
            rng.choice([f"c{rng.randint(1, 6)}", None, "", " "]),
            rng.choice([start + timedelta(hours=i), None]),
            rng.choice(["Ad", "Site", "Buy", None, "", "\x00", "\"Open", "x" * 300]),
            rng.choice([float(rng.randint(1, 5))] * 3 + ODD_NUMBERS),
            rng.choice([float(rng.randint(0, 500)), None] + ODD_NUMBERS)))
    return write_parquet(path, rows)


def run_parquet_cases(tmp_path: Path, cases: int, salt: int) -> None:
    rng = random.Random(SEED + salt)
    for case in range(cases):
        path = random_parquet(rng, tmp_path / f"case{case}.parquet")
        if rng.random() < 0.3:  # the file itself damaged
            path.write_bytes(rng.choice([flip_bytes, cut_short, drop_a_range])(
                rng, path.read_bytes()))
        read_case(read_log, path, rng.random() < 0.5, tmp_path)
        path.unlink()


# -- the default run: a few hundred cases ------------------------------------------------
def test_damaged_event_logs(tmp_path: Path) -> None:
    run_text_cases(tmp_path, read_log, seed_text("retail-events.csv", 120), 150, 1,
                   huge_every=0)
    run_text_cases(tmp_path, read_log, seed_text("retail-events.csv", None), 12, 2,
                   huge_every=4)


def test_damaged_path_files(tmp_path: Path) -> None:
    run_text_cases(tmp_path, read_paths, seed_text("channel-paths.csv", None), 120, 3,
                   huge_every=40)


def test_odd_and_damaged_parquet_logs(tmp_path: Path) -> None:
    run_parquet_cases(tmp_path, 50, 4)


def test_damaged_logs_on_the_command_line(tmp_path: Path) -> None:
    rng = random.Random(SEED + 5)
    seed = seed_text("retail-events.csv", 60)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("CX_MAPPER_DEBUG", None)
    for case in range(5):
        data, suffix = mutate(rng, seed, huge=case == 0)
        path = tmp_path / f"case{case}{suffix}"
        path.write_bytes(data)
        command = "import-paths" if case == 4 else "import-log"
        argv = [sys.executable, "-m", "cx_mapper", command, str(path), "-o",
                str(tmp_path / "out.json")]
        if command == "import-log":
            argv += ["--satisfaction", "csat", "--revenue", "revenue"]
        if case % 2:
            argv.append("--skip-bad-rows")
        done = subprocess.run(argv, capture_output=True, text=True, env=environment,
                              timeout=60, check=False)
        assert "Traceback" not in done.stderr
        if done.returncode == 0:
            assert all(line.startswith("Skipped ") for line in done.stderr.splitlines())
        else:
            assert done.returncode == 2, done.stderr
            assert len(done.stderr.splitlines()) == 1, done.stderr
            assert len(done.stderr) <= MESSAGE_LIMIT + len("cx-mapper: \n"), done.stderr


# -- the long run ------------------------------------------------------------------------------
@pytest.mark.fuzz
def test_many_damaged_files(tmp_path: Path) -> None:
    """4,500 cases, about 8 minutes: only with -m fuzz (tests/conftest.py)."""
    run_text_cases(tmp_path, read_log, seed_text("retail-events.csv", 400), 2000, 11,
                   huge_every=100)
    run_text_cases(tmp_path, read_paths, seed_text("channel-paths.csv", None), 2000, 12,
                   huge_every=100)
    run_parquet_cases(tmp_path, 500, 13)
