"""Fuzzing the JSON reader: whatever a file holds, the user gets a project whose analysis
is finite, or one short, clean line that says what is wrong (FORMAT.md, strict reading).

Structure-aware cases start from valid projects and break one thing; mutation cases
edit the bytes of the sample projects. The default run keeps to a few hundred cases;
`-m fuzz` runs thousands.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx_mapper import cli
from cx_mapper.domain.validation import validate_journey
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.report import analysis_to_json
from cx_mapper.persistence import files, json_format
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import loads_project, project_to_dict
from tests.factories import ROOT, story_project
from tests.persistence.opportunity_files import planned_project
from tests.strategies import projects

SAMPLES = sorted((ROOT / "projects").glob("*.json"))
#: What the mutation cases edit: the sample files, a project with lanes, notes,
#: personas and images (the samples have none yet), and one with opportunities.
SEEDS = [path.read_bytes() for path in SAMPLES] + [
    json_format.project_json(story_project()), json_format.project_json(planned_project())]
MESSAGE_LIMIT = 500
#: Cases per test in the default run, and under -m fuzz.
QUICK, LONG = 300, 3_000
FUZZ = pytest.mark.fuzz


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=examples == QUICK,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def _raw_control(text: str) -> bool:
    return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


def check_outcome(text: str) -> None:
    """The only allowed outcomes: a project with finite figures, or a ProjectFileError
    (or AnalysisError) in one short line with no raw control character."""
    try:
        project = loads_project(text, "fuzzed.json")
    except ProjectFileError as error:
        check_message(str(error))
        return
    for journey in project.journeys[:2]:
        try:
            result = analyze(project, journey.id)
        except AnalysisError as error:
            check_message(str(error))
            continue
        check_printed_figures(analysis_to_json(result))


def check_message(message: str) -> None:
    assert "\n" not in message and "\r" not in message, message[:200]
    assert len(message) <= MESSAGE_LIMIT, (len(message), message[:200])
    assert not _raw_control(message), message[:200]


def check_printed_figures(data: object) -> None:
    """Every number analyze --json prints is finite (null stands for undefined)."""
    json.dumps(data, allow_nan=False)  # raises on NaN and infinities
    if isinstance(data, float):
        assert math.isfinite(data)


# -- structure-aware: a valid project with one thing broken ---------------------------------
HUGE = [1.7976931348623157e308, -1.7976931348623157e308, 1e300, 2**63, 10**30, -(2**63),
        1e-320, 5e-324, 0.0, -0.0, 1e9 + 1, 1e6 + 1, 10_001]
WRONG = [None, True, "1", "", [], {}, [1.0], {"a": 1}, "\x1b]0;title\x07", "x" * 5000]
TEXTS = ["\x1b[2J\x1b]52;c;aGk=\x07", "\u202eevil", "a\nb\rc", "\ud800", "é" * 3000,
         "x" * 100_000, "\x00", "\x9b31m"]


def _mutation() -> st.SearchStrategy[Any]:
    numbers = st.sampled_from(HUGE) | st.floats(allow_nan=False, allow_infinity=False)
    nested: Any = st.recursive(st.none(), lambda inner: st.lists(inner, max_size=1),
                               max_leaves=200)
    return numbers | st.sampled_from(WRONG) | st.sampled_from(TEXTS) | st.text() | nested


def _elements(data: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [data, *data["segments"], *data.get("personas", []),
                                   *data.get("images", {}).values()]
    for journey in data["journeys"]:
        found.append(journey)
        for key in ("stages", "channels", "touchpoints", "transitions", "lanes", "notes",
                    "opportunities"):
            found.extend(journey.get(key, []))
        if journey.get("plan"):
            found += [journey["plan"], journey["plan"]["objective"]]
        for opportunity in journey.get("opportunities", []):
            changes = opportunity["changes"]
            found += [changes, *changes.get("touchpoints", {}).values(),
                      *changes.get("transitions", []), *changes.get("add_touchpoints", [])]
    return [element for element in found if element]  # an empty map has no key to break


def _dangling(data: dict[str, Any], draw: st.DrawFn) -> None:
    """A reference to something that is not there: a transition's end, a note's lane,
    stage or touchpoint, an image, a persona's segment, what an opportunity changes."""
    where = draw(st.sampled_from(["transition", "note", "image", "persona", "opportunity"]))
    missing = draw(st.sampled_from(TEXTS + ["nowhere"]))
    journey = data["journeys"][0]
    notes = journey.get("notes", [])
    if where == "note" and notes:
        key = draw(st.sampled_from(["lane", "stage", "touchpoints"]))
        notes[0][key] = [missing] if key == "touchpoints" else missing
    elif where == "image" and journey["touchpoints"]:
        journey["touchpoints"][0]["image"] = missing
    elif where == "persona" and data.get("personas"):
        data["personas"][0]["segment"] = missing
    elif where == "opportunity" and journey.get("opportunities"):
        opportunity = journey["opportunities"][0]
        part = draw(st.sampled_from(["link", "field", "transition", "removed"]))
        if part == "link":
            opportunity["touchpoints"] = [missing]
        elif part == "field":
            opportunity["changes"]["touchpoints"] = {missing: {"satisfaction": 0.5}}
        else:
            key = "transitions" if part == "transition" else "remove_transitions"
            ends = journey["touchpoints"][0]["id"], missing
            opportunity["changes"][key] = [
                {"from": ends[0], "to": ends[1], "probability": 0.1}
                if part == "transition" else list(ends)]
    else:
        journey["transitions"].append({"from": missing, "to": "nowhere", "probability": 0.5})


