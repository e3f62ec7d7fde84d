"""Evidence in cx-mapper/1 files: written as FORMAT.md shows it, read back exactly, and
refused in one clear line naming the file, the journey, the element and the field."""

from __future__ import annotations

import copy
import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from cx_mapper.domain.evidence import ALLOWED, KINDS, NEEDS
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.files import read_for_analysis
from cx_mapper.persistence.json_checks import object_of_pairs
from cx_mapper.persistence.json_format import (
    dumps_project,
    loads_project,
    project_from_dict_with_warnings,
)
from tests.factories import evidenced_project, sample_project

#: One sound entry of each kind, for a figure from -1 to 1 (a touchpoint's satisfaction).
SOUND: dict[str, dict[str, Any]] = {
    "assumption": {"kind": "assumption", "low": -0.2, "high": 0.3},
    "workshop": {"kind": "workshop", "low": -0.2, "mode": 0.1, "high": 0.3},
    "survey": {"kind": "survey", "n": 120, "sd": 0.4},
    "data": {"kind": "data", "n": 5400},
}


#: The same, for a figure from 0 to 1 (a probability, a segment's memory).
SHARES: dict[str, dict[str, Any]] = {
    kind: {k: (v + 0.5 if k in ("low", "mode", "high") else v) for k, v in entry.items()}
    for kind, entry in SOUND.items()}


def written() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps_project(evidenced_project()))
    return data


def touchpoint(data: dict[str, Any], touchpoint_id: str = "ad") -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["journeys"][0]["touchpoints"]
                                 if t["id"] == touchpoint_id)
    return found


def transition(data: dict[str, Any], source: str = "ad", target: str = "site"
               ) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["journeys"][0]["transitions"]
                                 if (t["from"], t["to"]) == (source, target))
    return found


def refusal(data: dict[str, Any]) -> ProjectFileError:
    with pytest.raises(ProjectFileError) as refused:
        loads_project(json.dumps(data), "map.json")
    return refused.value


# -- writing and reading back -----------------------------------------------------------
def test_every_kind_on_every_element_is_written_as_format_md_shows_and_read_back() -> None:
    project = evidenced_project()
    data = written()
    assert touchpoint(data)["evidence"]["satisfaction"] == {"kind": "survey", "n": 120,
                                                            "sd": 0.4}
    assert touchpoint(data)["evidence"]["departures"] == {"kind": "data", "n": 5400}
    # One order whatever order it was given in, so equal evidence compares and writes equal.
    assert list(touchpoint(data)["evidence"]) == ["departures", "impact", "satisfaction",
                                                  "value", "visibility"]
    assert transition(data)["evidence"] == {"kind": "data", "n": 1200}
    assert data["segments"][0]["evidence"]["referral_conversion"] == {
        "kind": "assumption", "low": 0.002, "high": 0.05, "scale": "log", "source": "a guess"}
    assert "evidence" not in touchpoint(data, "help"), "written only when present"
    assert "evidence" not in transition(data, "help", "ad")
    added = data["journeys"][0]["opportunities"][0]["changes"]["add_touchpoints"][0]
    assert added["evidence"] == {"departures": {"kind": "data", "n": 5400}}

    assert loads_project(dumps_project(project)) == project
    # The careful parse (a key given twice is looked for) reads the same project.
    careful = json.loads(dumps_project(project), object_pairs_hook=object_of_pairs)
    assert project_from_dict_with_warnings(careful)[0] == project


def test_a_project_without_evidence_writes_none_so_earlier_versions_read_it() -> None:
    assert '"evidence"' not in dumps_project(sample_project())


def test_an_entry_given_as_null_is_none_and_a_whole_float_count_reads_as_a_count() -> None:
    data = written()
    transition(data)["evidence"] = None
    touchpoint(data)["evidence"]["departures"]["n"] = 5400.0
    journey = loads_project(json.dumps(data)).journeys[0]
    assert journey.transitions[("ad", "site")].evidence is None
    assert journey.touchpoints["ad"].evidence["departures"].n == 5400


def test_a_big_journey_with_evidence_everywhere_reads_the_same_on_every_path() -> None:
    """Imported journeys carry evidence on every element: the fast readers take the rest
    of each element and the evidence beside it, and agree with the careful reader."""
    data = written()
    journey = data["journeys"][0]
    journey["touchpoints"] = [dict(touchpoint(data), id=f"t{i}", entry=1.0)
                              for i in range(300)]
    for i, item in enumerate(journey["touchpoints"]):
        if i % 3 == 0:
            del item["evidence"]
    journey["transitions"] = [{"from": f"t{i}", "to": f"t{(i + 1) % 300}", "probability": 0.5,
                               "label": "", "evidence": {"kind": "data", "n": i}}
                              for i in range(300)]
    journey["notes"] = []
    del journey["opportunities"]
    text = json.dumps(data)
    fast = loads_project(text)
    careful = project_from_dict_with_warnings(json.loads(text, object_pairs_hook=object_of_pairs))
    assert fast == careful[0]
    read = fast.journeys[0]
    assert read.touchpoints["t1"].evidence["satisfaction"].n == 120
    assert not read.touchpoints["t3"].evidence
    assert read.transitions[("t7", "t8")].evidence is not None
    assert read.transitions[("t7", "t8")].evidence.n == 7


