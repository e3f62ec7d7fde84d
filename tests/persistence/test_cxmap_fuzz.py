"""Damaged `.cxmap` files: opened with all they hold, or refused in one clear line.

Mutations of the sample projects saved as `.cxmap` (and of the version-1 fixture):
random byte flips, truncation, and SQL-level tampering (wrong column types,
NULLs, binary data, non-finite numbers, dangling journeys and projects, wrong or
huge version stamps, deleted rows and tables). The only allowed outcomes are a
project whose numbers are all finite and which analyses to finite figures, or a
ProjectFileError whose message is one line of at most MAX_MESSAGE characters
naming the file; through the command line, exit 0, or exit 2 with one such line on
stderr and no traceback. Every case has its own seed, so a failure names the case
that reproduces it: `fuzz_case(SEED)`.

The default run tries DEFAULT_CASES cases; `pytest -m fuzz` tries MORE_CASES.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.report import analysis_to_json
from cx_mapper.persistence import schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.files import read_project
from cx_mapper.persistence.project_file import project_image
from tests.factories import ROOT, story_project
from tests.persistence.fixtures.make_old_fixtures import FIXTURE, FIXTURE_V2
from tests.persistence.opportunity_files import planned_project

SAMPLES = sorted((ROOT / "projects").glob("*.json"))
MAX_MESSAGE = 500
DEFAULT_CASES = 1000
MORE_CASES = 20000
CLI_CASES = 6
#: The first seed; case k uses SEED + k.
SEED = 20261203

#: Values that do not belong in most columns, as SQL literals.
ODD_VALUES = (
    "NULL", "'lots'", "''", "x'00ff10'", "9e999", "-9e999", "0.5", "-1", "1e308",
    "9223372036854775807", "-9223372036854775808", "CAST(x'fffe41' AS TEXT)",
    "'1e999'", "'NaN'", "'12'", "2", "0", "1.5", "'current'", "'line\nbreak'",
)
#: Schema version stamps, as SQL literals.
ODD_VERSIONS = ("'999'", "'-1'", "'0'", "''", "'abc'", "NULL", "'1e999'", "'1'",
                "'99999999999999999999999999'", "'2.0'", "x'ff'", "'3'", "9e999",
                "'" + "9" * 5000 + "'")


# -- the samples -------------------------------------------------------------------------
@cache
def seeds() -> tuple[tuple[str, bytes], ...]:
    """The sample projects as `.cxmap` images, a project with lanes, notes, personas and
    images, one with opportunities of every kind, and the version-1 and version-2 fixtures."""
    images = [(path.stem, project_image(read_project(path))) for path in SAMPLES]
    return (*images, ("story", project_image(story_project())),
            ("plan", project_image(planned_project())),
            ("retail-v1", FIXTURE.read_bytes()), ("retail-v2", FIXTURE_V2.read_bytes()))


#: The tables of an opportunity's parts, which name it in `opportunity_id`.
OPPORTUNITY_PARTS = tuple(table.name for table in schema.OPPORTUNITY_PARTS)


# -- mutations ---------------------------------------------------------------------------
def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        at = rng.randrange(len(damaged))
        damaged[at] ^= rng.randrange(1, 256)
    return bytes(damaged)


def truncate(data: bytes, rng: random.Random) -> bytes:
    page = 4096
    at = rng.choice((rng.randrange(len(data)), rng.randrange(1, len(data) // page) * page))
    return data[:at]


def tamper(data: bytes, rng: random.Random) -> bytes:
    """An SQL change a hand edit or another program could make; constraints may be lifted."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        table = rng.choice([t for t in tables if t != "alembic_version"])
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        rowids = [rowid for (rowid,) in conn.execute(f'SELECT rowid FROM "{table}"')]
        kind = rng.randrange(8)
        statements: list[str] = []
        if kind <= 2 and rowids:  # a wrong value, maybe in a table without its constraints
            if rng.random() < 0.5:
                statements += [f'CREATE TABLE loose AS SELECT * FROM "{table}"',
                               f'DROP TABLE "{table}"', f'ALTER TABLE loose RENAME TO "{table}"']
            statements.append(f'UPDATE "{table}" SET "{rng.choice(columns)}" = '
                              f"{rng.choice(ODD_VALUES)} WHERE rowid = {rng.choice(rowids)}")
        elif kind == 3:  # a row of a journey or project that is not there
            child = rng.choice([t for t in ("segments", "journeys", "stages", "channels",
                                            "touchpoints", "transitions", "view_state",
                                            "lanes", "notes", "note_touchpoints", "images",
                                            "personas", "persona_items", "opportunities",
                                            "plan_objectives",
                                            *OPPORTUNITY_PARTS) if t in tables])
            by_project = ("segments", "journeys", "view_state", "images", "personas")
            column = "project_id" if child in by_project or (
                rng.random() < 0.5) else "journey_id"
            if child == "persona_items" and column == "journey_id":
                column = "persona_id"
            elif child == "note_touchpoints" and rng.random() < 0.3:
                column = "note_id"
            elif child in OPPORTUNITY_PARTS and rng.random() < 0.5:
                column = "opportunity_id"
            value = rng.choice(("2", "0", "'lost'", "NULL", "1.5")) if column == "project_id" \
                else rng.choice(("'lost'", "''", "2"))
            statements.append(f'UPDATE "{child}" SET "{column}" = {value} WHERE rowid IN '
                              f'(SELECT rowid FROM "{child}" LIMIT 1)')
        elif kind == 4:  # a wrong or huge version stamp
            statements.append(f"UPDATE meta SET value = {rng.choice(ODD_VERSIONS)} "
                              "WHERE key = 'schema_version'")
            if rng.random() < 0.3:
                statements.append("UPDATE alembic_version SET version_num = "
                                  + rng.choice(("'9999'", "'0001'", "''", "x'ff'")))
        elif kind == 5 and rowids:  # deleted rows
            statements.append(f'DELETE FROM "{table}" WHERE rowid IN '
                              f"({', '.join(map(str, rng.sample(rowids, min(3, len(rowids)))))})")
        elif kind == 6:  # a table gone, or a second project
            statements.append(rng.choice((f'DROP TABLE "{table}"',
                                          "INSERT INTO projects (id, name) VALUES (2, 'other')",
                                          "UPDATE projects SET id = 2",
                                          "UPDATE projects SET id = 'one'")))
        else:  # a touchpoint's number far out of range, or negative counts
            statements.append(rng.choice((
                "UPDATE touchpoints SET satisfaction = 1e300",
                "UPDATE journeys SET horizon = -5",
                "UPDATE journeys SET discount_rate = 1e-320",
                "UPDATE transitions SET probability = 0.9999999999",
                "UPDATE segments SET share = 1e-300",
                "UPDATE touchpoints SET position = 'first'",
                "UPDATE images SET data = substr(data, 1, 20)",
                "UPDATE images SET media_type = 'image/gif'",
                "UPDATE notes SET stage = 'gone'",
                "UPDATE note_touchpoints SET touchpoint = 'gone'",
                "UPDATE personas SET segment = 'gone'",
                "UPDATE lanes SET kind = 'feelings'",
                "UPDATE persona_items SET list = 'wishes'",
                "UPDATE touchpoints SET image = 'gone'",
                "UPDATE opportunities SET cost = 1e300",
                "UPDATE opportunities SET status = 'funded'",
                "UPDATE opportunity_fields SET field = 'name'",
                "UPDATE opportunity_fields SET value = 1e300",
                "UPDATE opportunity_fields SET field = NULL",
                "UPDATE opportunity_transitions SET probability = 1.0",
                "UPDATE opportunity_removed_transitions SET target = 'gone'",
                "UPDATE opportunity_added_touchpoints SET stage = 'gone'",
                "UPDATE opportunity_added_touchpoints SET id = (SELECT id FROM touchpoints "
                "LIMIT 1)",
                "UPDATE projects SET cost_unit = '" + "€" * 30 + "'",
                "UPDATE journeys SET plan_budget = NULL",
                "UPDATE plan_objectives SET kpi = 'nps'",
            )))
        for statement in statements:
            try:
                conn.execute(statement)
            except sqlite3.Error:
                break  # a constraint held: the file is what the statements before made it
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": flip_bytes, "truncate": truncate, "tamper": tamper,
}