@st.composite
def broken_projects(draw: st.DrawFn) -> str:
    data = project_to_dict(draw(projects(max_journeys=2, max_touchpoints=5)))
    elements = _elements(data)
    element = draw(st.sampled_from(elements))
    kind = draw(st.sampled_from(["set", "set", "set", "drop", "duplicate", "dangle", "nest"]))
    key = draw(st.sampled_from(sorted(element) or ["id"]))
    if kind == "set":
        element[key] = draw(_mutation())
    elif kind == "drop":
        element.pop(key, None)
    elif kind == "duplicate" and data["journeys"] and data["journeys"][0]["touchpoints"]:
        touchpoints = data["journeys"][0]["touchpoints"]
        touchpoints.append(copy.deepcopy(touchpoints[0]))
    elif kind == "dangle" and data["journeys"]:
        _dangling(data, draw)
    else:
        element[key] = "__nested__"
        depth = draw(st.integers(10, 100_000))
        return json.dumps(data).replace('"__nested__"', "[" * depth + "1" + "]" * depth, 1)
    return json.dumps(data, allow_nan=True)


@given(broken_projects())
@_settings(QUICK)
def test_a_project_with_one_field_broken_is_read_or_refused_in_one_line(text: str) -> None:
    check_outcome(text)


@given(broken_projects())
@_settings(QUICK)
def test_what_the_reader_accepts_has_no_field_errors_left_for_analysis_to_find(
        text: str) -> None:
    """`analyze` of a file skips checking again what the reader checked (read_checked):
    every error a read project can still have is one the reader cannot see."""
    try:
        project = loads_project(text)
    except ProjectFileError:
        return
    for journey in project.journeys:
        assert validate_journey(journey, project.segments, errors_only=True,
                                read_checked=True) \
            == validate_journey(journey, project.segments, errors_only=True)


@FUZZ
@given(broken_projects())
@_settings(LONG)
def test_many_broken_projects(text: str) -> None:
    check_outcome(text)


@given(projects(max_journeys=1, max_touchpoints=6))
@_settings(QUICK)
def test_valid_projects_read_back_and_analyse_to_finite_figures(project: Any) -> None:
    check_outcome(json.dumps(project_to_dict(project)))


# -- the quick parse (orjson) against the careful one ------------------------------------------
def _outcome(text: str) -> object:
    try:
        return loads_project(text, "fuzzed.json")
    except ProjectFileError as error:
        return str(error)