@pytest.mark.parametrize("bad", [{"kind": "data", "n": -1}, {"kind": "data", "n": 3, "sd": -0.1},
                                 {"kind": "data", "n": 3, "junk": 1}])
def test_a_bad_entry_among_an_imports_many_is_named_as_the_careful_reader_names_it(
        bad: dict[str, Any]) -> None:
    data = written()
    journey = data["journeys"][0]
    journey["transitions"] = [{"from": t, "to": "help", "probability": 0.1, "label": "",
                               "evidence": {"kind": "data", "n": 5, "sd": 0.5}}
                              for t in ("ad", "site", "shop")]
    journey["transitions"][1]["evidence"] = bad
    fast = refusal(data)
    with pytest.raises(ProjectFileError) as careful:
        project_from_dict_with_warnings(json.loads(json.dumps(data),
                                                   object_pairs_hook=object_of_pairs),
                                        "map.json")
    assert str(fast) == str(careful.value)
    assert str(fast).startswith("map.json: journey 'now', transition 'site -> help', "
                                "field 'evidence': ")


def test_analyze_reads_a_file_with_evidence_whole_and_gives_the_same_figures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_evidence = tmp_path / "with.json"
    without = tmp_path / "without.json"
    project = evidenced_project()
    project.journeys[0].opportunities = []  # a journey with some is read whole anyway
    with_evidence.write_text(dumps_project(project), encoding="utf-8")
    data = json.loads(dumps_project(project))
    for element in (*data["journeys"][0]["touchpoints"], *data["journeys"][0]["transitions"]):
        element.pop("evidence", None)
    without.write_text(json.dumps(data), encoding="utf-8")

    read, columns = read_for_analysis(with_evidence)
    assert columns is None, "the element reader, which keeps the evidence"
    assert read == project
    assert read_for_analysis(without)[1] is not None, "no evidence: the columns, as before"
    outputs = []
    for path in (with_evidence, without):
        assert main(["analyze", str(path), "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]


# -- strict reading ---------------------------------------------------------------------
def missing_and_extra_keys() -> list[tuple[str, str, str]]:
    """(kind, the key, what is wrong): each needed key left out, each other key added."""
    cases = [(kind, key, "missing") for kind in KINDS for key in NEEDS[kind]]
    every = ("low", "high", "mode", "n", "sd", "scale")
    cases += [(kind, key, "extra") for kind in KINDS for key in every
              if key not in ALLOWED[kind]]
    return cases


@pytest.mark.parametrize(("kind", "key", "fault"), missing_and_extra_keys())
def test_a_missing_or_unknown_key_names_the_touchpoint_the_field_and_the_key(
        kind: str, key: str, fault: str) -> None:
    data = written()
    entry = dict(SOUND[kind])
    if fault == "missing":
        del entry[key]
    else:
        entry[key] = "log" if key == "scale" else 0.1
    touchpoint(data)["evidence"]["satisfaction"] = entry
    error = refusal(data)
    words = f"needs '{key}'" if fault == "missing" else f"has no '{key}'"
    assert str(error).startswith("map.json: journey 'now', touchpoint 'ad', field 'evidence': "
                                 f"for 'satisfaction', {kind} evidence {words}")
    assert (error.element, error.element_id, error.field) == ("touchpoint", "ad", "evidence")


@pytest.mark.parametrize(("place", "change", "words"), [
    ("touchpoint", {"colour": {"kind": "data", "n": 3}},
     "'colour' cannot have evidence; the fields that may have it are satisfaction, "),
    ("touchpoint", {"satisfactoin": {"kind": "data", "n": 3}},
     "'satisfactoin' cannot have evidence; did you mean 'satisfaction'?"),
    ("touchpoint", {"satisfaction": {"kind": "survey", "n": "120", "sd": 0.4}},
     "for 'satisfaction', 'n' must be a number, got \"120\"."),
    ("touchpoint", {"satisfaction": {"kind": "guess", "n": 1}},
     "for 'satisfaction', \"kind\" must be one of assumption, workshop, survey, data, "
     "got \"guess\"."),
    ("touchpoint", {"satisfaction": {"n": 1}}, "for 'satisfaction', \"kind\" is missing"),
    ("touchpoint", {"satisfaction": [1, 2]}, "for 'satisfaction', must be an object"),
    ("touchpoint", {"satisfaction": {"kind": "assumption", "low": -2.0, "high": 0.5}},
     "for 'satisfaction', 'low' is outside the figure's range."),
    ("touchpoint", {"departures": {"kind": "data", "n": 2.5}},
     "for 'departures', 'n' must be a whole number, 0 or more."),
    ("touchpoint", {"departures": {"kind": "data", "n": -1}},
     "for 'departures', 'n' must be a whole number, 0 or more."),
    ("touchpoint", {"value": {"kind": "workshop", "low": 1.0, "mode": 9.0, "high": 5.0}},
     "for 'value', 'mode' must be between 'low' and 'high'."),
    ("touchpoint", {"visibility": {"kind": "assumption", "low": 0.1, "high": 0.3,
                                   "source": 7}},
     "for 'visibility', 'source' must be a text, got 7."),
    ("touchpoint", {"visibility": {"kind": "assumption", "low": 0.0, "high": 0.3,
                                   "scale": "log"}},
     "for 'visibility', a log scale needs 'low' above 0."),
    ("touchpoint", {"visibility": {"kind": "assumption", "low": 0.1, "high": 0.3,
                                   "scale": "cubic"}},
     "for 'visibility', scale must be one of linear, log."),
    ("touchpoint", [], "must be an object of entries by field"),
    ("transition", {"kind": "assumption", "low": 0.5, "high": 1.5},
     "'high' is outside the figure's range."),
    ("transition", {"kind": "survey", "n": 10}, "survey evidence needs 'sd'."),
    ("transition", "data", "must be an object such as"),
    ("segment", {"memory": {"kind": "assumption", "low": -0.5, "high": 0.5}},
     "for 'memory', 'low' is outside the figure's range."),
    ("segment", {"share": {"kind": "data", "n": 3}}, "'share' cannot have evidence"),
])
def test_a_wrong_entry_is_refused_in_one_line_naming_where_it_is(
        place: str, change: Any, words: str) -> None:
    data = written()
    owner = {"touchpoint": touchpoint(data), "transition": transition(data),
             "segment": data["segments"][0]}[place]
    owner["evidence"] = change
    error = refusal(data)
    where = {"touchpoint": "journey 'now', touchpoint 'ad'",
             "transition": "journey 'now', transition 'ad -> site'",
             "segment": "segment 'all'"}[place]
    assert str(error).startswith(f"map.json: {where}, field 'evidence': {words}")
    assert "\n" not in str(error)


def test_a_key_given_twice_in_an_entry_is_refused() -> None:
    data = written()
    transition(data)["evidence"]["twice"] = 0
    text = json.dumps(data, indent=2).replace('"twice": 0', '"n": 3')
    with pytest.raises(ProjectFileError) as refused:
        loads_project(text, "map.json")
    assert str(refused.value) == ("map.json: journey 'now', transition 'ad -> site', field "
                                  "'evidence': gives 'n' twice; keep one.")


# -- a small fuzz -----------------------------------------------------------------------
_VALUES: list[Any] = [0, 1, 2.5, -1.0, 0.3, 1e300, 10**400, math.nan, "x", None, True, [],
                      {}, "log", "linear", 120, 0.002]
_KEYS = ["kind", "low", "high", "mode", "n", "sd", "scale", "source", "junk"]


def random_entry(rng: random.Random) -> Any:
    """A sound entry (for any figure from 0.3 to 0.8), most often with one key changed,
    added or taken away; now and then anything at all."""
    if rng.random() < 0.05:
        return rng.choice(_VALUES)
    entry = dict(SHARES[rng.choice(KINDS)])
    if rng.random() < 0.75:
        key = rng.choice(_KEYS)
        if key in entry and rng.random() < 0.3:
            del entry[key]
        else:
            entry[key] = rng.choice([*_VALUES, *KINDS])
    return entry


def test_random_entries_either_read_back_exactly_or_are_refused_in_one_line() -> None:
    rng = random.Random(13)
    read = refused = 0
    for _ in range(400):
        data = written()
        place = rng.choice(["touchpoint", "transition", "segment"])
        if place == "transition":
            transition(data)["evidence"] = random_entry(rng)
        else:
            owner = touchpoint(data) if place == "touchpoint" else data["segments"][0]
            names = (["satisfaction", "departures", "value", "x"] if place == "touchpoint"
                     else ["memory", "tell_positive", "referral_conversion"])
            owner["evidence"] = {rng.choice(names): random_entry(rng)}
        text = json.dumps(data, allow_nan=True)  # NaN is written as the careless would
        try:
            project = loads_project(text, "map.json")
        except ProjectFileError as error:
            refused += 1
            assert "\n" not in str(error) and error.field == "evidence", str(error)
            continue
        read += 1
        assert loads_project(dumps_project(project)) == project
    assert read > 100 and refused > 100, (read, refused)


def test_every_sound_entry_reads_on_every_element() -> None:
    for kind, entry in SOUND.items():
        data = written()
        touchpoint(data)["evidence"] = {"satisfaction": copy.deepcopy(entry)}
        probability = SHARES[kind]
        transition(data)["evidence"] = probability
        data["segments"][0]["evidence"] = {"memory": probability}
        project = loads_project(json.dumps(data))
        assert project.journeys[0].touchpoints["ad"].evidence["satisfaction"].kind == kind
        assert loads_project(dumps_project(project)) == project
