"""Opportunities and the cost unit in cx-mapper/1 JSON (FORMAT.md "Additions"; the README's
design notes add "add_touchpoints" and "cost_unit").

They round trip exactly, a project without them is written byte for byte as before, and
every bad value is refused in one line naming the file, journey, opportunity and field,
whichever parse reads the file.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from cx_mapper.domain.journey import Transition
from cx_mapper.domain.opportunities import Changes, Opportunity
from cx_mapper.domain.validation import fit_problem
from cx_mapper.persistence import json_format
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import (
    dumps_project,
    loads_project,
    project_to_dict,
    read_project,
)
from cx_mapper.persistence.json_opportunities import opportunities_as_written, plan_as_written
from tests.factories import RETAIL_SAMPLE, ROOT, story_project
from tests.persistence.opportunity_files import planned_project

PLANNED = planned_project()
PLANNED_DATA = project_to_dict(PLANNED)


def test_opportunities_and_the_cost_unit_round_trip_exactly() -> None:
    text = dumps_project(PLANNED)
    again = loads_project(text)

    assert again == PLANNED
    assert again.cost_unit == "k€"
    assert [o.id for o in again.journey("current").opportunities] == ["stock", "callback",
                                                                      "chat"]
    assert dumps_project(again) == text


def test_they_are_written_in_the_documented_shape() -> None:
    data = json.loads(dumps_project(PLANNED))
    current = data["journeys"][0]

    assert list(data)[:3] == ["format", "name", "cost_unit"] and data["cost_unit"] == "k€"
    assert list(current)[-2:] == ["opportunities", "plan"]
    assert current["plan"] == {"budget": 60.0, "objective": {"referral_r": 50.0, "value": 1.0}}
    stock, callback, chat = current["opportunities"]
    assert stock == {
        "id": "stock", "title": "Show stock online",
        "description": "Live stock on every product page.", "owner": "E-commerce",
        "status": "planned", "cost": 40.0, "touchpoints": ["browse_site", "store_visit"],
        "changes": {"touchpoints": {"store_visit": {"satisfaction": 0.6, "visibility": 0.8},
                                    "browse_site": {"value": 12.5}}}}
    assert callback["changes"] == {
        "transitions": [{"from": "friend_post", "to": "browse_site", "probability": 0.35}],
        "remove_transitions": [["friend_post", "store_visit"]]}
    added = chat["changes"]["add_touchpoints"][0]
    journey_touchpoint = current["touchpoints"][0]
    assert list(added) == [*journey_touchpoint, "image"]  # the same object
    assert added["id"] == "chat" and added["image"] == "shelf"
    assert chat["changes"]["transitions"][0]["label"] == "asks"


@pytest.mark.parametrize("name", ["retail-omnichannel.json", "hotel-stay.json",
                                  "software-support.json"])
def test_the_samples_read_and_write_byte_for_byte_with_and_without_them(name: str) -> None:
    original = (ROOT / "projects" / name).read_text(encoding="utf-8")
    project = loads_project(original)
    assert any(j.opportunities for j in project.journeys) and project.cost_unit
    assert dumps_project(project) == original
    # The same sample as it was before opportunities: none of the new keys, and its
    # text unchanged by a read and a write.
    project.cost_unit = ""
    for journey in project.journeys:
        journey.opportunities, journey.plan = [], None
    without = dumps_project(project)
    assert all(f'"{key}":' not in without for key in ("opportunities", "cost_unit", "plan"))
    assert dumps_project(loads_project(without)) == without


def test_a_project_without_them_writes_neither_key() -> None:
    text = dumps_project(story_project())
    assert '"opportunities":' not in text and '"cost_unit"' not in text


def test_they_may_be_given_empty_or_with_only_an_id() -> None:
    data = copy.deepcopy(PLANNED_DATA)
    data["cost_unit"] = ""
    data["journeys"][0]["opportunities"] = [{"id": "bare"}, {"id": "empty", "changes": {
        "touchpoints": {}, "transitions": [], "remove_transitions": [],
        "add_touchpoints": []}}]
    project = loads_project(json.dumps(data))
    bare, empty = project.journey("current").opportunities
    assert project.cost_unit == ""
    assert (bare.status, bare.cost, bare.touchpoints, bool(bare.changes)) == ("idea", 0.0, (),
                                                                             False)
    assert empty.changes == bare.changes
    assert '"changes": {}' in dumps_project(project)


def test_a_whole_number_cost_reads_as_a_number() -> None:
    data = copy.deepcopy(PLANNED_DATA)
    opportunity(data).update(cost=120)
    opportunity(data)["changes"]["touchpoints"]["store_visit"]["satisfaction"] = 1
    read = loads_project(json.dumps(data)).journey("current").opportunities[0]
    assert read.cost == 120.0 and read.changes.touchpoints["store_visit"]["satisfaction"] == 1.0


# -- bad input ---------------------------------------------------------------------------------
Edit = Callable[[dict[str, Any]], None]


def opportunity(data: dict[str, Any], number: int = 0) -> dict[str, Any]:
    result: dict[str, Any] = data["journeys"][0]["opportunities"][number]
    return result


def changes(number: int = 0, **parts: Any) -> Edit:
    return lambda d: opportunity(d, number)["changes"].update(parts)


def added(**fields: Any) -> Edit:
    return lambda d: opportunity(d, 2)["changes"]["add_touchpoints"][0].update(fields)


NAN = float("nan")
INF = float("inf")

BAD: dict[str, tuple[Edit, tuple[str | None, str | None, str | None], str]] = {
    # what breaks it: (element, element id, field) named, and words of the reason
    "not a list": (lambda d: d["journeys"][0].update(opportunities={}),
                   ("journey", "current", "opportunities"), "must be a list"),
    "not an object": (lambda d: d["journeys"][0]["opportunities"].append("fix"),
                      ("opportunity", None, None), "opportunity number 4 must be an object"),
    "no id": (lambda d: opportunity(d).pop("id"), ("opportunity", None, "id"),
              "opportunity number 1 has no id"),
    "id twice": (lambda d: opportunity(d, 1).update(id="stock"),
                 ("opportunity", "stock", "id"), "used by two opportunities"),
    "unknown key": (lambda d: opportunity(d).update(costs=3.0),
                    ("opportunity", "stock", "costs"),
                    "is not a field of an opportunity; did you mean 'cost'"),
    "title type": (lambda d: opportunity(d).update(title=["a"]),
                   ("opportunity", "stock", "title"), "must be a text"),
    "title too long": (lambda d: opportunity(d).update(title="t" * 201),
                       ("opportunity", "stock", "title"), "201 characters"),
    "owner too long": (lambda d: opportunity(d).update(owner="o" * 201),
                       ("opportunity", "stock", "owner"), "at most 200"),
    "status unknown": (lambda d: opportunity(d).update(status="funded"),
                       ("opportunity", "stock", "status"),
                       "'funded' is no status; use one of idea, planned, in_progress, done"),
    "status type": (lambda d: opportunity(d).update(status=2),
                    ("opportunity", "stock", "status"), "must be a text"),
    "cost negative": (lambda d: opportunity(d).update(cost=-1.0),
                      ("opportunity", "stock", "cost"), "must be between 0 and"),
    "cost too big": (lambda d: opportunity(d).update(cost=2e12),
                     ("opportunity", "stock", "cost"), "got 2e+12"),
    "cost NaN": (lambda d: opportunity(d).update(cost=NAN),
                 ("opportunity", "stock", "cost"), "must be a finite number, got NaN"),
    "cost infinite": (lambda d: opportunity(d).update(cost=INF),
                      ("opportunity", "stock", "cost"), "got Infinity"),
    "cost text": (lambda d: opportunity(d).update(cost="40k"),
                  ("opportunity", "stock", "cost"), "must be a number"),
    "cost true": (lambda d: opportunity(d).update(cost=True),
                  ("opportunity", "stock", "cost"), "got true"),
    "link unknown": (lambda d: opportunity(d).update(touchpoints=["ghost"]),
                     ("opportunity", "stock", "touchpoints"), "no touchpoint 'ghost'"),
    "link twice": (lambda d: opportunity(d).update(touchpoints=["reviews", "reviews"]),
                   ("opportunity", "stock", "touchpoints"), "names a touchpoint twice"),
    "link not an id": (lambda d: opportunity(d).update(touchpoints=[3]),
                       ("opportunity", "stock", "touchpoints"), "list of touchpoint ids"),
    "changes not an object": (lambda d: opportunity(d).update(changes=[]),
                              ("opportunity", "stock", "changes"), "must be an object"),
    "changes unknown part": (changes(add_transitions=[]),
                             ("opportunity", "stock", "changes"),
                             "has no part 'add_transitions'; did you mean"),
    "field of unknown touchpoint": (changes(touchpoints={"ghost": {"satisfaction": 0.1}}),
                                    ("opportunity", "stock", "changes"),
                                    "changes touchpoint 'ghost', which is not in the journey"),
    "field that cannot change": (changes(touchpoints={"reviews": {"name": 1.0}}),
                                 ("opportunity", "stock", "changes"),
                                 "cannot change 'name' of touchpoint 'reviews'"),
    "field out of range": (changes(touchpoints={"reviews": {"satisfaction": 1.5}}),
                           ("opportunity", "stock", "changes"),
                           "sets satisfaction of 'reviews' to 1.5; it must be between -1 and 1"),
    "field NaN": (changes(touchpoints={"reviews": {"impact": NAN}}),
                  ("opportunity", "stock", "changes"), "'impact' must be a finite number"),
    "field a text": (changes(touchpoints={"reviews": {"value": "10"}}),
                     ("opportunity", "stock", "changes"), "'value' must be a number"),
    "fields not an object": (changes(touchpoints={"reviews": 0.5}),
                             ("opportunity", "stock", "changes"),
                             "touchpoint 'reviews', must be an object of new field values"),
    "transition to nowhere": (changes(1, transitions=[{"from": "reviews", "to": "ghost",
                                                       "probability": 0.1}]),
                              ("opportunity", "callback", "changes"),
                              "transition to or from 'ghost', which is not in the journey"),
    "transition probability": (changes(1, transitions=[{"from": "reviews", "to": "reviews",
                                                        "probability": 1.2}]),
                               ("opportunity", "callback", "changes"), "between 0 and 1"),
    "transition no probability": (changes(1, transitions=[{"from": "reviews",
                                                           "to": "reviews"}]),
                                  ("opportunity", "callback", "changes"),
                                  "has no 'probability'"),
    "transition unknown key": (changes(1, transitions=[{"from": "reviews", "to": "reviews",
                                                        "probability": 0.1, "p": 1}]),
                               ("opportunity", "callback", "changes"),
                               '"transitions" number 1 has no part \'p\''),
    "transition end not an id": (changes(1, transitions=[{"from": 1, "to": "reviews",
                                                          "probability": 0.1}]),
                                 ("opportunity", "callback", "changes"),
                                 "'from' must name a touchpoint by its id"),
    "transition twice": (changes(1, transitions=[{"from": "reviews", "to": "reviews",
                                                  "probability": 0.1}] * 2),
                         ("opportunity", "callback", "changes"), "names a transition twice"),
    "removed and set": (changes(1, remove_transitions=[["friend_post", "browse_site"]]),
                        ("opportunity", "callback", "changes"),
                        "both removes a transition and sets its probability"),
    "removed not a pair": (changes(1, remove_transitions=[["friend_post"]]),
                           ("opportunity", "callback", "changes"), 'must be a pair ["from"'),
    "removed of nowhere": (changes(1, remove_transitions=[["ghost", "reviews"]]),
                           ("opportunity", "callback", "changes"), "'ghost', which is not"),
    "removed not a list": (changes(1, remove_transitions={}),
                           ("opportunity", "callback", "changes"),
                           '"remove_transitions" must be a list'),
    "added touchpoint out of range": (added(satisfaction=3.0),
                                      ("opportunity", "chat", "changes"),
                                      "touchpoint 'chat', field 'satisfaction': must be "
                                      "between -1 and 1, got 3.0"),
    "added touchpoint unknown stage": (added(stage="later"),
                                       ("opportunity", "chat", "changes"),
                                       "field 'stage': there is no stage 'later'"),
    "added touchpoint unknown image": (added(image="gone"),
                                       ("opportunity", "chat", "changes"),
                                       "no image 'gone'"),
    "added touchpoint unknown key": (added(colour="#fff"),
                                     ("opportunity", "chat", "changes"),
                                     "field 'colour': is not a field of a touchpoint"),
    "added touchpoint NaN": (added(x=NAN), ("opportunity", "chat", "changes"),
                             "field 'x': must be a finite number"),
    "added touchpoint no id": (lambda d: opportunity(d, 2)["changes"]["add_touchpoints"][0]
                               .pop("id"), ("opportunity", "chat", "changes"),
                               "touchpoint number 1 has no id"),
    "added touchpoint twice": (lambda d: opportunity(d, 2)["changes"]["add_touchpoints"]
                               .append(opportunity(d, 2)["changes"]["add_touchpoints"][0]),
                               ("opportunity", "chat", "changes"), "adds a touchpoint twice"),
    "plan not an object": (lambda d: d["journeys"][0].update(plan=60),
                           ("journey", "current", "plan"), "must be an object"),
    "plan without budget": (lambda d: d["journeys"][0]["plan"].pop("budget"),
                            ("journey", "current", "plan"), '"budget" is missing'),
    "plan budget negative": (lambda d: d["journeys"][0]["plan"].update(budget=-1.0),
                             ("journey", "current", "plan"), '"budget": must be between 0'),
    "plan budget NaN": (lambda d: d["journeys"][0]["plan"].update(budget=NAN),
                        ("journey", "current", "plan"), '"budget" must be a finite number'),
    "plan unknown key": (lambda d: d["journeys"][0]["plan"].update(budgets=1.0),
                         ("journey", "current", "plan"), "has no part 'budgets'"),
    "plan unknown KPI": (lambda d: d["journeys"][0]["plan"].update(objective={"nps": 1.0}),
                         ("journey", "current", "plan"), "'nps' is no KPI"),
    "plan weight text": (lambda d: d["journeys"][0]["plan"].update(objective={"value": "1"}),
                         ("journey", "current", "plan"), "'value' must be a number"),
    "plan weight huge": (lambda d: d["journeys"][0]["plan"].update(objective={"value": 1e7}),
                         ("journey", "current", "plan"), "the weight of value must be"),
    "plan objective empty": (lambda d: d["journeys"][0]["plan"].update(objective={}),
                             ("journey", "current", "plan"), "needs at least one KPI"),
    "cost unit too long": (lambda d: d.update(cost_unit="x" * 21),
                           ("project", None, "cost_unit"), "at most 20 fit"),
    "cost unit type": (lambda d: d.update(cost_unit=5), ("project", None, "cost_unit"),
                       "must be a text"),
}


def refusal(text: str) -> ProjectFileError:
    with pytest.raises(ProjectFileError) as refused:
        loads_project(text, "plan.json")
    return refused.value


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_opportunities_are_refused_naming_the_file_journey_element_and_field(
        case: str) -> None:
    edit, (element, element_id, field), words = BAD[case]
    data = copy.deepcopy(PLANNED_DATA)
    edit(data)
    text = json.dumps(data, ensure_ascii=False)

    error = refusal(text)

    assert (error.element, error.element_id, error.field) == (element, element_id, field)
    assert words in error.reason
    assert str(error).startswith("plan.json: ")
    assert "\n" not in str(error)
    if element == "opportunity":
        assert error.journey == "current"
        assert str(error).startswith(f"plan.json: journey 'current', opportunity '{element_id}"
                                     if element_id else "plan.json: journey 'current'")
    # The quick parse hands over to the careful one, which says the same.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "parse_json_quickly", lambda data: None)
        assert str(refusal(text)) == str(error)


@pytest.mark.parametrize("where", ["opportunity", "changes", "fields", "transition"])
def test_a_key_given_twice_is_refused_whichever_parse_reads_the_file(where: str) -> None:
    text = json.dumps(PLANNED_DATA, ensure_ascii=False)
    text = {
        "opportunity": lambda: text.replace('"cost": 40.0,', '"cost": 40.0, "cost": 4.0,'),
        "changes": lambda: text.replace('"changes": {"touchpoints": {',
                                        '"changes": {"touchpoints": {}, "touchpoints": {'),
        "fields": lambda: text.replace('{"satisfaction": 0.6,',
                                       '{"satisfaction": 0.6, "satisfaction": 0.9,'),
        "transition": lambda: text.replace('"probability": 0.35}',
                                           '"probability": 0.35, "probability": 0.5}'),
    }[where]()

    error = refusal(text)

    assert error.element == "opportunity" and error.journey == "current"
    assert "twice" in error.reason
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "parse_json_quickly", lambda data: None)
        assert str(refusal(text)) == str(error)


def test_an_opportunity_that_no_longer_fits_the_journey_still_reads() -> None:
    """A later edit may make an opportunity push a row past 100%: the Problems say so and
    the plan leaves it out, but the file opens and saves."""
    project = planned_project()
    journey = project.journey("current")
    journey.add_opportunity(Opportunity("all_in", changes=Changes(transitions=(
        Transition("friend_post", "browse_site", 0.99),))))
    assert fit_problem(journey, journey.opportunity("all_in")) is not None
    text = dumps_project(project)
    assert loads_project(text) == project


def test_the_retail_sample_still_reads() -> None:
    assert read_project(RETAIL_SAMPLE).journeys


def test_crash_recovery_can_take_them_back_unchecked() -> None:
    """What the app writes mid-edit comes back without the strict checks, whole."""
    data = project_to_dict(PLANNED)
    current = data["journeys"][0]
    assert opportunities_as_written(current["opportunities"]) == \
        PLANNED.journey("current").opportunities
    assert plan_as_written(current["plan"]) == PLANNED.journey("current").plan
    assert plan_as_written(None) is None
