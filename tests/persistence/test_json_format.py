"""The cx-mapper/1 JSON interchange: what users and scripts rely on (FORMAT.md)."""

from __future__ import annotations

import copy
import json
import os
import pickle
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings

from cx_mapper.domain.journey import TOUCHPOINT_FIELDS, Channel, Journey, Stage, Touchpoint
from cx_mapper.domain.journey import Transition as Move
from cx_mapper.domain.project import ALL_CONSUMERS, SEGMENT_FIELDS, Project, Segment
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import (
    JOURNEY_KEYS,
    SEGMENT_KEYS,
    TOUCHPOINT_KEYS,
    dumps_project,
    loads_project,
    loads_project_with_warnings,
    project_to_dict,
    read_project,
    read_project_with_warnings,
    write_project,
)
from tests.strategies import projects

FILE_NAME = "retail.json"


def example() -> dict[str, Any]:
    """FORMAT.md's example, plus the touchpoint "site" its transition goes to."""
    return {
        "format": "cx-mapper/1",
        "name": "Retail omnichannel",
        "segments": [
            {"id": "all", "name": "All consumers", "share": 1.0,
             "tell_positive": 15, "tell_negative": 24, "public_reach": 10,
             "trust_private": 0.9, "trust_public": 0.7,
             "referral_conversion": 0.01, "deterrence": 0.01,
             "spend_uplift": 0.13, "abandon_on_poor": 0.55,
             "memory": 0.3, "initial_loyalty": 0.0},
        ],
        "journeys": [
            {"id": "current", "name": "Current state",
             "discount_rate": 0.01, "horizon": 24, "conversions": None,
             "stages": [{"id": "aware", "name": "Awareness"}],
             "channels": [{"id": "social", "name": "Social media"}],
             "touchpoints": [
                 {"id": "ad", "name": "Sees a post from a friend", "stage": "aware",
                  "channel": "social", "satisfaction": 0.2, "visibility": 0.6, "value": 0.0,
                  "impact": 1.0, "entry": 1.0, "referral_entry": 0.0, "conversion": False,
                  "x": 0.0, "y": 0.0, "notes": ""},
                 {"id": "site"},
             ],
             "transitions": [{"from": "ad", "to": "site", "probability": 0.4, "label": ""}]},
        ],
    }


def write_json(tmp_path: Path, data: object) -> Path:
    path = tmp_path / FILE_NAME
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def read_error(tmp_path: Path, data: object) -> ProjectFileError:
    path = write_json(tmp_path, data)
    with pytest.raises(ProjectFileError) as caught:
        read_project(path)
    return caught.value


def read_raw_error(tmp_path: Path, content: str | bytes) -> ProjectFileError:
    path = tmp_path / FILE_NAME
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    with pytest.raises(ProjectFileError) as caught:
        read_project(path)
    return caught.value


def assert_names(error: ProjectFileError, *words: str) -> None:
    """The one-line message names the file and every given part of the location."""
    message = str(error)
    assert FILE_NAME in message
    assert "\n" not in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def journey_of(data: dict[str, Any]) -> dict[str, Any]:
    journey: dict[str, Any] = data["journeys"][0]
    return journey


def element_object(data: dict[str, Any], element: str) -> dict[str, Any]:
    """The first object of that kind in the example data."""
    journey = journey_of(data)
    if element == "project":
        return data
    if element == "journey":
        return journey
    if element == "segment":
        segment: dict[str, Any] = data["segments"][0]
        return segment
    first: dict[str, Any] = journey[element + "s"][0]
    return first