def fuzz_case(seed: int) -> tuple[str, bytes]:
    """A damaged image and what was done to it, the same every time for one seed."""
    rng = random.Random(seed)
    name, image = rng.choice(seeds())
    how = rng.choices(list(MUTATIONS), weights=(4, 1, 5))[0]
    return f"{name}, {how}, seed {seed}", MUTATIONS[how](image, rng)


# -- outcomes ----------------------------------------------------------------------------
def numbers(project: Project) -> list[float]:
    return [value for rows in schema.project_rows(project, 1).values() for row in rows
            for value in row if isinstance(value, float)]


def analysable(project: Project) -> bool:
    """Every project that opens is analysed: the domain bounds every number, so the
    analysis gives finite figures or one clear line (tests at the end)."""
    return True


def rows_left_out(path: Path, project: Project) -> dict[str, int]:
    """How many rows of each table the opened project lacks: none, or data was lost."""
    opened = schema.project_rows(project, 1)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        present = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        # An older file lacks the newer tables: it holds none of their rows.
        held = {table.name: conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
                if table.name in present else 0 for table in opened}
    conn.close()
    # More is fine: a project without segments gets the "All consumers" preset (FORMAT.md).
    return {table.name: held[table.name] - len(rows) for table, rows in opened.items()
            if held[table.name] > len(rows)}


def check_message(message: str, path: str) -> str | None:
    """What is wrong with an error message, or None."""
    if "\n" in message or "\r" in message:
        return f"more than one line: {message!r}"
    if len(message) > MAX_MESSAGE:
        return f"{len(message)} characters: {message[:120]!r}…"
    if path not in message:
        return f"does not name the file: {message!r}"
    if "Traceback" in message:
        return f"a traceback: {message!r}"
    return None