def assert_quick_parse_agrees(text: str) -> object:
    """Whatever the file, the quick parse gives the project or the message the careful
    parse gives: it only ever vouches for files the careful parse reads the same."""
    quick = _outcome(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "parse_json_quickly", lambda data: None)
        careful = _outcome(text)
    assert quick == careful
    return quick


@st.composite
def keys_given_twice(draw: st.DrawFn) -> tuple[str, bool]:
    """A valid project's text with one key of one element given a second time, or a
    colon (plain or escaped) in a text, which the duplicate-key count must not mistake."""
    data = project_to_dict(draw(projects(max_journeys=1, max_touchpoints=4)))
    element = draw(st.sampled_from(_elements(data)))
    key = draw(st.sampled_from(sorted(element)))
    colon = draw(st.sampled_from([":", "\\u003a", "\\u003A", "\\\\u003a", ": :"]))
    twice = draw(st.booleans())
    value = element[key]
    element[key] = "__marker__"
    extra = f', "{key}": "a{colon}b"' if twice else ""
    shown = json.dumps(value if not isinstance(value, str) else f"{value}{colon}"[:50])
    text = json.dumps(data).replace('"__marker__"', shown + extra, 1)
    if not isinstance(value, str) and not twice:
        text = text.replace('"name": "', f'"name": "{colon}', 1)
    return text, twice


@given(keys_given_twice())
@_settings(QUICK)
def test_a_key_given_twice_is_refused_whichever_parse_reads_the_file(
        case: tuple[str, bool]) -> None:
    text, twice = case
    outcome = assert_quick_parse_agrees(text)
    if twice:  # refused: for the key given twice, or for the value the reader met first
        assert isinstance(outcome, str), outcome


@given(broken_projects())
@_settings(QUICK)
def test_the_quick_parse_agrees_with_the_careful_one_on_broken_projects(text: str) -> None:
    assert_quick_parse_agrees(text)


def test_the_quick_parse_agrees_on_mutated_sample_files() -> None:
    for sample, seed in _mutation_cases(300, 50_000):
        data = _mutated(sample, random.Random(seed))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert_quick_parse_agrees(text)


# -- mutation: random byte edits of the sample projects --------------------------------------
def _mutated(original: bytes, rng: random.Random) -> bytes:
    data = bytearray(original)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.4:
            data[position] = rng.randrange(256)
        elif choice < 0.6:
            del data[position: position + rng.randint(1, 40)]
        elif choice < 0.8:
            data[position:position] = rng.choice(
                [b"9" * rng.randint(1, 400), b"e308", b"-", b"\x1b[2J", b'"', b"[" * 50,
                 b"1e999", b"NaN", b"Infinity", b"\\u001b", b"\\ud800", b"{}", b"null"])
        else:
            start = rng.randrange(len(data))
            data[position:position] = data[start: start + rng.randint(1, 200)]
    return bytes(data)


def _mutation_cases(count: int, seed: int) -> list[tuple[bytes, int]]:
    return [(SEEDS[i % len(SEEDS)], seed + i) for i in range(count)]


def _check_mutated(sample: bytes, seed: int) -> None:
    data = _mutated(sample, random.Random(seed))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # read_project refuses non-UTF-8 in one line; tested with the CLI below
    check_outcome(text)


def test_mutated_sample_files_are_read_or_refused_in_one_line() -> None:
    for sample, seed in _mutation_cases(1_000, 0):
        _check_mutated(sample, seed)


@FUZZ
def test_many_mutated_sample_files() -> None:
    for sample, seed in _mutation_cases(20_000, 1_000):
        _check_mutated(sample, seed)


# -- the command line: exit 0 or 2, one line on stderr, never a traceback -------------------
def _cli_files(tmp_path: Path) -> list[Path]:
    rng = random.Random(7)
    files = []
    for number in range(4):
        sample = SEEDS[number % len(SEEDS)]
        path = tmp_path / f"mutated-{number}.json"
        path.write_bytes(_mutated(sample, rng))
        files.append(path)
    escape = tmp_path / "escape.json"
    escape.write_text(json.dumps({"format": "cx-mapper/1", "name": "\x1b]0;pwned\x07",
                                  "journeys": [{"id": "j\x1b[2J", "touchpoints": [
                                      {"id": "a\x1b]52;c;aGk=\x07", "name": "\x9b2J",
                                       "entry": 1.0}]}]}))
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"format": "cx-mapper/1", "journeys": [
        {"id": "j", "horizon": 2**63, "touchpoints": [{"id": "a", "entry": 1.0}]}]}))
    return [*files, escape, huge]