# -- reading a good file ------------------------------------------------------------------
def test_the_format_example_reads_with_its_values(tmp_path: Path) -> None:
    project = read_project(write_json(tmp_path, example()))

    assert project.name == "Retail omnichannel"
    assert project.segments == [ALL_CONSUMERS]
    journey = project.journey("current")
    assert (journey.name, journey.discount_rate, journey.horizon, journey.conversions) == (
        "Current state", 0.01, 24, None)
    assert journey.stages == [Stage("aware", "Awareness")]
    assert journey.channels == [Channel("social", "Social media")]
    assert journey.touchpoint("ad") == Touchpoint(
        id="ad", name="Sees a post from a friend", stage="aware", channel="social",
        satisfaction=0.2, visibility=0.6, entry=1.0)
    assert list(journey.transitions.values()) == [Move("ad", "site", 0.4, "")]
    site = journey.touchpoint("site")  # the added touchpoint takes every default
    assert site == Touchpoint(id="site")
    assert (site.name, site.stage, site.channel, site.impact, site.conversion) == (
        "", None, None, 1.0, False)


def test_only_ids_and_transition_ends_and_probability_are_required() -> None:
    text = json.dumps({"format": "cx-mapper/1", "journeys": [{
        "id": "j", "touchpoints": [{"id": "a"}, {"id": "b"}],
        "transitions": [{"from": "a", "to": "b", "probability": 0.5}]}]})

    project = loads_project(text)

    assert project.name == "Untitled project"
    assert project.segments == [ALL_CONSUMERS]
    journey = project.journeys[0]
    assert (journey.name, journey.discount_rate, journey.horizon, journey.conversions) == (
        "", 0.01, 24, None)
    assert journey.stages == [] and journey.channels == []
    assert journey.transition("a", "b").label == ""


def test_a_segment_missing_parameters_takes_the_all_consumers_preset() -> None:
    text = json.dumps({"format": "cx-mapper/1",
                       "segments": [{"id": "fans", "tell_positive": 42}]})

    segment = loads_project(text).segments[0]

    expected = Segment(**{**{k: getattr(ALL_CONSUMERS, k) for k in SEGMENT_FIELDS},
                          "id": "fans", "name": "", "tell_positive": 42.0})
    assert segment == expected


def test_whole_numbers_are_accepted_where_decimals_are_expected() -> None:
    text = json.dumps({"format": "cx-mapper/1", "journeys": [{
        "id": "j", "discount_rate": 0, "conversions": 120,
        "touchpoints": [{"id": "a", "satisfaction": 1, "value": -5, "entry": 2}]}]})

    journey = loads_project(text).journeys[0]

    assert journey.conversions == 120.0 and isinstance(journey.conversions, float)
    assert journey.touchpoint("a").satisfaction == 1.0
    assert isinstance(journey.touchpoint("a").value, float)


def test_shares_are_scaled_to_sum_to_one_with_a_warning(tmp_path: Path) -> None:
    data = {"format": "cx-mapper/1", "segments": [{"id": "a", "share": 3}, {"id": "b"}]}

    project, warnings = read_project_with_warnings(write_json(tmp_path, data))

    assert [s.share for s in project.segments] == [0.75, 0.25]
    assert len(warnings) == 1
    assert FILE_NAME in warnings[0] and "sum to 4" in warnings[0]


def test_shares_that_already_sum_to_one_give_no_warning(tmp_path: Path) -> None:
    project, warnings = read_project_with_warnings(write_json(tmp_path, example()))

    assert warnings == []
    assert project.segments[0].share == 1.0


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example()).encode("utf-8"))

    assert read_project(path).name == "Retail omnichannel"


# -- the format marker and the file itself -------------------------------------------------
def test_a_missing_format_is_an_error(tmp_path: Path) -> None:
    data = example()
    del data["format"]

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == ("project", "format")
    assert_names(error, "'format'", "missing", "cx-mapper/1")


def test_another_format_says_what_was_found(tmp_path: Path) -> None:
    error = read_error(tmp_path, {**example(), "format": "cx-mapper/2"})

    assert error.field == "format"
    assert_names(error, "'format'", '"cx-mapper/2"')