REFUSED, OPENED = "refused", "opened"


def outcome(path: Path, analysed: set[str]) -> str:
    """REFUSED or OPENED when opening `path` ends as the promise says, else what went wrong."""
    try:
        project = read_project(path)
    except ProjectFileError as error:
        return check_message(str(error), str(path)) or REFUSED
    except Exception as error:  # the defect this suite is for
        return f"{type(error).__name__}: {error}"
    if not all(math.isfinite(value) for value in numbers(project)):
        return "opened with a number that is not finite"
    left_out = rows_left_out(path, project)
    if left_out:
        return f"opened without rows it holds: {left_out}"
    key = repr(schema.project_rows(project, 1))
    if key in analysed or not analysable(project):
        return OPENED
    analysed.add(key)
    for journey in project.journeys:
        try:
            result = analyze(project, journey.id)
        except AnalysisError:
            continue  # the command line's exit 2, with its own clear line
        try:
            json.dumps(analysis_to_json(result), allow_nan=False)
        except ValueError:
            return f"journey {journey.id!r} analyses to a number that is not finite"
    return OPENED


def run_cases(tmp_path: Path, first: int, count: int) -> tuple[list[str], dict[str, int]]:
    """The failures among `count` cases, and how many opened and how many were refused."""
    failures: list[str] = []
    tally = {OPENED: 0, REFUSED: 0}
    analysed: set[str] = set()
    path = tmp_path / "damaged.cxmap"
    for seed in range(first, first + count):
        label, data = fuzz_case(seed)
        path.write_bytes(data)
        result = outcome(path, analysed)
        if result in tally:
            tally[result] += 1
        else:
            failures.append(f"{label}: {result}")
    return failures, tally


# -- the tests ---------------------------------------------------------------------------
def test_the_undamaged_samples_open() -> None:
    for name, image in seeds():
        assert image.startswith(b"SQLite format 3\x00"), name


def test_damaged_files_open_whole_or_are_refused_in_one_line(tmp_path: Path) -> None:
    started = time.perf_counter()
    failures, tally = run_cases(tmp_path, SEED, DEFAULT_CASES)
    took = time.perf_counter() - started
    print(f"{DEFAULT_CASES} damaged files in {took:.1f} s: {tally}, "
          f"{len(failures)} broke the promise")
    assert not failures, f"{len(failures)} of {DEFAULT_CASES}:\n" + "\n".join(failures[:20])
    assert tally[REFUSED] > DEFAULT_CASES // 2  # the mutations do damage


@pytest.mark.fuzz
def test_thousands_more_damaged_files(tmp_path: Path) -> None:
    """Only with -m fuzz (tests/conftest.py leaves it out of the plain run)."""
    failures, tally = run_cases(tmp_path, SEED + DEFAULT_CASES, MORE_CASES)
    print(f"{MORE_CASES} more damaged files: {tally}, {len(failures)} broke the promise")
    assert not failures, f"{len(failures)} of {MORE_CASES}:\n" + "\n".join(failures[:20])


def cli_cases() -> list[tuple[str, bytes]]:
    """A few damaged files of each kind, including ones the reader refuses."""
    return [fuzz_case(SEED + DEFAULT_CASES + MORE_CASES + k) for k in range(CLI_CASES)]


def test_the_command_line_exits_0_or_2_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CX_MAPPER_DEBUG", None)
    running = []
    for k, (label, data) in enumerate(cli_cases()):
        path = tmp_path / f"damaged-{k}.cxmap"
        path.write_bytes(data)
        command = (["analyze", str(path), "--json"] if k % 2 else
                   ["convert", str(path), str(tmp_path / f"out-{k}.json")])
        running.append((label, path, subprocess.Popen(
            [sys.executable, "-m", "cx_mapper", *command], cwd=tmp_path, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    for label, path, process in running:
        out, err = process.communicate(timeout=120)
        if process.returncode == 0:
            assert err == "", label
            continue
        assert process.returncode == 2, f"{label}: exit {process.returncode}: {err}"
        assert out == "", label
        assert err.endswith("\n") and err.count("\n") == 1, f"{label}: {err!r}"
        assert check_message(err.rstrip("\n"), str(path)) is None, label


def test_a_huge_horizon_is_refused_in_one_line() -> None:
    project = read_project(SAMPLES[0])
    project.journeys[0].horizon = 2**63 - 1
    with pytest.raises(AnalysisError) as refused:
        analyze(project, project.journeys[0].id)
    assert "\n" not in str(refused.value) and "horizon" in str(refused.value)


def test_a_huge_segment_parameter_is_refused_in_one_line() -> None:
    project = read_project(SAMPLES[0])
    project.segments[0] = dataclasses.replace(project.segments[0], tell_positive=1e308)
    with pytest.raises(AnalysisError) as refused:
        analyze(project, project.journeys[0].id)
    assert "\n" not in str(refused.value) and "tell" in str(refused.value).lower()