def test_the_command_line_exits_0_or_2_with_one_clean_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    for path in _cli_files(tmp_path):
        for extra in ([], ["--json"]):
            done = subprocess.run([sys.executable, "-m", "cx_mapper", "analyze", str(path),
                                   *extra], capture_output=True, text=True, env=env,
                                  timeout=60, errors="surrogateescape")
            assert done.returncode in (0, 2), (path.name, done.stderr[-300:])
            assert "Traceback" not in done.stderr
            assert not _raw_control(done.stdout.replace("\n", "")), path.name
            if done.returncode == 2:
                assert len(done.stderr.splitlines()) == 1, done.stderr[:300]
                check_message(done.stderr.rstrip("\n"))


# -- analyze --json reads the analysed journey as columns ------------------------------------
@st.composite
def projects_to_analyse(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A file and `analyze` arguments, for the columnar read: a valid or broken project,
    or a valid one with what only the columns' own checks find (a pair listed twice,
    out-probabilities summing to just above 1, no entry, no discount)."""
    arguments = draw(st.sampled_from([[], [], ["--journey", "second"], ["--journey", "none"]]))
    if draw(st.integers(0, 3)) == 0:
        return draw(broken_projects()), arguments
    data = project_to_dict(draw(projects(max_journeys=2, max_touchpoints=5,
                                         min_discount_rate=0.001).filter(
        lambda project: project.journeys and project.journeys[0].touchpoints)))
    if len(data["journeys"]) == 2:
        data["journeys"][1]["id"] = "second"
    journey = data["journeys"][0]
    touchpoints, transitions = journey["touchpoints"], journey["transitions"]
    touchpoints[0]["entry"] = 1.0  # mostly analysable: an entry, and a transition
    if not transitions:
        first = touchpoints[0]["id"]
        transitions.append({"from": first, "to": first, "probability": 0.25, "label": ""})
    kind = draw(st.sampled_from(["as is", "pair twice", "sum above 1", "no entry",
                                 "no discount", "int probability"]))
    if kind == "pair twice":
        transitions.append(dict(transitions[0]))
    elif kind == "sum above 1" and len(touchpoints) > 1:
        first = touchpoints[0]["id"]
        journey["transitions"] = [t for t in transitions if t["from"] != first] + [
            {"from": first, "to": touchpoint["id"], "probability": p}
            for touchpoint, p in zip(touchpoints[:2], (0.5, 0.5 + draw(st.sampled_from(
                [1e-12, 1e-9, 2e-9, 1e-6]))), strict=True)]
    elif kind == "no entry":
        for touchpoint in touchpoints:
            touchpoint["entry"] = 0.0
    elif kind == "no discount":
        journey["discount_rate"] = 0.0
    elif kind == "int probability":
        transitions[-1]["probability"] = 0
    return json.dumps(data), arguments


def _analyze_printed(path: Path, arguments: list[str]) -> tuple[int, bytes, str]:
    """What `analyze FILE --json` prints: the exit code, stdout and stderr."""
    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
        code = cli.main(["analyze", str(path), "--json", *arguments])
        stdout.flush()
    return code, out.getvalue(), err.getvalue()


@given(projects_to_analyse())
@_settings(QUICK)
def test_analyze_prints_the_same_whether_it_reads_columns_or_objects(
        case: tuple[str, list[str]]) -> None:
    """The columnar read gives the same analysis, byte for byte, or the same message as
    reading every touchpoint and transition as an object."""
    text, arguments = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "project.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        columns = _analyze_printed(path, arguments)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(files, "read_for_analysis",
                          lambda location, journey_id: (files.read_project(location), None))
            objects = _analyze_printed(path, arguments)
    assert columns == objects