def test_invalid_json_names_the_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "format": "cx-mapper/1",\n  "name": "x"\n  "journeys": []\n}\n'

    assert_names(read_raw_error(tmp_path, text), "not valid JSON", "line 4, column 3")


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    latin1 = '{"format": "cx-mapper/1", "name": "Café"}'.encode("latin-1")

    assert_names(read_raw_error(tmp_path, latin1), "not UTF-8", "0xe9")


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError) as caught:
        read_project(tmp_path / FILE_NAME)

    assert_names(caught.value, "not found")
    assert caught.value.path == str(tmp_path / FILE_NAME)


@pytest.mark.parametrize("top", [[], "project", 3, None])
def test_the_top_level_must_be_an_object(tmp_path: Path, top: object) -> None:
    error = read_error(tmp_path, top)

    assert error.element == "project"
    assert_names(error, "top level", "object")


def test_a_key_given_twice_is_an_error(tmp_path: Path) -> None:
    error = read_raw_error(tmp_path, '{"format": "cx-mapper/1", "journeys": [{"id": "j", '
                                     '"touchpoints": [{"id": "a", "value": 1, "value": 2}]}]}')

    assert (error.element_id, error.field) == ("a", "value")
    assert_names(error, "journey 'j'", "touchpoint 'a'", "field 'value'", "twice")


# -- unknown keys ---------------------------------------------------------------------------
NAMED = {"project": "", "segment": "segment 'all'", "journey": "journey 'current'",
         "stage": "stage 'aware'", "channel": "channel 'social'",
         "touchpoint": "touchpoint 'ad'", "transition": "transition 'ad -> site'"}


@pytest.mark.parametrize("element", NAMED)
def test_an_unknown_key_is_an_error(tmp_path: Path, element: str) -> None:
    data = example()
    element_object(data, element)["colour"] = "red"

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == (element, "colour")
    assert_names(error, "field 'colour'", NAMED[element])


def test_a_misspelt_key_suggests_the_right_one(tmp_path: Path) -> None:
    data = example()
    journey_of(data)["touchpoints"][1]["satisfation"] = 0.5

    assert_names(read_error(tmp_path, data), "touchpoint 'site'", "did you mean 'satisfaction'")


# -- wrong types and values out of range -------------------------------------------------
BAD_VALUES = [
    # (where, field, bad value, words the message must contain)
    ("touchpoint", "satisfaction", True, "must be a number, got true"),
    ("touchpoint", "value", "12", "must be a number"),
    ("touchpoint", "conversion", "yes", "true or false"),
    ("touchpoint", "conversion", 1, "true or false"),
    ("touchpoint", "name", 7, "must be a text"),
    ("touchpoint", "stage", 3, "id of a stage or null"),
    ("touchpoint", "id", "", "non-empty text"),
    ("touchpoint", "id", 5, "non-empty text"),
    ("transition", "probability", None, "must be a number, got null"),
    ("transition", "to", ["site"], "non-empty text"),
    ("transition", "label", False, "must be a text"),
    ("journey", "horizon", 24.0, "whole number"),
    ("journey", "horizon", True, "whole number"),
    ("journey", "conversions", "many", "must be a number"),
    ("journey", "touchpoints", {"id": "ad"}, "must be a list"),
    ("segment", "share", "all", "must be a number"),
    ("segment", "memory", False, "must be a number"),
    ("touchpoint", "satisfaction", 1.5, "between -1 and 1, got 1.5"),
    ("touchpoint", "satisfaction", -1.01, "between -1 and 1"),
    ("touchpoint", "visibility", -0.1, "between 0 and 1"),
    ("touchpoint", "impact", 2, "between 0 and 1, got 2"),
    ("touchpoint", "entry", -1, "between 0 and 1,000,000"),
    ("touchpoint", "referral_entry", -0.5, "between 0 and 1,000,000"),
    ("touchpoint", "entry", 1e7, "between 0 and 1,000,000"),
    ("touchpoint", "value", 1e300, "between -1,000,000,000 and 1,000,000,000"),
    ("transition", "probability", 1.2, "between 0 and 1"),
    ("transition", "probability", -0.1, "between 0 and 1"),
    ("journey", "discount_rate", -0.01, "0 or more"),
    ("journey", "horizon", -1, "between 0 and 10,000"),
    ("journey", "horizon", 2**63, "between 0 and 10,000, got a huge number"),
    ("journey", "conversions", -3, "between 0 and 1,000,000,000,000"),
    ("segment", "share", 0, "above 0"),
    ("segment", "share", -1, "above 0"),
    ("segment", "tell_positive", -1, "between 0 and 1,000,000"),
    ("segment", "public_reach", 1.7e308, "between 0 and 1,000,000"),
    ("segment", "spend_uplift", 1e4, "between 0 and 1,000"),
    ("segment", "share", 1e7, "above 0 and at most 1,000,000"),
    ("segment", "trust_private", 1.1, "between 0 and 1"),
    ("segment", "abandon_on_poor", 2, "between 0 and 1"),
    ("segment", "initial_loyalty", -2, "between -1 and 1"),
]


