"""Lanes, notes, personas and images in cx-mapper/1 JSON (FORMAT.md, "Additions").

Round trips keep every image byte for byte; a project without the additions is written
as before, so earlier versions still read it; and every new bad input is refused in one
line naming the element and the field.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from cx_mapper.domain.images import IMAGE_BYTES_LIMIT
from cx_mapper.persistence import json_format
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import (
    dumps_project,
    loads_project,
    project_to_dict,
    read_project,
)
from tests.factories import RETAIL_SAMPLE, graph_only, png_bytes, story_project

STORY = story_project()
STORY_DATA = project_to_dict(STORY)


def test_the_journey_map_round_trips_with_every_image_byte_for_byte() -> None:
    text = dumps_project(STORY)
    again = loads_project(text)

    assert again == STORY
    assert dumps_project(again) == text
    for image_id, image in STORY.images.items():
        assert again.images[image_id].data == image.data
        assert base64.b64decode(json.loads(text)["images"][image_id]["data"]) == image.data


def test_the_additions_are_written_in_the_documented_shape() -> None:
    data = json.loads(dumps_project(STORY))
    current = data["journeys"][0]

    assert list(data) == ["format", "name", "segments", "personas", "journeys", "images"]
    assert data["personas"][0] == {
        "id": "ana", "segment": "all", "name": "Ana, 34",
        "quote": "I just want it to arrive on time.", "goals": ["Get it this week"],
        "needs": ["Clear delivery dates"], "frustrations": ["Calling twice"], "image": "ana"}
    assert current["lanes_above"] == 1 and list(current)[-2:] == ["lanes_above", "notes"]
    assert current["lanes"][3] == {"id": "ideas", "kind": "opportunities",
                                   "name": "Opportunities and ideas", "colour": "#1f77b4"}
    assert current["notes"][1] == {"id": "compares", "lane": "do", "stage": "consider",
                                   "text": "Compares prices",
                                   "touchpoints": ["browse_site", "reviews"], "image": None,
                                   "x": 0.0, "y": 0.0}
    assert data["images"]["ana"]["media_type"] == "image/jpeg"
    shop = next(t for t in current["touchpoints"] if t["id"] == "store_visit")
    assert list(shop)[-1] == "image" and shop["image"] == "shelf"


def test_a_project_without_the_additions_is_written_as_before() -> None:
    """Earlier versions refuse keys they do not know, so unused additions stay out."""
    text = dumps_project(graph_only(read_project(RETAIL_SAMPLE)))
    for key in ('"personas"', '"images"', '"lanes"', '"lanes_above"', '"notes": [', '"image"'):
        assert key not in text


def test_the_additions_may_be_given_empty() -> None:
    data = copy.deepcopy(STORY_DATA)
    data.update(personas=[], images={})
    data["journeys"] = [{**journey, "lanes": [], "lanes_above": 0, "notes": []}
                        for journey in data["journeys"]]
    for journey in data["journeys"]:
        for touchpoint in journey["touchpoints"]:
            touchpoint.pop("image", None)
    project = loads_project(json.dumps(data))
    assert project.personas == [] and project.images == {}
    assert all(not j.lanes and not j.notes for j in project.journeys)


def test_only_ids_and_the_cell_of_a_note_and_the_segment_of_a_persona_are_required() -> None:
    data = copy.deepcopy(STORY_DATA)
    data["personas"] = [{"id": "p", "segment": "all"}]
    data["journeys"][0]["lanes"] = [{"id": "l"}]
    data["journeys"][0]["notes"] = [{"id": "n", "lane": "l", "stage": "aware"}]
    project = loads_project(json.dumps(data))
    journey = project.journeys[0]
    assert journey.lanes[0].kind == "custom" and journey.lanes[0].colour is None
    assert journey.note("n").text == "" and journey.note("n").touchpoints == ()
    assert project.personas[0].goals == ()


# -- bad input ---------------------------------------------------------------------------------
Edit = Callable[[dict[str, Any]], None]


def journey(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["journeys"][0]
    return result


def note(data: dict[str, Any], number: int = 0) -> dict[str, Any]:
    result: dict[str, Any] = journey(data)["notes"][number]
    return result


def set_image(**changes: Any) -> Edit:
    return lambda data: data["images"]["shelf"].update(changes)


TOO_BIG = base64.b64encode(png_bytes(2, 2) + bytes(IMAGE_BYTES_LIMIT)).decode()
JUST_OVER = base64.b64encode(png_bytes(2, 2).ljust(IMAGE_BYTES_LIMIT + 1, b"\0")).decode()
WIDE = base64.b64encode(png_bytes(5000, 1)).decode()

BAD: dict[str, tuple[Edit, tuple[str | None, str | None, str | None], str]] = {
    # what breaks it: (element, element id, field) named, and words of the reason
    "unknown lane key": (lambda d: journey(d)["lanes"][0].update(color="#ffffff"),
                         ("lane", "do", "color"), "did you mean 'colour'"),
    "lane kind": (lambda d: journey(d)["lanes"][0].update(kind="feelings"),
                  ("lane", "do", "kind"), "must be one of actions, thoughts"),
    "lane kind a list": (lambda d: journey(d)["lanes"][0].update(kind=[["actions"]]),
                         ("lane", "do", "kind"), "got a list"),
    "lane colour": (lambda d: journey(d)["lanes"][0].update(colour="blue"),
                    ("lane", "do", "colour"), "#rrggbb"),
    "lane name type": (lambda d: journey(d)["lanes"][0].update(name=3),
                       ("lane", "do", "name"), "must be a text"),
    "lane twice": (lambda d: journey(d)["lanes"].append({"id": "do"}),
                   ("lane", "do", "id"), "used by two lanes"),
    "lanes not a list": (lambda d: journey(d).update(lanes={}),
                         ("journey", "current", "lanes"), "must be a list"),
    "note without lane": (lambda d: note(d).pop("lane"), ("note", "sees", "lane"),
                          "is missing"),
    "note lane dangling": (lambda d: note(d).update(lane="gone"), ("note", "sees", "lane"),
                           "no lane 'gone'"),
    "note stage dangling": (lambda d: note(d).update(stage="later"),
                            ("note", "sees", "stage"), "no stage 'later'"),
    "note link dangling": (lambda d: note(d).update(touchpoints=["friend_post", "ghost"]),
                           ("note", "sees", "touchpoints"), "no touchpoint 'ghost'"),
    "note link twice": (lambda d: note(d).update(touchpoints=["friend_post"] * 2),
                        ("note", "sees", "touchpoints"), "twice"),
    "note links not ids": (lambda d: note(d).update(touchpoints=[1]),
                           ("note", "sees", "touchpoints"), "list of touchpoint ids"),
    "note text too long": (lambda d: note(d).update(text="x" * 5001),
                           ("note", "sees", "text"), "5,001 characters"),
    "note x not finite": (lambda d: note(d).update(x=float("inf")), ("note", "sees", "x"),
                          "finite"),
    "note image dangling": (lambda d: note(d).update(image="nope"), ("note", "sees", "image"),
                            "no image 'nope' in the project's images"),
    "note twice": (lambda d: journey(d)["notes"].append(dict(note(d))),
                   ("note", "sees", "id"), "used by two notes"),
    "unknown note key": (lambda d: note(d).update(colour="#ffffff"),
                         ("note", "sees", "colour"), "not a field of a note"),
    "touchpoint image dangling": (
        lambda d: journey(d)["touchpoints"][0].update(image="nope"),
        ("touchpoint", "friend_post", "image"), "no image 'nope'"),
    "touchpoint image type": (lambda d: journey(d)["touchpoints"][0].update(image=5),
                              ("touchpoint", "friend_post", "image"), "id of an image"),
    "persona segment dangling": (lambda d: d["personas"][0].update(segment="teens"),
                                 ("persona", "ana", "segment"), "no segment 'teens'"),
    "persona without segment": (lambda d: d["personas"][0].pop("segment"),
                                ("persona", "ana", "segment"), "is missing"),
    "persona goals not texts": (lambda d: d["personas"][0].update(goals=["ok", 2]),
                                ("persona", "ana", "goals"), "list of texts"),
    "persona needs not a list": (lambda d: d["personas"][0].update(needs="all"),
                                 ("persona", "ana", "needs"), "must be a list"),
    "persona too many goals": (lambda d: d["personas"][0].update(goals=["g"] * 51),
                               ("persona", "ana", "goals"), "51 items"),
    "persona quote too long": (lambda d: d["personas"][0].update(quote="q" * 1001),
                               ("persona", "ana", "quote"), "1,001 characters"),
    "persona twice": (lambda d: d["personas"].append({"id": "ana", "segment": "all"}),
                      ("persona", "ana", "id"), "used by two personas"),
    "persona image dangling": (lambda d: d["personas"][0].update(image="gone"),
                               ("persona", "ana", "image"), "no image 'gone'"),
    "images not an object": (lambda d: d.update(images=[]), ("project", None, "images"),
                             "must be an object"),
    "image not an object": (lambda d: d["images"].update(shelf="abc"),
                            ("image", "shelf", None), "must be an object"),
    "image media type": (set_image(media_type="image/gif"), ("image", "shelf", "media_type"),
                         "must be one of image/png, image/jpeg, image/webp"),
    "image media type wrong": (set_image(media_type="image/jpeg"), ("image", "shelf", "data"),
                               "is not a JPEG image"),
    "image bad base64": (set_image(data="not*base64"), ("image", "shelf", "data"),
                         "is not base64 text"),
    "image base64 padding": (set_image(data="iVBORw0KGgo"), ("image", "shelf", "data"),
                             "is not base64 text"),
    "image data type": (set_image(data=[1, 2]), ("image", "shelf", "data"),
                        "must be the image in base64 text"),
    "image too many bytes": (set_image(data=TOO_BIG), ("image", "shelf", "data"),
                             "an image may be at most 8 MB"),
    "image a byte too many": (set_image(data=JUST_OVER), ("image", "shelf", "data"),
                              "is 8,388,609 bytes; an image may be at most 8,388,608 bytes"),
    "image too wide": (set_image(data=WIDE), ("image", "shelf", "data"),
                       "5,000 × 1 pixels"),
    "image without data": (lambda d: d["images"]["shelf"].pop("data"),
                           ("image", "shelf", "data"), "is missing"),
    "unknown image key": (set_image(width=32), ("image", "shelf", "width"),
                          "not a field of an image"),
    "lanes above not whole": (lambda d: journey(d).update(lanes_above=1.5),
                              ("journey", "current", "lanes_above"), "must be a whole number"),
    "lanes above too many": (lambda d: journey(d).update(lanes_above=7),
                             ("journey", "current", "lanes_above"),
                             "from 0 to the number of lanes (6), got 7"),
    "lanes above negative": (lambda d: journey(d).update(lanes_above=-1),
                             ("journey", "current", "lanes_above"), "got -1"),
    "lanes above without lanes": (lambda d: journey(d).update(lanes=[], notes=[]),
                                  ("journey", "current", "lanes_above"),
                                  "number of lanes (0), got 1"),
    "image id empty": (lambda d: d["images"].update({"": d["images"]["shelf"]}),
                       ("image", "", "id"), "non-empty text"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_additions_are_refused_naming_the_element_and_field(case: str) -> None:
    edit, (element, element_id, field), words = BAD[case]
    data = copy.deepcopy(STORY_DATA)
    edit(data)
    text = json.dumps(data)

    with pytest.raises(ProjectFileError) as refused:
        loads_project(text, "story.json")

    error = refused.value
    assert (error.element, error.element_id, error.field) == (element, element_id, field)
    assert words in error.reason
    assert str(error).startswith("story.json: ")
    assert "\n" not in str(error)
    if element in ("lane", "note", "touchpoint"):
        assert error.journey == "current"


def test_an_image_id_given_twice_is_refused_whichever_parse_reads_the_file() -> None:
    shelf = json.dumps(STORY_DATA["images"]["shelf"])
    text = json.dumps(STORY_DATA).replace('"images": {', f'"images": {{"shelf": {shelf}, ', 1)

    with pytest.raises(ProjectFileError) as refused:
        loads_project(text, "story.json")

    assert refused.value.element == "image" and refused.value.element_id == "shelf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "parse_json_quickly", lambda data: None)
        with pytest.raises(ProjectFileError) as carefully:
            loads_project(text, "story.json")
    assert str(carefully.value) == str(refused.value)


def test_a_project_the_reader_would_refuse_is_never_written() -> None:
    project = story_project()
    project.journeys[0].notes["sees"] = project.journeys[0].note("sees").__class__(
        "sees", "do", "gone")
    with pytest.raises(ProjectFileError) as refused:
        dumps_project(project)
    assert refused.value.field == "stage"