@pytest.mark.parametrize(("where", "field", "value", "words"), BAD_VALUES)
def test_a_wrong_type_or_a_value_out_of_range_is_an_error(
    tmp_path: Path, where: str, field: str, value: object, words: str
) -> None:
    data = example()
    element_object(data, where)[field] = value

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == (where, field)
    assert_names(error, f"field '{field}'", words)
    if where != "segment":
        assert_names(error, "journey 'current'")


def test_a_list_element_that_is_not_an_object_is_an_error(tmp_path: Path) -> None:
    data = example()
    journey_of(data)["touchpoints"].append("checkout")

    error = read_error(tmp_path, data)

    assert error.element == "touchpoint"
    assert_names(error, "journey 'current'", "touchpoint number 3", "object")


@pytest.mark.parametrize("where", ["touchpoint", "segment", "journey", "stage", "channel"])
def test_a_missing_id_is_an_error(tmp_path: Path, where: str) -> None:
    data = example()
    del element_object(data, where)["id"]

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == (where, "id")
    assert_names(error, f"{where} number", "field 'id'", "has no id")


@pytest.mark.parametrize("field", ["from", "to", "probability"])
def test_a_transition_needs_its_ends_and_probability(tmp_path: Path, field: str) -> None:
    data = example()
    del journey_of(data)["transitions"][0][field]

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == ("transition", field)
    assert_names(error, "journey 'current'", "transition", f"field '{field}'")


def test_the_exact_ends_of_a_range_are_accepted() -> None:
    data = example()
    touchpoint = journey_of(data)["touchpoints"][0]
    touchpoint.update(satisfaction=-1, visibility=1, impact=0)
    journey_of(data).update(discount_rate=0, horizon=0, conversions=0)

    journey = loads_project(json.dumps(data)).journeys[0]

    assert journey.touchpoint("ad").satisfaction == -1.0
    assert (journey.discount_rate, journey.horizon, journey.conversions) == (0.0, 0, 0.0)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_are_rejected(tmp_path: Path, literal: str) -> None:
    text = json.dumps(example()).replace('"value": 0.0', f'"value": {literal}', 1)
    error = read_raw_error(tmp_path, text)

    assert (error.element_id, error.field) == ("ad", "value")
    assert_names(error, "journey 'current'", "touchpoint 'ad'", "field 'value'",
                 "finite number")


# -- duplicates and references -------------------------------------------------------------
DUPLICATES = {
    "touchpoint": lambda d: journey_of(d)["touchpoints"].append({"id": "ad"}),
    "stage": lambda d: journey_of(d)["stages"].append({"id": "aware"}),
    "channel": lambda d: journey_of(d)["channels"].append({"id": "social"}),
    "segment": lambda d: d["segments"].append({"id": "all"}),
    "journey": lambda d: d["journeys"].append({"id": "current"}),
}


@pytest.mark.parametrize("element", DUPLICATES)
def test_a_duplicate_id_is_an_error(tmp_path: Path, element: str) -> None:
    data = example()
    DUPLICATES[element](data)

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == (element, "id")
    assert_names(error, f"{element} '", "field 'id'", "used by two")


def test_a_duplicate_transition_is_an_error(tmp_path: Path) -> None:
    data = example()
    journey_of(data)["transitions"].append({"from": "ad", "to": "site", "probability": 0.1})

    error = read_error(tmp_path, data)

    assert (error.element, error.element_id) == ("transition", "ad -> site")
    assert_names(error, "journey 'current'", "transition 'ad -> site'", "twice")


@pytest.mark.parametrize("field", ["from", "to"])
def test_a_transition_to_or_from_a_missing_touchpoint_is_an_error(
    tmp_path: Path, field: str
) -> None:
    data = example()
    journey_of(data)["transitions"][0][field] = "checkout"

    error = read_error(tmp_path, data)

    assert (error.element, error.field) == ("transition", field)
    assert_names(error, "journey 'current'", "transition '", f"field '{field}'",
                 "no touchpoint 'checkout'")


@pytest.mark.parametrize("field", ["stage", "channel"])
def test_a_touchpoint_in_an_undeclared_stage_or_channel_is_an_error(
    tmp_path: Path, field: str
) -> None:
    data = example()
    journey_of(data)["touchpoints"][1][field] = "store"

    error = read_error(tmp_path, data)

    assert (error.element, error.element_id, error.field) == ("touchpoint", "site", field)
    assert_names(error, "journey 'current'", "touchpoint 'site'", f"field '{field}'",
                 f"no {field} 'store'")


def test_out_probabilities_above_one_are_an_error(tmp_path: Path) -> None:
    data = example()
    journey_of(data)["transitions"].append({"from": "ad", "to": "ad", "probability": 0.7})

    error = read_error(tmp_path, data)

    assert (error.element, error.element_id, error.field) == ("touchpoint", "ad", "probability")
    assert_names(error, "journey 'current'", "touchpoint 'ad'", "field 'probability'",
                 "above 1")


def test_out_probabilities_may_pass_one_by_rounding_only() -> None:
    data = example()
    journey_of(data)["transitions"] = [
        {"from": "ad", "to": "site", "probability": 0.7},
        {"from": "ad", "to": "ad", "probability": 0.3 + 1e-12},
    ]

    assert loads_project(json.dumps(data)).journeys[0].out_probability("ad") > 1.0


def test_an_empty_segment_list_is_an_error(tmp_path: Path) -> None:
    error = read_error(tmp_path, {**example(), "segments": []})

    assert error.field == "segments"
    assert_names(error, "field 'segments'", "empty")


def test_a_lone_surrogate_escape_is_an_error(tmp_path: Path) -> None:
    text = json.dumps(example()).replace('"Awareness"', '"Aware\\ud800"')

    error = read_raw_error(tmp_path, text)

    assert_names(error, "stage 'aware'", "field 'name'", "invalid character")


def test_reading_is_all_or_nothing(tmp_path: Path) -> None:
    data = example()
    later = copy.deepcopy(journey_of(data))
    later.update(id="future")
    later["touchpoints"][0]["visibility"] = 7
    data["journeys"].append(later)

    error = read_error(tmp_path, data)

    assert error.journey == "future"


# -- the error itself ----------------------------------------------------------------------
def test_the_error_reads_as_one_line_and_drops_missing_parts() -> None:
    full = ProjectFileError("must be between -1 and 1, got 1.5.", path=FILE_NAME,
                            journey="current", element="touchpoint", element_id="ad",
                            field="satisfaction")
    bare = ProjectFileError("file not found.", path=FILE_NAME)

    assert str(full) == ("retail.json: journey 'current', touchpoint 'ad', "
                         "field 'satisfaction': must be between -1 and 1, got 1.5.")
    assert full.location() == "journey 'current', touchpoint 'ad', field 'satisfaction'"
    assert str(bare) == "retail.json: file not found."
    assert bare.location() == ""


def test_the_error_survives_pickling() -> None:
    error = ProjectFileError("bad.", path="a.json", journey="j", element="transition",
                             element_id="a -> b", field="to")

    copied = pickle.loads(pickle.dumps(error))

    assert str(copied) == str(error)
    assert (copied.element_id, copied.field) == ("a -> b", "to")


# -- writing ------------------------------------------------------------------------------
def test_export_writes_every_field_in_the_documented_order(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    write_project(read_project(write_json(tmp_path, example())), path)

    text = path.read_text(encoding="utf-8")
    written = json.loads(text)
    assert text.endswith("}\n") and text.startswith('{\n  "format": "cx-mapper/1"')
    assert list(written) == ["format", "name", "segments", "journeys"]
    assert list(written["segments"][0]) == list(example()["segments"][0])
    assert list(journey_of(written)) == list(journey_of(example()))
    assert list(journey_of(written)["touchpoints"][0]) == list(
        journey_of(example())["touchpoints"][0])
    site = journey_of(written)["touchpoints"][1]
    assert (site["stage"], site["channel"], site["impact"]) == (None, None, 1.0)
    assert journey_of(written)["transitions"] == journey_of(example())["transitions"]


def test_export_names_each_domain_field_once() -> None:
    assert sorted(SEGMENT_KEYS) == sorted(SEGMENT_FIELDS)
    assert TOUCHPOINT_KEYS == TOUCHPOINT_FIELDS
    assert set(JOURNEY_KEYS) == {name for name in Journey.__dataclass_fields__}


def test_non_ascii_names_are_written_as_readable_utf8(tmp_path: Path) -> None:
    project = Project(name="Café journeys ☕")
    path = tmp_path / FILE_NAME

    write_project(project, path)

    assert "Café journeys ☕" in path.read_text(encoding="utf-8")
    assert read_project(path) == project


def test_export_refuses_a_project_it_could_not_read_back(tmp_path: Path) -> None:
    project = read_project(write_json(tmp_path, example()))
    project.journeys[0].update_transition("ad", "site", probability=1.5)
    target = tmp_path / "out.json"

    with pytest.raises(ProjectFileError) as caught:
        write_project(project, target)

    assert str(caught.value).startswith(str(target))
    assert (caught.value.element_id, caught.value.field) == ("ad -> site", "probability")
    assert not target.exists()


@pytest.mark.parametrize(("module", "failing"), [(os, "replace"), (os, "fsync"), (orjson, "dumps")])
def test_a_failed_write_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: object, failing: str
) -> None:
    path = write_json(tmp_path, example())
    old_bytes = path.read_bytes()
    project = read_project(path)
    project.name = "Renamed"

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, failing, fail)
    with pytest.raises(OSError if failing == "dumps" else ProjectFileError) as caught:
        write_project(project, path)
    monkeypatch.undo()

    assert path.read_bytes() == old_bytes
    assert os.listdir(tmp_path) == [FILE_NAME]  # no temporary file left behind
    if isinstance(caught.value, ProjectFileError):
        assert_names(caught.value, "cannot be written", "No space left", "unchanged")


def test_writing_into_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError) as caught:
        write_project(Project(), tmp_path / "nowhere" / FILE_NAME)

    assert "cannot be written" in str(caught.value)


# -- round trip ---------------------------------------------------------------------------
def test_the_example_round_trips_through_a_file(tmp_path: Path) -> None:
    project = read_project(write_json(tmp_path, example()))
    path = tmp_path / "copy.json"

    write_project(project, path)

    assert read_project(path) == project


@settings(max_examples=150, deadline=None)
@given(projects())
def test_any_valid_project_round_trips(project: Project) -> None:
    text = dumps_project(project)

    again, warnings = loads_project_with_warnings(text)

    assert again == project
    assert warnings == []
    # Order matters to users (lists, drawing order) and dict equality ignores it.
    assert dumps_project(again) == text
    assert project_to_dict(again) == json.loads(text)
